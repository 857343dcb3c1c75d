/* test-nn-layers.c: finite-difference checks of every backward, and each
 * BLAS path against its naive loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "Tunescope-test"

#include <math.h>

#include "tunescope-core.h"

/* Named tolerances. Finite differences are central, step FD_STEP, on a
 * loss summed in double, so their error is O(step^2) plus float noise. */
#define FD_STEP       3e-3
#define FD_TOL        2e-2  /* |numeric - analytic| / max (|numeric|, FD_FLOOR) */
#define FD_FLOOR      1e-2
#define NAIVE_TOL     1e-5  /* BLAS against the naive loop, relative to the largest value */

static void
fill_uniform (float   *x,
              gsize    n,
              float    lo,
              float    hi,
              guint64  seed)
{
  TsNnRng rng;

  ts_nn_rng_init (&rng, seed);
  for (gsize i = 0; i < n; i++)
    x[i] = lo + (hi - lo) * ts_nn_rng_uniform (&rng);
}

/* Moves values away from 0 so that a step never crosses a kink. */
static void
avoid_kinks (float *x,
             gsize  n)
{
  for (gsize i = 0; i < n; i++)
    if (fabsf (x[i]) < 0.1f)
      x[i] = x[i] < 0 ? x[i] - 0.1f : x[i] + 0.1f;
}

static double
max_rel_diff (const float *a,
              const float *b,
              gsize        n)
{
  double worst = 0.0, scale = 1e-6;

  for (gsize i = 0; i < n; i++)
    scale = MAX (scale, fabs (a[i]));
  for (gsize i = 0; i < n; i++)
    worst = MAX (worst, fabs ((double) a[i] - b[i]) / scale);
  return worst;
}

/* 0.5 sum (out - target)^2 in double: its gradient is out - target. */
static double
model_loss (TsNnModel   *model,
            const float *x,
            const float *target,
            int          n)
{
  const float *out;
  double sum = 0.0;
  gsize total = (gsize) n * ts_nn_model_get_output_size (model);

  ts_nn_model_set_seed (model, 7); /* the same dropout mask every time */
  out = ts_nn_model_forward (model, x, n, TRUE);
  for (gsize i = 0; i < total; i++)
    sum += 0.5 * ((double) out[i] - target[i]) * ((double) out[i] - target[i]);
  return sum;
}

static double
fd_compare (const char *what,
            float      *value,
            float       analytic,
            TsNnModel  *model,
            const float *x,
            const float *target,
            int          n)
{
  float saved = *value;
  double plus, minus, numeric;

  *value = saved + (float) FD_STEP;
  plus = model_loss (model, x, target, n);
  *value = saved - (float) FD_STEP;
  minus = model_loss (model, x, target, n);
  *value = saved;
  numeric = (plus - minus) / (2 * FD_STEP);
  return fabs (numeric - analytic) / MAX (fabs (numeric), FD_FLOOR);
}

/* Checks every parameter gradient and the input gradient of @model on @x
 * against central differences; the loss is MSE-like (sum, halved). */
static void
check_model_grads (const char *label,
                   TsNnModel  *model,
                   float      *x,
                   int         n)
{
  int in = ts_nn_model_get_input_size (model), out = ts_nn_model_get_output_size (model);
  g_autofree float *target = g_new (float, (gsize) n * out);
  g_autofree float *dx = g_new (float, (gsize) n * in);
  g_autofree float *grads = g_new (float, ts_nn_model_get_n_params (model));
  const float *pred;
  double worst = 0.0;
  gsize at = 0;

  g_assert_true (ts_nn_model_prepare (model, n, NULL));
  fill_uniform (target, (gsize) n * out, -1, 1, 99);

  /* analytic: d(0.5 sum e^2)/d out = e; MSE's gradient is 2 e / M */
  ts_nn_model_set_seed (model, 7);
  pred = ts_nn_model_forward (model, x, n, TRUE);
  {
    g_autofree float *scaled = g_new (float, (gsize) n * out);
    float M = (float) n * out;

    /* MSE gives 2 (p - t') / M; choose t' so that this equals p - t */
    for (gsize i = 0; i < (gsize) n * out; i++)
      scaled[i] = pred[i] - (pred[i] - target[i]) * M / 2.0f;
    ts_nn_model_zero_grad (model);
    ts_nn_model_backward (model, scaled, TS_NN_LOSS_MSE, TRUE);
  }
  memcpy (dx, ts_nn_model_get_activation_grad (model, -1), sizeof (float) * (gsize) n * in);
  for (guint t = 0; t < ts_nn_model_get_n_tensors (model); t++)
    {
      const TsNnTensorView *view = ts_nn_model_get_tensor (model, t);

      if (view->grad == NULL)
        continue;
      memcpy (grads + at, view->grad, sizeof (float) * view->size);
      for (gsize i = 0; i < view->size; i++)
        worst = MAX (worst, fd_compare (view->name, view->data + i, grads[at + i], model, x,
                                        target, n));
      at += view->size;
    }
  for (gsize i = 0; i < (gsize) n * in; i++)
    worst = MAX (worst, fd_compare ("input", x + i, dx[i], model, x, target, n));

  g_test_message ("%s: max relative difference to finite differences %.3g (tolerance %.3g)",
                  label, worst, FD_TOL);
  g_assert_cmpfloat (worst, <, FD_TOL);
}

static TsNnModel *
flat_model (int in)
{
  return ts_nn_model_new (in, 1, 1);
}

static void
test_grad_dense (void)
{
  g_autoptr(TsNnModel) model = flat_model (5);
  float x[4 * 5];

  ts_nn_model_add_dense (model, 3);
  g_assert_true (ts_nn_model_build (model, 1, NULL));
  fill_uniform (x, G_N_ELEMENTS (x), -1, 1, 2);
  check_model_grads ("dense", model, x, 4);
}

static void
test_grad_mlp (void)
{
  g_autoptr(TsNnModel) model = flat_model (4);
  float x[6 * 4];

  ts_nn_model_add_normalization (model);
  ts_nn_model_add_dense (model, 5);
  ts_nn_model_add_batchnorm (model);
  ts_nn_model_add_activation (model, TS_NN_ACT_TANH);
  ts_nn_model_add_dropout (model, 0.3f);
  ts_nn_model_add_dense (model, 2);
  g_assert_true (ts_nn_model_build (model, 3, NULL));
  fill_uniform (x, G_N_ELEMENTS (x), 0, 1, 4);
  g_assert_true (ts_nn_model_adapt (model, x, 6, NULL));
  check_model_grads ("normalization/dense/batchnorm/tanh/dropout/dense", model, x, 6);
}

static void
test_grad_activations (void)
{
  for (int a = 0; a < TS_NN_N_ACTS; a++)
    {
      g_autoptr(TsNnModel) model = flat_model (6);
      float x[3 * 6];

      ts_nn_model_add_activation (model, (TsNnActivation) a);
      g_assert_true (ts_nn_model_build (model, 1, NULL));
      fill_uniform (x, G_N_ELEMENTS (x), -2, 2, 10 + a);
      avoid_kinks (x, G_N_ELEMENTS (x));
      check_model_grads (ts_nn_activation_get_name ((TsNnActivation) a), model, x, 3);
    }
}

static void
test_grad_cnn (void)
{
  g_autoptr(TsNnModel) model = ts_nn_model_new (2, 6, 6);
  float x[3 * 2 * 6 * 6];

  ts_nn_model_add_conv2d (model, 3, 3, 1, TS_NN_PADDING_SAME);
  ts_nn_model_add_batchnorm (model);
  ts_nn_model_add_activation (model, TS_NN_ACT_SIGMOID);
  ts_nn_model_add_conv2d (model, 2, 3, 2, TS_NN_PADDING_VALID);
  ts_nn_model_add_flatten (model);
  ts_nn_model_add_dense (model, 2);
  g_assert_true (ts_nn_model_build (model, 5, NULL));
  fill_uniform (x, G_N_ELEMENTS (x), -1, 1, 6);
  check_model_grads ("conv same/batchnorm2d/sigmoid/conv valid stride 2/flatten/dense",
                     model, x, 3);
}

static void
test_grad_maxpool (void)
{
  g_autoptr(TsNnModel) model = ts_nn_model_new (2, 4, 6);
  float x[2 * 2 * 4 * 6];
  TsNnRng rng;

  /* distinct values 0.1 apart, shuffled: a step never changes the argmax */
  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    x[i] = 0.1f * i - 4.0f;
  ts_nn_rng_init (&rng, 3);
  for (guint i = G_N_ELEMENTS (x) - 1; i > 0; i--)
    {
      guint j = ts_nn_rng_below (&rng, i + 1);
      float t = x[i];
      x[i] = x[j], x[j] = t;
    }
  ts_nn_model_add_maxpool2d (model, 2, 0);
  ts_nn_model_add_flatten (model);
  g_assert_true (ts_nn_model_build (model, 1, NULL));
  g_assert_cmpint (ts_nn_model_get_output_size (model), ==, 2 * 2 * 3);
  check_model_grads ("maxpool2d/flatten", model, x, 2);
}

static void
test_grad_losses (void)
{
  for (int k = 0; k < TS_NN_N_LOSSES; k++)
    {
      float pred[12], target[12], grad[12] = { 0 };
      double worst = 0.0;

      fill_uniform (pred, 12, 0.05f, 0.95f, 20 + k);
      fill_uniform (target, 12, 0, 1, 30 + k);
      if (k == TS_NN_LOSS_HUBER)
        for (int i = 0; i < 12; i += 3)
          pred[i] += 2.0f; /* both sides of delta */
      ts_nn_loss_backward (grad, pred, target, (TsNnLoss) k, 3, 4);
      for (int i = 0; i < 12; i++)
        {
          float saved = pred[i];
          double plus, minus, numeric;
          const float h = 1e-3f;

          pred[i] = saved + h;
          plus = ts_nn_loss_forward (pred, target, (TsNnLoss) k, 3, 4);
          pred[i] = saved - h;
          minus = ts_nn_loss_forward (pred, target, (TsNnLoss) k, 3, 4);
          pred[i] = saved;
          numeric = (plus - minus) / (2.0 * h);
          worst = MAX (worst, fabs (numeric - grad[i]) / MAX (fabs (numeric), FD_FLOOR));
        }
      g_test_message ("loss %s: max relative difference to finite differences %.3g",
                      ts_nn_loss_get_name ((TsNnLoss) k), worst);
      g_assert_cmpfloat (worst, <, FD_TOL);
    }
}

static void
test_naive_dense (void)
{
  enum { N = 7, IC = 13, OC = 9 };
  float x[N * IC], w[OC * IC], b[OC], dout[N * OC];
  float out1[N * OC], out2[N * OC];
  float dx1[N * IC] = { 0 }, dx2[N * IC] = { 0 }, dw1[OC * IC] = { 0 }, dw2[OC * IC] = { 0 };
  float db1[OC] = { 0 }, db2[OC] = { 0 };
  double d;

  fill_uniform (x, N * IC, -1, 1, 1);
  fill_uniform (w, OC * IC, -1, 1, 2);
  fill_uniform (b, OC, -1, 1, 3);
  fill_uniform (dout, N * OC, -1, 1, 4);
  ts_nn_dense_forward (out1, x, w, b, N, IC, OC);
  ts_nn_dense_forward_naive (out2, x, w, b, N, IC, OC);
  ts_nn_dense_backward (dx1, dw1, db1, dout, x, w, N, IC, OC);
  ts_nn_dense_backward_naive (dx2, dw2, db2, dout, x, w, N, IC, OC);
  d = MAX (max_rel_diff (out1, out2, N * OC), max_rel_diff (dx1, dx2, N * IC));
  d = MAX (d, MAX (max_rel_diff (dw1, dw2, OC * IC), max_rel_diff (db1, db2, OC)));
  g_test_message ("dense BLAS vs naive: max relative difference %.3g", d);
  g_assert_cmpfloat (d, <, NAIVE_TOL);
}

static void
test_naive_conv (void)
{
  static const struct { int H, W, K, stride; TsNnPadding padding; } cases[] = {
    { 7, 6, 3, 1, TS_NN_PADDING_SAME },
    { 7, 6, 3, 2, TS_NN_PADDING_SAME },
    { 8, 8, 2, 2, TS_NN_PADDING_SAME },
    { 7, 9, 3, 2, TS_NN_PADDING_VALID },
    { 5, 5, 1, 1, TS_NN_PADDING_VALID },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      TsNnConvDims d;
      gsize nx, nw, no;
      double diff;

      ts_nn_conv_dims_init (&d, 2, 3, cases[c].H, cases[c].W, 4, cases[c].K, cases[c].stride,
                            cases[c].padding);
      nx = (gsize) 2 * 3 * d.H * d.W, nw = (gsize) 4 * 3 * d.K * d.K;
      no = (gsize) 2 * 4 * d.OH * d.OW;
      {
        g_autofree float *x = g_new (float, nx), *w = g_new (float, nw), *b = g_new (float, 4);
        g_autofree float *dout = g_new (float, no), *o1 = g_new (float, no);
        g_autofree float *o2 = g_new (float, no);
        g_autofree float *col = g_new (float, (gsize) 3 * d.K * d.K * d.OH * d.OW);
        g_autofree float *dx1 = g_new0 (float, nx), *dx2 = g_new0 (float, nx);
        g_autofree float *dw1 = g_new0 (float, nw), *dw2 = g_new0 (float, nw);
        float db1[4] = { 0 }, db2[4] = { 0 };

        fill_uniform (x, nx, -1, 1, 1 + c);
        fill_uniform (w, nw, -1, 1, 2 + c);
        fill_uniform (b, 4, -1, 1, 3 + c);
        fill_uniform (dout, no, -1, 1, 4 + c);
        ts_nn_conv2d_forward (o1, x, w, b, col, &d);
        ts_nn_conv2d_forward_naive (o2, x, w, b, &d);
        ts_nn_conv2d_backward (dx1, dw1, db1, dout, x, w, col, &d);
        ts_nn_conv2d_backward_naive (dx2, dw2, db2, dout, x, w, &d);
        diff = MAX (max_rel_diff (o1, o2, no), max_rel_diff (dx1, dx2, nx));
        diff = MAX (diff, MAX (max_rel_diff (dw1, dw2, nw), max_rel_diff (db1, db2, 4)));
        g_test_message ("conv %dx%d K%d stride %d %s -> %dx%d: BLAS vs naive %.3g",
                        d.H, d.W, d.K, d.stride,
                        cases[c].padding == TS_NN_PADDING_SAME ? "same" : "valid",
                        d.OH, d.OW, diff);
        g_assert_cmpfloat (diff, <, NAIVE_TOL);
      }
    }
}

/* The fast loop (inner columns without bounds checks) against the naive
 * one, on shapes whose inner part is wide, narrow and empty (W < K). */
static void
test_naive_depthwise (void)
{
  static const struct { int H, W, K, stride, pad[4]; } cases[] = {
    { 9, 11, 3, 1, { 1, 1, 1, 1 } },
    { 9, 11, 3, 2, { 0, 1, 0, 1 } },
    { 8, 8, 3, 2, { 1, 1, 1, 1 } },
    { 5, 2, 3, 1, { 1, 1, 1, 1 } },
    { 6, 7, 5, 3, { 2, 0, 0, 2 } },
    { 4, 4, 1, 1, { 0, 0, 0, 0 } },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      TsNnConvDims d;
      gsize nx, nw, no;
      double diff;

      ts_nn_conv_dims_init_padded (&d, 2, 5, cases[c].H, cases[c].W, 5, cases[c].K,
                                   cases[c].stride, cases[c].pad[0], cases[c].pad[1],
                                   cases[c].pad[2], cases[c].pad[3]);
      nx = (gsize) 2 * 5 * d.H * d.W, nw = (gsize) 5 * d.K * d.K;
      no = (gsize) 2 * 5 * d.OH * d.OW;
      {
        g_autofree float *x = g_new (float, nx), *w = g_new (float, nw), *b = g_new (float, 5);
        g_autofree float *o1 = g_new (float, no), *o2 = g_new (float, no);

        fill_uniform (x, nx, -1, 1, 11 + c);
        fill_uniform (w, nw, -1, 1, 12 + c);
        fill_uniform (b, 5, -1, 1, 13 + c);
        ts_nn_depthwise_forward (o1, x, w, b, &d);
        ts_nn_depthwise_forward_naive (o2, x, w, b, &d);
        diff = max_rel_diff (o1, o2, no);
        g_test_message ("depthwise %dx%d K%d stride %d -> %dx%d: fast vs naive %.3g",
                        d.H, d.W, d.K, d.stride, d.OH, d.OW, diff);
        g_assert_cmpfloat (diff, <, NAIVE_TOL);
      }
    }
}

/* 0.5 sum (depthwise (x) - target)^2, in double. */
static double
depthwise_loss (const float        *x,
                const float        *w,
                const float        *b,
                const float        *target,
                float              *out,
                const TsNnConvDims *d)
{
  gsize no = (gsize) d->N * d->OC * d->OH * d->OW;
  double sum = 0.0;

  ts_nn_depthwise_forward_naive (out, x, w, b, d);
  for (gsize i = 0; i < no; i++)
    sum += 0.5 * ((double) out[i] - target[i]) * ((double) out[i] - target[i]);
  return sum;
}

static void
test_grad_depthwise (void)
{
  TsNnConvDims d;
  gsize nx, nw, no;
  double worst = 0.0;

  ts_nn_conv_dims_init_padded (&d, 2, 3, 5, 6, 3, 3, 2, 0, 1, 0, 1);
  nx = (gsize) 2 * 3 * 5 * 6, nw = 3 * 9, no = (gsize) 2 * 3 * d.OH * d.OW;
  {
    g_autofree float *x = g_new (float, nx), *w = g_new (float, nw), *b = g_new (float, 3);
    g_autofree float *target = g_new (float, no), *out = g_new (float, no);
    g_autofree float *dout = g_new (float, no);
    g_autofree float *dx = g_new0 (float, nx), *dw = g_new0 (float, nw);
    float db[3] = { 0 };
    struct { float *value, *grad; gsize n; } params[] = {
      { x, dx, nx }, { w, dw, nw }, { b, db, 3 },
    };

    fill_uniform (x, nx, -1, 1, 21);
    fill_uniform (w, nw, -1, 1, 22);
    fill_uniform (b, 3, -1, 1, 23);
    fill_uniform (target, no, -1, 1, 24);
    depthwise_loss (x, w, b, target, out, &d);
    for (gsize i = 0; i < no; i++)
      dout[i] = out[i] - target[i];
    ts_nn_depthwise_backward (dx, dw, db, dout, x, w, &d);

    for (guint p = 0; p < G_N_ELEMENTS (params); p++)
      for (gsize i = 0; i < params[p].n; i++)
        {
          float saved = params[p].value[i];
          double plus, minus, numeric;

          params[p].value[i] = saved + (float) FD_STEP;
          plus = depthwise_loss (x, w, b, target, out, &d);
          params[p].value[i] = saved - (float) FD_STEP;
          minus = depthwise_loss (x, w, b, target, out, &d);
          params[p].value[i] = saved;
          numeric = (plus - minus) / (2 * FD_STEP);
          worst = MAX (worst, fabs (numeric - params[p].grad[i]) / MAX (fabs (numeric), FD_FLOOR));
        }
  }
  g_test_message ("depthwise: max relative difference to finite differences %.3g", worst);
  g_assert_cmpfloat (worst, <, FD_TOL);
}

/* A batch big enough to be split in two (ts-nn-conv2d.c) gives the same
 * bytes on one thread and on two, weight gradients included: the split
 * depends on the batch, not on the threads (ts-nn-threads.c). Against the
 * naive loops only the sums' order differs. */
static void
test_conv_split (void)
{
  TsNnConvDims d;
  gsize nx, nw, no, ncol;

  ts_nn_conv_dims_init (&d, 9, 16, 16, 16, 16, 3, 1, TS_NN_PADDING_SAME);
  nx = (gsize) d.N * d.IC * d.H * d.W, nw = (gsize) d.OC * d.IC * d.K * d.K;
  no = (gsize) d.N * d.OC * d.OH * d.OW, ncol = (gsize) d.IC * d.K * d.K * d.OH * d.OW;
  {
    g_autofree float *x = g_new (float, nx), *w = g_new (float, nw), *b = g_new (float, 16);
    g_autofree float *dout = g_new (float, no), *col = g_new (float, ncol);
    g_autofree float *o1 = g_new (float, no), *o2 = g_new (float, no);
    g_autofree float *dx1 = g_new0 (float, nx), *dx2 = g_new0 (float, nx);
    g_autofree float *dw1 = g_new0 (float, nw), *dw2 = g_new0 (float, nw);
    float db1[16] = { 0 }, db2[16] = { 0 };
    double diff;

    fill_uniform (x, nx, -1, 1, 21);
    fill_uniform (w, nw, -1, 1, 22);
    fill_uniform (b, 16, -1, 1, 23);
    fill_uniform (dout, no, -1, 1, 24);
    ts_nn_set_num_threads (1);
    ts_nn_conv2d_forward (o1, x, w, b, col, &d);
    ts_nn_conv2d_backward (dx1, dw1, db1, dout, x, w, col, &d);
    ts_nn_set_num_threads (2);
    g_assert_cmpint (ts_nn_get_num_threads (), ==, MIN (2, (int) g_get_num_processors ()));
    ts_nn_conv2d_forward (o2, x, w, b, col, &d);
    ts_nn_conv2d_backward (dx2, dw2, db2, dout, x, w, col, &d);
    ts_nn_set_num_threads (1);

    g_assert_cmpmem (o1, no * sizeof (float), o2, no * sizeof (float));
    g_assert_cmpmem (dx1, nx * sizeof (float), dx2, nx * sizeof (float));
    g_assert_cmpmem (dw1, nw * sizeof (float), dw2, nw * sizeof (float));
    g_assert_cmpmem (db1, sizeof db1, db2, sizeof db2);

    memset (dw2, 0, nw * sizeof (float));
    memset (db2, 0, sizeof db2);
    ts_nn_conv2d_backward_naive (dx2, dw2, db2, dout, x, w, &d);
    diff = MAX (max_rel_diff (dw1, dw2, nw), max_rel_diff (db1, db2, 16));
    g_test_message ("conv split in two against the naive loops: weight gradients differ by %.3g",
                    diff);
    g_assert_cmpfloat (diff, <, NAIVE_TOL);
  }
}

/* col2im is im2col's adjoint: <im2col (x), c> = <x, col2im (c)>. */
static void
test_col2im_adjoint (void)
{
  TsNnConvDims d;
  float x[3 * 5 * 6], back[3 * 5 * 6] = { 0 };
  g_autofree float *col = NULL, *c = NULL;
  gsize ncol;
  double lhs = 0.0, rhs = 0.0;

  ts_nn_conv_dims_init (&d, 1, 3, 5, 6, 2, 3, 2, TS_NN_PADDING_SAME);
  ncol = (gsize) 3 * 9 * d.OH * d.OW;
  col = g_new (float, ncol);
  c = g_new (float, ncol);
  fill_uniform (x, G_N_ELEMENTS (x), -1, 1, 8);
  fill_uniform (c, ncol, -1, 1, 9);
  ts_nn_im2col (col, x, &d);
  ts_nn_col2im (back, c, &d);
  for (gsize i = 0; i < ncol; i++)
    lhs += (double) col[i] * c[i];
  for (gsize i = 0; i < G_N_ELEMENTS (x); i++)
    rhs += (double) x[i] * back[i];
  g_assert_cmpfloat (fabs (lhs - rhs), <, 1e-4);
}

static void
test_shapes_refused (void)
{
  g_autoptr(TsNnModel) model = ts_nn_model_new (3, 8, 8);
  g_autoptr(GError) error = NULL;

  ts_nn_model_add_dense (model, 4); /* needs a flatten first */
  g_assert_false (ts_nn_model_build (model, 1, &error));
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ts_nn_set_num_threads (1);

  g_test_add_func ("/Nn/grad/dense", test_grad_dense);
  g_test_add_func ("/Nn/grad/mlp", test_grad_mlp);
  g_test_add_func ("/Nn/grad/activations", test_grad_activations);
  g_test_add_func ("/Nn/grad/cnn", test_grad_cnn);
  g_test_add_func ("/Nn/grad/maxpool", test_grad_maxpool);
  g_test_add_func ("/Nn/grad/losses", test_grad_losses);
  g_test_add_func ("/Nn/naive/dense", test_naive_dense);
  g_test_add_func ("/Nn/naive/conv", test_naive_conv);
  g_test_add_func ("/Nn/naive/depthwise", test_naive_depthwise);
  g_test_add_func ("/Nn/grad/depthwise", test_grad_depthwise);
  g_test_add_func ("/Nn/conv-split", test_conv_split);
  g_test_add_func ("/Nn/col2im-adjoint", test_col2im_adjoint);
  g_test_add_func ("/Nn/shapes-refused", test_shapes_refused);

  return g_test_run ();
}
