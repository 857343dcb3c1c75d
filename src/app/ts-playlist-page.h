/* ts-playlist-page.h: the Playlist page (import, build, recommend, export)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ts-page.h"

G_BEGIN_DECLS

#define TS_TYPE_PLAYLIST_PAGE (ts_playlist_page_get_type ())

G_DECLARE_FINAL_TYPE (TsPlaylistPage, ts_playlist_page, TS, PLAYLIST_PAGE, TsPage)

guint      ts_playlist_page_get_n_songs  (TsPlaylistPage *self);
/* Reads and matches @file in a worker; the page then shows its songs and
 * the match report, or a toast naming the file and line at fault. */
void       ts_playlist_page_import_file  (TsPlaylistPage *self,
                                          GFile          *file);
/* Appends the song with the Spotify id @track_id. Fails with TS_ERROR_EXISTS
 * when the playlist has it, TS_ERROR_INVALID_INPUT when the dataset has not. */
gboolean   ts_playlist_page_add_track    (TsPlaylistPage *self,
                                          const char     *track_id,
                                          GError        **error);
/* Returns whether the playlist had the song. */
gboolean   ts_playlist_page_remove_track (TsPlaylistPage *self,
                                          const char     *track_id);

G_END_DECLS
