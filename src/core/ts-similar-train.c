/* ts-similar-train.c: "train on this playlist": a small classifier finds songs like it
 *
 * The playlist's songs are the positives, songs sampled from the rest the
 * negatives; a one-hidden-layer network learns to tell them apart in the
 * chosen space, and every song is ranked by its logit. Runs in a worker
 * with its epochs relayed to the caller (TsRelay).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-similar"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ts-dataset.h"
#include "ts-error.h"
#include "ts-similar-private.h"

#define TRAIN_HIDDEN      16
#define TRAIN_EPOCHS      30
#define TRAIN_BATCH       128
#define TRAIN_LR          1e-2f
/* Negatives: this many per playlist song, within these bounds. */
#define TRAIN_NEG_PER_POS 20
#define TRAIN_MIN_NEG     2000
#define TRAIN_MAX_NEG     20000
#define TRAIN_SEED        20200121

/* A seeded sample of up to @n_wanted rows not flagged in @exclude. */
static GArray *
sample_negatives (const guint8 *exclude,
                  guint         n,
                  guint         n_wanted,
                  guint64       seed)
{
  GArray *pool = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n);
  guint32 *rows;
  TsNnRng rng;

  for (guint32 i = 0; i < n; i++)
    if (!exclude[i])
      g_array_append_val (pool, i);
  n_wanted = MIN (n_wanted, pool->len);
  rows = (guint32 *) pool->data;
  ts_nn_rng_init (&rng, seed);
  /* A partial Fisher-Yates shuffle: distinct rows. */
  for (guint i = 0; i < n_wanted; i++)
    {
      guint j = i + ts_nn_rng_below (&rng, pool->len - i);
      guint32 tmp = rows[i];

      rows[i] = rows[j];
      rows[j] = tmp;
    }
  g_array_set_size (pool, n_wanted);
  return pool;
}

/* The training set: each playlist song repeated so that both classes
 * weigh about the same, then the negatives. */
static int
build_training_set (TsSpace       *space,
                    const guint32 *rows,
                    guint          n_rows,
                    GArray        *negatives,
                    float        **x_out,
                    float        **y_out)
{
  guint d = ts_space_get_dim (space);
  const float *data = ts_space_get_data (space);
  guint reps = MAX (1, negatives->len / n_rows);
  int n = (int) (n_rows * reps + negatives->len), i = 0;
  float *x = g_new (float, (gsize) n * d);
  float *y = g_new (float, n);

  for (guint r = 0; r < reps; r++)
    for (guint p = 0; p < n_rows; p++, i++)
      {
        memcpy (x + (gsize) i * d, data + (gsize) rows[p] * d, d * sizeof (float));
        y[i] = 1.0f;
      }
  for (guint q = 0; q < negatives->len; q++, i++)
    {
      memcpy (x + (gsize) i * d, data + (gsize) g_array_index (negatives, guint32, q) * d,
              d * sizeof (float));
      y[i] = 0.0f;
    }
  *x_out = x;
  *y_out = y;
  return n;
}

static TsNnModel *
build_classifier (guint     d,
                  GError  **error)
{
  g_autoptr(TsNnModel) net = ts_nn_model_new ((int) d, 1, 1);

  ts_nn_model_add_normalization (net);
  ts_nn_model_add_dense (net, TRAIN_HIDDEN);
  ts_nn_model_add_activation (net, TS_NN_ACT_RELU);
  ts_nn_model_add_dense (net, 1);
  ts_nn_model_add_activation (net, TS_NN_ACT_SIGMOID);
  if (!ts_nn_model_build (net, TRAIN_SEED, error))
    return NULL;
  return g_steal_pointer (&net);
}

/* The classifier's layers: the last Dense gives the logit. */
#define TRAIN_LOGIT_LAYER 3

/* Every song's logit, (n) floats, or NULL with @error: ranking by logits
 * keeps apart the songs whose probabilities all round to 1 in float. */
static float *
train_and_score (TsSimilar      *self,
                 const guint32  *rows,
                 guint           n_rows,
                 const guint8   *exclude,
                 TsNnEpochFunc   progress,
                 gpointer        progress_data,
                 GCancellable   *cancellable,
                 GError        **error)
{
  guint n = ts_dataset_get_n_rows (self->dataset);
  guint n_wanted = CLAMP (n_rows * TRAIN_NEG_PER_POS, TRAIN_MIN_NEG, TRAIN_MAX_NEG);
  g_autoptr(GArray) negatives = sample_negatives (exclude, n, n_wanted, TRAIN_SEED + n_rows);
  g_autoptr(TsNnModel) net = NULL;
  g_autofree float *x = NULL, *y = NULL, *scores = NULL;
  TsNnTrainOptions options;
  int n_samples;

  if (negatives->len == 0)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                   "every song of the dataset is in the playlist: nothing to recommend");
      return NULL;
    }
  n_samples = build_training_set (self->space, rows, n_rows, negatives, &x, &y);
  net = build_classifier (ts_space_get_dim (self->space), error);
  if (net == NULL || !ts_nn_model_adapt (net, x, n_samples, error))
    return NULL;
  ts_nn_train_options_init (&options);
  options.epochs = TRAIN_EPOCHS;
  options.batch_size = TRAIN_BATCH;
  options.loss = TS_NN_LOSS_BCE;
  options.val_split = 0.0f;
  options.patience = 0;
  options.seed = TRAIN_SEED;
  ts_nn_optim_config_init (&options.optim, TS_NN_OPT_ADAM, TRAIN_LR);
  if (!ts_nn_model_fit (net, x, y, n_samples, &options, progress, progress_data, cancellable,
                        NULL, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  scores = g_new (float, n + 1);
  if (!ts_nn_model_predict (net, ts_space_get_data (self->space), (int) n, TRAIN_LOGIT_LAYER,
                            scores, error))
    return NULL;
  return g_steal_pointer (&scores);
}

GArray *
ts_similar_playlist_train (TsSimilar      *self,
                           const guint32  *rows,
                           guint           n_rows,
                           guint           limit,
                           TsNnEpochFunc   progress,
                           gpointer        progress_data,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_autofree guint8 *exclude = NULL;
  g_autofree TsNeighbor *neighbors = NULL;
  g_autoptr(TsSpace) ranking = NULL;
  float query_base[TS_N_FEATURES];
  const float best = 1.0f;
  float *scores;
  guint n_found = 0;
  GArray *results;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (rows != NULL || n_rows == 0, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; i < n_rows; i++)
    g_return_val_if_fail (rows[i] < ts_dataset_get_n_rows (self->dataset), NULL);

  if (n_rows == 0)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                   "the playlist has no songs of the dataset to train on");
      return NULL;
    }
  exclude = _ts_similar_exclude_groups_of (self, rows, n_rows);
  scores = train_and_score (self, rows, n_rows, exclude, progress, progress_data, cancellable,
                            error);
  if (scores == NULL)
    return NULL;

  /* The logits as a one-dimensional space: the largest products with 1
   * are the nearest, and the search drops the playlist and duplicates. */
  ranking = ts_space_new ("train", ts_dataset_get_n_rows (self->dataset), 1, scores);
  {
    TsKnnOptions options = { TS_METRIC_DOT, limit, self->groups, exclude, NULL };

    neighbors = g_new (TsNeighbor, limit + 1);
    ts_knn_search (ranking, &options, &best, 1, neighbors, &n_found);
  }
  /* distance = -logit; 1 - sigmoid (logit) = 1 / (1 + exp (logit)) */
  for (guint i = 0; i < n_found; i++)
    neighbors[i].distance = (float) (1.0 / (1.0 + exp (-(double) neighbors[i].distance)));
  _ts_similar_mean_of_rows (self->base, rows, n_rows, query_base);
  results = _ts_similar_results_from_neighbors (self, query_base, neighbors, n_found);
  return results;
}

typedef struct
{
  guint32      *rows;
  guint         n_rows;
  guint         limit;
  TsRelay      *relay;  /* epochs to the caller */
} TrainTask;

static void
train_task_free (gpointer data)
{
  TrainTask *tt = data;

  g_free (tt->rows);
  ts_relay_unref (tt->relay);
  g_free (tt);
}

static void
train_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  TrainTask *tt = data;
  GError *error = NULL;
  GArray *results;

  (void) source;
  results = ts_similar_playlist_train (g_object_get_data (G_OBJECT (task), "ts-similar"),
                                       tt->rows, tt->n_rows, tt->limit,
                                       ts_relay_report_epoch, tt->relay, cancellable,
                                       &error);
  if (results == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, results, (GDestroyNotify) g_array_unref);
}

void
ts_similar_playlist_train_async (TsSimilar           *self,
                                 const guint32       *rows,
                                 guint                n_rows,
                                 guint                limit,
                                 TsNnEpochFunc        progress,
                                 gpointer             progress_data,
                                 GDestroyNotify       progress_data_free,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TrainTask *tt;

  g_return_if_fail (self != NULL);
  g_return_if_fail (rows != NULL || n_rows == 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  tt = g_new0 (TrainTask, 1);
  tt->rows = g_memdup2 (rows, n_rows * sizeof (guint32));
  tt->n_rows = n_rows;
  tt->limit = limit;
  tt->relay = ts_relay_new_epochs (progress, progress_data, progress_data_free);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ts_similar_playlist_train_async);
  g_task_set_name (task, "[tunescope] ts_similar_playlist_train_async");
  g_task_set_task_data (task, tt, train_task_free);
  g_object_set_data_full (G_OBJECT (task), "ts-similar", ts_similar_ref (self), _ts_similar_unref_data);
  g_task_run_in_thread (task, train_thread);
}

GArray *
ts_similar_playlist_train_finish (TsSimilar     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == ts_similar_playlist_train_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
