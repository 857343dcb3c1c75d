/* test-nn-model.c: training, determinism, cancellation and model files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "Tunescope-test"

#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "tunescope-core.h"
#include "ts-test-util.h"

/* y = sum of a few inputs, squashed: learnable by a small MLP */
static void
make_data (float   *x,
           float   *y,
           int      n,
           int      in,
           guint64  seed)
{
  TsNnRng rng;

  ts_nn_rng_init (&rng, seed);
  for (int i = 0; i < n; i++)
    {
      float s = 0.0f;

      for (int c = 0; c < in; c++)
        {
          x[i * in + c] = ts_nn_rng_uniform (&rng);
          s += (c % 2 ? 1.0f : -0.5f) * x[i * in + c];
        }
      y[i] = tanhf (s);
    }
}

static TsNnModel *
small_mlp (guint64 seed)
{
  TsNnModel *model = ts_nn_model_new (6, 1, 1);

  ts_nn_model_add_normalization (model);
  ts_nn_model_add_dense (model, 16);
  ts_nn_model_add_batchnorm (model);
  ts_nn_model_add_activation (model, TS_NN_ACT_RELU);
  ts_nn_model_add_dropout (model, 0.1f);
  ts_nn_model_add_dense (model, 1);
  g_assert_true (ts_nn_model_build (model, seed, NULL));
  return model;
}

static void
count_epochs (const TsNnEpochInfo *info,
              gpointer             user_data)
{
  int *count = user_data;

  g_assert_cmpint (info->epoch, ==, *count + 1);
  g_assert_true (isfinite (info->loss));
  g_assert_true (isfinite (info->val_loss));
  g_assert_cmpfloat (info->samples_per_s, >, 0);
  g_assert_cmpfloat (info->eta_s, >=, 0);
  (*count)++;
}

static void
test_fit_learns_and_is_deterministic (void)
{
  enum { N = 2000 };
  g_autofree float *x = g_new (float, N * 6), *y = g_new (float, N);
  g_autoptr(TsNnModel) a = small_mlp (1), b = small_mlp (1);
  TsNnTrainOptions options;
  TsNnEpochInfo ra, rb;
  int epochs = 0;
  g_autoptr(GError) error = NULL;

  make_data (x, y, N, 6, 5);
  ts_nn_train_options_init (&options);
  options.epochs = 8;
  options.batch_size = 64;
  options.optim.lr = 1e-2f;
  options.patience = 0;
  options.n_threads = 1;
  g_assert_true (ts_nn_model_adapt (a, x, N, NULL));
  g_assert_true (ts_nn_model_adapt (b, x, N, NULL));
  g_assert_true (ts_nn_model_fit (a, x, y, N, &options, count_epochs, &epochs, NULL, &ra,
                                  &error));
  g_assert_no_error (error);
  g_assert_cmpint (epochs, ==, 8);
  g_assert_true (ts_nn_model_fit (b, x, y, N, &options, NULL, NULL, NULL, &rb, &error));
  g_test_message ("train loss %.4g, val loss %.4g", ra.loss, ra.val_loss);
  g_assert_cmpfloat (ra.val_loss, <, 0.02);
  /* same seed, one thread: bit-identical */
  g_assert_cmpfloat (ra.val_loss, ==, rb.val_loss);
  for (guint t = 0; t < ts_nn_model_get_n_tensors (a); t++)
    {
      const TsNnTensorView *va = ts_nn_model_get_tensor (a, t);
      const TsNnTensorView *vb = ts_nn_model_get_tensor (b, t);
      g_assert_cmpmem (va->data, va->size * 4, vb->data, vb->size * 4);
    }
}

static void
stop_after_first (const TsNnEpochInfo *info,
                  gpointer             user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_fit_cancel (void)
{
  enum { N = 500 };
  g_autofree float *x = g_new (float, N * 6), *y = g_new (float, N);
  g_autoptr(TsNnModel) model = small_mlp (1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  TsNnTrainOptions options;

  make_data (x, y, N, 6, 5);
  ts_nn_train_options_init (&options);
  g_assert_false (ts_nn_model_fit (model, x, y, N, &options, stop_after_first, cancellable,
                                   cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_fit_early_stopping (void)
{
  enum { N = 300 };
  g_autofree float *x = g_new (float, N * 6), *y = g_new (float, N);
  g_autoptr(TsNnModel) model = small_mlp (2);
  TsNnTrainOptions options;
  TsNnEpochInfo result;

  /* pure noise targets: validation stops improving quickly */
  make_data (x, y, N, 6, 5);
  for (int i = 0; i < N; i++)
    y[i] = (float) ((i * 7919) % 101) / 100.0f;
  ts_nn_train_options_init (&options);
  options.epochs = 200;
  options.patience = 2;
  options.optim.lr = 3e-2f;
  g_assert_true (ts_nn_model_fit (model, x, y, N, &options, NULL, NULL, NULL, &result, NULL));
  g_test_message ("stopped after %d epochs, best %d", result.epoch, result.best_epoch);
  g_assert_cmpint (result.epoch, <, 200);
  g_assert_cmpint (result.epoch, ==, result.best_epoch + 2);
}

static void
test_fit_bad_options (void)
{
  float x[6] = { 0 }, y[1] = { 0 };
  g_autoptr(TsNnModel) model = small_mlp (1);
  g_autoptr(GError) error = NULL;
  TsNnTrainOptions options;

  ts_nn_train_options_init (&options);
  options.val_split = 1.5f;
  g_assert_false (ts_nn_model_fit (model, x, y, 1, &options, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
}

static TsNnModel *
small_cnn (void)
{
  TsNnModel *model = ts_nn_model_new (3, 8, 8);

  ts_nn_model_add_conv2d (model, 4, 3, 1, TS_NN_PADDING_SAME);
  ts_nn_model_add_batchnorm (model);
  ts_nn_model_add_activation (model, TS_NN_ACT_GELU);
  ts_nn_model_add_maxpool2d (model, 2, 2);
  ts_nn_model_add_conv2d (model, 2, 3, 2, TS_NN_PADDING_VALID);
  ts_nn_model_add_flatten (model);
  ts_nn_model_add_dropout (model, 0.5f);
  ts_nn_model_add_dense (model, 3);
  ts_nn_model_add_activation (model, TS_NN_ACT_SIGMOID);
  g_assert_true (ts_nn_model_build (model, 9, NULL));
  return model;
}

static char *
temp_model_path (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tsnn-XXXXXX", NULL);

  g_assert_nonnull (dir);
  return g_build_filename (dir, "model.safetensors", NULL);
}

static void
test_save_load_round_trip (void)
{
  g_autoptr(TsNnModel) model = small_cnn ();
  g_autoptr(TsNnModel) loaded = NULL;
  g_autoptr(GHashTable) meta = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) read_meta = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = temp_model_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  float x[2 * 3 * 8 * 8], y[2 * 3] = { 0.1f, 0.9f, 0.5f, 0.3f, 0.2f, 0.7f };
  float out1[2 * 3], out2[2 * 3];

  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    x[i] = sinf (i * 0.37f);
  /* a training step, so that running statistics are not trivial */
  g_assert_true (ts_nn_model_prepare (model, 2, NULL));
  ts_nn_model_forward (model, x, 2, TRUE);
  ts_nn_model_zero_grad (model);
  ts_nn_model_backward (model, y, TS_NN_LOSS_BCE, FALSE);
  ts_nn_model_step (model);

  g_hash_table_insert (meta, (char *) "training", (char *) "{\"epochs\":1}");
  g_assert_true (ts_nn_model_save (model, path, meta, &error));
  g_assert_no_error (error);
  loaded = ts_nn_model_load (path, &read_meta, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (read_meta, "training"), ==, "{\"epochs\":1}");
  g_assert_true (ts_nn_model_predict (model, x, 2, -1, out1, NULL));
  g_assert_true (ts_nn_model_predict (loaded, x, 2, -1, out2, NULL));
  g_assert_cmpmem (out1, sizeof out1, out2, sizeof out2);

  /* the file is plain safetensors: a reader written from the format's
   * description (python3-safetensors is not in Debian 12) agrees */
  if (g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_autofree char *script = g_build_filename (g_getenv ("TS_SOURCE_ROOT"), "tests", "nn",
                                                  "read_safetensors.py", NULL);
      const char *argv[] = { "/usr/bin/python3", script, path, NULL };
      g_autofree char *out = NULL;
      int status;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   &out, NULL, &status, &error));
      g_assert_no_error (error);
      g_test_message ("python reader: %s", out);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      g_assert_nonnull (strstr (out, "layers.0.weight F32 [4, 3, 3, 3]"));
    }
  g_unlink (path);
  g_rmdir (dir);
}

static GBytes *
saved_model_bytes (void)
{
  g_autoptr(TsNnModel) model = small_mlp (1);
  g_autofree char *path = temp_model_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  char *contents;
  gsize length;

  g_assert_true (ts_nn_model_save (model, path, NULL, NULL));
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_unlink (path);
  g_rmdir (dir);
  return g_bytes_new_take (contents, length);
}

static void
expect_refused (const char *label,
                const char *contents,
                gsize       length)
{
  g_autofree char *path = ts_test_write_temp ("bad.safetensors", contents, (gssize) length);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsNnModel) model = ts_nn_model_load (path, NULL, &error);

  g_test_message ("%s: %s", label, error ? error->message : "(loaded)");
  g_assert_null (model);
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "bad.safetensors"));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_corrupt_files (void)
{
  g_autoptr(GBytes) good = saved_model_bytes ();
  gsize len;
  const char *data = g_bytes_get_data (good, &len);
  g_autofree char *copy = g_memdup2 (data, len);
  guint64 header_len;
  char *header;

  memcpy (&header_len, data, 8);
  header_len = GUINT64_FROM_LE (header_len);

  expect_refused ("empty", "", 0);
  expect_refused ("truncated length", data, 5);
  expect_refused ("truncated header", data, 8 + header_len / 2);
  expect_refused ("truncated data", data, len - 4);
  {
    g_autofree char *longer = g_malloc0 (len + 4);

    memcpy (longer, data, len);
    expect_refused ("trailing bytes", longer, len + 4);
  }
  expect_refused ("foreign (PNG)", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);

  /* a header length far beyond the file */
  memcpy (copy, "\xff\xff\xff\xff\xff\xff\xff\x7f", 8);
  expect_refused ("oversized header length", copy, len);
  memcpy (copy, data, len);

  /* inconsistent: a dtype and an offset changed in place */
  header = g_strstr_len (copy + 8, (gssize) header_len, "F32");
  memcpy (header, "F16", 3);
  expect_refused ("not F32", copy, len);
  memcpy (copy, data, len);
  header = g_strstr_len (copy + 8, (gssize) header_len, "\"data_offsets\":[0,");
  g_assert_nonnull (header);
  header[16] = '4';
  expect_refused ("overlapping offsets", copy, len);
  memcpy (copy, data, len);

  /* valid safetensors without our architecture */
  {
    const char foreign[] = "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    gsize flen = sizeof foreign - 1;
    g_autofree char *buf = g_malloc0 (8 + flen + 4);
    guint64 le = GUINT64_TO_LE ((guint64) flen);

    memcpy (buf, &le, 8);
    memcpy (buf + 8, foreign, flen);
    expect_refused ("no architecture", buf, 8 + flen + 4);
  }
}

/* A safetensors file of @header and @n_data zero bytes of data. */
static char *
make_safetensors (const char *header,
                  gsize       n_data,
                  gsize      *length)
{
  gsize header_len = strlen (header);
  guint64 le = GUINT64_TO_LE ((guint64) header_len);
  char *buf = g_malloc0 (8 + header_len + n_data);

  memcpy (buf, &le, 8);
  memcpy (buf + 8, header, header_len);
  *length = 8 + header_len + n_data;
  return buf;
}

/* Headers and architectures that json-glib's getters logged criticals
 * over, or whose shapes overflowed the engine's int sizes or asked for
 * terabytes (found by fuzz-safetensors): each is refused, and the
 * architecture is checked against the file's tensors before anything is
 * allocated for it. */
static void
test_hostile_files (void)
{
#define ARCH(json) "{\"__metadata__\":{\"format\":\"tunescope-nn-1\",\"architecture\":\"" json \
                   "\"},\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[1,1]," \
                   "\"data_offsets\":[0,4]},\"layers.0.bias\":{\"dtype\":\"F32\"," \
                   "\"shape\":[1],\"data_offsets\":[4,8]}}"
  static const struct { const char *label, *header; } cases[] = {
    { "no input", ARCH ("{\\\"layers\\\":[]}") },
    { "input of floats", ARCH ("{\\\"input\\\":[1.5,1,1],\\\"layers\\\":[{\\\"type\\\":"
                               "\\\"dense\\\",\\\"units\\\":1}]}") },
    { "units of the wrong kind", ARCH ("{\\\"input\\\":[1,1,1],\\\"layers\\\":[{\\\"type\\\":"
                                       "\\\"dense\\\",\\\"units\\\":[1]}]}") },
    { "a terabyte of weights", ARCH ("{\\\"input\\\":[65536,65536,16],\\\"layers\\\":"
                                     "[{\\\"type\\\":\\\"flatten\\\"},{\\\"type\\\":"
                                     "\\\"dense\\\",\\\"units\\\":65536}]}") },
    { "a gigabyte of weights", ARCH ("{\\\"input\\\":[4096,1,1],\\\"layers\\\":"
                                     "[{\\\"type\\\":\\\"dense\\\",\\\"units\\\":65536}]}") },
    { "dtype of the wrong kind", "{\"x\":{\"dtype\":[1],\"shape\":[1],\"data_offsets\":[0,4]}}" },
    { "shape of strings", "{\"x\":{\"dtype\":\"F32\",\"shape\":[\"1\"],\"data_offsets\":[0,4]}}" },
    { "offsets of the wrong kind", "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":4}}" },
  };
#undef ARCH

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize length;
      g_autofree char *file = make_safetensors (cases[i].header, 8, &length);

      expect_refused (cases[i].label, file, length);
    }
}

/* Headers claiming 2^40 elements, and files or headers bigger than a
 * model of ours: each refused, the big file from its size before a byte
 * is read (a sparse file shows that cheaply), nothing allocated for the
 * claim. */
static void
test_huge_claims (void)
{
  static const char claim[] = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1048576,1048576],"
                              "\"data_offsets\":[0,4398046511104]}}";
  gsize length;
  g_autofree char *small = make_safetensors (claim, 64, &length);

  expect_refused ("2^40 elements in 64 bytes", small, length);
  {
    g_autofree char *path = ts_test_write_temp ("bad.safetensors", small, (gssize) length);
    g_autofree char *dir = g_path_get_dirname (path);
    g_autoptr(GError) error = NULL;
    g_autoptr(TsNnModel) model = NULL;

    g_assert_cmpint (truncate (path, (off_t) 1 << 32), ==, 0);
    model = ts_nn_model_load (path, NULL, &error);
    g_assert_null (model);
    g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "larger than 256 MiB"));
    g_unlink (path);
    g_rmdir (dir);
  }
  {
    /* A valid header padded with blanks past 1 MiB. */
    g_autoptr(GString) header = g_string_new (claim);
    g_autofree char *big = NULL;

    g_string_truncate (header, header->len - 1);
    while (header->len <= 1024 * 1024)
      g_string_append_c (header, ' ');
    g_string_append_c (header, '}');
    big = make_safetensors (header->str, 64, &length);
    expect_refused ("a 1 MiB header", big, length);
  }
  {
    /* json-glib's recursion overflowed the stack at this depth. */
    g_autoptr(GString) header = g_string_new ("{\"a\":");
    g_autofree char *deep = NULL;

    for (guint i = 0; i < 200000; i++)
      g_string_append_c (header, '[');
    for (guint i = 0; i < 200000; i++)
      g_string_append_c (header, ']');
    g_string_append_c (header, '}');
    deep = make_safetensors (header->str, 0, &length);
    expect_refused ("a header 200,000 deep", deep, length);
  }
}

/* The popularity predictor on the real subset beats the mean baseline. */
static void
test_predictor_real_subset (void)
{
  g_autofree char *path = ts_test_shared_path ("data/spotify/real-subset/data.csv");
  g_autoptr(TsDataset) ds = NULL;
  g_autoptr(TsNnModel) model = ts_nn_model_new (12, 1, 1);
  g_autoptr(GError) error = NULL;
  g_autofree float *x = NULL, *y = NULL, *pred = NULL;
  g_autofree guint *order = NULL;
  TsNnRng rng;
  const float *scaled;
  TsNnTrainOptions options;
  TsNnEpochInfo result;
  int n, n_val, n_train;
  double mean = 0.0, ss_res = 0.0, ss_tot = 0.0;

  if (path == NULL)
    return;
  ds = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  n = (int) ts_dataset_get_n_rows (ds);
  scaled = ts_dataset_get_scaled (ds);
  x = g_new (float, (gsize) n * 12);
  y = g_new (float, n);
  /* the file is sorted by era: shuffle the rows so the hold-out is fair */
  order = g_new (guint, n);
  ts_nn_rng_init (&rng, 11);
  for (int i = 0; i < n; i++)
    order[i] = (guint) i;
  ts_nn_rng_shuffle (&rng, order, (guint) n);
  for (int i = 0; i < n; i++)
    {
      const float *row = scaled + (gsize) order[i] * TS_N_FEATURES;
      int k = 0;

      for (int f = 0; f < TS_N_FEATURES; f++)
        if (f != TS_FEATURE_POPULARITY)
          x[i * 12 + k++] = row[f];
      y[i] = row[TS_FEATURE_POPULARITY];
    }

  ts_nn_model_add_normalization (model);
  ts_nn_model_add_dense (model, 32);
  ts_nn_model_add_activation (model, TS_NN_ACT_RELU);
  ts_nn_model_add_dense (model, 16);
  ts_nn_model_add_activation (model, TS_NN_ACT_RELU);
  ts_nn_model_add_dense (model, 1);
  g_assert_true (ts_nn_model_build (model, 1, NULL));
  /* hold out the last 20 % ourselves to measure R² on unseen rows */
  n_val = n / 5;
  n_train = n - n_val;
  g_assert_true (ts_nn_model_adapt (model, x, n_train, NULL));
  ts_nn_train_options_init (&options);
  options.epochs = 6;
  options.batch_size = 64;
  options.n_threads = 1;
  g_assert_true (ts_nn_model_fit (model, x, y, n_train, &options, NULL, NULL, NULL, &result,
                                  &error));
  g_assert_no_error (error);

  pred = g_new (float, n_val);
  g_assert_true (ts_nn_model_predict (model, x + (gsize) n_train * 12, n_val, -1, pred, NULL));
  for (int i = 0; i < n_train; i++)
    mean += y[i];
  mean /= n_train;
  for (int i = 0; i < n_val; i++)
    {
      double t = y[n_train + i];
      ss_res += (pred[i] - t) * (pred[i] - t);
      ss_tot += (mean - t) * (mean - t);
    }
  g_test_message ("real subset: %d rows, held-out R² %.3f (mean baseline 0)", n,
                  1.0 - ss_res / ss_tot);
  g_assert_cmpfloat (1.0 - ss_res / ss_tot, >, 0.15);
}

static void
test_default_path (void)
{
  g_autofree char *path = ts_nn_model_default_path ("predictor");

  g_assert_true (g_str_has_suffix (path, "/tunescope/models/predictor.safetensors"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ts_nn_set_num_threads (1);

  g_test_add_func ("/Nn/fit/learns-deterministic", test_fit_learns_and_is_deterministic);
  g_test_add_func ("/Nn/fit/cancel", test_fit_cancel);
  g_test_add_func ("/Nn/fit/early-stopping", test_fit_early_stopping);
  g_test_add_func ("/Nn/fit/bad-options", test_fit_bad_options);
  g_test_add_func ("/Nn/file/round-trip", test_save_load_round_trip);
  g_test_add_func ("/Nn/file/corrupt", test_corrupt_files);
  g_test_add_func ("/Nn/file/hostile", test_hostile_files);
  g_test_add_func ("/Nn/file/huge-claims", test_huge_claims);
  g_test_add_func ("/Nn/file/default-path", test_default_path);
  g_test_add_func ("/Nn/predictor/real-subset", test_predictor_real_subset);

  return g_test_run ();
}
