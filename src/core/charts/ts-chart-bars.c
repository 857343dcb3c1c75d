/* ts-chart-bars.c: chosen groups (genres or artists) x chosen features as
 * grouped bars; groups with few songs are drawn faded and labelled so
 *
 * Features with other units than 0..1 are shown as the share of their
 * range (ts_feature_get_bounds) so that all bars share one axis.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-chart-bars"

#include "config.h"

#include <math.h>

#include "ts-chart-private.h"

#define Y_TICKS    6
#define THIN_ALPHA 0.4

typedef struct
{
  TsChart           parent;
  TsGroupSelection *sel;
  double            thin_count;
  double           *shown;      /* n_groups x n_features */
  gboolean          scaled;     /* some feature is shown as a share of its range */
  TsAxisTicks       y_ticks;
  GPtrArray        *y_labels;
  GPtrArray        *group_labels;  /* two per group: name, count */
  double            slot, bar_w;
} Bars;

static gboolean
bars_is_thin (Bars  *self,
              guint  group)
{
  return self->sel->counts[group] < self->thin_count;
}

static double
bars_place_y_axis (Bars *self)
{
  TsChart *chart = &self->parent;
  double hi = 0, lo = 0;

  for (guint i = 0; i < self->sel->n_groups * self->sel->n_features; i++)
    if (isfinite (self->shown[i]))
      {
        hi = MAX (hi, self->shown[i]);
        lo = MIN (lo, self->shown[i]);
      }
  if (hi == lo)
    hi = lo + 1;
  ts_axis_nice_ticks (lo, hi, Y_TICKS, &self->y_ticks);
  return _ts_chart_tick_labels (chart, &self->y_ticks, self->y_labels);
}

/* Names and counts under each group, ellipsized to the group's width so
 * neighbours never overlap. Returns their height. */
static double
bars_place_group_labels (Bars *self)
{
  TsChart *chart = &self->parent;
  double h = 0, name_h, count_h;

  g_ptr_array_set_size (self->group_labels, 0);
  for (guint g = 0; g < self->sel->n_groups; g++)
    {
      g_autofree char *n = _ts_chart_format_count (self->sel->counts[g]);
      g_autofree char *count = g_strdup_printf (bars_is_thin (self, g) ? "n = %s (few)" : "n = %s", n);
      PangoLayout *name = _ts_chart_text (chart, self->sel->names[g], 0.92, FALSE);
      PangoLayout *sub = _ts_chart_text (chart, count, 0.8, FALSE);

      pango_layout_set_width (name, (int) MAX (1, self->slot - TS_CHART_GAP) * PANGO_SCALE);
      pango_layout_set_ellipsize (name, PANGO_ELLIPSIZE_END);
      pango_layout_set_alignment (name, PANGO_ALIGN_CENTER);
      pango_layout_set_width (sub, (int) MAX (1, self->slot - TS_CHART_GAP) * PANGO_SCALE);
      pango_layout_set_ellipsize (sub, PANGO_ELLIPSIZE_END);
      pango_layout_set_alignment (sub, PANGO_ALIGN_CENTER);
      _ts_chart_text_size (name, NULL, &name_h);
      _ts_chart_text_size (sub, NULL, &count_h);
      h = MAX (h, name_h + count_h);
      g_ptr_array_add (self->group_labels, name);
      g_ptr_array_add (self->group_labels, sub);
    }
  return h;
}

static void
bars_layout (TsChart *chart)
{
  Bars *self = (Bars *) chart;
  const char *what = chart->kind == TS_CHART_GENRES ? "genre" : "artist";
  g_autofree char *title = g_strdup_printf (self->scaled ? "Features by %s (share of each "
                                                           "feature\u2019s range)"
                                                         : "Features by %s", what);
  double top, y_label_w, labels_h, line_h;
  guint n_groups = self->sel->n_groups, n_features = self->sel->n_features;
  g_autoptr(PangoLayout) probe = _ts_chart_text (chart, "0", 0.85, FALSE);

  top = _ts_chart_title_layout (chart, title);
  for (guint f = 0; f < n_features; f++)
    _ts_chart_legend_add (chart, _ts_chart_feature_label (self->sel->features[f]),
                          ts_palette_qualitative (chart->theme, f), FALSE);
  top = _ts_chart_legend_layout (chart, TS_CHART_PAD, top, chart->width - 2 * TS_CHART_PAD);
  y_label_w = bars_place_y_axis (self);
  _ts_chart_text_size (probe, NULL, &line_h);

  chart->plot_x = TS_CHART_PAD + y_label_w + TS_CHART_GAP;
  chart->plot_w = MAX (0, chart->width - TS_CHART_PAD - chart->plot_x);
  self->slot = n_groups > 0 ? chart->plot_w / n_groups : 0;
  self->bar_w = n_features > 0 ? self->slot * 0.8 / n_features : 0;
  labels_h = bars_place_group_labels (self);
  chart->plot_y = top + line_h / 2;
  chart->plot_h = MAX (0, chart->height - TS_CHART_PAD - labels_h - TS_CHART_GAP - chart->plot_y);
}

static gboolean
bars_rect (Bars   *self,
           guint   group,
           guint   feature,
           double *x,
           double *y,
           double *w,
           double *h)
{
  TsChart *chart = &self->parent;
  double v = self->shown[group * self->sel->n_features + feature], y0, y1;

  if (!isfinite (v))
    return FALSE;
  y0 = _ts_chart_y (chart, &self->y_ticks, MAX (0, self->y_ticks.min));
  y1 = _ts_chart_y (chart, &self->y_ticks, v);
  *x = chart->plot_x + group * self->slot + self->slot * 0.1 + feature * self->bar_w;
  *w = MAX (1, self->bar_w - (self->bar_w > 6 ? 1 : 0));
  *y = MIN (y0, y1);
  *h = MAX (1, fabs (y1 - y0));
  return TRUE;
}

static void
bars_draw (TsChart *chart,
           cairo_t *cr)
{
  Bars *self = (Bars *) chart;
  double base = chart->plot_y + chart->plot_h + TS_CHART_GAP;

  if (chart->plot_w <= 0 || chart->plot_h <= 0)
    return;
  _ts_chart_draw_y_axis (chart, cr, &self->y_ticks, self->y_labels);
  for (guint g = 0; g < self->sel->n_groups; g++)
    {
      gboolean thin = bars_is_thin (self, g);
      double nh, x = chart->plot_x + g * self->slot + TS_CHART_GAP / 2;
      PangoLayout *name = g_ptr_array_index (self->group_labels, 2 * g);
      PangoLayout *count = g_ptr_array_index (self->group_labels, 2 * g + 1);

      for (guint f = 0; f < self->sel->n_features; f++)
        {
          TsRgba color = ts_palette_qualitative (chart->theme, f);
          double bx, by, bw, bh;

          if (!bars_rect (self, g, f, &bx, &by, &bw, &bh))
            continue;
          color.alpha = thin ? THIN_ALPHA : 1.0;
          _ts_chart_set_color (cr, color);
          cairo_rectangle (cr, bx, by, bw, bh);
          cairo_fill (cr);
        }
      _ts_chart_text_size (name, NULL, &nh);
      _ts_chart_show (cr, name, x, base, _ts_chart_role (chart, TS_COLOR_FOREGROUND));
      _ts_chart_show (cr, count, x, base + nh, _ts_chart_role (chart, TS_COLOR_MUTED));
    }
}

static gboolean
bars_hit_test (TsChart     *chart,
               double       x,
               double       y,
               TsChartItem *item)
{
  Bars *self = (Bars *) chart;
  guint g, f;
  double bx, by, bw, bh;

  if (self->slot <= 0 || self->bar_w <= 0 || x < chart->plot_x)
    return FALSE;
  g = (guint) ((x - chart->plot_x) / self->slot);
  if (g >= self->sel->n_groups)
    return FALSE;
  f = (guint) floor ((x - chart->plot_x - g * self->slot - self->slot * 0.1) / self->bar_w);
  if (x - chart->plot_x - g * self->slot < self->slot * 0.1 || f >= self->sel->n_features)
    return FALSE;
  if (!bars_rect (self, g, f, &bx, &by, &bw, &bh) ||
      y < MIN (by, _ts_chart_y (chart, &self->y_ticks, self->y_ticks.max)) || y > by + bh)
    return FALSE;  /* the bar's column, up to the top of the plot, counts */
  item->kind = TS_CHART_ITEM_BAR;
  item->series = f;
  item->index = g;
  item->value = self->sel->means[g * self->sel->n_features + f];
  item->count = self->sel->counts[g];
  return TRUE;
}

static char *
bars_describe_item (TsChart           *chart,
                    const TsChartItem *item)
{
  Bars *self = (Bars *) chart;
  TsFeature f;

  if (item->series >= self->sel->n_features)
    return NULL;
  f = self->sel->features[item->series];
  if (item->kind == TS_CHART_ITEM_LEGEND)
    return g_strdup (_ts_chart_feature_label (f));
  {
    g_autofree char *value = f == TS_FEATURE_DURATION_MS
                           ? g_strdup_printf ("%d:%02d", (int) lround (item->value / 1000) / 60,
                                              (int) lround (item->value / 1000) % 60)
                           : ts_axis_format (item->value, ts_feature_is_unit (f) ? 3 : 1);
    g_autofree char *n = _ts_chart_format_count (item->count);

    return g_strdup_printf ("%s \u2014 %s: %s (mean of %s songs%s)",
                            self->sel->names[item->index], _ts_chart_feature_label (f), value, n,
                            bars_is_thin (self, item->index) ? ", few" : "");
  }
}

static char *
bars_describe (TsChart *chart)
{
  Bars *self = (Bars *) chart;
  g_autoptr(GString) text = g_string_new ("Mean ");

  for (guint f = 0; f < self->sel->n_features; f++)
    g_string_append_printf (text, "%s%s", f == 0 ? "" : f + 1 == self->sel->n_features ? " and " : ", ",
                            _ts_chart_feature_label (self->sel->features[f]));
  g_string_append_printf (text, " of %u %s", self->sel->n_groups,
                          chart->kind == TS_CHART_GENRES ? "genres" : "artists");
  for (guint g = 0; g < self->sel->n_groups; g++)
    g_string_append_printf (text, "%s%s", g == 0 ? ": " : ", ", self->sel->names[g]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
bars_finalize (TsChart *chart)
{
  Bars *self = (Bars *) chart;

  ts_group_selection_free (self->sel);
  g_free (self->shown);
  g_ptr_array_unref (self->y_labels);
  g_ptr_array_unref (self->group_labels);
}

static const TsChartClass bars_class = {
  bars_layout,
  bars_draw,
  bars_hit_test,
  bars_describe_item,
  bars_describe,
  bars_finalize,
};

TsChart *
ts_chart_bars_new (TsChartKind       kind,
                   TsGroupSelection *selection,
                   double            thin_count)
{
  Bars *self;
  guint nf;

  g_return_val_if_fail (kind == TS_CHART_GENRES || kind == TS_CHART_ARTISTS, NULL);
  g_return_val_if_fail (selection != NULL, NULL);

  self = g_new0 (Bars, 1);
  _ts_chart_init (&self->parent, &bars_class, kind);
  self->sel = selection;
  self->thin_count = thin_count;
  self->y_labels = g_ptr_array_new_with_free_func (g_object_unref);
  self->group_labels = g_ptr_array_new_with_free_func (g_object_unref);
  nf = selection->n_features;
  for (guint f = 0; f < nf; f++)
    self->scaled |= !ts_feature_is_unit (selection->features[f]);
  self->shown = g_new (double, MAX (1, selection->n_groups * nf));
  for (guint g = 0; g < selection->n_groups; g++)
    for (guint f = 0; f < nf; f++)
      {
        double lo, hi, v = selection->means[g * nf + f];

        ts_feature_get_bounds (selection->features[f], &lo, &hi);
        self->shown[g * nf + f] = self->scaled && isfinite (v) ? ts_axis_map (v, lo, hi) : v;
      }
  return &self->parent;
}
