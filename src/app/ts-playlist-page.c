/* ts-playlist-page.c: the Playlist page (import, build, recommend, export)
 *
 * The page holds one playlist: imported from a file (chooser or drop,
 * parsed and matched in a worker, with a report of what matched) or built
 * from Discover through win.add-to-playlist. Its recommendations are a
 * playlist query (ts_similar) in the chosen mode, space and metric, run in
 * a worker when the Recommendations view is shown and the playlist or the
 * options changed. Both lists export through the core (atomic saves) or
 * to the clipboard as Spotify links.
 *
 * This file holds the page, its songs and the export; the import and its
 * report are in ts-playlist-page-import.c, the recommendations in
 * ts-playlist-page-recommend.c (their shared state: the private header).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-playlist-page"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "ts-playlist-page-private.h"

G_DEFINE_FINAL_TYPE (TsPlaylistPage, ts_playlist_page, TS_TYPE_PAGE)

enum {
  PROP_0,
  PROP_N_SONGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FOREIGN_FILE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkWindow *
_ts_playlist_page_get_window (TsPlaylistPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

void
_ts_playlist_page_emit_foreign_file (TsPlaylistPage *self,
                                     GFile          *file)
{
  g_signal_emit (self, signals[FOREIGN_FILE], 0, file);
}

void
_ts_playlist_page_toast (TsPlaylistPage *self,
                         const char     *message)
{
  ts_page_show_toast (TS_PAGE (self), message, 6);
}

/* ---- the songs -------------------------------------------------------- */

gboolean
_ts_playlist_page_recommendations_shown (TsPlaylistPage *self)
{
  return gtk_widget_get_mapped (GTK_WIDGET (self)) &&
         g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "recommendations") == 0;
}

/* $XDG_DATA_HOME/tunescope/playlist.json: the playlist between sessions. */
char *
_ts_playlist_page_dup_session_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "tunescope", "playlist.json", NULL);
}

/* Keeps the playlist for the next session, in Tunescope's own format
 * (atomically, as every save). A failure costs only that, but the user
 * is told once (a read-only or full data folder), naming the folder. */
void
_ts_playlist_page_save_session (TsPlaylistPage *self)
{
  g_autofree char *path = _ts_playlist_page_dup_session_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;

  if (self->dataset == NULL || self->restoring)
    return;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error_literal (&error, G_FILE_ERROR, g_file_error_from_errno (saved),
                           g_strerror (saved));
    }
  else if (ts_playlist_save (self->playlist, self->dataset, path, TS_PLAYLIST_FORMAT_TUNESCOPE,
                             &error))
    {
      self->session_unsaved = FALSE;
      return;
    }
  g_debug ("Cannot keep the playlist in %s: %s", path, error->message);
  if (self->session_unsaved)
    return;
  self->session_unsaved = TRUE;
  message = g_strdup_printf (_("The playlist cannot be kept for next time in %s: %s"), dir,
                             error->message);
  /* Longer than the page's other toasts: it explains what will be lost. */
  ts_page_show_toast (TS_PAGE (self), message, 10);
}

/* After every change of the songs: the header, the view, and stale
 * recommendations (recomputed now if they are on screen). */
void
_ts_playlist_page_songs_changed (TsPlaylistPage *self)
{
  guint n = self->playlist != NULL ? self->playlist->rows->len : 0;
  g_autofree char *count = NULL;

  /* Translators: the number of songs in the playlist */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u song", "%u songs", n), n);
  gtk_label_set_text (self->count_label, count);
  gtk_label_set_text (self->name_label, self->playlist != NULL ? self->playlist->name : "");
  if (self->dataset != NULL && n > 0)
    ts_track_list_set_rows (self->songs_list, self->dataset,
                            (const guint *) self->playlist->rows->data, n);
  else
    ts_track_list_clear (self->songs_list);
  gtk_stack_set_visible_child_name (self->content_stack,
                                    n > 0 || gtk_widget_get_visible (GTK_WIDGET (self->report_list))
                                    ? "playlist" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playlist.save-songs", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playlist.copy-songs", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playlist.clear", n > 0 ||
                                 gtk_widget_get_visible (GTK_WIDGET (self->report_list)));

  self->recommendations_stale = TRUE;
  if (_ts_playlist_page_recommendations_shown (self))
    _ts_playlist_page_recommend (self);
  _ts_playlist_page_save_session (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SONGS]);
}

/* ---- building --------------------------------------------------------- */

gboolean
ts_playlist_page_add_track (TsPlaylistPage  *self,
                            const char      *track_id,
                            GError         **error)
{
  int row;

  g_return_val_if_fail (TS_IS_PLAYLIST_PAGE (self), FALSE);
  g_return_val_if_fail (track_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  row = self->dataset != NULL ? ts_dataset_lookup_id (self->dataset, track_id) : -1;
  if (row < 0)
    return ts_error_set_invalid (error, _("The song %s is not in the dataset"), track_id);
  if (!ts_playlist_add_row (self->playlist, (guint32) row))
    {
      g_set_error (error, TS_ERROR, TS_ERROR_EXISTS, _("“%s” is already in the playlist"),
                   ts_dataset_get_name (self->dataset, (guint32) row));
      return FALSE;
    }
  _ts_playlist_page_songs_changed (self);
  return TRUE;
}

gboolean
ts_playlist_page_remove_track (TsPlaylistPage *self,
                               const char     *track_id)
{
  int row;

  g_return_val_if_fail (TS_IS_PLAYLIST_PAGE (self), FALSE);
  g_return_val_if_fail (track_id != NULL, FALSE);

  row = self->dataset != NULL ? ts_dataset_lookup_id (self->dataset, track_id) : -1;
  if (row < 0)
    return FALSE;
  for (guint i = 0; i < self->playlist->rows->len; i++)
    if (g_array_index (self->playlist->rows, guint32, i) == (guint32) row)
      {
        g_array_remove_index (self->playlist->rows, i);
        _ts_playlist_page_songs_changed (self);
        return TRUE;
      }
  return FALSE;
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (widget);
  const char *track_id = g_variant_get_string (parameter, NULL);
  int row = self->dataset != NULL ? ts_dataset_lookup_id (self->dataset, track_id) : -1;
  g_autofree char *message = NULL;

  for (guint i = 0; row >= 0 && i < self->playlist->rows->len; i++)
    if (g_array_index (self->playlist->rows, guint32, i) == (guint32) row)
      {
        self->removed_row = (guint32) row;
        self->removed_index = i;
        self->can_undo_remove = TRUE;
        break;
      }
  if (!ts_playlist_page_remove_track (self, track_id))
    return;
  /* Translators: %s is a song's title */
  message = g_strdup_printf (_("Removed “%s”"), ts_dataset_get_name (self->dataset,
                                                                    (guint32) row));
  ts_page_show_undo_toast (TS_PAGE (self), message, "playlist.undo-remove");
}

/* Puts the last removed song back where it was, unless it is back already. */
static void
undo_remove_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (widget);
  GArray *rows = self->playlist->rows;

  if (!self->can_undo_remove)
    return;
  self->can_undo_remove = FALSE;
  for (guint i = 0; i < rows->len; i++)
    if (g_array_index (rows, guint32, i) == self->removed_row)
      return;
  g_array_insert_val (rows, MIN (self->removed_index, rows->len), self->removed_row);
  _ts_playlist_page_songs_changed (self);
}

guint
ts_playlist_page_get_n_songs (TsPlaylistPage *self)
{
  g_return_val_if_fail (TS_IS_PLAYLIST_PAGE (self), 0);

  return self->playlist != NULL ? self->playlist->rows->len : 0;
}

void
_ts_playlist_page_new_playlist (TsPlaylistPage *self)
{
  g_clear_pointer (&self->playlist, ts_playlist_free);
  g_clear_pointer (&self->replaced, ts_playlist_free);
  self->playlist = ts_playlist_new (_("My Playlist"));
  self->can_undo_remove = FALSE;
  _ts_playlist_page_clear_report (self);
  _ts_playlist_page_songs_changed (self);
}

/* Puts @playlist (taken) in place of the current one, which is kept for
 * the toast's Undo, saying @message, when it had songs. */
void
_ts_playlist_page_replace_playlist (TsPlaylistPage *self,
                                    TsPlaylist     *playlist,
                                    const char     *message)
{
  g_clear_pointer (&self->replaced, ts_playlist_free);
  self->replaced = g_steal_pointer (&self->playlist);
  self->playlist = playlist;
  self->can_undo_remove = FALSE;
  _ts_playlist_page_songs_changed (self);
  if (self->replaced->rows->len == 0)
    return;

  ts_page_show_undo_toast (TS_PAGE (self), message, "playlist.undo-replace");
}

static void
undo_replace_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (widget);

  if (self->replaced == NULL)
    return;
  g_clear_pointer (&self->playlist, ts_playlist_free);
  self->playlist = g_steal_pointer (&self->replaced);
  self->can_undo_remove = FALSE;
  _ts_playlist_page_clear_report (self);
  _ts_playlist_page_songs_changed (self);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (widget);
  g_autofree char *message = NULL;

  /* Translators: %s is the name of the playlist that was cleared */
  message = g_strdup_printf (_("Cleared “%s”"), self->playlist->name);
  _ts_playlist_page_clear_report (self);
  _ts_playlist_page_replace_playlist (self, ts_playlist_new (_("My Playlist")), message);
}

/* ---- export ----------------------------------------------------------- */

typedef struct
{
  TsPlaylistFormat  format;
  const char       *key;        /* the actions' target */
  const char       *extension;
} ExportFormat;

static const ExportFormat export_formats[] = {
  { TS_PLAYLIST_FORMAT_M3U, "m3u8", ".m3u8" },
  { TS_PLAYLIST_FORMAT_CSV, "csv", ".csv" },
  { TS_PLAYLIST_FORMAT_URI_LIST, "uris", ".txt" },
};

static const ExportFormat *
export_format_for_key (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (export_formats); i++)
    if (g_strcmp0 (export_formats[i].key, key) == 0)
      return &export_formats[i];
  return NULL;
}

/* What an export of the recommendations writes: a playlist of them. */
static TsPlaylist *
recommendations_playlist (TsPlaylistPage *self)
{
  g_autofree char *name = NULL;
  TsPlaylist *playlist;

  /* Translators: the name of an exported list of recommendations */
  name = g_strdup_printf (_("Like %s"), self->playlist->name);
  playlist = ts_playlist_new (name);
  for (guint i = 0; self->recommendations != NULL && i < self->recommendations->len; i++)
    ts_playlist_add_row (playlist, g_array_index (self->recommendations, TsSimilarResult, i).row);
  return playlist;
}

static TsPlaylist *
songs_playlist (TsPlaylistPage *self)
{
  TsPlaylist *playlist = ts_playlist_new (self->playlist->name);

  g_array_append_vals (playlist->rows, self->playlist->rows->data, self->playlist->rows->len);
  return playlist;
}

static void
on_save_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     TsPlaylistPage  *self)
{
  TsPlaylist *playlist = g_object_get_data (G_OBJECT (chooser), "ts-playlist");
  const ExportFormat *format = g_object_get_data (G_OBJECT (chooser), "ts-format");
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL && self->dataset != NULL)
    {
      path = g_file_get_path (file);
      name = g_file_get_basename (file);
      if (path == NULL)
        message = g_strdup (_("Only files on this computer can be written"));
      else if (!ts_playlist_save (playlist, self->dataset, path, format->format, &error))
        /* Translators: %s is a file name, then why it could not be written */
        message = g_strdup_printf (_("Could not save “%s”: %s"), name, error->message);
      else
        /* Translators: %s is a file name */
        message = g_strdup_printf (_("Saved “%s”"), name);
      _ts_playlist_page_toast (self, message);
    }
  g_clear_object (&self->chooser);
}

static void
save (TsPlaylistPage     *self,
      TsPlaylist         *playlist,
      const ExportFormat *format)
{
  g_autofree char *current = NULL;
  const char *title = format->format == TS_PLAYLIST_FORMAT_M3U ? _("Save as M3U8")
                    : format->format == TS_PLAYLIST_FORMAT_CSV ? _("Save as CSV")
                    : _("Save Spotify URIs");

  g_assert (self->chooser == NULL);

  /* GTK 4's chooser confirms before it replaces a file. */
  self->chooser = gtk_file_chooser_native_new (title, _ts_playlist_page_get_window (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  current = g_strconcat (playlist->name, format->extension, NULL);
  g_strdelimit (current, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), current);
  g_object_set_data_full (G_OBJECT (self->chooser), "ts-playlist", playlist,
                          (GDestroyNotify) ts_playlist_free);
  g_object_set_data (G_OBJECT (self->chooser), "ts-format", (gpointer) format);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (widget);
  const ExportFormat *format = export_format_for_key (g_variant_get_string (parameter, NULL));

  if (format == NULL || self->chooser != NULL || self->dataset == NULL)
    return;
  if (g_str_equal (action_name, "playlist.save-songs"))
    save (self, songs_playlist (self), format);
  else
    save (self, recommendations_playlist (self), format);
}

static void
copy_links (TsPlaylistPage   *self,
            const TsPlaylist *playlist)
{
  GString *text = g_string_new (NULL);
  g_autofree char *message = NULL;
  guint n = playlist->rows->len;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "https://open.spotify.com/track/%s\n",
                            ts_dataset_get_id (self->dataset,
                                               g_array_index (playlist->rows, guint32, i)));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text->str);
  g_string_free (text, TRUE);
  /* Translators: %u Spotify links were copied to the clipboard */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Copied %u Spotify link",
                                          "Copied %u Spotify links", n), n);
  _ts_playlist_page_toast (self, message);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (widget);
  g_autoptr(TsPlaylist) playlist = NULL;

  if (self->dataset == NULL)
    return;
  if (g_str_equal (action_name, "playlist.copy-songs"))
    playlist = songs_playlist (self);
  else
    playlist = recommendations_playlist (self);
  copy_links (self, playlist);
}

/* ---- the dataset ------------------------------------------------------ */

/* A model was trained again (the Models dialog): the recommendations came
 * from a stale space. */
static void
ts_playlist_page_spaces_changed (TsPage *page)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (page);

  _ts_playlist_page_set_recommendations_busy (self, NULL, FALSE);
  _ts_playlist_page_options_changed (self);
}

static void
ts_playlist_page_dataset_changed (TsPage    *page,
                                  TsDataset *dataset)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (page);

  self->dataset = dataset;
  /* Rows belong to a dataset: the playlist starts again with a new one. */
  g_cancellable_cancel (self->import_cancellable);
  g_cancellable_cancel (self->query_cancellable);
  ts_page_set_busy (TS_PAGE (self), NULL);
  _ts_playlist_page_set_recommendations_busy (self, NULL, FALSE);
  _ts_playlist_page_set_recommendations (self, NULL);
  _ts_playlist_page_set_recommendations_status (self, "");
  /* The empty playlist must not replace the last session's on disk. */
  self->restoring = TRUE;
  _ts_playlist_page_new_playlist (self);
  self->restoring = FALSE;
  if (dataset != NULL)
    _ts_playlist_page_start_restore (self);
}

/* ---- the class -------------------------------------------------------- */

/* Arriving on the page with the recommendations in view brings them up to
 * date. */
static void
ts_playlist_page_map (GtkWidget *widget)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (widget);

  GTK_WIDGET_CLASS (ts_playlist_page_parent_class)->map (widget);
  _ts_playlist_page_view_changed (self);
}

static void
ts_playlist_page_dispose (GObject *object)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (object);

  g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  g_cancellable_cancel (self->query_cancellable);
  g_clear_object (&self->query_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->report_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TS_TYPE_PLAYLIST_PAGE);
  self->dataset = NULL;

  G_OBJECT_CLASS (ts_playlist_page_parent_class)->dispose (object);
}

static void
ts_playlist_page_finalize (GObject *object)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (object);

  g_clear_pointer (&self->playlist, ts_playlist_free);
  g_clear_pointer (&self->replaced, ts_playlist_free);
  g_clear_pointer (&self->recommendations, g_array_unref);

  G_OBJECT_CLASS (ts_playlist_page_parent_class)->finalize (object);
}

static void
ts_playlist_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_N_SONGS:
      g_value_set_uint (value, ts_playlist_page_get_n_songs (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ts_playlist_page_class_init (TsPlaylistPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ts_playlist_page_dispose;
  object_class->finalize = ts_playlist_page_finalize;
  object_class->get_property = ts_playlist_page_get_property;
  widget_class->map = ts_playlist_page_map;
  TS_PAGE_CLASS (klass)->dataset_changed = ts_playlist_page_dataset_changed;
  TS_PAGE_CLASS (klass)->spaces_changed = ts_playlist_page_spaces_changed;

  properties[PROP_N_SONGS] =
    g_param_spec_uint ("n-songs", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A file dropped or chosen here that is no playlist (a dataset, an
   * image): the window does with it what a drop elsewhere does. */
  signals[FOREIGN_FILE] =
    g_signal_new ("foreign-file",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_FILE);

  gtk_widget_class_install_action (widget_class, "playlist.undo-replace", NULL,
                                   undo_replace_action);
  gtk_widget_class_install_action (widget_class, "playlist.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "playlist.remove", "s", remove_action);
  gtk_widget_class_install_action (widget_class, "playlist.undo-remove", NULL,
                                   undo_remove_action);
  gtk_widget_class_install_action (widget_class, "playlist.save-songs", "s", save_action);
  gtk_widget_class_install_action (widget_class, "playlist.save-recommendations", "s",
                                   save_action);
  gtk_widget_class_install_action (widget_class, "playlist.copy-songs", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "playlist.copy-recommendations", NULL,
                                   copy_action);

  g_type_ensure (TS_TYPE_TRACK_LIST);
  gtk_widget_class_set_css_name (widget_class, "tsplaylistpage");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ts-playlist-page.ui");
  /* After the template: they bind its callbacks. */
  _ts_playlist_page_import_class_init (widget_class);
  _ts_playlist_page_recommend_class_init (klass);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, report_list);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, report_row);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, songs_list);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, recommendations_list);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, space_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, metric_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, recommendations_spinner);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, recommendations_status);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, recommendations_cancel);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, training_progress);
}

static void
ts_playlist_page_init (TsPlaylistPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The playlist's own songs are removed, not added. */
  ts_track_list_set_row_action (self->songs_list, "playlist.remove", "list-remove-symbolic",
                                _("Remove from playlist"));

  self->report_rows = g_ptr_array_new ();
  self->playlist = ts_playlist_new (_("My Playlist"));
  _ts_playlist_page_set_recommendations (self, NULL);
  _ts_playlist_page_set_recommendations_busy (self, NULL, FALSE);
  _ts_playlist_page_songs_changed (self);
  _ts_playlist_page_init_drop_target (self);
}
