/* fuzz-spotify.c: Spotify's JSON answers (the token endpoint, oEmbed and
 * the Web API's track), each input read as all three
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "net/ts-spotify-private.h"
#include "ts-fuzz.h"

#define URL "https://api.spotify.com/v1/tracks/0aaaaaaaaaaaaaaaaaaaa1"

/* Exactly one of a result, a reason and an error. */
static void
check (char   *result,
       char   *reason,
       GError *error)
{
  if ((result != NULL) + (reason != NULL) + (error != NULL) != 1)
    abort ();
  g_free (result);
  g_free (reason);
  g_clear_error (&error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  GError *error = NULL;
  char *reason = NULL;
  char *result;
  gint64 expires_in = 0;

  result = _ts_spotify_parse_token (URL, body, &expires_in, &error);
  if (result != NULL && (*result == '\0' || strpbrk (result, "\r\n") != NULL ||
                         expires_in < 1 || expires_in > 24 * 3600))
    abort ();
  check (result, NULL, error);

  error = NULL;
  result = _ts_spotify_parse_oembed (URL, body, &reason, &error);
  check (result, reason, error);

  error = NULL;
  reason = NULL;
  result = _ts_spotify_parse_track (URL, body, 300, &reason, &error);
  check (result, reason, error);
  return 0;
}
