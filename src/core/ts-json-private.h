/* ts-json-private.h: the small JSON helpers the model files, the
 * playlists and the web services' answers share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A float as the shortest decimal that reads back the same float. */
double      ts_json_float_value       (float        value);
void        ts_json_add_int           (JsonBuilder *b,
                                       const char  *name,
                                       gint64       value);
/* null when not finite */
void        ts_json_add_double        (JsonBuilder *b,
                                       const char  *name,
                                       double       value);
void        ts_json_add_string        (JsonBuilder *b,
                                       const char  *name,
                                       const char  *value);
char       *ts_json_builder_to_string (JsonBuilder *b);
/* The object @text holds, owned by @parser, or NULL. */
JsonObject *ts_json_parse_object      (JsonParser  *parser,
                                       const char  *text);
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
/* A number member, or @fallback when @object is NULL or the member is
 * missing or not a number. */
double      ts_json_get_double        (JsonObject  *object,
                                       const char  *name,
                                       double       fallback);
/* The same for the other kinds: NULL (or @fallback) when @object is NULL
 * or the member is missing or of another kind. Unlike json-glib's own
 * getters they never log a critical over what a file or a server sent. */
gint64      ts_json_get_int           (JsonObject  *object,
                                       const char  *name,
                                       gint64       fallback);
const char *ts_json_get_string        (JsonObject  *object,
                                       const char  *name);
JsonObject *ts_json_get_object        (JsonObject  *object,
                                       const char  *name);
JsonArray  *ts_json_get_array         (JsonObject  *object,
                                       const char  *name);

G_END_DECLS
