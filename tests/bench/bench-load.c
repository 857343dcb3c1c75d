/* bench-load.c: how fast and how lean ts_dataset_load() reads a data.csv
 *
 * Usage: bench-load FILE [--repeat N] [--threads N] [--companions]
 * Prints one JSON object: the median and best wall time in ms, the rows,
 * the file size and the peak resident set size in KiB.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>
#include <sys/resource.h>

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
  gboolean companions = FALSE;
  g_autofree double *times = NULL;
  const GOptionEntry entries[] = {
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Loads to time", "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Threads (0: one per core)", "N" },
    { "companions", 0, 0, G_OPTION_ARG_NONE, &companions, "Also read the companion files", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE");
  g_autoptr(GError) error = NULL;
  TsDatasetLoadOptions options = { 0 };
  struct rusage usage;
  guint rows = 0;
  GStatBuf st;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || repeat < 1)
    {
      g_printerr ("usage: bench-load FILE [--repeat N] [--threads N] [--companions]\n");
      return 2;
    }
  options.n_threads = (guint) threads;
  options.skip_companions = !companions;

  times = g_new (double, repeat);
  for (int i = 0; i < repeat; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(TsDataset) ds = ts_dataset_load (argv[1], &options, NULL, NULL, NULL, &error);

      if (ds == NULL)
        {
          g_printerr ("bench-load: %s\n", error->message);
          return 1;
        }
      times[i] = (double) (g_get_monotonic_time () - start) / 1000.0;
      rows = ts_dataset_get_n_rows (ds);
    }
  qsort (times, (size_t) repeat, sizeof *times, compare_doubles);
  getrusage (RUSAGE_SELF, &usage);
  g_stat (argv[1], &st);

  printf ("{\"median_ms\": %.1f, \"best_ms\": %.1f, \"rows\": %u, \"file_bytes\": %lld, "
          "\"peak_rss_kib\": %ld}\n", times[repeat / 2], times[0], rows, (long long) st.st_size,
          usage.ru_maxrss);
  return 0;
}
