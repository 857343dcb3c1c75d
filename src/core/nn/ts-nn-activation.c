/* ts-nn-activation.c: element-wise activations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include <math.h>
#include <string.h>

#include "ts-nn.h"

static const char * const activation_names[TS_NN_N_ACTS] = {
  "linear", "relu", "leaky_relu", "elu", "gelu", "tanh", "sigmoid", "relu6",
};

const char *
ts_nn_activation_get_name (TsNnActivation act)
{
  g_return_val_if_fail (act < TS_NN_N_ACTS, NULL);

  return activation_names[act];
}

gboolean
ts_nn_activation_from_name (const char     *name,
                            TsNnActivation *act)
{
  int index;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (act != NULL, FALSE);

  index = ts_nn_lookup_name (activation_names, TS_NN_N_ACTS, name);
  if (index < 0)
    return FALSE;
  *act = (TsNnActivation) index;
  return TRUE;
}

void
ts_nn_activation_forward (float         *out,
                          const float   *inp,
                          TsNnActivation act,
                          int N, int D)
{
  gsize total = (gsize) N * D;

  switch (act)
    {
    case TS_NN_ACT_LINEAR:
      memcpy (out, inp, sizeof (float) * total);
      break;
    case TS_NN_ACT_RELU:
      for (gsize i = 0; i < total; i++)
        out[i] = inp[i] > 0.0f ? inp[i] : 0.0f;
      break;
    case TS_NN_ACT_LEAKY_RELU:
      for (gsize i = 0; i < total; i++)
        out[i] = inp[i] > 0.0f ? inp[i] : TS_NN_LEAKY_SLOPE * inp[i];
      break;
    case TS_NN_ACT_ELU:
      for (gsize i = 0; i < total; i++)
        out[i] = inp[i] > 0.0f ? inp[i] : expm1f (inp[i]);
      break;
    case TS_NN_ACT_GELU:
      for (gsize i = 0; i < total; i++)
        out[i] = 0.5f * inp[i] * (1.0f + erff (inp[i] * (float) M_SQRT1_2));
      break;
    case TS_NN_ACT_TANH:
      for (gsize i = 0; i < total; i++)
        out[i] = tanhf (inp[i]);
      break;
    case TS_NN_ACT_SIGMOID:
      for (gsize i = 0; i < total; i++)
        out[i] = 1.0f / (1.0f + expf (-inp[i]));
      break;
    case TS_NN_ACT_RELU6:
      for (gsize i = 0; i < total; i++)
        out[i] = MIN (MAX (inp[i], 0.0f), 6.0f);
      break;
    case TS_NN_N_ACTS:
    default:
      g_assert_not_reached ();
    }
}

void
ts_nn_activation_backward (float         *dinp,
                           const float   *dout,
                           const float   *inp,
                           const float   *out,
                           TsNnActivation act,
                           int N, int D)
{
  gsize total = (gsize) N * D;

  switch (act)
    {
    case TS_NN_ACT_LINEAR:
      for (gsize i = 0; i < total; i++)
        dinp[i] += dout[i];
      break;
    /* Each gradient is loaded whatever the sign, so that the select
     * vectorises: a load under the condition keeps the loop scalar. */
    case TS_NN_ACT_RELU:
      for (gsize i = 0; i < total; i++)
        {
          float g = dout[i];
          dinp[i] += inp[i] > 0.0f ? g : 0.0f;
        }
      break;
    case TS_NN_ACT_LEAKY_RELU:
      for (gsize i = 0; i < total; i++)
        {
          float g = dout[i];
          dinp[i] += inp[i] > 0.0f ? g : TS_NN_LEAKY_SLOPE * g;
        }
      break;
    case TS_NN_ACT_ELU:
      /* Below zero, d/dx (e^x - 1) = e^x = out + 1. */
      for (gsize i = 0; i < total; i++)
        dinp[i] += inp[i] > 0.0f ? dout[i] : dout[i] * (out[i] + 1.0f);
      break;
    case TS_NN_ACT_GELU:
      for (gsize i = 0; i < total; i++)
        {
          float x = inp[i];
          float cdf = 0.5f * (1.0f + erff (x * (float) M_SQRT1_2));
          float pdf = expf (-0.5f * x * x) * (float) (M_2_SQRTPI * M_SQRT1_2 * 0.5);

          dinp[i] += dout[i] * (cdf + x * pdf);
        }
      break;
    case TS_NN_ACT_TANH:
      for (gsize i = 0; i < total; i++)
        dinp[i] += dout[i] * (1.0f - out[i] * out[i]);
      break;
    case TS_NN_ACT_SIGMOID:
      for (gsize i = 0; i < total; i++)
        dinp[i] += dout[i] * out[i] * (1.0f - out[i]);
      break;
    case TS_NN_ACT_RELU6:
      for (gsize i = 0; i < total; i++)
        {
          float g = dout[i];
          dinp[i] += inp[i] > 0.0f && inp[i] < 6.0f ? g : 0.0f;
        }
      break;
    case TS_NN_N_ACTS:
    default:
      g_assert_not_reached ();
    }
}
