/* ts-number.c: a fast, locale-independent decimal parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-number"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ts-number.h"

/* Powers of ten that a double holds exactly. */
const double _ts_exact_powers_of_ten[TS_MAX_EXACT_POWER + 1] = {
  1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

typedef struct
{
  gboolean negative;
  guint64  mantissa;      /* the leading significant digits */
  gboolean truncated;     /* digits beyond MAX_EXACT_DIGITS were dropped */
  int      exponent;      /* of the mantissa's last digit */
} Decimal;

/* Below this a mantissa can take one more digit without overflow. */
#define MANTISSA_ROOM G_GUINT64_CONSTANT (1000000000000000000)

static inline gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

/* Reads [+-]digits[.digits][(e|E)[+-]digits] exactly; FALSE on any other
 * character, on no digits, or on an absurd exponent. Kept tight: it runs
 * for every number of every row. */
static gboolean
scan_decimal (const char *p,
              const char *end,
              Decimal    *dec)
{
  guint64 m = 0;
  int exponent = 0;
  gboolean any_digit = FALSE;
  gboolean truncated = FALSE;

  dec->negative = FALSE;
  if (p < end && (*p == '-' || *p == '+'))
    dec->negative = *p++ == '-';

  for (; p < end; p++)
    {
      unsigned d = (unsigned char) *p - '0';

      if (d > 9)
        break;
      any_digit = TRUE;
      if (m < MANTISSA_ROOM)
        m = m * 10 + d;
      else
        exponent++, truncated |= d != 0;
    }
  if (p < end && *p == '.')
    {
      for (p++; p < end; p++)
        {
          unsigned d = (unsigned char) *p - '0';

          if (d > 9)
            break;
          any_digit = TRUE;
          if (m < MANTISSA_ROOM)
            m = m * 10 + d, exponent--;
          else
            truncated |= d != 0;
        }
    }
  if (!any_digit)
    return FALSE;

  if (p < end && (*p == 'e' || *p == 'E'))
    {
      gboolean negative_exp = FALSE;
      int exp = 0;
      gboolean any_exp_digit = FALSE;

      p++;
      if (p < end && (*p == '-' || *p == '+'))
        negative_exp = *p++ == '-';
      for (; p < end && g_ascii_isdigit (*p); p++, any_exp_digit = TRUE)
        {
          if (exp < 100000)
            exp = exp * 10 + (*p - '0');
        }
      if (!any_exp_digit)
        return FALSE;
      exponent += negative_exp ? -exp : exp;
    }
  dec->mantissa = m;
  dec->truncated = truncated;
  dec->exponent = exponent;
  return p == end;
}

static gboolean
parse_slow (const char *text,
            gsize       length,
            double     *value)
{
  char stack_buf[64];
  g_autofree char *heap_buf = NULL;
  char *buf = stack_buf;
  char *end = NULL;
  double result;

  if (length >= sizeof stack_buf)
    buf = heap_buf = g_malloc (length + 1);
  memcpy (buf, text, length);
  buf[length] = '\0';

  result = g_ascii_strtod (buf, &end);
  if (end != buf + length || !isfinite (result))
    return FALSE;
  *value = result;
  return TRUE;
}

gboolean
ts_parse_double (const char *text,
                 gsize       length,
                 double     *value)
{
  const char *p, *end;
  Decimal dec;
  double result;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  /* Empty text is no number; it may come as NULL, which must not be
   * offset, even by 0 (undefined behaviour, which UBSan reports). */
  if (length == 0)
    return FALSE;
  p = text;
  end = text + length;
  while (p < end && is_blank (*p))
    p++;
  while (end > p && is_blank (end[-1]))
    end--;

  if (ts_parse_plain_decimal (p, (gsize) (end - p), value))
    return TRUE;

  if (!scan_decimal (p, end, &dec))
    return FALSE;

  if (dec.mantissa == 0)
    {
      *value = dec.negative ? -0.0 : 0.0;
      return TRUE;
    }

  /* Clinger's fast path: an exact mantissa times or over an exact power
   * of ten is one correctly rounded operation. */
  if (!dec.truncated && dec.mantissa <= TS_MAX_EXACT_MANTISSA &&
      ABS (dec.exponent) <= TS_MAX_EXACT_POWER)
    {
      result = (double) dec.mantissa;
      if (dec.exponent >= 0)
        result *= _ts_exact_powers_of_ten[dec.exponent];
      else
        result /= _ts_exact_powers_of_ten[-dec.exponent];
      *value = dec.negative ? -result : result;
      return TRUE;
    }

  return parse_slow (p, (gsize) (end - p), value);
}
