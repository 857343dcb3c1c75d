/* ts-json-guard.c: checks on JSON from outside before json-glib parses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-json"

#include "config.h"

#include <string.h>

#include "ts-json-guard.h"

/* One pass over @text outside its strings: the values it may hold (see
 * ts_json_count_values_bound ()) and the deepest nesting. */
static void
scan (const char *text,
      gsize       length,
      gsize      *n_values,
      guint      *max_depth)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  *n_values = 1;
  *max_depth = 0;
  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          (*n_values)++;
          depth++;
          /* not MAX (*max_depth, ++depth): the macro evaluates the
           * increment twice whenever it is the larger */
          *max_depth = MAX (*max_depth, depth);
        }
      else if (c == ']' || c == '}')
        depth -= depth > 0;
      else if (c == ',' || c == ':')
        (*n_values)++;
    }
}

gsize
ts_json_count_values_bound (const char *text,
                            gsize       length)
{
  gsize n_values;
  guint depth;

  g_return_val_if_fail (text != NULL || length == 0, 0);

  scan (text, length, &n_values, &depth);
  return n_values;
}

gboolean
ts_json_parser_load (JsonParser  *parser,
                     const char  *text,
                     gssize       length,
                     GError     **error)
{
  gsize n_values;
  guint depth;

  g_return_val_if_fail (JSON_IS_PARSER (parser), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (length < 0)
    length = (gssize) strlen (text);
  scan (text, (gsize) length, &n_values, &depth);
  if (depth > TS_JSON_MAX_DEPTH)
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                   "it nests deeper than %d levels", TS_JSON_MAX_DEPTH);
      return FALSE;
    }
  return json_parser_load_from_data (parser, text, length, error);
}
