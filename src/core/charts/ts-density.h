/* ts-density.h: a million points counted into pixels and shaded by how
 * many cover each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ts-palette.h"

G_BEGIN_DECLS

/* Where the points land: point (x, y) covers the dot x dot device pixels
 * from (floor (x_origin + x * scale), floor (y_origin - y * scale)). */
typedef struct
{
  int    width;     /* device pixels */
  int    height;
  double x_origin;
  double y_origin;
  double scale;
  int    dot;       /* 1 .. 4 */
} TsDensityView;

/* How many of the @n points (x, y pairs) cover each pixel, row-major,
 * saturating at G_MAXUINT16; the same whatever the thread count. */
guint16 *ts_density_count       (const float         *xy,
                                 guint                n,
                                 const TsDensityView *view);
/* The count from which a pixel is solid: that of the densest @share of
 * the covered pixels (at least 1). */
guint    ts_density_solid_count (const guint16       *counts,
                                 gsize                n_pixels,
                                 double               share);
/* Premultiplied B8G8R8A8 pixels (Cairo's ARGB32 on little-endian) of
 * @color: transparent where nothing lies, @lone_alpha where one point
 * does, solid from @solid on, the opacity growing with the logarithm of
 * the count between. */
guint32 *ts_density_shade       (const guint16       *counts,
                                 gsize                n_pixels,
                                 guint                solid,
                                 double               lone_alpha,
                                 TsRgba               color);

/* The three above as the map draws: a lone point at 0.18 opacity, solid
 * from the count of the densest 1 % of the covered pixels. */
guint32 *ts_density_render      (const float         *xy,
                                 guint                n,
                                 const TsDensityView *view,
                                 TsRgba               color);

G_END_DECLS
