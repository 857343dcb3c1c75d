/* ts-playlist-page-recommend.c: the Playlist page's recommendations
 *
 * Songs like the playlist, in the chosen mode, space and metric: a
 * playlist query (ts_similar) or a small model trained on the playlist,
 * run in a worker when the Recommendations view is shown and the playlist
 * or the options changed. The learnt spaces come from the dataset's
 * TsSpaceCache through TsPage, shared with Discover.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-playlist-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ts-playlist-page-private.h"
#include "ts-space-cache.h"

#define RECOMMENDATION_LIMIT 100

/* ---- recommendations -------------------------------------------------- */

/* The status may be ellipsized in a narrow window: the tooltip has it all. */
void
_ts_playlist_page_set_recommendations_status (TsPlaylistPage *self,
                                              const char     *status)
{
  gtk_label_set_text (self->recommendations_status, status);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->recommendations_status),
                               status[0] != '\0' ? status : NULL);
}

void
_ts_playlist_page_set_recommendations_busy (TsPlaylistPage *self,
                                            const char     *status,
                                            gboolean        cancellable)
{
  gtk_widget_set_visible (GTK_WIDGET (self->recommendations_spinner), status != NULL);
  gtk_widget_set_visible (self->recommendations_cancel, status != NULL && cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playlist.cancel", status != NULL);
  if (status != NULL)
    _ts_playlist_page_set_recommendations_status (self, status);
  if (status == NULL || !cancellable)
    gtk_widget_set_visible (GTK_WIDGET (self->training_progress), FALSE);
}

void
_ts_playlist_page_set_recommendations (TsPlaylistPage *self,
                                       GArray         *found)
{
  guint n = found != NULL ? found->len : 0;

  g_clear_pointer (&self->recommendations, g_array_unref);
  self->recommendations = found != NULL ? g_array_ref (found) : NULL;
  if (found != NULL && self->dataset != NULL)
    ts_track_list_set_results (self->recommendations_list, self->dataset, found);
  else
    ts_track_list_clear (self->recommendations_list);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playlist.save-recommendations", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playlist.copy-recommendations", n > 0);
}

typedef struct
{
  TsPlaylistPage *page;
  TsSimilar      *similar;
} QueryJob;

/* The end of a query or a training: its songs, or why there are none. */
static void
show_found (TsPlaylistPage *self,
            GArray         *found,
            gboolean        trained,
            const GError   *error)
{
  g_autofree char *status = NULL;

  _ts_playlist_page_set_recommendations_busy (self, NULL, FALSE);
  if (found == NULL)
    {
      _ts_playlist_page_set_recommendations_status (self, "");
      _ts_playlist_page_toast (self, error->message);
      return;
    }
  _ts_playlist_page_set_recommendations (self, found);
  if (trained)
    /* Translators: %u songs were found by "Train on this playlist" */
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u song picked by a model trained on this playlist",
                                           "%u songs picked by a model trained on this playlist",
                                           found->len), found->len);
  else
    /* Translators: %u songs were found for the playlist */
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u song like this playlist",
                                           "%u songs like this playlist", found->len),
                              found->len);
  _ts_playlist_page_set_recommendations_status (self, status);
}

static void
on_query_ready_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  QueryJob *job = user_data;
  g_autoptr(TsPlaylistPage) self = job->page;
  g_autoptr(TsSimilar) similar = job->similar;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) found = ts_similar_query_finish (similar, result, NULL, &error);

  g_free (job);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_found (self, found, FALSE, error);
}

static void
on_train_ready_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  QueryJob *job = user_data;
  g_autoptr(TsPlaylistPage) self = job->page;
  g_autoptr(TsSimilar) similar = job->similar;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) found = ts_similar_playlist_train_finish (similar, result, &error);

  g_free (job);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_found (self, found, TRUE, error);
}

/* Where a training's epochs report, until it is cancelled or replaced. */
typedef struct
{
  TsPlaylistPage *page;
  GCancellable   *cancellable;
} TrainProgress;

static void
train_progress_free (gpointer data)
{
  TrainProgress *progress = data;

  g_clear_object (&progress->page);
  g_clear_object (&progress->cancellable);
  g_free (progress);
}

static void
on_train_epoch_cb (const TsNnEpochInfo *info,
                   gpointer             user_data)
{
  TrainProgress *progress = user_data;
  TsPlaylistPage *self = progress->page;
  g_autofree char *status = NULL;

  if (g_cancellable_is_cancelled (progress->cancellable))
    return;
  /* Translators: the progress of "Train on this playlist" */
  status = g_strdup_printf (_("Training on this playlist… epoch %d of %d"), info->epoch,
                            info->epochs);
  _ts_playlist_page_set_recommendations_status (self, status);
  gtk_progress_bar_set_fraction (self->training_progress,
                                 (double) info->epoch / MAX (info->epochs, 1));
}

static void
start_training (TsPlaylistPage *self,
                QueryJob       *job)
{
  TrainProgress *progress = g_new0 (TrainProgress, 1);

  progress->page = g_object_ref (self);
  progress->cancellable = g_object_ref (self->query_cancellable);
  _ts_playlist_page_set_recommendations_busy (self, _("Training on this playlist…"), TRUE);
  gtk_progress_bar_set_fraction (self->training_progress, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->training_progress), TRUE);
  ts_similar_playlist_train_async (job->similar, (const guint32 *) self->playlist->rows->data,
                                   self->playlist->rows->len, RECOMMENDATION_LIMIT,
                                   on_train_epoch_cb, progress, train_progress_free,
                                   self->query_cancellable, on_train_ready_cb, job);
}

/* A learnt space is ready: the recommendations waiting for it come now. */
static void
ts_playlist_page_space_ready (TsPage       *page,
                              TsSpaceKind   kind,
                              const GError *error)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (page);

  _ts_playlist_page_set_recommendations_busy (self, NULL, FALSE);
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot prepare the space: %s"),
                                                  error->message);
      _ts_playlist_page_set_recommendations_status (self, "");
      _ts_playlist_page_toast (self, message);
      return;
    }
  _ts_playlist_page_recommend (self);
}

/* Asks for songs like the playlist in the chosen mode, space and metric;
 * the answer replaces the recommendations. */
void
_ts_playlist_page_recommend (TsPlaylistPage *self)
{
  TsSpaceKind kind = (TsSpaceKind) gtk_drop_down_get_selected (self->space_dropdown);
  TsMetric metric = (TsMetric) gtk_drop_down_get_selected (self->metric_dropdown);
  TsPlaylistMode mode = (TsPlaylistMode) gtk_drop_down_get_selected (self->mode_dropdown);
  TsSimilarQuery query = { 0 };
  TsSpace *space;
  QueryJob *job;

  g_assert (TS_IS_PLAYLIST_PAGE (self));

  g_cancellable_cancel (self->query_cancellable);
  g_clear_object (&self->query_cancellable);
  _ts_playlist_page_set_recommendations_busy (self, NULL, FALSE);
  if (self->dataset == NULL || kind >= TS_N_SPACE_KINDS || metric >= TS_N_METRICS)
    return;
  self->recommendations_stale = FALSE;
  if (self->playlist->rows->len == 0)
    {
      _ts_playlist_page_set_recommendations (self, NULL);
      _ts_playlist_page_set_recommendations_status (self,
                                                    _("Add songs to the playlist to get recommendations"));
      return;
    }
  space = ts_page_peek_space (TS_PAGE (self), kind);
  if (space == NULL)
    {
      /* Asked again once the space is ready. */
      self->recommendations_stale = TRUE;
      _ts_playlist_page_set_recommendations_busy (self, ts_space_kind_get_preparing_message (kind), FALSE);
      ts_page_prepare_space (TS_PAGE (self), kind);
      return;
    }

  self->query_cancellable = g_cancellable_new ();
  job = g_new0 (QueryJob, 1);
  job->page = g_object_ref (self);
  job->similar = ts_similar_new (self->dataset, space, metric);
  if (mode == TS_PLAYLIST_MODE_TRAIN)
    {
      start_training (self, job);
      return;
    }
  query.kind = TS_QUERY_PLAYLIST;
  query.rows = (const guint32 *) self->playlist->rows->data;
  query.n_rows = self->playlist->rows->len;
  query.mode = mode;
  query.limit = RECOMMENDATION_LIMIT;
  _ts_playlist_page_set_recommendations_busy (self, _("Looking for songs like this playlist…"), FALSE);
  ts_similar_query_async (job->similar, &query, self->query_cancellable, on_query_ready_cb, job);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (widget);

  g_cancellable_cancel (self->query_cancellable);
  _ts_playlist_page_set_recommendations_busy (self, NULL, FALSE);
  _ts_playlist_page_set_recommendations_status (self, _("Cancelled"));
  self->recommendations_stale = TRUE;
}

void
_ts_playlist_page_options_changed (TsPlaylistPage *self)
{
  self->recommendations_stale = TRUE;
  if (_ts_playlist_page_recommendations_shown (self))
    _ts_playlist_page_recommend (self);
}

void
_ts_playlist_page_view_changed (TsPlaylistPage *self)
{
  if (self->recommendations_stale && _ts_playlist_page_recommendations_shown (self))
    _ts_playlist_page_recommend (self);
}

void
_ts_playlist_page_recommend_class_init (TsPlaylistPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  TS_PAGE_CLASS (klass)->space_ready = ts_playlist_page_space_ready;
  gtk_widget_class_install_action (widget_class, "playlist.cancel", NULL, cancel_action);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_option_changed_cb",
                                                G_CALLBACK (_ts_playlist_page_options_changed));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_view_changed_cb",
                                                G_CALLBACK (_ts_playlist_page_view_changed));
}
