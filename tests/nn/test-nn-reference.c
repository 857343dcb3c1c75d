/* test-nn-reference.c: the engine against PyTorch's tensors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixtures come from tests/reference/make_nn_reference.py. Every
 * comparison prints its max difference; any miss fails the process.
 */

#include "config.h"

#define G_LOG_DOMAIN "Tunescope-test"

#include <math.h>
#include <string.h>

#include "tunescope-core.h"
#include "ts-test-util.h"

/* Named tolerances: max |ours - torch| / max (1, max |torch|). */
#define FORWARD_TOL 1e-5
#define LOSS_TOL    1e-5
#define GRAD_TOL    1e-5
#define OPTIM_TOL   1e-4  /* after 10 steps, float rounding compounds */

static TsNnTensorFile *
open_fixture (const char *name)
{
  g_autofree char *path = ts_test_fixture_path (name);
  g_autoptr(GError) error = NULL;
  TsNnTensorFile *file = ts_nn_tensor_file_read (path, &error);

  g_assert_no_error (error);
  return file;
}

static const TsNnTensor *
need (TsNnTensorFile *file,
      const char     *name)
{
  const TsNnTensor *t = ts_nn_tensor_file_get (file, name);

  if (t == NULL)
    g_error ("the fixture lacks tensor %s", name);
  return t;
}

static double
compare (const char  *what,
         const float *ours,
         const float *ref,
         gsize        n,
         double       tolerance)
{
  double worst = 0.0, scale = 1.0;

  for (gsize i = 0; i < n; i++)
    scale = MAX (scale, fabs (ref[i]));
  for (gsize i = 0; i < n; i++)
    worst = MAX (worst, fabs ((double) ours[i] - ref[i]) / scale);
  g_test_message ("%-34s max difference %.3g (tolerance %.0e)", what, worst, tolerance);
  if (!(worst <= tolerance))
    g_test_fail_printf ("%s differs from PyTorch by %.3g > %.0e", what, worst, tolerance);
  return worst;
}

static void
compare_tensor (TsNnTensorFile *file,
                const char     *name,
                const float    *ours,
                gsize           n,
                double          tolerance)
{
  const TsNnTensor *ref = need (file, name);

  g_assert_cmpuint (ref->size, ==, n);
  compare (name, ours, ref->data, n, tolerance);
}

/* Copies every model tensor from the fixture, with an optional prefix. */
static void
load_params (TsNnModel      *model,
             TsNnTensorFile *file,
             const char     *prefix)
{
  for (guint t = 0; t < ts_nn_model_get_n_tensors (model); t++)
    {
      const TsNnTensorView *view = ts_nn_model_get_tensor (model, t);
      g_autofree char *name = g_strconcat (prefix, view->name, NULL);
      const TsNnTensor *ref = need (file, name);

      g_assert_cmpuint (ref->size, ==, view->size);
      memcpy (view->data, ref->data, sizeof (float) * view->size);
    }
}

/* Forward, loss, every layer output, every gradient, running statistics. */
static void
check_network (TsNnModel      *model,
               TsNnTensorFile *file,
               TsNnLoss        loss_kind)
{
  const TsNnTensor *x = need (file, "x"), *target = need (file, "target");
  int n = x->shape[0];
  float loss;

  load_params (model, file, "");
  g_assert_true (ts_nn_model_prepare (model, n, NULL));
  ts_nn_model_forward (model, x->data, n, TRUE);
  ts_nn_model_zero_grad (model);
  loss = ts_nn_model_backward (model, target->data, loss_kind, TRUE);

  for (int i = 0; i < ts_nn_model_get_n_layers (model); i++)
    {
      g_autofree char *name = g_strdup_printf ("out.%d", i);
      compare_tensor (file, name, ts_nn_model_get_activation (model, i),
                      (gsize) n * ts_nn_model_get_layer_size (model, i), FORWARD_TOL);
    }
  compare_tensor (file, "loss", &loss, 1, LOSS_TOL);
  compare_tensor (file, "grad.x", ts_nn_model_get_activation_grad (model, -1),
                  (gsize) n * ts_nn_model_get_input_size (model), GRAD_TOL);
  for (guint t = 0; t < ts_nn_model_get_n_tensors (model); t++)
    {
      const TsNnTensorView *view = ts_nn_model_get_tensor (model, t);
      g_autofree char *name = g_strconcat (view->grad ? "grad." : "after.", view->name, NULL);

      compare_tensor (file, name, view->grad ? view->grad : view->data, view->size,
                      view->grad ? GRAD_TOL : FORWARD_TOL);
    }
}

static TsNnModel *
reference_mlp (void)
{
  TsNnModel *model = ts_nn_model_new (5, 1, 1);

  ts_nn_model_add_dense (model, 8);
  ts_nn_model_add_activation (model, TS_NN_ACT_RELU);
  ts_nn_model_add_batchnorm (model);
  ts_nn_model_add_dropout (model, 0.0f);
  ts_nn_model_add_dense (model, 3);
  ts_nn_model_add_activation (model, TS_NN_ACT_TANH);
  g_assert_true (ts_nn_model_build (model, 1, NULL));
  return model;
}

static void
test_mlp (void)
{
  g_autoptr(TsNnTensorFile) file = open_fixture ("nn/reference-mlp.safetensors");
  g_autoptr(TsNnModel) model = reference_mlp ();

  check_network (model, file, TS_NN_LOSS_MSE);
}

static void
test_cnn (void)
{
  g_autoptr(TsNnTensorFile) file = open_fixture ("nn/reference-cnn.safetensors");
  g_autoptr(TsNnModel) model = ts_nn_model_new (3, 8, 8);

  ts_nn_model_add_conv2d (model, 4, 3, 1, TS_NN_PADDING_SAME);
  ts_nn_model_add_batchnorm (model);
  ts_nn_model_add_activation (model, TS_NN_ACT_RELU);
  ts_nn_model_add_maxpool2d (model, 2, 2);
  ts_nn_model_add_conv2d (model, 3, 3, 1, TS_NN_PADDING_VALID);
  ts_nn_model_add_flatten (model);
  ts_nn_model_add_dense (model, 2);
  ts_nn_model_add_activation (model, TS_NN_ACT_SIGMOID);
  g_assert_true (ts_nn_model_build (model, 1, NULL));
  check_network (model, file, TS_NN_LOSS_BCE);
}

static void
test_optimizers (void)
{
  g_autoptr(TsNnTensorFile) file = open_fixture ("nn/reference-mlp.safetensors");
  const TsNnTensor *x = need (file, "x"), *target = need (file, "target");

  for (int k = 0; k < TS_NN_N_OPTS; k++)
    {
      g_autoptr(TsNnModel) model = reference_mlp ();
      const char *name = ts_nn_optimizer_get_name ((TsNnOptimizer) k);
      g_autofree char *prefix = g_strconcat (name, ".", NULL);
      TsNnOptimConfig config;
      gboolean sgd_family = k <= TS_NN_OPT_NESTEROV;

      ts_nn_optim_config_init (&config, (TsNnOptimizer) k, sgd_family ? 0.05f : 0.01f);
      config.weight_decay = 0.01f;
      load_params (model, file, "");
      g_assert_true (ts_nn_model_prepare (model, x->shape[0], NULL));
      ts_nn_model_set_optimizer (model, &config);
      for (int step = 0; step < 10; step++)
        {
          ts_nn_model_forward (model, x->data, x->shape[0], TRUE);
          ts_nn_model_zero_grad (model);
          ts_nn_model_backward (model, target->data, TS_NN_LOSS_MSE, FALSE);
          ts_nn_model_step (model);
        }
      for (guint t = 0; t < ts_nn_model_get_n_tensors (model); t++)
        {
          const TsNnTensorView *view = ts_nn_model_get_tensor (model, t);
          g_autofree char *ref = g_strconcat (prefix, view->name, NULL);

          compare_tensor (file, ref, view->data, view->size, OPTIM_TOL);
        }
    }
}

static void
test_activations (void)
{
  g_autoptr(TsNnTensorFile) file = open_fixture ("nn/reference-ops.safetensors");
  const TsNnTensor *x = need (file, "act.x"), *dout = need (file, "act.dout");

  for (int a = 0; a < TS_NN_N_ACTS; a++)
    {
      const char *name = ts_nn_activation_get_name ((TsNnActivation) a);
      g_autofree char *out_name = g_strdup_printf ("act.%s.out", name);
      g_autofree char *grad_name = g_strdup_printf ("act.%s.grad", name);
      g_autofree float *out = g_new (float, x->size), *grad = g_new0 (float, x->size);

      ts_nn_activation_forward (out, x->data, (TsNnActivation) a, 1, (int) x->size);
      ts_nn_activation_backward (grad, dout->data, x->data, out, (TsNnActivation) a, 1,
                                 (int) x->size);
      compare_tensor (file, out_name, out, x->size, FORWARD_TOL);
      compare_tensor (file, grad_name, grad, x->size, GRAD_TOL);
    }
}

static void
test_losses (void)
{
  g_autoptr(TsNnTensorFile) file = open_fixture ("nn/reference-ops.safetensors");
  const TsNnTensor *target = need (file, "loss.target");

  for (int k = 0; k < TS_NN_N_LOSSES; k++)
    {
      const char *name = ts_nn_loss_get_name ((TsNnLoss) k);
      g_autofree char *pred_name = g_strdup_printf ("loss.%s.pred", name);
      g_autofree char *value_name = g_strdup_printf ("loss.%s.value", name);
      g_autofree char *grad_name = g_strdup_printf ("loss.%s.grad", name);
      const TsNnTensor *pred = need (file, pred_name);
      g_autofree float *grad = g_new0 (float, pred->size);
      float value;

      value = ts_nn_loss_forward (pred->data, target->data, (TsNnLoss) k, pred->shape[0],
                                  pred->shape[1]);
      ts_nn_loss_backward (grad, pred->data, target->data, (TsNnLoss) k, pred->shape[0],
                           pred->shape[1]);
      compare_tensor (file, value_name, &value, 1, LOSS_TOL);
      compare_tensor (file, grad_name, grad, pred->size, GRAD_TOL);
    }
}

/* One convolution case "<label>.*": x (N, IC, H, W), weight, bias, dout;
 * forward and every gradient against PyTorch. */
static void
conv_case (TsNnTensorFile *file,
           const char     *label,
           int             stride,
           const int       pad[4],
           gboolean        depthwise)
{
  g_autofree char *xn = g_strdup_printf ("%s.x", label), *wn = g_strdup_printf ("%s.weight", label);
  g_autofree char *bn = g_strdup_printf ("%s.bias", label), *dn = g_strdup_printf ("%s.dout", label);
  g_autofree char *on = g_strdup_printf ("%s.out", label);
  g_autofree char *gx = g_strdup_printf ("%s.grad.x", label);
  g_autofree char *gw = g_strdup_printf ("%s.grad.weight", label);
  g_autofree char *gb = g_strdup_printf ("%s.grad.bias", label);
  const TsNnTensor *x = need (file, xn), *w = need (file, wn), *b = need (file, bn);
  const TsNnTensor *dout = need (file, dn);
  TsNnConvDims d;
  g_autofree float *out = NULL, *dx = g_new0 (float, x->size), *dw = g_new0 (float, w->size);
  g_autofree float *db = g_new0 (float, b->size), *col = NULL;

  ts_nn_conv_dims_init_padded (&d, x->shape[0], x->shape[1], x->shape[2], x->shape[3],
                               w->shape[0], w->shape[2], stride, pad[0], pad[1], pad[2], pad[3]);
  out = g_new (float, (gsize) d.N * d.OC * d.OH * d.OW);
  g_assert_cmpuint (dout->size, ==, (gsize) d.N * d.OC * d.OH * d.OW);
  if (depthwise)
    {
      ts_nn_depthwise_forward (out, x->data, w->data, b->data, &d);
      ts_nn_depthwise_backward (dx, dw, db, dout->data, x->data, w->data, &d);
    }
  else
    {
      col = g_new (float, (gsize) d.IC * d.K * d.K * d.OH * d.OW);
      ts_nn_conv2d_forward (out, x->data, w->data, b->data, col, &d);
      ts_nn_conv2d_backward (dx, dw, db, dout->data, x->data, w->data, col, &d);
    }
  compare_tensor (file, on, out, dout->size, FORWARD_TOL);
  compare_tensor (file, gx, dx, x->size, GRAD_TOL);
  compare_tensor (file, gw, dw, w->size, GRAD_TOL);
  compare_tensor (file, gb, db, b->size, GRAD_TOL);
}

/* MobileNetV2's layers: depthwise at stride 1 and 2, Keras' asymmetric
 * padding (0 before, 1 after) on a depthwise and a full convolution. */
static void
test_backbone_convolutions (void)
{
  g_autoptr(TsNnTensorFile) file = open_fixture ("nn/reference-ops.safetensors");
  static const int same[4] = { 1, 1, 1, 1 }, keras_stride2[4] = { 0, 1, 0, 1 };

  conv_case (file, "dw1", 1, same, TRUE);
  conv_case (file, "dw2", 2, keras_stride2, TRUE);
  conv_case (file, "convpad", 2, keras_stride2, FALSE);
}

static void
test_pool_and_add (void)
{
  g_autoptr(TsNnTensorFile) file = open_fixture ("nn/reference-ops.safetensors");
  const TsNnTensor *x = need (file, "dw1.x"), *gd = need (file, "gap.dout");
  const TsNnTensor *a = need (file, "add.a"), *b = need (file, "add.b");
  const TsNnTensor *ad = need (file, "add.dout");
  int N = x->shape[0], C = x->shape[1], S = x->shape[2] * x->shape[3];
  g_autofree float *pooled = g_new (float, (gsize) N * C), *dx = g_new0 (float, x->size);
  g_autofree float *sum = g_new (float, a->size);
  g_autofree float *da = g_new0 (float, a->size), *db = g_new0 (float, b->size);

  ts_nn_global_avgpool_forward (pooled, x->data, N, C, S);
  ts_nn_global_avgpool_backward (dx, gd->data, N, C, S);
  compare_tensor (file, "gap.out", pooled, (gsize) N * C, FORWARD_TOL);
  compare_tensor (file, "gap.grad.x", dx, x->size, GRAD_TOL);

  ts_nn_add_forward (sum, a->data, b->data, a->shape[0], a->shape[1]);
  ts_nn_add_backward (da, db, ad->data, a->shape[0], a->shape[1]);
  compare_tensor (file, "add.out", sum, a->size, FORWARD_TOL);
  compare_tensor (file, "add.grad.a", da, a->size, GRAD_TOL);
  compare_tensor (file, "add.grad.b", db, b->size, GRAD_TOL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ts_nn_set_num_threads (1);

  g_test_add_func ("/Nn/reference/mlp", test_mlp);
  g_test_add_func ("/Nn/reference/cnn", test_cnn);
  g_test_add_func ("/Nn/reference/optimizers", test_optimizers);
  g_test_add_func ("/Nn/reference/activations", test_activations);
  g_test_add_func ("/Nn/reference/losses", test_losses);
  g_test_add_func ("/Nn/reference/backbone-convolutions", test_backbone_convolutions);
  g_test_add_func ("/Nn/reference/pool-and-add", test_pool_and_add);

  return g_test_run ();
}
