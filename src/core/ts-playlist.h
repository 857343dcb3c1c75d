/* ts-playlist.h: playlists from and to files, matched against the dataset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ts-types.h"

G_BEGIN_DECLS

typedef enum
{
  TS_PLAYLIST_FORMAT_AUTO,       /* import: from the content and the extension */
  TS_PLAYLIST_FORMAT_CSV,        /* Exportify's CSV */
  TS_PLAYLIST_FORMAT_M3U,        /* M3U/M3U8 (exported with Spotify links) */
  TS_PLAYLIST_FORMAT_URI_LIST,   /* spotify:track:ID or open.spotify.com links */
  TS_PLAYLIST_FORMAT_TUNESCOPE,  /* Tunescope's own JSON */
} TsPlaylistFormat;

typedef enum
{
  TS_PLAYLIST_ENTRY_MATCHED,    /* by track id, or by a unique artist + title */
  TS_PLAYLIST_ENTRY_AMBIGUOUS,  /* artist + title name several songs: the most popular kept */
  TS_PLAYLIST_ENTRY_UNMATCHED,  /* not in the dataset, or not a track at all */
  TS_PLAYLIST_ENTRY_DUPLICATE,  /* the same song as an earlier entry: dropped */
} TsPlaylistEntryStatus;

/* One track line of an imported file. */
typedef struct
{
  guint                 line;      /* 1-based, where the entry starts */
  TsPlaylistEntryStatus status;
  char                 *track_id;  /* from the file, or NULL */
  char                 *artist;    /* from the file, or NULL */
  char                 *title;     /* from the file, or NULL (a junk line's text) */
  guint32               row;       /* the song, or G_MAXUINT32 */
  guint                 n_candidates;
} TsPlaylistEntry;

typedef struct
{
  char             *name;
  TsPlaylistFormat  format;    /* what the file was */
  GArray           *rows;      /* guint32: the songs, in order, each once */
  GPtrArray        *entries;   /* TsPlaylistEntry: what the import found */
  guint             n_matched;
  guint             n_ambiguous;
  guint             n_unmatched;
  guint             n_duplicates;
} TsPlaylist;

/* What an import accepts. Spotify's playlists hold up to 10,000 tracks,
 * and an Exportify row is about 1 KB: the caps leave ten times that room,
 * and refuse a file that would take gigabytes to import. */
#define TS_PLAYLIST_MAX_FILE_BYTES (64 * 1024 * 1024)
#define TS_PLAYLIST_MAX_ENTRIES    100000u

TsPlaylist       *ts_playlist_new             (const char        *name);
void              ts_playlist_free            (TsPlaylist        *self);
/* Appends @row unless the playlist has it; returns whether it did. */
gboolean          ts_playlist_add_row         (TsPlaylist        *self,
                                               guint32            row);

/* Reads @path (any format above) and matches its tracks: by id first,
 * then by normalised artist + title. A malformed file fails with
 * TS_ERROR_INVALID_INPUT naming FILE:LINE, and so does one over the caps
 * above (the size is checked before reading). */
TsPlaylist       *ts_playlist_load            (TsDataset         *dataset,
                                               const char        *path,
                                               GError           **error);
/* The same from memory; @name names the file in errors. */
TsPlaylist       *ts_playlist_parse           (TsDataset         *dataset,
                                               const char        *name,
                                               const char        *contents,
                                               gssize             length,
                                               TsPlaylistFormat   format,
                                               GError           **error);

/* From the extension: .m3u/.m3u8, .csv, .json, .txt (URI list). */
TsPlaylistFormat  ts_playlist_format_for_path (const char        *path);
char             *ts_playlist_to_string       (TsPlaylist        *self,
                                               TsDataset         *dataset,
                                               TsPlaylistFormat   format);
/* Writes atomically: the file appears whole or not at all. AUTO picks
 * the format from the extension (M3U8 when unknown). */
gboolean          ts_playlist_save            (TsPlaylist        *self,
                                               TsDataset         *dataset,
                                               const char        *path,
                                               TsPlaylistFormat   format,
                                               GError           **error);

/* The 22-character id in "spotify:track:ID" or an open.spotify.com track
 * link, or NULL. */
char             *ts_playlist_parse_track_id  (const char        *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsPlaylist, ts_playlist_free)

G_END_DECLS
