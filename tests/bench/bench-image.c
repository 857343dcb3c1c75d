/* bench-image.c: the image search's speed on the pretrained backbone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-image infer IMAGE [THREADS]: one picture to the backbone's
 *   features, as ts_cnn_predict_path does it: decode (scaled where the
 *   file is large), resize to 224 × 224, MobileNetV2 up to block 10, the
 *   average over the picture. The median of 50 runs, after 3 warm-ups;
 *   also the decode alone and the network's multiply-adds.
 * Prints one JSON line; tests/bench/torch_mobilenet.py is the PyTorch peer,
 * which runs the same converted file.
 */

#include "config.h"

#define G_LOG_DOMAIN "Tunescope-bench"

#include <stdio.h>
#include <stdlib.h>

#include "tunescope-core.h"

#define RUNS    50
#define WARMUPS 3

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *v,
        int     n)
{
  qsort (v, n, sizeof (double), compare_doubles);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int
bench_infer (const char *path)
{
  g_autoptr(GError) error = NULL;
  TsNnBackbone *backbone = ts_cnn_get_backbone (&error);
  double total[RUNS], decode[RUNS];
  g_autofree float *features = NULL;
  int dim, width = 0, height = 0;

  if (backbone == NULL)
    {
      g_printerr ("bench-image: %s\n", error->message);
      return 1;
    }
  dim = ts_cnn_get_feature_dim (backbone);
  features = g_new (float, dim);
  for (int i = -WARMUPS; i < RUNS; i++)
    {
      gint64 t0 = g_get_monotonic_time (), t1;
      g_autoptr(TsImage) image = ts_image_load_file (path, 2 * TS_CNN_BACKBONE_SIZE, &error);

      if (image == NULL)
        {
          g_printerr ("bench-image: %s\n", error->message);
          return 1;
        }
      t1 = g_get_monotonic_time ();
      ts_cnn_image_features (backbone, image, features);
      if (i >= 0)
        {
          decode[i] = (t1 - t0) / 1000.0;
          total[i] = (g_get_monotonic_time () - t0) / 1000.0;
        }
      width = (int) ts_image_get_width (image);
      height = (int) ts_image_get_height (image);
    }
  printf ("{\"decode_infer_ms\": %.3f, \"decode_ms\": %.3f, \"features\": %d, "
          "\"decoded\": [%d, %d], \"macs\": %.0f, \"threads\": %d, \"checksum\": %.6f}\n",
          median (total, RUNS), median (decode, RUNS), dim, width, height,
          ts_nn_backbone_count_macs (backbone, ts_nn_backbone_find_op (backbone,
                                                                       TS_CNN_FEATURE_LAYER)),
          ts_nn_get_num_threads (), features[0] + features[dim - 1]);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc >= 3 && g_str_equal (argv[1], "infer"))
    {
      ts_nn_set_num_threads (argc >= 4 ? atoi (argv[3]) : 0);
      return bench_infer (argv[2]);
    }
  g_printerr ("usage: bench-image infer IMAGE [THREADS]\n");
  return 2;
}
