/* test-cnn.c: the cover-art CNN on covers whose colour encodes features
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gstdio.h>
#include <turbojpeg.h>

#include "tunescope-core.h"
#include "ts-test-util.h"

#define N_COVERS 96
#define SIDE     24

/* A SIDE × SIDE JPEG of one colour with a little seeded noise. */
static char *
write_cover (const char *dir,
             int         index,
             guint8      r,
             guint8      g,
             guint8      b,
             TsNnRng    *rng)
{
  guint8 pixels[SIDE * SIDE * 3];
  unsigned char *jpeg = NULL;
  unsigned long size = 0;
  tjhandle handle = tjInitCompress ();
  g_autofree char *name = g_strdup_printf ("cover-%02d.jpg", index);
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < SIDE * SIDE; i++)
    {
      int noise = (int) ts_nn_rng_below (rng, 9) - 4;

      pixels[i * 3 + 0] = (guint8) CLAMP (r + noise, 0, 255);
      pixels[i * 3 + 1] = (guint8) CLAMP (g + noise, 0, 255);
      pixels[i * 3 + 2] = (guint8) CLAMP (b + noise, 0, 255);
    }
  g_assert_nonnull (handle);
  g_assert_cmpint (tjCompress2 (handle, pixels, SIDE, 0, SIDE, TJPF_RGB, &jpeg, &size,
                                TJSAMP_444, 95, 0), ==, 0);
  g_file_set_contents (path, (const char *) jpeg, (gssize) size, &error);
  g_assert_no_error (error);
  tjFree (jpeg);
  tjDestroy (handle);
  return path;
}

/* Red ↔ energy, blue ↔ acousticness, green ↔ valence; every other
 * feature is noise the picture says nothing about. */
static void
make_covers (const char *dir,
             float      *images,
             float      *targets,
             int         size)
{
  TsNnRng rng;

  ts_nn_rng_init (&rng, 7);
  for (int i = 0; i < N_COVERS; i++)
    {
      float *t = targets + (gsize) i * TS_N_FEATURES;
      g_autofree char *path = NULL;
      g_autofree float *chw = NULL;
      g_autoptr(GError) error = NULL;

      for (int f = 0; f < TS_N_FEATURES; f++)
        t[f] = ts_nn_rng_uniform (&rng);
      path = write_cover (dir, i, (guint8) lrintf (t[TS_FEATURE_ENERGY] * 255),
                          (guint8) lrintf (t[TS_FEATURE_VALENCE] * 255),
                          (guint8) lrintf (t[TS_FEATURE_ACOUSTICNESS] * 255), &rng);
      chw = ts_cnn_load_image (path, size, &error);
      g_assert_no_error (error);
      memcpy (images + (gsize) i * 3 * size * size, chw, sizeof (float) * 3 * size * size);
    }
}

static void
small_options (TsCnnOptions *options)
{
  ts_cnn_options_init_for (options, TS_CNN_BACKBONE_NONE);
  options->image_size = 16;
  options->blocks = 2;
  options->filters = 8;
  options->dense = 32;
  options->dropout = 0.1f;
  options->epochs = 60;
  options->batch_size = 8;
  options->lr = 3e-3f;
  options->val_split = 0.25f;
  options->augment = 1;
  options->patience = 0;
  options->n_threads = 1;
}

static void
test_cnn_learns_colours (void)
{
  g_autofree char *dir = ts_test_make_temp_dir ();
  g_autofree char *model_path = g_build_filename (dir, "models", "cnn.safetensors", NULL);
  g_autofree char *cover = NULL;
  TsCnnOptions options;
  g_autofree float *images = NULL;
  float targets[N_COVERS * TS_N_FEATURES];
  float before[TS_N_FEATURES], after[TS_N_FEATURES];
  g_autoptr(TsCnn) cnn = NULL;
  g_autoptr(TsCnn) loaded = NULL;
  g_autoptr(GError) error = NULL;
  const TsCnnReport *report;
  const TsFeature coded[] = { TS_FEATURE_ENERGY, TS_FEATURE_VALENCE, TS_FEATURE_ACOUSTICNESS };

  small_options (&options);
  images = g_new (float, (gsize) N_COVERS * 3 * options.image_size * options.image_size);
  make_covers (dir, images, targets, options.image_size);

  cnn = ts_cnn_train (images, targets, N_COVERS, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  report = ts_cnn_get_report (cnn);
  g_assert_cmpint (report->n_val, ==, 24);
  g_assert_cmpint (report->epochs_run, ==, options.epochs);
  for (guint k = 0; k < G_N_ELEMENTS (coded); k++)
    {
      TsFeature f = coded[k];

      g_test_message ("%s: val %.4f, baseline %.4f", ts_feature_get_name (f),
                      report->val_feature_mse[f], report->baseline_feature_mse[f]);
      /* Learnt: well under half the mean prediction's error. */
      g_assert_cmpfloat (report->val_feature_mse[f], <, 0.5 * report->baseline_feature_mse[f]);
    }
  g_assert_true (isfinite (report->val_mse) && isfinite (report->baseline_mse));

  /* Save, load, the same predictions and figures. */
  g_assert_true (ts_cnn_save (cnn, model_path, &error));
  g_assert_no_error (error);
  loaded = ts_cnn_load (model_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ts_cnn_get_image_size (loaded), ==, 16);
  g_assert_cmpfloat_with_epsilon (ts_cnn_get_report (loaded)->val_feature_mse[TS_FEATURE_ENERGY],
                                  report->val_feature_mse[TS_FEATURE_ENERGY], 1e-6);
  cover = g_build_filename (dir, "cover-03.jpg", NULL);
  g_assert_true (ts_cnn_predict_file (cnn, cover, before, &error));
  g_assert_true (ts_cnn_predict_file (loaded, cover, after, &error));
  g_assert_no_error (error);
  for (int f = 0; f < TS_N_FEATURES; f++)
    {
      g_assert_true (isfinite (before[f]) && before[f] >= 0.0f && before[f] <= 1.0f);
      g_assert_cmpfloat (before[f], ==, after[f]);
    }
}

/* Half the targets are noise: the validation loss soon stops improving,
 * and training stops @patience epochs after its best, keeping that epoch. */
static void
test_cnn_early_stopping (void)
{
  g_autofree char *dir = ts_test_make_temp_dir ();
  g_autofree float *images = NULL;
  float targets[N_COVERS * TS_N_FEATURES];
  g_autoptr(TsCnn) cnn = NULL;
  g_autoptr(GError) error = NULL;
  const TsCnnReport *report;
  TsCnnOptions options;

  small_options (&options);
  options.patience = 2;
  options.epochs = 200;
  images = g_new (float, (gsize) N_COVERS * 3 * options.image_size * options.image_size);
  make_covers (dir, images, targets, options.image_size);
  cnn = ts_cnn_train (images, targets, N_COVERS, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  report = ts_cnn_get_report (cnn);
  g_assert_cmpint (report->epochs_run, <, options.epochs);
  g_assert_cmpint (report->best_epoch, >=, 1);
  g_assert_cmpint (report->best_epoch, ==, report->epochs_run - options.patience);
  g_assert_cmpfloat (report->val_mse, <, report->baseline_mse);
}

static void
test_cnn_bad_images (void)
{
  g_autoptr(GError) error = NULL;
  /* A PNG header claiming 100000 × 100000 pixels. */
  static const guint8 bomb[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
    0x00, 0x01, 0x86, 0xa0, 0x00, 0x01, 0x86, 0xa0, 8, 2, 0, 0, 0, 0x27, 0x30, 0x9c, 0x9f,
  };
  static const guint8 truncated_jpeg[] = { 0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F' };
  struct { const char *name; const char *data; gssize length; } cases[] = {
    { "text.jpg", "not an image at all", -1 },
    { "empty.jpg", "", 0 },
    { "truncated.jpg", (const char *) truncated_jpeg, sizeof truncated_jpeg },
    { "bomb.png", (const char *) bomb, sizeof bomb },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *path = ts_test_write_temp (cases[k].name, cases[k].data, cases[k].length);
      g_autofree float *chw = ts_cnn_load_image (path, 16, &error);

      g_assert_null (chw);
      g_assert_nonnull (error);
      g_test_message ("%s: %s", cases[k].name, error->message);
      g_clear_error (&error);
    }
}

static void
test_cnn_options (void)
{
  TsCnnOptions options;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsNnModel) network = NULL;

  ts_cnn_options_init_for (&options, TS_CNN_BACKBONE_NONE);
  network = ts_cnn_build_network (&options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ts_nn_model_get_input_size (network), ==, 3 * 64 * 64);
  g_assert_cmpint (ts_nn_model_get_output_size (network), ==, TS_N_FEATURES);

  options.image_size = 4;
  g_assert_false (ts_cnn_options_check (&options, &error));
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "--image-size"));
}

static void
test_cnn_augment_deterministic (void)
{
  float a[3 * 16 * 16], b[3 * 16 * 16];
  TsNnRng r1, r2;

  for (int i = 0; i < 3 * 16 * 16; i++)
    a[i] = b[i] = (float) ((i * 37) % 200) / 100.0f - 1.0f;
  ts_nn_rng_init (&r1, 3);
  ts_nn_rng_init (&r2, 3);
  ts_cnn_augment (a, 16, &r1);
  ts_cnn_augment (b, 16, &r2);
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
  for (int i = 0; i < 3 * 16 * 16; i++)
    g_assert_true (a[i] >= -1.0f && a[i] <= 1.0f);
}

/* The real covers decode, go through a (barely trained) network at the
 * default size and give finite 13-vectors in [0, 1]. */
static void
test_cnn_real_covers (void)
{
  g_autofree char *dir = ts_test_shared_path ("data/spotify/extras/cover-art-sabinabains/"
                                              "album_art_resized");
  g_autoptr(GDir) handle = NULL;
  g_autoptr(TsCnn) cnn = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *images = NULL;
  float targets[2 * TS_N_FEATURES] = { 0 };
  TsCnnOptions options;
  const char *name;
  int n = 0;
  gint64 start, elapsed = 0;

  if (dir == NULL)
    return;
  ts_cnn_options_init_for (&options, TS_CNN_BACKBONE_NONE);
  options.epochs = 1;
  options.val_split = 0.0f;
  options.augment = 0;
  options.n_threads = 1;
  images = g_new0 (float, (gsize) 2 * 3 * 64 * 64);
  for (int f = 0; f < TS_N_FEATURES; f++)
    targets[TS_N_FEATURES + f] = 1.0f;
  cnn = ts_cnn_train (images, targets, 2, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  handle = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (handle)) != NULL && n < 40)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      float out[TS_N_FEATURES];

      if (!g_str_has_suffix (name, ".jpg"))
        continue;
      start = g_get_monotonic_time ();
      g_assert_true (ts_cnn_predict_file (cnn, path, out, &error));
      elapsed += g_get_monotonic_time () - start;
      g_assert_no_error (error);
      for (int f = 0; f < TS_N_FEATURES; f++)
        g_assert_true (isfinite (out[f]) && out[f] >= 0.0f && out[f] <= 1.0f);
      n++;
    }
  g_assert_cmpint (n, >, 0);
  g_test_message ("%d real covers, %.2f ms each (decode, resize, network)", n,
                  elapsed / 1000.0 / n);
}

static void
test_cover_manifest (void)
{
  g_autofree char *dir = ts_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "covers", "manifest.json", NULL);
  g_autofree char *broken = ts_test_write_temp ("broken.json", "{\"version\": 1, \"entries\": "
                                                "[{\"file\": \"a.jpg\"}]}", -1);
  g_autoptr(TsCoverManifest) manifest = ts_cover_manifest_new ();
  g_autoptr(TsCoverManifest) loaded = NULL;
  g_autoptr(TsCoverManifest) empty = NULL;
  g_autoptr(TsCoverManifest) bad = NULL;
  g_autoptr(GError) error = NULL;
  TsCoverEntry entry = { (char *) "/covers/a.jpg", (char *) "folder", (char *) "id1", { 0 } };

  for (int f = 0; f < TS_N_FEATURES; f++)
    entry.features[f] = f / 13.0f;
  ts_cover_manifest_add (manifest, &entry);
  ts_cover_manifest_add (manifest, &entry);
  g_assert_cmpuint (ts_cover_manifest_get_n_entries (manifest), ==, 1);
  ts_cover_manifest_set_tried (manifest, "musicbrainz", "id1", TS_COVER_TRY_FOUND, "release x");
  ts_cover_manifest_set_tried (manifest, "musicbrainz", "id2", TS_COVER_TRY_FAILED, "bad JSON");
  ts_cover_manifest_set_tried (manifest, "musicbrainz", "id2", TS_COVER_TRY_NOT_FOUND, NULL);
  g_assert_true (ts_cover_manifest_save (manifest, path, &error));
  g_assert_no_error (error);

  loaded = ts_cover_manifest_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ts_cover_manifest_get_n_entries (loaded), ==, 1);
  g_assert_true (ts_cover_manifest_has_file (loaded, "/covers/a.jpg"));
  g_assert_cmpstr (ts_cover_manifest_get_entry (loaded, 0)->id, ==, "id1");
  g_assert_cmpfloat (ts_cover_manifest_get_entry (loaded, 0)->features[5], ==, entry.features[5]);
  {
    TsCoverTry status = TS_COVER_TRY_FAILED;
    const char *reason = NULL;

    g_assert_true (ts_cover_manifest_get_tried (loaded, "musicbrainz", "id1", &status, &reason));
    g_assert_cmpint (status, ==, TS_COVER_TRY_FOUND);
    g_assert_cmpstr (reason, ==, "release x");
    g_assert_true (ts_cover_manifest_get_tried (loaded, "musicbrainz", "id2", &status, &reason));
    g_assert_cmpint (status, ==, TS_COVER_TRY_NOT_FOUND);
    g_assert_null (reason);
    g_assert_false (ts_cover_manifest_get_tried (loaded, "folder", "id1", NULL, NULL));
    g_assert_cmpuint (ts_cover_manifest_count_tried (loaded, "musicbrainz", TS_COVER_TRY_FOUND),
                      ==, 1);
  }

  empty = ts_cover_manifest_load ("/nonexistent/manifest.json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ts_cover_manifest_get_n_entries (empty), ==, 0);

  bad = ts_cover_manifest_load (broken, &error);
  g_assert_null (bad);
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cnn/options", test_cnn_options);
  g_test_add_func ("/cnn/augment-deterministic", test_cnn_augment_deterministic);
  g_test_add_func ("/cnn/bad-images", test_cnn_bad_images);
  g_test_add_func ("/cnn/learns-colours", test_cnn_learns_colours);
  g_test_add_func ("/cnn/early-stopping", test_cnn_early_stopping);
  g_test_add_func ("/cnn/real-covers", test_cnn_real_covers);
  g_test_add_func ("/cnn/cover-manifest", test_cover_manifest);
  return g_test_run ();
}
