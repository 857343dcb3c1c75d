/* ts-nn-avgpool.c: global average pooling, each (H, W) plane to its mean
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sums in double: a 112 x 112 plane is 12,544 terms, and a float sum's
 * rounding would then depend on their order more than a reference allows.
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include "ts-nn.h"

void
ts_nn_global_avgpool_forward (float       *out,
                              const float *inp,
                              int N, int C, int S)
{
  g_assert (out != NULL && inp != NULL && S > 0);

  for (gsize p = 0; p < (gsize) N * C; p++)
    {
      const float *plane = inp + p * S;
      double sum = 0.0;

      for (int s = 0; s < S; s++)
        sum += plane[s];
      out[p] = (float) (sum / S);
    }
}

void
ts_nn_global_avgpool_backward (float       *dinp,
                               const float *dout,
                               int N, int C, int S)
{
  g_assert (dinp != NULL && dout != NULL && S > 0);

  for (gsize p = 0; p < (gsize) N * C; p++)
    {
      float share = dout[p] / (float) S;

      for (int s = 0; s < S; s++)
        dinp[p * S + s] += share;
    }
}
