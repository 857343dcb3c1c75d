/* ts-musicbrainz.h: training covers from the Cover Art Archive, found
 * through MusicBrainz
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For each dataset song, most popular first: a MusicBrainz recording
 * search by title and artist (at most one request per interval, 1 s by
 * MusicBrainz's rules, with a User-Agent naming Tunescope and its
 * website), the best release of the matching recordings (official, an
 * album, not a compilation), then its front-250 cover from the Cover Art
 * Archive. Each cover is checked by decoding it and saved atomically as
 * IMAGE_DIR/SPOTIFY-ID.jpg; the manifest gets the pair (image, features)
 * and, per song, what came of it (found, not found, failed with the
 * reason), so that a rerun skips the songs already tried.
 *
 * Base URLs: $TUNESCOPE_MUSICBRAINZ_URL (the web service root, default
 * https://musicbrainz.org/ws/2) and $TUNESCOPE_COVERART_URL (default
 * https://coverartarchive.org).
 */

#pragma once

#include <gio/gio.h>

#include "ts-covers.h"
#include "ts-dataset.h"

G_BEGIN_DECLS

/* The manifest's "source" of these covers and its "tried" key. */
#define TS_MUSICBRAINZ_SOURCE "musicbrainz"

typedef struct
{
  /* Songs to try in this run (0: every song not tried yet). */
  guint       limit;
  /* Try again the songs an earlier run marked failed (a bad answer may
   * have been passing trouble); found and not-found songs stay done. */
  gboolean    retry_failed;
  /* Between two MusicBrainz requests. 1000; $TUNESCOPE_MUSICBRAINZ_INTERVAL_MS
   * overrides it only together with $TUNESCOPE_MUSICBRAINZ_URL (tests). */
  guint       interval_ms;
  /* Where the images go (NULL: ts_covers_default_dir ()/musicbrainz). */
  const char *image_dir;
  /* When set, the manifest is saved there every few seconds and when the
   * run ends, cancelled or failed included, so that no progress is lost. */
  const char *manifest_path;
} TsMusicBrainzOptions;

typedef struct
{
  guint       done;       /* songs handled in this run */
  guint       total;      /* songs this run handles */
  guint       found;      /* covers added in this run */
  guint       not_found;  /* no matching recording, no front cover */
  guint       failed;     /* bad answers */
  guint       skipped;    /* tried by an earlier run */
  double      eta_s;      /* seconds left; negative while unknown */
  const char *artist;     /* the song just handled (NULL in the result) */
  const char *title;
} TsMusicBrainzProgress;

/* Called after each song, from the thread running the collection. */
typedef void (*TsMusicBrainzProgressFunc) (const TsMusicBrainzProgress *progress,
                                           gpointer                     user_data);

void     ts_musicbrainz_options_init   (TsMusicBrainzOptions         *options);

/* Blocks for about a second per song: run it in a worker thread, owning
 * @manifest and @dataset meanwhile. Fails only on cancellation
 * (G_IO_ERROR_CANCELLED), transport trouble (TS_ERROR_NETWORK: MusicBrainz
 * unreachable), MusicBrainz refusing service (rate limited past its
 * retries) or a manifest or image that cannot be written; what was done
 * until then stays in @manifest (and the manifest file). A bad answer
 * about one song only marks that song failed. @result (may be NULL) gets
 * the run's counts. */
gboolean ts_covers_collect_musicbrainz (TsCoverManifest              *manifest,
                                        TsDataset                    *dataset,
                                        const TsMusicBrainzOptions   *options,
                                        TsMusicBrainzProgressFunc     progress,
                                        gpointer                      user_data,
                                        GCancellable                 *cancellable,
                                        TsMusicBrainzProgress        *result,
                                        GError                      **error);

/* The same in a worker thread, for the app: @progress runs in the
 * caller's thread-default main context, every report before @callback.
 * @manifest stays the caller's and must not be used until
 * ts_covers_collect_musicbrainz_finish () (the dataset is referenced; the
 * option strings are copied). @progress_data_free runs when the last
 * report is delivered. */
void     ts_covers_collect_musicbrainz_async  (TsCoverManifest            *manifest,
                                               TsDataset                  *dataset,
                                               const TsMusicBrainzOptions *options,
                                               TsMusicBrainzProgressFunc   progress,
                                               gpointer                    progress_data,
                                               GDestroyNotify              progress_data_free,
                                               GCancellable               *cancellable,
                                               GAsyncReadyCallback         callback,
                                               gpointer                    user_data);
/* @counts (may be NULL) gets the run's counts, also on failure. */
gboolean ts_covers_collect_musicbrainz_finish (GAsyncResult               *result,
                                               TsMusicBrainzProgress      *counts,
                                               GError                    **error);

/* The User-Agent MusicBrainz asks for:
 * "Tunescope/VERSION ( https://github.com/tunescope/tunescope )". */
const char *ts_musicbrainz_get_user_agent (void);

G_END_DECLS
