/* fuzz-number.c: the decimal parser of every CSV number
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Besides not crashing, what ts_parse_double() accepts must be what the
 * C library reads from the same text, to the bit (both round
 * correctly), and its inline fast path must agree with it.
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ts-fuzz.h"
#include "ts-number.h"

static gboolean
same_double (double a,
             double b)
{
  return a == b && signbit (a) == signbit (b);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* A copy of exactly @size bytes, so that reading past them is caught. */
  g_autofree char *text = g_memdup2 (data, size);
  g_autofree char *trimmed = NULL;
  double value, plain, reference;
  char *end;

  if (!ts_parse_double (text, size, &value))
    return 0;
  if (!isfinite (value))
    abort ();
  if (ts_parse_plain_decimal (text, size, &plain) && !same_double (plain, value))
    abort ();

  /* ts_parse_double () takes blanks around the number; strtod () only before. */
  trimmed = g_strchomp (g_strndup (text, size));
  reference = g_ascii_strtod (trimmed, &end);
  if (*end != '\0' || !same_double (reference, value))
    abort ();
  return 0;
}
