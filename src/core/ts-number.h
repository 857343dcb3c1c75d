/* ts-number.h: locale-independent number parsing for CSV fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parses the whole of @text (@length bytes, not NUL-terminated) as a
 * decimal number such as "-12.5", "4.8e-05", "1E3" or "0.8190000000000001",
 * always with '.' as the separator whatever the locale. Leading and
 * trailing blanks are allowed. Returns FALSE for anything else, including
 * empty text, "nan", "inf" and overflow. The result is correctly rounded. */
gboolean ts_parse_double (const char *text,
                          gsize       length,
                          double     *value);

/* For ts_parse_plain_decimal(): Clinger's exact path takes a mantissa up
 * to 2^53 and a power of ten up to 10^22, both exact in a double. */
#define TS_MAX_EXACT_POWER    22
#define TS_MAX_EXACT_MANTISSA (G_GUINT64_CONSTANT (1) << 53)
/* The digits a guint64 takes without overflow (19 nines are below 2^64),
 * and no more than ts_parse_double()'s general path keeps before it
 * starts dropping digits. */
#define TS_MAX_PLAIN_DIGITS   19
extern const double _ts_exact_powers_of_ten[TS_MAX_EXACT_POWER + 1];

/* The shape of nearly every cell of data.csv ("0.6665", "-14.818",
 * "202925"): [+-]digits[.digits], at most TS_MAX_PLAIN_DIGITS digits in
 * all, no blanks, no exponent. Gives exactly what ts_parse_double() gives
 * for such text, in one loop with no per-digit overflow test; returns
 * FALSE for anything else, for which call ts_parse_double(). Inline for
 * loops over millions of cells, where a call and its checks cost as much
 * as the digits. */
static inline gboolean
ts_parse_plain_decimal (const char *text,
                        gsize       length,
                        double     *value)
{
  const char *p = text;
  const char *end = text + length;
  const char *digits;
  guint64 m = 0;
  gboolean negative = FALSE;
  gsize n_int, n_frac = 0;
  double result;

  if (p < end && (*p == '-' || *p == '+'))
    negative = *p++ == '-';
  digits = p;
  for (unsigned d; p < end && (d = (unsigned char) *p - '0') <= 9; p++)
    m = m * 10 + d;
  n_int = (gsize) (p - digits);
  if (p < end && *p == '.')
    {
      digits = ++p;
      for (unsigned d; p < end && (d = (unsigned char) *p - '0') <= 9; p++)
        m = m * 10 + d;
      n_frac = (gsize) (p - digits);
    }
  /* (m may have wrapped when there were too many digits: it is unused then.) */
  if (p != end || n_int + n_frac == 0 || n_int + n_frac > TS_MAX_PLAIN_DIGITS ||
      m > TS_MAX_EXACT_MANTISSA || n_frac > TS_MAX_EXACT_POWER)
    return FALSE;

  /* Clinger's fast path: an exact mantissa over an exact power of ten is
   * one correctly rounded operation. */
  if (m == 0)
    result = 0.0;
  else if (n_frac == 0)
    result = (double) m;
  else
    result = (double) m / _ts_exact_powers_of_ten[n_frac];
  *value = negative ? -result : result;
  return TRUE;
}

G_END_DECLS
