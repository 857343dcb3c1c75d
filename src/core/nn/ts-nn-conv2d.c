/* ts-nn-conv2d.c: 2-D convolution, NCHW, via im2col + sgemm, the batch split in two
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

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
ts_nn_conv_dims_init_padded (TsNnConvDims *d,
                             int N, int IC, int H, int W,
                             int OC, int K, int stride,
                             int pad_top, int pad_bottom,
                             int pad_left, int pad_right)
{
  int padded_h = H + pad_top + pad_bottom, padded_w = W + pad_left + pad_right;

  g_return_if_fail (d != NULL);
  g_return_if_fail (stride > 0 && K > 0);
  g_return_if_fail (pad_top >= 0 && pad_bottom >= 0 && pad_left >= 0 && pad_right >= 0);

  *d = (TsNnConvDims) { .N = N, .IC = IC, .H = H, .W = W, .OC = OC, .K = K, .stride = stride,
                        .pad_top = pad_top, .pad_left = pad_left };
  d->OH = padded_h >= K ? (padded_h - K) / stride + 1 : 0;
  d->OW = padded_w >= K ? (padded_w - K) / stride + 1 : 0;
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

/* ---- the batch split in two --------------------------------------------
 *
 * One sample's products are small (64 x 256 x 288 at most here), too small
 * for BLAS to share among threads. So the batch is split instead: the
 * samples of the second half have scratch and weight gradients of their
 * own, run on a second core where there is one (ts_nn_parallel_for ()),
 * and their weight gradients are summed in afterwards. The split depends
 * on the batch only, never on the thread count (on one thread the halves
 * run one after the other), so a training run gives the same weights on
 * any number of threads (ts-nn-threads.c). */

typedef struct
{
  const TsNnConvDims *d;
  int                 n_begin, n_end;  /* the samples [n_begin, n_end) */
  float              *col;             /* scratch, IC*K*K * OH*OW */
  /* forward */
  float              *out;
  const float        *bias;
  /* backward */
  float              *dinp;
  float              *dweight;
  float              *dbias;
  const float        *dout;
  /* both */
  const float        *inp;
  const float        *weight;
} ConvRange;

/* Smaller batches, or less work per sample, are not worth a thread. */
#define SPLIT_MIN_SAMPLES  4
#define SPLIT_MIN_FLOPS    (1 << 20)

static void
conv_forward_range (ConvRange *r)
{
  const TsNnConvDims *d = r->d;
  int ckk = d->IC * d->K * d->K, ohw = d->OH * d->OW;

  for (int n = r->n_begin; n < r->n_end; n++)
    {
      float *o = r->out + (gsize) n * d->OC * ohw;

      ts_nn_im2col (r->col, r->inp + (gsize) n * d->IC * d->H * d->W, d);
      for (int oc = 0; oc < d->OC; oc++)
        for (int s = 0; s < ohw; s++)
          o[(gsize) oc * ohw + s] = r->bias != NULL ? r->bias[oc] : 0.0f;
      /* out_n (OC, OHW) += weight (OC, CKK) . col (CKK, OHW) */
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, d->OC, ohw, ckk,
                   1.0f, r->weight, ckk, r->col, ohw, 1.0f, o, ohw);
    }
}

static void
conv_backward_range (ConvRange *r)
{
  const TsNnConvDims *d = r->d;
  int ckk = d->IC * d->K * d->K, ohw = d->OH * d->OW;

  for (int n = r->n_begin; n < r->n_end; n++)
    {
      const float *dout_n = r->dout + (gsize) n * d->OC * ohw;

      if (r->dbias != NULL)
        for (int oc = 0; oc < d->OC; oc++)
          for (int s = 0; s < ohw; s++)
            r->dbias[oc] += dout_n[(gsize) oc * ohw + s];

      ts_nn_im2col (r->col, r->inp + (gsize) n * d->IC * d->H * d->W, d);
      /* dweight (OC, CKK) += dout_n (OC, OHW) . col^T (OHW, CKK) */
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, d->OC, ckk, ohw,
                   1.0f, dout_n, ohw, r->col, ohw, 1.0f, r->dweight, ckk);
      if (r->dinp == NULL)
        continue;
      /* dcol (CKK, OHW) = weight^T (CKK, OC) . dout_n (OC, OHW), then
       * scattered back onto the image. */
      cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, ckk, ohw, d->OC,
                   1.0f, r->weight, ckk, dout_n, ohw, 0.0f, r->col, ohw);
      ts_nn_col2im (r->dinp + (gsize) n * d->IC * d->H * d->W, r->col, d);
    }
}

static gboolean
conv_should_split (const TsNnConvDims *d)
{
  double flops = 2.0 * d->OC * d->IC * d->K * d->K * d->OH * d->OW;

  return d->N >= SPLIT_MIN_SAMPLES && flops >= SPLIT_MIN_FLOPS;
}

typedef struct
{
  ConvRange  *ranges;  /* the two halves */
  void      (*range_func) (ConvRange *);
} ConvSplit;

static void
conv_run_piece (int      piece,
                int      worker,
                gpointer data)
{
  ConvSplit *split = data;

  split->range_func (&split->ranges[piece]);
}

/* Runs the two halves, side by side where there are two threads. */
static void
conv_run_split (ConvRange    ranges[2],
                void        (*range_func) (ConvRange *))
{
  ConvSplit split = { ranges, range_func };

  ts_nn_parallel_for (2, conv_run_piece, &split);
}

void
ts_nn_conv2d_forward (float              *out,
                      const float        *inp,
                      const float        *weight,
                      const float        *bias,
                      float              *col,
                      const TsNnConvDims *d)
{
  ConvRange all = { .d = d, .n_begin = 0, .n_end = d->N, .col = col,
                    .out = out, .bias = bias, .inp = inp, .weight = weight };
  ConvRange halves[2];
  g_autofree float *second_col = NULL;

  g_assert (out != NULL && inp != NULL && weight != NULL && col != NULL);

  ts_nn_blas_init ();
  if (!conv_should_split (d))
    {
      conv_forward_range (&all);
      return;
    }
  second_col = g_new (float, (gsize) d->IC * d->K * d->K * d->OH * d->OW);
  halves[0] = halves[1] = all;
  halves[0].n_end = halves[1].n_begin = d->N / 2;
  halves[1].col = second_col;
  conv_run_split (halves, conv_forward_range);
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
  gsize n_weight = (gsize) d->OC * d->IC * d->K * d->K;
  ConvRange all = { .d = d, .n_begin = 0, .n_end = d->N, .col = col, .dinp = dinp,
                    .dweight = dweight, .dbias = dbias, .dout = dout, .inp = inp,
                    .weight = weight };
  ConvRange halves[2];
  g_autofree float *second_col = NULL;
  g_autofree float *second_dweight = NULL;
  g_autofree float *second_dbias = NULL;

  g_assert (dweight != NULL && dout != NULL && inp != NULL && col != NULL);

  ts_nn_blas_init ();
  if (!conv_should_split (d))
    {
      conv_backward_range (&all);
      return;
    }
  second_col = g_new (float, (gsize) d->IC * d->K * d->K * d->OH * d->OW);
  second_dweight = g_new0 (float, n_weight);
  second_dbias = dbias != NULL ? g_new0 (float, d->OC) : NULL;
  halves[0] = halves[1] = all;
  halves[0].n_end = halves[1].n_begin = d->N / 2;
  halves[1].col = second_col;
  halves[1].dweight = second_dweight;
  halves[1].dbias = second_dbias;
  conv_run_split (halves, conv_backward_range);
  for (gsize i = 0; i < n_weight; i++)
    dweight[i] += second_dweight[i];
  if (dbias != NULL)
    for (int oc = 0; oc < d->OC; oc++)
      dbias[oc] += second_dbias[oc];
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
