/* ts-musicbrainz-private.h: reading MusicBrainz's search answer, apart
 * from asking for it (for the tests and the fuzzing harness)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ts-musicbrainz.h"

G_BEGIN_DECLS

/* The ids of the releases of the recordings in @body (a recording
 * search's JSON) titled @title by one of @artists, best first; NULL with
 * @reason set when the answer is not a search result. */
char **_ts_musicbrainz_parse_search (GBytes             *body,
                                     const char         *title,
                                     const char * const *artists,
                                     char              **reason);

G_END_DECLS
