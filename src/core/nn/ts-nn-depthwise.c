/* ts-nn-depthwise.c: depthwise 2-D convolution, NCHW, each channel alone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * out[n,c,oy,ox] = bias[c] + sum over ky,kx of
 *                  weight[c,0,ky,kx] * inp[n,c, oy*stride+ky-pad_top, ox*stride+kx-pad_left]
 * with zero where the input index falls in the padding. The fast loop
 * copies each plane into a zero-padded one first, so that no tap needs a
 * bounds check and every row is one loop the compiler vectorises; it sums
 * the taps in the naive loop's order, ky then kx, so the two agree.
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include <string.h>

#include "ts-nn.h"

static float
edge_pixel (const float        *plane,
            const float        *w,
            int                 oy,
            int                 ox,
            float               acc,
            const TsNnConvDims *d)
{
  for (int ky = 0; ky < d->K; ky++)
    {
      int y = oy * d->stride + ky - d->pad_top;

      if (y < 0 || y >= d->H)
        continue;
      for (int kx = 0; kx < d->K; kx++)
        {
          int x = ox * d->stride + kx - d->pad_left;

          if (x >= 0 && x < d->W)
            acc += w[ky * d->K + kx] * plane[(gsize) y * d->W + x];
        }
    }
  return acc;
}

/* The padded height and width the output reads: every tap of every output
 * pixel lies inside it. */
static void
padded_size (const TsNnConvDims *d,
             int                *ph,
             int                *pw)
{
  *ph = MAX ((d->OH - 1) * d->stride + d->K, d->pad_top + d->H);
  *pw = MAX ((d->OW - 1) * d->stride + d->K, d->pad_left + d->W);
}

/* @plane (H, W) into @padded (PH, PW) at (pad_top, pad_left), zero around. */
static void
pad_plane (float              *padded,
           const float        *plane,
           int                 ph,
           int                 pw,
           const TsNnConvDims *d)
{
  memset (padded, 0, sizeof (float) * ph * pw);
  for (int y = 0; y < d->H && d->pad_top + y < ph; y++)
    memcpy (padded + (gsize) (d->pad_top + y) * pw + d->pad_left, plane + (gsize) y * d->W,
            sizeof (float) * MIN (d->W, pw - d->pad_left));
}

/* Every output pixel of one plane from its zero-padded copy: one tap at a
 * time over a whole row, in the naive loop's order (ky, then kx), in
 * loops the compiler vectorises. A padded tap adds w * 0 where the naive
 * loop skips it: the same sum. */
static void
forward_plane (float              *out,    /* (OH, OW) */
               const float        *padded, /* (PH, PW) */
               int                 pw,
               const float        *w,      /* (K, K) */
               float               b,
               const TsNnConvDims *d)
{
  int K = d->K, S = d->stride, OW = d->OW;

  for (int oy = 0; oy < d->OH; oy++)
    {
      float *restrict row = out + (gsize) oy * OW;

      for (int ox = 0; ox < OW; ox++)
        row[ox] = b;
      for (int ky = 0; ky < K; ky++)
        for (int kx = 0; kx < K; kx++)
          {
            const float *restrict src = padded + (gsize) (oy * S + ky) * pw + kx;
            float wk = w[ky * K + kx];

            if (S == 1)
              for (int ox = 0; ox < OW; ox++)
                row[ox] += wk * src[ox];
            else
              for (int ox = 0; ox < OW; ox++)
                row[ox] += wk * src[ox * S];
          }
    }
}

void
ts_nn_depthwise_forward (float              *out,
                         const float        *inp,
                         const float        *weight,
                         const float        *bias,
                         const TsNnConvDims *d)
{
  gsize hw = (gsize) d->H * d->W, ohw = (gsize) d->OH * d->OW;
  g_autofree float *padded = NULL;
  int ph, pw;

  g_assert (out != NULL && inp != NULL && weight != NULL);
  g_assert (d->IC == d->OC);

  if (d->OH <= 0 || d->OW <= 0)
    return;
  padded_size (d, &ph, &pw);
  padded = g_new (float, (gsize) ph * pw);
  for (int n = 0; n < d->N; n++)
    for (int c = 0; c < d->IC; c++)
      {
        gsize plane = (gsize) n * d->IC + c;

        pad_plane (padded, inp + plane * hw, ph, pw, d);
        forward_plane (out + plane * ohw, padded, pw, weight + (gsize) c * d->K * d->K,
                       bias != NULL ? bias[c] : 0.0f, d);
      }
}

void
ts_nn_depthwise_forward_naive (float              *out,
                               const float        *inp,
                               const float        *weight,
                               const float        *bias,
                               const TsNnConvDims *d)
{
  g_assert (d->IC == d->OC);

  for (int n = 0; n < d->N; n++)
    for (int c = 0; c < d->IC; c++)
      for (int oy = 0; oy < d->OH; oy++)
        for (int ox = 0; ox < d->OW; ox++)
          {
            const float *plane = inp + ((gsize) n * d->IC + c) * d->H * d->W;
            const float *w = weight + (gsize) c * d->K * d->K;

            out[(((gsize) n * d->IC + c) * d->OH + oy) * d->OW + ox] =
              edge_pixel (plane, w, oy, ox, bias != NULL ? bias[c] : 0.0f, d);
          }
}

void
ts_nn_depthwise_backward (float              *dinp,
                          float              *dweight,
                          float              *dbias,
                          const float        *dout,
                          const float        *inp,
                          const float        *weight,
                          const TsNnConvDims *d)
{
  int K = d->K;

  g_assert (dweight != NULL && dout != NULL && inp != NULL && weight != NULL);
  g_assert (d->IC == d->OC);

  for (int n = 0; n < d->N; n++)
    for (int c = 0; c < d->IC; c++)
      {
        gsize plane = (gsize) n * d->IC + c;
        const float *x = inp + plane * d->H * d->W;
        const float *g = dout + plane * d->OH * d->OW;
        const float *w = weight + (gsize) c * K * K;
        float *dw = dweight + (gsize) c * K * K;
        float *dx = dinp != NULL ? dinp + plane * d->H * d->W : NULL;

        for (int oy = 0; oy < d->OH; oy++)
          for (int ox = 0; ox < d->OW; ox++)
            {
              float go = g[(gsize) oy * d->OW + ox];

              if (dbias != NULL)
                dbias[c] += go;
              for (int ky = 0; ky < K; ky++)
                {
                  int y = oy * d->stride + ky - d->pad_top;

                  if (y < 0 || y >= d->H)
                    continue;
                  for (int kx = 0; kx < K; kx++)
                    {
                      int xx = ox * d->stride + kx - d->pad_left;
                      gsize at = (gsize) y * d->W + xx;

                      if (xx < 0 || xx >= d->W)
                        continue;
                      dw[ky * K + kx] += go * x[at];
                      if (dx != NULL)
                        dx[at] += go * w[ky * K + kx];
                    }
                }
            }
      }
}
