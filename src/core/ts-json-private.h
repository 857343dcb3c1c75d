/* ts-json-private.h: the small JSON helpers the model files, the
 * playlists and the web services' answers share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ts-json-guard.h"

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
