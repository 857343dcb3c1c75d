/* ts-nn-batchnorm.c: batch normalisation, 1-D and 2-D
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include <math.h>

#include "ts-nn.h"

void
ts_nn_batchnorm_forward (float       *out,
                         float       *mean,
                         float       *rstd,
                         float       *running_mean,
                         float       *running_var,
                         const float *inp,
                         const float *gamma,
                         const float *beta,
                         gboolean     training,
                         int N, int C, int S)
{
  gsize M = (gsize) N * S;

  g_assert (out != NULL && mean != NULL && rstd != NULL && inp != NULL);

  for (int c = 0; c < C; c++)
    {
      if (training)
        {
          double sum = 0.0, sq = 0.0, m, var;

          for (int n = 0; n < N; n++)
            {
              const float *x = inp + ((gsize) n * C + c) * S;
              for (int s = 0; s < S; s++)
                sum += x[s];
            }
          m = sum / M;
          for (int n = 0; n < N; n++)
            {
              const float *x = inp + ((gsize) n * C + c) * S;
              for (int s = 0; s < S; s++)
                sq += (x[s] - m) * (x[s] - m);
            }
          var = sq / M;
          mean[c] = (float) m;
          rstd[c] = (float) (1.0 / sqrt (var + TS_NN_BATCHNORM_EPS));
          running_mean[c] = (1.0f - TS_NN_BATCHNORM_MOMENTUM) * running_mean[c]
                            + TS_NN_BATCHNORM_MOMENTUM * (float) m;
          running_var[c] = (1.0f - TS_NN_BATCHNORM_MOMENTUM) * running_var[c]
                           + TS_NN_BATCHNORM_MOMENTUM * (float) (M > 1 ? sq / (M - 1) : var);
        }
      else
        {
          mean[c] = running_mean[c];
          rstd[c] = 1.0f / sqrtf (running_var[c] + TS_NN_BATCHNORM_EPS);
        }

      for (int n = 0; n < N; n++)
        {
          gsize base = ((gsize) n * C + c) * S;
          float scale = gamma[c] * rstd[c];

          for (int s = 0; s < S; s++)
            out[base + s] = (inp[base + s] - mean[c]) * scale + beta[c];
        }
    }
}

void
ts_nn_batchnorm_backward (float       *dinp,
                          float       *dgamma,
                          float       *dbeta,
                          const float *dout,
                          const float *inp,
                          const float *mean,
                          const float *rstd,
                          const float *gamma,
                          gboolean     training,
                          int N, int C, int S)
{
  gsize M = (gsize) N * S;

  g_assert (dgamma != NULL && dbeta != NULL && dout != NULL && inp != NULL);

  for (int c = 0; c < C; c++)
    {
      double sum_d = 0.0, sum_dx = 0.0;
      float k1, k2;

      for (int n = 0; n < N; n++)
        {
          gsize base = ((gsize) n * C + c) * S;

          for (int s = 0; s < S; s++)
            {
              float xhat = (inp[base + s] - mean[c]) * rstd[c];

              sum_d += dout[base + s];
              sum_dx += dout[base + s] * xhat;
            }
        }
      dgamma[c] += (float) sum_dx;
      dbeta[c] += (float) sum_d;
      if (dinp == NULL)
        continue;

      /* dx = gamma rstd (dy - mean (dy) - xhat mean (dy xhat)); in eval
       * mode the statistics are constants and only the first term stays. */
      k1 = training ? (float) (sum_d / M) : 0.0f;
      k2 = training ? (float) (sum_dx / M) : 0.0f;
      for (int n = 0; n < N; n++)
        {
          gsize base = ((gsize) n * C + c) * S;

          for (int s = 0; s < S; s++)
            {
              float xhat = (inp[base + s] - mean[c]) * rstd[c];

              dinp[base + s] += gamma[c] * rstd[c] * (dout[base + s] - k1 - xhat * k2);
            }
        }
    }
}
