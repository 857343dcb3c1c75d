/* ts-embedding-map.c: every song of a space as a dot, by its 2-D PCA
 * projection, with the query and its results highlighted
 *
 * The songs are counted into the pixels of an image once per view (size,
 * pan, zoom, theme), and each pixel's count becomes its opacity on a
 * logarithmic scale that the densest pixels reach (ts-density.c): 25,000
 * songs and 1.2 million both read as a cloud with its dense and sparse
 * parts, where blending every dot saturated into a solid blob. The image is
 * kept as a texture; hovering, and the few highlighted songs drawn over
 * it, never touch that cloud.
 * Scroll or pinch zooms about the pointer, a drag pans, +, - and 0 zoom
 * from the keyboard; the tooltip names the song under the pointer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-embedding-map"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ts-embedding-map.h"

#define FIT_MARGIN   0.92   /* of the widget the whole cloud fills */
#define ZOOM_MIN     0.5
#define ZOOM_MAX     400.0
#define ZOOM_STEP    1.25
#define PICK_RADIUS  6.0
#define RESULT_R     4.0
#define QUERY_R      7.0
/* A zoom or a pan first shows the cloud it had, scaled and moved, and
 * counts the songs again once the view rests this long: a million songs
 * take 15 to 40 ms to count, more than a frame. */
#define REDRAW_MS    120

struct _TsEmbeddingMap
{
  GtkWidget   parent_instance;

  TsDataset  *dataset;
  TsSpace    *space;
  char       *title;
  char       *placeholder;
  float      *xy;           /* n x 2, the projection */
  guint       n;
  double      variance_share[2];
  double      lo[2], hi[2]; /* the cloud's bounds */

  int         query_row;
  char       *query_label;
  GArray     *results;      /* of guint32 */

  /* The view: the data point at the widget's centre and the zoom. */
  double      cx, cy, zoom;
  double      drag_cx, drag_cy, pinch_zoom;
  double      pointer_x, pointer_y;  /* -1 outside */

  TsTheme     theme;
  GdkTexture *cloud;        /* the dots for the view below */
  int         cloud_w, cloud_h, cloud_scale;
  double      cloud_cx, cloud_cy, cloud_zoom;
  TsTheme     cloud_theme;
  guint       redraw_id;    /* the cloud is counted again when it fires */

  char       *description;
};

G_DEFINE_FINAL_TYPE (TsEmbeddingMap, ts_embedding_map, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DESCRIPTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- the view ---------------------------------------------------------- */

/* Pixels per data unit at zoom 1: the whole cloud fits. */
static gboolean
redraw_cloud_cb (gpointer user_data)
{
  TsEmbeddingMap *self = user_data;

  self->redraw_id = 0;
  /* Recounted for the view it now shows, not when it already is. */
  if (self->cloud != NULL && (self->cloud_cx != self->cx || self->cloud_cy != self->cy ||
                              self->cloud_zoom != self->zoom))
    g_clear_object (&self->cloud);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

/* The centre or zoom changed: the next frames show the cloud they have,
 * moved (append_stale_cloud), and it is counted again once the view has
 * rested REDRAW_MS. */
static void
view_moved (TsEmbeddingMap *self)
{
  g_clear_handle_id (&self->redraw_id, g_source_remove);
  self->redraw_id = g_timeout_add (REDRAW_MS, redraw_cloud_cb, self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static double
base_scale (TsEmbeddingMap *self,
            double          width,
            double          height)
{
  double sx = width / MAX (1e-9, self->hi[0] - self->lo[0]);
  double sy = height / MAX (1e-9, self->hi[1] - self->lo[1]);

  return FIT_MARGIN * MIN (sx, sy);
}

static void
to_screen (TsEmbeddingMap *self,
           double          scale,
           double          width,
           double          height,
           double          x,
           double          y,
           double         *sx,
           double         *sy)
{
  *sx = width / 2 + (x - self->cx) * scale;
  *sy = height / 2 - (y - self->cy) * scale;
}

static double
view_scale (TsEmbeddingMap *self)
{
  return base_scale (self, gtk_widget_get_width (GTK_WIDGET (self)),
                     gtk_widget_get_height (GTK_WIDGET (self))) * self->zoom;
}

void
ts_embedding_map_reset_view (TsEmbeddingMap *self)
{
  g_return_if_fail (TS_IS_EMBEDDING_MAP (self));

  self->cx = (self->lo[0] + self->hi[0]) / 2;
  self->cy = (self->lo[1] + self->hi[1]) / 2;
  self->zoom = 1;
  view_moved (self);
}

/* Zooms by @factor keeping the data point under (@px, @py) in place. */
static void
zoom_about (TsEmbeddingMap *self,
            double          factor,
            double          px,
            double          py)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double scale = view_scale (self), ux, uy, zoom;

  if (self->n == 0 || scale <= 0)
    return;
  ux = self->cx + (px - width / 2) / scale;
  uy = self->cy - (py - height / 2) / scale;
  zoom = CLAMP (self->zoom * factor, ZOOM_MIN, ZOOM_MAX);
  scale = scale / self->zoom * zoom;
  self->zoom = zoom;
  self->cx = ux - (px - width / 2) / scale;
  self->cy = uy + (py - height / 2) / scale;
  view_moved (self);
}

/* ---- the description --------------------------------------------------- */

static void
update_description (TsEmbeddingMap *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->n == 0)
    g_string_append (text, self->placeholder != NULL ? self->placeholder : _("No songs to map"));
  else
    {
      g_autofree char *count = g_strdup_printf ("%u", self->n);

      /* Translators: the embedding map's description; %s: a count of songs, a space's name, two percentages */
      g_string_append_printf (text, _("Map of %s songs in the %s space, by principal components "
                                      "explaining %.0f%% and %.0f%% of the variance"),
                              count, self->title, 100 * self->variance_share[0],
                              100 * self->variance_share[1]);
      if (self->query_label != NULL)
        g_string_append_printf (text, _("; %s and %u similar songs highlighted"),
                                self->query_label, self->results->len);
      else if (self->results->len > 0)
        g_string_append_printf (text, _("; %u similar songs highlighted"), self->results->len);
    }
  if (g_strcmp0 (text->str, self->description) == 0)
    return;
  g_free (self->description);
  self->description = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

const char *
ts_embedding_map_get_description (TsEmbeddingMap *self)
{
  g_return_val_if_fail (TS_IS_EMBEDDING_MAP (self), NULL);

  return self->description;
}

/* ---- the data ---------------------------------------------------------- */

static int
compare_floats (gconstpointer a,
                gconstpointer b)
{
  float fa = *(const float *) a, fb = *(const float *) b;

  return (fa > fb) - (fa < fb);
}

/* The first view frames all but the outermost 0.1% of the songs (of an
 * even sample of them) on each axis: a few outliers would otherwise
 * shrink the cloud to a speck. */
static void
fit_bounds (TsEmbeddingMap *self)
{
  guint stride = ts_pca_sample_stride (self->n, TS_PCA_MAP_POINTS), m = (self->n + stride - 1) / stride;
  g_autofree float *values = g_new (float, m);
  guint cut = m / 1000;

  for (guint c = 0; c < 2; c++)
    {
      double pad;

      for (guint i = 0; i < m; i++)
        values[i] = self->xy[(gsize) i * stride * 2 + c];
      qsort (values, m, sizeof (float), compare_floats);
      self->lo[c] = values[cut];
      self->hi[c] = values[m - 1 - cut];
      pad = 0.02 * (self->hi[c] - self->lo[c]);
      self->lo[c] -= pad;
      self->hi[c] += pad;
    }
}

gboolean
ts_embedding_map_set_space (TsEmbeddingMap  *self,
                            TsDataset       *dataset,
                            TsSpace         *space,
                            const char      *title,
                            GError         **error)
{
  g_autoptr(TsPca) pca = NULL;
  g_autofree float *xy = NULL;
  guint n;

  g_return_val_if_fail (TS_IS_EMBEDDING_MAP (self), FALSE);
  g_return_val_if_fail (space == NULL || TS_IS_DATASET (dataset), FALSE);

  if (space == self->space && space != NULL)
    return TRUE;
  if (space != NULL)
    {
      gint64 start = g_get_monotonic_time ();

      n = ts_space_get_n (space);
      pca = ts_pca_fit_sample (ts_space_get_data (space), n, ts_space_get_dim (space), TS_PCA_MAP_POINTS,
                               error);
      if (pca == NULL)
        return FALSE;
      xy = g_new (float, (gsize) n * 2);
      ts_pca_project (pca, ts_space_get_data (space), n, xy);
      g_debug ("%u songs of %u dimensions projected in %.1f ms", n, ts_space_get_dim (space),
               (g_get_monotonic_time () - start) / 1000.0);
    }

  g_clear_pointer (&self->space, ts_space_unref);
  g_clear_object (&self->dataset);
  g_clear_pointer (&self->xy, g_free);
  g_clear_object (&self->cloud);
  self->n = 0;
  g_free (self->title);
  self->title = g_strdup (title != NULL ? title : "");
  if (space != NULL)
    {
      self->space = ts_space_ref (space);
      self->dataset = g_object_ref (dataset);
      self->xy = g_steal_pointer (&xy);
      self->n = n;
      self->variance_share[0] = pca->total_variance > 0 ? pca->variance[0] / pca->total_variance : 0;
      self->variance_share[1] = pca->total_variance > 0 ? pca->variance[1] / pca->total_variance : 0;
      fit_bounds (self);
    }
  ts_embedding_map_set_highlight (self, -1, NULL, NULL, 0);
  ts_embedding_map_reset_view (self);
  update_description (self);
  return TRUE;
}

void
ts_embedding_map_set_placeholder (TsEmbeddingMap *self,
                                  const char     *placeholder)
{
  g_return_if_fail (TS_IS_EMBEDDING_MAP (self));

  g_free (self->placeholder);
  self->placeholder = g_strdup (placeholder);
  update_description (self);
}

void
ts_embedding_map_set_highlight (TsEmbeddingMap *self,
                                int             query_row,
                                const char     *label,
                                const guint32  *rows,
                                guint           n_rows)
{
  g_return_if_fail (TS_IS_EMBEDDING_MAP (self));
  g_return_if_fail (rows != NULL || n_rows == 0);

  self->query_row = query_row >= 0 && (guint) query_row < self->n ? query_row : -1;
  g_free (self->query_label);
  self->query_label = g_strdup (label);
  g_array_set_size (self->results, 0);
  for (guint i = 0; i < n_rows; i++)
    if (rows[i] < self->n)
      g_array_append_val (self->results, rows[i]);
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
ts_embedding_map_pick (TsEmbeddingMap *self,
                       double          x,
                       double          y)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double scale = view_scale (self), best = PICK_RADIUS * PICK_RADIUS;
  int found = -1;

  g_return_val_if_fail (TS_IS_EMBEDDING_MAP (self), -1);

  /* The highlighted songs first: they are drawn on top. */
  for (guint i = 0; i < self->results->len + 1; i++)
    {
      int row = i < self->results->len ? (int) g_array_index (self->results, guint32, i) : self->query_row;
      double sx, sy;

      if (row < 0)
        continue;
      to_screen (self, scale, width, height, self->xy[row * 2], self->xy[row * 2 + 1], &sx, &sy);
      if ((sx - x) * (sx - x) + (sy - y) * (sy - y) <= (QUERY_R + 2) * (QUERY_R + 2))
        return row;
    }
  for (guint i = 0; i < self->n; i++)
    {
      double sx, sy, d;

      to_screen (self, scale, width, height, self->xy[i * 2], self->xy[i * 2 + 1], &sx, &sy);
      d = (sx - x) * (sx - x) + (sy - y) * (sy - y);
      if (d < best)
        {
          best = d;
          found = (int) i;
        }
    }
  return found;
}

/* ---- drawing ----------------------------------------------------------- */

/* The cloud for the current view: the songs counted into device pixels,
 * 2 x 2 a song (3 x 3 on HiDPI), shaded in the theme's first colour
 * (ts-density.c). */
static GdkTexture *
render_cloud (TsEmbeddingMap *self,
              int             width,
              int             height,
              int             scale_factor)
{
  double scale = base_scale (self, width, height) * self->zoom * scale_factor;
  TsDensityView view = { width * scale_factor, height * scale_factor, 0, 0, scale,
                         scale_factor > 1 ? 3 : 2 };
  gsize n_pixels = (gsize) view.width * view.height;
  guint32 *pixels;
  g_autoptr(GBytes) bytes = NULL;

  view.x_origin = view.width / 2.0 - self->cx * scale - view.dot / 2;
  view.y_origin = view.height / 2.0 + self->cy * scale - view.dot / 2;
  pixels = ts_density_render (self->xy, self->n, &view, ts_palette_qualitative (self->theme, 0));
  /* GDK_MEMORY_DEFAULT is Cairo's ARGB32 in native order. */
  bytes = g_bytes_new_take (pixels, n_pixels * 4);
  return gdk_memory_texture_new (view.width, view.height, GDK_MEMORY_DEFAULT, bytes,
                                 view.width * 4);
}

/* Whether the cloud was drawn for this size and theme, at any zoom or
 * centre: then it can stand in, transformed, for the view's. */
static gboolean
cloud_fits_size (TsEmbeddingMap *self,
                 int             width,
                 int             height)
{
  return self->cloud != NULL && self->cloud_w == width && self->cloud_h == height &&
         self->cloud_scale == gtk_widget_get_scale_factor (GTK_WIDGET (self)) &&
         self->cloud_theme == self->theme;
}

/* Appends the cloud drawn for an earlier centre and zoom where the
 * current view puts it (view_moved schedules its recount). */
static void
append_stale_cloud (TsEmbeddingMap *self,
                    GtkSnapshot    *snapshot,
                    int             width,
                    int             height)
{
  double ratio = self->zoom / self->cloud_zoom;
  double scale = base_scale (self, width, height) * self->zoom;
  double x = width / 2.0 * (1 - ratio) + (self->cloud_cx - self->cx) * scale;
  double y = height / 2.0 * (1 - ratio) - (self->cloud_cy - self->cy) * scale;

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_append_texture (snapshot, self->cloud,
                               &GRAPHENE_RECT_INIT (x, y, width * ratio, height * ratio));
  gtk_snapshot_pop (snapshot);
}

static void
ensure_cloud (TsEmbeddingMap *self,
              int             width,
              int             height)
{
  int scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  gint64 start;

  if (self->cloud != NULL && self->cloud_w == width && self->cloud_h == height &&
      self->cloud_scale == scale_factor && self->cloud_cx == self->cx &&
      self->cloud_cy == self->cy && self->cloud_zoom == self->zoom && self->cloud_theme == self->theme)
    return;
  start = g_get_monotonic_time ();
  g_clear_object (&self->cloud);
  self->cloud = render_cloud (self, width, height, scale_factor);
  g_debug ("%u dots drawn at %d x %d in %.1f ms", self->n, width * scale_factor,
           height * scale_factor, (g_get_monotonic_time () - start) / 1000.0);
  self->cloud_w = width;
  self->cloud_h = height;
  self->cloud_scale = scale_factor;
  self->cloud_cx = self->cx;
  self->cloud_cy = self->cy;
  self->cloud_zoom = self->zoom;
  self->cloud_theme = self->theme;
}

static void
set_source (cairo_t *cr,
            TsRgba   color)
{
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha);
}

static void
draw_marker (cairo_t *cr,
             double   x,
             double   y,
             double   radius,
             TsRgba   fill,
             TsRgba   ring)
{
  cairo_new_path (cr);
  cairo_arc (cr, x, y, radius, 0, 2 * G_PI);
  set_source (cr, fill);
  cairo_fill_preserve (cr);
  set_source (cr, ring);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
}

static void
draw_text (TsEmbeddingMap *self,
           cairo_t        *cr,
           const char     *text,
           double          x,
           double          y,
           gboolean        from_bottom)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  TsRgba background = ts_palette_role (self->theme, TS_COLOR_BACKGROUND);
  int tw, th;

  pango_layout_set_width (layout, (gtk_widget_get_width (GTK_WIDGET (self)) - 2 * (int) x) * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_get_pixel_size (layout, &tw, &th);
  if (from_bottom)
    y -= th;
  /* A plate under the text, so that it reads over dense dots. */
  background.alpha = 0.8;
  set_source (cr, background);
  cairo_rectangle (cr, x - 4, y - 2, tw + 8, th + 4);
  cairo_fill (cr);
  set_source (cr, ts_palette_role (self->theme, TS_COLOR_FOREGROUND));
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

/* What the markers mean, bottom left, in their own colours. */
static void
draw_key (TsEmbeddingMap *self,
          cairo_t        *cr,
          double          height)
{
  TsRgba background = ts_palette_role (self->theme, TS_COLOR_BACKGROUND);
  TsRgba foreground = ts_palette_role (self->theme, TS_COLOR_FOREGROUND);
  struct { gboolean shown; const char *label; TsRgba color; double radius; } keys[] = {
    { self->query_row >= 0, _("the query"), ts_palette_qualitative (self->theme, 2), QUERY_R },
    { self->results->len > 0, _("similar songs"), ts_palette_qualitative (self->theme, 1), RESULT_R },
  };
  double x = 12;

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      g_autoptr(PangoLayout) layout = NULL;
      int tw, th;

      if (!keys[k].shown)
        continue;
      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), keys[k].label);
      pango_layout_get_pixel_size (layout, &tw, &th);
      background.alpha = 0.8;
      set_source (cr, background);
      cairo_rectangle (cr, x - 4, height - 10 - th, 2 * QUERY_R + 6 + tw + 8, th + 4);
      cairo_fill (cr);
      draw_marker (cr, x + QUERY_R, height - 8 - th / 2.0, keys[k].radius, keys[k].color,
                   ts_palette_role (self->theme, TS_COLOR_BACKGROUND));
      set_source (cr, foreground);
      cairo_move_to (cr, x + 2 * QUERY_R + 6, height - 8 - th);
      pango_cairo_show_layout (cr, layout);
      x += 2 * QUERY_R + 6 + tw + 20;
    }
}

static void
ts_embedding_map_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  TsEmbeddingMap *self = TS_EMBEDDING_MAP (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  double scale = view_scale (self);
  TsRgba background = ts_palette_role (self->theme, TS_COLOR_BACKGROUND);
  TsRgba result_color = ts_palette_qualitative (self->theme, 1);
  TsRgba query_color = ts_palette_qualitative (self->theme, 2);
  g_autofree char *legend = NULL;
  cairo_t *cr;


  if (width <= 0 || height <= 0)
    return;
  if (self->n > 0 && cloud_fits_size (self, width, height) &&
      (self->cloud_cx != self->cx || self->cloud_cy != self->cy || self->cloud_zoom != self->zoom))
    append_stale_cloud (self, snapshot, width, height);
  else if (self->n > 0)
    {
      ensure_cloud (self, width, height);
      gtk_snapshot_append_texture (snapshot, self->cloud, &GRAPHENE_RECT_INIT (0, 0, width, height));
    }
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->n == 0)
    {
      draw_text (self, cr, self->description, 12, 12, FALSE);
      cairo_destroy (cr);
      return;
    }
  for (guint i = 0; i < self->results->len; i++)
    {
      guint32 row = g_array_index (self->results, guint32, i);
      double sx, sy;

      to_screen (self, scale, width, height, self->xy[row * 2], self->xy[row * 2 + 1], &sx, &sy);
      draw_marker (cr, sx, sy, RESULT_R, result_color, background);
    }
  if (self->query_row >= 0)
    {
      double sx, sy;

      to_screen (self, scale, width, height, self->xy[self->query_row * 2],
                 self->xy[self->query_row * 2 + 1], &sx, &sy);
      draw_marker (cr, sx, sy, QUERY_R, query_color, background);
    }

  /* Translators: the map's caption: a space's name and two percentages */
  legend = g_strdup_printf (_("Space: %s · first two principal components (%.0f%% and %.0f%% of the variance)"),
                            self->title, 100 * self->variance_share[0], 100 * self->variance_share[1]);
  draw_text (self, cr, legend, 12, 8, FALSE);
  draw_key (self, cr, height);
  cairo_destroy (cr);
}

/* ---- theme, tooltips, input -------------------------------------------- */

static void
update_theme (TsEmbeddingMap *self)
{
  self->theme = adw_style_manager_get_dark (adw_style_manager_get_default ()) ? TS_THEME_DARK
                                                                              : TS_THEME_LIGHT;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_dark_changed_cb (TsEmbeddingMap *self)
{
  update_theme (self);
}

static gboolean
on_query_tooltip_cb (GtkWidget  *widget,
                     int         x,
                     int         y,
                     gboolean    keyboard_mode,
                     GtkTooltip *tooltip,
                     gpointer    user_data)
{
  TsEmbeddingMap *self = TS_EMBEDDING_MAP (widget);
  g_autofree char *artists = NULL, *text = NULL;
  int row;
  guint32 date;

  if (keyboard_mode || self->n == 0 || (row = ts_embedding_map_pick (self, x, y)) < 0)
    return FALSE;
  artists = ts_dataset_dup_artists_label (self->dataset, row);
  date = ts_dataset_get_release_date (self->dataset, row);
  /* Translators: a song under the pointer: title, artists, year */
  text = g_strdup_printf (_("%s\n%s · %u"), ts_dataset_get_name (self->dataset, row),
                          artists != NULL ? artists : "", date / 10000);
  gtk_tooltip_set_text (tooltip, text);
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { x - 2, y - 2, 4, 4 });
  return TRUE;
}

static void
on_motion_cb (GtkEventControllerMotion *controller,
              double                    x,
              double                    y,
              TsEmbeddingMap           *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

/* Zooms about the pointer (the centre when it is outside). */
static gboolean
on_scroll_cb (GtkEventControllerScroll *controller,
              double                    dx,
              double                    dy,
              TsEmbeddingMap           *self)
{
  double x = self->pointer_x, y = self->pointer_y;

  if (x < 0 || y < 0)
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  zoom_about (self, pow (ZOOM_STEP, -dy), x, y);
  return TRUE;
}

static void
on_leave_cb (GtkEventControllerMotion *controller,
             TsEmbeddingMap           *self)
{
  self->pointer_x = self->pointer_y = -1;
}

static void
on_drag_begin_cb (GtkGestureDrag *gesture,
                  double          x,
                  double          y,
                  TsEmbeddingMap *self)
{
  self->drag_cx = self->cx;
  self->drag_cy = self->cy;
  /* A click on the map is where the keyboard's zoom should go. */
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
on_drag_update_cb (GtkGestureDrag *gesture,
                   double          dx,
                   double          dy,
                   TsEmbeddingMap *self)
{
  double scale = view_scale (self);

  if (scale <= 0)
    return;
  self->cx = self->drag_cx - dx / scale;
  self->cy = self->drag_cy + dy / scale;
  view_moved (self);
}

static void
on_pinch_begin_cb (GtkGesture       *gesture,
                   GdkEventSequence *sequence,
                   TsEmbeddingMap   *self)
{
  self->pinch_zoom = self->zoom;
}

static void
on_pinch_changed_cb (GtkGestureZoom *gesture,
                     double          scale,
                     TsEmbeddingMap *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  zoom_about (self, self->pinch_zoom * scale / self->zoom, x, y);
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   TsEmbeddingMap        *self)
{
  double x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

  switch (keyval)
    {
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      zoom_about (self, ZOOM_STEP, x, y);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      zoom_about (self, 1 / ZOOM_STEP, x, y);
      return TRUE;
    case GDK_KEY_0:
    case GDK_KEY_KP_0:
      ts_embedding_map_reset_view (self);
      return TRUE;
    default:
      return FALSE;
    }
}

/* ---- the class --------------------------------------------------------- */

static void
ts_embedding_map_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 720 : 480;
}

static void
ts_embedding_map_dispose (GObject *object)
{
  TsEmbeddingMap *self = TS_EMBEDDING_MAP (object);

  g_clear_handle_id (&self->redraw_id, g_source_remove);
  g_clear_pointer (&self->space, ts_space_unref);
  g_clear_object (&self->dataset);
  g_clear_object (&self->cloud);

  G_OBJECT_CLASS (ts_embedding_map_parent_class)->dispose (object);
}

static void
ts_embedding_map_finalize (GObject *object)
{
  TsEmbeddingMap *self = TS_EMBEDDING_MAP (object);

  g_free (self->xy);
  g_free (self->title);
  g_free (self->placeholder);
  g_free (self->query_label);
  g_free (self->description);
  g_array_unref (self->results);

  G_OBJECT_CLASS (ts_embedding_map_parent_class)->finalize (object);
}

static void
ts_embedding_map_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TsEmbeddingMap *self = TS_EMBEDDING_MAP (object);

  switch (prop_id)
    {
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ts_embedding_map_class_init (TsEmbeddingMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ts_embedding_map_dispose;
  object_class->finalize = ts_embedding_map_finalize;
  object_class->get_property = ts_embedding_map_get_property;
  widget_class->measure = ts_embedding_map_measure;
  widget_class->snapshot = ts_embedding_map_snapshot;

  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "embeddingmap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ts_embedding_map_init (TsEmbeddingMap *self)
{
  GtkEventController *scroll, *key, *motion;
  GtkGesture *drag, *pinch;

  self->results = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->query_row = -1;
  self->zoom = 1;
  self->title = g_strdup ("");
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip_cb), NULL);

  self->pointer_x = self->pointer_y = -1;
  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  pinch = gtk_gesture_zoom_new ();
  g_signal_connect (pinch, "begin", G_CALLBACK (on_pinch_begin_cb), self);
  g_signal_connect (pinch, "scale-changed", G_CALLBACK (on_pinch_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (pinch));
  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed_cb), self, G_CONNECT_SWAPPED);
  update_theme (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Embedding map"),
                                  -1);
  update_description (self);
}

GtkWidget *
ts_embedding_map_new (void)
{
  return g_object_new (TS_TYPE_EMBEDDING_MAP, NULL);
}
