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
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-playlist-page"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "ts-app-util.h"
#include "ts-application.h"
#include "ts-drop.h"
#include "ts-playlist-page.h"
#include "ts-space-loader.h"
#include "ts-track-list.h"

#define RECOMMENDATION_LIMIT 100
/* Rows of the report beyond which the rest is only counted: a junk file of
 * 10k lines must not build 10k widgets. */
#define REPORT_ROW_LIMIT     200

struct _TsPlaylistPage
{
  GtkWidget             parent_instance;

  TsDataset            *dataset;
  /* The songs; its entries are the last import's report. */
  TsPlaylist           *playlist;
  /* What an import replaced, until its toast's Undo or the next import. */
  TsPlaylist           *replaced;
  GArray               *recommendations;   /* TsSimilarResult */
  gboolean              recommendations_stale;
  GCancellable         *import_cancellable;
  GCancellable         *query_cancellable;
  GCancellable         *space_cancellable; /* per dataset */
  TsSpace              *spaces[TS_N_SPACE_KINDS];
  gboolean              preparing[TS_N_SPACE_KINDS];
  GtkFileChooserNative *chooser;
  /* While the last session's playlist is read back, changes are not saved
   * (they would overwrite it with the empty playlist). */
  gboolean              restoring;
  GPtrArray            *report_rows;       /* the rows added under report_row */
  /* The last song removed from the list, for its toast's Undo. */
  guint32               removed_row;
  guint                 removed_index;
  gboolean              can_undo_remove;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *content_stack;
  GtkLabel             *name_label;
  GtkLabel             *count_label;
  GtkSpinner           *busy_spinner;
  GtkLabel             *busy_label;
  GtkListBox           *report_list;
  AdwExpanderRow       *report_row;
  GtkStack             *view_stack;
  TsTrackList          *songs_list;
  TsTrackList          *recommendations_list;
  GtkDropDown          *mode_dropdown;
  GtkDropDown          *space_dropdown;
  GtkDropDown          *metric_dropdown;
  GtkSpinner           *recommendations_spinner;
  GtkLabel             *recommendations_status;
  GtkWidget            *recommendations_cancel;
  GtkProgressBar       *training_progress;
};

G_DEFINE_FINAL_TYPE (TsPlaylistPage, ts_playlist_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DATASET,
  PROP_N_SONGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FOREIGN_FILE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void ts_playlist_page_recommend (TsPlaylistPage *self);

/* Toasts say @message as plain text: AdwToast 1.2 reads its title as
 * Pango markup, and song or file names have "&" and "<" in them. */
static void
show_toast (TsPlaylistPage *self,
            const char     *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  ts_toast_overlay_show (self->toast_overlay, escaped, 6);
}

/* A longer toast whose Undo button runs @action_name. */
static void
show_undo_toast (TsPlaylistPage *self,
                 const char     *message,
                 const char     *action_name)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 8);
  adw_toast_set_button_label (toast, _("Undo"));
  adw_toast_set_action_name (toast, action_name);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
set_busy (TsPlaylistPage *self,
          const char     *status)
{
  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), status != NULL);
  gtk_label_set_text (self->busy_label, status != NULL ? status : "");
}

/* ---- the songs -------------------------------------------------------- */

static gboolean
recommendations_shown (TsPlaylistPage *self)
{
  return gtk_widget_get_mapped (GTK_WIDGET (self)) &&
         g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "recommendations") == 0;
}

/* $XDG_DATA_HOME/tunescope/playlist.json: the playlist between sessions. */
static char *
session_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "tunescope", "playlist.json", NULL);
}

/* Keeps the playlist for the next session, in Tunescope's own format
 * (atomically, as every save). A failure costs only that: a debug line. */
static void
save_session (TsPlaylistPage *self)
{
  g_autofree char *path = session_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  if (self->dataset == NULL || self->restoring)
    return;
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !ts_playlist_save (self->playlist, self->dataset, path, TS_PLAYLIST_FORMAT_TUNESCOPE,
                         &error))
    g_debug ("Cannot keep the playlist in %s: %s", path,
             error != NULL ? error->message : g_strerror (errno));
}

/* After every change of the songs: the header, the view, and stale
 * recommendations (recomputed now if they are on screen). */
static void
songs_changed (TsPlaylistPage *self)
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
  if (recommendations_shown (self))
    ts_playlist_page_recommend (self);
  save_session (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SONGS]);
}

/* ---- the import report ------------------------------------------------ */

static void
clear_report (TsPlaylistPage *self)
{
  for (guint i = 0; i < self->report_rows->len; i++)
    adw_expander_row_remove (self->report_row, g_ptr_array_index (self->report_rows, i));
  g_ptr_array_set_size (self->report_rows, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->report_list), FALSE);
}

static char *
entry_text (const TsPlaylistEntry *entry)
{
  if (entry->artist != NULL && entry->title != NULL)
    /* Translators: an artist and a song title from a playlist file */
    return g_strdup_printf (_("%s – %s"), entry->artist, entry->title);
  if (entry->title != NULL)
    return g_strdup (entry->title);
  if (entry->track_id != NULL)
    return g_strconcat ("spotify:track:", entry->track_id, NULL);
  return g_strdup (_("(empty)"));
}

static void
report_add_row (TsPlaylistPage *self,
                const char     *title,
                const char     *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* File contents are text, not Pango markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_expander_row_add_row (self->report_row, row);
  g_ptr_array_add (self->report_rows, row);
}

static void
report_add_entry (TsPlaylistPage        *self,
                  const TsPlaylistEntry *entry)
{
  g_autofree char *text = entry_text (entry);
  g_autofree char *subtitle = NULL;

  if (entry->status == TS_PLAYLIST_ENTRY_UNMATCHED)
    /* Translators: %u is a line number in a playlist file */
    subtitle = g_strdup_printf (_("Line %u · not in the dataset"), entry->line);
  else
    /* Translators: %u is a line number; the song's title named several songs */
    subtitle = g_strdup_printf (_("Line %u · %u songs have this name: the most popular was kept"),
                                entry->line, entry->n_candidates);
  report_add_row (self, text, subtitle);
}

static char *
report_summary (const TsPlaylist *playlist)
{
  GString *out = g_string_new (NULL);

  /* Translators: counts of an imported playlist's songs, joined by " · " */
  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u matched", "%u matched",
                                            playlist->n_matched), playlist->n_matched);
  g_string_append (out, " · ");
  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u ambiguous", "%u ambiguous",
                                            playlist->n_ambiguous), playlist->n_ambiguous);
  g_string_append (out, " · ");
  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u unmatched", "%u unmatched",
                                            playlist->n_unmatched), playlist->n_unmatched);
  if (playlist->n_duplicates > 0)
    {
      g_string_append (out, " · ");
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u duplicate removed",
                                                "%u duplicates removed", playlist->n_duplicates),
                              playlist->n_duplicates);
    }
  return g_string_free (out, FALSE);
}

/* Shows what the import of @file_name found: the counts, and under them
 * each line that did not match exactly. */
static void
show_report (TsPlaylistPage   *self,
             const TsPlaylist *playlist,
             const char       *file_name)
{
  g_autofree char *title = NULL;
  g_autofree char *summary = report_summary (playlist);
  guint shown = 0, hidden = 0;

  clear_report (self);
  /* Translators: %s is the name of an imported playlist file */
  title = g_strdup_printf (_("Imported “%s”"), file_name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->report_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->report_row), title);
  adw_expander_row_set_subtitle (self->report_row, summary);

  for (guint i = 0; i < playlist->entries->len; i++)
    {
      const TsPlaylistEntry *entry = g_ptr_array_index (playlist->entries, i);

      if (entry->status != TS_PLAYLIST_ENTRY_UNMATCHED &&
          entry->status != TS_PLAYLIST_ENTRY_AMBIGUOUS)
        continue;
      if (shown++ < REPORT_ROW_LIMIT)
        report_add_entry (self, entry);
      else
        hidden++;
    }
  if (hidden > 0)
    {
      g_autofree char *more = NULL;

      /* Translators: lines of the report that are not listed */
      more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "And %u more line",
                                           "And %u more lines", hidden), hidden);
      report_add_row (self, more, "");
    }
  adw_expander_row_set_enable_expansion (self->report_row, shown > 0);
  adw_expander_row_set_expanded (self->report_row, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->report_list), TRUE);
}

/* Puts @playlist (taken) in place of the current one, which is kept for
 * the toast's Undo, saying @message, when it had songs. */
static void
replace_playlist (TsPlaylistPage *self,
                  TsPlaylist     *playlist,
                  const char     *message)
{
  g_clear_pointer (&self->replaced, ts_playlist_free);
  self->replaced = g_steal_pointer (&self->playlist);
  self->playlist = playlist;
  self->can_undo_remove = FALSE;
  songs_changed (self);
  if (self->replaced->rows->len == 0)
    return;

  show_undo_toast (self, message, "playlist.undo-replace");
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
  clear_report (self);
  songs_changed (self);
}

/* ---- import ----------------------------------------------------------- */

typedef struct
{
  TsDataset *dataset;
  char      *path;
  char      *name;   /* for the report and the messages */
  GFile     *file;
  gboolean   is_dataset;
  gboolean   restore;   /* the last session's playlist, not the user's import */
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_clear_object (&job->dataset);
  g_free (job->path);
  g_free (job->name);
  g_clear_object (&job->file);
  g_free (job);
}

/* Whether @text starts like the Spotify dataset (data.csv and its
 * companions) rather than a playlist: its audio features are columns. */
static gboolean
looks_like_dataset (const char *text)
{
  const char *end = strchr (text, '\n');
  g_autofree char *header = g_ascii_strdown (text, end != NULL ? end - text : -1);

  return strstr (header, "danceability") != NULL && strstr (header, "valence") != NULL;
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  TsPlaylist *playlist;

  if (!g_file_get_contents (job->path, &contents, &length, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (looks_like_dataset (contents))
    {
      job->is_dataset = TRUE;
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  /* Errors name the file as people see it in the chooser: by its name. */
  playlist = ts_playlist_parse (job->dataset, job->name, contents, length,
                                TS_PLAYLIST_FORMAT_AUTO, &error);
  if (playlist == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, playlist, (GDestroyNotify) ts_playlist_free);
}

/* The last session's playlist is back, unless songs came first. */
static void
finish_restore (TsPlaylistPage *self,
                TsPlaylist     *playlist,
                const GError   *error)
{
  self->restoring = FALSE;
  if (playlist == NULL)
    g_debug ("No playlist from the last session: %s", error->message);
  else if (self->playlist->rows->len == 0)
    {
      g_clear_pointer (&self->playlist, ts_playlist_free);
      self->playlist = ts_playlist_new (playlist->name);
      g_array_append_vals (self->playlist->rows, playlist->rows->data, playlist->rows->len);
      songs_changed (self);
      return;
    }
  save_session (self);
}

static void ts_playlist_page_start_import (TsPlaylistPage *self,
                                           GFile          *file,
                                           gboolean        restore);

static void
start_restore (TsPlaylistPage *self)
{
  g_autofree char *path = session_path ();
  g_autoptr(GFile) file = NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return;
  file = g_file_new_for_path (path);
  self->restoring = TRUE;
  ts_playlist_page_start_import (self, file, TRUE);
}

static void
on_import_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (source);
  ImportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(TsPlaylist) playlist = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *replaced = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || job->dataset != self->dataset)
    return;
  if (job->restore)
    {
      finish_restore (self, playlist, error);
      return;
    }
  set_busy (self, NULL);
  if (job->is_dataset)
    {
      /* A dataset dropped here by mistake opens as one would elsewhere. */
      g_signal_emit (self, signals[FOREIGN_FILE], 0, job->file);
      return;
    }
  if (playlist == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s says what is wrong, e.g. "mix.m3u:3: not UTF-8 text" */
      message = g_strdup_printf (_("Cannot import: %s"), error->message);
      show_toast (self, message);
      return;
    }

  show_report (self, playlist, job->name);
  gtk_stack_set_visible_child_name (self->view_stack, "songs");
  /* Translators: %s is the name of the playlist an import replaces */
  replaced = g_strdup_printf (_("Replaced “%s”"), self->playlist->name);
  replace_playlist (self, g_steal_pointer (&playlist), replaced);
  if (self->playlist->rows->len == 0)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a playlist file's name */
      message = g_strdup_printf (_("No song of “%s” is in the dataset"), job->name);
      show_toast (self, message);
    }
}

void
ts_playlist_page_import_file (TsPlaylistPage *self,
                              GFile          *file)
{
  g_return_if_fail (TS_IS_PLAYLIST_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->dataset == NULL)
    return;
  if (!g_file_is_native (file))
    {
      show_toast (self, _("Only files on this computer can be imported"));
      return;
    }
  /* It supersedes a restore still under way. */
  self->restoring = FALSE;
  ts_playlist_page_start_import (self, file, FALSE);
}

static void
ts_playlist_page_start_import (TsPlaylistPage *self,
                               GFile          *file,
                               gboolean        restore)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *status = NULL;
  ImportJob *job;

  job = g_new0 (ImportJob, 1);
  job->restore = restore;
  job->dataset = g_object_ref (self->dataset);
  job->path = g_file_get_path (file);
  job->name = g_file_get_basename (file);
  job->file = g_object_ref (file);

  ts_cancellable_renew (&self->import_cancellable);
  if (!restore)
    {
      /* Translators: %s is a playlist file's name */
      status = g_strdup_printf (_("Importing “%s”…"), job->name);
      set_busy (self, status);
    }

  task = g_task_new (self, self->import_cancellable, on_import_done_cb, NULL);
  g_task_set_source_tag (task, ts_playlist_page_start_import);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);
  g_task_run_in_thread (task, import_thread);
}

static GtkFileFilter *
filter_new (const char         *name,
            const char * const *patterns,
            const char * const *mime_types)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; patterns != NULL && patterns[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  for (guint i = 0; mime_types != NULL && mime_types[i] != NULL; i++)
    gtk_file_filter_add_mime_type (filter, mime_types[i]);
  return filter;
}

static void
add_import_filters (GtkFileChooser *chooser)
{
  static const char * const all_patterns[] = { "*.csv", "*.m3u", "*.m3u8", "*.txt", "*.json",
                                               NULL };
  static const char * const csv[] = { "*.csv", NULL };
  static const char * const csv_types[] = { "text/csv", NULL };
  static const char * const m3u[] = { "*.m3u", "*.m3u8", NULL };
  static const char * const m3u_types[] = { "audio/x-mpegurl", "application/vnd.apple.mpegurl",
                                            NULL };
  static const char * const text[] = { "*.txt", NULL };
  static const char * const text_types[] = { "text/plain", NULL };
  g_autoptr(GtkFileFilter) all = filter_new (_("All Playlists"), all_patterns, NULL);
  g_autoptr(GtkFileFilter) exportify = filter_new (_("Exportify CSV"), csv, csv_types);
  g_autoptr(GtkFileFilter) m3u_filter = filter_new (_("M3U Playlists"), m3u, m3u_types);
  g_autoptr(GtkFileFilter) text_filter = filter_new (_("Lists of Spotify Links"), text,
                                                     text_types);

  gtk_file_chooser_add_filter (chooser, all);
  gtk_file_chooser_add_filter (chooser, exportify);
  gtk_file_chooser_add_filter (chooser, m3u_filter);
  gtk_file_chooser_add_filter (chooser, text_filter);
}

static GtkWindow *
get_window (TsPlaylistPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
on_import_response_cb (GtkNativeDialog *chooser,
                       int              response,
                       TsPlaylistPage  *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    ts_playlist_page_import_file (self, file);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (widget);

  if (self->chooser != NULL || self->dataset == NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Import a Playlist"), get_window (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  add_import_filters (GTK_FILE_CHOOSER (self->chooser));
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_import_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
on_drop_cb (GtkDropTarget  *target,
            const GValue   *value,
            double          x,
            double          y,
            TsPlaylistPage *self)
{
  GFile *file = NULL;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);

      file = files != NULL ? files->data : NULL;
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    file = g_value_get_object (value);
  if (file == NULL)
    return FALSE;
  if (ts_drop_file_is_image (file))
    g_signal_emit (self, signals[FOREIGN_FILE], 0, file);
  else
    ts_playlist_page_import_file (self, file);
  return TRUE;
}

/* A drop here imports a playlist (an image goes on to the Image page); the
 * window's own target keeps the other pages, as the innermost target takes
 * the drop. */
static void
init_drop_target (TsPlaylistPage *self)
{
  GtkDropTarget *target;
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
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
  songs_changed (self);
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
        songs_changed (self);
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
  show_undo_toast (self, message, "playlist.undo-remove");
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
  songs_changed (self);
}

guint
ts_playlist_page_get_n_songs (TsPlaylistPage *self)
{
  g_return_val_if_fail (TS_IS_PLAYLIST_PAGE (self), 0);

  return self->playlist != NULL ? self->playlist->rows->len : 0;
}

static void
new_playlist (TsPlaylistPage *self)
{
  g_clear_pointer (&self->playlist, ts_playlist_free);
  g_clear_pointer (&self->replaced, ts_playlist_free);
  self->playlist = ts_playlist_new (_("My Playlist"));
  self->can_undo_remove = FALSE;
  clear_report (self);
  songs_changed (self);
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
  clear_report (self);
  replace_playlist (self, ts_playlist_new (_("My Playlist")), message);
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
      show_toast (self, message);
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
  self->chooser = gtk_file_chooser_native_new (title, get_window (self),
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
  show_toast (self, message);
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

/* ---- recommendations -------------------------------------------------- */

/* The status may be ellipsized in a narrow window: the tooltip has it all. */
static void
set_status (TsPlaylistPage *self,
            const char     *status)
{
  gtk_label_set_text (self->recommendations_status, status);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->recommendations_status),
                               status[0] != '\0' ? status : NULL);
}

static void
set_recommendations_busy (TsPlaylistPage *self,
                          const char     *status,
                          gboolean        cancellable)
{
  gtk_widget_set_visible (GTK_WIDGET (self->recommendations_spinner), status != NULL);
  gtk_widget_set_visible (self->recommendations_cancel, status != NULL && cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playlist.cancel", status != NULL);
  if (status != NULL)
    set_status (self, status);
  if (status == NULL || !cancellable)
    gtk_widget_set_visible (GTK_WIDGET (self->training_progress), FALSE);
}

static void
set_recommendations (TsPlaylistPage *self,
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

  set_recommendations_busy (self, NULL, FALSE);
  if (found == NULL)
    {
      set_status (self, "");
      show_toast (self, error->message);
      return;
    }
  set_recommendations (self, found);
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
  set_status (self, status);
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
  set_status (self, status);
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
  set_recommendations_busy (self, _("Training on this playlist…"), TRUE);
  gtk_progress_bar_set_fraction (self->training_progress, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->training_progress), TRUE);
  ts_similar_playlist_train_async (job->similar, (const guint32 *) self->playlist->rows->data,
                                   self->playlist->rows->len, RECOMMENDATION_LIMIT,
                                   on_train_epoch_cb, progress, train_progress_free,
                                   self->query_cancellable, on_train_ready_cb, job);
}

static void
on_space_ready_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TsPlaylistPage) self = user_data;
  TsSpaceKind kind = TS_SPACE_KIND_BASE;
  g_autoptr(GError) error = NULL;
  TsSpace *space = ts_space_load_finish (result, &kind, NULL, &error);

  if (space == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (TS_DATASET (source) != self->dataset)
    {
      g_clear_pointer (&space, ts_space_unref);
      return;
    }
  self->preparing[kind] = FALSE;
  set_recommendations_busy (self, NULL, FALSE);
  if (space == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot prepare the space: %s"),
                                                  error->message);
      set_status (self, "");
      show_toast (self, message);
      return;
    }
  self->spaces[kind] = space;
  ts_playlist_page_recommend (self);
}

static void
prepare_space (TsPlaylistPage *self,
               TsSpaceKind     kind)
{
  if (self->preparing[kind])
    return;
  self->preparing[kind] = TRUE;
  set_recommendations_busy (self, ts_space_kind_get_preparing_message (kind), FALSE);
  ts_space_load_async (self->dataset, kind, self->space_cancellable, on_space_ready_cb,
                       g_object_ref (self));
}

/* Asks for songs like the playlist in the chosen mode, space and metric;
 * the answer replaces the recommendations. */
static void
ts_playlist_page_recommend (TsPlaylistPage *self)
{
  TsSpaceKind kind = (TsSpaceKind) gtk_drop_down_get_selected (self->space_dropdown);
  TsMetric metric = (TsMetric) gtk_drop_down_get_selected (self->metric_dropdown);
  TsPlaylistMode mode = (TsPlaylistMode) gtk_drop_down_get_selected (self->mode_dropdown);
  TsSimilarQuery query = { 0 };
  QueryJob *job;

  g_assert (TS_IS_PLAYLIST_PAGE (self));

  g_cancellable_cancel (self->query_cancellable);
  g_clear_object (&self->query_cancellable);
  set_recommendations_busy (self, NULL, FALSE);
  if (self->dataset == NULL || kind >= TS_N_SPACE_KINDS || metric >= TS_N_METRICS)
    return;
  self->recommendations_stale = FALSE;
  if (self->playlist->rows->len == 0)
    {
      set_recommendations (self, NULL);
      set_status (self,
                          _("Add songs to the playlist to get recommendations"));
      return;
    }
  if (self->spaces[kind] == NULL && kind == TS_SPACE_KIND_BASE)
    self->spaces[kind] = ts_space_new_base (self->dataset);
  if (self->spaces[kind] == NULL)
    {
      /* Asked again once the space is ready. */
      self->recommendations_stale = TRUE;
      prepare_space (self, kind);
      return;
    }

  self->query_cancellable = g_cancellable_new ();
  job = g_new0 (QueryJob, 1);
  job->page = g_object_ref (self);
  job->similar = ts_similar_new (self->dataset, self->spaces[kind], metric);
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
  set_recommendations_busy (self, _("Looking for songs like this playlist…"), FALSE);
  ts_similar_query_async (job->similar, &query, self->query_cancellable, on_query_ready_cb, job);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (widget);

  g_cancellable_cancel (self->query_cancellable);
  set_recommendations_busy (self, NULL, FALSE);
  set_status (self, _("Cancelled"));
  self->recommendations_stale = TRUE;
}

static void
on_option_changed_cb (TsPlaylistPage *self)
{
  self->recommendations_stale = TRUE;
  if (recommendations_shown (self))
    ts_playlist_page_recommend (self);
}

static void
on_view_changed_cb (TsPlaylistPage *self)
{
  if (self->recommendations_stale && recommendations_shown (self))
    ts_playlist_page_recommend (self);
}

/* ---- the dataset ------------------------------------------------------ */

static void
clear_spaces (TsPlaylistPage *self)
{
  for (guint k = 0; k < TS_N_SPACE_KINDS; k++)
    {
      g_clear_pointer (&self->spaces[k], ts_space_unref);
      self->preparing[k] = FALSE;
    }
}

/* A model was trained again (the Models dialog): spaces built on the old
 * one are stale, and the recommendations with them. */
static void
on_models_changed_cb (TsPlaylistPage *self,
                      const char     *kind)
{
  ts_cancellable_renew (&self->space_cancellable);
  clear_spaces (self);
  set_recommendations_busy (self, NULL, FALSE);
  on_option_changed_cb (self);
}

TsDataset *
ts_playlist_page_get_dataset (TsPlaylistPage *self)
{
  g_return_val_if_fail (TS_IS_PLAYLIST_PAGE (self), NULL);

  return self->dataset;
}

void
ts_playlist_page_set_dataset (TsPlaylistPage *self,
                              TsDataset      *dataset)
{
  g_return_if_fail (TS_IS_PLAYLIST_PAGE (self));
  g_return_if_fail (dataset == NULL || TS_IS_DATASET (dataset));

  if (!g_set_object (&self->dataset, dataset))
    return;

  /* Rows belong to a dataset: the playlist starts again with a new one. */
  g_cancellable_cancel (self->import_cancellable);
  g_cancellable_cancel (self->query_cancellable);
  ts_cancellable_renew (&self->space_cancellable);
  clear_spaces (self);
  set_busy (self, NULL);
  set_recommendations_busy (self, NULL, FALSE);
  set_recommendations (self, NULL);
  set_status (self, "");
  /* The empty playlist must not replace the last session's on disk. */
  self->restoring = TRUE;
  new_playlist (self);
  self->restoring = FALSE;
  if (dataset != NULL)
    start_restore (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
}

/* ---- the class -------------------------------------------------------- */

/* Arriving on the page with the recommendations in view brings them up to
 * date. */
static void
ts_playlist_page_map (GtkWidget *widget)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (widget);

  GTK_WIDGET_CLASS (ts_playlist_page_parent_class)->map (widget);
  on_view_changed_cb (self);
}

static void
ts_playlist_page_dispose (GObject *object)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (object);

  g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  g_cancellable_cancel (self->query_cancellable);
  g_clear_object (&self->query_cancellable);
  g_cancellable_cancel (self->space_cancellable);
  g_clear_object (&self->space_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->report_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TS_TYPE_PLAYLIST_PAGE);
  g_clear_object (&self->dataset);
  clear_spaces (self);

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
    case PROP_DATASET:
      g_value_set_object (value, self->dataset);
      break;

    case PROP_N_SONGS:
      g_value_set_uint (value, ts_playlist_page_get_n_songs (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ts_playlist_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TsPlaylistPage *self = TS_PLAYLIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      ts_playlist_page_set_dataset (self, g_value_get_object (value));
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
  object_class->set_property = ts_playlist_page_set_property;
  widget_class->map = ts_playlist_page_map;

  properties[PROP_DATASET] =
    g_param_spec_object ("dataset", NULL, NULL,
                         TS_TYPE_DATASET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
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

  gtk_widget_class_install_action (widget_class, "playlist.import", NULL, import_action);
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
  gtk_widget_class_install_action (widget_class, "playlist.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "playlist.import", NULL);

  g_type_ensure (TS_TYPE_TRACK_LIST);
  gtk_widget_class_set_css_name (widget_class, "tsplaylistpage");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ts-playlist-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, TsPlaylistPage, busy_label);
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
  gtk_widget_class_bind_template_callback (widget_class, on_option_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_view_changed_cb);
}

static void
ts_playlist_page_init (TsPlaylistPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The playlist's own songs are removed, not added. */
  ts_track_list_set_row_action (self->songs_list, "playlist.remove", "list-remove-symbolic",
                                _("Remove from playlist"));

  self->report_rows = g_ptr_array_new ();
  self->space_cancellable = g_cancellable_new ();
  self->playlist = ts_playlist_new (_("My Playlist"));
  set_recommendations (self, NULL);
  set_recommendations_busy (self, NULL, FALSE);
  songs_changed (self);
  init_drop_target (self);
  if (TS_IS_APPLICATION (g_application_get_default ()))
    g_signal_connect_object (g_application_get_default (), "models-changed",
                             G_CALLBACK (on_models_changed_cb), self, G_CONNECT_SWAPPED);
}
