/* ts-nn-train.c: the training loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything the loop needs (index permutation, target batch, best
 * weights) is allocated before the first epoch; the steps themselves only
 * run the model's forward, backward and optimizer on its arena.
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include <math.h>
#include <string.h>

#include "ts-error.h"
#include "ts-nn-model-private.h"

void
ts_nn_train_options_init (TsNnTrainOptions *options)
{
  g_return_if_fail (options != NULL);

  *options = (TsNnTrainOptions) {
    .epochs = 20, .batch_size = 256, .loss = TS_NN_LOSS_MSE, .val_split = 0.1f,
    .patience = 3, .seed = 42, .n_threads = 0,
  };
  ts_nn_optim_config_init (&options->optim, TS_NN_OPT_ADAM, 1e-3f);
}

static void
gather (float       *dst,
        const float *src,
        const guint *idx,
        int          count,
        int          width)
{
  for (int i = 0; i < count; i++)
    memcpy (dst + (gsize) i * width, src + (gsize) idx[i] * width, sizeof (float) * width);
}

/* The mean loss over @idx in eval mode. */
static double
evaluate (TsNnModel        *self,
          const float      *x,
          const float      *y,
          const guint      *idx,
          int               n,
          float            *target,
          TsNnLoss          loss)
{
  int in = ts_nn_model_get_input_size (self), out = ts_nn_model_get_output_size (self);
  double sum = 0.0;

  for (int start = 0; start < n; start += self->batch)
    {
      int count = MIN (self->batch, n - start);
      const float *pred;

      gather (self->act[0], x, idx + start, count, in);
      gather (target, y, idx + start, count, out);
      pred = ts_nn_model_forward (self, self->act[0], count, FALSE);
      sum += (double) ts_nn_loss_forward (pred, target, loss, count, out) * count;
    }
  return n > 0 ? sum / n : NAN;
}

static void
split_indices (TsNnRng *shuffler,
               guint   *idx,
               int      n)
{
  for (int i = 0; i < n; i++)
    idx[i] = (guint) i;
  ts_nn_rng_shuffle (shuffler, idx, (guint) n);
}

int
ts_nn_train_split (const TsNnTrainOptions *options,
                   int                     n,
                   guint                  *idx)
{
  TsNnRng shuffler;

  g_return_val_if_fail (options != NULL, 0);
  g_return_val_if_fail (idx != NULL || n == 0, 0);

  ts_nn_rng_init (&shuffler, options->seed);
  split_indices (&shuffler, idx, n);
  return (int) floor (n * (double) options->val_split);
}

static gboolean
check_options (TsNnModel              *self,
               int                     n,
               const TsNnTrainOptions *o,
               GError                **error)
{
  int n_val = (int) floor (n * (double) o->val_split);

  if (o->epochs <= 0 || o->batch_size <= 0 || !(o->val_split >= 0.0f && o->val_split < 1.0f)
      || o->patience < 0 || (o->val_x != NULL && (o->val_y == NULL || o->n_val < 1
                                                   || o->val_split > 0.0f))
      || o->loss >= TS_NN_N_LOSSES || o->optim.kind >= TS_NN_N_OPTS
      || !(o->optim.lr > 0.0f))
    {
      g_set_error_literal (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                           "Invalid training options (epochs, batch size, learning rate, "
                           "loss, optimizer or validation split)");
      return FALSE;
    }
  if (n - n_val < 1)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                   "Too few samples to train on (%d, of which %d for validation)", n, n_val);
      return FALSE;
    }
  return TRUE;
}

static gboolean
fit (TsNnModel              *self,
     const float            *x,
     const float            *y,
     int                     n,
     const TsNnTrainOptions *options,
     TsNnEpochFunc           callback,
     gpointer                user_data,
     GCancellable           *cancellable,
     TsNnEpochInfo          *result,
     GError                **error)
{
  int in, out, n_val, n_train, epochs_without_gain = 0;
  g_autofree guint *idx = NULL, *val_idx = NULL;
  g_autofree float *target = NULL, *best = NULL, *best_buffers = NULL;
  double best_val = INFINITY, total_s = 0.0;
  gboolean has_val;
  TsNnEpochInfo info = { 0 };
  TsNnRng shuffler;

  g_return_val_if_fail (self != NULL && self->built, FALSE);
  g_return_val_if_fail (x != NULL && y != NULL && n > 0, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_options (self, n, options, error))
    return FALSE;

  in = ts_nn_model_get_input_size (self);
  out = ts_nn_model_get_output_size (self);
  n_val = (int) floor (n * (double) options->val_split);
  n_train = n - n_val;
  has_val = n_val > 0 || options->val_x != NULL;
  if (!ts_nn_model_prepare (self, MIN (options->batch_size, n), error))
    return FALSE;

  /* Allocations of the whole run, before the first step. */
  idx = g_new (guint, n);
  target = g_new (float, (gsize) self->batch * out);
  best = g_new (float, MAX (self->n_params, 1));
  best_buffers = g_new (float, MAX (self->n_buffers, 1));
  ts_nn_model_set_optimizer (self, &options->optim);
  ts_nn_rng_init (&shuffler, options->seed);
  ts_nn_model_set_seed (self, options->seed ^ G_GUINT64_CONSTANT (0x5DEECE66D));

  /* The validation samples are the tail of one seeded shuffle, or the
   * caller's own. */
  split_indices (&shuffler, idx, n);
  if (options->val_x != NULL)
    {
      val_idx = g_new (guint, options->n_val);
      for (int i = 0; i < options->n_val; i++)
        val_idx[i] = (guint) i;
    }

  info.epochs = options->epochs;
  info.val_loss = NAN;
  for (int epoch = 1; epoch <= options->epochs; epoch++)
    {
      gint64 t0 = g_get_monotonic_time ();
      double sum = 0.0;

      ts_nn_rng_shuffle (&shuffler, idx, (guint) n_train);
      for (int start = 0; start < n_train; start += self->batch)
        {
          int count = MIN (self->batch, n_train - start);

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          gather (self->act[0], x, idx + start, count, in);
          gather (target, y, idx + start, count, out);
          ts_nn_model_forward (self, self->act[0], count, TRUE);
          ts_nn_model_zero_grad (self);
          sum += (double) ts_nn_model_backward (self, target, options->loss, FALSE) * count;
          ts_nn_model_step (self);
        }
      if (!isfinite (sum))
        {
          g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                       "Training diverged in epoch %d (the loss is not finite); "
                       "try a smaller learning rate", epoch);
          return FALSE;
        }

      info.epoch = epoch;
      info.loss = sum / n_train;
      if (val_idx != NULL)
        info.val_loss = evaluate (self, options->val_x, options->val_y, val_idx, options->n_val,
                                  target, options->loss);
      else
        info.val_loss = n_val > 0 ? evaluate (self, x, y, idx + n_train, n_val, target,
                                              options->loss) : NAN;
      info.epoch_s = (g_get_monotonic_time () - t0) / 1e6;
      total_s += info.epoch_s;
      info.samples_per_s = info.epoch_s > 0 ? n_train / info.epoch_s : 0.0;
      info.eta_s = total_s / epoch * (options->epochs - epoch);

      if (has_val && info.val_loss < best_val)
        {
          best_val = info.val_loss;
          info.best_epoch = epoch;
          epochs_without_gain = 0;
          memcpy (best, self->params, sizeof (float) * self->n_params);
          memcpy (best_buffers, self->buffers, sizeof (float) * self->n_buffers);
        }
      else if (has_val)
        epochs_without_gain++;

      if (options->patience > 0 && epochs_without_gain >= options->patience)
        info.eta_s = 0.0;
      if (callback != NULL)
        callback (&info, user_data);
      if (options->patience > 0 && epochs_without_gain >= options->patience)
        break;
    }

  /* Keep the weights of the best validation loss. */
  if (has_val && info.best_epoch != info.epoch)
    {
      memcpy (self->params, best, sizeof (float) * self->n_params);
      memcpy (self->buffers, best_buffers, sizeof (float) * self->n_buffers);
      info.val_loss = best_val;
    }
  if (result != NULL)
    *result = info;
  return TRUE;
}

gboolean
ts_nn_model_fit (TsNnModel              *self,
                 const float            *x,
                 const float            *y,
                 int                     n,
                 const TsNnTrainOptions *options,
                 TsNnEpochFunc           callback,
                 gpointer                user_data,
                 GCancellable           *cancellable,
                 TsNnEpochInfo          *result,
                 GError                **error)
{
  g_return_val_if_fail (self != NULL && self->built, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  /* The engine's threads, shared with every other user of the engine in
   * this process; they change the speed only (ts-nn-threads.c). */
  if (options->n_threads > 0)
    ts_nn_set_num_threads (options->n_threads);
  return fit (self, x, y, n, options, callback, user_data, cancellable, result, error);
}
