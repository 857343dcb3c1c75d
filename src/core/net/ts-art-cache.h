/* ts-art-cache.h: album covers on disk, fetched from Spotify when missing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ts-spotify.h"
#include "ts-types.h"

G_BEGIN_DECLS

typedef enum
{
  TS_ART_FETCHED,   /* downloaded now */
  TS_ART_CACHED,    /* already on disk */
  TS_ART_MISSING,   /* the track has no cover (remembered for a while) */
  TS_ART_FAILED,
} TsArtOutcome;

const char *ts_art_outcome_get_name (TsArtOutcome outcome);

/* One track's result in a batch. */
typedef struct
{
  char         *id;
  TsArtOutcome  outcome;
  char         *path;    /* the cover file, for FETCHED and CACHED */
  char         *reason;  /* why, for MISSING and FAILED */
} TsArtResult;

void ts_art_result_free (TsArtResult *result);

/* A folder of covers keyed by track id: ID.jpg holds the image, ID.url the
 * address it came from, ID.none marks a track without a cover. Writes are
 * atomic; the folder is kept under a size cap by evicting the least
 * recently used covers; a cover that no longer decodes is dropped and
 * fetched again. Safe to use from several threads at once. */
typedef struct _TsArtCache TsArtCache;

/* $XDG_CACHE_HOME/tunescope/art */
char         *ts_art_cache_dup_default_dir  (void);

/* @dir NULL: the default folder. Created on the first write. */
TsArtCache   *ts_art_cache_new              (const char     *dir);
TsArtCache   *ts_art_cache_ref              (TsArtCache     *self);
void          ts_art_cache_unref            (TsArtCache     *self);
const char   *ts_art_cache_get_dir          (TsArtCache     *self);

/* Default 256 MiB; 0: no cap. */
void          ts_art_cache_set_max_size     (TsArtCache     *self,
                                             guint64         max_size);
/* How long "no cover" is believed, in seconds (default a week). */
void          ts_art_cache_set_missing_ttl  (TsArtCache     *self,
                                             gint64          seconds);
/* The size of the covers on disk, in bytes. */
guint64       ts_art_cache_get_size         (TsArtCache     *self);

/* The path of @id's cover when it is on disk and decodes (marking it
 * recently used), else NULL; @missing (may be NULL) tells whether the
 * track is known to have no cover. */
char         *ts_art_cache_lookup           (TsArtCache     *self,
                                             const char     *id,
                                             gboolean       *missing);
/* The address @id's cover came from, or NULL. */
char         *ts_art_cache_dup_url          (TsArtCache     *self,
                                             const char     *id);
gboolean      ts_art_cache_store            (TsArtCache     *self,
                                             const char     *id,
                                             const char     *url,
                                             GBytes         *image,
                                             GError        **error);
gboolean      ts_art_cache_store_missing    (TsArtCache     *self,
                                             const char     *id,
                                             GError        **error);
void          ts_art_cache_remove           (TsArtCache     *self,
                                             const char     *id);
gboolean      ts_art_cache_clear            (TsArtCache     *self,
                                             GError        **error);
/* Evicts the least recently used covers until the folder fits the cap. */
void          ts_art_cache_trim             (TsArtCache     *self);

/* The cover of @id from the cache, else from @spotify through @source
 * (@size: the pixel size wanted). Returns the path, or NULL: then
 * @outcome is TS_ART_MISSING with @reason set, or TS_ART_FAILED with
 * @error set. Nothing partial or undecodable is ever stored. */
char         *ts_art_cache_fetch            (TsArtCache     *self,
                                             TsSpotify      *spotify,
                                             TsArtSource     source,
                                             const char     *id,
                                             guint           size,
                                             TsArtOutcome   *outcome,
                                             char          **reason,
                                             GCancellable   *cancellable,
                                             GError        **error);
void          ts_art_cache_fetch_async      (TsArtCache          *self,
                                             TsSpotify           *spotify,
                                             TsArtSource          source,
                                             const char          *id,
                                             guint                size,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
/* The result, with outcome, path and reason; NULL with @error on
 * failure or cancellation. */
TsArtResult  *ts_art_cache_fetch_finish     (GAsyncResult        *result,
                                             GError             **error);

/* Fetches @ids with @jobs requests at once. Progress counts finished
 * tracks. Returns TsArtResult per id, in order; fails only when cancelled. */
GPtrArray    *ts_art_cache_fetch_many       (TsArtCache         *self,
                                             TsSpotify          *spotify,
                                             TsArtSource         source,
                                             const char * const *ids,
                                             guint               size,
                                             guint               jobs,
                                             TsProgressFunc      progress,
                                             gpointer            progress_data,
                                             GCancellable       *cancellable,
                                             GError            **error);
/* Progress reaches the caller's thread-default main context. */
void          ts_art_cache_fetch_many_async (TsArtCache          *self,
                                             TsSpotify           *spotify,
                                             TsArtSource          source,
                                             const char * const  *ids,
                                             guint                size,
                                             guint                jobs,
                                             TsProgressFunc       progress,
                                             gpointer             progress_data,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GPtrArray    *ts_art_cache_fetch_many_finish (GAsyncResult       *result,
                                              GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsArtCache, ts_art_cache_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsArtResult, ts_art_result_free)

G_END_DECLS
