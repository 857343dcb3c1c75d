/* ts-nn-conv2d.c: 2-D convolution, NCHW, via im2col + sgemm
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "Tunescope-nn"

#include <string.h>
#include <cblas.h>

#include "ts-nn.h"

void
ts_nn_conv_dims_init (TsNnConvDims *d,
                      int N, int IC, int H, int W,
                      int OC, int K, int stride,
                      TsNnPadding padding)
{
  g_return_if_fail (d != NULL);
  g_return_if_fail (stride > 0 && K > 0);

  *d = (TsNnConvDims) { .N = N, .IC = IC, .H = H, .W = W, .OC = OC, .K = K, .stride = stride };
  if (padding == TS_NN_PADDING_SAME)
    {
      /* TensorFlow's rule: the odd pixel of padding goes at the end. */
      d->OH = (H + stride - 1) / stride;
      d->OW = (W + stride - 1) / stride;
      d->pad_top = MAX ((d->OH - 1) * stride + K - H, 0) / 2;
      d->pad_left = MAX ((d->OW - 1) * stride + K - W, 0) / 2;
    }
  else
    {
      d->OH = H >= K ? (H - K) / stride + 1 : 0;
      d->OW = W >= K ? (W - K) / stride + 1 : 0;
    }
}

void
ts_nn_im2col (float              *col,
              const float        *img,
              const TsNnConvDims *d)
{
  int K = d->K, OH = d->OH, OW = d->OW;

  for (int c = 0; c < d->IC; c++)
    for (int ky = 0; ky < K; ky++)
      for (int kx = 0; kx < K; kx++)
        {
          float *row = col + ((gsize) (c * K + ky) * K + kx) * OH * OW;
          const float *plane = img + (gsize) c * d->H * d->W;

          for (int oy = 0; oy < OH; oy++)
            {
              int y = oy * d->stride + ky - d->pad_top;
              float *dst = row + (gsize) oy * OW;

              if (y < 0 || y >= d->H)
                {
                  memset (dst, 0, sizeof (float) * OW);
                  continue;
                }
              for (int ox = 0; ox < OW; ox++)
                {
                  int x = ox * d->stride + kx - d->pad_left;
                  dst[ox] = x >= 0 && x < d->W ? plane[(gsize) y * d->W + x] : 0.0f;
                }
            }
        }
}

void
ts_nn_col2im (float              *img,
              const float        *col,
              const TsNnConvDims *d)
{
  int K = d->K, OH = d->OH, OW = d->OW;

  for (int c = 0; c < d->IC; c++)
    for (int ky = 0; ky < K; ky++)
      for (int kx = 0; kx < K; kx++)
        {
          const float *row = col + ((gsize) (c * K + ky) * K + kx) * OH * OW;
          float *plane = img + (gsize) c * d->H * d->W;

          for (int oy = 0; oy < OH; oy++)
            {
              int y = oy * d->stride + ky - d->pad_top;

              if (y < 0 || y >= d->H)
                continue;
              for (int ox = 0; ox < OW; ox++)
                {
                  int x = ox * d->stride + kx - d->pad_left;
                  if (x >= 0 && x < d->W)
                    plane[(gsize) y * d->W + x] += row[(gsize) oy * OW + ox];
                }
            }
        }
}

void
ts_nn_conv2d_forward (float              *out,
                      const float        *inp,
                      const float        *weight,
                      const float        *bias,
                      float              *col,
                      const TsNnConvDims *d)
{
  int ckk = d->IC * d->K * d->K, ohw = d->OH * d->OW;

  g_assert (out != NULL && inp != NULL && weight != NULL && col != NULL);

  for (int n = 0; n < d->N; n++)
    {
      float *o = out + (gsize) n * d->OC * ohw;

      ts_nn_im2col (col, inp + (gsize) n * d->IC * d->H * d->W, d);
      for (int oc = 0; oc < d->OC; oc++)
        for (int s = 0; s < ohw; s++)
          o[(gsize) oc * ohw + s] = bias != NULL ? bias[oc] : 0.0f;
      /* out_n (OC, OHW) += weight (OC, CKK) . col (CKK, OHW) */
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, d->OC, ohw, ckk,
                   1.0f, weight, ckk, col, ohw, 1.0f, o, ohw);
    }
}

void
ts_nn_conv2d_backward (float              *dinp,
                       float              *dweight,
                       float              *dbias,
                       const float        *dout,
                       const float        *inp,
                       const float        *weight,
                       float              *col,
                       const TsNnConvDims *d)
{
  int ckk = d->IC * d->K * d->K, ohw = d->OH * d->OW;

  g_assert (dweight != NULL && dout != NULL && inp != NULL && col != NULL);

  for (int n = 0; n < d->N; n++)
    {
      const float *dout_n = dout + (gsize) n * d->OC * ohw;

      if (dbias != NULL)
        for (int oc = 0; oc < d->OC; oc++)
          for (int s = 0; s < ohw; s++)
            dbias[oc] += dout_n[(gsize) oc * ohw + s];

      ts_nn_im2col (col, inp + (gsize) n * d->IC * d->H * d->W, d);
      /* dweight (OC, CKK) += dout_n (OC, OHW) . col^T (OHW, CKK) */
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, d->OC, ckk, ohw,
                   1.0f, dout_n, ohw, col, ohw, 1.0f, dweight, ckk);
      if (dinp == NULL)
        continue;
      /* dcol (CKK, OHW) = weight^T (CKK, OC) . dout_n (OC, OHW), then
       * scattered back onto the image. */
      cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, ckk, ohw, d->OC,
                   1.0f, weight, ckk, dout_n, ohw, 0.0f, col, ohw);
      ts_nn_col2im (dinp + (gsize) n * d->IC * d->H * d->W, col, d);
    }
}

void
ts_nn_conv2d_forward_naive (float              *out,
                            const float        *inp,
                            const float        *weight,
                            const float        *bias,
                            const TsNnConvDims *d)
{
  int K = d->K;

  for (int n = 0; n < d->N; n++)
    for (int oc = 0; oc < d->OC; oc++)
      for (int oy = 0; oy < d->OH; oy++)
        for (int ox = 0; ox < d->OW; ox++)
          {
            float sum = bias != NULL ? bias[oc] : 0.0f;

            for (int c = 0; c < d->IC; c++)
              for (int ky = 0; ky < K; ky++)
                for (int kx = 0; kx < K; kx++)
                  {
                    int y = oy * d->stride + ky - d->pad_top;
                    int x = ox * d->stride + kx - d->pad_left;

                    if (y < 0 || y >= d->H || x < 0 || x >= d->W)
                      continue;
                    sum += weight[(((gsize) oc * d->IC + c) * K + ky) * K + kx]
                           * inp[(((gsize) n * d->IC + c) * d->H + y) * d->W + x];
                  }
            out[(((gsize) n * d->OC + oc) * d->OH + oy) * d->OW + ox] = sum;
          }
}

void
ts_nn_conv2d_backward_naive (float              *dinp,
                             float              *dweight,
                             float              *dbias,
                             const float        *dout,
                             const float        *inp,
                             const float        *weight,
                             const TsNnConvDims *d)
{
  int K = d->K;

  for (int n = 0; n < d->N; n++)
    for (int oc = 0; oc < d->OC; oc++)
      for (int oy = 0; oy < d->OH; oy++)
        for (int ox = 0; ox < d->OW; ox++)
          {
            float g = dout[(((gsize) n * d->OC + oc) * d->OH + oy) * d->OW + ox];

            if (dbias != NULL)
              dbias[oc] += g;
            for (int c = 0; c < d->IC; c++)
              for (int ky = 0; ky < K; ky++)
                for (int kx = 0; kx < K; kx++)
                  {
                    int y = oy * d->stride + ky - d->pad_top;
                    int x = ox * d->stride + kx - d->pad_left;
                    gsize wi = (((gsize) oc * d->IC + c) * K + ky) * K + kx;
                    gsize xi = (((gsize) n * d->IC + c) * d->H + y) * d->W + x;

                    if (y < 0 || y >= d->H || x < 0 || x >= d->W)
                      continue;
                    dweight[wi] += g * inp[xi];
                    if (dinp != NULL)
                      dinp[xi] += g * weight[wi];
                  }
          }
}
