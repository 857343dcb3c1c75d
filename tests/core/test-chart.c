/* test-chart.c: each chart drawn to an image surface: legend entries,
 * cells and bars found by hit testing, colours at known items, export
 *
 * Set TS_CHART_PNG_DIR to also write every chart, light and dark, as PNG
 * (from the real subset when ../shared is there) to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fontconfig/fontconfig.h>
#include <glib/gstdio.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "tunescope-core.h"
#include "ts-test-util.h"

#define WIDTH  720
#define HEIGHT 520
#define SCAN   2     /* hit-test every SCAN pixels */

typedef struct
{
  guint  hits;
  double sx, sy;  /* sum of hit positions */
} ItemHits;

static cairo_surface_t *
render (TsChart *chart,
        TsTheme  theme)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cairo_t *cr = cairo_create (surface);

  ts_chart_set_theme (chart, theme);
  ts_chart_draw (chart, cr, WIDTH, HEIGHT);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static TsRgba
pixel (cairo_surface_t *surface,
       int              x,
       int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  guint32 p = *(const guint32 *) (data + y * cairo_image_surface_get_stride (surface) + 4 * x);

  return (TsRgba) { (p >> 16 & 0xff) / 255.0, (p >> 8 & 0xff) / 255.0, (p & 0xff) / 255.0, 1 };
}

static gboolean
near_color (TsRgba a,
            TsRgba b,
            double tolerance)
{
  return fabs (a.red - b.red) <= tolerance && fabs (a.green - b.green) <= tolerance &&
         fabs (a.blue - b.blue) <= tolerance;
}

/* Hit tests the whole chart; per (series, index) of @kind, how often and
 * where. Returns the number of distinct items found. */
static guint
scan_items (TsChart         *chart,
            TsChartItemKind  kind,
            guint            n_series,
            guint            n_index,
            ItemHits        *hits)
{
  guint distinct = 0;

  memset (hits, 0, n_series * n_index * sizeof *hits);
  for (int y = 0; y < HEIGHT; y += SCAN)
    for (int x = 0; x < WIDTH; x += SCAN)
      {
        TsChartItem item;

        if (!ts_chart_hit_test (chart, x, y, &item) || item.kind != kind)
          continue;
        g_assert_cmpuint (item.series, <, n_series);
        g_assert_cmpuint (item.index, <, n_index);
        distinct += hits[item.series * n_index + item.index].hits++ == 0;
        hits[item.series * n_index + item.index].sx += x;
        hits[item.series * n_index + item.index].sy += y;
      }
  return distinct;
}

static void
maybe_save (TsChart    *chart,
            const char *stem)
{
  const char *dir = g_getenv ("TS_CHART_PNG_DIR");

  for (TsTheme theme = TS_THEME_LIGHT; dir != NULL && theme <= TS_THEME_DARK; theme++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%s.png", stem,
                                               theme == TS_THEME_LIGHT ? "light" : "dark");
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;

      ts_chart_set_theme (chart, theme);
      g_assert_true (ts_chart_export (chart, path, WIDTH, HEIGHT, &error));
      g_assert_no_error (error);
    }
}

static TsCorrMatrix *
small_matrix (void)
{
  const TsFeature features[] = { TS_FEATURE_ENERGY, TS_FEATURE_LOUDNESS,
                                 TS_FEATURE_ACOUSTICNESS, TS_FEATURE_INSTRUMENTALNESS };
  const double values[] = {
    1.0, 0.78, -0.75, 0,
    0.78, 1.0, -0.56, 0,
    -0.75, -0.56, 1.0, 0,
    0, 0, 0, 0,
  };
  const gboolean defined[] = { 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0 };

  return ts_corr_matrix_new_from_values (TS_CORR_KENDALL, 1234, features, 4, values, defined);
}

static void
test_heatmap (void)
{
  g_autoptr(TsCorrMatrix) m = small_matrix ();
  g_autoptr(TsChart) chart = ts_chart_heatmap_new (m);
  ItemHits hits[16];
  g_autofree char *desc = NULL, *tip = NULL;

  for (TsTheme theme = TS_THEME_LIGHT; theme <= TS_THEME_DARK; theme++)
    {
      cairo_surface_t *surface = render (chart, theme);

      g_assert_cmpuint (scan_items (chart, TS_CHART_ITEM_CELL, 4, 4, hits), ==, 16);
      for (guint c = 0; c < 16; c++)
        {
          /* Cells are squares of equal size. */
          g_assert_cmpuint (hits[c].hits, ==, hits[0].hits);
        }
      /* Near the top-left corner of cell (0, 2), clear of its text: r = -0.75. */
      {
        TsChartItem item;
        double cx = hits[2].sx / hits[2].hits, cy = hits[2].sy / hits[2].hits;
        int x = (int) cx, y = (int) cy;

        while (ts_chart_hit_test (chart, x - 1, y, &item) && item.index == 2)
          x--;
        while (ts_chart_hit_test (chart, x, y - 1, &item) && item.series == 0)
          y--;
        g_assert_true (near_color (pixel (surface, x + 3, y + 3),
                                   ts_palette_diverging (theme, -0.75), 2.5 / 255));
        g_assert_true (near_color (pixel (surface, x + 3 + (int) (cx - x) * 2, y + 3 + (int) (cy - y) * 6),
                                   ts_palette_role (theme, TS_COLOR_UNDEFINED), 2.5 / 255));
      }
      cairo_surface_destroy (surface);
    }

  {
    TsChartItem item = { TS_CHART_ITEM_CELL, 0, 1, 0.78, 1234 };

    tip = ts_chart_describe_item (chart, &item);
    g_assert_cmpstr (tip, ==, "energy \u00d7 loudness: \u03c4 = 0.780 (n = 1\u2009234)");
  }
  desc = ts_chart_describe (chart);
  g_assert_nonnull (strstr (desc, "strongest: energy and loudness (0.78)"));
  g_assert_false (ts_chart_hit_test (chart, 1, 1, NULL));
  maybe_save (chart, "heatmap-small");
}

/* A data.csv with @n_years years from 1950, three songs a year, energy
 * rising and tempo falling. */
static TsDataset *
years_dataset (guint n_years)
{
  g_autoptr(GString) csv = g_string_new ("valence,year,acousticness,artists,danceability,"
                                         "duration_ms,energy,explicit,id,instrumentalness,key,"
                                         "liveness,loudness,mode,name,popularity,release_date,"
                                         "speechiness,tempo\n");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  TsDataset *ds;

  for (guint y = 0; y < n_years; y++)
    for (guint s = 0; s < 3; s++)
      {
        char energy[G_ASCII_DTOSTR_BUF_SIZE], tempo[G_ASCII_DTOSTR_BUF_SIZE];

        g_ascii_dtostr (energy, sizeof energy, 0.2 + 0.6 * y / n_years + 0.01 * s);
        g_ascii_dtostr (tempo, sizeof tempo, 140.0 - y + s);
        g_string_append_printf (csv, "0.5,%u,0.3,['A'],0.5,200000,%s,0,id%u_%u,0.0,5,0.1,-8.0,1,"
                                "Song %u,40,%u,0.05,%s\n", 1950 + y, energy, y, s, s, 1950 + y,
                                tempo);
      }
  path = ts_test_write_temp ("data.csv", csv->str, (gssize) csv->len);
  ds = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return ds;
}

static void
test_timeline (void)
{
  const TsFeature features[] = { TS_FEATURE_ENERGY, TS_FEATURE_TEMPO, TS_FEATURE_VALENCE };
  g_autoptr(TsDataset) ds = years_dataset (30);
  g_autoptr(TsChart) chart = ts_chart_timeline_new (ts_dataset_get_by_year (ds), features, 3, TRUE);
  ItemHits hits[3 * 30];
  g_autofree char *desc = NULL, *tip = NULL;

  for (TsTheme theme = TS_THEME_LIGHT; theme <= TS_THEME_DARK; theme++)
    {
      cairo_surface_t *surface = render (chart, theme);
      guint distinct = scan_items (chart, TS_CHART_ITEM_POINT, 3, 30, hits);
      TsChartItem item;

      g_assert_cmpuint (ts_chart_get_n_legend (chart), ==, 3);
      /* Energy rises: its first point is low, its last high; tempo the other way. */
      g_assert_cmpuint (distinct, >=, 2 * 30);
      g_assert_cmpuint (hits[0].hits, >, 0);
      g_assert_cmpuint (hits[29].hits, >, 0);
      g_assert_cmpfloat (hits[0].sy / hits[0].hits, >, hits[29].sy / hits[29].hits);
      g_assert_cmpfloat (hits[30].sy / hits[30].hits, <, hits[59].sy / hits[59].hits);
      /* The line passes where a middle energy point is hit. */
      {
        int x = (int) lround (hits[15].sx / hits[15].hits);
        gboolean found = FALSE;

        for (int y = 0; y < HEIGHT && !found; y++)
          if (ts_chart_hit_test (chart, x, y, &item) && item.kind == TS_CHART_ITEM_POINT &&
              item.series == 0 && item.index == 15)
            found = near_color (pixel (surface, x, y), ts_palette_qualitative (theme, 0), 0.1);
        g_assert_true (found);
      }
      cairo_surface_destroy (surface);
    }
  {
    TsChartItem item = { TS_CHART_ITEM_POINT, 1, 0, 141, 3 };

    tip = ts_chart_describe_item (chart, &item);
    g_assert_cmpstr (tip, ==, "tempo in 1950: 141.0 (mean of 3 songs)");
  }
  desc = ts_chart_describe (chart);
  g_assert_cmpstr (desc, ==, "Mean energy, tempo and valence per year from 1950 to 1979, each "
                             "scaled to its own range");
  maybe_save (chart, "timeline-small");
}

static TsGroupSelection *
small_selection (void)
{
  TsGroupSelection *sel = g_new0 (TsGroupSelection, 1);
  const char *names[] = { "rock", "jazz", "a very long genre name that cannot fit", "tiny", NULL };
  const TsFeature features[] = { TS_FEATURE_ENERGY, TS_FEATURE_DANCEABILITY, TS_FEATURE_VALENCE };
  const double means[] = { 0.7, 0.5, 0.55, 0.3, 0.5, 0.6, 0.9, 0.8, 0.7, 0.2, 0.4, 0.1 };
  const double counts[] = { 5000, 2000, 300, 4 };

  sel->n_groups = 4;
  sel->n_features = 3;
  sel->names = g_strdupv ((char **) names);
  sel->features = g_memdup2 (features, sizeof features);
  sel->means = g_memdup2 (means, sizeof means);
  sel->counts = g_memdup2 (counts, sizeof counts);
  return sel;
}

static void
test_bars (void)
{
  g_autoptr(TsChart) chart = ts_chart_bars_new (TS_CHART_GENRES, small_selection (), 20);
  ItemHits hits[3 * 4];
  g_autofree char *desc = NULL, *tip = NULL;

  for (TsTheme theme = TS_THEME_LIGHT; theme <= TS_THEME_DARK; theme++)
    {
      cairo_surface_t *surface = render (chart, theme);
      TsChartItem item;

      g_assert_cmpuint (scan_items (chart, TS_CHART_ITEM_BAR, 3, 4, hits), ==, 12);
      g_assert_cmpuint (ts_chart_get_n_legend (chart), ==, 3);
      /* Taller bars take more hits: jazz's valence (0.6) over its energy (0.3). */
      g_assert_cmpuint (hits[2 * 4 + 1].hits, >, hits[0 * 4 + 1].hits);
      for (guint f = 0; f < 3; f++)
        {
          /* Just above the baseline each bar of rock has its feature's colour;
           * tiny's is faded. (A bar's whole column answers hit tests.) */
          ItemHits *h = &hits[f * 4 + 0], *thin = &hits[f * 4 + 3];
          int x = (int) (h->sx / h->hits), tx = (int) (thin->sx / thin->hits);
          int y = (int) (h->sy / h->hits);

          while (ts_chart_hit_test (chart, x, y + 1, &item) && item.kind == TS_CHART_ITEM_BAR)
            y++;
          y -= 2;
          g_assert_true (ts_chart_hit_test (chart, x, y, &item));
          g_assert_cmpuint (item.series, ==, f);
          g_assert_cmpuint (item.index, ==, 0);
          g_assert_true (near_color (pixel (surface, x, y), ts_palette_qualitative (theme, f),
                                     1.5 / 255));
          g_assert_true (ts_chart_hit_test (chart, tx, y, &item));
          g_assert_cmpuint (item.index, ==, 3);
          g_assert_false (near_color (pixel (surface, tx, y), ts_palette_qualitative (theme, f),
                                      0.05));
        }
      /* The legend answers too. */
      {
        gboolean legend = FALSE;

        for (int y = 0; y < HEIGHT / 4 && !legend; y++)
          for (int x = 0; x < WIDTH && !legend; x++)
            legend = ts_chart_hit_test (chart, x, y, &item) && item.kind == TS_CHART_ITEM_LEGEND;
        g_assert_true (legend);
      }
      cairo_surface_destroy (surface);
    }
  {
    TsChartItem item = { TS_CHART_ITEM_BAR, 0, 3, 0.2, 4 };

    tip = ts_chart_describe_item (chart, &item);
    g_assert_cmpstr (tip, ==, "tiny \u2014 energy: 0.200 (mean of 4 songs, few)");
  }
  desc = ts_chart_describe (chart);
  g_assert_nonnull (strstr (desc, "of 4 genres: rock, jazz"));
  maybe_save (chart, "bars-small");
}

/* Each feature's row answers hit tests with its value; a longer bar is
 * hit further right; the description lists every value. */
static void
test_profile (void)
{
  float scaled[TS_N_FEATURES];
  double values[TS_N_FEATURES];
  g_autoptr(TsChart) chart = NULL;
  g_autofree char *desc = NULL, *tip = NULL, *tempo = NULL, *duration = NULL;

  for (guint f = 0; f < TS_N_FEATURES; f++)
    {
      scaled[f] = (f + 1) / 14.0f;
      values[f] = scaled[f];
    }
  scaled[TS_FEATURE_ENERGY] = 0.9f;
  scaled[TS_FEATURE_VALENCE] = 0.1f;
  values[TS_FEATURE_TEMPO] = 128.4;
  values[TS_FEATURE_DURATION_MS] = 225000;
  values[TS_FEATURE_YEAR] = 1987;
  chart = ts_chart_profile_new (scaled, values);

  for (TsTheme theme = TS_THEME_LIGHT; theme <= TS_THEME_DARK; theme++)
    {
      cairo_surface_t *surface = render (chart, theme);
      ItemHits hits[TS_N_FEATURES];
      double energy_end = 0, valence_end = 0;
      TsChartItem item;

      g_assert_cmpuint (scan_items (chart, TS_CHART_ITEM_BAR, TS_N_FEATURES, 1, hits), ==,
                        TS_N_FEATURES);
      /* Where the bar's colour ends along each row: energy's bar is longer. */
      for (guint which = 0; which < 2; which++)
        {
          TsFeature f = which == 0 ? TS_FEATURE_ENERGY : TS_FEATURE_VALENCE;
          int y = (int) (hits[f].sy / hits[f].hits);
          double end = 0;

          for (int x = 0; x < WIDTH; x++)
            if (near_color (pixel (surface, x, y), ts_palette_qualitative (theme, 0), 1.5 / 255))
              end = x;
          g_assert_true (ts_chart_hit_test (chart, WIDTH / 2, y, &item));
          g_assert_cmpuint (item.series, ==, f);
          *(which == 0 ? &energy_end : &valence_end) = end;
        }
      g_assert_cmpfloat (valence_end, >, 0);
      g_assert_cmpfloat (energy_end, >, valence_end + WIDTH / 3);
      cairo_surface_destroy (surface);
    }
  {
    TsChartItem item = { TS_CHART_ITEM_BAR, TS_FEATURE_ENERGY, 0, 0, 0 };

    tip = ts_chart_describe_item (chart, &item);
    g_assert_cmpstr (tip, ==, "energy: 0.43 (90 % of its range)");
  }
  desc = ts_chart_describe (chart);
  g_assert_true (g_str_has_prefix (desc, "Predicted profile: energy 0.43, valence 0.07, "
                                         "danceability 0.29"));
  g_assert_nonnull (strstr (desc, "tempo 128 BPM"));
  g_assert_nonnull (strstr (desc, "year 1987"));
  tempo = ts_chart_format_feature_value (TS_FEATURE_LOUDNESS, -7.06);
  g_assert_cmpstr (tempo, ==, "-7.1 dB");
  duration = ts_chart_format_feature_value (TS_FEATURE_DURATION_MS, 225000);
  g_assert_cmpstr (duration, ==, "3:45");
  maybe_save (chart, "profile");
}

static void
test_defaults (void)
{
  const TsFeature unit[] = { TS_FEATURE_ENERGY, TS_FEATURE_VALENCE };
  const TsFeature mixed[] = { TS_FEATURE_TEMPO, TS_FEATURE_VALENCE };
  const TsFeature *features = NULL;

  g_assert_true (ts_chart_path_has_format ("a/b.SVG"));
  g_assert_true (ts_chart_path_has_format ("c.pdf"));
  g_assert_false (ts_chart_path_has_format ("c.pdf.gif"));
  g_assert_false (ts_chart_timeline_needs_normalize (unit, 2));
  g_assert_true (ts_chart_timeline_needs_normalize (mixed, 2));
  g_assert_false (ts_chart_timeline_needs_normalize (mixed, 1));
  g_assert_cmpuint (ts_chart_get_default_features (&features), ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_true (ts_feature_is_unit (features[i]));
  g_assert_cmpstr (ts_chart_get_default_genres ()[0], ==, "rock");
}

static void
test_export (void)
{
  g_autoptr(TsCorrMatrix) m = small_matrix ();
  g_autoptr(TsChart) chart = ts_chart_heatmap_new (m);
  g_autofree char *dir = g_dir_make_tmp ("ts-chart-XXXXXX", NULL);
  const char *names[] = { "c.png", "c.svg", "c.PDF" };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      GStatBuf st;

      g_assert_true (ts_chart_export (chart, path, 400, 300, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_size, >, 1000);
      g_unlink (path);
    }
  {
    g_autofree char *path = g_build_filename (dir, "c.gif", NULL);

    g_assert_false (ts_chart_export (chart, path, 400, 300, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }
  /* An existing file is replaced whole, with no temporary file left. */
  {
    g_autofree char *path = g_build_filename (dir, "old.svg", NULL);
    g_autofree char *contents = NULL;
    g_autoptr(GDir) listing = NULL;

    g_assert_true (g_file_set_contents (path, "old", -1, NULL));
    g_assert_true (ts_chart_export (chart, path, 400, 300, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "<svg"));
    listing = g_dir_open (dir, 0, NULL);
    g_assert_cmpstr (g_dir_read_name (listing), ==, "old.svg");
    g_assert_null (g_dir_read_name (listing));
    g_unlink (path);
  }
  /* A folder that is not there: an error, and nothing written. */
  {
    g_autofree char *path = g_build_filename (dir, "missing", "c.pdf", NULL);

    g_assert_false (ts_chart_export (chart, path, 400, 300, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  g_rmdir (dir);
}

/* The real subset's charts, for looking at (TS_CHART_PNG_DIR). */
static void
test_real_pngs (void)
{
  g_autofree char *path = NULL;
  const TsFeature timeline[] = { TS_FEATURE_ACOUSTICNESS, TS_FEATURE_ENERGY,
                                 TS_FEATURE_DANCEABILITY, TS_FEATURE_VALENCE, TS_FEATURE_TEMPO,
                                 TS_FEATURE_LOUDNESS };
  const TsFeature bars[] = { TS_FEATURE_ENERGY, TS_FEATURE_DANCEABILITY, TS_FEATURE_VALENCE,
                             TS_FEATURE_ACOUSTICNESS };
  const char *genres[] = { "rock", "jazz", "hip hop", "classical", "k-pop", "bebop", NULL };
  const char *artists[] = { "The Beatles", "Frank Sinatra", "Eminem", "Ludwig van Beethoven",
                            "Billie Holiday", "Taylor Swift", NULL };
  g_autoptr(TsDataset) ds = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("TS_CHART_PNG_DIR") == NULL)
    {
      g_test_skip ("set TS_CHART_PNG_DIR to write the real charts");
      return;
    }
  path = ts_test_shared_path ("data/spotify/real-subset/data.csv");
  if (path == NULL)
    return;
  ds = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (TsCorrMethod method = 0; method < TS_N_CORR_METHODS; method++)
    {
      g_autoptr(TsCorrMatrix) m = ts_corr_matrix_new (ds, method, NULL, 0, 0);
      g_autoptr(TsChart) chart = ts_chart_heatmap_new (m);
      g_autofree char *stem = g_strdup_printf ("heatmap-%s", ts_corr_method_get_name (method));

      maybe_save (chart, stem);
    }
  {
    g_autoptr(TsChart) chart = ts_chart_timeline_new (ts_dataset_get_by_year (ds), timeline,
                                                      G_N_ELEMENTS (timeline), TRUE);
    maybe_save (chart, "timeline");
  }
  {
    TsGroupSelection *sel = ts_group_selection_new (ts_dataset_get_by_genre (ds), genres, bars,
                                                    G_N_ELEMENTS (bars), NULL);
    g_autoptr(TsChart) chart = ts_chart_bars_new (TS_CHART_GENRES, sel, 20);

    maybe_save (chart, "genres");
  }
  {
    TsGroupSelection *sel = ts_group_selection_new (ts_dataset_get_by_artist (ds), artists, bars,
                                                    G_N_ELEMENTS (bars), NULL);
    g_autoptr(TsChart) chart = ts_chart_bars_new (TS_CHART_ARTISTS, sel, 20);

    maybe_save (chart, "artists");
  }
}

/* The loss chart's axes cover every finite loss and span the planned
 * epochs; a NaN validation loss is a gap, neither plotted nor described. */
static void
test_loss (void)
{
  g_autoptr(TsChart) chart = ts_chart_loss_new ();
  static const double train[] = { 0.9, 0.5, 0.31, 0.25 };
  static const double val[] = { 1.2, NAN, 0.4, 0.35 };
  cairo_surface_t *surface;
  g_autofree char *empty = NULL, *description = NULL, *tip = NULL;
  TsAxisTicks x_ticks, y_ticks;
  TsChartItem item;
  gboolean found_val_at_2 = FALSE;

  g_assert_cmpint (ts_chart_get_kind (chart), ==, TS_CHART_LOSS);
  empty = ts_chart_describe (chart);
  g_assert_cmpstr (empty, ==, "Loss per epoch: no epoch yet");

  ts_chart_loss_set_total_epochs (chart, 10);
  for (int e = 0; e < 4; e++)
    ts_chart_loss_add_epoch (chart, e + 1, train[e], val[e]);
  g_assert_cmpuint (ts_chart_loss_get_n_epochs (chart), ==, 4);
  surface = render (chart, TS_THEME_LIGHT);
  ts_chart_loss_get_ticks (chart, &x_ticks, &y_ticks);

  g_assert_cmpfloat (x_ticks.min, <=, 1);
  g_assert_cmpfloat (x_ticks.max, >=, 10);      /* the planned run, not just 4 */
  g_assert_cmpfloat (x_ticks.step, >=, 1);      /* whole epochs */
  g_assert_cmpfloat (y_ticks.min, <=, 0.25);
  g_assert_cmpfloat (y_ticks.max, >=, 1.2);
  g_assert_cmpfloat (y_ticks.max, <, 2.5);      /* NaN did not blow the range up */
  g_assert_true (isfinite (y_ticks.min) && isfinite (y_ticks.max));
  g_assert_cmpuint (ts_chart_get_n_legend (chart), ==, 2);

  /* Every finite point is found by hit testing; the NaN one is not. */
  for (int y = 0; y < HEIGHT; y += SCAN)
    for (int x = 0; x < WIDTH; x += SCAN)
      if (ts_chart_hit_test (chart, x, y, &item) && item.kind == TS_CHART_ITEM_POINT)
        {
          g_assert_true (isfinite (item.value));
          if (item.series == 1 && item.count == 2)
            found_val_at_2 = TRUE;
          if (item.series == 0 && item.count == 3)
            {
              g_free (tip);
              tip = ts_chart_describe_item (chart, &item);
            }
        }
  g_assert_false (found_val_at_2);
  g_assert_cmpstr (tip, ==, "Epoch 3: training loss 0.31");

  description = ts_chart_describe (chart);
  g_assert_cmpstr (description, ==,
                   "Loss per epoch, after epoch 4 of 10: training 0.25, validation 0.35");
  cairo_surface_destroy (surface);

  /* Only NaN validation: the description leaves it out. */
  ts_chart_loss_clear (chart);
  ts_chart_loss_add_epoch (chart, 1, 0.5, NAN);
  surface = render (chart, TS_THEME_DARK);
  g_clear_pointer (&description, g_free);
  description = ts_chart_describe (chart);
  g_assert_cmpstr (description, ==, "Loss per epoch, after epoch 1: training 0.5");
  ts_chart_loss_get_ticks (chart, &x_ticks, &y_ticks);
  g_assert_cmpfloat (y_ticks.min, <=, 0.5);
  g_assert_cmpfloat (y_ticks.max, >=, 0.5);
  g_assert_cmpfloat (x_ticks.max, >=, 2);
  cairo_surface_destroy (surface);
}

/* Points counted into pixels: a dot's pixels, clipping at the edges,
 * the same counts on one thread and on two; then the shading. */
static void
test_density (void)
{
  /* scale 1, origin 0: point (x, y) covers from (floor x, floor -y) */
  static const float points[] = {
    1.5f, -1.0f,    /* pixels (1..2, 1..2) */
    1.0f, -1.0f,    /* the same */
    -0.5f, 0.0f,    /* (-1..0, 0..1): half outside, left */
    9.0f, -9.0f,    /* (9..10, 9..10): one pixel inside, the corner */
    50.0f, 50.0f,   /* far outside */
  };
  TsDensityView view = { 10, 10, 0.0, 0.0, 1.0, 2 };
  TsRgba red = { 1, 0, 0, 1 };
  g_autofree guint16 *counts = ts_density_count (points, 5, &view);
  g_autofree guint16 *one = NULL, *two = NULL;
  g_autofree guint32 *pixels = NULL;
  g_autofree float *many = NULL;
  guint n = 300000, sum = 0;

  g_assert_cmpuint (counts[1 * 10 + 1], ==, 2);
  g_assert_cmpuint (counts[2 * 10 + 2], ==, 2);
  g_assert_cmpuint (counts[3 * 10 + 3], ==, 0);
  g_assert_cmpuint (counts[0 * 10 + 0], ==, 1);
  g_assert_cmpuint (counts[1 * 10 + 0], ==, 1);
  g_assert_cmpuint (counts[9 * 10 + 9], ==, 1);
  for (guint i = 0; i < 100; i++)
    sum += counts[i];
  g_assert_cmpuint (sum, ==, 4 + 4 + 2 + 1);

  /* Solid from the densest half of the covered pixels: count 2 here. */
  g_assert_cmpuint (ts_density_solid_count (counts, 100, 0.5), ==, 2);
  pixels = ts_density_shade (counts, 100, 2, 0.25, red);
  g_assert_cmphex (pixels[3 * 10 + 3], ==, 0);
  g_assert_cmphex (pixels[1 * 10 + 1], ==, 0xffff0000);       /* solid red */
  g_assert_cmphex (pixels[0], ==, (64u << 24) | (64u << 16));  /* a quarter, premultiplied */

  /* Many points, each thread count: the same pixels. */
  many = g_new (float, 2 * (gsize) n);
  for (guint i = 0; i < 2 * n; i++)
    many[i] = (float) ((i * 2654435761u) % 1000) / 10.0f - 5.0f;
  view = (TsDensityView) { 90, 90, 0.0, 90.0, 1.0, 2 };
  ts_nn_set_num_threads (1);
  one = ts_density_count (many, n, &view);
  ts_nn_set_num_threads (2);
  two = ts_density_count (many, n, &view);
  ts_nn_set_num_threads (0);
  g_assert_cmpmem (one, 90 * 90 * sizeof (guint16), two, 90 * 90 * sizeof (guint16));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Ts/Chart/heatmap", test_heatmap);
  g_test_add_func ("/Ts/Chart/timeline", test_timeline);
  g_test_add_func ("/Ts/Chart/bars", test_bars);
  g_test_add_func ("/Ts/Chart/profile", test_profile);
  g_test_add_func ("/Ts/Chart/defaults", test_defaults);
  g_test_add_func ("/Ts/Chart/export", test_export);
  g_test_add_func ("/Ts/Chart/loss", test_loss);
  g_test_add_func ("/Ts/Chart/density", test_density);
  g_test_add_func ("/Ts/Chart/real-pngs", test_real_pngs);

  status = g_test_run ();
  /* Drop the font caches pango and fontconfig keep for the process, so
   * that LeakSanitizer sees only what the charts leak. */
  ts_chart_release_fonts ();
  FcFini ();
  return status;
}
