/* ts-playlist-private.h: what the tests may change of the playlist import
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ts-playlist.h"

G_BEGIN_DECLS

/* Lowers TS_PLAYLIST_MAX_ENTRIES for the process, and with it the JSON
 * values an import accepts (tests: a small file can then show the caps;
 * under AddressSanitizer 100,000 entries take minutes); never raises it. */
void _ts_playlist_set_max_entries (guint entries);

G_END_DECLS
