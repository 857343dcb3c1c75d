/* ts-chart-private.h: what the chart kinds share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <pango/pangocairo.h>

#include "ts-axis.h"
#include "ts-chart.h"

G_BEGIN_DECLS

#define TS_CHART_PAD      12.0   /* outer margin */
#define TS_CHART_GAP      6.0    /* between a label and what it names */
#define TS_CHART_SWATCH   14.0   /* legend swatch */
#define TS_CHART_HIT      8.0    /* how near a point counts as on it */

typedef struct
{
  void      (*layout)        (TsChart           *self);
  void      (*draw)          (TsChart           *self,
                              cairo_t           *cr);
  gboolean  (*hit_test)      (TsChart           *self,
                              double             x,
                              double             y,
                              TsChartItem       *item);
  char     *(*describe_item) (TsChart           *self,
                              const TsChartItem *item);
  char     *(*describe)      (TsChart           *self);
  void      (*finalize)      (TsChart           *self);
} TsChartClass;

/* A legend entry: a swatch and its label, placed by _ts_chart_legend_layout. */
typedef struct
{
  PangoLayout *label;
  TsRgba       color;
  gboolean     dashed;
  double       x, y, width, height;
} TsLegendEntry;

struct _TsChart
{
  const TsChartClass *klass;
  TsChartKind         kind;
  TsTheme             theme;
  gboolean            draw_background;
  double              font_size;
  double              width, height;
  gboolean            laid_out;
  PangoContext       *pango;
  PangoLayout        *title;
  GArray             *legend;       /* of TsLegendEntry */
  double              plot_x, plot_y, plot_w, plot_h;
};

void         _ts_chart_init          (TsChart          *self,
                                      const TsChartClass *klass,
                                      TsChartKind       kind);
PangoLayout *_ts_chart_text          (TsChart          *self,
                                      const char       *text,
                                      double            scale,
                                      gboolean          bold);
void         _ts_chart_text_size     (PangoLayout      *layout,
                                      double           *width,
                                      double           *height);
void         _ts_chart_show          (cairo_t          *cr,
                                      PangoLayout      *layout,
                                      double            x,
                                      double            y,
                                      TsRgba            color);
void         _ts_chart_set_color     (cairo_t          *cr,
                                      TsRgba            color);
TsRgba       _ts_chart_role          (TsChart          *self,
                                      TsColorRole       role);
/* Lays out the title at the top; returns the y below it. */
double       _ts_chart_title_layout  (TsChart          *self,
                                      const char       *title);
void         _ts_chart_legend_clear  (TsChart          *self);
void         _ts_chart_legend_add    (TsChart          *self,
                                      const char       *label,
                                      TsRgba            color,
                                      gboolean          dashed);
/* Flows the legend into rows across @width from (@x, @y); returns the y
 * below it. */
double       _ts_chart_legend_layout (TsChart          *self,
                                      double            x,
                                      double            y,
                                      double            width);
void         _ts_chart_legend_draw   (TsChart          *self,
                                      cairo_t          *cr);
gboolean     _ts_chart_legend_hit    (TsChart          *self,
                                      double            x,
                                      double            y,
                                      TsChartItem      *item);
/* Feature names as people read them ("duration_ms" -> "duration"). */
const char  *_ts_chart_feature_label (TsFeature        feature);
char        *_ts_chart_format_count  (double           count);
/* Lays out a label per tick into @labels; returns the widest's width. */
double       _ts_chart_tick_labels   (TsChart          *self,
                                      const TsAxisTicks *ticks,
                                      GPtrArray        *labels);
/* The plot's y for @value on a vertical axis with @ticks. */
double       _ts_chart_y             (TsChart          *self,
                                      const TsAxisTicks *ticks,
                                      double            value);
/* Grid lines across the plot (the zero or lowest one as the axis) and
 * the tick labels left of it. */
void         _ts_chart_draw_y_axis   (TsChart          *self,
                                      cairo_t          *cr,
                                      const TsAxisTicks *ticks,
                                      GPtrArray        *labels);

G_END_DECLS
