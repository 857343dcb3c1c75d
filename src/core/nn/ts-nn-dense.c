/* ts-nn-dense.c: the fully connected layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include <string.h>
#include <cblas.h>

#include "ts-nn.h"

void
ts_nn_dense_forward (float       *out,
                     const float *inp,
                     const float *weight,
                     const float *bias,
                     int N, int IC, int OC)
{
  g_assert (out != NULL && inp != NULL && weight != NULL);

  ts_nn_blas_init ();
  if (bias != NULL)
    for (int n = 0; n < N; n++)
      memcpy (out + (gsize) n * OC, bias, sizeof (float) * OC);
  /* out (N, OC) = inp (N, IC) . weight^T (IC, OC) [+ out] */
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, N, OC, IC,
               1.0f, inp, IC, weight, IC, bias != NULL ? 1.0f : 0.0f, out, OC);
}

void
ts_nn_dense_forward_naive (float       *out,
                           const float *inp,
                           const float *weight,
                           const float *bias,
                           int N, int IC, int OC)
{
  for (int n = 0; n < N; n++)
    for (int o = 0; o < OC; o++)
      {
        const float *x = inp + (gsize) n * IC;
        const float *w = weight + (gsize) o * IC;
        float sum = bias != NULL ? bias[o] : 0.0f;

        for (int c = 0; c < IC; c++)
          sum += x[c] * w[c];
        out[(gsize) n * OC + o] = sum;
      }
}

void
ts_nn_dense_backward (float       *dinp,
                      float       *dweight,
                      float       *dbias,
                      const float *dout,
                      const float *inp,
                      const float *weight,
                      int N, int IC, int OC)
{
  g_assert (dweight != NULL && dout != NULL && inp != NULL && weight != NULL);

  ts_nn_blas_init ();
  /* dinp (N, IC) += dout (N, OC) . weight (OC, IC) */
  if (dinp != NULL)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, N, IC, OC,
                 1.0f, dout, OC, weight, IC, 1.0f, dinp, IC);
  /* dweight (OC, IC) += dout^T (OC, N) . inp (N, IC) */
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, OC, IC, N,
               1.0f, dout, OC, inp, IC, 1.0f, dweight, IC);
  if (dbias != NULL)
    for (int n = 0; n < N; n++)
      for (int o = 0; o < OC; o++)
        dbias[o] += dout[(gsize) n * OC + o];
}

void
ts_nn_dense_backward_naive (float       *dinp,
                            float       *dweight,
                            float       *dbias,
                            const float *dout,
                            const float *inp,
                            const float *weight,
                            int N, int IC, int OC)
{
  for (int n = 0; n < N; n++)
    for (int o = 0; o < OC; o++)
      {
        float d = dout[(gsize) n * OC + o];

        for (int c = 0; c < IC; c++)
          {
            if (dinp != NULL)
              dinp[(gsize) n * IC + c] += d * weight[(gsize) o * IC + c];
            dweight[(gsize) o * IC + c] += d * inp[(gsize) n * IC + c];
          }
        if (dbias != NULL)
          dbias[o] += d;
      }
}
