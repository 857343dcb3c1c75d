/* ts-nn-depthwise.c: depthwise 2-D convolution, NCHW, each channel alone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * out[n,c,oy,ox] = bias[c] + sum over ky,kx of
 *                  weight[c,0,ky,kx] * inp[n,c, oy*stride+ky-pad_top, ox*stride+kx-pad_left]
 * with zero where the input index falls in the padding. The fast loop
 * splits each output row into the columns whose taps all lie inside the
 * image (no bounds checks, the compiler vectorises the stride-1 case)
 * and the few at the edges; both sum the taps in the same order as the
 * naive loop, ky then kx, so the two agree to the last bit.
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include "ts-nn.h"

/* Output columns [*begin, *end) read only input columns inside the image. */
static void
inner_columns (const TsNnConvDims *d,
               int                *begin,
               int                *end)
{
  /* ox * stride - pad_left >= 0 and ox * stride - pad_left + K - 1 < W */
  *begin = (d->pad_left + d->stride - 1) / d->stride;
  *end = d->W - d->K + d->pad_left >= 0 ? (d->W - d->K + d->pad_left) / d->stride + 1 : 0;
  *end = CLAMP (*end, *begin, d->OW);
  *begin = MIN (*begin, d->OW);
}

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

static void
forward_plane (float              *out,   /* (OH, OW) */
               const float        *plane, /* (H, W) */
               const float        *w,     /* (K, K) */
               float               b,
               const TsNnConvDims *d)
{
  int begin, end, K = d->K, S = d->stride;

  inner_columns (d, &begin, &end);
  for (int oy = 0; oy < d->OH; oy++)
    {
      float *row = out + (gsize) oy * d->OW;
      int y0 = oy * S - d->pad_top;
      gboolean inner_row = y0 >= 0 && y0 + K <= d->H;

      for (int ox = 0; ox < d->OW; ox++)
        if (!inner_row || ox < begin || ox >= end)
          row[ox] = edge_pixel (plane, w, oy, ox, b, d);
      if (!inner_row)
        continue;
      for (int ox = begin; ox < end; ox++)
        row[ox] = b;
      /* One tap at a time over the whole row: the same sum order as the
       * naive loop, in a loop the compiler vectorises. */
      for (int ky = 0; ky < K; ky++)
        for (int kx = 0; kx < K; kx++)
          {
            const float *src = plane + (gsize) (y0 + ky) * d->W + kx - d->pad_left;
            float wk = w[ky * K + kx];

            for (int ox = begin; ox < end; ox++)
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

  g_assert (out != NULL && inp != NULL && weight != NULL);
  g_assert (d->IC == d->OC);

  for (int n = 0; n < d->N; n++)
    for (int c = 0; c < d->IC; c++)
      {
        gsize plane = (gsize) n * d->IC + c;

        forward_plane (out + plane * ohw, inp + plane * hw, weight + (gsize) c * d->K * d->K,
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
