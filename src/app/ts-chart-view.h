/* ts-chart-view.h: a core chart on screen, with hover tooltips and the
 * theme of the desktop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tunescope-core.h"

G_BEGIN_DECLS

#define TS_TYPE_CHART_VIEW (ts_chart_view_get_type ())

G_DECLARE_FINAL_TYPE (TsChartView, ts_chart_view, TS, CHART_VIEW, GtkWidget)

GtkWidget  *ts_chart_view_new          (void);
/* Takes @chart (may be NULL for an empty view). */
void        ts_chart_view_set_chart    (TsChartView  *self,
                                        TsChart      *chart);
/* What the view says to assistive technologies while it has no chart. */
void        ts_chart_view_set_placeholder (TsChartView *self,
                                           const char  *text);
TsChart    *ts_chart_view_get_chart    (TsChartView  *self);
/* Call after changing the chart in place (e.g. a loss chart's new epoch):
 * lays it out again, redraws it and updates its description. */
void        ts_chart_view_chart_changed (TsChartView *self);
TsTheme     ts_chart_view_get_theme    (TsChartView  *self);
/* What the chart shows, as its accessible description says it. */
const char *ts_chart_view_get_description (TsChartView *self);
/* Writes the chart as it is shown, at @width x @height, with a background,
 * to a PNG, SVG or PDF file by @path's extension. */
gboolean    ts_chart_view_export       (TsChartView  *self,
                                        const char   *path,
                                        double        width,
                                        double        height,
                                        GError      **error);

G_END_DECLS
