/* ts-chart-heatmap.c: the correlation matrix as coloured cells
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-chart-heatmap"

#include "config.h"

#include <math.h>

#include "ts-chart-private.h"

#define LEGEND_BAR_WIDTH 14.0
#define LEGEND_STEPS     64
#define LEGEND_TICKS     5     /* -1, -0.5, 0, 0.5, 1 */

typedef struct
{
  TsChart       parent;
  TsCorrMatrix *matrix;
  guint         size;
  char        **value_text;    /* size x size, "0.42" or "–" */
  PangoLayout **row_labels;    /* size */
  PangoLayout **cell_labels;   /* size x size, NULL when the values do not fit */
  PangoLayout  *scale_labels[LEGEND_TICKS];
  PangoLayout  *scale_title;
  double        cell, grid_x, grid_y;
  double        bar_x, bar_y, bar_h;
  double        label_w, label_h;
  double        label_angle;   /* of the column labels: G_PI / 4, or G_PI / 2 when narrow */
} Heatmap;

#define LABEL_SCALE     0.92
/* Smaller than this the feature names would not be read. */
#define MIN_LABEL_SCALE 0.62

static const char *
method_symbol (TsCorrMethod method)
{
  static const char * const symbols[] = { "r", "\u03c1", "\u03c4" };

  return symbols[method];
}

static const char *
method_title (TsCorrMethod method)
{
  static const char * const titles[] = { "Pearson", "Spearman", "Kendall \u03c4-b" };

  return titles[method];
}

static void
heatmap_clear_layouts (Heatmap *self)
{
  for (guint i = 0; self->row_labels != NULL && i < self->size; i++)
    g_clear_object (&self->row_labels[i]);
  for (guint i = 0; self->cell_labels != NULL && i < self->size * self->size; i++)
    g_clear_object (&self->cell_labels[i]);
  for (guint t = 0; t < LEGEND_TICKS; t++)
    g_clear_object (&self->scale_labels[t]);
  g_clear_object (&self->scale_title);
}

static double
heatmap_place_labels (Heatmap *self,
                      double   scale)
{
  TsChart *chart = &self->parent;
  double w, h;

  self->label_w = self->label_h = 0;
  for (guint i = 0; i < self->size; i++)
    {
      TsFeature f = ts_corr_matrix_get_feature (self->matrix, i);

      g_clear_object (&self->row_labels[i]);
      self->row_labels[i] = _ts_chart_text (chart, _ts_chart_feature_label (f), scale, FALSE);
      _ts_chart_text_size (self->row_labels[i], &w, &h);
      self->label_w = MAX (self->label_w, w);
      self->label_h = MAX (self->label_h, h);
    }
  return self->label_w;
}

static double
heatmap_place_scale (Heatmap *self)
{
  TsChart *chart = &self->parent;
  double w, widest = 0;

  for (guint t = 0; t < LEGEND_TICKS; t++)
    {
      g_autofree char *text = ts_axis_format (-1.0 + t * 0.5, 1);

      self->scale_labels[t] = _ts_chart_text (chart, text, 0.85, FALSE);
      _ts_chart_text_size (self->scale_labels[t], &w, NULL);
      widest = MAX (widest, w);
    }
  self->scale_title =
    _ts_chart_text (chart, method_symbol (ts_corr_matrix_get_method (self->matrix)), 1.0, TRUE);
  _ts_chart_text_size (self->scale_title, &w, NULL);
  return LEGEND_BAR_WIDTH + TS_CHART_GAP + MAX (widest, w);
}

/* Values go in the cells only when the widest of them fits. */
static void
heatmap_place_values (Heatmap *self)
{
  TsChart *chart = &self->parent;
  double w, h;
  g_autoptr(PangoLayout) probe = _ts_chart_text (chart, "\u22120.00", 0.72, FALSE);

  _ts_chart_text_size (probe, &w, &h);
  if (w + 3 > self->cell || h + 2 > self->cell)
    return;
  for (guint i = 0; i < self->size * self->size; i++)
    self->cell_labels[i] = _ts_chart_text (chart, self->value_text[i], 0.72, FALSE);
}

/* The largest square cells that leave room for the labels and the scale. */
static void
heatmap_fit_cells (Heatmap *self,
                   double   top,
                   double   scale_w)
{
  TsChart *chart = &self->parent;
  double bottom, avail_w, avail_h;

  if (self->label_angle < G_PI / 3)
    bottom = self->label_w * G_SQRT2 / 2 + chart->font_size * 1.5;
  else
    bottom = TS_CHART_GAP + self->label_w + chart->font_size * 0.5;
  avail_w = chart->width - 2 * TS_CHART_PAD - self->label_w - TS_CHART_GAP - 3 * TS_CHART_GAP -
            scale_w;
  avail_h = chart->height - top - TS_CHART_PAD - bottom;
  self->cell = self->size > 0 ? floor (MAX (0, MIN (avail_w, avail_h)) / self->size) : 0;
}

static void
heatmap_layout (TsChart *chart)
{
  Heatmap *self = (Heatmap *) chart;
  g_autofree char *n_text = _ts_chart_format_count (ts_corr_matrix_get_n_rows (self->matrix));
  g_autofree char *title = g_strdup_printf ("%s correlation \u00b7 n = %s",
                                            method_title (ts_corr_matrix_get_method (self->matrix)),
                                            n_text);
  double top, scale_w;

  heatmap_clear_layouts (self);
  top = _ts_chart_title_layout (chart, title) + TS_CHART_GAP;
  scale_w = heatmap_place_scale (self);

  /* Column labels hang below the grid at 45 degrees, which needs cells
   * of about a line over sin 45; narrower cells (a narrow window) get
   * upright labels, and smaller text when even those would touch. */
  heatmap_place_labels (self, LABEL_SCALE);
  self->label_angle = G_PI / 4;
  heatmap_fit_cells (self, top, scale_w);
  if (self->cell * G_SQRT2 / 2 < self->label_h && self->size > 1)
    {
      self->label_angle = G_PI / 2;
      heatmap_fit_cells (self, top, scale_w);
      if (self->cell < self->label_h)
        {
          heatmap_place_labels (self, MAX (MIN_LABEL_SCALE,
                                           LABEL_SCALE * self->cell / self->label_h));
          heatmap_fit_cells (self, top, scale_w);
        }
    }
  self->grid_x = TS_CHART_PAD + self->label_w + TS_CHART_GAP;
  self->grid_y = top;
  chart->plot_x = self->grid_x;
  chart->plot_y = self->grid_y;
  chart->plot_w = chart->plot_h = self->cell * self->size;
  self->bar_x = self->grid_x + chart->plot_w + 3 * TS_CHART_GAP;
  self->bar_y = self->grid_y + chart->font_size * 1.6;
  self->bar_h = MAX (0, chart->plot_h - chart->font_size * 1.6);
  heatmap_place_values (self);
}

static void
heatmap_draw_cells (Heatmap *self,
                    cairo_t *cr)
{
  TsChart *chart = &self->parent;

  for (guint i = 0; i < self->size; i++)
    for (guint j = 0; j < self->size; j++)
      {
        gboolean ok = ts_corr_matrix_is_defined (self->matrix, i, j);
        TsRgba fill = ok ? ts_palette_diverging (chart->theme, ts_corr_matrix_get (self->matrix, i, j))
                         : _ts_chart_role (chart, TS_COLOR_UNDEFINED);
        double x = self->grid_x + j * self->cell, y = self->grid_y + i * self->cell;
        PangoLayout *text = self->cell_labels[i * self->size + j];

        _ts_chart_set_color (cr, fill);
        cairo_rectangle (cr, x, y, self->cell, self->cell);
        cairo_fill (cr);
        if (text != NULL)
          {
            double tw, th;

            _ts_chart_text_size (text, &tw, &th);
            _ts_chart_show (cr, text, x + (self->cell - tw) / 2, y + (self->cell - th) / 2,
                            ts_palette_text_on (fill));
          }
      }
  /* Hairlines between cells keep neighbours of equal colour apart. */
  _ts_chart_set_color (cr, _ts_chart_role (chart, TS_COLOR_BACKGROUND));
  cairo_set_line_width (cr, 1.0);
  for (guint k = 1; k < self->size; k++)
    {
      cairo_move_to (cr, self->grid_x + k * self->cell, self->grid_y);
      cairo_rel_line_to (cr, 0, chart->plot_h);
      cairo_move_to (cr, self->grid_x, self->grid_y + k * self->cell);
      cairo_rel_line_to (cr, chart->plot_w, 0);
    }
  cairo_stroke (cr);
}

static void
heatmap_draw_labels (Heatmap *self,
                     cairo_t *cr)
{
  TsChart *chart = &self->parent;
  TsRgba fg = _ts_chart_role (chart, TS_COLOR_FOREGROUND);

  for (guint i = 0; i < self->size; i++)
    {
      double tw, th;

      _ts_chart_text_size (self->row_labels[i], &tw, &th);
      _ts_chart_show (cr, self->row_labels[i], self->grid_x - TS_CHART_GAP - tw,
                      self->grid_y + (i + 0.5) * self->cell - th / 2, fg);

      /* The same label under column i, ending at the cell's centre. */
      cairo_save (cr);
      cairo_translate (cr, self->grid_x + (i + 0.5) * self->cell,
                       self->grid_y + chart->plot_h + TS_CHART_GAP);
      cairo_rotate (cr, -self->label_angle);
      _ts_chart_show (cr, self->row_labels[i], -tw,
                      self->label_angle > G_PI / 3 ? -th / 2 : 0, fg);
      cairo_restore (cr);
    }
}

static void
heatmap_draw_scale (Heatmap *self,
                    cairo_t *cr)
{
  TsChart *chart = &self->parent;
  TsRgba muted = _ts_chart_role (chart, TS_COLOR_MUTED);
  double step = self->bar_h / LEGEND_STEPS;

  if (self->bar_h <= 0)
    return;
  _ts_chart_show (cr, self->scale_title, self->bar_x, self->grid_y,
                  _ts_chart_role (chart, TS_COLOR_FOREGROUND));
  for (guint s = 0; s < LEGEND_STEPS; s++)
    {
      /* +1 at the top. */
      double t = 1.0 - 2.0 * (s + 0.5) / LEGEND_STEPS;

      _ts_chart_set_color (cr, ts_palette_diverging (chart->theme, t));
      cairo_rectangle (cr, self->bar_x, self->bar_y + s * step, LEGEND_BAR_WIDTH, step + 0.5);
      cairo_fill (cr);
    }
  for (guint t = 0; t < LEGEND_TICKS; t++)
    {
      double y = self->bar_y + self->bar_h * (1.0 - t / (double) (LEGEND_TICKS - 1)), th;

      _ts_chart_text_size (self->scale_labels[t], NULL, &th);
      _ts_chart_set_color (cr, muted);
      cairo_move_to (cr, self->bar_x + LEGEND_BAR_WIDTH, y);
      cairo_rel_line_to (cr, 3, 0);
      cairo_stroke (cr);
      _ts_chart_show (cr, self->scale_labels[t], self->bar_x + LEGEND_BAR_WIDTH + TS_CHART_GAP,
                      CLAMP (y - th / 2, self->bar_y - th / 2, self->bar_y + self->bar_h - th / 2),
                      muted);
    }
}

static void
heatmap_draw (TsChart *chart,
              cairo_t *cr)
{
  Heatmap *self = (Heatmap *) chart;

  if (self->cell <= 0)
    return;
  heatmap_draw_cells (self, cr);
  heatmap_draw_labels (self, cr);
  heatmap_draw_scale (self, cr);
}

static gboolean
heatmap_hit_test (TsChart     *chart,
                  double       x,
                  double       y,
                  TsChartItem *item)
{
  Heatmap *self = (Heatmap *) chart;
  double col = (x - self->grid_x) / self->cell, row = (y - self->grid_y) / self->cell;

  if (self->cell <= 0 || col < 0 || row < 0 || col >= self->size || row >= self->size)
    return FALSE;
  item->kind = TS_CHART_ITEM_CELL;
  item->series = (guint) row;
  item->index = (guint) col;
  item->value = ts_corr_matrix_get (self->matrix, item->series, item->index);
  item->count = ts_corr_matrix_get_n_rows (self->matrix);
  return TRUE;
}

static char *
heatmap_describe_item (TsChart           *chart,
                       const TsChartItem *item)
{
  Heatmap *self = (Heatmap *) chart;
  TsFeature a, b;

  if (item->kind != TS_CHART_ITEM_CELL)
    return NULL;
  a = ts_corr_matrix_get_feature (self->matrix, item->series);
  b = ts_corr_matrix_get_feature (self->matrix, item->index);
  if (!ts_corr_matrix_is_defined (self->matrix, item->series, item->index))
    return g_strdup_printf ("%s \u00d7 %s: undefined (a constant column)",
                            _ts_chart_feature_label (a), _ts_chart_feature_label (b));
  {
    g_autofree char *value = ts_axis_format (item->value, 3);
    g_autofree char *n = _ts_chart_format_count (item->count);

    return g_strdup_printf ("%s \u00d7 %s: %s = %s (n = %s)", _ts_chart_feature_label (a),
                            _ts_chart_feature_label (b),
                            method_symbol (ts_corr_matrix_get_method (self->matrix)), value, n);
  }
}

static char *
heatmap_describe (TsChart *chart)
{
  Heatmap *self = (Heatmap *) chart;
  TsCorrMethod method = ts_corr_matrix_get_method (self->matrix);
  g_autofree char *n = _ts_chart_format_count (ts_corr_matrix_get_n_rows (self->matrix));
  guint row, col;

  if (!ts_corr_matrix_get_strongest (self->matrix, &row, &col))
    return g_strdup_printf ("%s correlation of %u features over %s songs; no pair is defined",
                            method_title (method), self->size, n);
  {
    TsChartItem item = { TS_CHART_ITEM_CELL, row, col,
                         ts_corr_matrix_get (self->matrix, row, col), 0 };
    g_autofree char *value = ts_axis_format (item.value, 2);

    return g_strdup_printf ("%s correlation of %u features over %s songs; strongest: %s and %s "
                            "(%s)", method_title (method), self->size, n,
                            _ts_chart_feature_label (ts_corr_matrix_get_feature (self->matrix, row)),
                            _ts_chart_feature_label (ts_corr_matrix_get_feature (self->matrix, col)),
                            value);
  }
}

static void
heatmap_finalize (TsChart *chart)
{
  Heatmap *self = (Heatmap *) chart;

  heatmap_clear_layouts (self);
  g_free (self->row_labels);
  g_free (self->cell_labels);
  g_strfreev (self->value_text);
  ts_corr_matrix_unref (self->matrix);
}

static const TsChartClass heatmap_class = {
  heatmap_layout,
  heatmap_draw,
  heatmap_hit_test,
  heatmap_describe_item,
  heatmap_describe,
  heatmap_finalize,
};

TsChart *
ts_chart_heatmap_new (TsCorrMatrix *matrix)
{
  Heatmap *self;
  guint k;

  g_return_val_if_fail (matrix != NULL, NULL);

  self = g_new0 (Heatmap, 1);
  _ts_chart_init (&self->parent, &heatmap_class, TS_CHART_HEATMAP);
  self->matrix = ts_corr_matrix_ref (matrix);
  self->size = k = ts_corr_matrix_get_size (matrix);
  self->row_labels = g_new0 (PangoLayout *, MAX (1, k));
  self->cell_labels = g_new0 (PangoLayout *, MAX (1, k * k));
  self->value_text = g_new0 (char *, k * k + 1);
  for (guint i = 0; i < k * k; i++)
    {
      if (ts_corr_matrix_is_defined (matrix, i / k, i % k))
        {
          g_autofree char *text = ts_axis_format (ts_corr_matrix_get (matrix, i / k, i % k), 2);

          /* A true minus sign, as typeset. */
          self->value_text[i] = text[0] == '-' ? g_strconcat ("\u2212", text + 1, NULL)
                                               : g_strdup (text);
        }
      else
        self->value_text[i] = g_strdup ("\u2013");
    }
  return &self->parent;
}
