/* ts-models.c: the predictor and the autoencoder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-models"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ts-error.h"
#include "ts-json-private.h"
#include "ts-models.h"
#include "ts-models-private.h"
#include "ts-relay.h"

struct _TsModel
{
  TsModelKind     kind;
  TsNnModel      *network;
  TsModelOptions  options;
  TsModelReport   report;
  int             embedding_layer;
  GHashTable     *metadata;  /* char* → char* */
};

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

char *
ts_model_options_to_json (const TsModelOptions *o)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (o != NULL, NULL);

  json_builder_begin_object (b);
  ts_json_add_string (b, "model", ts_model_kind_get_name (o->kind));
  ts_json_add_int (b, "epochs", o->epochs);
  ts_json_add_int (b, "batch_size", o->batch_size);
  ts_json_add_double (b, "lr", ts_json_float_value (o->lr));
  ts_json_add_string (b, "optimizer", ts_nn_optimizer_get_name (o->optimizer));
  ts_json_add_string (b, "loss", ts_nn_loss_get_name (o->loss));
  ts_json_add_string (b, "activation", ts_nn_activation_get_name (o->activation));
  json_builder_set_member_name (b, "hidden");
  json_builder_begin_array (b);
  for (int i = 0; i < o->n_hidden; i++)
    json_builder_add_int_value (b, o->hidden[i]);
  json_builder_end_array (b);
  ts_json_add_double (b, "dropout", ts_json_float_value (o->dropout));
  ts_json_add_int (b, "seed", (gint64) o->seed);
  ts_json_add_double (b, "val_split", ts_json_float_value (o->val_split));
  ts_json_add_int (b, "patience", o->patience);
  if (o->kind == TS_MODEL_GENRE)
    {
      ts_json_add_int (b, "max_genres", o->max_genres);
      ts_json_add_double (b, "holdout", ts_json_float_value (o->holdout));
    }
  json_builder_end_object (b);
  return ts_json_builder_to_string (b);
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
  g_autoptr (TsNnModel) network = NULL;
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
  g_autoptr (JsonBuilder) b = json_builder_new ();

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

char *
ts_model_report_to_json (const TsModelReport *r)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (r != NULL, NULL);

  json_builder_begin_object (b);
  ts_json_add_int (b, "epochs_run", r->epochs_run);
  /* Without validation the last epoch is kept, and no epoch was "best". */
  json_builder_set_member_name (b, "best_epoch");
  if (r->n_val > 0)
    json_builder_add_int_value (b, r->best_epoch);
  else
    json_builder_add_null_value (b);
  ts_json_add_int (b, "train_rows", r->n_train);
  ts_json_add_int (b, "val_rows", r->n_val);
  ts_json_add_double (b, "loss", r->loss);
  ts_json_add_double (b, "val_loss", r->val_loss);
  ts_json_add_double (b, "val_mse", r->val_mse);
  ts_json_add_double (b, "baseline_mse", r->baseline_mse);
  ts_json_add_double (b, "r2", r->r2);
  ts_json_add_double (b, "seconds", r->seconds);
  json_builder_end_object (b);
  return ts_json_builder_to_string (b);
}

/* What identifies the training data: path, rows, size, mtime and the
 * SHA-256 of the file (about a tenth of a second for 30 MB). */
static char *
dup_dataset_json (TsDataset *dataset)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  const char *path = ts_dataset_get_path (dataset);
  g_autoptr (GMappedFile) mapped = NULL;
  GStatBuf st;

  json_builder_begin_object (b);
  if (path != NULL)
    ts_json_add_string (b, "path", path);
  ts_json_add_int (b, "rows", ts_dataset_get_n_rows (dataset));
  if (path != NULL && g_stat (path, &st) == 0)
    {
      ts_json_add_int (b, "bytes", (gint64) st.st_size);
      ts_json_add_int (b, "mtime", (gint64) st.st_mtime);
    }
  if (path != NULL && (mapped = g_mapped_file_new (path, FALSE, NULL)) != NULL)
    {
      g_autofree char *sum = NULL;

      sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                         (const guchar *) g_mapped_file_get_contents (mapped),
                                         g_mapped_file_get_length (mapped));
      ts_json_add_string (b, "sha256", sum);
    }
  json_builder_end_object (b);
  return ts_json_builder_to_string (b);
}

static void
set_meta (TsModel    *self,
          const char *key,
          char       *value)
{
  g_hash_table_insert (self->metadata, g_strdup (key), value);
}

static TsModel *
model_new (TsModelKind kind)
{
  TsModel *self = g_new0 (TsModel, 1);

  self->kind = kind;
  self->embedding_layer = -1;
  self->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ts_model_options_init (&self->options, kind);
  return self;
}

TsModel *
ts_model_train (TsDataset             *dataset,
                const TsModelOptions  *options,
                TsNnEpochFunc          callback,
                gpointer               user_data,
                GCancellable          *cancellable,
                GError               **error)
{
  g_autoptr (TsModel) self = NULL;
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

  self = model_new (options->kind);
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
  set_meta (self, "dataset", dup_dataset_json (dataset));
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
  g_autoptr (GTask) task = NULL;
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

/* ---- files ------------------------------------------------------------- */

char *
ts_model_default_path (TsModelKind kind)
{
  g_return_val_if_fail (kind < TS_N_MODEL_KINDS, NULL);

  return ts_nn_model_default_path (kind_names[kind]);
}

TsModel *
ts_model_retrain (TsDataset            *dataset,
                  const TsModelOptions *options,
                  const char           *path,
                  TsNnEpochFunc         callback,
                  gpointer              user_data,
                  GCancellable         *cancellable,
                  GError              **error)
{
  g_autoptr (TsModel) model = NULL;

  g_return_val_if_fail (TS_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (options != NULL && path != NULL, NULL);

  /* Checked before the seconds of training, not after. */
  if (!ts_model_options_check (options, error) || !ts_model_check_path (path, error))
    return NULL;
  model = ts_model_train (dataset, options, callback, user_data, cancellable, error);
  if (model == NULL || !ts_model_save (model, path, error))
    return NULL;
  return g_steal_pointer (&model);
}

char *
ts_model_folder (void)
{
  return g_build_filename (g_get_user_data_dir (), "tunescope", "models", NULL);
}

void
ts_model_file_free (TsModelFile *file)
{
  if (file == NULL)
    return;
  g_free (file->path);
  g_free (file->name);
  g_free (file->kind);
  g_free (file->error);
  g_clear_pointer (&file->metadata, g_hash_table_unref);
  g_free (file);
}

static TsModelFile *
read_model_file (const char *folder,
                 const char *name)
{
  TsModelFile *file = g_new0 (TsModelFile, 1);
  g_autoptr (TsNnTensorFile) tensors = NULL;
  g_autoptr (GError) error = NULL;
  GStatBuf st;

  file->path = g_build_filename (folder, name, NULL);
  file->name = g_strdup (name);
  if (g_stat (file->path, &st) == 0)
    {
      file->size = st.st_size;
      file->mtime = st.st_mtime;
    }
  tensors = ts_nn_tensor_file_read (file->path, &error);
  if (tensors == NULL)
    {
      file->error = g_strdup (error->message);
      file->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      return file;
    }
  file->metadata = g_hash_table_ref (ts_nn_tensor_file_get_metadata (tensors));
  file->kind = g_strdup (g_hash_table_lookup (file->metadata, "model"));
  if (file->kind == NULL)
    file->kind = g_strdup ("unknown");
  return file;
}

/* "64,32" for an array of integers (layer sizes), else NULL. */
static char *
summarize_int_array (JsonArray *array)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        return NULL;
      g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", json_node_get_int (node));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
ts_model_file_summarize (const TsModelFile *file,
                         const char        *key,
                         const char * const *skip)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GList) members = NULL;
  const char *json;
  JsonObject *object;

  g_return_val_if_fail (file != NULL && key != NULL, NULL);

  json = g_hash_table_lookup (file->metadata, key);
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);
      char number[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *name = g_strdelimit (g_strdup (l->data), "_", ' ');

      if (skip != NULL && g_strv_contains (skip, l->data))
        continue;
      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          g_autofree char *list = summarize_int_array (json_node_get_array (node));

          if (list != NULL)
            g_string_append_printf (text, "%s%s %s", text->len > 0 ? ", " : "", name, list);
          continue;
        }
      if (!JSON_NODE_HOLDS_VALUE (node))
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (text, "%s %" G_GINT64_FORMAT, name, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          g_string_append_printf (text, "%s %s", name,
                                  g_ascii_formatd (number, sizeof number, "%.4g",
                                                   json_node_get_double (node)));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append_printf (text, "%s %s", name, json_node_get_boolean (node) ? "yes" : "no");
          break;
        default:
          g_string_append_printf (text, "%s %s", name, json_node_get_string (node));
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

gboolean
ts_model_file_has_validation (const TsModelFile *file)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  const char *json;
  JsonObject *object;

  g_return_val_if_fail (file != NULL, FALSE);

  json = g_hash_table_lookup (file->metadata, "validation");
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  object = json_node_get_object (json_parser_get_root (parser));
  /* Rows for the dense models, images for the CNN. */
  return ts_json_get_double (object, "val_rows", 0) > 0
         || ts_json_get_double (object, "val_images", 0) > 0;
}

static int
compare_model_files (gconstpointer a,
                     gconstpointer b)
{
  const TsModelFile *fa = *(TsModelFile * const *) a, *fb = *(TsModelFile * const *) b;

  return strcmp (fa->name, fb->name);
}

GPtrArray *
ts_model_list_folder (const char  *folder,
                      GError     **error)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) ts_model_file_free);
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *name;

  g_return_val_if_fail (folder != NULL, NULL);

  dir = g_dir_open (folder, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&files);
      g_set_error (error, TS_ERROR, TS_ERROR_IO, "cannot read the models folder %s: %s", folder,
                   local_error->message);
      return NULL;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".safetensors"))
      g_ptr_array_add (files, read_model_file (folder, name));
  g_ptr_array_sort (files, compare_model_files);
  return g_steal_pointer (&files);
}

gboolean
ts_model_check_path (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *probe = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);

  if (*path == '\0' || g_str_has_suffix (path, G_DIR_SEPARATOR_S))
    return ts_error_set_invalid (error, "“%s” is not a file name", path);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return ts_error_set_invalid (error, "%s is a folder, not a model file", path);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      if (saved == ENOTDIR || saved == EEXIST)
        return ts_error_set_invalid (error, "cannot make the folder %s: %s", dir, g_strerror (saved));
      g_set_error (error, TS_ERROR, TS_ERROR_IO, "cannot make the folder %s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  /* A real file, not access (): root passes that anywhere, and some
   * folders (/proc) take no new files whatever their mode says. */
  probe = g_build_filename (dir, ".tunescope-probe-XXXXXX", NULL);
  fd = g_mkstemp_full (probe, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, TS_ERROR, TS_ERROR_IO, "cannot write to the folder %s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  close (fd);
  g_unlink (probe);
  return TRUE;
}

gboolean
ts_model_save (TsModel     *self,
               const char  *path,
               GError     **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return ts_nn_model_save (self->network, path, self->metadata, error);
}

/* The same, as an int in [min, max]: a file may say anything. */
static int
get_int (JsonObject *object,
         const char *name,
         int         min,
         int         max,
         int         fallback)
{
  double value = ts_json_get_double (object, name, NAN);

  return isfinite (value) && value >= min && value <= max ? (int) value : fallback;
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Best effort: what the file's "training" and "validation" say, over the
 * kind's defaults; the network itself comes from the architecture. */
static void
read_options_and_report (TsModel *self)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  TsModelOptions *o = &self->options;
  TsModelReport *r = &self->report;
  JsonObject *object;
  JsonArray *hidden;
  JsonNode *node;
  guint n_hidden;
  const char *name;
  TsNnOptimizer optimizer;
  TsNnLoss loss;
  TsNnActivation activation;

  object = ts_json_parse_object (parser, g_hash_table_lookup (self->metadata, "training"));
  if (object != NULL)
    {
      JsonNode *seed = json_object_get_member (object, "seed");

      o->epochs = get_int (object, "epochs", 1, G_MAXINT, o->epochs);
      o->batch_size = get_int (object, "batch_size", 1, G_MAXINT, o->batch_size);
      o->patience = get_int (object, "patience", 0, G_MAXINT, o->patience);
      o->lr = (float) ts_json_get_double (object, "lr", o->lr);
      o->dropout = (float) ts_json_get_double (object, "dropout", o->dropout);
      o->val_split = (float) ts_json_get_double (object, "val_split", o->val_split);
      o->max_genres = get_int (object, "max_genres", 0, TS_MODEL_MAX_UNITS, o->max_genres);
      o->holdout = (float) ts_json_get_double (object, "holdout", o->holdout);
      if (seed != NULL && JSON_NODE_HOLDS_VALUE (seed)
          && json_node_get_value_type (seed) == G_TYPE_INT64)
        o->seed = (guint64) json_node_get_int (seed);
      if ((name = get_string (object, "optimizer")) != NULL
          && ts_nn_optimizer_from_name (name, &optimizer))
        o->optimizer = optimizer;
      if ((name = get_string (object, "loss")) != NULL && ts_nn_loss_from_name (name, &loss))
        o->loss = loss;
      if ((name = get_string (object, "activation")) != NULL
          && ts_nn_activation_from_name (name, &activation))
        o->activation = activation;
      node = json_object_get_member (object, "hidden");
      hidden = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
      n_hidden = hidden != NULL ? json_array_get_length (hidden) : 0;
      if (n_hidden >= 1 && n_hidden <= TS_MODEL_MAX_HIDDEN)
        {
          int sizes[TS_MODEL_MAX_HIDDEN];
          guint good = 0;

          for (guint i = 0; i < n_hidden; i++)
            {
              JsonNode *element = json_array_get_element (hidden, i);

              if (JSON_NODE_HOLDS_VALUE (element)
                  && json_node_get_value_type (element) == G_TYPE_INT64
                  && json_node_get_int (element) >= 1
                  && json_node_get_int (element) <= TS_MODEL_MAX_UNITS)
                sizes[good++] = (int) json_node_get_int (element);
            }
          if (good == n_hidden)
            {
              memcpy (o->hidden, sizes, sizeof (int) * n_hidden);
              o->n_hidden = (int) n_hidden;
            }
        }
    }

  object = ts_json_parse_object (parser, g_hash_table_lookup (self->metadata, "validation"));
  if (object != NULL)
    {
      r->epochs_run = get_int (object, "epochs_run", 0, G_MAXINT, 0);
      r->best_epoch = get_int (object, "best_epoch", 0, G_MAXINT, 0);
      r->n_train = get_int (object, "train_rows", 0, G_MAXINT, 0);
      r->n_val = get_int (object, "val_rows", 0, G_MAXINT, 0);
      r->loss = ts_json_get_double (object, "loss", NAN);
      r->val_loss = ts_json_get_double (object, "val_loss", NAN);
      r->val_mse = ts_json_get_double (object, "val_mse", NAN);
      r->baseline_mse = ts_json_get_double (object, "baseline_mse", NAN);
      r->r2 = ts_json_get_double (object, "r2", NAN);
      r->seconds = ts_json_get_double (object, "seconds", NAN);
    }
}

static gpointer
refuse (GError    **error,
        const char *path,
        const char *why)
{
  g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
               "%s is not a Tunescope predictor, autoencoder or genre model: %s", path, why);
  return NULL;
}

TsModel *
ts_model_load (const char  *path,
               GError     **error)
{
  g_autoptr (TsModel) self = NULL;
  g_autoptr (GHashTable) metadata = NULL;
  g_autoptr (TsNnModel) network = NULL;
  const char *kind_name, *layer_text;
  TsModelKind kind;
  guint64 layer = 0;
  int n_layers;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  network = ts_nn_model_load (path, &metadata, error);
  if (network == NULL)
    return NULL;
  kind_name = g_hash_table_lookup (metadata, "model");
  layer_text = g_hash_table_lookup (metadata, "embedding_layer");
  n_layers = ts_nn_model_get_n_layers (network);
  if (!ts_model_kind_from_name (kind_name, &kind))
    return refuse (error, path, "its __metadata__ names no model kind");
  if (layer_text == NULL
      || !g_ascii_string_to_unsigned (layer_text, 10, 0, (guint64) MAX (n_layers - 1, 0),
                                      &layer, NULL))
    return refuse (error, path, "its embedding layer is missing or out of range");
  if (ts_nn_model_get_input_size (network) != ts_model_kind_get_input_size (kind)
      || (kind == TS_MODEL_GENRE ? ts_nn_model_get_output_size (network) < 1
                                 : ts_nn_model_get_output_size (network)
                                   != ts_model_kind_get_output_size (kind)))
    return refuse (error, path, "its input or output size does not fit its kind");

  self = model_new (kind);
  self->network = g_steal_pointer (&network);
  self->embedding_layer = (int) layer;
  g_hash_table_unref (self->metadata);
  self->metadata = g_steal_pointer (&metadata);
  read_options_and_report (self);
  return g_steal_pointer (&self);
}

void
ts_model_free (TsModel *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->network, ts_nn_model_free);
  g_clear_pointer (&self->metadata, g_hash_table_unref);
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

/* Whether @self was trained on the very file @dataset was loaded from:
 * the same SHA-256 (the path may have moved, the bytes may not). */
gboolean
ts_model_matches_dataset (TsModel   *self,
                          TsDataset *dataset)
{
  g_autoptr (JsonParser) saved_parser = json_parser_new ();
  g_autoptr (JsonParser) current_parser = json_parser_new ();
  g_autofree char *current = NULL;
  JsonObject *saved_object, *current_object;
  const char *saved_sum, *current_sum;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (TS_IS_DATASET (dataset), FALSE);

  saved_object = ts_json_parse_object (saved_parser, g_hash_table_lookup (self->metadata, "dataset"));
  current = dup_dataset_json (dataset);
  current_object = ts_json_parse_object (current_parser, current);
  if (saved_object == NULL || current_object == NULL)
    return FALSE;
  saved_sum = json_object_get_string_member_with_default (saved_object, "sha256", NULL);
  current_sum = json_object_get_string_member_with_default (current_object, "sha256", NULL);
  return saved_sum != NULL && g_strcmp0 (saved_sum, current_sum) == 0;
}

static char *
dup_dataset_sha256 (TsDataset *dataset)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *json = dup_dataset_json (dataset);
  JsonObject *object = ts_json_parse_object (parser, json);

  if (object == NULL)
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (object, "sha256", NULL));
}

static TsModel *
load_if_made_for (const char  *path,
                  TsModelKind  kind,
                  TsDataset   *dataset)
{
  g_autoptr (TsModel) model = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  model = ts_model_load (path, NULL);
  if (model == NULL || ts_model_get_kind (model) != kind || !ts_model_matches_dataset (model, dataset))
    return NULL;
  return g_steal_pointer (&model);
}

/* The model of @kind for @dataset: the user's own (KIND.safetensors, from
 * `train`) when it was trained on this dataset; else the cached one for
 * this dataset's checksum (KIND-SHA.safetensors) when trained with
 * today's defaults; else one trained now with the default options
 * (seconds) and cached under that name. */
TsModel *
ts_model_ensure (TsDataset     *dataset,
                 TsModelKind    kind,
                 gboolean      *trained,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autofree char *user_path = ts_model_default_path (kind);
  g_autofree char *sha = NULL;
  g_autofree char *cache_path = NULL;
  g_autofree char *cache_name = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *defaults = NULL;
  g_autoptr (TsModel) model = NULL;
  TsModelOptions options;

  g_return_val_if_fail (TS_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (trained != NULL)
    *trained = FALSE;
  if ((model = load_if_made_for (user_path, kind, dataset)) != NULL)
    return g_steal_pointer (&model);

  sha = dup_dataset_sha256 (dataset);
  dir = g_path_get_dirname (user_path);
  cache_name = g_strdup_printf ("%s-%.12s.safetensors", ts_model_kind_get_name (kind),
                                sha != NULL ? sha : "nosum");
  cache_path = g_build_filename (dir, cache_name, NULL);
  ts_model_options_init (&options, kind);
  defaults = ts_model_options_to_json (&options);
  /* A cached model trained with other defaults (an older Tunescope) is
   * trained again. */
  if ((model = load_if_made_for (cache_path, kind, dataset)) != NULL
      && g_strcmp0 (g_hash_table_lookup (model->metadata, "training"), defaults) == 0)
    return g_steal_pointer (&model);
  g_clear_pointer (&model, ts_model_free);

  model = ts_model_train (dataset, &options, NULL, NULL, cancellable, error);
  if (model == NULL || !ts_model_check_path (cache_path, error) ||
      !ts_model_save (model, cache_path, error))
    return NULL;
  if (trained != NULL)
    *trained = TRUE;
  return g_steal_pointer (&model);
}
