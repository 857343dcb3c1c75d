/* bench-corr.c: how fast the three 13 x 13 correlation matrices are
 *
 * Usage: bench-corr FILE [--repeat N] [--threads N]
 * Loads FILE once, then times each method's matrix over all 13 features.
 * Prints one JSON object: per method the median and best wall time in ms,
 * and the rows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tunescope-core.h"

static int
compare_doubles (const void *a,
                 const void *b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return (da > db) - (da < db);
}

int
main (int   argc,
      char *argv[])
{
  int repeat = 5;
  int threads = 0;
  g_autofree double *times = NULL;
  const GOptionEntry entries[] = {
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Matrices to time per method", "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Threads (0: one per core)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsDataset) ds = NULL;
  TsDatasetLoadOptions options = { .skip_companions = TRUE };
  TsFeature features[TS_N_FEATURES];
  guint n_features = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || repeat < 1 ||
      threads < 0)
    {
      g_printerr ("usage: bench-corr FILE [--repeat N] [--threads N]\n");
      return 2;
    }
  ds = ts_dataset_load (argv[1], &options, NULL, NULL, NULL, &error);
  if (ds == NULL)
    {
      g_printerr ("bench-corr: %s\n", error->message);
      return 1;
    }

  /* The features the file has, as the app's Explore page takes them. */
  for (guint f = 0; f < TS_N_FEATURES; f++)
    if (ts_dataset_has_feature (ds, f))
      features[n_features++] = f;
  times = g_new (double, repeat);
  printf ("{\"rows\": %u, \"features\": %u", ts_dataset_get_n_rows (ds), n_features);
  for (guint m = 0; m < TS_N_CORR_METHODS; m++)
    {
      for (int i = 0; i < repeat; i++)
        {
          gint64 start = g_get_monotonic_time ();
          g_autoptr(TsCorrMatrix) matrix = ts_corr_matrix_new (ds, m, features, n_features,
                                                                 (guint) threads);

          times[i] = (double) (g_get_monotonic_time () - start) / 1000.0;
        }
      qsort (times, (size_t) repeat, sizeof *times, compare_doubles);
      printf (", \"%s\": {\"median_ms\": %.1f, \"best_ms\": %.1f}",
              ts_corr_method_get_name (m), times[repeat / 2], times[0]);
    }
  printf ("}\n");
  return 0;
}
