/* test-nn-backbone.c: the converted MobileNetV2 against its source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reference (tests/fixtures/nn/reference-mobilenet.safetensors) comes
 * from build-aux/mobilenet/convert-mobilenet.py's own forward pass: numpy
 * walking the *source* Keras graph, BatchNorm unfolded, NHWC. The engine
 * runs the converted file (BatchNorm folded, NCHW, BLAS). Inputs: a
 * synthetic pattern both sides compute, and two real covers from
 * ../shared, each cropped to its centre 224 x 224 without resampling so
 * that both sides decode the same pixels (checked by their sha256).
 */

#include "config.h"

#define G_LOG_DOMAIN "Tunescope-test"

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "tunescope-core.h"
#include "ts-test-util.h"

/* max |ours - reference| / max (1, max |reference|). The weights are the
 * same bytes dequantised the same way, so what differs is float rounding:
 * folding BatchNorm into the weights (one rounding per weight), and sums
 * in another order (BLAS blocks against numpy's einsum) through 40-odd
 * layers whose outputs reach the tens. Measured: ~1e-6 to 1e-5. */
#define INNER_TOL  1e-4
/* The class probabilities after softmax, absolute. */
#define CLASS_TOL  1e-4

#define COVERS_DIR "data/spotify/extras/cover-art-sabinabains/album_art_256"

static TsNnBackbone *
load_backbone (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("TS_SOURCE_ROOT"), "data", "models",
                                            "mobilenetv2.safetensors", NULL);
  g_autoptr(GError) error = NULL;
  TsNnBackbone *backbone = ts_nn_backbone_load (path, &error);

  g_assert_no_error (error);
  return backbone;
}

static TsNnTensorFile *
load_reference (void)
{
  g_autofree char *path = ts_test_fixture_path ("nn/reference-mobilenet.safetensors");
  g_autoptr(GError) error = NULL;
  TsNnTensorFile *file = ts_nn_tensor_file_read (path, &error);

  g_assert_no_error (error);
  return file;
}

/* The converter's synthetic_image (): ((7c + 3y + 5x) mod 17) / 16. */
static float *
synthetic_image (int size)
{
  float *chw = g_new (float, (gsize) 3 * size * size);

  for (int c = 0; c < 3; c++)
    for (int y = 0; y < size; y++)
      for (int x = 0; x < size; x++)
        chw[((gsize) c * size + y) * size + x] = (float) ((c * 7 + y * 3 + x * 5) % 17) / 16.0f;
  return chw;
}

/* The centre size x size pixels of a cover / 255, CHW; NULL (skipped) when
 * ../shared is missing. Asserts the pixels are the reference's. */
static float *
cover_image (const char *name,
             const char *pixels_sha256,
             int         size)
{
  g_autofree char *relative = g_build_filename (COVERS_DIR, name, NULL);
  g_autofree char *path = ts_test_shared_path (relative);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsImage) image = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  const guint8 *px;
  float *chw;
  int top, left, bpp;

  if (path == NULL)
    return NULL;
  image = ts_image_load_file (path, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ts_image_get_width (image), >=, size);
  px = g_bytes_get_data (ts_image_get_pixels (image), NULL);
  bpp = ts_image_get_has_alpha (image) ? 4 : 3;
  top = ((int) ts_image_get_height (image) - size) / 2;
  left = ((int) ts_image_get_width (image) - size) / 2;
  chw = g_new (float, (gsize) 3 * size * size);
  for (int y = 0; y < size; y++)
    {
      const guint8 *row = px + (gsize) (top + y) * ts_image_get_stride (image) + left * bpp;

      for (int x = 0; x < size; x++)
        {
          g_checksum_update (checksum, row + x * bpp, 3);
          for (int c = 0; c < 3; c++)
            chw[((gsize) c * size + y) * size + x] = row[x * bpp + c] / 255.0f;
        }
    }
  g_assert_cmpstr (g_checksum_get_string (checksum), ==, pixels_sha256);
  return chw;
}

static double
compare (const char  *what,
         const float *ours,
         const float *ref,
         gsize        n,
         gboolean     absolute,
         double       tolerance)
{
  double worst = 0.0, scale = 1.0;

  for (gsize i = 0; !absolute && i < n; i++)
    scale = MAX (scale, fabs (ref[i]));
  for (gsize i = 0; i < n; i++)
    worst = MAX (worst, fabs ((double) ours[i] - ref[i]) / scale);
  g_test_message ("%-42s max difference %.3g (tolerance %.0e)", what, worst, tolerance);
  if (!(worst <= tolerance))
    g_test_fail_printf ("%s differs from the source by %.3g > %.0e", what, worst, tolerance);
  return worst;
}

/* Runs input @index of the reference and compares every tap. */
static void
check_input (TsNnBackbone   *backbone,
             TsNnTensorFile *reference,
             int             index,
             const float    *image)
{
  g_autoptr(JsonNode) taps_json = json_from_string (
      g_hash_table_lookup (ts_nn_tensor_file_get_metadata (reference), "taps"), NULL);
  JsonArray *names = json_node_get_array (taps_json);
  int n_taps = (int) json_array_get_length (names);
  g_autofree int *taps = g_new (int, n_taps);
  g_autofree float **outs = g_new0 (float *, n_taps);

  for (int t = 0; t < n_taps; t++)
    {
      taps[t] = ts_nn_backbone_find_op (backbone, json_array_get_string_element (names, t));
      g_assert_cmpint (taps[t], >=, 0);
      outs[t] = g_new (float, ts_nn_backbone_get_op_shape (backbone, taps[t], NULL, NULL, NULL));
    }
  ts_nn_backbone_forward (backbone, image, n_taps, taps, outs);
  for (int t = 0; t < n_taps; t++)
    {
      const char *name = json_array_get_string_element (names, t);
      g_autofree char *key = g_strdup_printf ("%d.%s", index, name);
      const TsNnTensor *ref = ts_nn_tensor_file_get (reference, key);
      gboolean classes = t == n_taps - 1;

      g_assert_nonnull (ref);
      g_assert_cmpuint (ref->size, ==,
                        ts_nn_backbone_get_op_shape (backbone, taps[t], NULL, NULL, NULL));
      compare (key, outs[t], ref->data, ref->size, classes, classes ? CLASS_TOL : INNER_TOL);
      g_free (outs[t]);
    }
}

static void
test_synthetic (void)
{
  g_autoptr(TsNnBackbone) backbone = load_backbone ();
  g_autoptr(TsNnTensorFile) reference = load_reference ();
  int c, h, w;
  g_autofree float *image = NULL;

  ts_nn_backbone_get_input_shape (backbone, &c, &h, &w);
  g_assert_cmpint (c, ==, 3);
  g_assert_cmpint (h, ==, 224);
  g_assert_cmpint (w, ==, 224);
  image = synthetic_image (h);
  check_input (backbone, reference, 0, image);
}

static void
test_real_covers (void)
{
  g_autoptr(TsNnBackbone) backbone = load_backbone ();
  g_autoptr(TsNnTensorFile) reference = load_reference ();
  g_autoptr(JsonNode) images = json_from_string (
      g_hash_table_lookup (ts_nn_tensor_file_get_metadata (reference), "images"), NULL);
  JsonArray *list = json_node_get_array (images);

  for (guint i = 1; i < json_array_get_length (list); i++)
    {
      JsonObject *entry = json_array_get_object_element (list, i);
      g_autofree float *image = cover_image (json_object_get_string_member (entry, "image"),
                                             json_object_get_string_member (entry,
                                                                            "pixels_sha256"),
                                             224);

      if (image == NULL)
        return;
      check_input (backbone, reference, (int) i, image);
    }
}

/* The same bytes on one thread and on two: the pieces are fixed by the
 * sizes (ts-nn-backbone.c), so the thread count changes no answer. */
static void
test_threads (void)
{
  g_autoptr(TsNnBackbone) backbone = load_backbone ();
  int last = ts_nn_backbone_get_n_ops (backbone) - 1;
  int feature = ts_nn_backbone_find_op (backbone, "block_10_project_BN");
  int taps[2] = { feature, last };
  gsize n_feature = ts_nn_backbone_get_op_shape (backbone, feature, NULL, NULL, NULL);
  g_autofree float *image = synthetic_image (224);
  g_autofree float *f1 = g_new (float, n_feature), *f2 = g_new (float, n_feature);
  float c1[5], c2[5];

  g_assert_cmpint (feature, >=, 0);
  g_assert_cmpint (ts_nn_backbone_get_op_shape (backbone, last, NULL, NULL, NULL), ==, 5);
  ts_nn_set_num_threads (1);
  ts_nn_backbone_forward (backbone, image, 2, taps, (float *[]) { f1, c1 });
  ts_nn_set_num_threads (2);
  ts_nn_backbone_forward (backbone, image, 2, taps, (float *[]) { f2, c2 });
  ts_nn_set_num_threads (1);
  g_assert_cmpmem (f1, n_feature * sizeof (float), f2, n_feature * sizeof (float));
  g_assert_cmpmem (c1, sizeof c1, c2, sizeof c2);
}

static void
test_metadata (void)
{
  g_autoptr(TsNnBackbone) backbone = load_backbone ();

  g_assert_cmpstr (ts_nn_backbone_get_metadata (backbone, "feature_layer"), ==,
                   "block_10_project_BN");
  g_assert_true (g_str_has_prefix (ts_nn_backbone_get_metadata (backbone, "licence"), "MIT"));
  g_assert_cmpstr (ts_nn_backbone_get_metadata (backbone, "source_sha256"), ==,
                   "585cd178f3b994337c4d10a87b080d342fc52f8b9bf0085c4d1f345a3a1c5382");
  /* MobileNetV2 1.0 at 224: about 300 M multiply-adds in all. */
  g_assert_cmpfloat (ts_nn_backbone_count_macs (backbone, ts_nn_backbone_get_n_ops (backbone) - 1),
                     >, 280e6);
  g_assert_cmpfloat (ts_nn_backbone_count_macs (backbone, ts_nn_backbone_get_n_ops (backbone) - 1),
                     <, 330e6);
}

/* Writes a one-tensor file with @architecture and returns its path. */
static char *
write_network (const char *format,
               const char *architecture,
               const char *tensor_name,
               int         n_values)
{
  g_autofree char *dir = ts_test_make_temp_dir ();
  char *path = g_build_filename (dir, "bad.safetensors", NULL);
  g_autoptr(GHashTable) metadata = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree float *data = g_new0 (float, n_values);
  TsNnTensor tensor = { (char *) tensor_name, 1, { n_values }, n_values, data };

  if (format != NULL)
    g_hash_table_insert (metadata, (char *) "format", (char *) format);
  if (architecture != NULL)
    g_hash_table_insert (metadata, (char *) "architecture", (char *) architecture);
  g_assert_true (ts_nn_tensors_write (path, &tensor, 1, metadata, NULL));
  return path;
}

static void
test_bad_files (void)
{
  static const struct { const char *format, *architecture, *why; } cases[] = {
    { NULL, "{}", "format" },
    { "tunescope-backbone-1", NULL, "architecture" },
    { "tunescope-backbone-1", "{\"input\":[3,8,8],\"ops\":[]}", "input shape or ops" },
    { "tunescope-backbone-1",
      "{\"input\":[3,8,8],\"ops\":[{\"type\":\"spin\",\"name\":\"a\",\"input\":\"input\"}]}",
      "unknown type" },
    { "tunescope-backbone-1",
      "{\"input\":[3,8,8],\"ops\":[{\"type\":\"global_average_pool\",\"name\":\"a\","
      "\"input\":\"b\"}]}", "no earlier op" },
    { "tunescope-backbone-1",
      "{\"input\":[3,8,8],\"ops\":[{\"type\":\"conv\",\"name\":\"a\",\"input\":\"input\","
      "\"size\":3,\"stride\":1,\"pad\":[1,1,1,1],\"filters\":4,\"kernel\":\"k\","
      "\"batchnorm\":\"bn\"}]}", "wrong shape" },
    { "tunescope-backbone-1",
      "{\"input\":[3,8,8],\"ops\":[{\"type\":\"conv\",\"name\":\"a\",\"input\":\"input\","
      "\"size\":3,\"stride\":1,\"pad\":[1,1,9,1],\"filters\":4,\"kernel\":\"k\"}]}", "pad" },
    { "tunescope-backbone-1",
      "{\"input\":[3,8,8],\"ops\":[{\"type\":\"dense\",\"name\":\"a\",\"input\":\"input\","
      "\"units\":2,\"kernel\":\"k\",\"bias\":\"k\",\"activation\":\"tanh\"}]}", "wrong shape" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree char *path = write_network (cases[c].format, cases[c].architecture, "k", 4);
      g_autoptr(GError) error = NULL;
      g_autoptr(TsNnBackbone) backbone = ts_nn_backbone_load (path, &error);

      g_assert_null (backbone);
      g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "bad.safetensors"));
      g_assert_nonnull (strstr (error->message, cases[c].why));
    }
}

/* A U8 tensor needs its quantization; with it, the values are exact. */
static void
test_quantized_tensor (void)
{
  static const char header[] =
    "{\"__metadata__\":{\"quantization\":\"{\\\"q\\\":[\\\"-1.5\\\",\\\"0.25\\\"]}\"},"
    "\"q\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[0,3]}}";
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  guint64 length = GUINT64_TO_LE (sizeof header - 1);
  static const guint8 values[3] = { 0, 6, 255 };
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GBytes) unquantized = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsNnTensorFile) read = NULL;
  const TsNnTensor *q;

  g_byte_array_append (bytes, (const guint8 *) &length, 8);
  g_byte_array_append (bytes, (const guint8 *) header, sizeof header - 1);
  g_byte_array_append (bytes, values, 3);
  file = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
  read = ts_nn_tensor_file_read_bytes (file, "q.safetensors", &error);
  g_assert_no_error (error);
  q = ts_nn_tensor_file_get (read, "q");
  g_assert_cmpfloat (q->data[0], ==, -1.5f);
  g_assert_cmpfloat (q->data[1], ==, 0.0f);
  g_assert_cmpfloat (q->data[2], ==, 62.25f);

  /* the same bytes without the quantization entry */
  {
    static const char bare[] = "{\"q\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[0,3]}}";
    g_autoptr(GByteArray) b = g_byte_array_new ();
    guint64 n = GUINT64_TO_LE (sizeof bare - 1);
    g_autoptr(TsNnTensorFile) none = NULL;

    g_byte_array_append (b, (const guint8 *) &n, 8);
    g_byte_array_append (b, (const guint8 *) bare, sizeof bare - 1);
    g_byte_array_append (b, values, 3);
    unquantized = g_byte_array_free_to_bytes (g_steal_pointer (&b));
    none = ts_nn_tensor_file_read_bytes (unquantized, "q.safetensors", &error);
    g_assert_null (none);
    g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "without a quantization"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ts_nn_set_num_threads (1);

  g_test_add_func ("/Nn/backbone/synthetic", test_synthetic);
  g_test_add_func ("/Nn/backbone/real-covers", test_real_covers);
  g_test_add_func ("/Nn/backbone/threads", test_threads);
  g_test_add_func ("/Nn/backbone/metadata", test_metadata);
  g_test_add_func ("/Nn/backbone/bad-files", test_bad_files);
  g_test_add_func ("/Nn/backbone/quantized-tensor", test_quantized_tensor);

  return g_test_run ();
}
