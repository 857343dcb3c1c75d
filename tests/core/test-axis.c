/* test-axis.c: nice ticks, tick labels, normalisation and the palette
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "tunescope-core.h"
#include "ts-test-util.h"

typedef struct
{
  double min, max;
  guint  target;
  double lo, hi, step;
  guint  n, decimals;
} TickCase;

static void
test_nice_ticks (void)
{
  static const TickCase cases[] = {
    { 0, 1, 6, 0, 1, 0.2, 6, 1 },
    { 0.03, 0.97, 6, 0, 1, 0.2, 6, 1 },
    { 1921, 2020, 6, 1920, 2020, 20, 6, 0 },
    { -60, 0, 5, -60, 0, 20, 4, 0 },
    { 0.5, 0.5, 5, 0.44, 0.56, 0.02, 7, 2 },
    { 0, 0, 5, -1, 1, 0.5, 5, 1 },
    { 120, 80, 6, 80, 120, 10, 5, 0 },
    { 1e-4, 9e-4, 5, 0, 0.001, 0.0002, 6, 4 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const TickCase *tc = &cases[c];
      TsAxisTicks ticks;

      g_assert_true (ts_axis_nice_ticks (tc->min, tc->max, tc->target, &ticks));
      g_assert_cmpfloat_with_epsilon (ticks.min, tc->lo, 1e-12);
      g_assert_cmpfloat_with_epsilon (ticks.max, tc->hi, 1e-12);
      g_assert_cmpfloat_with_epsilon (ticks.step, tc->step, 1e-12);
      g_assert_cmpuint (ticks.n, ==, tc->n);
      g_assert_cmpuint (ticks.decimals, ==, tc->decimals);
      g_assert_cmpfloat (ts_axis_tick_value (&ticks, ticks.n - 1), ==, tc->hi);
    }
  g_assert_false (ts_axis_nice_ticks (NAN, 1, 5, &(TsAxisTicks) { 0 }));
  g_assert_false (ts_axis_nice_ticks (0, INFINITY, 5, &(TsAxisTicks) { 0 }));
}

static void
test_nice_number (void)
{
  g_assert_cmpfloat (ts_axis_nice_number (0.7, FALSE), ==, 1.0);
  g_assert_cmpfloat (ts_axis_nice_number (1.7, FALSE), ==, 2.0);
  g_assert_cmpfloat (ts_axis_nice_number (37, FALSE), ==, 50.0);
  g_assert_cmpfloat (ts_axis_nice_number (37, TRUE), ==, 50.0);
  g_assert_cmpfloat (ts_axis_nice_number (23, TRUE), ==, 20.0);
  g_assert_cmpfloat (ts_axis_nice_number (0.012, TRUE), ==, 0.01);
}

/* Tick values are exact decimals: 0.1 * 3 prints as 0.3, in any locale. */
static void
test_format (void)
{
  TsAxisTicks ticks;
  g_autofree char *third = NULL, *negzero = NULL, *big = NULL;

  if (!ts_test_set_locale ("de_DE.UTF-8"))
    return;
  ts_axis_nice_ticks (0, 0.5, 6, &ticks);
  third = ts_axis_format (ts_axis_tick_value (&ticks, 3), ticks.decimals);
  g_assert_cmpstr (third, ==, "0.3");
  negzero = ts_axis_format (-0.0001, 2);
  g_assert_cmpstr (negzero, ==, "0.00");
  big = ts_axis_format (-1234.5, 1);
  g_assert_cmpstr (big, ==, "-1234.5");
}

static void
test_normalize (void)
{
  const double in[] = { 2, 4, NAN, 6, INFINITY };
  const double flat[] = { 3, 3 };
  double out[5];

  g_assert_true (ts_normalize_min_max (in, out, 5));
  g_assert_cmpfloat (out[0], ==, 0.0);
  g_assert_cmpfloat (out[1], ==, 0.5);
  g_assert_true (isnan (out[2]));
  g_assert_cmpfloat (out[3], ==, 1.0);
  g_assert_true (isnan (out[4]));
  g_assert_true (ts_normalize_min_max (flat, out, 2));
  g_assert_cmpfloat (out[0], ==, 0.5);
  g_assert_false (ts_normalize_min_max (in + 2, out, 1));
  g_assert_cmpfloat (ts_axis_map (15, 10, 20), ==, 0.5);
  g_assert_cmpfloat (ts_axis_map (15, 10, 10), ==, 0.5);
}

static gboolean
same_color (TsRgba a,
            TsRgba b)
{
  return fabs (a.red - b.red) < 1e-9 && fabs (a.green - b.green) < 1e-9 &&
         fabs (a.blue - b.blue) < 1e-9;
}

static void
test_palette (void)
{
  for (TsTheme theme = TS_THEME_LIGHT; theme <= TS_THEME_DARK; theme++)
    {
      TsRgba bg = ts_palette_role (theme, TS_COLOR_BACKGROUND);
      TsRgba neg = ts_palette_diverging (theme, -1), pos = ts_palette_diverging (theme, 1);
      double last = -1;

      /* Ends are blue and red, clamped beyond; the middle is near the background. */
      g_assert_cmpfloat (neg.blue, >, neg.red);
      g_assert_cmpfloat (pos.red, >, pos.blue);
      g_assert_true (same_color (ts_palette_diverging (theme, -7), neg));
      g_assert_true (same_color (ts_palette_diverging (theme, NAN), neg));
      g_assert_cmpfloat (fabs (ts_rgba_luminance (ts_palette_diverging (theme, 0)) -
                               ts_rgba_luminance (bg)), <, 0.1);
      /* The sequential scale brightens monotonically. */
      for (double t = 0; t <= 1.0; t += 0.05)
        {
          double lum = ts_rgba_luminance (ts_palette_sequential (theme, t));

          g_assert_cmpfloat (lum, >, last);
          last = lum;
        }
      /* Qualitative colours are distinct, repeat after 8 and stand off the background. */
      for (guint i = 0; i < TS_PALETTE_N_QUALITATIVE; i++)
        {
          TsRgba c = ts_palette_qualitative (theme, i);
          double l1 = ts_rgba_luminance (c), l2 = ts_rgba_luminance (bg);
          double contrast = (MAX (l1, l2) + 0.05) / (MIN (l1, l2) + 0.05);

          g_assert_cmpfloat (contrast, >=, 1.9);
          g_assert_true (same_color (c, ts_palette_qualitative (theme, i + 8)));
          for (guint j = 0; j < i; j++)
            g_assert_false (same_color (c, ts_palette_qualitative (theme, j)));
        }
    }
  g_assert_cmpfloat (ts_palette_text_on (ts_palette_diverging (TS_THEME_LIGHT, 1)).red, ==, 1.0);
  g_assert_cmpfloat (ts_palette_text_on (ts_palette_diverging (TS_THEME_LIGHT, 0)).red, ==, 0.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Ts/Axis/nice-number", test_nice_number);
  g_test_add_func ("/Ts/Axis/nice-ticks", test_nice_ticks);
  g_test_add_func ("/Ts/Axis/format", test_format);
  g_test_add_func ("/Ts/Axis/normalize", test_normalize);
  g_test_add_func ("/Ts/Axis/palette", test_palette);

  return g_test_run ();
}
