/* ts-chart.h: the Explore charts, drawn onto any cairo_t, with hit testing
 *
 * A chart is made from prepared data (ts_chart_*_new); ts_chart_layout()
 * measures text and places everything for a size, and ts_chart_draw()
 * only paints what the layout placed. hit_test answers from the same
 * layout, so hover, tooltips and clicks agree with what is drawn.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib.h>

#include "ts-axis.h"
#include "ts-group-table.h"
#include "ts-palette.h"
#include "ts-stats.h"

G_BEGIN_DECLS

typedef struct _TsChart TsChart;

typedef enum
{
  TS_CHART_HEATMAP,
  TS_CHART_TIMELINE,
  TS_CHART_GENRES,
  TS_CHART_ARTISTS,
  TS_CHART_PROFILE,
  TS_CHART_LOSS,
} TsChartKind;

typedef enum
{
  TS_CHART_ITEM_NONE,
  TS_CHART_ITEM_CELL,    /* heat map: row, col */
  TS_CHART_ITEM_POINT,   /* timeline: series (feature index), index (year index) */
  TS_CHART_ITEM_BAR,     /* bars: series (feature index), index (group) */
  TS_CHART_ITEM_LEGEND,  /* series */
} TsChartItemKind;

typedef struct
{
  TsChartItemKind kind;
  guint           series;  /* heat map: row */
  guint           index;   /* heat map: column */
  double          value;   /* the number the item shows, raw units */
  double          count;   /* songs behind it */
} TsChartItem;

/* Groups with fewer songs than this are drawn as thin by default. */
#define TS_CHART_DEFAULT_THIN_COUNT 20

TsChart    *ts_chart_heatmap_new     (TsCorrMatrix       *matrix);
/* @normalize: min-max scale each feature over the years so that all share
 * one axis. */
TsChart    *ts_chart_timeline_new    (TsGroupTable       *by_year,
                                      const TsFeature    *features,
                                      guint               n_features,
                                      gboolean            normalize);
/* @kind is TS_CHART_GENRES or TS_CHART_ARTISTS; takes @selection. */
TsChart    *ts_chart_bars_new        (TsChartKind         kind,
                                      TsGroupSelection   *selection,
                                      double              thin_count);
/* The 13 features of one song (or one prediction): @scaled (0..1, the
 * bars) and @values (raw units, the labels), both by TsFeature. A value
 * of NaN (a feature the dataset lacks) leaves its row out. */
TsChart    *ts_chart_profile_new     (const float        *scaled,
                                      const double       *values);
/* Training and validation loss per epoch, filled as a training runs:
 * add_epoch takes NAN for a missing validation loss (drawn as a gap). */
TsChart    *ts_chart_loss_new        (void);
void        ts_chart_loss_clear      (TsChart            *self);
/* The planned epochs, so the x axis spans the run from its start (0:
 * only the epochs so far). */
void        ts_chart_loss_set_total_epochs (TsChart      *self,
                                      int                 total_epochs);
void        ts_chart_loss_add_epoch  (TsChart            *self,
                                      int                 epoch,
                                      double              train_loss,
                                      double              val_loss);
guint       ts_chart_loss_get_n_epochs (TsChart          *self);
/* The axes of the last layout (for tests). */
void        ts_chart_loss_get_ticks  (TsChart            *self,
                                      TsAxisTicks        *x_ticks,
                                      TsAxisTicks        *y_ticks);
void        ts_chart_free            (TsChart            *self);

TsChartKind ts_chart_get_kind        (TsChart            *self);
void        ts_chart_set_theme       (TsChart            *self,
                                      TsTheme             theme);
/* Whether draw fills the background (exports) or leaves it (widgets). */
void        ts_chart_set_background  (TsChart            *self,
                                      gboolean            draw_background);
/* Base text size in pixels (default 13). */
void        ts_chart_set_font_size   (TsChart            *self,
                                      double              pixels);

void        ts_chart_layout          (TsChart            *self,
                                      double              width,
                                      double              height);
/* Lays out first if the size changed. */
void        ts_chart_draw            (TsChart            *self,
                                      cairo_t            *cr,
                                      double              width,
                                      double              height);
gboolean    ts_chart_hit_test        (TsChart            *self,
                                      double              x,
                                      double              y,
                                      TsChartItem        *item);
/* How many legend entries (or colour-scale labels) the layout placed. */
guint       ts_chart_get_n_legend    (TsChart            *self);
/* Tooltip text for @item, and a description of the whole chart for
 * assistive technologies. */
char       *ts_chart_describe_item   (TsChart            *self,
                                      const TsChartItem  *item);
char       *ts_chart_describe        (TsChart            *self);

/* Writes the chart to @path as PNG, SVG or PDF, by its extension. */
gboolean    ts_chart_export          (TsChart            *self,
                                      const char         *path,
                                      double              width,
                                      double              height,
                                      GError            **error);

/* Whether @path ends in .png, .svg or .pdf (any case): what export takes. */
gboolean    ts_chart_path_has_format (const char         *path);
/* The first look of the charts, the same in the app and the CLI: the
 * genres to compare (NULL-terminated; those a dataset lacks are skipped)
 * and the features of the timeline and the bars. */
const char * const *ts_chart_get_default_genres   (void);
guint               ts_chart_get_default_features (const TsFeature **features);
/* Whether a timeline of these features needs min-max scaling to share one
 * axis: when there are several and not all are 0–1 features. */
gboolean    ts_chart_timeline_needs_normalize (const TsFeature *features,
                                               guint            n_features);

/* A feature's value as its unit reads: 0.72, 1987, 128 BPM, -7.1 dB, 3:45. */
char       *ts_chart_format_feature_value (TsFeature      feature,
                                           double         value);

/* Drops the font map Pango keeps for the life of the thread (and with it
 * the fontconfig patterns of its fonts), so that a leak checker sees only
 * real leaks. Only at exit, on the thread that drew, once no chart draws
 * any more. */
void        ts_chart_release_fonts   (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsChart, ts_chart_free)

G_END_DECLS
