/* ts-spotify.h: where a track's cover lives, asked of Spotify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  /* oEmbed: no credentials, 300 px covers (the default). */
  TS_ART_SOURCE_OEMBED,
  /* The Web API with the user's client id and secret. */
  TS_ART_SOURCE_API,
} TsArtSource;

const char *ts_art_source_get_name   (TsArtSource  source);
gboolean    ts_art_source_from_name  (const char  *name,
                                      TsArtSource *source);

/* Whether @id looks like a Spotify track id (letters and digits). */
gboolean    ts_spotify_is_track_id   (const char  *id);

/* How requests are retried. 5xx answers and network failures (timeouts
 * included) are retried up to @max_attempts in all, waiting a capped
 * exponential backoff with jitter; a 429 waits its Retry-After when that is
 * at most @max_retry_after_s, else fails with TS_ERROR_RATE_LIMITED at once,
 * and so does every later request to that host until the wait is over. */
typedef struct
{
  guint max_attempts;
  guint base_delay_ms;
  guint max_delay_ms;
  guint max_retry_after_s;
  guint connect_timeout_ms;
  guint timeout_ms;
} TsSpotifyPolicy;

/* A client for oEmbed, the accounts service and the Web API, safe to use
 * from several threads at once. Base URLs come from
 * TUNESCOPE_SPOTIFY_API_URL, TUNESCOPE_SPOTIFY_ACCOUNTS_URL and
 * TUNESCOPE_OEMBED_URL when set. */
typedef struct _TsSpotify TsSpotify;

TsSpotify  *ts_spotify_new                  (void);
TsSpotify  *ts_spotify_ref                  (TsSpotify             *self);
void        ts_spotify_unref                (TsSpotify             *self);

/* Overrides the base URLs (NULL keeps one), e.g.
 * "https://api.spotify.com/v1", "https://accounts.spotify.com",
 * "https://open.spotify.com/oembed". Call before the first request. */
void        ts_spotify_set_base_urls        (TsSpotify             *self,
                                             const char            *api_url,
                                             const char            *accounts_url,
                                             const char            *oembed_url);
void        ts_spotify_get_policy           (TsSpotify             *self,
                                             TsSpotifyPolicy       *policy);
void        ts_spotify_set_policy           (TsSpotify             *self,
                                             const TsSpotifyPolicy *policy);
/* Connections in all and requests at once to one host (both at least 1;
 * default 4 and 4). Requests share one curl multi handle, so connections
 * are reused and HTTP/2 streams multiplexed where a server offers it. */
void        ts_spotify_set_connections      (TsSpotify             *self,
                                             guint                  max_connections,
                                             guint                  max_per_host);
/* The user's client credentials, kept in memory only (NULL clears them). */
void        ts_spotify_set_credentials      (TsSpotify             *self,
                                             const char            *client_id,
                                             const char            *client_secret);
gboolean    ts_spotify_has_credentials      (TsSpotify             *self);
/* Asks for a token now: "test connection". */
gboolean    ts_spotify_check_credentials    (TsSpotify             *self,
                                             GCancellable          *cancellable,
                                             GError               **error);

/* The URL of @track_id's cover, the one that best fits @size pixels for
 * the API. Returns NULL without an error when the track has no cover (or
 * is unknown); then @reason (may be NULL) tells why. */
char       *ts_spotify_lookup_cover_url     (TsSpotify             *self,
                                             TsArtSource            source,
                                             const char            *track_id,
                                             guint                  size,
                                             char                 **reason,
                                             GCancellable          *cancellable,
                                             GError               **error);
/* Downloads an image (at most 10 MiB), with the same retries. */
GBytes     *ts_spotify_download_image       (TsSpotify             *self,
                                             const char            *url,
                                             GCancellable          *cancellable,
                                             GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsSpotify, ts_spotify_unref)

G_END_DECLS
