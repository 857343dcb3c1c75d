/* ts-palette.h: theme-aware, colour-blind-safe colours for the charts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TS_THEME_LIGHT,
  TS_THEME_DARK,
} TsTheme;

typedef struct
{
  double red;
  double green;
  double blue;
  double alpha;
} TsRgba;

/* Roles of the chart's chrome; the foreground roles carry their alpha. */
typedef enum
{
  TS_COLOR_BACKGROUND,
  TS_COLOR_FOREGROUND,  /* titles, labels */
  TS_COLOR_MUTED,       /* axis labels, notes */
  TS_COLOR_AXIS,
  TS_COLOR_GRID,
  TS_COLOR_UNDEFINED,   /* cells with no value */
  TS_N_COLORS
} TsColorRole;

/* How many colours the qualitative palette has before it repeats. */
#define TS_PALETTE_N_QUALITATIVE 8

gboolean ts_theme_from_name           (const char *name,
                                       TsTheme    *theme);
TsRgba   ts_palette_role              (TsTheme     theme,
                                       TsColorRole role);
/* Okabe-Ito, ordered for contrast against the theme's background. */
TsRgba   ts_palette_qualitative       (TsTheme     theme,
                                       guint       index);
/* A cividis-like scale: @t in [0, 1] (clamped). */
TsRgba   ts_palette_sequential        (TsTheme     theme,
                                       double      t);
/* Blue (-1) through a neutral (0) to red (+1): @t in [-1, 1] (clamped).
 * The neutral is near the background so weak values recede. */
TsRgba   ts_palette_diverging         (TsTheme     theme,
                                       double      t);
/* Black or white text, whichever reads better on @background. */
TsRgba   ts_palette_text_on           (TsRgba      background);
double   ts_rgba_luminance            (TsRgba      color);

G_END_DECLS
