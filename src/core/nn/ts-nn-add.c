/* ts-nn-add.c: the residual add of two equal-shaped tensors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include "ts-nn.h"

void
ts_nn_add_forward (float       *out,
                   const float *a,
                   const float *b,
                   int N, int D)
{
  gsize total = (gsize) N * D;

  g_assert (out != NULL && a != NULL && b != NULL);

  for (gsize i = 0; i < total; i++)
    out[i] = a[i] + b[i];
}

void
ts_nn_add_backward (float       *da,
                    float       *db,
                    const float *dout,
                    int N, int D)
{
  gsize total = (gsize) N * D;

  g_assert (da != NULL && db != NULL && dout != NULL);

  for (gsize i = 0; i < total; i++)
    {
      da[i] += dout[i];
      db[i] += dout[i];
    }
}
