/* ts-nn-json.c: reading untrusted JSON members without criticals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib's getters log a critical when a member is of another kind than
 * asked for, and JSON_NODE_HOLDS_* when it is missing; a file may hold
 * anything, so these say "absent" or "bad" instead. (The core's ts-json.c
 * has the like, which the engine may not use.) Shared by the model files (ts-nn-safetensors.c) and the image backbone's
 * architecture (ts-nn-backbone.c).
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include <math.h>

#include "ts-error.h"
#include "ts-nn-json-private.h"

JsonArray *
ts_nn_json_member_array (JsonObject *object,
                         const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* @fallback when missing, NULL when not a string. */
const char *
ts_nn_json_member_string (JsonObject *object,
                          const char *name,
                          const char *fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return fallback;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* An integer (not a float, string or null) within [@min, @max]. */
gboolean
ts_nn_json_node_int (JsonNode *node,
                     gint64    min,
                     gint64    max,
                     gint64   *value)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return *value >= min && *value <= max;
}

/* The same for a member, @fallback when it is missing. */
gboolean
ts_nn_json_member_int (JsonObject *object,
                       const char *name,
                       gint64      fallback,
                       gint64      min,
                       gint64      max,
                       gint64     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    {
      *value = fallback;
      return TRUE;
    }
  return ts_nn_json_node_int (node, min, max, value);
}

/* A decimal string that is a finite double. */
gboolean
ts_nn_json_node_double_string (JsonNode *node,
                               double   *value)
{
  const char *text;
  char *end = NULL;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  text = json_node_get_string (node);
  *value = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*value);
}

gboolean
ts_nn_json_member_double (JsonObject *object,
                          const char *name,
                          double      fallback,
                          double     *value)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type;

  if (node == NULL)
    {
      *value = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_double (node);
  return isfinite (*value);
}

gboolean
ts_nn_refuse_file (GError    **error,
                   const char *path,
                   const char *what,
                   const char *format,
                   ...)
{
  g_autofree char *why = NULL;
  g_autofree char *name = g_filename_display_name (path);
  va_list args;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT, "%s is not a usable %s: %s", name, what,
               why);
  return FALSE;
}
