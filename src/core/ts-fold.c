/* ts-fold.c: text folding for case- and accent-insensitive search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-fold"

#include "config.h"

#include <string.h>

#include "ts-dataset.h"

static gboolean
is_ascii (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p; p++)
    if (*p >= 0x80)
      return FALSE;
  return TRUE;
}

/* Decomposes, drops the combining marks (so "é" matches "e" and "Beyoncé"
 * matches "beyonce"), then case-folds. Most names are ASCII, which takes
 * the quick way. */
char *
ts_fold_for_search (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autoptr(GString) stripped = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (is_ascii (text))
    return g_ascii_strdown (text, -1);

  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
  if (decomposed == NULL)
    return g_ascii_strdown (text, -1);

  stripped = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (stripped, c);
    }
  return g_utf8_casefold (stripped->str, (gssize) stripped->len);
}
