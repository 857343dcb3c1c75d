/* ts-covers.h: the CNN's training pairs (cover image, song features)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A manifest (JSON) under $XDG_CACHE_HOME/tunescope/covers/ keeps one
 * entry per matched image: {"file": absolute path, "source": "folder",
 * "id": the song's Spotify id, "features": the 13 scaled features}.
 * Collecting again skips the files already in it (resumable).
 *
 * A folder's images are matched to songs by their name without the
 * extension: a Spotify track id ("ID.jpg"); else "Artist - Title" (folded
 * for search, the artist among the song's artists); else "Title_Anything"
 * (the cover-art-sabinabains naming: a title and a playlist), the most
 * popular song with that exact folded title. A "Title_Playlist" cover whose
 * playlist is a genre (ts-cover-genres.h) is kept even when no song
 * matches it: its target is that genre's mean profile in the dataset,
 * a coarse but reliable label, where a title match is often another song
 * of the same name. Covers are never Spotify's: Spotify forbids training
 * models on its content.
 */

#pragma once

#include <gio/gio.h>

#include "ts-dataset.h"

G_BEGIN_DECLS

typedef struct
{
  char  *file;
  char  *source;
  char  *id;                      /* the matched song's, or NULL */
  float  features[TS_N_FEATURES]; /* the training target */
  char  *genre;                   /* the cover genre its playlist names, or NULL */
} TsCoverEntry;

typedef struct _TsCoverManifest TsCoverManifest;

/* $XDG_CACHE_HOME/tunescope/covers */
char            *ts_covers_default_dir      (void);

TsCoverManifest *ts_cover_manifest_new      (void);
/* A missing file is an empty manifest; a broken one is
 * TS_ERROR_INVALID_INPUT. */
TsCoverManifest *ts_cover_manifest_load     (const char       *path,
                                             GError          **error);
/* Atomic. Creates the folders. */
gboolean         ts_cover_manifest_save     (TsCoverManifest  *self,
                                             const char       *path,
                                             GError          **error);
void             ts_cover_manifest_free     (TsCoverManifest  *self);
guint            ts_cover_manifest_get_n_entries (TsCoverManifest *self);
const TsCoverEntry *ts_cover_manifest_get_entry  (TsCoverManifest *self,
                                                  guint            index);
gboolean         ts_cover_manifest_has_file (TsCoverManifest  *self,
                                             const char       *file);
/* Copies the strings. */
void             ts_cover_manifest_add      (TsCoverManifest  *self,
                                             const TsCoverEntry *entry);

/* What a network source made of a song, so that a rerun skips it: a
 * cover found, none to be found (no matching recording, no front cover),
 * or a bad answer (malformed JSON, HTML, a truncated image…). Kept in the
 * manifest's "tried" object, per source, with the reason. */
typedef enum
{
  TS_COVER_TRY_FOUND,
  TS_COVER_TRY_NOT_FOUND,
  TS_COVER_TRY_FAILED,
} TsCoverTry;

const char      *ts_cover_try_get_name      (TsCoverTry        status);
/* Replaces what was recorded for @id. @reason may be NULL. */
void             ts_cover_manifest_set_tried (TsCoverManifest  *self,
                                              const char       *source,
                                              const char       *id,
                                              TsCoverTry        status,
                                              const char       *reason);
/* FALSE when @id was never tried by @source; @reason (may be NULL) gets
 * a borrowed string or NULL. */
gboolean         ts_cover_manifest_get_tried (TsCoverManifest  *self,
                                              const char       *source,
                                              const char       *id,
                                              TsCoverTry       *status,
                                              const char      **reason);
/* How many songs @source tried with that outcome. */
guint            ts_cover_manifest_count_tried (TsCoverManifest *self,
                                                const char      *source,
                                                TsCoverTry       status);

/* Matching file names to songs; built once per dataset. */
typedef struct _TsCoverMatcher TsCoverMatcher;

TsCoverMatcher  *ts_cover_matcher_new       (TsDataset        *dataset);
void             ts_cover_matcher_free      (TsCoverMatcher   *self);
/* The row named by @basename (with or without extension), or -1. */
int              ts_cover_matcher_match     (TsCoverMatcher   *self,
                                             const char       *basename);

/* Called after each file looked at. */
typedef void (*TsCoversProgressFunc) (guint       done,
                                      guint       total,
                                      guint       added,
                                      const char *file,
                                      gpointer    user_data);

typedef struct
{
  guint seen;       /* image files looked at */
  guint skipped;    /* already in the manifest */
  guint added;
  guint by_genre;   /* of the added, those whose target is their genre's profile */
  guint unmatched;
} TsCoversCollectStats;

/* Adds the images of @dir (*.jpg, *.jpeg, *.png; sorted by name) that
 * match a song and are not in @manifest yet, at most @limit new ones
 * (0: no limit). The images are not decoded here. */
gboolean         ts_covers_collect_folder   (TsCoverManifest       *manifest,
                                             TsDataset             *dataset,
                                             const char            *dir,
                                             guint                  limit,
                                             TsCoversProgressFunc   progress,
                                             gpointer               user_data,
                                             GCancellable          *cancellable,
                                             TsCoversCollectStats  *stats,
                                             GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsCoverManifest, ts_cover_manifest_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsCoverMatcher, ts_cover_matcher_free)

G_END_DECLS
