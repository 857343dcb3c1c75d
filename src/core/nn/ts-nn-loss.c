/* ts-nn-loss.c: regression and classification losses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include <math.h>

#include "ts-nn.h"

static const char * const loss_names[TS_NN_N_LOSSES] = { "mse", "mae", "huber", "bce" };

const char *
ts_nn_loss_get_name (TsNnLoss loss)
{
  g_return_val_if_fail (loss < TS_NN_N_LOSSES, NULL);

  return loss_names[loss];
}

gboolean
ts_nn_loss_from_name (const char *name,
                      TsNnLoss   *loss)
{
  int index;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (loss != NULL, FALSE);

  index = ts_nn_lookup_name (loss_names, TS_NN_N_LOSSES, name);
  if (index < 0)
    return FALSE;
  *loss = (TsNnLoss) index;
  return TRUE;
}

static inline float
clamp_probability (float p)
{
  return CLAMP (p, TS_NN_BCE_EPS, 1.0f - TS_NN_BCE_EPS);
}

float
ts_nn_loss_forward (const float *pred,
                    const float *target,
                    TsNnLoss     loss,
                    int N, int D)
{
  gsize total = (gsize) N * D;
  double sum = 0.0;

  g_assert (pred != NULL && target != NULL);

  for (gsize i = 0; i < total; i++)
    {
      float e = pred[i] - target[i];
      float p;

      switch (loss)
        {
        case TS_NN_LOSS_MSE:
          sum += e * e;
          break;
        case TS_NN_LOSS_MAE:
          sum += fabsf (e);
          break;
        case TS_NN_LOSS_HUBER:
          sum += fabsf (e) <= TS_NN_HUBER_DELTA
                 ? 0.5f * e * e
                 : TS_NN_HUBER_DELTA * (fabsf (e) - 0.5f * TS_NN_HUBER_DELTA);
          break;
        case TS_NN_LOSS_BCE:
          p = clamp_probability (pred[i]);
          sum -= target[i] * logf (p) + (1.0f - target[i]) * logf (1.0f - p);
          break;
        case TS_NN_N_LOSSES:
        default:
          g_assert_not_reached ();
        }
    }
  return total > 0 ? (float) (sum / total) : 0.0f;
}

void
ts_nn_loss_backward (float       *dpred,
                     const float *pred,
                     const float *target,
                     TsNnLoss     loss,
                     int N, int D)
{
  gsize total = (gsize) N * D;
  float scale = total > 0 ? 1.0f / total : 0.0f;

  for (gsize i = 0; i < total; i++)
    {
      float e = pred[i] - target[i];
      float p;

      switch (loss)
        {
        case TS_NN_LOSS_MSE:
          dpred[i] += 2.0f * e * scale;
          break;
        case TS_NN_LOSS_MAE:
          dpred[i] += (e > 0.0f ? 1.0f : e < 0.0f ? -1.0f : 0.0f) * scale;
          break;
        case TS_NN_LOSS_HUBER:
          dpred[i] += CLAMP (e, -TS_NN_HUBER_DELTA, TS_NN_HUBER_DELTA) * scale;
          break;
        case TS_NN_LOSS_BCE:
          /* The clamp is flat outside [eps, 1 - eps], as in Keras. */
          p = clamp_probability (pred[i]);
          if (p == pred[i])
            dpred[i] += (p - target[i]) / (p * (1.0f - p)) * scale;
          break;
        case TS_NN_N_LOSSES:
        default:
          g_assert_not_reached ();
        }
    }
}
