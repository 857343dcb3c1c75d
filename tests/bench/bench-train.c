/* bench-train.c: training and inference speed of the engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-train mlp DATA.csv [THREADS]: 12→64→32→1 on the scaled features
 *   predicting popularity, batch 256, Adam, 5 epochs; the first 90 % of
 *   the rows train, the last 10 % measure the validation MSE.
 * bench-train cnn [THREADS]: the network ts-cnn builds by default
 *   (ts_cnn_build_network with the from-scratch defaults: [Conv 3×3 → BatchNorm →
 *   ReLU → MaxPool 2] × 3 with 16/32/64 filters → Flatten → Dense 64 → ReLU
 *   → Dropout 0.3 → Dense 13) on random 64×64 RGB batches of 32, Adam.
 * bench-train cnn-file IMAGE [THREADS]: that network's inference on one
 *   cover file, decode and preprocessing included (what ts_cnn_predict_file
 *   does), the median of 50.
 * Prints one JSON line; tests/bench/torch_train.py is the PyTorch peer.
 */

#include "config.h"

#define G_LOG_DOMAIN "Tunescope-bench"

#include <stdio.h>
#include <stdlib.h>

#include "tunescope-core.h"

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static int
bench_mlp (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsDataset) ds = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);
  g_autoptr(TsNnModel) model = ts_nn_model_new (12, 1, 1);
  g_autofree float *x = NULL, *y = NULL, *pred = NULL;
  const float *scaled;
  TsNnTrainOptions options;
  int n, n_train, n_val;
  double t0, train_s, mse = 0.0;

  if (ds == NULL)
    {
      g_printerr ("bench-train: %s\n", error->message);
      return 1;
    }
  n = (int) ts_dataset_get_n_rows (ds);
  scaled = ts_dataset_get_scaled (ds);
  x = g_new (float, (gsize) n * 12);
  y = g_new (float, n);
  for (int i = 0; i < n; i++)
    {
      int k = 0;

      for (int f = 0; f < TS_N_FEATURES; f++)
        if (f != TS_FEATURE_POPULARITY)
          x[(gsize) i * 12 + k++] = scaled[(gsize) i * TS_N_FEATURES + f];
      y[i] = scaled[(gsize) i * TS_N_FEATURES + TS_FEATURE_POPULARITY];
    }
  n_val = n / 10;
  n_train = n - n_val;

  ts_nn_model_add_dense (model, 64);
  ts_nn_model_add_activation (model, TS_NN_ACT_RELU);
  ts_nn_model_add_dense (model, 32);
  ts_nn_model_add_activation (model, TS_NN_ACT_RELU);
  ts_nn_model_add_dense (model, 1);
  g_assert (ts_nn_model_build (model, 1, NULL));
  ts_nn_train_options_init (&options);
  options.epochs = 5;
  options.batch_size = 256;
  options.val_split = 0.0f;
  options.patience = 0;

  t0 = now_s ();
  if (!ts_nn_model_fit (model, x, y, n_train, &options, NULL, NULL, NULL, NULL, &error))
    {
      g_printerr ("bench-train: %s\n", error->message);
      return 1;
    }
  train_s = now_s () - t0;
  pred = g_new (float, n_val);
  g_assert (ts_nn_model_predict (model, x + (gsize) n_train * 12, n_val, -1, pred, NULL));
  for (int i = 0; i < n_val; i++)
    mse += (pred[i] - y[n_train + i]) * (double) (pred[i] - y[n_train + i]);
  mse /= n_val;
  printf ("{\"rows\": %d, \"epoch_s\": %.4f, \"val_mse\": %.6f}\n", n, train_s / 5, mse);
  return 0;
}

static TsNnModel *
default_cnn (TsCnnOptions *options)
{
  g_autoptr(GError) error = NULL;
  TsNnModel *model;

  ts_cnn_options_init_for (options, TS_CNN_BACKBONE_NONE);
  model = ts_cnn_build_network (options, &error);
  g_assert_no_error (error);
  return model;
}

static void
sort_times (double *times,
            int     n)
{
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++)
      if (times[j] < times[i])
        {
          double t = times[i];
          times[i] = times[j], times[j] = t;
        }
}

static int
bench_cnn (void)
{
  enum { STEPS = 20, INFER = 50 };
  TsCnnOptions o;
  g_autoptr(TsNnModel) model = default_cnn (&o);
  gsize isz = (gsize) 3 * o.image_size * o.image_size;
  int n = o.batch_size * STEPS;
  g_autofree float *x = g_new (float, (gsize) n * isz);
  g_autofree float *y = g_new (float, (gsize) n * TS_N_FEATURES);
  float out[TS_N_FEATURES];
  double t0, train_s, times[INFER];
  TsNnTrainOptions options;
  TsNnRng rng;

  ts_nn_rng_init (&rng, 3);
  for (gsize i = 0; i < (gsize) n * isz; i++)
    x[i] = ts_nn_rng_uniform (&rng);
  for (gsize i = 0; i < (gsize) n * TS_N_FEATURES; i++)
    y[i] = ts_nn_rng_uniform (&rng);

  /* Through the fit loop `train cnn` runs, which sets the threads up. */
  ts_nn_train_options_init (&options);
  options.epochs = 1;
  options.batch_size = o.batch_size;
  options.val_split = 0.0f;
  options.patience = 0;
  ts_nn_optim_config_init (&options.optim, TS_NN_OPT_ADAM, o.lr);
  /* A warm-up epoch of two batches, then STEPS batches timed. */
  g_assert (ts_nn_model_fit (model, x, y, 2 * o.batch_size, &options, NULL, NULL, NULL, NULL,
                             NULL));
  t0 = now_s ();
  g_assert (ts_nn_model_fit (model, x, y, n, &options, NULL, NULL, NULL, NULL, NULL));
  train_s = now_s () - t0;

  for (int i = 0; i < INFER; i++)
    {
      double t = now_s ();
      g_assert (ts_nn_model_predict (model, x, 1, -1, out, NULL));
      times[i] = now_s () - t;
    }
  sort_times (times, INFER);
  printf ("{\"images_per_s\": %.1f, \"infer_ms\": %.3f, \"image_size\": %d, \"batch\": %d}\n",
          o.batch_size * STEPS / train_s, times[INFER / 2] * 1e3, o.image_size, o.batch_size);
  return 0;
}

static int
bench_cnn_file (const char *path)
{
  enum { INFER = 50 };
  TsCnnOptions o;
  g_autoptr(TsNnModel) model = default_cnn (&o);
  float out[TS_N_FEATURES];
  double times[INFER];

  for (int i = -2; i < INFER; i++)
    {
      g_autoptr(GError) error = NULL;
      double t = now_s ();
      g_autofree float *chw = ts_cnn_load_image (path, o.image_size, &error);

      if (chw == NULL)
        {
          g_printerr ("bench-train: %s\n", error->message);
          return 1;
        }
      g_assert (ts_nn_model_predict (model, chw, 1, -1, out, NULL));
      if (i >= 0)
        times[i] = now_s () - t;
    }
  sort_times (times, INFER);
  printf ("{\"decode_infer_ms\": %.3f}\n", times[INFER / 2] * 1e3);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  gboolean mlp = argc >= 3 && g_str_equal (argv[1], "mlp");
  gboolean cnn_file = argc >= 3 && g_str_equal (argv[1], "cnn-file");
  gboolean cnn = argc >= 2 && g_str_equal (argv[1], "cnn");
  int first_optional = mlp || cnn_file ? 3 : 2;
  const char *threads = argc > first_optional ? argv[first_optional] : NULL;

  if (!mlp && !cnn && !cnn_file)
    {
      g_printerr ("usage: bench-train mlp DATA.csv [THREADS] | cnn [THREADS] | "
                  "cnn-file IMAGE [THREADS]\n");
      return 2;
    }
  ts_nn_set_num_threads (threads != NULL ? atoi (threads) : 0);
  if (mlp)
    return bench_mlp (argv[2]);
  return cnn_file ? bench_cnn_file (argv[2]) : bench_cnn ();
}
