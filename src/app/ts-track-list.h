/* ts-track-list.h: a scrolling list of songs with their covers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tunescope-core.h"

G_BEGIN_DECLS

#define TS_TYPE_TRACK_LIST (ts_track_list_get_type ())

G_DECLARE_FINAL_TYPE (TsTrackList, ts_track_list, TS, TRACK_LIST, GtkWidget)

GtkWidget  *ts_track_list_new                 (void);

/* Songs found by a similarity query (GArray of TsSimilarResult, nearest
 * first): each row has a match bar and a "Why?" popover. */
void        ts_track_list_set_results         (TsTrackList  *self,
                                               TsDataset    *dataset,
                                               GArray       *results);
/* Plain songs (rows of @dataset), e.g. a playlist's: no match, no why. */
void        ts_track_list_set_rows            (TsTrackList  *self,
                                               TsDataset    *dataset,
                                               const guint  *rows,
                                               guint         n_rows);
void        ts_track_list_clear               (TsTrackList  *self);
guint       ts_track_list_get_n_items         (TsTrackList  *self);

/* Each row's "Add to playlist" button activates win.add-to-playlist with
 * the track id ("s"); hidden where the window has no such action,
 * insensitive while it is disabled. */
gboolean    ts_track_list_get_show_add_button (TsTrackList  *self);
void        ts_track_list_set_show_add_button (TsTrackList  *self,
                                               gboolean      show_add_button);

/* The list's accessible name ("Similar songs"). */
const char *ts_track_list_get_list_label      (TsTrackList  *self);
void        ts_track_list_set_list_label      (TsTrackList  *self,
                                               const char   *list_label);

G_END_DECLS
