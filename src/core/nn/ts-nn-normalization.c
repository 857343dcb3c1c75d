/* ts-nn-normalization.c: feature-wise standardisation adapted to data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keras' Normalization layer: mean and variance are not trained but
 * measured once on the training data (adapt), then frozen.
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include <math.h>

#include "ts-nn.h"

void
ts_nn_normalization_adapt (float       *mean,
                           float       *variance,
                           const float *inp,
                           int N, int C)
{
  g_assert (mean != NULL && variance != NULL && inp != NULL);

  /* Two passes in double: 170k rows of [0,1] data stay exact enough. */
  for (int c = 0; c < C; c++)
    {
      double sum = 0.0, sq = 0.0, m;

      for (int n = 0; n < N; n++)
        sum += inp[(gsize) n * C + c];
      m = N > 0 ? sum / N : 0.0;
      for (int n = 0; n < N; n++)
        {
          double d = inp[(gsize) n * C + c] - m;
          sq += d * d;
        }
      mean[c] = (float) m;
      variance[c] = N > 0 ? (float) (sq / N) : 1.0f;
    }
}

static inline float
normalization_scale (float variance)
{
  return 1.0f / fmaxf (sqrtf (variance), TS_NN_NORMALIZATION_EPS);
}

void
ts_nn_normalization_forward (float       *out,
                             const float *inp,
                             const float *mean,
                             const float *variance,
                             int N, int C, int S)
{
  for (int n = 0; n < N; n++)
    for (int c = 0; c < C; c++)
      {
        float scale = normalization_scale (variance[c]);
        gsize base = ((gsize) n * C + c) * S;

        for (int s = 0; s < S; s++)
          out[base + s] = (inp[base + s] - mean[c]) * scale;
      }
}

void
ts_nn_normalization_backward (float       *dinp,
                              const float *dout,
                              const float *variance,
                              int N, int C, int S)
{
  for (int n = 0; n < N; n++)
    for (int c = 0; c < C; c++)
      {
        float scale = normalization_scale (variance[c]);
        gsize base = ((gsize) n * C + c) * S;

        for (int s = 0; s < S; s++)
          dinp[base + s] += dout[base + s] * scale;
      }
}
