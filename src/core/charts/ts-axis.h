/* ts-axis.h: "nice" ticks, tick labels and min-max normalisation, as pure
 * functions the charts share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Ticks at min, min + step, ..., max (n of them); min and max are the
 * data range widened to multiples of step. */
typedef struct
{
  double min;
  double max;
  double step;
  guint  n;
  guint  decimals;  /* digits after the point that tell ticks apart */
} TsAxisTicks;

/* The 1, 2, 5 (or 10) times a power of ten nearest @range (rounding) or
 * not below it (not rounding), after Heckbert's "Nice numbers for graph
 * labels". */
double    ts_axis_nice_number (double       range,
                               gboolean     round);
/* About @target ticks (at least 2) covering [@min, @max]. An empty or
 * one-point range is widened around its value. FALSE when either bound is
 * not finite. */
gboolean  ts_axis_nice_ticks  (double       min,
                               double       max,
                               guint        target,
                               TsAxisTicks *ticks);
double    ts_axis_tick_value  (const TsAxisTicks *ticks,
                               guint        index);
/* @value with @decimals digits, "." as the point whatever the locale,
 * never "-0". */
char     *ts_axis_format      (double       value,
                               guint        decimals);

/* Where @value sits in [@min, @max], as 0..1 (not clamped); 0.5 when the
 * range is empty. */
double    ts_axis_map         (double       value,
                               double       min,
                               double       max);
/* Min-max scales the finite values of @in into @out (which may be @in) to
 * [0, 1]; non-finite values become NAN, a constant series 0.5. Returns
 * FALSE, leaving @out all NAN, when no value is finite. */
gboolean  ts_normalize_min_max (const double *in,
                                double       *out,
                                gsize         n);

G_END_DECLS
