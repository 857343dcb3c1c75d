/* ts-chart-loss.c: training and validation loss per epoch, growing live
 *
 * The x axis spans the planned epochs from the start (when known), so a
 * run fills the chart from left to right instead of rescaling with every
 * epoch; the y axis covers every finite loss so far.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-chart-loss"

#include "config.h"

#include <math.h>

#include "ts-chart-private.h"

#define Y_TICKS     5
#define X_TICKS     6
#define MARKER      3.0
#define N_SERIES    2   /* training, validation */

typedef struct
{
  int    epoch;
  double loss[N_SERIES];
} LossEpoch;

typedef struct
{
  TsChart      parent;
  GArray      *epochs;       /* of LossEpoch, in the order added */
  int          total_epochs; /* 0: unknown */
  TsAxisTicks  x_ticks;
  TsAxisTicks  y_ticks;
  GPtrArray   *x_labels;     /* of PangoLayout */
  GPtrArray   *y_labels;
} LossChart;

static const char *series_names[N_SERIES] = { "training", "validation" };

static LossChart *
loss_chart (TsChart *chart)
{
  g_return_val_if_fail (chart != NULL && chart->kind == TS_CHART_LOSS, NULL);

  return (LossChart *) chart;
}

static LossEpoch *
loss_epoch (LossChart *self,
            guint      index)
{
  return &g_array_index (self->epochs, LossEpoch, index);
}

/* Integer epochs: a nice step below one would label half epochs. */
static void
loss_place_x_ticks (LossChart *self)
{
  int last = self->total_epochs;

  for (guint i = 0; i < self->epochs->len; i++)
    last = MAX (last, loss_epoch (self, i)->epoch);
  ts_axis_nice_ticks (1, MAX (2, last), X_TICKS, &self->x_ticks);
  if (self->x_ticks.step < 1)
    {
      self->x_ticks.step = 1;
      self->x_ticks.min = floor (self->x_ticks.min);
      self->x_ticks.max = ceil (self->x_ticks.max);
      self->x_ticks.n = (guint) (self->x_ticks.max - self->x_ticks.min) + 1;
    }
  self->x_ticks.decimals = 0;
}

static void
loss_place_y_ticks (LossChart *self)
{
  double lo = INFINITY, hi = -INFINITY;

  for (guint i = 0; i < self->epochs->len; i++)
    for (guint s = 0; s < N_SERIES; s++)
      {
        double v = loss_epoch (self, i)->loss[s];

        if (isfinite (v))
          {
            lo = MIN (lo, v);
            hi = MAX (hi, v);
          }
      }
  /* Losses are never negative: start at zero unless they all sit far
   * above it, where zero would squash the curve into a line. */
  if (isfinite (lo) && lo >= 0 && lo < 0.5 * hi)
    lo = 0;
  if (!ts_axis_nice_ticks (lo, hi, Y_TICKS, &self->y_ticks))
    ts_axis_nice_ticks (0, 1, Y_TICKS, &self->y_ticks);
}

static double
loss_x (LossChart *self,
        double     epoch)
{
  TsChart *chart = &self->parent;

  return chart->plot_x + ts_axis_map (epoch, self->x_ticks.min, self->x_ticks.max) * chart->plot_w;
}

static void
loss_layout (TsChart *chart)
{
  LossChart *self = (LossChart *) chart;
  double top, y_label_w, line_h;
  g_autoptr(PangoLayout) probe = _ts_chart_text (chart, "0", 0.85, FALSE);

  top = _ts_chart_title_layout (chart, "Loss per epoch");
  _ts_chart_legend_add (chart, series_names[0], ts_palette_qualitative (chart->theme, 0), FALSE);
  _ts_chart_legend_add (chart, series_names[1], ts_palette_qualitative (chart->theme, 1), TRUE);
  top = _ts_chart_legend_layout (chart, TS_CHART_PAD, top, chart->width - 2 * TS_CHART_PAD);
  loss_place_x_ticks (self);
  loss_place_y_ticks (self);
  y_label_w = _ts_chart_tick_labels (chart, &self->y_ticks, self->y_labels);
  _ts_chart_tick_labels (chart, &self->x_ticks, self->x_labels);
  _ts_chart_text_size (probe, NULL, &line_h);

  chart->plot_x = TS_CHART_PAD + y_label_w + TS_CHART_GAP;
  chart->plot_y = top + line_h / 2;
  chart->plot_w = MAX (0, chart->width - 2 * TS_CHART_PAD - chart->plot_x);
  chart->plot_h = MAX (0, chart->height - TS_CHART_PAD - line_h - TS_CHART_GAP - chart->plot_y);
}

static void
loss_draw_x_axis (LossChart *self,
                  cairo_t   *cr)
{
  TsChart *chart = &self->parent;
  TsRgba muted = _ts_chart_role (chart, TS_COLOR_MUTED);
  double base = chart->plot_y + chart->plot_h + TS_CHART_GAP, right_edge = -INFINITY;

  for (guint t = 0; t < self->x_labels->len; t++)
    {
      PangoLayout *label = g_ptr_array_index (self->x_labels, t);
      double x = loss_x (self, ts_axis_tick_value (&self->x_ticks, t)), tw;

      _ts_chart_text_size (label, &tw, NULL);
      /* Skip a label that would touch the previous one (narrow charts). */
      if (x - tw / 2 < right_edge + TS_CHART_GAP)
        continue;
      _ts_chart_show (cr, label, x - tw / 2, base, muted);
      right_edge = x + tw / 2;
    }
}

static void
loss_draw_series (LossChart *self,
                  cairo_t   *cr,
                  guint      s)
{
  TsChart *chart = &self->parent;
  static const double dash[] = { 6.0, 3.0 };
  gboolean pen_down = FALSE;

  for (guint i = 0; i < self->epochs->len; i++)
    {
      LossEpoch *e = loss_epoch (self, i);
      double x = loss_x (self, e->epoch), y = _ts_chart_y (chart, &self->y_ticks, e->loss[s]);

      if (!isfinite (e->loss[s]))
        {
          pen_down = FALSE;  /* a gap, not a line to zero */
          continue;
        }
      if (pen_down)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      pen_down = TRUE;
    }
  _ts_chart_set_color (cr, ts_palette_qualitative (chart->theme, s));
  cairo_set_line_width (cr, 2.0);
  cairo_set_dash (cr, dash, s == 1 ? 2 : 0, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  /* Markers, so that a single epoch shows and epochs can be counted. */
  for (guint i = 0; i < self->epochs->len; i++)
    {
      LossEpoch *e = loss_epoch (self, i);

      if (!isfinite (e->loss[s]))
        continue;
      cairo_new_sub_path (cr);
      cairo_arc (cr, loss_x (self, e->epoch), _ts_chart_y (chart, &self->y_ticks, e->loss[s]),
                 MARKER, 0, 2 * G_PI);
    }
  cairo_fill (cr);
}

static void
loss_draw (TsChart *chart,
           cairo_t *cr)
{
  LossChart *self = (LossChart *) chart;

  if (chart->plot_w <= 0 || chart->plot_h <= 0)
    return;
  _ts_chart_draw_y_axis (chart, cr, &self->y_ticks, self->y_labels);
  loss_draw_x_axis (self, cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint s = 0; s < N_SERIES; s++)
    loss_draw_series (self, cr, s);
}

static gboolean
loss_hit_test (TsChart     *chart,
               double       x,
               double       y,
               TsChartItem *item)
{
  LossChart *self = (LossChart *) chart;
  double best = TS_CHART_HIT * TS_CHART_HIT;
  gboolean found = FALSE;

  for (guint i = 0; i < self->epochs->len; i++)
    for (guint s = 0; s < N_SERIES; s++)
      {
        LossEpoch *e = loss_epoch (self, i);
        double dx = loss_x (self, e->epoch) - x;
        double dy = _ts_chart_y (chart, &self->y_ticks, e->loss[s]) - y;

        if (isfinite (e->loss[s]) && dx * dx + dy * dy <= best)
          {
            best = dx * dx + dy * dy;
            *item = (TsChartItem) { TS_CHART_ITEM_POINT, s, i, e->loss[s], e->epoch };
            found = TRUE;
          }
      }
  return found;
}

static char *
format_loss (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.4g", value));
}

static char *
loss_describe_item (TsChart           *chart,
                    const TsChartItem *item)
{
  g_autofree char *value = NULL;

  if (item->series >= N_SERIES)
    return NULL;
  if (item->kind == TS_CHART_ITEM_LEGEND)
    return g_strdup_printf ("%s loss", series_names[item->series]);
  value = format_loss (item->value);
  return g_strdup_printf ("Epoch %d: %s loss %s", (int) item->count, series_names[item->series],
                          value);
}

static char *
loss_describe (TsChart *chart)
{
  LossChart *self = (LossChart *) chart;
  g_autoptr(GString) text = g_string_new ("Loss per epoch");
  LossEpoch *last;

  if (self->epochs->len == 0)
    {
      g_string_append (text, ": no epoch yet");
      return g_string_free (g_steal_pointer (&text), FALSE);
    }
  last = loss_epoch (self, self->epochs->len - 1);
  g_string_append_printf (text, ", after epoch %d", last->epoch);
  if (self->total_epochs > 0)
    g_string_append_printf (text, " of %d", self->total_epochs);
  for (guint s = 0; s < N_SERIES; s++)
    if (isfinite (last->loss[s]))
      {
        g_autofree char *value = format_loss (last->loss[s]);

        g_string_append_printf (text, "%s %s %s", s == 0 ? ":" : ",", series_names[s], value);
      }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
loss_finalize (TsChart *chart)
{
  LossChart *self = (LossChart *) chart;

  g_array_unref (self->epochs);
  g_ptr_array_unref (self->x_labels);
  g_ptr_array_unref (self->y_labels);
}

static const TsChartClass loss_class = {
  loss_layout,
  loss_draw,
  loss_hit_test,
  loss_describe_item,
  loss_describe,
  loss_finalize,
};

TsChart *
ts_chart_loss_new (void)
{
  LossChart *self = g_new0 (LossChart, 1);

  _ts_chart_init (&self->parent, &loss_class, TS_CHART_LOSS);
  self->epochs = g_array_new (FALSE, FALSE, sizeof (LossEpoch));
  self->x_labels = g_ptr_array_new_with_free_func (g_object_unref);
  self->y_labels = g_ptr_array_new_with_free_func (g_object_unref);
  return &self->parent;
}

void
ts_chart_loss_clear (TsChart *chart)
{
  LossChart *self = loss_chart (chart);

  g_return_if_fail (self != NULL);

  g_array_set_size (self->epochs, 0);
  self->total_epochs = 0;
  chart->laid_out = FALSE;
}

void
ts_chart_loss_set_total_epochs (TsChart *chart,
                                int      total_epochs)
{
  LossChart *self = loss_chart (chart);

  g_return_if_fail (self != NULL);
  g_return_if_fail (total_epochs >= 0);

  self->total_epochs = total_epochs;
  chart->laid_out = FALSE;
}

void
ts_chart_loss_add_epoch (TsChart *chart,
                         int      epoch,
                         double   train_loss,
                         double   val_loss)
{
  LossChart *self = loss_chart (chart);
  LossEpoch e = { epoch, { train_loss, val_loss } };

  g_return_if_fail (self != NULL);
  g_return_if_fail (epoch >= 1);

  g_array_append_val (self->epochs, e);
  chart->laid_out = FALSE;
}

guint
ts_chart_loss_get_n_epochs (TsChart *chart)
{
  LossChart *self = loss_chart (chart);

  g_return_val_if_fail (self != NULL, 0);

  return self->epochs->len;
}

void
ts_chart_loss_get_ticks (TsChart     *chart,
                         TsAxisTicks *x_ticks,
                         TsAxisTicks *y_ticks)
{
  LossChart *self = loss_chart (chart);

  g_return_if_fail (self != NULL);
  g_return_if_fail (chart->laid_out);

  if (x_ticks != NULL)
    *x_ticks = self->x_ticks;
  if (y_ticks != NULL)
    *y_ticks = self->y_ticks;
}
