/* bench-catalogue.c: what a big catalogue costs the app, beyond the load
 *
 * Usage: bench-catalogue FILE [--repeat N]
 * Prints one JSON object, times in ms (median of N, and the worst where a
 * frame must never be late):
 *   ready       the load as the app does it: companions and the search
 *               index, until the first interactive frame
 *   keystroke   one search-as-you-type step: every prefix of five song
 *               names typed letter by letter, 8 suggestions each
 *   map_first   the map's first frame: the projection fitted on its
 *               sample, every song projected, the view framed, the
 *               songs counted and shaded at 890 x 519
 *   map_zoom    a zoom step once the view rests: counted and shaded again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tunescope-core.h"

/* The map's size in the app's default window (a screenshot's). */
#define MAP_WIDTH  890
#define MAP_HEIGHT 519
#define N_NAMES    5
#define MAX_TYPED  12

static int
compare_doubles (const void *a,
                 const void *b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return (da > db) - (da < db);
}

static double
median (GArray *times)
{
  g_array_sort (times, compare_doubles);
  return g_array_index (times, double, times->len / 2);
}

static double
worst (GArray *times)
{
  g_array_sort (times, compare_doubles);
  return g_array_index (times, double, times->len - 1);
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static TsDataset *
load_ready (const char *path,
            GArray     *times,
            GError    **error)
{
  TsDatasetLoadOptions options = { .build_index = TRUE };
  double start = now_ms ();
  TsDataset *ds = ts_dataset_load (path, &options, NULL, NULL, NULL, error);

  g_array_append_val (times, (double) { now_ms () - start });
  return ds;
}

/* Every prefix of five names spread over the file, as typed. */
static void
time_keystrokes (TsDataset *ds,
                 GArray    *times)
{
  guint n = ts_dataset_get_n_rows (ds);

  for (guint k = 0; k < N_NAMES; k++)
    {
      const char *name = ts_dataset_get_name (ds, (guint) ((guint64) n * (2 * k + 1) / (2 * N_NAMES)));
      glong length = MIN (g_utf8_strlen (name, -1), MAX_TYPED);

      for (glong typed = 1; typed <= length; typed++)
        {
          g_autofree char *prefix = g_utf8_substring (name, 0, typed);
          double start = now_ms ();
          g_autoptr(GArray) hits = ts_dataset_search (ds, prefix, 8);

          g_array_append_val (times, (double) { now_ms () - start });
        }
    }
}

static int
compare_floats (const void *a,
                const void *b)
{
  float fa = *(const float *) a, fb = *(const float *) b;

  return (fa > fb) - (fa < fb);
}

/* The map's frame: where its view is centred and how far it sees. */
typedef struct
{
  float  *xy;
  double  cx, cy, scale;
} MapFrame;

static void
map_first_frame (TsDataset *ds,
                 MapFrame  *frame,
                 GArray    *times)
{
  guint n = ts_dataset_get_n_rows (ds);
  const float *scaled = ts_dataset_get_scaled (ds);
  double start = now_ms ();
  g_autoptr(TsPca) pca = ts_pca_fit_sample (scaled, n, TS_N_FEATURES, TS_PCA_MAP_POINTS, NULL);
  guint stride = ts_pca_sample_stride (n, TS_PCA_MAP_POINTS), m = (n + stride - 1) / stride;
  g_autofree float *values = g_new (float, m);
  g_autofree guint32 *pixels = NULL;
  double lo[2], hi[2];
  TsDensityView view;

  g_free (frame->xy);
  frame->xy = g_new (float, (gsize) n * 2);
  ts_pca_project (pca, scaled, n, frame->xy);
  /* Framed as the map frames it: all but the outer 0.1 % of a sample. */
  for (guint c = 0; c < 2; c++)
    {
      for (guint i = 0; i < m; i++)
        values[i] = frame->xy[(gsize) i * stride * 2 + c];
      qsort (values, m, sizeof (float), compare_floats);
      lo[c] = values[m / 1000];
      hi[c] = values[m - 1 - m / 1000];
    }
  frame->cx = (lo[0] + hi[0]) / 2;
  frame->cy = (lo[1] + hi[1]) / 2;
  frame->scale = 0.92 * MIN (MAP_WIDTH / (hi[0] - lo[0]), MAP_HEIGHT / (hi[1] - lo[1]));
  view = (TsDensityView) { MAP_WIDTH, MAP_HEIGHT, MAP_WIDTH / 2.0 - frame->cx * frame->scale - 1,
                           MAP_HEIGHT / 2.0 + frame->cy * frame->scale - 1, frame->scale, 2 };
  pixels = ts_density_render (frame->xy, n, &view, (TsRgba) { 0.1, 0.4, 0.7, 1 });
  g_array_append_val (times, (double) { now_ms () - start });
}

static void
map_zoom_step (guint     n,
               MapFrame *frame,
               double    zoom,
               GArray   *times)
{
  double scale = frame->scale * zoom;
  TsDensityView view = { MAP_WIDTH, MAP_HEIGHT, MAP_WIDTH / 2.0 - frame->cx * scale - 1,
                         MAP_HEIGHT / 2.0 + frame->cy * scale - 1, scale, 2 };
  double start = now_ms ();
  g_autofree guint32 *pixels = ts_density_render (frame->xy, n, &view, (TsRgba) { 0.1, 0.4, 0.7, 1 });

  g_array_append_val (times, (double) { now_ms () - start });
}

int
main (int   argc,
      char *argv[])
{
  int repeat = 5;
  const GOptionEntry entries[] = {
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Times to repeat each step", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ready = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) first = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) zoom = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(TsDataset) ds = NULL;
  MapFrame frame = { NULL };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || repeat < 1)
    {
      g_printerr ("usage: bench-catalogue FILE [--repeat N]\n");
      return 2;
    }
  for (int i = 0; i < repeat; i++)
    {
      g_clear_object (&ds);
      ds = load_ready (argv[1], ready, &error);
      if (ds == NULL)
        {
          g_printerr ("bench-catalogue: %s\n", error->message);
          return 2;
        }
    }
  for (int i = 0; i < repeat; i++)
    time_keystrokes (ds, keys);
  for (int i = 0; i < repeat; i++)
    map_first_frame (ds, &frame, first);
  for (int i = 0; i < 2 * repeat; i++)
    map_zoom_step (ts_dataset_get_n_rows (ds), &frame, i % 2 ? 1.25 : 1.5625, zoom);

  printf ("{\"rows\": %u, \"ready_ms\": %.1f, \"keystroke_ms\": %.3f, \"keystroke_worst_ms\": %.3f, "
          "\"map_first_ms\": %.1f, \"map_zoom_ms\": %.1f, \"map_zoom_worst_ms\": %.1f}\n",
          ts_dataset_get_n_rows (ds), median (ready), median (keys), worst (keys), median (first),
          median (zoom), worst (zoom));
  g_free (frame.xy);
  return 0;
}
