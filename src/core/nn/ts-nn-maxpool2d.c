/* ts-nn-maxpool2d.c: max pooling that remembers where the maximum was
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include "ts-nn.h"

void
ts_nn_maxpool2d_forward (float       *out,
                         gint32      *argmax,
                         const float *inp,
                         int N, int C, int H, int W, int K, int stride)
{
  int OH = (H - K) / stride + 1, OW = (W - K) / stride + 1;

  g_assert (out != NULL && argmax != NULL && inp != NULL);

  for (gsize p = 0; p < (gsize) N * C; p++)
    {
      const float *plane = inp + p * H * W;

      for (int oy = 0; oy < OH; oy++)
        for (int ox = 0; ox < OW; ox++)
          {
            gint32 best = (oy * stride) * W + ox * stride;

            for (int ky = 0; ky < K; ky++)
              for (int kx = 0; kx < K; kx++)
                {
                  gint32 at = (oy * stride + ky) * W + ox * stride + kx;
                  if (plane[at] > plane[best])
                    best = at;
                }
            out[(p * OH + oy) * OW + ox] = plane[best];
            argmax[(p * OH + oy) * OW + ox] = best;
          }
    }
}

void
ts_nn_maxpool2d_backward (float        *dinp,
                          const float  *dout,
                          const gint32 *argmax,
                          int N, int C, int H, int W, int K, int stride)
{
  int OH = (H - K) / stride + 1, OW = (W - K) / stride + 1;

  for (gsize p = 0; p < (gsize) N * C; p++)
    for (int o = 0; o < OH * OW; o++)
      dinp[p * H * W + argmax[p * OH * OW + o]] += dout[p * OH * OW + o];
}
