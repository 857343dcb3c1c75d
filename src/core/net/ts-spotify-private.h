/* ts-spotify-private.h: what Spotify's answers are read into, apart from
 * asking for them (for the tests and the fuzzing harness)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ts-spotify.h"

G_BEGIN_DECLS

/* Each reads the @body of a 200 answer from @url (named in errors). An
 * error means the answer was not what the service documents; a NULL
 * result with @reason set means the track has no cover. */

/* The token endpoint: the access token and its lifetime in seconds
 * (at least 1, at most a day). */
char *_ts_spotify_parse_token  (const char  *url,
                                GBytes      *body,
                                gint64      *expires_in,
                                GError     **error);
/* oEmbed: the cover's address. */
char *_ts_spotify_parse_oembed (const char  *url,
                                GBytes      *body,
                                char       **reason,
                                GError     **error);
/* The Web API's track: the address of the smallest cover at least
 * @size wide. */
char *_ts_spotify_parse_track  (const char  *url,
                                GBytes      *body,
                                guint        size,
                                char       **reason,
                                GError     **error);

G_END_DECLS
