/* fuzz-musicbrainz.c: MusicBrainz's answer to a recording search, read
 * for the releases whose covers the Cover Art Archive is asked for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * (The Cover Art Archive answers with the image itself, which goes
 * through ts_image_decode_bytes (): fuzz-image.)
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "net/ts-musicbrainz-private.h"
#include "ts-fuzz.h"

/* A release id goes into a URL: 36 characters of hex digits and dashes. */
static void
check_id (const char *id)
{
  if (strlen (id) != 36 || strspn (id, "0123456789abcdef-") != 36)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char * const artists[] = { "Claude Debussy", "Isao Tomita", NULL };
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autofree char *reason = NULL;
  g_auto(GStrv) releases = NULL;

  releases = _ts_musicbrainz_parse_search (body, "Clair de Lune", artists, &reason);
  if ((releases == NULL) == (reason == NULL))
    abort ();
  for (guint i = 0; releases != NULL && releases[i] != NULL; i++)
    check_id (releases[i]);
  return 0;
}
