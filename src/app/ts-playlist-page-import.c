/* ts-playlist-page-import.c: the Playlist page's import and its report
 *
 * A file (chosen, dropped, or the last session's playlist) is parsed and
 * matched against the dataset in a worker; the report lists what matched
 * and what did not, and the import can be undone from its toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-playlist-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ts-app-util.h"
#include "ts-drop.h"
#include "ts-playlist-page-private.h"

/* Rows of the report beyond which the rest is only counted: a junk file of
 * 10k lines must not build 10k widgets. */
#define REPORT_ROW_LIMIT 200

/* ---- the import report ------------------------------------------------ */

void
_ts_playlist_page_clear_report (TsPlaylistPage *self)
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

  _ts_playlist_page_clear_report (self);
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
      _ts_playlist_page_songs_changed (self);
      return;
    }
  _ts_playlist_page_save_session (self);
}

static void ts_playlist_page_start_import (TsPlaylistPage *self,
                                           GFile          *file,
                                           gboolean        restore);

void
_ts_playlist_page_start_restore (TsPlaylistPage *self)
{
  g_autofree char *path = _ts_playlist_page_dup_session_path ();
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
  ts_page_set_busy (TS_PAGE (self), NULL);
  if (job->is_dataset)
    {
      /* A dataset dropped here by mistake opens as one would elsewhere. */
      _ts_playlist_page_emit_foreign_file (self, job->file);
      return;
    }
  if (playlist == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s says what is wrong, e.g. "mix.m3u:3: not UTF-8 text" */
      message = g_strdup_printf (_("Cannot import: %s"), error->message);
      _ts_playlist_page_toast (self, message);
      return;
    }

  show_report (self, playlist, job->name);
  gtk_stack_set_visible_child_name (self->view_stack, "songs");
  /* Translators: %s is the name of the playlist an import replaces */
  replaced = g_strdup_printf (_("Replaced “%s”"), self->playlist->name);
  _ts_playlist_page_replace_playlist (self, g_steal_pointer (&playlist), replaced);
  if (self->playlist->rows->len == 0)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a playlist file's name */
      message = g_strdup_printf (_("No song of “%s” is in the dataset"), job->name);
      _ts_playlist_page_toast (self, message);
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
      _ts_playlist_page_toast (self, _("Only files on this computer can be imported"));
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
      ts_page_set_busy (TS_PAGE (self), status);
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
  self->chooser = gtk_file_chooser_native_new (_("Import a Playlist"), _ts_playlist_page_get_window (self),
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
    _ts_playlist_page_emit_foreign_file (self, file);
  else
    ts_playlist_page_import_file (self, file);
  return TRUE;
}

/* A drop here imports a playlist (an image goes on to the Image page); the
 * window's own target keeps the other pages, as the innermost target takes
 * the drop. */
void
_ts_playlist_page_init_drop_target (TsPlaylistPage *self)
{
  GtkDropTarget *target;
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

void
_ts_playlist_page_import_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "playlist.import", NULL, import_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "playlist.import", NULL);
}
