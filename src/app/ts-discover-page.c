/* ts-discover-page.c: the Discover page (songs like a song or an artist)
 *
 * A search picks a song or an artist; the query runs in a worker
 * (ts_similar_query_async) in the chosen space and metric. The learnt
 * spaces need a model: it is loaded or trained, then every song embedded,
 * in a worker too, once per dataset (the dataset's TsSpaceCache, which
 * the Playlist page shares). Results go to a TsTrackList.
 *
 * The Steer panel's sliders start at the picked song's features (an
 * artist's mean, or every song's); moving them asks for songs like the
 * pick with those values (TS_QUERY_FEATURES). In a learnt space the
 * query's features go through the space's model first, on this thread
 * (one row: microseconds; the model is not shared with the workers).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-discover-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ts-app-util.h"
#include "ts-discover-page.h"
#include "ts-embedding-map.h"
#include "ts-feature-sliders.h"
#include "ts-space-cache.h"
#include "ts-track-list.h"

#define N_SUGGESTIONS  8
#define RESULT_LIMIT   100

/* The map's titles of the learnt spaces, in the space dropdown's order
 * (the base space has no model: index 0 is unused; ts_space_build ()
 * knows the models). */
static const char *const learnt_space_map_titles[TS_N_SPACE_KINDS] = {
  [TS_SPACE_KIND_PREDICTOR]   = N_("predictor"),
  [TS_SPACE_KIND_AUTOENCODER] = N_("autoencoder"),
  [TS_SPACE_KIND_GENRE]       = N_("genre"),
};

/* ---- the page --------------------------------------------------------- */

struct _TsDiscoverPage
{
  TsPage           parent_instance;

  TsDataset       *dataset;           /* the page's, kept by TsPage */
  GCancellable    *cancellable;       /* the query under way */
  guint            n_artist_songs;  /* the picked artist's, for steered queries */

  /* The query: a song row or an artist. */
  gboolean         has_query;
  TsQueryKind      query_kind;
  guint            query_row;
  guint32          query_artist;
  char            *query_label;
  char            *chosen_text;   /* the entry's text from a choice, not typed */

  GtkSearchEntry  *search_entry;
  GtkRevealer     *suggestions_revealer;
  GtkListBox      *suggestions_list;
  GtkDropDown     *space_dropdown;
  GtkDropDown     *metric_dropdown;
  GtkLabel        *status_label;
  GtkStack        *content_stack;
  TsTrackList     *results_list;

  /* Steering: the sliders, when their panel is open. */
  GtkToggleButton  *steer_button;
  GtkToggleButton  *album_button;   /* shown for files that name albums */
  GtkRevealer      *steer_revealer;
  TsFeatureSliders *feature_sliders;
  GtkLabel         *steer_note;
  GtkLabel         *steer_status;
  GtkButton        *reset_button;

  /* The map: the same space, the last results' rows. */
  GtkToggleButton *map_button;
  TsEmbeddingMap  *embedding_map;
  GArray          *map_rows;
};

G_DEFINE_FINAL_TYPE (TsDiscoverPage, ts_discover_page, TS_TYPE_PAGE)

static void ts_discover_page_run_query (TsDiscoverPage *self);

static void
show_error (TsDiscoverPage *self,
            const char     *message)
{
  ts_page_show_toast (TS_PAGE (self), message, 6);
}

static void
set_busy (TsDiscoverPage *self,
          const char     *status)
{
  ts_page_set_busy (TS_PAGE (self), status);
}

/* The results' status; a long one is cut in the bar, so the Steer panel,
 * where it matters most, shows it whole too, and the tooltip has it. */
static void
set_status (TsDiscoverPage *self,
            const char     *status)
{
  gboolean empty = status == NULL || status[0] == '\0';

  ts_page_set_status (TS_PAGE (self), status);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), empty ? NULL : status);
  gtk_label_set_text (self->steer_status, empty ? "" : status);
  gtk_widget_set_visible (GTK_WIDGET (self->steer_status), !empty);
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

/* ---- the query -------------------------------------------------------- */

static void
fill_results (TsDiscoverPage *self,
              GArray         *found)
{
  ts_track_list_set_results (self->results_list, self->dataset, found);
  gtk_stack_set_visible_child_name (self->content_stack, "results");
}

/* ---- the map ----------------------------------------------------------- */

/* Shows the chosen space's songs with the last results; without a
 * prepared space (a learnt one before any search), says why. */
static void
show_map (TsDiscoverPage *self)
{
  TsSpaceKind kind = (TsSpaceKind) gtk_drop_down_get_selected (self->space_dropdown);
  g_autoptr(GError) error = NULL;

  if (self->dataset == NULL || kind >= TS_N_SPACE_KINDS)
    return;
  ts_embedding_map_set_placeholder (self->embedding_map,
                                    _("Search for a song to prepare this space, then its map shows here"));
  if (!ts_embedding_map_set_space (self->embedding_map, self->dataset,
                                   ts_page_peek_space (TS_PAGE (self), kind),
                                   kind == TS_SPACE_KIND_BASE ? _("audio features")
                                                              : _(learnt_space_map_titles[kind]),
                                   &error))
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
                                      ts_track_list_get_n_items (self->results_list) > 0
                                        ? "results" : "empty");
}

typedef struct
{
  TsDiscoverPage *page;
  TsSimilar      *similar;
  char           *status;   /* the status line for its results */
  gboolean        drop_artist;  /* a steered artist: leave their own songs out */
  guint32         artist;
} QueryJob;

/* Removes the songs of @artist from @found (in place, order kept). */
static void
drop_artist_songs (TsDataset *dataset,
                   GArray    *found,
                   guint32    artist)
{
  guint kept = 0;

  for (guint i = 0; i < found->len; i++)
    {
      const TsSimilarResult *result = &g_array_index (found, TsSimilarResult, i);
      const guint32 *artists = NULL;
      guint n = ts_dataset_get_artists (dataset, result->row, &artists);
      gboolean theirs = FALSE;

      for (guint k = 0; k < n && !theirs; k++)
        theirs = artists[k] == artist;
      if (!theirs)
        g_array_index (found, TsSimilarResult, kept++) = *result;
    }
  g_array_set_size (found, MIN (kept, RESULT_LIMIT));
}

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
  g_autofree char *status = job->status;
  gboolean drop_artist = job->drop_artist;
  guint32 artist = job->artist;

  g_free (job);

  if (found == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, NULL);
  if (found == NULL)
    {
      show_error (self, error->message);
      return;
    }
  if (drop_artist && self->dataset != NULL)
    drop_artist_songs (self->dataset, found, artist);
  set_status (self, status);
  fill_results (self, found);
  update_map (self, found);
}

/* A learnt space is ready: the query waiting for it runs now. */
static void
ts_discover_page_space_ready (TsPage       *page,
                              TsSpaceKind   kind,
                              const GError *error)
{
  TsDiscoverPage *self = TS_DISCOVER_PAGE (page);

  set_busy (self, NULL);
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot prepare the space: %s"),
                                                  error->message);
      show_error (self, message);
      return;
    }
  ts_discover_page_run_query (self);
}

static void
prepare_space (TsDiscoverPage *self,
               TsSpaceKind     kind)
{
  g_assert (kind != TS_SPACE_KIND_BASE);

  set_busy (self, ts_space_kind_get_preparing_message (kind));
  ts_page_prepare_space (TS_PAGE (self), kind);
}

/* Whether the sliders steer the query: their panel is open, one moved. */
static guint
get_steering (TsDiscoverPage *self,
              TsFeature      *features,
              double         *values)
{
  if (self->dataset == NULL || !gtk_toggle_button_get_active (self->steer_button))
    return 0;
  return ts_feature_sliders_get_changes (self->feature_sliders, features, values);
}

/* "Like “Song” by X but faster", "Songs with these features". */
static char *
dup_steered_status (TsDiscoverPage *self)
{
  g_autofree char *changes = ts_feature_sliders_describe_changes (self->feature_sliders);

  if (!self->has_query)
    return g_strdup (_("Songs with these features"));
  /* Translators: songs like a song or artist, but e.g. "with more energy" */
  return g_strdup_printf (_("Like %s but %s"), self->query_label, changes);
}

/* Fills @query with the steered features: from the picked song, or from
 * every slider's value (an artist's mean, or no pick). */
static void
set_features_query (TsDiscoverPage *self,
                    TsSimilarQuery *query,
                    TsFeature      *features,
                    double         *values,
                    guint           n_changed)
{
  query->kind = TS_QUERY_FEATURES;
  query->features = features;
  query->values = values;
  if (self->has_query && self->query_kind == TS_QUERY_SONG)
    {
      query->start_row = (int) self->query_row;
      query->n_features = n_changed;
    }
  else
    {
      query->start_row = -1;
      query->n_features = ts_feature_sliders_get_values (self->feature_sliders, features, values);
    }
}

/* In a learnt space, the query's features through the space's model. */
static float *
embed_features (TsDiscoverPage       *self,
                TsSpaceKind             kind,
                TsSimilar            *similar,
                const TsSimilarQuery *query,
                GError              **error)
{
  TsModel *model = ts_page_peek_model (TS_PAGE (self), kind);
  float vector[TS_N_FEATURES];
  g_autofree float *embedded = NULL;
  int dim = 0;

  if (model == NULL)
    {
      g_set_error_literal (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                           _("This space has no model to place the features in"));
      return NULL;
    }
  ts_similar_features_vector (similar, query->start_row, query->features, query->values,
                              query->n_features, vector);
  embedded = ts_model_embed_scaled (model, vector, 1, &dim, error);
  if (embedded == NULL)
    return NULL;
  if ((guint) dim != ts_space_get_dim (ts_page_peek_space (TS_PAGE (self), kind)))
    {
      g_set_error_literal (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                           _("The space’s model no longer matches it"));
      return NULL;
    }
  return g_steal_pointer (&embedded);
}

/* The genre model reads more than the audio features: no steering there. */
static void
update_steer_note (TsDiscoverPage *self)
{
  gboolean steerable = gtk_drop_down_get_selected (self->space_dropdown) != TS_SPACE_KIND_GENRE;

  gtk_widget_set_visible (GTK_WIDGET (self->steer_note), !steerable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->feature_sliders),
                            steerable && self->dataset != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reset_button), steerable);
}

static void
ts_discover_page_run_query (TsDiscoverPage *self)
{
  TsSpaceKind kind = (TsSpaceKind) gtk_drop_down_get_selected (self->space_dropdown);
  TsMetric metric = (TsMetric) gtk_drop_down_get_selected (self->metric_dropdown);
  TsSimilarQuery query = { 0 };
  TsFeature features[TS_N_FEATURES];
  double values[TS_N_FEATURES];
  TsSpace *space;
  g_autofree float *embedded = NULL;
  g_autoptr(GError) error = NULL;
  guint n_changed;
  QueryJob *job;

  g_assert (TS_IS_DISCOVER_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->dataset == NULL || kind >= TS_N_SPACE_KINDS || metric >= TS_N_METRICS)
    return;
  n_changed = kind == TS_SPACE_KIND_GENRE ? 0 : get_steering (self, features, values);
  if (!self->has_query && n_changed == 0)
    return;
  space = ts_page_peek_space (TS_PAGE (self), kind);
  if (space == NULL)
    {
      prepare_space (self, kind);
      return;
    }

  job = g_new0 (QueryJob, 1);
  job->similar = ts_similar_new (self->dataset, space, metric);
  ts_similar_set_one_per_album (job->similar, gtk_toggle_button_get_active (self->album_button));
  query.limit = RESULT_LIMIT;
  if (n_changed > 0)
    {
      set_features_query (self, &query, features, values, n_changed);
      if (kind != TS_SPACE_KIND_BASE &&
          (embedded = embed_features (self, kind, job->similar, &query, &error)) == NULL)
        {
          ts_similar_unref (job->similar);
          g_free (job);
          show_error (self, error->message);
          return;
        }
      query.embedded = embedded;
      job->status = dup_steered_status (self);
      /* An artist's mean is no song of theirs: ask for more, drop theirs. */
      if (self->has_query && self->query_kind == TS_QUERY_ARTIST)
        {
          job->drop_artist = TRUE;
          job->artist = self->query_artist;
          query.limit += self->n_artist_songs;
        }
    }
  else
    {
      query.kind = self->query_kind;
      query.row = self->query_row;
      query.artist = self->query_artist;
      job->status = g_strdup_printf (_("Songs like %s"), self->query_label);
    }
  self->cancellable = g_cancellable_new ();
  job->page = g_object_ref (self);
  set_busy (self, _("Searching…"));
  ts_similar_query_async (job->similar, &query, self->cancellable, on_query_ready_cb, job);
}

static void
on_option_changed_cb (TsDiscoverPage *self)
{
  update_steer_note (self);
  if (!self->has_query)
    update_map (self, NULL);
  ts_discover_page_run_query (self);
}

static void
on_sliders_changed_cb (TsDiscoverPage *self)
{
  ts_discover_page_run_query (self);
}

/* Back to the pick's own values, and its plain query. */
static void
on_steer_reset_cb (TsDiscoverPage *self)
{
  ts_feature_sliders_reset (self->feature_sliders);
  if (self->has_query)
    ts_discover_page_run_query (self);
}

/* Closing the panel stops steering: the plain query again. */
static void
on_steer_toggled_cb (TsDiscoverPage *self)
{
  TsFeature features[TS_N_FEATURES];
  double values[TS_N_FEATURES];

  if (ts_feature_sliders_get_changes (self->feature_sliders, features, values) > 0)
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

/* The sliders rest at the pick's values: the song's, the artist's mean. */
static void
set_sliders_reference (TsDiscoverPage *self)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint n = ts_dataset_get_n_rows (self->dataset);

  if (self->query_kind == TS_QUERY_SONG)
    {
      ts_feature_sliders_set_reference (self->feature_sliders, (const guint32 *) &self->query_row, 1);
      return;
    }
  for (guint32 row = 0; row < n; row++)
    {
      const guint32 *artists = NULL;
      guint n_artists = ts_dataset_get_artists (self->dataset, row, &artists);

      for (guint k = 0; k < n_artists; k++)
        if (artists[k] == self->query_artist)
          {
            g_array_append_val (rows, row);
            break;
          }
    }
  self->n_artist_songs = rows->len;
  ts_feature_sliders_set_reference (self->feature_sliders, (const guint32 *) rows->data,
                                    rows->len);
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

  set_sliders_reference (self);
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

/* A model was trained again (the Models dialog): the shown results came
 * from a stale space; the query runs again in the new one. */
static void
ts_discover_page_spaces_changed (TsPage *page)
{
  TsDiscoverPage *self = TS_DISCOVER_PAGE (page);

  set_busy (self, NULL);
  ts_discover_page_run_query (self);
}

static void
ts_discover_page_dataset_changed (TsPage    *page,
                                  TsDataset *dataset)
{
  TsDiscoverPage *self = TS_DISCOVER_PAGE (page);

  self->dataset = dataset;
  g_cancellable_cancel (self->cancellable);
  self->has_query = FALSE;
  g_clear_pointer (&self->query_label, g_free);
  ts_track_list_clear (self->results_list);
  ts_feature_sliders_set_dataset (self->feature_sliders, dataset);
  set_status (self, NULL);
  update_steer_note (self);
  g_array_set_size (self->map_rows, 0);
  ts_embedding_map_set_space (self->embedding_map, NULL, NULL, NULL, NULL);
  clear_suggestions (self);
  set_busy (self, NULL);
  g_free (self->chosen_text);
  self->chosen_text = g_strdup ("");
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_stack_set_visible_child_name (self->content_stack, "empty");
  /* Offered where the file names albums (the 1.2M set), off for each file. */
  gtk_toggle_button_set_active (self->album_button, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->album_button),
                          dataset != NULL && ts_dataset_get_n_albums (dataset) > 0);
}

/* ---- the class -------------------------------------------------------- */

static void
ts_discover_page_dispose (GObject *object)
{
  TsDiscoverPage *self = TS_DISCOVER_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TS_TYPE_DISCOVER_PAGE);
  self->dataset = NULL;

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
  TsPageClass *page_class = TS_PAGE_CLASS (klass);

  object_class->dispose = ts_discover_page_dispose;
  object_class->finalize = ts_discover_page_finalize;
  widget_class->map = ts_discover_page_map;
  page_class->dataset_changed = ts_discover_page_dataset_changed;
  page_class->space_ready = ts_discover_page_space_ready;
  page_class->spaces_changed = ts_discover_page_spaces_changed;

  gtk_widget_class_add_binding (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, focus_search_cb, NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ts-discover-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, suggestions_revealer);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, suggestions_list);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, space_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, metric_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, results_list);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_suggestion_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_option_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_view_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sliders_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_steer_reset_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_steer_toggled_cb);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, steer_button);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, album_button);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, steer_revealer);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, feature_sliders);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, steer_note);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, steer_status);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, reset_button);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, map_button);
  gtk_widget_class_bind_template_child (widget_class, TsDiscoverPage, embedding_map);
}

static void
ts_discover_page_init (TsDiscoverPage *self)
{
  g_type_ensure (TS_TYPE_TRACK_LIST);
  g_type_ensure (TS_TYPE_EMBEDDING_MAP);
  g_type_ensure (TS_TYPE_FEATURE_SLIDERS);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->map_rows = g_array_new (FALSE, FALSE, sizeof (guint32));

}
