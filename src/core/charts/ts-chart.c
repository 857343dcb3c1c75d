/* ts-chart.c: text, title, legend and export shared by the chart kinds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-chart"

#include "config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <string.h>

#include "ts-atomic-file.h"
#include "ts-chart-private.h"
#include "ts-error.h"

#define DEFAULT_FONT_SIZE 13.0
#define FONT_FAMILY       "Cantarell, Noto Sans, DejaVu Sans, Sans"

void
_ts_chart_init (TsChart            *self,
                const TsChartClass *klass,
                TsChartKind         kind)
{
  PangoFontMap *map = pango_cairo_font_map_get_default ();

  g_assert (self != NULL);
  g_assert (klass != NULL);

  self->klass = klass;
  self->kind = kind;
  self->theme = TS_THEME_LIGHT;
  self->draw_background = TRUE;
  self->font_size = DEFAULT_FONT_SIZE;
  self->pango = pango_font_map_create_context (map);
  /* Sizes are in pixels whatever the target: 1 pt = 1 px. */
  pango_cairo_context_set_resolution (self->pango, 72.0);
  self->legend = g_array_new (FALSE, TRUE, sizeof (TsLegendEntry));
}

void
ts_chart_free (TsChart *self)
{
  g_return_if_fail (self != NULL);

  if (self->klass->finalize != NULL)
    self->klass->finalize (self);
  _ts_chart_legend_clear (self);
  g_array_unref (self->legend);
  g_clear_object (&self->title);
  g_clear_object (&self->pango);
  g_free (self);
}

TsChartKind
ts_chart_get_kind (TsChart *self)
{
  g_return_val_if_fail (self != NULL, TS_CHART_HEATMAP);

  return self->kind;
}

void
ts_chart_set_theme (TsChart *self,
                    TsTheme  theme)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (theme <= TS_THEME_DARK);

  if (self->theme != theme)
    {
      self->theme = theme;
      self->laid_out = FALSE;
    }
}

void
ts_chart_set_background (TsChart  *self,
                         gboolean  draw_background)
{
  g_return_if_fail (self != NULL);

  self->draw_background = !!draw_background;
}

void
ts_chart_set_font_size (TsChart *self,
                        double   pixels)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (pixels >= 4.0 && pixels <= 200.0);

  self->font_size = pixels;
  self->laid_out = FALSE;
}

void
ts_chart_layout (TsChart *self,
                 double   width,
                 double   height)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (width > 0 && height > 0);

  self->width = width;
  self->height = height;
  _ts_chart_legend_clear (self);
  self->klass->layout (self);
  self->laid_out = TRUE;
}

void
ts_chart_draw (TsChart *self,
               cairo_t *cr,
               double   width,
               double   height)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);

  if (!self->laid_out || width != self->width || height != self->height)
    ts_chart_layout (self, width, height);

  cairo_save (cr);
  if (self->draw_background)
    {
      _ts_chart_set_color (cr, _ts_chart_role (self, TS_COLOR_BACKGROUND));
      cairo_paint (cr);
    }
  if (self->title != NULL)
    _ts_chart_show (cr, self->title, TS_CHART_PAD, TS_CHART_PAD,
                    _ts_chart_role (self, TS_COLOR_FOREGROUND));
  self->klass->draw (self, cr);
  _ts_chart_legend_draw (self, cr);
  cairo_restore (cr);
}

gboolean
ts_chart_hit_test (TsChart     *self,
                   double       x,
                   double       y,
                   TsChartItem *item)
{
  TsChartItem dummy;

  g_return_val_if_fail (self != NULL, FALSE);

  if (item == NULL)
    item = &dummy;
  memset (item, 0, sizeof *item);
  if (!self->laid_out)
    return FALSE;
  if (_ts_chart_legend_hit (self, x, y, item))
    return TRUE;
  return self->klass->hit_test (self, x, y, item);
}

guint
ts_chart_get_n_legend (TsChart *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->legend->len;
}

char *
ts_chart_describe_item (TsChart           *self,
                        const TsChartItem *item)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (item != NULL, NULL);

  if (item->kind == TS_CHART_ITEM_NONE)
    return NULL;
  return self->klass->describe_item (self, item);
}

char *
ts_chart_describe (TsChart *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->klass->describe (self);
}

/* Cairo writes through the atomic file: a failed or cancelled export
 * never leaves a partial file at the destination. */
typedef struct
{
  TsAtomicFile *file;
  GError       *error;
} ExportStream;

static cairo_status_t
write_stream (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  ExportStream *stream = closure;

  if (stream->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!ts_atomic_file_write (stream->file, data, length, &stream->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

gboolean
ts_chart_path_has_format (const char *path)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  lower = g_ascii_strdown (path, -1);
  return g_str_has_suffix (lower, ".png") || g_str_has_suffix (lower, ".svg") ||
         g_str_has_suffix (lower, ".pdf");
}

const char * const *
ts_chart_get_default_genres (void)
{
  static const char * const genres[] = { "rock", "jazz", "hip hop", "classical", NULL };

  return genres;
}

guint
ts_chart_get_default_features (const TsFeature **features)
{
  static const TsFeature defaults[] = {
    TS_FEATURE_ACOUSTICNESS, TS_FEATURE_DANCEABILITY, TS_FEATURE_ENERGY, TS_FEATURE_VALENCE,
  };

  g_return_val_if_fail (features != NULL, 0);

  *features = defaults;
  return G_N_ELEMENTS (defaults);
}

gboolean
ts_chart_timeline_needs_normalize (const TsFeature *features,
                                   guint            n_features)
{
  g_return_val_if_fail (features != NULL || n_features == 0, FALSE);

  for (guint i = 0; i < n_features && n_features > 1; i++)
    if (!ts_feature_is_unit (features[i]))
      return TRUE;
  return FALSE;
}

static cairo_surface_t *
create_surface (const char   *path,
                double        width,
                double        height,
                ExportStream *stream)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".svg"))
    return cairo_svg_surface_create_for_stream (write_stream, stream, width, height);
  if (g_str_has_suffix (lower, ".pdf"))
    return cairo_pdf_surface_create_for_stream (write_stream, stream, width, height);
  return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width),
                                     (int) ceil (height));
}

gboolean
ts_chart_export (TsChart     *self,
                 const char  *path,
                 double       width,
                 double       height,
                 GError     **error)
{
  g_autoptr(TsAtomicFile) file = NULL;
  ExportStream stream = { NULL, NULL };
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (width >= 1 && height >= 1, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!ts_chart_path_has_format (path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: unknown chart format (use .png, .svg or .pdf)", path);
      return FALSE;
    }
  file = ts_atomic_file_new (path, error);
  if (file == NULL)
    return FALSE;
  stream.file = file;
  surface = create_surface (path, width, height, &stream);

  cr = cairo_create (surface);
  ts_chart_draw (self, cr, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  if (cairo_surface_get_type (surface) == CAIRO_SURFACE_TYPE_IMAGE)
    status = cairo_surface_write_to_png_stream (surface, write_stream, &stream);
  else
    {
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);

  if (stream.error != NULL)
    {
      g_propagate_error (error, stream.error);
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return ts_atomic_file_commit (file, error);
}

void
ts_chart_release_fonts (void)
{
  pango_cairo_font_map_set_default (NULL);
}

/* ---- helpers for the kinds ---- */

PangoLayout *
_ts_chart_text (TsChart    *self,
                const char *text,
                double      scale,
                gboolean    bold)
{
  PangoLayout *layout = pango_layout_new (self->pango);
  PangoFontDescription *desc = pango_font_description_from_string (FONT_FAMILY);

  g_assert (text != NULL);

  pango_font_description_set_absolute_size (desc, self->font_size * scale * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  pango_font_description_free (desc);
  return layout;
}

void
_ts_chart_text_size (PangoLayout *layout,
                     double      *width,
                     double      *height)
{
  int w, h;

  g_assert (layout != NULL);

  pango_layout_get_pixel_size (layout, &w, &h);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
}

void
_ts_chart_set_color (cairo_t *cr,
                     TsRgba   color)
{
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha);
}

void
_ts_chart_show (cairo_t     *cr,
                PangoLayout *layout,
                double       x,
                double       y,
                TsRgba       color)
{
  g_assert (layout != NULL);

  _ts_chart_set_color (cr, color);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

TsRgba
_ts_chart_role (TsChart     *self,
                TsColorRole  role)
{
  return ts_palette_role (self->theme, role);
}

double
_ts_chart_title_layout (TsChart    *self,
                        const char *title)
{
  double h;

  g_clear_object (&self->title);
  self->title = _ts_chart_text (self, title, 1.25, TRUE);
  pango_layout_set_width (self->title, (int) MAX (1, self->width - 2 * TS_CHART_PAD) * PANGO_SCALE);
  pango_layout_set_ellipsize (self->title, PANGO_ELLIPSIZE_END);
  _ts_chart_text_size (self->title, NULL, &h);
  return TS_CHART_PAD + h + TS_CHART_GAP;
}

void
_ts_chart_legend_clear (TsChart *self)
{
  for (guint i = 0; i < self->legend->len; i++)
    g_clear_object (&g_array_index (self->legend, TsLegendEntry, i).label);
  g_array_set_size (self->legend, 0);
}

void
_ts_chart_legend_add (TsChart    *self,
                      const char *label,
                      TsRgba      color,
                      gboolean    dashed)
{
  TsLegendEntry entry = { 0 };

  entry.label = _ts_chart_text (self, label, 0.92, FALSE);
  entry.color = color;
  entry.dashed = dashed;
  _ts_chart_text_size (entry.label, &entry.width, &entry.height);
  entry.width += TS_CHART_SWATCH + TS_CHART_GAP;
  entry.height = MAX (entry.height, TS_CHART_SWATCH);
  g_array_append_val (self->legend, entry);
}

double
_ts_chart_legend_layout (TsChart *self,
                         double   x,
                         double   y,
                         double   width)
{
  double cx = x, row_h = 0;

  for (guint i = 0; i < self->legend->len; i++)
    {
      TsLegendEntry *e = &g_array_index (self->legend, TsLegendEntry, i);

      if (cx > x && cx + e->width > x + width)
        {
          cx = x;
          y += row_h + TS_CHART_GAP / 2;
          row_h = 0;
        }
      e->x = cx;
      e->y = y;
      cx += e->width + 2 * TS_CHART_GAP;
      row_h = MAX (row_h, e->height);
    }
  return self->legend->len > 0 ? y + row_h + TS_CHART_GAP : y;
}

void
_ts_chart_legend_draw (TsChart *self,
                       cairo_t *cr)
{
  static const double dash[] = { 4.0, 3.0 };

  for (guint i = 0; i < self->legend->len; i++)
    {
      TsLegendEntry *e = &g_array_index (self->legend, TsLegendEntry, i);
      double sy = e->y + (e->height - TS_CHART_SWATCH) / 2, ty, th;

      _ts_chart_set_color (cr, e->color);
      if (e->dashed)
        {
          /* A dashed series shows its dash, the others a solid square. */
          cairo_set_line_width (cr, 2.5);
          cairo_set_dash (cr, dash, 2, 0);
          cairo_move_to (cr, e->x, sy + TS_CHART_SWATCH / 2);
          cairo_line_to (cr, e->x + TS_CHART_SWATCH, sy + TS_CHART_SWATCH / 2);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
        }
      else
        {
          cairo_rectangle (cr, e->x, sy, TS_CHART_SWATCH, TS_CHART_SWATCH);
          cairo_fill (cr);
        }
      _ts_chart_text_size (e->label, NULL, &th);
      ty = e->y + (e->height - th) / 2;
      _ts_chart_show (cr, e->label, e->x + TS_CHART_SWATCH + TS_CHART_GAP, ty,
                      _ts_chart_role (self, TS_COLOR_FOREGROUND));
    }
}

gboolean
_ts_chart_legend_hit (TsChart     *self,
                      double       x,
                      double       y,
                      TsChartItem *item)
{
  for (guint i = 0; i < self->legend->len; i++)
    {
      TsLegendEntry *e = &g_array_index (self->legend, TsLegendEntry, i);

      if (x >= e->x && x < e->x + e->width && y >= e->y && y < e->y + e->height)
        {
          item->kind = TS_CHART_ITEM_LEGEND;
          item->series = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
_ts_chart_feature_label (TsFeature feature)
{
  if (feature == TS_FEATURE_DURATION_MS)
    return "duration";
  return ts_feature_get_name (feature);
}

char *
_ts_chart_format_count (double count)
{
  g_autofree char *digits = g_strdup_printf ("%.0f", fabs (count));
  GString *out = g_string_new (count < 0 ? "-" : "");
  gsize len = strlen (digits);

  /* Thousands with a thin space: readable and locale-neutral. */
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, "\u2009");
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

double
_ts_chart_tick_labels (TsChart           *self,
                       const TsAxisTicks *ticks,
                       GPtrArray         *labels)
{
  double widest = 0, w;

  g_ptr_array_set_size (labels, 0);
  for (guint t = 0; t < ticks->n; t++)
    {
      g_autofree char *text = ts_axis_format (ts_axis_tick_value (ticks, t), ticks->decimals);
      PangoLayout *layout = _ts_chart_text (self, text, 0.85, FALSE);

      _ts_chart_text_size (layout, &w, NULL);
      widest = MAX (widest, w);
      g_ptr_array_add (labels, layout);
    }
  return widest;
}

double
_ts_chart_y (TsChart           *self,
             const TsAxisTicks *ticks,
             double             value)
{
  return self->plot_y + (1.0 - ts_axis_map (value, ticks->min, ticks->max)) * self->plot_h;
}

void
_ts_chart_draw_y_axis (TsChart           *self,
                       cairo_t           *cr,
                       const TsAxisTicks *ticks,
                       GPtrArray         *labels)
{
  TsRgba muted = _ts_chart_role (self, TS_COLOR_MUTED);

  cairo_set_line_width (cr, 1.0);
  for (guint t = 0; t < ticks->n; t++)
    {
      double value = ts_axis_tick_value (ticks, t);
      double y = round (_ts_chart_y (self, ticks, value)) + 0.5, tw, th;
      PangoLayout *label = g_ptr_array_index (labels, t);
      gboolean axis = value == 0 || (t == 0 && ticks->min > 0);

      _ts_chart_set_color (cr, _ts_chart_role (self, axis ? TS_COLOR_AXIS : TS_COLOR_GRID));
      cairo_move_to (cr, self->plot_x, y);
      cairo_rel_line_to (cr, self->plot_w, 0);
      cairo_stroke (cr);
      _ts_chart_text_size (label, &tw, &th);
      _ts_chart_show (cr, label, self->plot_x - TS_CHART_GAP - tw, y - th / 2, muted);
    }
}
