/* ts-nn-dropout.c: inverted dropout with an explicit RNG
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include "ts-nn.h"

void
ts_nn_dropout_forward (float       *out,
                       float       *mask,
                       const float *inp,
                       float        rate,
                       gboolean     training,
                       TsNnRng     *rng,
                       int N, int D)
{
  gsize total = (gsize) N * D;
  float keep = 1.0f - rate;

  g_assert (out != NULL && mask != NULL && inp != NULL);
  g_assert (rate >= 0.0f && rate < 1.0f);

  for (gsize i = 0; i < total; i++)
    {
      if (!training || rate == 0.0f)
        mask[i] = 1.0f;
      else
        mask[i] = ts_nn_rng_uniform (rng) < keep ? 1.0f / keep : 0.0f;
      out[i] = inp[i] * mask[i];
    }
}

void
ts_nn_dropout_backward (float       *dinp,
                        const float *dout,
                        const float *mask,
                        int N, int D)
{
  gsize total = (gsize) N * D;

  for (gsize i = 0; i < total; i++)
    dinp[i] += dout[i] * mask[i];
}
