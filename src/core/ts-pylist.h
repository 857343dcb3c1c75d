/* ts-pylist.h: the Python list literals of data.csv (['A', "B's"])
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Called once per item with its unescaped text (not NUL-terminated). */
typedef void (*TsPyListFunc) (const char *item,
                              gsize       length,
                              gpointer    user_data);

/* Parses a Python list literal of strings as written by repr(), such as
 * ['A', "B's", 'C\'D', 'caf\xe9']. Items with escapes are unescaped into
 * @scratch; the others are passed straight from @text. Returns FALSE,
 * having called @func for a prefix of the items, on anything else. */
gboolean ts_py_list_parse (const char   *text,
                           gsize         length,
                           GString      *scratch,
                           TsPyListFunc  func,
                           gpointer      user_data);

/* Splits "a, b, c" (the form some copies of data_w_genres.csv use) into
 * trimmed, non-empty items. */
void     ts_comma_list_parse (const char   *text,
                              gsize         length,
                              TsPyListFunc  func,
                              gpointer      user_data);

G_END_DECLS
