/* test-models.c: the predictor and autoencoder builders, their training,
 * files and embeddings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tunescope-core.h"
#include "ts-test-util.h"

#define N_ROWS 600

/* A data.csv of N_ROWS songs whose popularity follows year and energy,
 * with a little noise: a predictor has something to learn. */
static char *
write_fixture (void)
{
  GString *csv = g_string_new ("valence,year,acousticness,artists,danceability,duration_ms,"
                               "energy,explicit,id,instrumentalness,key,liveness,loudness,"
                               "mode,name,popularity,release_date,speechiness,tempo\n");
  TsNnRng rng;

  ts_nn_rng_init (&rng, 7);
  for (int i = 0; i < N_ROWS; i++)
    {
      double u[9];
      char num[9][G_ASCII_DTOSTR_BUF_SIZE];
      int year = 1921 + (int) ts_nn_rng_below (&rng, 100);
      int popularity;

      for (int k = 0; k < 9; k++)
        u[k] = ts_nn_rng_uniform (&rng);
      popularity = (int) CLAMP (70.0 * (year - 1921) / 99.0 + 25.0 * u[1]
                                + 5.0 * u[8], 0, 100);
      for (int k = 0; k < 9; k++)
        g_ascii_formatd (num[k], sizeof num[k], "%.4f", u[k]);
      g_string_append_printf (csv, "%s,%d,%s,['Artist %d'],%s,%d,%s,0,%022d,%s,%d,%s,-%s,1,"
                              "Song %d,%d,%d,%s,%d\n",
                              num[0], year, num[2], i % 50, num[3], 150000 + i * 100, num[1],
                              i, num[4], i % 12, num[5], num[6], i, popularity, year, num[7],
                              90 + i % 60);
    }
  return g_string_free (csv, FALSE);
}

static TsDataset *
load_fixture (void)
{
  g_autofree char *csv = write_fixture ();
  g_autofree char *path = ts_test_write_temp ("data.csv", csv, -1);
  g_autoptr(GError) error = NULL;
  TsDataset *dataset = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ts_dataset_get_n_rows (dataset), ==, N_ROWS);
  return dataset;
}

static void
test_options (void)
{
  const char *bad_hidden[] = { "0", "", "64,,32", "abc", "-4", "99999", "1,2,3,4,5,6,7,8,9",
                               "32x" };
  TsModelOptions o;
  g_autofree char *hidden = NULL;

  for (int kind = 0; kind < TS_N_MODEL_KINDS; kind++)
    {
      TsModelKind back;

      ts_model_options_init (&o, kind);
      g_assert_true (ts_model_options_check (&o, NULL));
      g_assert_true (ts_model_kind_from_name (ts_model_kind_get_name (kind), &back));
      g_assert_cmpint (back, ==, kind);
    }
  g_assert_false (ts_model_kind_from_name ("cnn", &(TsModelKind) { 0 }));

  ts_model_options_init (&o, TS_MODEL_PREDICTOR);
  g_assert_true (ts_model_options_set_hidden (&o, "16, 8,4", NULL));
  g_assert_cmpint (o.n_hidden, ==, 3);
  hidden = ts_model_options_dup_hidden (&o);
  g_assert_cmpstr (hidden, ==, "16,8,4");
  for (guint i = 0; i < G_N_ELEMENTS (bad_hidden); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (ts_model_options_set_hidden (&o, bad_hidden[i], &error));
      g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, "--hidden"));
      g_assert_cmpint (o.n_hidden, ==, 3);
    }

#define EXPECT_BAD(field, value, needle)                                   \
  G_STMT_START {                                                           \
    g_autoptr(GError) error = NULL;                                       \
    ts_model_options_init (&o, TS_MODEL_PREDICTOR);                        \
    o.field = value;                                                       \
    g_assert_false (ts_model_options_check (&o, &error));                  \
    g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);              \
    g_assert_nonnull (strstr (error->message, needle));                    \
  } G_STMT_END
  EXPECT_BAD (epochs, 0, "--epochs");
  EXPECT_BAD (batch_size, 0, "--batch-size");
  EXPECT_BAD (lr, 0.0f, "--lr");
  EXPECT_BAD (lr, NAN, "--lr");
  EXPECT_BAD (dropout, 1.0f, "--dropout");
  EXPECT_BAD (dropout, -0.1f, "--dropout");
  EXPECT_BAD (val_split, 1.5f, "--val-split");
  EXPECT_BAD (val_split, -0.1f, "--val-split");
  EXPECT_BAD (val_split, 1.0f, "--val-split");
  EXPECT_BAD (loss, TS_NN_LOSS_BCE, "bce");
  EXPECT_BAD (hidden[1], 0, "--hidden");
#undef EXPECT_BAD
}

/* --val-split 0: every row trains, no early stopping, the last epoch is
 * kept, and the figures that need validation rows are NaN (null in the
 * file, left out by the Models dialog's summary), never a division by 0. */
static void
test_no_validation (void)
{
  g_autoptr(TsDataset) dataset = load_fixture ();
  g_autoptr(TsModel) model = NULL;
  g_autoptr(TsModel) loaded = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  g_autofree char *summary = NULL;
  const TsModelReport *r;
  TsModelOptions o;

  ts_model_options_init (&o, TS_MODEL_AUTOENCODER);
  o.epochs = 4;
  o.patience = 1;
  o.val_split = 0.0f;
  g_assert_true (ts_model_options_check (&o, &error));
  model = ts_model_train (dataset, &o, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  r = ts_model_get_report (model);
  g_assert_cmpint (r->n_train, ==, N_ROWS);
  g_assert_cmpint (r->n_val, ==, 0);
  g_assert_cmpint (r->epochs_run, ==, 4);
  g_assert_cmpint (r->best_epoch, ==, 0);
  g_assert_true (isfinite (r->loss));
  g_assert_true (isnan (r->val_loss) && isnan (r->val_mse) && isnan (r->baseline_mse)
                 && isnan (r->r2));
  json = ts_model_report_to_json (r);
  g_assert_nonnull (strstr (json, "\"best_epoch\":null"));
  g_assert_nonnull (strstr (json, "\"r2\":null"));
  g_assert_null (strstr (json, "nan"));

  folder = g_dir_make_tmp ("ts-models-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (folder, "autoencoder.safetensors", NULL);
  g_assert_true (ts_model_save (model, path, &error));
  loaded = ts_model_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ts_model_get_report (loaded)->n_val, ==, 0);
  g_assert_true (isnan (ts_model_get_report (loaded)->r2));
  files = ts_model_list_folder (folder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_false (ts_model_file_has_validation (files->pdata[0]));
  summary = ts_model_file_summarize (files->pdata[0], "validation", NULL);
  g_assert_nonnull (strstr (summary, "epochs run 4"));
  g_assert_null (strstr (summary, "r2"));
  g_assert_null (strstr (summary, "nan"));
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (folder), ==, 0);
}

static void
test_shapes (void)
{
  TsModelOptions o;
  g_autoptr(TsNnModel) predictor = NULL;
  g_autoptr(TsNnModel) autoencoder = NULL;
  g_autoptr(TsNnModel) linear = NULL;
  float scaled[2 * TS_N_FEATURES];
  g_autofree float *x = NULL, *y = NULL;

  ts_model_options_init (&o, TS_MODEL_PREDICTOR);
  predictor = ts_model_build_network (&o, NULL);
  g_assert_nonnull (predictor);
  g_assert_cmpint (ts_nn_model_get_input_size (predictor), ==, 12);
  g_assert_cmpint (ts_nn_model_get_output_size (predictor), ==, 1);
  /* Normalization, (Dense, act, Dropout) x 2, Dense */
  g_assert_cmpint (ts_nn_model_get_n_layers (predictor), ==, 8);
  g_assert_cmpint (ts_nn_model_get_layer (predictor, 0)->kind, ==, TS_NN_LAYER_NORMALIZATION);
  g_assert_cmpint (ts_nn_model_get_layer (predictor, 3)->kind, ==, TS_NN_LAYER_DROPOUT);
  g_assert_cmpint (ts_nn_model_get_layer (predictor, 7)->units, ==, 1);

  ts_model_options_init (&o, TS_MODEL_AUTOENCODER);
  autoencoder = ts_model_build_network (&o, NULL);
  g_assert_cmpint (ts_nn_model_get_input_size (autoencoder), ==, TS_N_FEATURES);
  g_assert_cmpint (ts_nn_model_get_output_size (autoencoder), ==, TS_N_FEATURES);
  /* 13 → 64 → 32 → 8 → 32 → 64 → 13, no dropout by default */
  g_assert_cmpint (ts_nn_model_get_n_layers (autoencoder), ==, 11);
  g_assert_cmpint (ts_nn_model_get_layer_size (autoencoder, 5), ==, 8);

  g_assert_true (ts_model_options_set_hidden (&o, "5", NULL));
  linear = ts_model_build_network (&o, NULL);
  g_assert_cmpint (ts_nn_model_get_n_layers (linear), ==, 3);

  for (int i = 0; i < 2 * TS_N_FEATURES; i++)
    scaled[i] = (float) i;
  x = ts_model_kind_dup_inputs (TS_MODEL_PREDICTOR, scaled, 2);
  y = ts_model_kind_dup_targets (TS_MODEL_PREDICTOR, scaled, 2);
  g_assert_cmpfloat (x[TS_FEATURE_POPULARITY - 1], ==, TS_FEATURE_POPULARITY - 1);
  g_assert_cmpfloat (x[TS_FEATURE_POPULARITY], ==, TS_FEATURE_POPULARITY + 1);
  g_assert_cmpfloat (x[12], ==, TS_N_FEATURES);
  g_assert_cmpfloat (x[23], ==, 2 * TS_N_FEATURES - 1);
  g_assert_cmpfloat (y[0], ==, TS_FEATURE_POPULARITY);
  g_assert_cmpfloat (y[1], ==, TS_N_FEATURES + TS_FEATURE_POPULARITY);
}

typedef struct
{
  GArray  *losses;
  int      last_epoch;
  gboolean finished;
  gboolean epoch_after_finish;
  TsModel *model;
  GError  *error;
} Run;

static void
on_epoch (const TsNnEpochInfo *info,
          gpointer             data)
{
  Run *run = data;
  double loss = info->loss;

  g_assert_cmpint (info->epoch, ==, run->last_epoch + 1);
  run->last_epoch = info->epoch;
  if (run->finished)
    run->epoch_after_finish = TRUE;
  g_array_append_val (run->losses, loss);
}

static void
on_trained (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Run *run = data;

  run->model = ts_model_train_finish (result, &run->error);
  run->finished = TRUE;
}

static void
test_train_fixture (void)
{
  g_autoptr(TsDataset) dataset = load_fixture ();
  g_autoptr(TsModel) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *embedding = NULL, *embedding2 = NULL;
  g_autofree char *path = NULL;
  Run run = { .losses = g_array_new (FALSE, FALSE, sizeof (double)) };
  const TsModelReport *report;
  TsModelOptions o;
  GHashTable *meta;
  int dim = 0, dim2 = 0;

  ts_model_options_init (&o, TS_MODEL_PREDICTOR);
  o.epochs = 25;
  o.batch_size = 32;
  o.lr = 0.01f;
  o.patience = 0;
  o.val_split = 0.2f;
  g_assert_true (ts_model_options_set_hidden (&o, "16,8", NULL));

  /* On a worker: every epoch reaches us, in order, before the result. */
  ts_model_train_async (dataset, &o, on_epoch, &run, NULL, NULL, on_trained, &run);
  while (!run.finished)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (run.error);
  g_assert_nonnull (run.model);
  g_assert_false (run.epoch_after_finish);
  g_assert_cmpint (run.last_epoch, ==, 25);
  g_assert_cmpfloat (g_array_index (run.losses, double, 24), <,
                     0.7 * g_array_index (run.losses, double, 0));

  report = ts_model_get_report (run.model);
  g_assert_cmpint (report->n_val, ==, N_ROWS / 5);
  g_assert_cmpint (report->n_train, ==, N_ROWS - N_ROWS / 5);
  g_assert_cmpint (report->epochs_run, ==, 25);
  g_test_message ("fixture predictor: val MSE %.5f, baseline %.5f, R² %.3f", report->val_mse,
                  report->baseline_mse, report->r2);
  g_assert_cmpfloat (report->r2, >, 0.5);
  g_assert_cmpfloat (fabs (report->r2 - (1.0 - report->val_mse / report->baseline_mse)), <,
                     1e-9);

  /* The embedding: the last hidden layer, 8 wide, for every song. */
  g_assert_cmpint (ts_model_get_embedding_size (run.model), ==, 8);
  embedding = ts_model_embed (run.model, dataset, &dim, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dim, ==, 8);
  for (int i = 0; i < N_ROWS * dim; i++)
    g_assert_true (isfinite (embedding[i]) && embedding[i] >= 0.0f); /* after a relu */

  /* Saved and loaded: the same embedding, and the metadata. */
  path = ts_test_write_temp ("predictor.safetensors", "", 0);
  g_assert_true (ts_model_check_path (path, NULL));
  g_assert_true (ts_model_save (run.model, path, &error));
  g_assert_no_error (error);
  loaded = ts_model_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ts_model_get_kind (loaded), ==, TS_MODEL_PREDICTOR);
  g_assert_cmpint (ts_model_get_embedding_layer (loaded), ==,
                   ts_model_get_embedding_layer (run.model));
  /* ... bit for bit, on another thread count too (ts-nn-threads.c). */
  ts_nn_set_num_threads (2);
  embedding2 = ts_model_embed (loaded, dataset, &dim2, &error);
  ts_nn_set_num_threads (1);
  g_assert_no_error (error);
  g_assert_cmpint (dim2, ==, dim);
  g_assert_cmpmem (embedding, sizeof (float) * N_ROWS * dim, embedding2,
                   sizeof (float) * N_ROWS * dim);
  g_assert_cmpint (ts_model_get_options (loaded)->epochs, ==, 25);
  g_assert_cmpint (ts_model_get_options (loaded)->n_hidden, ==, 2);
  g_assert_cmpfloat (ts_model_get_report (loaded)->r2, ==, report->r2);
  meta = ts_model_get_metadata (loaded);
  g_assert_cmpstr (g_hash_table_lookup (meta, "model"), ==, "predictor");
  g_assert_nonnull (strstr (g_hash_table_lookup (meta, "training"), "\"hidden\":[16,8]"));
  g_assert_nonnull (strstr (g_hash_table_lookup (meta, "validation"), "\"r2\""));
  g_assert_nonnull (strstr (g_hash_table_lookup (meta, "dataset"), "\"sha256\":\""));
  g_assert_nonnull (strstr (g_hash_table_lookup (meta, "inputs"), "\"tempo\""));
  g_assert_null (strstr (g_hash_table_lookup (meta, "inputs"), "popularity"));

  /* Trained again on two threads: the same model, bit for bit. */
  {
    g_autoptr(TsModel) again = NULL;
    g_autofree float *embedding3 = NULL;

    o.n_threads = 2;
    again = ts_model_train (dataset, &o, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    ts_nn_set_num_threads (1);
    embedding3 = ts_model_embed (again, dataset, &dim2, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (embedding, sizeof (float) * N_ROWS * dim, embedding3,
                     sizeof (float) * N_ROWS * dim);
  }

  g_array_unref (run.losses);
  ts_model_free (run.model);
}

static void
test_autoencoder_fixture (void)
{
  g_autoptr(TsDataset) dataset = load_fixture ();
  g_autoptr(TsModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *embedding = NULL;
  TsModelOptions o;
  int dim = 0;

  ts_model_options_init (&o, TS_MODEL_AUTOENCODER);
  o.epochs = 15;
  o.batch_size = 32;
  o.lr = 0.01f;
  g_assert_true (ts_model_options_set_hidden (&o, "16,4", NULL));
  model = ts_model_train (dataset, &o, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("fixture autoencoder: val MSE %.5f, baseline %.5f",
                  ts_model_get_report (model)->val_mse,
                  ts_model_get_report (model)->baseline_mse);
  g_assert_cmpfloat (ts_model_get_report (model)->r2, >, 0.2);
  embedding = ts_model_embed (model, dataset, &dim, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dim, ==, 4);
  g_assert_cmpint (ts_model_get_embedding_size (model), ==, 4);
}

static void
on_epoch_cancel (const TsNnEpochInfo *info,
                 gpointer             data)
{
  g_cancellable_cancel (data);
}

static void
test_cancel_and_paths (void)
{
  g_autoptr(TsDataset) dataset = load_fixture ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *file = ts_test_write_temp ("plain", "x", 1);
  g_autofree char *dir = g_path_get_dirname (file);
  g_autofree char *under_file = g_build_filename (file, "m.safetensors", NULL);
  g_autofree char *nested = g_build_filename (dir, "a", "b", "m.safetensors", NULL);
  TsModelOptions o;

  ts_model_options_init (&o, TS_MODEL_PREDICTOR);
  o.epochs = 50;
  g_assert_null (ts_model_train (dataset, &o, on_epoch_cancel, cancellable, cancellable,
                                 &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_false (ts_model_check_path (dir, &error));
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (ts_model_check_path (under_file, &error));
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_true (ts_model_check_path (nested, &error));
  g_assert_no_error (error);

  /* A file that is not one of our models. */
  g_assert_null (ts_model_load (file, &error));
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
}

/* Files whose metadata lies: refused, or read with defaults, never a
 * warning (G_DEBUG=fatal-warnings makes one fatal). */
static void
test_odd_metadata (void)
{
  struct
  {
    const char *model, *layer, *training, *validation;
    gboolean    loads;
  } cases[] = {
    { "predictor", "4", "{\"hidden\":5,\"epochs\":\"x\",\"optimizer\":3,\"seed\":{}}",
      "[1]", TRUE },
    { "predictor", "4", "{\"hidden\":[{},\"a\",1e99],\"epochs\":1e300,\"lr\":null}",
      "{\"r2\":\"high\",\"epochs_run\":-5}", TRUE },
    { "predictor", "4", "not json", "{", TRUE },
    { "cnn", "4", NULL, NULL, FALSE },
    { NULL, "4", NULL, NULL, FALSE },
    { "predictor", "99", NULL, NULL, FALSE },
    { "predictor", "-1", NULL, NULL, FALSE },
    { "predictor", NULL, NULL, NULL, FALSE },
    { "autoencoder", "4", NULL, NULL, FALSE }, /* a predictor's shapes */
  };
  TsModelOptions o;
  g_autoptr(TsNnModel) network = NULL;
  g_autofree char *path = ts_test_write_temp ("odd.safetensors", "", 0);

  ts_model_options_init (&o, TS_MODEL_PREDICTOR);
  network = ts_model_build_network (&o, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GHashTable) meta = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(TsModel) model = NULL;
      g_autoptr(GError) error = NULL;

      if (cases[i].model)
        g_hash_table_insert (meta, (gpointer) "model", (gpointer) cases[i].model);
      if (cases[i].layer)
        g_hash_table_insert (meta, (gpointer) "embedding_layer", (gpointer) cases[i].layer);
      if (cases[i].training)
        g_hash_table_insert (meta, (gpointer) "training", (gpointer) cases[i].training);
      if (cases[i].validation)
        g_hash_table_insert (meta, (gpointer) "validation", (gpointer) cases[i].validation);
      g_assert_true (ts_nn_model_save (network, path, meta, NULL));
      model = ts_model_load (path, &error);
      if (!cases[i].loads)
        {
          g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
          g_assert_null (model);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpint (ts_model_get_embedding_size (model), ==, 32);
      g_assert_true (ts_model_options_check (ts_model_get_options (model), NULL));
      g_assert_cmpint (ts_model_get_report (model)->epochs_run, ==, 0);
    }
}

/* The default predictor, briefly trained on the real subset, beats the
 * mean on its validation rows. */
static void
test_predictor_real_subset (void)
{
  g_autofree char *path = ts_test_shared_path ("data/spotify/real-subset/data.csv");
  g_autoptr(TsDataset) dataset = NULL;
  g_autoptr(TsModel) model = NULL;
  g_autoptr(GError) error = NULL;
  TsModelOptions o;

  if (path == NULL)
    return;
  dataset = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  ts_model_options_init (&o, TS_MODEL_PREDICTOR);
  o.epochs = 5;
  model = ts_model_train (dataset, &o, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("real subset predictor, 5 epochs: val R² %.3f", ts_model_get_report (model)->r2);
  g_assert_cmpfloat (ts_model_get_report (model)->r2, >, 0.4);
}

static void
on_epoch_cancel_at_2 (const TsNnEpochInfo *info,
                      gpointer             data)
{
  if (info->epoch == 2)
    g_cancellable_cancel (data);
}

/* A retrain that is cancelled or fails leaves the previous file as it
 * was; one that succeeds replaces it, and the folder lists it with its
 * metadata (and a broken file with its error). */
static void
test_retrain_and_folder (void)
{
  g_autoptr(TsDataset) dataset = load_fixture ();
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("ts-models-XXXXXX", &error);
  g_autofree char *path = g_build_filename (folder, "autoencoder.safetensors", NULL);
  g_autofree char *junk = g_build_filename (folder, "junk.safetensors", NULL);
  g_autofree char *before = NULL, *after = NULL, *summary = NULL;
  gsize before_len, after_len;
  g_autoptr(TsModel) first = NULL;
  g_autoptr(TsModel) second = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) files = NULL;
  TsModelFile *file;
  TsModelOptions o;

  g_assert_no_error (error);
  ts_model_options_init (&o, TS_MODEL_AUTOENCODER);
  o.epochs = 2;
  first = ts_model_retrain (dataset, &o, path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));

  /* Cancelled at epoch 2 of 20. */
  o.epochs = 20;
  o.patience = 0;
  o.seed = 7;
  g_assert_null (ts_model_retrain (dataset, &o, path, on_epoch_cancel_at_2, cancellable,
                                   cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  g_clear_pointer (&after, g_free);

  /* Failed: options out of range. */
  o.lr = -1;
  g_assert_null (ts_model_retrain (dataset, &o, path, NULL, NULL, NULL, &error));
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  g_clear_pointer (&after, g_free);

  /* Succeeded: replaced. */
  o.lr = 1e-3f;
  o.epochs = 3;
  second = ts_model_retrain (dataset, &o, path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_false (before_len == after_len && memcmp (before, after, before_len) == 0);

  g_assert_true (g_file_set_contents (junk, "not a model", -1, NULL));
  files = ts_model_list_folder (folder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 2);
  file = g_ptr_array_index (files, 0);
  g_assert_cmpstr (file->name, ==, "autoencoder.safetensors");
  g_assert_cmpstr (file->kind, ==, "autoencoder");
  g_assert_null (file->error);
  g_assert_cmpint (file->size, ==, (gint64) after_len);
  g_assert_cmpint (file->mtime, >, 0);
  g_assert_nonnull (strstr (g_hash_table_lookup (file->metadata, "training"), "\"epochs\":3"));
  g_assert_nonnull (g_hash_table_lookup (file->metadata, "validation"));
  summary = ts_model_file_summarize (file, "training", NULL);
  g_assert_nonnull (strstr (summary, "epochs 3, "));
  g_assert_nonnull (strstr (summary, "lr 0.001"));
  g_assert_nonnull (strstr (summary, "activation relu"));
  g_assert_nonnull (strstr (summary, "hidden 64,32,8"));
  g_clear_pointer (&summary, g_free);
  summary = ts_model_file_summarize (file, "validation", (const char *[]) { "loss", "seconds", NULL });
  g_assert_true (g_str_has_prefix (summary, "epochs run 3, "));
  g_assert_nonnull (strstr (summary, "val loss "));
  g_assert_null (strstr (summary, ", loss "));
  g_assert_null (strstr (summary, "seconds"));
  g_assert_null (ts_model_file_summarize (file, "no such key", NULL));
  file = g_ptr_array_index (files, 1);
  g_assert_cmpstr (file->name, ==, "junk.safetensors");
  g_assert_null (file->kind);
  g_assert_nonnull (file->error);
  g_clear_pointer (&files, g_ptr_array_unref);

  /* A missing folder is empty, not an error. */
  g_assert_no_errno (g_remove (junk));
  g_assert_no_errno (g_remove (path));
  g_assert_no_errno (g_rmdir (folder));
  files = ts_model_list_folder (folder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ts_nn_set_num_threads (1);

  g_test_add_func ("/Models/options", test_options);
  g_test_add_func ("/Models/shapes", test_shapes);
  g_test_add_func ("/Models/no-validation", test_no_validation);
  g_test_add_func ("/Models/predictor/fixture", test_train_fixture);
  g_test_add_func ("/Models/autoencoder/fixture", test_autoencoder_fixture);
  g_test_add_func ("/Models/cancel-and-paths", test_cancel_and_paths);
  g_test_add_func ("/Models/odd-metadata", test_odd_metadata);
  g_test_add_func ("/Models/retrain-and-folder", test_retrain_and_folder);
  g_test_add_func ("/Models/predictor/real-subset", test_predictor_real_subset);

  return g_test_run ();
}
