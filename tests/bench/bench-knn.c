/* bench-knn.c: how fast exact top-10 cosine search is over every song
 *
 * Usage: bench-knn FILE [--repeat N] [--batch N]
 * Loads FILE once in the base space, then times single queries (one
 * song's row at a time, N of them) and one batch of --batch queries.
 * Prints one JSON object: single-query median and best in ms, the batch
 * median in ms, and a checksum of the neighbours the peer must match.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tunescope-core.h"

#define K 10

static int
compare_doubles (const void *a,
                 const void *b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return (da > db) - (da < db);
}

/* The queries: rows spread evenly over the file (the peer uses the same). */
static float *
query_rows (TsSpace *space,
            guint    n_queries)
{
  guint d = ts_space_get_dim (space), n = ts_space_get_n (space);
  float *queries = g_new (float, (gsize) n_queries * d);

  for (guint q = 0; q < n_queries; q++)
    memcpy (queries + (gsize) q * d,
            ts_space_get_data (space) + (gsize) ((guint64) q * n / n_queries) * d,
            d * sizeof (float));
  return queries;
}

int
main (int   argc,
      char *argv[])
{
  int repeat = 200;
  int batch = 1000;
  const GOptionEntry entries[] = {
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Single queries to time", "N" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "Queries in the batch", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsDataset) ds = NULL;
  g_autoptr(TsSpace) space = NULL;
  g_autofree double *times = NULL;
  g_autofree float *singles = NULL;
  g_autofree float *queries = NULL;
  g_autofree TsNeighbor *out = NULL;
  g_autofree guint *n_found = NULL;
  TsDatasetLoadOptions options = { .skip_companions = TRUE };
  TsKnnOptions knn = { TS_METRIC_COSINE, K, NULL, NULL, NULL };
  double batch_times[3];
  guint64 checksum = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || repeat < 1
      || batch < 1)
    {
      g_printerr ("usage: bench-knn FILE [--repeat N] [--batch N]\n");
      return 2;
    }
  ds = ts_dataset_load (argv[1], &options, NULL, NULL, NULL, &error);
  if (ds == NULL)
    {
      g_printerr ("bench-knn: %s\n", error->message);
      return 1;
    }
  space = ts_space_new_base (ds);
  ts_space_get_norms (space);  /* once per space, like the peer's fit() */

  times = g_new (double, repeat);
  singles = query_rows (space, (guint) repeat);
  out = g_new (TsNeighbor, (gsize) MAX (repeat, batch) * K);
  n_found = g_new (guint, MAX (repeat, batch));
  for (int i = 0; i < repeat; i++)
    {
      gint64 start = g_get_monotonic_time ();

      ts_knn_search (space, &knn, singles + (gsize) i * TS_N_FEATURES, 1, out, n_found);
      times[i] = (double) (g_get_monotonic_time () - start) / 1000.0;
    }
  qsort (times, (size_t) repeat, sizeof *times, compare_doubles);

  queries = query_rows (space, (guint) batch);
  for (guint r = 0; r < G_N_ELEMENTS (batch_times); r++)
    {
      gint64 start = g_get_monotonic_time ();

      ts_knn_search (space, &knn, queries, (guint) batch, out, n_found);
      batch_times[r] = (double) (g_get_monotonic_time () - start) / 1000.0;
    }
  qsort (batch_times, G_N_ELEMENTS (batch_times), sizeof (double), compare_doubles);
  for (int q = 0; q < batch; q++)
    for (guint r = 0; r < n_found[q]; r++)
      checksum += out[(gsize) q * K + r].row;

  printf ("{\"rows\": %u, \"single_median_ms\": %.3f, \"single_best_ms\": %.3f, "
          "\"batch\": %d, \"batch_median_ms\": %.1f, \"row_sum\": %" G_GUINT64_FORMAT "}\n",
          ts_dataset_get_n_rows (ds), times[repeat / 2], times[0], batch, batch_times[1],
          checksum);
  return 0;
}
