/* ts-nn-optim.c: optimizers and weight initialisation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The update rules are PyTorch's (torch.optim), so that its runs are a
 * reference: weight decay is L2 added to the gradient, except for AdamW
 * where it is decoupled.
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include <math.h>

#include "ts-nn.h"

static const char * const optimizer_names[TS_NN_N_OPTS] = {
  "sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw",
};

const char *
ts_nn_optimizer_get_name (TsNnOptimizer opt)
{
  g_return_val_if_fail (opt < TS_NN_N_OPTS, NULL);

  return optimizer_names[opt];
}

gboolean
ts_nn_optimizer_from_name (const char    *name,
                           TsNnOptimizer *opt)
{
  int index;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (opt != NULL, FALSE);

  index = ts_nn_lookup_name (optimizer_names, TS_NN_N_OPTS, name);
  if (index < 0)
    return FALSE;
  *opt = (TsNnOptimizer) index;
  return TRUE;
}

void
ts_nn_optim_config_init (TsNnOptimConfig *config,
                         TsNnOptimizer    kind,
                         float            lr)
{
  g_return_if_fail (config != NULL);
  g_return_if_fail (kind < TS_NN_N_OPTS);

  *config = (TsNnOptimConfig) {
    .kind = kind, .lr = lr, .momentum = 0.9f, .alpha = 0.99f,
    .beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-8f,
    .weight_decay = kind == TS_NN_OPT_ADAMW ? 0.01f : 0.0f,
  };
}

int
ts_nn_optim_state_size (TsNnOptimizer kind)
{
  switch (kind)
    {
    case TS_NN_OPT_SGD:
      return 0;
    case TS_NN_OPT_MOMENTUM:
    case TS_NN_OPT_NESTEROV:
    case TS_NN_OPT_RMSPROP:
      return 1;
    case TS_NN_OPT_ADAM:
    case TS_NN_OPT_ADAMW:
      return 2;
    case TS_NN_N_OPTS:
    default:
      g_return_val_if_reached (0);
    }
}

void
ts_nn_optim_step (float                 *params,
                  const float           *grads,
                  float                 *m,
                  float                 *v,
                  const TsNnOptimConfig *c,
                  int                    t,
                  gsize                  P)
{
  float bc1 = 1.0f - powf (c->beta1, (float) t);
  float bc2 = 1.0f - powf (c->beta2, (float) t);
  float wd = c->weight_decay;

  g_assert (params != NULL && grads != NULL && c != NULL && t >= 1);
  g_assert (ts_nn_optim_state_size (c->kind) < 1 || m != NULL);
  g_assert (ts_nn_optim_state_size (c->kind) < 2 || v != NULL);

  for (gsize i = 0; i < P; i++)
    {
      float g = grads[i];

      if (c->kind != TS_NN_OPT_ADAMW)
        g += wd * params[i];

      switch (c->kind)
        {
        case TS_NN_OPT_SGD:
          params[i] -= c->lr * g;
          break;
        case TS_NN_OPT_MOMENTUM:
        case TS_NN_OPT_NESTEROV:
          /* PyTorch seeds the buffer with the first gradient. */
          m[i] = t == 1 ? g : c->momentum * m[i] + g;
          params[i] -= c->lr * (c->kind == TS_NN_OPT_NESTEROV ? g + c->momentum * m[i] : m[i]);
          break;
        case TS_NN_OPT_RMSPROP:
          m[i] = c->alpha * m[i] + (1.0f - c->alpha) * g * g;
          params[i] -= c->lr * g / (sqrtf (m[i]) + c->eps);
          break;
        case TS_NN_OPT_ADAMW:
          params[i] *= 1.0f - c->lr * wd;
          G_GNUC_FALLTHROUGH;
        case TS_NN_OPT_ADAM:
          m[i] = c->beta1 * m[i] + (1.0f - c->beta1) * g;
          v[i] = c->beta2 * v[i] + (1.0f - c->beta2) * g * g;
          params[i] -= c->lr / bc1 * m[i] / (sqrtf (v[i]) / sqrtf (bc2) + c->eps);
          break;
        case TS_NN_N_OPTS:
        default:
          g_assert_not_reached ();
        }
    }
}

void
ts_nn_init_glorot_uniform (float   *w,
                           gsize    n,
                           int      fan_in,
                           int      fan_out,
                           TsNnRng *rng)
{
  float limit = sqrtf (6.0f / (float) (fan_in + fan_out));

  g_return_if_fail (w != NULL && rng != NULL);

  for (gsize i = 0; i < n; i++)
    w[i] = (2.0f * ts_nn_rng_uniform (rng) - 1.0f) * limit;
}

void
ts_nn_init_he_normal (float   *w,
                      gsize    n,
                      int      fan_in,
                      TsNnRng *rng)
{
  float std = sqrtf (2.0f / (float) fan_in);

  g_return_if_fail (w != NULL && rng != NULL);

  for (gsize i = 0; i < n; i++)
    w[i] = ts_nn_rng_normal (rng) * std;
}
