/* ts-json-guard.h: checks on JSON from outside before json-glib parses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * In libtunescope-base: the engine's model files and the core's playlists
 * and web answers are guarded alike.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* An upper bound on the values json-glib would build from @length bytes
 * of @text, in one pass and without allocating: every value but the root
 * follows a '[', ',' or ':' outside strings (objects, the costliest,
 * count once more for their '{'). A parser builds a few hundred bytes a
 * value, so a text's size says little of its memory: "{}," 20 million
 * times (60 MB) takes 6 GB; checking this first keeps it bounded. */
gsize       ts_json_count_values_bound (const char *text,
                                        gsize       length);
/* json-glib recurses once a level of nesting and overflows the stack
 * between 50,000 and 100,000 levels (100 KB of '['); nothing we read
 * nests more than a few. */
#define TS_JSON_MAX_DEPTH 256
/* json_parser_load_from_data () for text from outside (@length -1: up to
 * its NUL): refused first, with a JSON_PARSER_ERROR, when it nests deeper
 * than TS_JSON_MAX_DEPTH. */
gboolean    ts_json_parser_load        (JsonParser  *parser,
                                        const char  *text,
                                        gssize       length,
                                        GError     **error);

G_END_DECLS
