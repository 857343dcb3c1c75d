/* ts-axis.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-axis"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ts-axis.h"

#define MAX_DECIMALS 6

double
ts_axis_nice_number (double   range,
                     gboolean round)
{
  double exponent, fraction, nice;

  g_return_val_if_fail (range > 0.0 && isfinite (range), 1.0);

  exponent = floor (log10 (range));
  fraction = range / pow (10.0, exponent);
  if (round)
    nice = fraction < 1.5 ? 1.0 : fraction < 3.0 ? 2.0 : fraction < 7.0 ? 5.0 : 10.0;
  else
    {
      /* 0.1 / 10^-1 is 1.0000000000000002: compare with some slack. */
      const double slack = 1e-9;

      nice = fraction <= 1.0 + slack ? 1.0 : fraction <= 2.0 + slack ? 2.0
           : fraction <= 5.0 + slack ? 5.0 : 10.0;
    }
  return nice * pow (10.0, exponent);
}

gboolean
ts_axis_nice_ticks (double       min,
                    double       max,
                    guint        target,
                    TsAxisTicks *ticks)
{
  double range, step;

  g_return_val_if_fail (ticks != NULL, FALSE);

  if (!isfinite (min) || !isfinite (max))
    return FALSE;
  if (min > max)
    {
      double t = min;

      min = max;
      max = t;
    }
  if (max - min <= fabs (max) * 1e-12)
    {
      double pad = min != 0.0 ? fabs (min) * 0.1 : 1.0;

      min -= pad;
      max += pad;
    }
  target = MAX (target, 2);
  range = ts_axis_nice_number (max - min, FALSE);
  step = ts_axis_nice_number (range / (target - 1), TRUE);
  ticks->min = floor (min / step + 1e-9) * step;
  ticks->max = ceil (max / step - 1e-9) * step;
  ticks->step = step;
  ticks->n = (guint) lround ((ticks->max - ticks->min) / step) + 1;
  ticks->decimals = (guint) CLAMP (-floor (log10 (step) + 1e-9), 0, MAX_DECIMALS);
  return TRUE;
}

double
ts_axis_tick_value (const TsAxisTicks *ticks,
                    guint              index)
{
  double value, scale;

  g_return_val_if_fail (ticks != NULL, 0.0);

  /* Multiplying, then rounding to the tick's digits, avoids 0.30000000000000004. */
  value = ticks->min + index * ticks->step;
  scale = pow (10.0, ticks->decimals);
  return round (value * scale) / scale;
}

char *
ts_axis_format (double value,
                guint  decimals)
{
  static const char * const formats[MAX_DECIMALS + 1] = {
    "%.0f", "%.1f", "%.2f", "%.3f", "%.4f", "%.5f", "%.6f"
  };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  const char *text;

  decimals = MIN (decimals, MAX_DECIMALS);
  text = g_ascii_formatd (buf, sizeof buf, formats[decimals], value);
  if (text[0] == '-' && strspn (text + 1, "0.") == strlen (text + 1))
    text++;  /* "-0.00" */
  return g_strdup (text);
}

double
ts_axis_map (double value,
             double min,
             double max)
{
  if (!(max > min))
    return 0.5;
  return (value - min) / (max - min);
}

gboolean
ts_normalize_min_max (const double *in,
                      double       *out,
                      gsize         n)
{
  double min = INFINITY, max = -INFINITY;

  g_return_val_if_fail (in != NULL || n == 0, FALSE);
  g_return_val_if_fail (out != NULL || n == 0, FALSE);

  for (gsize i = 0; i < n; i++)
    if (isfinite (in[i]))
      {
        min = MIN (min, in[i]);
        max = MAX (max, in[i]);
      }
  for (gsize i = 0; i < n; i++)
    out[i] = isfinite (in[i]) ? ts_axis_map (in[i], min, max) : NAN;
  return min <= max;
}
