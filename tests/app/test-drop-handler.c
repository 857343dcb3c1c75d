/* test-drop-handler.c: what a drop or a paste brings (a GFile, a file
 * list, a texture) and what the Image page makes of it, without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "ts-drop.h"
#include "ts-image-match.h"
#include "ts-test-util.h"

#define CNN_SIZE 8

static GdkTexture *
solid_texture (int    width,
               int    height,
               guint8 red,
               guint8 green,
               guint8 blue)
{
  g_autoptr(GBytes) bytes = NULL;
  guint8 *pixels = g_new (guint8, (gsize) width * height * 3);

  for (int i = 0; i < width * height; i++)
    {
      pixels[3 * i] = red;
      pixels[3 * i + 1] = green;
      pixels[3 * i + 2] = blue;
    }
  bytes = g_bytes_new_take (pixels, (gsize) width * height * 3);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes, (gsize) width * 3);
}

/* A PNG named @name in @dir. */
static GFile *
write_png (const char *dir,
           const char *name)
{
  g_autoptr(GdkTexture) texture = solid_texture (12, 10, 200, 40, 90);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (gdk_texture_save_to_png (texture, path));
  return g_file_new_for_path (path);
}

static GFile *
write_file (const char *dir,
            const char *name,
            const char *contents,
            gsize       length)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, (gssize) length, &error));
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* The bytes of the committed fixture art/@name. */
static GBytes *
read_fixture (const char *name)
{
  g_autofree char *relative = g_build_filename ("art", name, NULL);
  g_autofree char *path = ts_test_fixture_path (relative);
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_bytes_new_take (contents, length);
}

/* A copy of art/@name in @dir. */
static GFile *
copy_fixture (const char *dir,
              const char *name)
{
  g_autoptr(GBytes) bytes = read_fixture (name);

  return write_file (dir, name, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static TsDropKind
classify_value (GValue      *value,
                GFile      **file,
                GdkTexture **texture)
{
  TsDropKind kind = ts_drop_classify (value, file, texture);

  g_value_unset (value);
  return kind;
}

static TsDropKind
classify_file (GFile  *file,
               GFile **found)
{
  GValue value = G_VALUE_INIT;
  g_autoptr(GdkTexture) texture = NULL;
  TsDropKind kind;

  g_value_init (&value, G_TYPE_FILE);
  g_value_set_object (&value, file);
  kind = classify_value (&value, found, &texture);
  g_assert_null (texture);
  return kind;
}

static TsDropKind
classify_list (GFile  **files,
               gsize    n_files,
               GFile  **found)
{
  GValue value = G_VALUE_INIT;
  g_autoptr(GdkTexture) texture = NULL;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array (files, n_files));
  return classify_value (&value, found, &texture);
}

static void
test_file (void)
{
  g_autofree char *dir = ts_test_make_temp_dir ();
  g_autoptr(GFile) png = write_png (dir, "cover.png");
  g_autoptr(GFile) upper = write_png (dir, "COVER.JPG");
  g_autoptr(GFile) nameless = write_png (dir, "cover-without-extension");
  g_autoptr(GFile) webp = copy_fixture (dir, "lossy.webp");
  g_autoptr(GFile) csv = write_file (dir, "data.csv", "valence,year\n0.5,2000\n", 22);
  g_autoptr(GFile) text = write_file (dir, "text.jpg", "not an image", 12);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/photo.jpeg");
  struct { GFile *file; TsDropKind kind; } cases[] = {
    { png, TS_DROP_IMAGE },
    { upper, TS_DROP_IMAGE },        /* the name decides, in any case */
    { nameless, TS_DROP_IMAGE },     /* no extension: the bytes decide */
    { webp, TS_DROP_IMAGE },         /* whatever gdk-pixbuf's loaders */
    { csv, TS_DROP_DATASET },
    { text, TS_DROP_IMAGE },         /* named as an image: its decoder says what is wrong */
    { missing, TS_DROP_IMAGE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GFile) found = NULL;
      g_autofree char *name = g_file_get_basename (cases[i].file);

      g_test_message ("%s", name);
      g_assert_cmpint (classify_file (cases[i].file, &found), ==, cases[i].kind);
      g_assert_true (found == cases[i].file);
    }
}

static void
test_file_list (void)
{
  g_autofree char *dir = ts_test_make_temp_dir ();
  g_autoptr(GFile) png = write_png (dir, "cover.png");
  g_autoptr(GFile) csv = write_file (dir, "data.csv", "valence,year\n0.5,2000\n", 22);
  GFile *image_first[] = { png, csv };
  GFile *csv_first[] = { csv, png };
  g_autoptr(GFile) found = NULL;

  /* The first file decides, as a file manager orders a selection. */
  g_assert_cmpint (classify_list (image_first, 2, &found), ==, TS_DROP_IMAGE);
  g_assert_true (found == png);
  g_clear_object (&found);
  g_assert_cmpint (classify_list (csv_first, 2, &found), ==, TS_DROP_DATASET);
  g_assert_true (found == csv);
  g_clear_object (&found);
  g_assert_cmpint (classify_list (NULL, 0, &found), ==, TS_DROP_NOTHING);
  g_assert_null (found);
}

static void
test_texture (void)
{
  GValue value = G_VALUE_INIT;
  g_autoptr(GdkTexture) texture = solid_texture (4, 4, 1, 2, 3);
  g_autoptr(GdkTexture) found = NULL;
  g_autoptr(GFile) file = NULL;
  const GType *types;
  guint n_types;

  g_value_init (&value, GDK_TYPE_TEXTURE);
  g_value_set_object (&value, texture);
  g_assert_cmpint (classify_value (&value, &file, &found), ==, TS_DROP_IMAGE);
  g_assert_true (found == texture);
  g_assert_null (file);

  /* An unexpected type brings nothing. */
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, "file:///tmp/cover.png");
  g_clear_object (&found);
  g_assert_cmpint (classify_value (&value, &file, &found), ==, TS_DROP_NOTHING);

  /* Files before textures: a file keeps its name for messages. */
  types = ts_drop_get_types (&n_types);
  g_assert_cmpuint (n_types, ==, 3);
  g_assert_true (types[0] == GDK_TYPE_FILE_LIST);
  g_assert_true (types[2] == GDK_TYPE_TEXTURE);
}

/* ---- what the Image page makes of a drop ------------------------------- */

typedef struct
{
  char      *dir;
  char      *cnn_path;
  TsDataset *dataset;
  TsSimilar *similar;
} Fixture;

/* A CNN trained for one epoch on random images: enough to predict. */
static void
train_tiny_cnn (const char *path)
{
  TsCnnOptions options;
  g_autoptr(TsCnn) cnn = NULL;
  g_autoptr(GError) error = NULL;
  const int n = 4;
  g_autofree float *images = g_new (float, (gsize) n * 3 * CNN_SIZE * CNN_SIZE);
  g_autofree float *targets = g_new (float, (gsize) n * TS_N_FEATURES);
  GRand *rand = g_rand_new_with_seed (7);

  for (gsize i = 0; i < (gsize) n * 3 * CNN_SIZE * CNN_SIZE; i++)
    images[i] = (float) g_rand_double_range (rand, -1, 1);
  for (gsize i = 0; i < (gsize) n * TS_N_FEATURES; i++)
    targets[i] = (float) g_rand_double (rand);
  g_rand_free (rand);
  ts_cnn_options_init_for (&options, TS_CNN_BACKBONE_NONE);
  options.image_size = CNN_SIZE;
  options.blocks = 1;
  options.filters = 2;
  options.dense = 4;
  options.epochs = 1;
  options.batch_size = 2;
  options.val_split = 0;
  options.augment = 0;
  cnn = ts_cnn_train (images, targets, n, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ts_cnn_save (cnn, path, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (g_getenv ("TS_SOURCE_ROOT"), "tests", "app",
                                           "tracks.csv", NULL);
  g_autoptr(GError) error = NULL;

  f->dir = ts_test_make_temp_dir ();
  f->cnn_path = g_build_filename (f->dir, "cnn.safetensors", NULL);
  train_tiny_cnn (f->cnn_path);
  f->dataset = ts_dataset_load (csv, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  f->similar = ts_similar_new (f->dataset, NULL, TS_METRIC_COSINE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->similar, ts_similar_unref);
  g_clear_object (&f->dataset);
  g_free (f->cnn_path);
  g_free (f->dir);
}

static TsImageMatch *
run (Fixture     *f,
     GFile       *file,
     GdkTexture  *texture,
     const char  *cnn_path,
     GError     **error)
{
  return ts_image_match_run (file, texture, "the pasted image",
                             cnn_path != NULL ? cnn_path : f->cnn_path,
                             f->dataset, f->similar, 3, NULL, error);
}

static void
assert_match (TsImageMatch *match,
              const char   *name)
{
  g_assert_nonnull (match);
  g_assert_cmpstr (match->name, ==, name);
  g_assert_true (GDK_IS_TEXTURE (match->picture));
  for (int i = 0; i < TS_N_FEATURES; i++)
    {
      g_assert_cmpfloat (match->prediction.profile[i], >=, 0);
      g_assert_cmpfloat (match->prediction.profile[i], <=, 1);
    }
  /* The songs of tracks.csv that are not duplicates of each other. */
  g_assert_cmpuint (match->results->len, ==, 3);
}

static void
test_match_file (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GFile) png = write_png (f->dir, "cover.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsImageMatch) match = run (f, png, NULL, NULL, &error);
  g_autoptr(TsCnn) cnn = ts_cnn_load (f->cnn_path, &error);
  g_autofree char *path = g_file_get_path (png);
  float profile[TS_N_FEATURES];

  g_assert_no_error (error);
  assert_match (match, "cover.png");
  g_assert_cmpint (gdk_texture_get_width (match->picture), ==, 12);
  /* The same prediction as the CLI's, which decodes the file itself. */
  g_assert_true (ts_cnn_predict_file (cnn, path, profile, &error));
  for (int i = 0; i < TS_N_FEATURES; i++)
    g_assert_cmpfloat_with_epsilon (profile[i], match->prediction.profile[i], 1e-6);
}

/* WebP, as browsers serve it: shown and matched with no gdk-pixbuf loader. */
static void
test_match_webp (Fixture       *f,
                 gconstpointer  data)
{
  struct { const char *name; int width; } cases[] = {
    { "lossy.webp", 32 },
    { "lossless.webp", 20 },
    { "animated.webp", 24 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GFile) file = copy_fixture (f->dir, cases[i].name);
      g_autoptr(GError) error = NULL;
      g_autoptr(TsImageMatch) match = run (f, file, NULL, NULL, &error);

      g_assert_no_error (error);
      assert_match (match, cases[i].name);
      g_assert_cmpint (gdk_texture_get_width (match->picture), ==, cases[i].width);
    }
}

static void
test_match_texture (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GdkTexture) texture = solid_texture (30, 20, 10, 200, 30);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsImageMatch) match = run (f, NULL, texture, NULL, &error);

  g_assert_no_error (error);
  assert_match (match, "the pasted image");
  g_assert_cmpint (gdk_texture_get_width (match->picture), ==, 30);
  g_assert_cmpint (gdk_texture_get_height (match->picture), ==, 20);
}

static guint32
crc32_of (const guint8 *data,
          gsize         length)
{
  guint32 crc = 0xffffffff;

  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = crc & 1 ? (crc >> 1) ^ 0xedb88320 : crc >> 1;
    }
  return crc ^ 0xffffffff;
}

/* A real PNG whose header claims 100000 × 100000 pixels (with a valid
 * CRC, so that only the size check can stop it). */
static GBytes *
png_bomb (void)
{
  g_autoptr(GdkTexture) texture = solid_texture (4, 4, 0, 0, 0);
  g_autoptr(GBytes) png = gdk_texture_save_to_png_bytes (texture);
  gsize length;
  guint8 *data = g_memdup2 (g_bytes_get_data (png, &length), g_bytes_get_size (png));
  const guint32 side = GUINT32_TO_BE (100000);
  guint32 crc;

  /* Signature (8), IHDR length (4), "IHDR" (4), width, height, … CRC at 29. */
  g_assert_cmpmem (data + 12, 4, "IHDR", 4);
  memcpy (data + 16, &side, 4);
  memcpy (data + 20, &side, 4);
  crc = GUINT32_TO_BE (crc32_of (data + 12, 17));
  memcpy (data + 29, &crc, 4);
  return g_bytes_new_take (data, length);
}

/* Each bad image is an error that names the file by its name and says
 * why; no model is NOT_FOUND, after the image itself was checked. */
static void
test_match_bad (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) bomb = png_bomb ();
  g_autoptr(GBytes) truncated_webp = read_fixture ("truncated.webp");
  g_autoptr(GBytes) bomb_webp = read_fixture ("bomb.webp");
  struct { const char *name; const char *contents; gsize length; const char *why; } cases[] = {
    { "text.jpg", "not an image", 12, "not an image" },
    { "empty.png", "", 0, "empty" },
    { "truncated.jpg", "\xff\xd8\xff\xe0\x00\x10JFIF", 10, "no pixels" },
    { "bomb.png", g_bytes_get_data (bomb, NULL), g_bytes_get_size (bomb), "too large" },
    { "truncated.webp", g_bytes_get_data (truncated_webp, NULL),
      g_bytes_get_size (truncated_webp), "truncated" },
    { "bomb.webp", g_bytes_get_data (bomb_webp, NULL), g_bytes_get_size (bomb_webp),
      "too large" },
  };
  g_autoptr(GFile) png = write_png (f->dir, "fine.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsImageMatch) match = NULL;
  g_autofree char *no_model = g_build_filename (f->dir, "none.safetensors", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GFile) file = write_file (f->dir, cases[i].name, cases[i].contents,
                                          cases[i].length);

      match = run (f, file, NULL, NULL, &error);
      g_test_message ("%s: %s", cases[i].name, error != NULL ? error->message : "no error");
      g_assert_null (match);
      g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, cases[i].name));
      g_assert_null (strstr (error->message, f->dir));
      g_assert_nonnull (strstr (error->message, cases[i].why));
      g_clear_error (&error);
    }

  match = run (f, png, NULL, no_model, &error);
  g_assert_null (match);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Ts/Drop/file", test_file);
  g_test_add_func ("/Ts/Drop/file-list", test_file_list);
  g_test_add_func ("/Ts/Drop/texture", test_texture);
  g_test_add ("/Ts/Drop/match-file", Fixture, NULL, fixture_set_up, test_match_file,
              fixture_tear_down);
  g_test_add ("/Ts/Drop/match-webp", Fixture, NULL, fixture_set_up, test_match_webp,
              fixture_tear_down);
  g_test_add ("/Ts/Drop/match-texture", Fixture, NULL, fixture_set_up, test_match_texture,
              fixture_tear_down);
  g_test_add ("/Ts/Drop/match-bad", Fixture, NULL, fixture_set_up, test_match_bad,
              fixture_tear_down);
  return g_test_run ();
}
