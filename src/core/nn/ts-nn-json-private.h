/* ts-nn-json-private.h: reading untrusted files: JSON members without
 * criticals, and the error that names the file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The member as an array, NULL when missing or of another kind. */
JsonArray  *ts_nn_json_member_array        (JsonObject *object,
                                            const char *name);
/* @fallback when missing, NULL when not a string. */
const char *ts_nn_json_member_string       (JsonObject *object,
                                            const char *name,
                                            const char *fallback);
/* An integer (not a float, string or null) within [@min, @max]. */
gboolean    ts_nn_json_node_int            (JsonNode   *node,
                                            gint64      min,
                                            gint64      max,
                                            gint64     *value);
/* The same for a member, @fallback when it is missing. */
gboolean    ts_nn_json_member_int          (JsonObject *object,
                                            const char *name,
                                            gint64      fallback,
                                            gint64      min,
                                            gint64      max,
                                            gint64     *value);
/* A number (integer or float) that is finite, @fallback when missing. */
gboolean    ts_nn_json_member_double       (JsonObject *object,
                                            const char *name,
                                            double      fallback,
                                            double     *value);
/* Sets TS_ERROR_INVALID_INPUT "@path is not a usable @what: <why>" and
 * returns FALSE. */
gboolean    ts_nn_refuse_file              (GError    **error,
                                            const char *path,
                                            const char *what,
                                            const char *format,
                                            ...) G_GNUC_PRINTF (4, 5);
/* A decimal string that is a finite double. */
gboolean    ts_nn_json_node_double_string  (JsonNode   *node,
                                            double     *value);

G_END_DECLS
