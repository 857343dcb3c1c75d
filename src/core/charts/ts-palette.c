/* ts-palette.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-palette"

#include "config.h"

#include <math.h>

#include "ts-palette.h"

#define RGB(hex) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, \
                   ((hex) & 0xff) / 255.0, 1.0 }

typedef struct
{
  double position;
  TsRgba color;
} Stop;

/* libadwaita's window colours; foregrounds at its usual alphas. */
static const TsRgba roles[2][TS_N_COLORS] = {
  [TS_THEME_LIGHT] = {
    RGB (0xffffff),
    { 0, 0, 0, 0.8 },
    { 0, 0, 0, 0.55 },
    { 0, 0, 0, 0.45 },
    { 0, 0, 0, 0.1 },
    RGB (0xdeddda),
  },
  [TS_THEME_DARK] = {
    RGB (0x242424),
    { 1, 1, 1, 1.0 },
    { 1, 1, 1, 0.6 },
    { 1, 1, 1, 0.5 },
    { 1, 1, 1, 0.12 },
    RGB (0x3d3846),
  },
};

/* Okabe & Ito (2008); on dark the blue and green are lightened and black
 * becomes a light grey, and yellow moves to the end on light. */
static const TsRgba qualitative[2][TS_PALETTE_N_QUALITATIVE] = {
  [TS_THEME_LIGHT] = {
    RGB (0x0072b2), RGB (0xd55e00), RGB (0x009e73), RGB (0xcc79a7),
    RGB (0xe69f00), RGB (0x56b4e9), RGB (0x000000), RGB (0xc8b400),
  },
  [TS_THEME_DARK] = {
    RGB (0x56b4e9), RGB (0xe69f00), RGB (0x2bc59a), RGB (0xcc79a7),
    RGB (0xf0e442), RGB (0xef7a2f), RGB (0x5aa0e6), RGB (0xdeddda),
  },
};

/* Cividis (Nuñez et al. 2018), sampled; dark lifts the low end off the
 * background. */
static const Stop sequential[2][6] = {
  [TS_THEME_LIGHT] = {
    { 0.0, RGB (0x00204d) }, { 0.2, RGB (0x31446b) }, { 0.4, RGB (0x666970) },
    { 0.6, RGB (0x958f78) }, { 0.8, RGB (0xcbba69) }, { 1.0, RGB (0xffea46) },
  },
  [TS_THEME_DARK] = {
    { 0.0, RGB (0x1d3461) }, { 0.2, RGB (0x3b4d72) }, { 0.4, RGB (0x666970) },
    { 0.6, RGB (0x958f78) }, { 0.8, RGB (0xcbba69) }, { 1.0, RGB (0xffea46) },
  },
};

/* ColorBrewer RdBu (colour-blind safe) on light; on dark the ends are
 * brighter and the middle a dark neutral. */
static const Stop diverging[2][5] = {
  [TS_THEME_LIGHT] = {
    { -1.0, RGB (0x2166ac) }, { -0.5, RGB (0x92c5de) }, { 0.0, RGB (0xf7f7f7) },
    { 0.5, RGB (0xf4a582) }, { 1.0, RGB (0xb2182b) },
  },
  [TS_THEME_DARK] = {
    { -1.0, RGB (0x6cb6f0) }, { -0.5, RGB (0x2f6590) }, { 0.0, RGB (0x333338) },
    { 0.5, RGB (0x94433a) }, { 1.0, RGB (0xf58b6e) },
  },
};

gboolean
ts_theme_from_name (const char *name,
                    TsTheme    *theme)
{
  g_return_val_if_fail (name != NULL, FALSE);

  if (g_ascii_strcasecmp (name, "light") == 0)
    *theme = TS_THEME_LIGHT;
  else if (g_ascii_strcasecmp (name, "dark") == 0)
    *theme = TS_THEME_DARK;
  else
    return FALSE;
  return TRUE;
}

TsRgba
ts_palette_role (TsTheme     theme,
                 TsColorRole role)
{
  g_return_val_if_fail (theme <= TS_THEME_DARK, roles[0][0]);
  g_return_val_if_fail (role < TS_N_COLORS, roles[0][0]);

  return roles[theme][role];
}

TsRgba
ts_palette_qualitative (TsTheme theme,
                        guint   index)
{
  g_return_val_if_fail (theme <= TS_THEME_DARK, qualitative[0][0]);

  return qualitative[theme][index % TS_PALETTE_N_QUALITATIVE];
}

static TsRgba
interpolate (const Stop *stops,
             guint       n_stops,
             double      t)
{
  guint k = 1;
  double f;
  TsRgba c;

  g_assert (n_stops >= 2);

  if (isnan (t))
    t = stops[0].position;
  t = CLAMP (t, stops[0].position, stops[n_stops - 1].position);
  while (k < n_stops - 1 && t > stops[k].position)
    k++;
  f = (t - stops[k - 1].position) / (stops[k].position - stops[k - 1].position);
  c.red = stops[k - 1].color.red + f * (stops[k].color.red - stops[k - 1].color.red);
  c.green = stops[k - 1].color.green + f * (stops[k].color.green - stops[k - 1].color.green);
  c.blue = stops[k - 1].color.blue + f * (stops[k].color.blue - stops[k - 1].color.blue);
  c.alpha = 1.0;
  return c;
}

TsRgba
ts_palette_sequential (TsTheme theme,
                       double  t)
{
  g_return_val_if_fail (theme <= TS_THEME_DARK, roles[0][0]);

  return interpolate (sequential[theme], G_N_ELEMENTS (sequential[theme]), t);
}

TsRgba
ts_palette_diverging (TsTheme theme,
                      double  t)
{
  g_return_val_if_fail (theme <= TS_THEME_DARK, roles[0][0]);

  return interpolate (diverging[theme], G_N_ELEMENTS (diverging[theme]), t);
}

static double
linear (double channel)
{
  return channel <= 0.04045 ? channel / 12.92 : pow ((channel + 0.055) / 1.055, 2.4);
}

double
ts_rgba_luminance (TsRgba color)
{
  return 0.2126 * linear (color.red) + 0.7152 * linear (color.green) +
         0.0722 * linear (color.blue);
}

TsRgba
ts_palette_text_on (TsRgba background)
{
  static const TsRgba black = { 0, 0, 0, 0.87 }, white = { 1, 1, 1, 1 };

  /* The luminance where black and white text have equal contrast. */
  return ts_rgba_luminance (background) > 0.179 ? black : white;
}
