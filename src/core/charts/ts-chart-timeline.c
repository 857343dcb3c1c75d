/* ts-chart-timeline.c: features over the years, one line each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-chart-timeline"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ts-chart-private.h"

#define Y_TICKS 6

typedef struct
{
  TsChart       parent;
  guint         n_series;
  guint         n_years;
  TsFeature    *features;   /* n_series */
  int          *years;      /* n_years, ascending */
  double       *counts;     /* n_years */
  double       *raw;        /* n_series x n_years, the means */
  double       *shown;      /* n_series x n_years, raw or normalised */
  gboolean      normalize;
  TsAxisTicks   y_ticks;
  double        x_min, x_max;
  GPtrArray    *y_labels;   /* of PangoLayout */
  GPtrArray    *decade_labels;
  int           first_decade;
  guint         decade_every; /* label every nth decade so labels never touch */
} Timeline;

typedef struct
{
  int    year;
  guint  row;
} YearRow;

static int
compare_years (const void *a,
               const void *b)
{
  return ((const YearRow *) a)->year - ((const YearRow *) b)->year;
}

static double
timeline_x (Timeline *self,
            double    year)
{
  TsChart *chart = &self->parent;

  return chart->plot_x + ts_axis_map (year, self->x_min, self->x_max) * chart->plot_w;
}

static double
timeline_place_y_axis (Timeline *self)
{
  TsChart *chart = &self->parent;
  double lo = INFINITY, hi = -INFINITY;

  for (guint i = 0; i < self->n_series * self->n_years; i++)
    if (isfinite (self->shown[i]))
      {
        lo = MIN (lo, self->shown[i]);
        hi = MAX (hi, self->shown[i]);
      }
  if (!ts_axis_nice_ticks (lo, hi, Y_TICKS, &self->y_ticks))
    ts_axis_nice_ticks (0, 1, Y_TICKS, &self->y_ticks);
  return _ts_chart_tick_labels (chart, &self->y_ticks, self->y_labels);
}

static void
timeline_place_decades (Timeline *self)
{
  TsChart *chart = &self->parent;
  double widest = 0, w, decade_px;

  g_ptr_array_set_size (self->decade_labels, 0);
  self->first_decade = (int) floor (self->x_min / 10.0) * 10;
  for (int d = self->first_decade; d <= self->x_max; d += 10)
    {
      g_autofree char *text = g_strdup_printf ("%ds", d);
      PangoLayout *layout = _ts_chart_text (chart, text, 0.85, FALSE);

      _ts_chart_text_size (layout, &w, NULL);
      widest = MAX (widest, w);
      g_ptr_array_add (self->decade_labels, layout);
    }
  decade_px = self->x_max > self->x_min ? 10.0 * chart->plot_w / (self->x_max - self->x_min) : 1;
  self->decade_every = (guint) MAX (1, ceil ((widest + TS_CHART_GAP) / MAX (1, decade_px)));
}

static void
timeline_layout (TsChart *chart)
{
  Timeline *self = (Timeline *) chart;
  double top, y_label_w, line_h;
  g_autoptr(PangoLayout) probe = _ts_chart_text (chart, "0", 0.85, FALSE);

  top = _ts_chart_title_layout (chart, self->normalize ? "Features over the years (min\u2013max scaled)"
                                                       : "Features over the years");
  for (guint s = 0; s < self->n_series; s++)
    _ts_chart_legend_add (chart, _ts_chart_feature_label (self->features[s]),
                          ts_palette_qualitative (chart->theme, s),
                          s >= TS_PALETTE_N_QUALITATIVE);
  top = _ts_chart_legend_layout (chart, TS_CHART_PAD, top, chart->width - 2 * TS_CHART_PAD);
  y_label_w = timeline_place_y_axis (self);
  _ts_chart_text_size (probe, NULL, &line_h);

  chart->plot_x = TS_CHART_PAD + y_label_w + TS_CHART_GAP;
  chart->plot_y = top + line_h / 2;
  chart->plot_w = MAX (0, chart->width - TS_CHART_PAD - chart->plot_x);
  chart->plot_h = MAX (0, chart->height - TS_CHART_PAD - line_h - TS_CHART_GAP - chart->plot_y);
  timeline_place_decades (self);
}

static void
timeline_draw_grid (Timeline *self,
                    cairo_t  *cr)
{
  TsChart *chart = &self->parent;
  TsRgba muted = _ts_chart_role (chart, TS_COLOR_MUTED);
  double base = chart->plot_y + chart->plot_h + TS_CHART_GAP;

  /* Every other decade shaded, so decades read at a glance. */
  for (guint d = 0; d < self->decade_labels->len; d++)
    {
      double from = MAX (self->x_min, self->first_decade + 10.0 * d);
      double to = MIN (self->x_max, self->first_decade + 10.0 * d + 10);
      double x0 = timeline_x (self, from), x1 = timeline_x (self, to), tw;
      PangoLayout *label = g_ptr_array_index (self->decade_labels, d);

      if ((self->first_decade / 10 + d) % 2 == 0 && to > from)
        {
          TsRgba band = _ts_chart_role (chart, TS_COLOR_GRID);

          band.alpha *= 0.5;  /* quieter than the grid lines */
          _ts_chart_set_color (cr, band);
          cairo_rectangle (cr, x0, chart->plot_y, x1 - x0, chart->plot_h);
          cairo_fill (cr);
        }
      _ts_chart_text_size (label, &tw, NULL);
      if (d % self->decade_every == 0 && to - from >= 5)
        _ts_chart_show (cr, label, CLAMP ((x0 + x1 - tw) / 2, 0, chart->width - tw), base, muted);
    }

  _ts_chart_draw_y_axis (chart, cr, &self->y_ticks, self->y_labels);
}

static void
timeline_draw (TsChart *chart,
               cairo_t *cr)
{
  Timeline *self = (Timeline *) chart;
  static const double dash[] = { 6.0, 3.0 };

  if (chart->plot_w <= 0 || chart->plot_h <= 0)
    return;
  timeline_draw_grid (self, cr);
  cairo_set_line_width (cr, 2.0);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint s = 0; s < self->n_series; s++)
    {
      const double *v = self->shown + s * self->n_years;
      gboolean pen_down = FALSE;

      for (guint y = 0; y < self->n_years; y++)
        {
          if (!isfinite (v[y]))
            {
              pen_down = FALSE;  /* a gap, not a line to zero */
              continue;
            }
          if (pen_down)
            cairo_line_to (cr, timeline_x (self, self->years[y]), _ts_chart_y (chart, &self->y_ticks, v[y]));
          else
            cairo_move_to (cr, timeline_x (self, self->years[y]), _ts_chart_y (chart, &self->y_ticks, v[y]));
          pen_down = TRUE;
        }
      _ts_chart_set_color (cr, ts_palette_qualitative (chart->theme, s));
      cairo_set_dash (cr, dash, s >= TS_PALETTE_N_QUALITATIVE ? 2 : 0, 0);
      cairo_stroke (cr);
    }
  cairo_set_dash (cr, NULL, 0, 0);
}

static gboolean
timeline_hit_test (TsChart     *chart,
                   double       x,
                   double       y,
                   TsChartItem *item)
{
  Timeline *self = (Timeline *) chart;
  double best = TS_CHART_HIT * TS_CHART_HIT;
  gboolean found = FALSE;

  if (x < chart->plot_x - TS_CHART_HIT || x > chart->plot_x + chart->plot_w + TS_CHART_HIT)
    return FALSE;
  for (guint s = 0; s < self->n_series; s++)
    for (guint i = 0; i < self->n_years; i++)
      {
        double v = self->shown[s * self->n_years + i];
        double dx = timeline_x (self, self->years[i]) - x, dy = _ts_chart_y (chart, &self->y_ticks, v) - y;

        if (isfinite (v) && dx * dx + dy * dy <= best)
          {
            best = dx * dx + dy * dy;
            item->kind = TS_CHART_ITEM_POINT;
            item->series = s;
            item->index = i;
            item->value = self->raw[s * self->n_years + i];
            item->count = self->counts[i];
            found = TRUE;
          }
      }
  return found;
}

static char *
format_feature_value (TsFeature feature,
                      double    value)
{
  if (feature == TS_FEATURE_DURATION_MS)
    {
      int seconds = (int) lround (value / 1000.0);

      return g_strdup_printf ("%d:%02d", seconds / 60, seconds % 60);
    }
  return ts_axis_format (value, ts_feature_is_unit (feature) ? 3 : 1);
}

static char *
timeline_describe_item (TsChart           *chart,
                        const TsChartItem *item)
{
  Timeline *self = (Timeline *) chart;
  TsFeature f;

  if (item->series >= self->n_series)
    return NULL;
  f = self->features[item->series];
  if (item->kind == TS_CHART_ITEM_LEGEND)
    return g_strdup (_ts_chart_feature_label (f));
  {
    g_autofree char *value = format_feature_value (f, item->value);
    g_autofree char *n = _ts_chart_format_count (item->count);

    return g_strdup_printf ("%s in %d: %s (mean of %s songs)", _ts_chart_feature_label (f),
                            self->years[item->index], value, n);
  }
}

static char *
timeline_describe (TsChart *chart)
{
  Timeline *self = (Timeline *) chart;
  g_autoptr(GString) text = g_string_new ("Mean ");

  for (guint s = 0; s < self->n_series; s++)
    g_string_append_printf (text, "%s%s", s == 0 ? "" : s + 1 == self->n_series ? " and " : ", ",
                            _ts_chart_feature_label (self->features[s]));
  if (self->n_years > 0)
    g_string_append_printf (text, " per year from %d to %d", self->years[0],
                            self->years[self->n_years - 1]);
  if (self->normalize)
    g_string_append (text, ", each scaled to its own range");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
timeline_finalize (TsChart *chart)
{
  Timeline *self = (Timeline *) chart;

  g_free (self->features);
  g_free (self->years);
  g_free (self->counts);
  g_free (self->raw);
  g_free (self->shown);
  g_ptr_array_unref (self->y_labels);
  g_ptr_array_unref (self->decade_labels);
}

static const TsChartClass timeline_class = {
  timeline_layout,
  timeline_draw,
  timeline_hit_test,
  timeline_describe_item,
  timeline_describe,
  timeline_finalize,
};

/* The table's rows that name a year, in year order. */
static GArray *
collect_years (TsGroupTable *table)
{
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (YearRow));

  for (guint g = 0; g < ts_group_table_get_n_groups (table); g++)
    {
      const char *name = ts_group_table_get_name (table, g);
      char *end = NULL;
      gint64 year = g_ascii_strtoll (name, &end, 10);
      YearRow row = { (int) year, g };

      if (end != name && *end == '\0' && year > 0 && year < 10000)
        g_array_append_val (rows, row);
    }
  qsort (rows->data, rows->len, sizeof (YearRow), compare_years);
  return rows;
}

TsChart *
ts_chart_timeline_new (TsGroupTable    *by_year,
                       const TsFeature *features,
                       guint            n_features,
                       gboolean         normalize)
{
  Timeline *self;
  g_autoptr(GArray) rows = NULL;

  g_return_val_if_fail (by_year != NULL, NULL);
  g_return_val_if_fail (features != NULL || n_features == 0, NULL);

  self = g_new0 (Timeline, 1);
  _ts_chart_init (&self->parent, &timeline_class, TS_CHART_TIMELINE);
  rows = collect_years (by_year);
  self->n_series = n_features;
  self->n_years = rows->len;
  self->normalize = !!normalize;
  self->features = g_memdup2 (features, MAX (1, n_features) * sizeof (TsFeature));
  self->years = g_new (int, MAX (1, rows->len));
  self->counts = g_new (double, MAX (1, rows->len));
  self->raw = g_new (double, MAX (1, n_features * rows->len));
  self->shown = g_new (double, MAX (1, n_features * rows->len));
  self->y_labels = g_ptr_array_new_with_free_func (g_object_unref);
  self->decade_labels = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      YearRow *r = &g_array_index (rows, YearRow, i);

      self->years[i] = r->year;
      self->counts[i] = ts_group_table_get_count (by_year, r->row);
      for (guint s = 0; s < n_features; s++)
        self->raw[s * rows->len + i] = ts_group_table_get_mean (by_year, r->row, features[s]);
    }
  for (guint s = 0; s < n_features; s++)
    if (normalize)
      ts_normalize_min_max (self->raw + s * rows->len, self->shown + s * rows->len, rows->len);
    else
      memcpy (self->shown + s * rows->len, self->raw + s * rows->len, rows->len * sizeof (double));
  self->x_min = rows->len > 0 ? self->years[0] : 0;
  self->x_max = rows->len > 0 ? self->years[rows->len - 1] : 1;
  return &self->parent;
}
