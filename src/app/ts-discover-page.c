/* ts-discover-page.c: the Discover page (songs like a song or an artist)
 *
 * A search picks a song or an artist; the query runs in a worker
 * (ts_similar_query_async) in the chosen space and metric. The learnt
 * spaces need a model: it is loaded or trained, then every song embedded,
 * in a worker too, once per dataset. Results go to a GListStore shown by a
 * GtkListView, whose rows fetch their covers through the art cache and
 * cancel that fetch when recycled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-discover-page"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ts-application.h"
#include "ts-discover-page.h"
#include "ts-embedding-map.h"
#include "ts-feature-label.h"

#define N_SUGGESTIONS  8
#define RESULT_LIMIT   100
#define COVER_SIZE     64
#define COVER_FETCH    300
/* The match bar runs from 1 (the nearest result) down to this (the furthest). */
#define MATCH_FLOOR    0.3

typedef enum
{
  SPACE_BASE,
  SPACE_PREDICTOR,
  SPACE_AUTOENCODER,
  N_SPACES
} SpaceKind;

/* ---- one result ------------------------------------------------------- */

#define TS_TYPE_DISCOVER_ITEM (ts_discover_item_get_type ())
G_DECLARE_FINAL_TYPE (TsDiscoverItem, ts_discover_item, TS, DISCOVER_ITEM, GObject)

struct _TsDiscoverItem
{
  GObject          parent_instance;

  TsSimilarResult  result;
  char            *id;
  char            *title;
  char            *artists;
  int              year;
  double           match;   /* 0…1 for the bar */
  GdkTexture      *cover;   /* once loaded */
  gboolean         cover_failed;
};

G_DEFINE_FINAL_TYPE (TsDiscoverItem, ts_discover_item, G_TYPE_OBJECT)

static void
ts_discover_item_finalize (GObject *object)
{
  TsDiscoverItem *self = TS_DISCOVER_ITEM (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->artists);
  g_clear_object (&self->cover);

  G_OBJECT_CLASS (ts_discover_item_parent_class)->finalize (object);
}

static void
ts_discover_item_class_init (TsDiscoverItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ts_discover_item_finalize;
}

static void
ts_discover_item_init (TsDiscoverItem *self)
{
}

static TsDiscoverItem *
ts_discover_item_new (TsDataset             *dataset,
                      const TsSimilarResult *result,
                      double                 match)
{
  TsDiscoverItem *self = g_object_new (TS_TYPE_DISCOVER_ITEM, NULL);

  g_assert (TS_IS_DATASET (dataset));
  g_assert (result != NULL);

  self->result = *result;
  self->id = g_strdup (ts_dataset_get_id (dataset, result->row));
  self->title = g_strdup (ts_dataset_get_name (dataset, result->row));
  self->artists = ts_dataset_dup_artists_label (dataset, result->row);
  self->year = (int) (ts_dataset_get_release_date (dataset, result->row) / 10000);
  self->match = match;
  return self;
}

/* ---- the page --------------------------------------------------------- */

struct _TsDiscoverPage
{
  GtkWidget        parent_instance;

  TsDataset       *dataset;
  GCancellable    *cancellable;       /* the query under way */
  GCancellable    *space_cancellable; /* model preparation, per dataset */
  TsSpace         *spaces[N_SPACES];
  gboolean         preparing[N_SPACES];
  GListStore      *results;
  TsArtCache      *art_cache;
  TsSpotify       *spotify;

  /* The query: a song row or an artist. */
  gboolean         has_query;
  TsQueryKind      query_kind;
  guint            query_row;
  guint32          query_artist;
  char            *query_label;
  char            *chosen_text;   /* the entry's text from a choice, not typed */

  AdwToastOverlay *toast_overlay;
  GtkSearchEntry  *search_entry;
  GtkRevealer     *suggestions_revealer;
  GtkListBox      *suggestions_list;
  GtkDropDown     *space_dropdown;
  GtkDropDown     *metric_dropdown;
  GtkSpinner      *spinner;
  GtkLabel        *status_label;
  GtkStack        *content_stack;
  GtkListView     *results_view;

  /* The map: the same space, the last results' rows. */
  GtkToggleButton *map_button;
  TsEmbeddingMap  *embedding_map;
  GArray          *map_rows;
};

G_DEFINE_FINAL_TYPE (TsDiscoverPage, ts_discover_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DATASET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void ts_discover_page_run_query (TsDiscoverPage *self);

static void
show_error (TsDiscoverPage *self,
            const char     *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
set_busy (TsDiscoverPage *self,
          const char     *status)
{
  gboolean busy = status != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_label_set_text (self->status_label, busy ? status : "");
}

/* ---- covers ----------------------------------------------------------- */

typedef struct
{
  GtkWidget      *row;    /* weak */
  TsDiscoverItem *item;
} CoverLoad;

static void
cover_load_free (CoverLoad *load)
{
  g_clear_weak_pointer (&load->row);
  g_clear_object (&load->item);
  g_free (load);
}

static GdkTexture *
texture_from_file (const char  *path,
                   GError     **error)
{
  g_autoptr(TsImage) image = ts_image_load_file (path, COVER_FETCH, error);

  if (image == NULL)
    return NULL;
  return gdk_memory_texture_new ((int) ts_image_get_width (image),
                                 (int) ts_image_get_height (image),
                                 ts_image_get_has_alpha (image) ? GDK_MEMORY_R8G8B8A8
                                                                : GDK_MEMORY_R8G8B8,
                                 ts_image_get_pixels (image),
                                 ts_image_get_stride (image));
}

static void
row_show_cover (GtkWidget      *row,
                TsDiscoverItem *item)
{
  GtkPicture *picture = g_object_get_data (G_OBJECT (row), "ts-cover");
  GtkWidget *placeholder = g_object_get_data (G_OBJECT (row), "ts-placeholder");
  GtkWidget *credit = g_object_get_data (G_OBJECT (row), "ts-credit");

  g_assert (GTK_IS_PICTURE (picture));

  gtk_picture_set_paintable (picture, item != NULL ? GDK_PAINTABLE (item->cover) : NULL);
  gtk_widget_set_visible (GTK_WIDGET (picture), item != NULL && item->cover != NULL);
  gtk_widget_set_visible (placeholder, item == NULL || item->cover == NULL);
  gtk_widget_set_visible (credit, item != NULL && item->cover != NULL);
}

static void
on_cover_fetched_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CoverLoad *load = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsArtResult) art = ts_art_cache_fetch_finish (result, &error);

  /* Failures only leave the placeholder: a toast per row would drown the
   * page when offline. */
  if (art == NULL || art->path == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          load->item->cover_failed = TRUE;
          if (error != NULL)
            g_debug ("No cover for %s: %s", load->item->id, error->message);
        }
      cover_load_free (load);
      return;
    }

  load->item->cover = texture_from_file (art->path, &error);
  if (load->item->cover == NULL)
    {
      load->item->cover_failed = TRUE;
      g_debug ("Cannot decode the cover of %s: %s", load->item->id, error->message);
    }
  else if (load->row != NULL &&
           g_object_get_data (G_OBJECT (load->row), "ts-item") == load->item)
    row_show_cover (load->row, load->item);
  cover_load_free (load);
}

static void
row_load_cover (TsDiscoverPage *self,
                GtkWidget      *row,
                TsDiscoverItem *item)
{
  g_autoptr(GCancellable) cancellable = NULL;
  CoverLoad *load;

  if (item->cover != NULL || item->cover_failed || !ts_spotify_is_track_id (item->id))
    return;
  if (self->art_cache == NULL)
    {
      self->art_cache = ts_art_cache_new (NULL);
      self->spotify = ts_spotify_new ();
    }

  cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (row), "ts-cancellable", g_object_ref (cancellable),
                          g_object_unref);
  load = g_new0 (CoverLoad, 1);
  g_set_weak_pointer (&load->row, row);
  load->item = g_object_ref (item);
  ts_art_cache_fetch_async (self->art_cache, self->spotify, TS_ART_SOURCE_OEMBED, item->id,
                            COVER_FETCH, cancellable, on_cover_fetched_cb, load);
}

/* ---- rows ------------------------------------------------------------- */

static char *
format_feature_value (TsFeature feature,
                      double    value)
{
  switch (feature)
    {
    case TS_FEATURE_YEAR:
    case TS_FEATURE_POPULARITY:
      return g_strdup_printf ("%.0f", value);
    case TS_FEATURE_DURATION_MS:
      {
        int seconds = (int) lround (value / 1000.0);
        return g_strdup_printf ("%d:%02d", seconds / 60, seconds % 60);
      }
    case TS_FEATURE_LOUDNESS:
      return g_strdup_printf (_("%.1f dB"), value);
    case TS_FEATURE_TEMPO:
      return g_strdup_printf (_("%.0f BPM"), value);
    case TS_FEATURE_KEY:
      return g_strdup_printf ("%.0f", value);
    default:
      return g_strdup_printf ("%.2f", value);
    }
}

static char *
format_delta (const TsFeatureDelta *delta)
{
  g_autofree char *query = format_feature_value (delta->feature, delta->query_value);
  g_autofree char *result = format_feature_value (delta->feature, delta->result_value);

  /* Translators: a feature, this song's value and the searched song's */
  return g_strdup_printf (_("%s: %s (yours %s)"), ts_feature_get_label (delta->feature),
                          result, query);
}

static GtkWidget *
why_popover_new (GtkWidget *row)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

  for (guint side = 0; side < 2; side++)
    {
      GtkWidget *heading = gtk_label_new (side == 0 ? _("Closest features")
                                                    : _("Most different features"));

      gtk_widget_add_css_class (heading, "heading");
      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      if (side == 1)
        gtk_widget_set_margin_top (heading, 8);
      gtk_box_append (GTK_BOX (box), heading);
      for (guint i = 0; i < TS_EXPLAIN_N; i++)
        {
          GtkWidget *label = gtk_label_new (NULL);
          g_autofree char *key = g_strdup_printf ("ts-why-%u-%u", side, i);

          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_box_append (GTK_BOX (box), label);
          g_object_set_data (G_OBJECT (row), g_intern_string (key), label);
        }
    }
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  return popover;
}

static GtkWidget *
label_new (const char *css_class,
           gboolean    ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (ellipsize)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
cover_box_new (GtkWidget *row)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *frame = gtk_overlay_new ();
  GtkWidget *placeholder = gtk_image_new_from_icon_name ("audio-x-generic-symbolic");
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *credit = label_new ("caption", FALSE);

  gtk_widget_set_size_request (frame, COVER_SIZE, COVER_SIZE);
  gtk_image_set_pixel_size (GTK_IMAGE (placeholder), COVER_SIZE / 2);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_overlay_set_child (GTK_OVERLAY (frame), placeholder);
  /* Whole covers, letterboxed if not square: never cropped. */
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_overlay_add_overlay (GTK_OVERLAY (frame), picture);
  gtk_label_set_text (GTK_LABEL (credit), "Spotify");
  gtk_label_set_xalign (GTK_LABEL (credit), 0.5);
  gtk_widget_add_css_class (credit, "dim-label");
  gtk_widget_set_tooltip_text (credit, _("Cover from Spotify"));
  gtk_box_append (GTK_BOX (box), frame);
  gtk_box_append (GTK_BOX (box), credit);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);

  g_object_set_data (G_OBJECT (row), "ts-cover", picture);
  g_object_set_data (G_OBJECT (row), "ts-placeholder", placeholder);
  g_object_set_data (G_OBJECT (row), "ts-credit", credit);
  return box;
}

static void
on_open_clicked_cb (GtkButton *button,
                    gpointer   user_data)
{
  GtkWidget *row = gtk_widget_get_parent (GTK_WIDGET (button));
  TsDiscoverItem *item = g_object_get_data (G_OBJECT (row), "ts-item");
  g_autofree char *uri = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));

  if (item == NULL)
    return;
  uri = g_strconcat ("https://open.spotify.com/track/", item->id, NULL);
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              TsDiscoverPage           *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *title = label_new ("heading", TRUE);
  GtkWidget *artists = label_new (NULL, TRUE);
  GtkWidget *year = label_new ("dim-label", FALSE);
  GtkWidget *bar = gtk_level_bar_new_for_interval (0, 1);
  GtkWidget *why = gtk_menu_button_new ();
  GtkWidget *open = gtk_button_new_from_icon_name ("web-browser-symbolic");

  gtk_widget_set_margin_start (row, 12);
  gtk_widget_set_margin_end (row, 12);
  gtk_widget_set_margin_top (row, 6);
  gtk_widget_set_margin_bottom (row, 6);
  gtk_box_append (GTK_BOX (row), cover_box_new (row));

  gtk_accessible_update_property (GTK_ACCESSIBLE (title), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Song title"), -1);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), artists);
  gtk_widget_set_size_request (bar, 60, -1);
  gtk_widget_set_hexpand (bar, TRUE);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_level_bar_set_mode (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_MODE_CONTINUOUS);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Match"), -1);
  gtk_box_append (GTK_BOX (line), year);
  gtk_box_append (GTK_BOX (line), bar);
  gtk_box_append (GTK_BOX (text), line);
  gtk_box_append (GTK_BOX (row), text);

  gtk_menu_button_set_label (GTK_MENU_BUTTON (why), _("Why?"));
  gtk_widget_set_tooltip_text (why, _("Why this song is similar"));
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (why), why_popover_new (row));
  gtk_widget_set_valign (why, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (row), why);

  gtk_widget_set_tooltip_text (open, _("Open in Spotify"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (open), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Open in Spotify"), -1);
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (open, "flat");
  g_signal_connect (open, "clicked", G_CALLBACK (on_open_clicked_cb), NULL);
  gtk_box_append (GTK_BOX (row), open);

  g_object_set_data (G_OBJECT (row), "ts-title", title);
  g_object_set_data (G_OBJECT (row), "ts-artists", artists);
  g_object_set_data (G_OBJECT (row), "ts-year", year);
  g_object_set_data (G_OBJECT (row), "ts-bar", bar);
  gtk_list_item_set_child (list_item, row);
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
bind_why (GtkWidget      *row,
          TsDiscoverItem *item)
{
  for (guint side = 0; side < 2; side++)
    for (guint i = 0; i < TS_EXPLAIN_N; i++)
      {
        g_autofree char *key = g_strdup_printf ("ts-why-%u-%u", side, i);
        GtkLabel *label = g_object_get_data (G_OBJECT (row), key);
        const TsFeatureDelta *delta = side == 0 ? &item->result.close[i]
                                                : &item->result.differ[i];
        g_autofree char *text = format_delta (delta);

        gtk_label_set_text (label, text);
      }
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             TsDiscoverPage           *self)
{
  GtkWidget *row = gtk_list_item_get_child (list_item);
  TsDiscoverItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *year = item->year > 0 ? g_strdup_printf ("%d", item->year) : g_strdup ("");
  g_autofree char *distance = g_strdup_printf (_("Distance %.3f"), item->result.distance);
  GtkWidget *bar = g_object_get_data (G_OBJECT (row), "ts-bar");

  g_object_set_data (G_OBJECT (row), "ts-item", item);
  gtk_label_set_text (g_object_get_data (G_OBJECT (row), "ts-title"), item->title);
  gtk_label_set_text (g_object_get_data (G_OBJECT (row), "ts-artists"), item->artists);
  gtk_label_set_text (g_object_get_data (G_OBJECT (row), "ts-year"), year);
  gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), item->match);
  gtk_widget_set_tooltip_text (bar, distance);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  distance, -1);
  bind_why (row, item);
  row_show_cover (row, item);
  row_load_cover (self, row, item);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               TsDiscoverPage           *self)
{
  GtkWidget *row = gtk_list_item_get_child (list_item);
  GCancellable *cancellable = g_object_get_data (G_OBJECT (row), "ts-cancellable");

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  g_object_set_data (G_OBJECT (row), "ts-cancellable", NULL);
  g_object_set_data (G_OBJECT (row), "ts-item", NULL);
  row_show_cover (row, NULL);
}

/* ---- the query -------------------------------------------------------- */

static void
fill_results (TsDiscoverPage *self,
              GArray         *found)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  double lo = 0, hi = 0;

  if (found->len > 0)
    {
      lo = g_array_index (found, TsSimilarResult, 0).distance;
      hi = g_array_index (found, TsSimilarResult, found->len - 1).distance;
    }
  for (guint i = 0; i < found->len; i++)
    {
      const TsSimilarResult *result = &g_array_index (found, TsSimilarResult, i);
      double match = hi > lo ? 1 - (1 - MATCH_FLOOR) * (result->distance - lo) / (hi - lo) : 1;

      g_ptr_array_add (items, ts_discover_item_new (self->dataset, result, match));
    }
  g_list_store_splice (self->results, 0, g_list_model_get_n_items (G_LIST_MODEL (self->results)),
                       items->pdata, items->len);
  gtk_stack_set_visible_child_name (self->content_stack, "results");
}

/* ---- the map ----------------------------------------------------------- */

/* Shows the chosen space's songs with the last results; without a
 * prepared space (a learnt one before any search), says why. */
static void
show_map (TsDiscoverPage *self)
{
  static const char *titles[N_SPACES] = { N_("audio features"), N_("predictor"), N_("autoencoder") };
  SpaceKind kind = (SpaceKind) gtk_drop_down_get_selected (self->space_dropdown);
  g_autoptr(GError) error = NULL;

  if (self->dataset == NULL || kind >= N_SPACES)
    return;
  if (kind == SPACE_BASE && self->spaces[kind] == NULL)
    self->spaces[kind] = ts_space_new_base (self->dataset);
  ts_embedding_map_set_placeholder (self->embedding_map,
                                    _("Search for a song to prepare this space, then its map shows here"));
  if (!ts_embedding_map_set_space (self->embedding_map, self->dataset, self->spaces[kind],
                                   _(titles[kind]), &error))
    show_error (self, error->message);
  ts_embedding_map_set_highlight (self->embedding_map,
                                  self->has_query && self->query_kind == TS_QUERY_SONG ? (int) self->query_row : -1,
                                  self->has_query ? self->query_label : NULL,
                                  (const guint32 *) self->map_rows->data, self->map_rows->len);
  gtk_stack_set_visible_child_name (self->content_stack, "map");
}

/* Keeps @found's rows (NULL: none) for the map, and redraws it if shown. */
static void
update_map (TsDiscoverPage *self,
            GArray         *found)
{
  g_array_set_size (self->map_rows, 0);
  for (guint i = 0; found != NULL && i < found->len; i++)
    g_array_append_val (self->map_rows, g_array_index (found, TsSimilarResult, i).row);
  if (gtk_toggle_button_get_active (self->map_button))
    show_map (self);
}

static void
on_view_toggled_cb (TsDiscoverPage *self)
{
  if (gtk_toggle_button_get_active (self->map_button))
    show_map (self);
  else
    gtk_stack_set_visible_child_name (self->content_stack,
                                      g_list_model_get_n_items (G_LIST_MODEL (self->results)) > 0
                                        ? "results" : "empty");
}

typedef struct
{
  TsDiscoverPage *page;
  TsSimilar      *similar;
} QueryJob;

static void
on_query_ready_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  QueryJob *job = user_data;
  g_autoptr(TsDiscoverPage) self = job->page;
  g_autoptr(TsSimilar) similar = job->similar;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) found = ts_similar_query_finish (similar, result, NULL, &error);

  g_free (job);

  if (found == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, NULL);
  if (found == NULL)
    {
      show_error (self, error->message);
      return;
    }
  if (self->query_label != NULL)
    {
      g_autofree char *status = g_strdup_printf (_("Songs like %s"), self->query_label);
      gtk_label_set_text (self->status_label, status);
    }
  fill_results (self, found);
  update_map (self, found);
}

typedef struct
{
  TsDataset *dataset;
  SpaceKind  kind;
} SpaceJob;

static void
space_job_free (SpaceJob *job)
{
  g_clear_object (&job->dataset);
  g_free (job);
}

static void
space_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SpaceJob *job = task_data;
  TsModelKind kind = job->kind == SPACE_PREDICTOR ? TS_MODEL_PREDICTOR : TS_MODEL_AUTOENCODER;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsModel) model = ts_model_ensure (job->dataset, kind, NULL, cancellable, &error);
  float *embedding = NULL;
  int dim = 0;

  if (model == NULL ||
      (embedding = ts_model_embed (model, job->dataset, &dim, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task,
                         ts_space_new (ts_model_kind_get_name (kind),
                                       ts_dataset_get_n_rows (job->dataset), (guint) dim,
                                       embedding),
                         (GDestroyNotify) ts_space_unref);
}

static void
on_space_ready_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TsDiscoverPage *self = TS_DISCOVER_PAGE (source);
  SpaceJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  TsSpace *space = g_task_propagate_pointer (G_TASK (result), &error);

  if (space == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (job->dataset != self->dataset)
    {
      g_clear_pointer (&space, ts_space_unref);
      return;
    }
  self->preparing[job->kind] = FALSE;
  set_busy (self, NULL);
  if (space == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot prepare the space: %s"),
                                                  error->message);
      show_error (self, message);
      return;
    }
  self->spaces[job->kind] = space;
  ts_discover_page_run_query (self);
}

static void
prepare_space (TsDiscoverPage *self,
               SpaceKind       kind)
{
  g_autoptr(GTask) task = NULL;
  SpaceJob *job;

  g_assert (kind != SPACE_BASE);

  if (self->preparing[kind])
    return;
  self->preparing[kind] = TRUE;
  set_busy (self, kind == SPACE_PREDICTOR ? _("Preparing the predictor space…")
                                          : _("Preparing the autoencoder space…"));
  job = g_new0 (SpaceJob, 1);
  job->dataset = g_object_ref (self->dataset);
  job->kind = kind;
  task = g_task_new (self, self->space_cancellable, on_space_ready_cb, NULL);
  g_task_set_source_tag (task, prepare_space);
  g_task_set_task_data (task, job, (GDestroyNotify) space_job_free);
  g_task_run_in_thread (task, space_thread);
}

static void
ts_discover_page_run_query (TsDiscoverPage *self)
{
  SpaceKind kind = (SpaceKind) gtk_drop_down_get_selected (self->space_dropdown);
  TsMetric metric = (TsMetric) gtk_drop_down_get_selected (self->metric_dropdown);
  TsSimilarQuery query = { 0 };
  QueryJob *job;

  g_assert (TS_IS_DISCOVER_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->dataset == NULL || !self->has_query || kind >= N_SPACES || metric >= TS_N_METRICS)
    return;
  if (self->spaces[kind] == NULL)
    {
      if (kind == SPACE_BASE)
        self->spaces[kind] = ts_space_new_base (self->dataset);
      else
        {
          prepare_space (self, kind);
          return;
        }
    }

  self->cancellable = g_cancellable_new ();
  job = g_new0 (QueryJob, 1);
  job->page = g_object_ref (self);
  job->similar = ts_similar_new (self->dataset, self->spaces[kind], metric);
  query.kind = self->query_kind;
  query.row = self->query_row;
  query.artist = self->query_artist;
  query.limit = RESULT_LIMIT;
  set_busy (self, _("Searching…"));
  ts_similar_query_async (job->similar, &query, self->cancellable, on_query_ready_cb, job);
}

static void
on_option_changed_cb (TsDiscoverPage *self)
{
  if (!self->has_query)
    update_map (self, NULL);
  ts_discover_page_run_query (self);
}

/* ---- the search ------------------------------------------------------- */

static void
clear_suggestions (TsDiscoverPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->suggestions_list))) != NULL)
    gtk_list_box_remove (self->suggestions_list, child);
  gtk_revealer_set_reveal_child (self->suggestions_revealer, FALSE);
}

static void
add_suggestion (TsDiscoverPage    *self,
                const TsSearchHit *hit)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = label_new (NULL, TRUE);
  GtkWidget *subtitle = label_new ("dim-label", TRUE);
  g_autofree char *detail = NULL;
  guint row_index = 0;

  if (hit->kind == TS_SEARCH_HIT_SONG)
    {
      const guint32 *rows = NULL;
      g_autofree char *artists = NULL;

      if (ts_dataset_get_group_rows (self->dataset, hit->index, &rows) == 0)
        return;
      row_index = rows[0];
      artists = ts_dataset_dup_artists_label (self->dataset, row_index);
      gtk_label_set_text (GTK_LABEL (title), ts_dataset_get_name (self->dataset, row_index));
      /* Translators: a song in the suggestions, by its artists */
      detail = g_strdup_printf (_("Song · %s"), artists);
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (title), ts_dataset_get_artist_name (self->dataset,
                                                                         hit->index));
      detail = g_strdup (_("Artist"));
    }
  gtk_label_set_text (GTK_LABEL (subtitle), detail);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "ts-kind", GUINT_TO_POINTER (hit->kind));
  g_object_set_data (G_OBJECT (row), "ts-index",
                     GUINT_TO_POINTER (hit->kind == TS_SEARCH_HIT_SONG ? row_index : hit->index));
  gtk_list_box_append (self->suggestions_list, row);
}

static void
on_search_changed_cb (TsDiscoverPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GArray) hits = NULL;

  /* The entry's delayed signals for a text the page set itself (setting
   * it passes through the empty text). */
  if (g_strcmp0 (text, self->chosen_text) == 0)
    return;
  clear_suggestions (self);
  if (self->dataset == NULL || text[0] == '\0')
    return;
  g_clear_pointer (&self->chosen_text, g_free);
  hits = ts_dataset_search (self->dataset, text, N_SUGGESTIONS);
  for (guint i = 0; hits != NULL && i < hits->len; i++)
    add_suggestion (self, &g_array_index (hits, TsSearchHit, i));
  gtk_revealer_set_reveal_child (self->suggestions_revealer, hits != NULL && hits->len > 0);
}

static void
choose_suggestion (TsDiscoverPage *self,
                   GtkListBoxRow  *row)
{
  TsSearchHitKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "ts-kind"));
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "ts-index"));
  const char *name;

  self->has_query = TRUE;
  g_clear_pointer (&self->query_label, g_free);
  if (kind == TS_SEARCH_HIT_SONG)
    {
      g_autofree char *artists = ts_dataset_dup_artists_label (self->dataset, index);

      self->query_kind = TS_QUERY_SONG;
      self->query_row = index;
      name = ts_dataset_get_name (self->dataset, index);
      /* Translators: a song by its artists */
      self->query_label = g_strdup_printf (_("“%s” by %s"), name, artists);
    }
  else
    {
      self->query_kind = TS_QUERY_ARTIST;
      self->query_artist = index;
      name = ts_dataset_get_artist_name (self->dataset, index);
      self->query_label = g_strdup (name);
    }

  g_free (self->chosen_text);
  self->chosen_text = g_strdup (name);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), name) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), name);
  gtk_editable_set_position (GTK_EDITABLE (self->search_entry), -1);
  clear_suggestions (self);
  ts_discover_page_run_query (self);
}

static void
on_suggestion_activated_cb (TsDiscoverPage *self,
                            GtkListBoxRow  *row)
{
  choose_suggestion (self, row);
}

static void
on_search_activate_cb (TsDiscoverPage *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->suggestions_list, 0);

  if (first != NULL)
    choose_suggestion (self, first);
}

static void
on_search_stop_cb (TsDiscoverPage *self)
{
  clear_suggestions (self);
}

/* ---- the dataset ------------------------------------------------------ */

static void
clear_spaces (TsDiscoverPage *self)
{
  for (guint k = 0; k < N_SPACES; k++)
    {
      g_clear_pointer (&self->spaces[k], ts_space_unref);
      self->preparing[k] = FALSE;
    }
}

/* A model was trained again (the Models dialog): spaces built on the old
 * one are stale, and the shown results with them. */
static void
on_models_changed_cb (TsDiscoverPage *self,
                      const char     *kind)
{
  g_cancellable_cancel (self->space_cancellable);
  g_clear_object (&self->space_cancellable);
  self->space_cancellable = g_cancellable_new ();
  clear_spaces (self);
  set_busy (self, NULL);
  ts_discover_page_run_query (self);
}

TsDataset *
ts_discover_page_get_dataset (TsDiscoverPage *self)
{
  g_return_val_if_fail (TS_IS_DISCOVER_PAGE (self), NULL);

  return self->dataset;
}

void
ts_discover_page_set_dataset (TsDiscoverPage *self,
                              TsDataset      *dataset)
{
  g_return_if_fail (TS_IS_DISCOVER_PAGE (self));
  g_return_if_fail (dataset == NULL || TS_IS_DATASET (dataset));

  if (!g_set_object (&self->dataset, dataset))
    return;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->space_cancellable);
  g_clear_object (&self->space_cancellable);
  self->space_cancellable = g_cancellable_new ();
  clear_spaces (self);
  self->has_query = FALSE;
  g_clear_pointer (&self->query_label, g_free);
  g_list_store_remove_all (self->results);
  g_array_set_size (self->map_rows, 0);
  ts_embedding_map_set_space (self->embedding_map, NULL, NULL, NULL, NULL);
  clear_suggestions (self);
  set_busy (self, NULL);
  g_free (self->chosen_text);
  self->chosen_text = g_strdup ("");
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_stack_set_visible_child_name (self->content_stack, "empty");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
}

/* ---- the class -------------------------------------------------------- */

static void
ts_discover_page_dispose (GObject *object)
{
  TsDiscoverPage *self = TS_DISCOVER_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->space_cancellable);
  g_clear_object (&self->space_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TS_TYPE_DISCOVER_PAGE);
  g_clear_object (&self->results);
  g_clear_object (&self->dataset);
  clear_spaces (self);
  g_clear_pointer (&self->art_cache, ts_art_cache_unref);
  g_clear_pointer (&self->spotify, ts_spotify_unref);

  G_OBJECT_CLASS (ts_discover_page_parent_class)->dispose (object);
}

static void
ts_discover_page_finalize (GObject *object)
{
  TsDiscoverPage *self = TS_DISCOVER_PAGE (object);

  g_free (self->query_label);
  g_free (self->chosen_text);
  g_array_unref (self->map_rows);

  G_OBJECT_CLASS (ts_discover_page_parent_class)->finalize (object);
}

static void
ts_discover_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TsDiscoverPage *self = TS_DISCOVER_PAGE (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      g_value_set_object (value, self->dataset);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ts_discover_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TsDiscoverPage *self = TS_DISCOVER_PAGE (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      ts_discover_page_set_dataset (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Ctrl+F: a new search, over the current one's text. */
static gboolean
focus_search_cb (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  TsDiscoverPage *self = TS_DISCOVER_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
  return TRUE;
}

/* Arriving on the page, typing searches. */
static void
ts_discover_page_map (GtkWidget *widget)
{
  TsDiscoverPage *self = TS_DISCOVER_PAGE (widget);

  GTK_WIDGET_CLASS (ts_discover_page_parent_class)->map (widget);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
ts_discover_page_class_init (TsDiscoverPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ts_discover_page_dispose;
  object_class->finalize = ts_discover_page_finalize;
  object_class->get_property = ts_discover_page_get_property;
  object_class->set_property = ts_discover_page_set_property;
  widget_class->map = ts_discover_page_map;

  properties[PROP_DATASET] =
    g_param_spec_object ("dataset", NULL, NULL,
                         TS_TYPE_DATASET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, focus_search_cb, NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ts-discover-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, suggestions_revealer);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, suggestions_list);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, space_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, metric_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, results_view);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_suggestion_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_option_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_view_toggled_cb);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, map_button);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, embedding_map);
}

static void
ts_discover_page_init (TsDiscoverPage *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkNoSelection *selection;

  g_type_ensure (TS_TYPE_EMBEDDING_MAP);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->map_rows = g_array_new (FALSE, FALSE, sizeof (guint32));

  self->results = g_list_store_new (TS_TYPE_DISCOVER_ITEM);
  self->space_cancellable = g_cancellable_new ();
  if (TS_IS_APPLICATION (g_application_get_default ()))
    g_signal_connect_object (g_application_get_default (), "models-changed",
                             G_CALLBACK (on_models_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->results)));
  gtk_list_view_set_model (self->results_view, GTK_SELECTION_MODEL (selection));
  gtk_list_view_set_factory (self->results_view, factory);
  g_object_unref (selection);
  g_object_unref (factory);
}
