/* ts-models.c: the predictor and the autoencoder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kinds, options, the networks, training (blocking and on a worker
 * thread) and embeddings; the models' files are ts-models-file.c, what
 * the genre model learns from ts-models-genre.c.
 */

#define G_LOG_DOMAIN "ts-models"

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "ts-error.h"
#include "ts-json-private.h"
#include "ts-models.h"
#include "ts-models-private.h"
#include "ts-relay.h"

static const char * const kind_names[TS_N_MODEL_KINDS] = { "predictor", "autoencoder",
                                                                "genre" };

const char *
ts_model_kind_get_name (TsModelKind kind)
{
  g_return_val_if_fail (kind < TS_N_MODEL_KINDS, NULL);

  return kind_names[kind];
}

gboolean
ts_model_kind_from_name (const char  *name,
                         TsModelKind *kind)
{
  int found;

  g_return_val_if_fail (kind != NULL, FALSE);

  found = name ? ts_nn_lookup_name (kind_names, TS_N_MODEL_KINDS, name) : -1;
  if (found < 0)
    return FALSE;
  *kind = (TsModelKind) found;
  return TRUE;
}

/* ---- options ----------------------------------------------------------- */

void
ts_model_options_init (TsModelOptions *options,
                       TsModelKind     kind)
{
  g_return_if_fail (options != NULL);
  g_return_if_fail (kind < TS_N_MODEL_KINDS);

  *options = (TsModelOptions) {
    .kind = kind, .epochs = 20, .batch_size = 256, .lr = 1e-3f,
    .optimizer = TS_NN_OPT_ADAM, .loss = TS_NN_LOSS_MSE, .activation = TS_NN_ACT_RELU,
    .seed = 42, .val_split = 0.1f, .patience = 3, .n_threads = 0,
  };
  if (kind == TS_MODEL_PREDICTOR)
    {
      options->hidden[0] = 64;
      options->hidden[1] = 32;
      options->n_hidden = 2;
      options->dropout = 0.1f;
    }
  else if (kind == TS_MODEL_GENRE)
    {
      options->hidden[0] = 128;
      options->hidden[1] = 64;
      options->n_hidden = 2;
      options->dropout = 0.1f;
      options->lr = 3e-3f;
      options->loss = TS_NN_LOSS_BCE;
      options->max_genres = 200;
      options->holdout = 0.2f;
    }
  else
    {
      options->hidden[0] = 64;
      options->hidden[1] = 32;
      options->hidden[2] = 8;
      options->n_hidden = 3;
      options->dropout = 0.0f;
    }
}

gboolean
ts_model_options_set_hidden (TsModelOptions  *options,
                             const char      *text,
                             GError         **error)
{
  g_auto (GStrv) parts = NULL;
  int hidden[TS_MODEL_MAX_HIDDEN];
  guint n;

  g_return_val_if_fail (options != NULL && text != NULL, FALSE);

  parts = g_strsplit (text, ",", -1);
  n = g_strv_length (parts);
  if (n == 0 || n > TS_MODEL_MAX_HIDDEN)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                   "--hidden wants 1 to %d layer sizes separated by commas, like 64,32",
                   TS_MODEL_MAX_HIDDEN);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      guint64 units = 0;
      g_autofree char *part = g_strstrip (g_strdup (parts[i]));

      if (!g_ascii_string_to_unsigned (part, 10, 1, TS_MODEL_MAX_UNITS, &units, NULL))
        {
          g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                       "--hidden: “%s” is not a layer size from 1 to %d", parts[i],
                       TS_MODEL_MAX_UNITS);
          return FALSE;
        }
      hidden[i] = (int) units;
    }
  memcpy (options->hidden, hidden, sizeof (int) * n);
  options->n_hidden = (int) n;
  return TRUE;
}

char *
ts_model_options_dup_hidden (const TsModelOptions *options)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (options != NULL, NULL);

  for (int i = 0; i < options->n_hidden; i++)
    g_string_append_printf (text, "%s%d", i ? "," : "", options->hidden[i]);
  return g_string_free (text, FALSE);
}

gboolean
ts_model_options_check (const TsModelOptions  *o,
                        GError               **error)
{
  g_return_val_if_fail (o != NULL, FALSE);

  if (o->kind >= TS_N_MODEL_KINDS)
    return ts_error_set_invalid (error, "unknown model kind");
  if (o->epochs < 1 || o->epochs > 100000)
    return ts_error_set_invalid (error, "--epochs must be from 1 to 100000");
  if (o->batch_size < 1 || o->batch_size > 65536)
    return ts_error_set_invalid (error, "--batch-size must be from 1 to 65536");
  if (!(o->lr > 0.0f && o->lr <= 10.0f))
    return ts_error_set_invalid (error, "--lr must be a number above 0 and at most 10");
  if (o->optimizer >= TS_NN_N_OPTS || o->loss >= TS_NN_N_LOSSES
      || o->activation >= TS_NN_N_ACTS)
    return ts_error_set_invalid (error, "unknown optimizer, loss or activation");
  if (o->n_hidden < 1 || o->n_hidden > TS_MODEL_MAX_HIDDEN)
    return ts_error_set_invalid (error, "--hidden wants 1 to %d layer sizes", TS_MODEL_MAX_HIDDEN);
  for (int i = 0; i < o->n_hidden; i++)
    if (o->hidden[i] < 1 || o->hidden[i] > TS_MODEL_MAX_UNITS)
      return ts_error_set_invalid (error, "--hidden: layer sizes must be from 1 to %d", TS_MODEL_MAX_UNITS);
  if (!(o->dropout >= 0.0f && o->dropout < 1.0f))
    return ts_error_set_invalid (error, "--dropout must be at least 0 and below 1");
  if (!(o->val_split >= 0.0f && o->val_split < 1.0f))
    return ts_error_set_invalid (error, "--val-split must be from 0 to below 1");
  if (o->patience < 0)
    return ts_error_set_invalid (error, "--patience must not be negative");
  if (o->kind == TS_MODEL_GENRE)
    {
      if (o->loss != TS_NN_LOSS_BCE)
        return ts_error_set_invalid (error, "the genre model predicts genre probabilities: "
                                     "its loss is bce");
      if (o->max_genres < 2 || o->max_genres > TS_MODEL_MAX_UNITS)
        return ts_error_set_invalid (error, "--max-genres must be from 2 to %d",
                                     TS_MODEL_MAX_UNITS);
      if (!(o->holdout >= 0.0f && o->holdout <= 0.9f))
        return ts_error_set_invalid (error, "--holdout must be from 0 to 0.9");
      return TRUE;
    }
  /* Both output layers are linear: cross-entropy needs probabilities. */
  if (o->loss == TS_NN_LOSS_BCE)
    return ts_error_set_invalid (error, "--loss bce needs outputs in (0, 1), and the %s's are "
                                 "not bounded: use mse, mae or huber",
                                 ts_model_kind_get_name (o->kind));
  return TRUE;
}

/* ---- the networks ------------------------------------------------------ */

static void
add_hidden (TsNnModel            *network,
            const TsModelOptions *o,
            int                   units,
            gboolean              with_dropout)
{
  ts_nn_model_add_dense (network, units);
  ts_nn_model_add_activation (network, o->activation);
  if (with_dropout && o->dropout > 0.0f)
    ts_nn_model_add_dropout (network, o->dropout);
}

/* Returns the network and its embedding layer's index; @n_outputs is
 * the genre model's (its genres). */
static TsNnModel *
build_network (const TsModelOptions  *o,
               int                    n_outputs,
               int                   *embedding_layer,
               GError               **error)
{
  g_autoptr(TsNnModel) network = NULL;
  int in = ts_model_kind_get_input_size (o->kind);
  int last = o->n_hidden - 1;

  if (!ts_model_options_check (o, error))
    return NULL;

  network = ts_nn_model_new (in, 1, 1);
  ts_nn_model_add_normalization (network);
  if (o->kind == TS_MODEL_PREDICTOR)
    {
      for (int i = 0; i < o->n_hidden; i++)
        {
          ts_nn_model_add_dense (network, o->hidden[i]);
          ts_nn_model_add_activation (network, o->activation);
          /* The last hidden activation, before its dropout. */
          if (i == last)
            *embedding_layer = ts_nn_model_get_n_layers (network) - 1;
          if (o->dropout > 0.0f)
            ts_nn_model_add_dropout (network, o->dropout);
        }
      ts_nn_model_add_dense (network, 1);
    }
  else if (o->kind == TS_MODEL_GENRE)
    {
      for (int i = 0; i < o->n_hidden; i++)
        {
          ts_nn_model_add_dense (network, o->hidden[i]);
          ts_nn_model_add_activation (network, o->activation);
          if (i == last)
            *embedding_layer = ts_nn_model_get_n_layers (network) - 1;
          if (o->dropout > 0.0f)
            ts_nn_model_add_dropout (network, o->dropout);
        }
      ts_nn_model_add_dense (network, n_outputs);
      ts_nn_model_add_activation (network, TS_NN_ACT_SIGMOID);
    }
  else
    {
      for (int i = 0; i < last; i++)
        add_hidden (network, o, o->hidden[i], TRUE);
      ts_nn_model_add_dense (network, o->hidden[last]);
      *embedding_layer = ts_nn_model_get_n_layers (network) - 1;
      for (int i = last - 1; i >= 0; i--)
        add_hidden (network, o, o->hidden[i], FALSE);
      ts_nn_model_add_dense (network, TS_N_FEATURES);
    }
  if (!ts_nn_model_build (network, o->seed, error))
    return NULL;
  return g_steal_pointer (&network);
}

TsNnModel *
ts_model_build_network (const TsModelOptions  *options,
                        GError               **error)
{
  int embedding_layer = -1;

  g_return_val_if_fail (options != NULL, NULL);

  return build_network (options, options->max_genres, &embedding_layer, error);
}

int
ts_model_kind_get_input_size (TsModelKind kind)
{
  return kind == TS_MODEL_PREDICTOR ? TS_N_FEATURES - 1 : TS_N_FEATURES;
}

int
ts_model_kind_get_output_size (TsModelKind kind)
{
  return kind == TS_MODEL_PREDICTOR ? 1 : kind == TS_MODEL_GENRE ? 0 : TS_N_FEATURES;
}

float *
ts_model_kind_dup_inputs (TsModelKind  kind,
                          const float *scaled,
                          int          n)
{
  int in = ts_model_kind_get_input_size (kind);
  float *x;

  g_return_val_if_fail (scaled != NULL || n == 0, NULL);

  x = g_new (float, MAX ((gsize) n * in, 1));
  if (kind != TS_MODEL_PREDICTOR)
    {
      memcpy (x, scaled, sizeof (float) * (gsize) n * in);
      return x;
    }
  for (int i = 0; i < n; i++)
    {
      const float *row = scaled + (gsize) i * TS_N_FEATURES;
      float *dst = x + (gsize) i * in;

      memcpy (dst, row, sizeof (float) * TS_FEATURE_POPULARITY);
      memcpy (dst + TS_FEATURE_POPULARITY, row + TS_FEATURE_POPULARITY + 1,
              sizeof (float) * (TS_N_FEATURES - TS_FEATURE_POPULARITY - 1));
    }
  return x;
}

float *
ts_model_kind_dup_targets (TsModelKind  kind,
                           const float *scaled,
                           int          n)
{
  float *y;

  g_return_val_if_fail (scaled != NULL || n == 0, NULL);

  if (kind == TS_MODEL_AUTOENCODER)
    return g_memdup2 (scaled, MAX (sizeof (float) * (gsize) n * TS_N_FEATURES, 1));
  y = g_new (float, MAX (n, 1));
  for (int i = 0; i < n; i++)
    y[i] = scaled[(gsize) i * TS_N_FEATURES + TS_FEATURE_POPULARITY];
  return y;
}

static char *
dup_feature_names (TsModelKind kind,
                   gboolean    inputs)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (int f = 0; f < TS_N_FEATURES; f++)
    {
      gboolean used = kind != TS_MODEL_PREDICTOR
                      || (inputs ? f != TS_FEATURE_POPULARITY : f == TS_FEATURE_POPULARITY);

      if (used)
        json_builder_add_string_value (b, ts_feature_get_name ((TsFeature) f));
    }
  json_builder_end_array (b);
  return ts_json_builder_to_string (b);
}

/* ---- training ---------------------------------------------------------- */

static void
to_train_options (const TsModelOptions *o,
                  TsNnTrainOptions     *train)
{
  ts_nn_train_options_init (train);
  train->epochs = o->epochs;
  train->batch_size = o->batch_size;
  ts_nn_optim_config_init (&train->optim, o->optimizer, o->lr);
  train->loss = o->loss;
  train->val_split = o->val_split;
  train->patience = o->patience;
  train->seed = o->seed;
  train->n_threads = o->n_threads;
}

/* The validation figures of the rows fit () held out. */
static gboolean
measure (TsModel      *self,
         const float  *x,
         const float  *y,
         int           n,
         const guint  *idx,
         int           n_val,
         GError      **error)
{
  TsModelReport *r = &self->report;
  int in = ts_nn_model_get_input_size (self->network);
  int out = ts_nn_model_get_output_size (self->network);
  int n_train = n - n_val;
  g_autofree double *mean = g_new0 (double, out);
  g_autofree float *vx = g_new (float, (gsize) MAX (n_val, 1) * in);
  g_autofree float *pred = g_new (float, (gsize) MAX (n_val, 1) * out);
  double ss_res = 0.0, ss_tot = 0.0;

  for (int i = 0; i < n_train; i++)
    for (int k = 0; k < out; k++)
      mean[k] += y[(gsize) idx[i] * out + k];
  for (int k = 0; k < out; k++)
    mean[k] /= MAX (n_train, 1);

  for (int i = 0; i < n_val; i++)
    memcpy (vx + (gsize) i * in, x + (gsize) idx[n_train + i] * in, sizeof (float) * in);
  if (n_val > 0 && !ts_nn_model_predict (self->network, vx, n_val, -1, pred, error))
    return FALSE;
  for (int i = 0; i < n_val; i++)
    for (int k = 0; k < out; k++)
      {
        double t = y[(gsize) idx[n_train + i] * out + k];
        double e = pred[(gsize) i * out + k] - t;

        ss_res += e * e;
        ss_tot += (t - mean[k]) * (t - mean[k]);
      }

  r->n_train = n_train;
  r->n_val = n_val;
  r->val_mse = n_val > 0 ? ss_res / ((double) n_val * out) : NAN;
  r->baseline_mse = n_val > 0 ? ss_tot / ((double) n_val * out) : NAN;
  r->r2 = n_val > 0 && ss_tot > 0.0 ? 1.0 - ss_res / ss_tot : NAN;
  return TRUE;
}

static void
set_meta (TsModel    *self,
          const char *key,
          char       *value)
{
  g_hash_table_insert (self->metadata, g_strdup (key), value);
}

TsModel *
ts_model_new (TsModelKind kind)
{
  TsModel *self = g_new0 (TsModel, 1);

  self->kind = kind;
  self->embedding_layer = -1;
  self->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ts_model_options_init (&self->options, kind);
  return self;
}

gboolean
ts_model_kind_check_dataset (TsModelKind   kind,
                             TsDataset    *dataset,
                             GError      **error)
{
  g_autofree char *file = NULL;

  g_return_val_if_fail (TS_IS_DATASET (dataset), FALSE);

  if (kind != TS_MODEL_PREDICTOR || ts_dataset_has_feature (dataset, TS_FEATURE_POPULARITY))
    return TRUE;
  file = g_path_get_basename (ts_dataset_get_path (dataset));
  g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
               "%s has no popularity: the predictor space learns to predict it, so it needs "
               "a dataset that has it (the 170k or 600k set)", file);
  return FALSE;
}

TsModel *
ts_model_train (TsDataset             *dataset,
                const TsModelOptions  *options,
                TsNnEpochFunc          callback,
                gpointer               user_data,
                GCancellable          *cancellable,
                GError               **error)
{
  g_autoptr(TsModel) self = NULL;
  g_autofree float *x = NULL, *y = NULL;
  g_autofree guint *idx = NULL;
  TsNnTrainOptions train;
  TsNnEpochInfo info = { 0 };
  g_autofree char *outputs = NULL;  /* the genre model's genres, JSON */
  gint64 t0;
  int n = 0, n_val, n_outputs = 0;

  g_return_val_if_fail (TS_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ts_model_kind_check_dataset (options->kind, dataset, error))
    return NULL;
  self = ts_model_new (options->kind);
  self->options = *options;
  if (options->kind == TS_MODEL_GENRE)
    {
      if (!ts_model_options_check (options, error)
          || !ts_genre_training_set (dataset, options, &x, &y, &n, &n_outputs, &outputs, error))
        return NULL;
    }
  else
    n = (int) ts_dataset_get_n_rows (dataset);
  self->network = build_network (options, n_outputs, &self->embedding_layer, error);
  if (self->network == NULL)
    return NULL;

  to_train_options (options, &train);
  /* A split above 0 must leave a row on each side; 0 is no validation at
   * all (no early stopping, the last epoch is kept). */
  n_val = (int) floor (n * (double) options->val_split);
  if (n - n_val < 1 || (options->val_split > 0.0f && n_val < 1))
    {
      char split[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (split, sizeof split, "%g", options->val_split);
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                   "%d rows are too few to train on and validate with --val-split %s", n, split);
      return NULL;
    }
  if (options->kind != TS_MODEL_GENRE)
    {
      x = ts_model_kind_dup_inputs (options->kind, ts_dataset_get_scaled (dataset), n);
      y = ts_model_kind_dup_targets (options->kind, ts_dataset_get_scaled (dataset), n);
    }
  idx = g_new (guint, n);
  n_val = ts_nn_train_split (&train, n, idx);

  /* The Normalization sees the training rows only. */
  {
    int in = ts_nn_model_get_input_size (self->network);
    g_autofree float *tx = g_new (float, (gsize) (n - n_val) * in);

    for (int i = 0; i < n - n_val; i++)
      memcpy (tx + (gsize) i * in, x + (gsize) idx[i] * in, sizeof (float) * in);
    if (!ts_nn_model_adapt (self->network, tx, n - n_val, error))
      return NULL;
  }

  t0 = g_get_monotonic_time ();
  if (!ts_nn_model_fit (self->network, x, y, n, &train, callback, user_data, cancellable,
                        &info, error))
    return NULL;
  self->report.seconds = (g_get_monotonic_time () - t0) / 1e6;
  self->report.epochs_run = info.epoch;
  self->report.best_epoch = info.best_epoch;
  self->report.loss = info.loss;
  self->report.val_loss = info.val_loss;
  if (!measure (self, x, y, n, idx, n_val, error))
    return NULL;

  set_meta (self, "model", g_strdup (ts_model_kind_get_name (self->kind)));
  set_meta (self, "embedding_layer", g_strdup_printf ("%d", self->embedding_layer));
  set_meta (self, "inputs", dup_feature_names (self->kind, TRUE));
  set_meta (self, "outputs", outputs != NULL ? g_steal_pointer (&outputs)
                                             : dup_feature_names (self->kind, FALSE));
  set_meta (self, "training", ts_model_options_to_json (options));
  set_meta (self, "validation", ts_model_report_to_json (&self->report));
  set_meta (self, "dataset", ts_model_dup_dataset_json (dataset));
  return g_steal_pointer (&self);
}

/* ---- training on a worker thread --------------------------------------- */

typedef struct
{
  TsDataset      *dataset;
  TsModelOptions  options;
  char           *path;   /* retrain: where to save a finished run; else NULL */
  TsRelay        *relay;  /* epochs to the caller */
} TrainJob;

static void
train_job_free (gpointer data)
{
  TrainJob *job = data;

  g_clear_object (&job->dataset);
  g_free (job->path);
  ts_relay_unref (job->relay);
  g_free (job);
}

static void
train_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  TrainJob *job = data;
  GError *error = NULL;
  TsModel *model;

  if (job->path != NULL)
    model = ts_model_retrain (job->dataset, &job->options, job->path,
                              ts_relay_report_epoch, job->relay,
                              cancellable, &error);
  else
    model = ts_model_train (job->dataset, &job->options,
                            ts_relay_report_epoch, job->relay,
                            cancellable, &error);
  if (model == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, model, (GDestroyNotify) ts_model_free);
}

static void
start_training (TsDataset            *dataset,
                const TsModelOptions *options,
                const char           *path,
                TsNnEpochFunc         epoch_func,
                gpointer              epoch_data,
                GDestroyNotify        epoch_data_free,
                GCancellable         *cancellable,
                GAsyncReadyCallback   callback,
                gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  TrainJob *job;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ts_model_train_async);
  g_task_set_name (task, path != NULL ? "[tunescope] ts_model_retrain_async"
                                      : "[tunescope] ts_model_train_async");
  job = g_new0 (TrainJob, 1);
  job->dataset = g_object_ref (dataset);
  job->options = *options;
  job->path = g_strdup (path);
  job->relay = ts_relay_new_epochs (epoch_func, epoch_data, epoch_data_free);
  g_task_set_task_data (task, job, train_job_free);
  g_task_run_in_thread (task, train_thread);
}

void
ts_model_train_async (TsDataset            *dataset,
                      const TsModelOptions *options,
                      TsNnEpochFunc         epoch_func,
                      gpointer              epoch_data,
                      GDestroyNotify        epoch_data_free,
                      GCancellable         *cancellable,
                      GAsyncReadyCallback   callback,
                      gpointer              user_data)
{
  g_return_if_fail (TS_IS_DATASET (dataset));
  g_return_if_fail (options != NULL);

  start_training (dataset, options, NULL, epoch_func, epoch_data, epoch_data_free, cancellable,
                  callback, user_data);
}

void
ts_model_retrain_async (TsDataset            *dataset,
                        const TsModelOptions *options,
                        const char           *path,
                        TsNnEpochFunc         epoch_func,
                        gpointer              epoch_data,
                        GDestroyNotify        epoch_data_free,
                        GCancellable         *cancellable,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data)
{
  g_return_if_fail (TS_IS_DATASET (dataset));
  g_return_if_fail (options != NULL && path != NULL);

  start_training (dataset, options, path, epoch_func, epoch_data, epoch_data_free, cancellable,
                  callback, user_data);
}

TsModel *
ts_model_train_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ts_model_train_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ts_model_free (TsModel *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->network, ts_nn_model_free);
  g_clear_pointer (&self->metadata, g_hash_table_unref);
  g_free (self->unsaved);
  g_free (self);
}

TsModelKind
ts_model_get_kind (TsModel *self)
{
  g_return_val_if_fail (self != NULL, TS_MODEL_PREDICTOR);

  return self->kind;
}

TsNnModel *
ts_model_get_network (TsModel *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->network;
}

const TsModelOptions *
ts_model_get_options (TsModel *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->options;
}

const TsModelReport *
ts_model_get_report (TsModel *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->report;
}

const char *
ts_model_get_unsaved_reason (TsModel *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->unsaved;
}

GHashTable *
ts_model_get_metadata (TsModel *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->metadata;
}

int
ts_model_get_embedding_layer (TsModel *self)
{
  g_return_val_if_fail (self != NULL, -1);

  return self->embedding_layer;
}

int
ts_model_get_embedding_size (TsModel *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return ts_nn_model_get_layer_size (self->network, self->embedding_layer);
}

/* ---- embeddings -------------------------------------------------------- */

/* The embedding of @n input rows. */
static float *
embed_inputs (TsModel      *self,
              const float  *x,
              int           n,
              int          *dim,
              GError      **error)
{
  g_autofree float *out = NULL;
  int d = ts_model_get_embedding_size (self);

  out = g_new (float, MAX ((gsize) n * d, 1));
  if (n > 0 && !ts_nn_model_predict (self->network, x, n, self->embedding_layer, out, error))
    return NULL;
  if (dim != NULL)
    *dim = d;
  return g_steal_pointer (&out);
}

float *
ts_model_embed_scaled (TsModel      *self,
                       const float  *scaled,
                       int           n,
                       int          *dim,
                       GError      **error)
{
  g_autofree float *x = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (scaled != NULL || n == 0, NULL);
  g_return_val_if_fail (n >= 0, NULL);

  if (self->kind == TS_MODEL_GENRE)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                   "the genre model reads feature values in raw units, not scaled ones");
      return NULL;
    }
  x = ts_model_kind_dup_inputs (self->kind, scaled, n);
  return embed_inputs (self, x, n, dim, error);
}

/* The genre embedding is a relu layer, all positive: centred on the
 * file's mean song (as StandardScaler centres the notebook's features),
 * cosine compares directions from the average, and it transfers better
 * to another file. Distances in L1 and L2 do not change. */
static void
center_columns (float *data,
                int    n,
                int    d)
{
  g_autofree double *mean = g_new0 (double, MAX (d, 1));

  for (int i = 0; i < n; i++)
    for (int j = 0; j < d; j++)
      mean[j] += data[(gsize) i * d + j];
  for (int j = 0; j < d; j++)
    mean[j] /= MAX (n, 1);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < d; j++)
      data[(gsize) i * d + j] -= (float) mean[j];
}

float *
ts_model_embed (TsModel    *self,
                TsDataset  *dataset,
                int        *dim,
                GError    **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (TS_IS_DATASET (dataset), NULL);

  if (self->kind == TS_MODEL_GENRE)
    {
      g_autofree float *x = ts_genre_dup_inputs (dataset);
      int n = (int) ts_dataset_get_n_rows (dataset), d = 0;
      float *out = embed_inputs (self, x, n, &d, error);

      if (out != NULL)
        center_columns (out, n, d);
      if (dim != NULL)
        *dim = d;
      return out;
    }
  return ts_model_embed_scaled (self, ts_dataset_get_scaled (dataset),
                                (int) ts_dataset_get_n_rows (dataset), dim, error);
}
