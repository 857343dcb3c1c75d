/* ts-pylist.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-pylist"

#include "config.h"

#include <string.h>

#include "ts-pylist.h"

static const char *
skip_blanks (const char *p,
             const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  return p;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads @n_digits hex digits at @p into a code point; -1 if malformed. */
static gint64
read_hex (const char *p,
          const char *end,
          int         n_digits)
{
  gint64 code = 0;

  if (end - p < n_digits)
    return -1;
  for (int i = 0; i < n_digits; i++)
    {
      int v = hex_value (p[i]);

      if (v < 0)
        return -1;
      code = code * 16 + v;
    }
  return code;
}

/* Appends the escape at @p (just after the backslash) to @out and returns
 * the position after it, or NULL if it is not a Python string escape. */
static const char *
unescape_one (const char *p,
              const char *end,
              GString    *out)
{
  int n_hex = 0;
  gint64 code;

  if (p >= end)
    return NULL;
  switch (*p)
    {
    case '\\': case '\'': case '"':
      g_string_append_c (out, *p);
      return p + 1;
    case 'n': g_string_append_c (out, '\n'); return p + 1;
    case 't': g_string_append_c (out, '\t'); return p + 1;
    case 'r': g_string_append_c (out, '\r'); return p + 1;
    case 'x': n_hex = 2; break;
    case 'u': n_hex = 4; break;
    case 'U': n_hex = 8; break;
    default:
      return NULL;
    }

  code = read_hex (p + 1, end, n_hex);
  if (code < 0 || !g_unichar_validate ((gunichar) code) || code == 0)
    return NULL;
  g_string_append_unichar (out, (gunichar) code);
  return p + 1 + n_hex;
}

/* Reads one quoted item starting at the quote @p; returns the position
 * after the closing quote, or NULL. */
static const char *
parse_item (const char   *p,
            const char   *end,
            GString      *scratch,
            TsPyListFunc  func,
            gpointer      user_data)
{
  char quote = *p++;
  const char *start = p;
  const char *close;

  /* The common case: no escapes, so the item is a slice of the text. */
  for (close = p; close < end && *close != quote && *close != '\\'; close++)
    ;
  if (close < end && *close == quote)
    {
      func (start, (gsize) (close - start), user_data);
      return close + 1;
    }

  g_string_truncate (scratch, 0);
  g_string_append_len (scratch, start, close - start);
  for (p = close; p < end && *p != quote;)
    {
      if (*p == '\\')
        {
          if ((p = unescape_one (p + 1, end, scratch)) == NULL)
            return NULL;
        }
      else
        g_string_append_c (scratch, *p++);
    }
  if (p >= end)
    return NULL;
  func (scratch->str, scratch->len, user_data);
  return p + 1;
}

gboolean
ts_py_list_parse (const char   *text,
                  gsize         length,
                  GString      *scratch,
                  TsPyListFunc  func,
                  gpointer      user_data)
{
  const char *end, *p;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);
  g_return_val_if_fail (scratch != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  /* Empty text, which may come as NULL: not a list, and NULL must not be
   * offset, even by 0 (undefined behaviour). */
  if (length == 0)
    return FALSE;
  end = text + length;
  p = skip_blanks (text, end);
  if (p >= end || *p != '[')
    return FALSE;
  p = skip_blanks (p + 1, end);
  if (p < end && *p == ']')
    return skip_blanks (p + 1, end) == end;

  for (;;)
    {
      if (p >= end || (*p != '\'' && *p != '"'))
        return FALSE;
      if ((p = parse_item (p, end, scratch, func, user_data)) == NULL)
        return FALSE;
      p = skip_blanks (p, end);
      if (p < end && *p == ']')
        return skip_blanks (p + 1, end) == end;
      if (p >= end || *p != ',')
        return FALSE;
      p = skip_blanks (p + 1, end);
    }
}

void
ts_comma_list_parse (const char   *text,
                     gsize         length,
                     TsPyListFunc  func,
                     gpointer      user_data)
{
  const char *end, *p;

  g_return_if_fail (text != NULL || length == 0);
  g_return_if_fail (func != NULL);

  /* As above: empty text may be NULL, which is not to be offset. */
  if (length == 0)
    return;
  p = text;
  end = text + length;
  while (p < end)
    {
      const char *comma = memchr (p, ',', (gsize) (end - p));
      const char *item_end = comma ? comma : end;
      const char *item = skip_blanks (p, item_end);
      const char *trimmed = item_end;

      while (trimmed > item && (trimmed[-1] == ' ' || trimmed[-1] == '\t'))
        trimmed--;
      if (trimmed > item)
        func (item, (gsize) (trimmed - item), user_data);
      p = comma ? comma + 1 : end;
    }
}
