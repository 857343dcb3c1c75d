/* ts-chart-profile.c: one profile of the 13 features as horizontal bars
 *
 * The cover-art CNN predicts a song's features from an image; this chart
 * shows that prediction: a row per feature (name, a bar of its share of
 * the feature's range, its value in the feature's own units). The rows
 * run in the order people ask about a song's sound: energy, valence,
 * danceability, acousticness first. A feature the dataset lacks (its
 * value NaN: popularity in the 1.2M set) gets no row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-chart-profile"

#include "config.h"

#include <math.h>

#include "ts-chart-private.h"

/* Bar thickness as a share of a row's height. */
#define BAR_SHARE 0.62

static const TsFeature row_order[TS_N_FEATURES] = {
  TS_FEATURE_ENERGY, TS_FEATURE_VALENCE, TS_FEATURE_DANCEABILITY, TS_FEATURE_ACOUSTICNESS,
  TS_FEATURE_INSTRUMENTALNESS, TS_FEATURE_SPEECHINESS, TS_FEATURE_LIVENESS,
  TS_FEATURE_LOUDNESS, TS_FEATURE_TEMPO, TS_FEATURE_POPULARITY, TS_FEATURE_YEAR,
  TS_FEATURE_DURATION_MS, TS_FEATURE_KEY,
};

typedef struct
{
  TsChart    parent;
  double     scaled[TS_N_FEATURES];  /* by TsFeature, 0..1 */
  double     value[TS_N_FEATURES];   /* by TsFeature, raw units */
  TsFeature  rows[TS_N_FEATURES];    /* the features shown, top to bottom */
  guint      n_rows;
  GPtrArray *names;                  /* by row */
  GPtrArray *values;                 /* by row */
  double     name_w, value_w, row_h, bar_x, bar_w;
} Profile;

/* A feature's value as its own unit reads: 0.72, 1987, 128 BPM, -7.1 dB, 3:45. */
char *
ts_chart_format_feature_value (TsFeature feature,
                               double    value)
{
  g_return_val_if_fail (feature < TS_N_FEATURES, NULL);

  if (!isfinite (value))
    return g_strdup ("n/a");
  switch (feature)
    {
    case TS_FEATURE_YEAR:
    case TS_FEATURE_POPULARITY:
    case TS_FEATURE_KEY:
      return ts_axis_format (value, 0);
    case TS_FEATURE_DURATION_MS:
      {
        long seconds = lround (value / 1000.0);

        return g_strdup_printf ("%ld:%02ld", seconds / 60, seconds % 60);
      }
    case TS_FEATURE_LOUDNESS:
      {
        g_autofree char *number = ts_axis_format (value, 1);

        return g_strconcat (number, " dB", NULL);
      }
    case TS_FEATURE_TEMPO:
      {
        g_autofree char *number = ts_axis_format (value, 0);

        return g_strconcat (number, " BPM", NULL);
      }
    default:
      return ts_axis_format (value, 2);
    }
}

static void
profile_layout (TsChart *chart)
{
  Profile *self = (Profile *) chart;
  double top = _ts_chart_title_layout (chart, "Predicted profile");

  g_ptr_array_set_size (self->names, 0);
  g_ptr_array_set_size (self->values, 0);
  self->name_w = self->value_w = self->row_h = 0;
  for (guint r = 0; r < self->n_rows; r++)
    {
      TsFeature f = self->rows[r];
      g_autofree char *text = ts_chart_format_feature_value (f, self->value[f]);
      PangoLayout *name = _ts_chart_text (chart, _ts_chart_feature_label (f), 0.9, FALSE);
      PangoLayout *value = _ts_chart_text (chart, text, 0.85, FALSE);
      double w, h;

      _ts_chart_text_size (name, &w, &h);
      self->name_w = MAX (self->name_w, w);
      self->row_h = MAX (self->row_h, h);
      _ts_chart_text_size (value, &w, &h);
      self->value_w = MAX (self->value_w, w);
      g_ptr_array_add (self->names, name);
      g_ptr_array_add (self->values, value);
    }

  chart->plot_x = TS_CHART_PAD;
  chart->plot_y = top;
  chart->plot_w = MAX (0, chart->width - 2 * TS_CHART_PAD);
  chart->plot_h = MAX (0, chart->height - TS_CHART_PAD - top);
  /* Rows share the height; text never overlaps when they get thin. */
  self->row_h = MAX (self->row_h, chart->plot_h / MAX (self->n_rows, 1));
  self->bar_x = chart->plot_x + self->name_w + TS_CHART_GAP;
  self->bar_w = MAX (0, chart->plot_x + chart->plot_w - self->value_w - TS_CHART_GAP
                        - self->bar_x);
}

static void
profile_draw (TsChart *chart,
              cairo_t *cr)
{
  Profile *self = (Profile *) chart;
  TsRgba track = _ts_chart_role (chart, TS_COLOR_GRID);
  TsRgba bar = ts_palette_qualitative (chart->theme, 0);

  for (guint r = 0; r < self->n_rows; r++)
    {
      TsFeature f = self->rows[r];
      PangoLayout *name = g_ptr_array_index (self->names, r);
      PangoLayout *value = g_ptr_array_index (self->values, r);
      double y = chart->plot_y + r * self->row_h, name_w, text_h;
      double bar_h = self->row_h * BAR_SHARE, bar_y = y + (self->row_h - bar_h) / 2;
      double share = isfinite (self->scaled[f]) ? CLAMP (self->scaled[f], 0, 1) : 0;

      if (y + self->row_h > chart->height + 0.5)
        break;
      _ts_chart_text_size (name, &name_w, &text_h);
      _ts_chart_show (cr, name, self->bar_x - TS_CHART_GAP - name_w,
                      y + (self->row_h - text_h) / 2, _ts_chart_role (chart, TS_COLOR_FOREGROUND));
      if (self->bar_w > 0)
        {
          _ts_chart_set_color (cr, track);
          cairo_rectangle (cr, self->bar_x, bar_y, self->bar_w, bar_h);
          cairo_fill (cr);
          _ts_chart_set_color (cr, bar);
          cairo_rectangle (cr, self->bar_x, bar_y, MAX (1, share * self->bar_w), bar_h);
          cairo_fill (cr);
        }
      _ts_chart_text_size (value, NULL, &text_h);
      _ts_chart_show (cr, value, self->bar_x + self->bar_w + TS_CHART_GAP,
                      y + (self->row_h - text_h) / 2, _ts_chart_role (chart, TS_COLOR_MUTED));
    }
}

static gboolean
profile_hit_test (TsChart     *chart,
                  double       x,
                  double       y,
                  TsChartItem *item)
{
  Profile *self = (Profile *) chart;
  double row;

  if (self->row_h <= 0 || x < chart->plot_x || x > chart->plot_x + chart->plot_w ||
      y < chart->plot_y)
    return FALSE;
  row = floor ((y - chart->plot_y) / self->row_h);
  if (row >= self->n_rows)
    return FALSE;
  item->kind = TS_CHART_ITEM_BAR;
  item->series = self->rows[(guint) row];
  item->index = 0;
  item->value = self->value[item->series];
  item->count = 0;
  return TRUE;
}

static char *
profile_describe_item (TsChart           *chart,
                       const TsChartItem *item)
{
  Profile *self = (Profile *) chart;
  g_autofree char *value = NULL;
  g_autofree char *share = NULL;

  if (item->kind != TS_CHART_ITEM_BAR || item->series >= TS_N_FEATURES)
    return NULL;
  value = ts_chart_format_feature_value (item->series, self->value[item->series]);
  share = ts_axis_format (100 * self->scaled[item->series], 0);
  return g_strdup_printf ("%s: %s (%s %% of its range)", _ts_chart_feature_label (item->series),
                          value, share);
}

static char *
profile_describe (TsChart *chart)
{
  Profile *self = (Profile *) chart;
  g_autoptr(GString) text = g_string_new ("Predicted profile: ");

  for (guint r = 0; r < self->n_rows; r++)
    {
      TsFeature f = self->rows[r];
      g_autofree char *value = ts_chart_format_feature_value (f, self->value[f]);

      g_string_append_printf (text, "%s%s %s", r == 0 ? "" : ", ", _ts_chart_feature_label (f),
                              value);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
profile_finalize (TsChart *chart)
{
  Profile *self = (Profile *) chart;

  g_ptr_array_unref (self->names);
  g_ptr_array_unref (self->values);
}

static const TsChartClass profile_class = {
  profile_layout,
  profile_draw,
  profile_hit_test,
  profile_describe_item,
  profile_describe,
  profile_finalize,
};

TsChart *
ts_chart_profile_new (const float  *scaled,
                      const double *values)
{
  Profile *self;

  g_return_val_if_fail (scaled != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);

  self = g_new0 (Profile, 1);
  _ts_chart_init (&self->parent, &profile_class, TS_CHART_PROFILE);
  for (guint f = 0; f < TS_N_FEATURES; f++)
    {
      self->scaled[f] = scaled[f];
      self->value[f] = values[f];
    }
  for (guint r = 0; r < TS_N_FEATURES; r++)
    if (isfinite (values[row_order[r]]))
      self->rows[self->n_rows++] = row_order[r];
  self->names = g_ptr_array_new_with_free_func (g_object_unref);
  self->values = g_ptr_array_new_with_free_func (g_object_unref);
  return &self->parent;
}
