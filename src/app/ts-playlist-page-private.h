/* ts-playlist-page-private.h: the Playlist page's state, shared by its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ts-playlist-page.h"
#include "ts-track-list.h"

G_BEGIN_DECLS

struct _TsPlaylistPage
{
  TsPage                parent_instance;

  TsDataset            *dataset;           /* the page's, kept by TsPage */
  /* The songs; its entries are the last import's report. */
  TsPlaylist           *playlist;
  /* What an import replaced, until its toast's Undo or the next import. */
  TsPlaylist           *replaced;
  GArray               *recommendations;   /* TsSimilarResult */
  gboolean              recommendations_stale;
  GCancellable         *import_cancellable;
  GCancellable         *query_cancellable;
  GtkFileChooserNative *chooser;
  /* While the last session's playlist is read back, changes are not saved
   * (they would overwrite it with the empty playlist). */
  gboolean              restoring;
  /* The last keeping of the playlist failed and a toast said so: the next
   * failures stay quiet until one succeeds. */
  gboolean              session_unsaved;
  GPtrArray            *report_rows;       /* the rows added under report_row */
  /* The last song removed from the list, for its toast's Undo. */
  guint32               removed_row;
  guint                 removed_index;
  gboolean              can_undo_remove;

  GtkStack             *content_stack;
  GtkLabel             *name_label;
  GtkLabel             *count_label;
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

/* ts-playlist-page.c */
void        _ts_playlist_page_toast                    (TsPlaylistPage *self,
                                                        const char     *message);
GtkWindow  *_ts_playlist_page_get_window               (TsPlaylistPage *self);
void        _ts_playlist_page_emit_foreign_file        (TsPlaylistPage *self,
                                                        GFile          *file);
/* The songs changed: the count, the saved session, the recommendations. */
void        _ts_playlist_page_songs_changed            (TsPlaylistPage *self);
char       *_ts_playlist_page_dup_session_path         (void);
void        _ts_playlist_page_save_session             (TsPlaylistPage *self);
void        _ts_playlist_page_new_playlist             (TsPlaylistPage *self);
void        _ts_playlist_page_replace_playlist         (TsPlaylistPage *self,
                                                        TsPlaylist     *playlist,
                                                        const char     *message);
gboolean    _ts_playlist_page_recommendations_shown    (TsPlaylistPage *self);

/* ts-playlist-page-import.c */
void        _ts_playlist_page_import_class_init        (GtkWidgetClass *widget_class);
void        _ts_playlist_page_init_drop_target         (TsPlaylistPage *self);
void        _ts_playlist_page_clear_report             (TsPlaylistPage *self);
/* Reads the last session's playlist back. */
void        _ts_playlist_page_start_restore            (TsPlaylistPage *self);

/* ts-playlist-page-recommend.c */
void        _ts_playlist_page_recommend_class_init     (TsPlaylistPageClass *klass);
/* Asks for songs like the playlist; the answer replaces the list. */
void        _ts_playlist_page_recommend                (TsPlaylistPage *self);
void        _ts_playlist_page_set_recommendations      (TsPlaylistPage *self,
                                                        GArray         *found);
void        _ts_playlist_page_set_recommendations_busy (TsPlaylistPage *self,
                                                        const char     *status,
                                                        gboolean        cancellable);
void        _ts_playlist_page_set_recommendations_status (TsPlaylistPage *self,
                                                        const char     *status);
/* The mode, space or metric changed: the recommendations are stale. */
void        _ts_playlist_page_options_changed          (TsPlaylistPage *self);
/* Arriving on the Recommendations view brings stale ones up to date. */
void        _ts_playlist_page_view_changed             (TsPlaylistPage *self);

G_END_DECLS
