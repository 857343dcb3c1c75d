/* ts-density.c: a million points counted into pixels and shaded by how
 * many cover each
 *
 * The embedding map of 1.2 million songs: blending a translucent dot per
 * song saturated into a solid blob and took 70 ms a frame. Counting
 * them, then shading each pixel by the logarithm of its count, shows
 * where the songs crowd whatever their number. The points are counted
 * in pieces on every core, each worker into counts of its own, summed
 * after: integers, so the thread count never changes a pixel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-density"

#include "config.h"

#include <math.h>

#include "nn/ts-nn.h"
#include "ts-density.h"

#define LONE_ALPHA   0.18
#define SOLID_SHARE  0.01

/* Points a piece: enough that a piece outweighs its scheduling. */
#define PIECE_POINTS 65536

typedef struct
{
  const float         *xy;
  guint                n;
  const TsDensityView *view;
  guint32            **counts;   /* a buffer per worker, made on first use */
} CountJob;

static inline int
fast_floor (float value)
{
  int i = (int) value;

  return i - (value < (float) i);
}

static void
count_piece (int      piece,
             int      worker,
             gpointer data)
{
  CountJob *job = data;
  const TsDensityView *v = job->view;
  guint first = (guint) piece * PIECE_POINTS, end = MIN (job->n, first + PIECE_POINTS);
  float x_origin = (float) v->x_origin, y_origin = (float) v->y_origin, scale = (float) v->scale;
  int w = v->width, h = v->height, dot = v->dot;
  guint32 *counts;

  if (job->counts[worker] == NULL)
    job->counts[worker] = g_new0 (guint32, (gsize) w * h);
  counts = job->counts[worker];

  for (guint i = first; i < end; i++)
    {
      int x0 = fast_floor (x_origin + job->xy[2 * i] * scale);
      int y0 = fast_floor (y_origin - job->xy[2 * i + 1] * scale);

      if (x0 >= 0 && y0 >= 0 && x0 <= w - dot && y0 <= h - dot)
        {
          guint32 *p = counts + (gsize) y0 * w + x0;

          /* Wholly inside, the common case: no clipping. */
          for (int y = 0; y < dot; y++, p += w)
            for (int x = 0; x < dot; x++)
              p[x]++;
          continue;
        }
      if (x0 + dot <= 0 || y0 + dot <= 0 || x0 >= w || y0 >= h)
        continue;
      for (int y = MAX (0, y0); y < MIN (h, y0 + dot); y++)
        for (int x = MAX (0, x0); x < MIN (w, x0 + dot); x++)
          counts[(gsize) y * w + x]++;
    }
}

guint16 *
ts_density_count (const float         *xy,
                  guint                n,
                  const TsDensityView *view)
{
  gsize n_pixels;
  int n_pieces, n_workers;
  g_autofree guint32 **buffers = NULL;
  CountJob job;
  guint16 *counts;

  g_return_val_if_fail (xy != NULL || n == 0, NULL);
  g_return_val_if_fail (view != NULL && view->width > 0 && view->height > 0, NULL);
  g_return_val_if_fail (view->dot >= 1 && view->dot <= 4, NULL);

  n_pixels = (gsize) view->width * view->height;
  n_pieces = (int) ((n + PIECE_POINTS - 1) / PIECE_POINTS);
  n_workers = ts_nn_parallel_get_n_workers (MAX (n_pieces, 1));
  buffers = g_new0 (guint32 *, n_workers);
  job = (CountJob) { xy, n, view, buffers };
  if (n_pieces > 0)
    ts_nn_parallel_for (n_pieces, count_piece, &job);

  counts = g_new0 (guint16, n_pixels);
  for (int k = 0; k < n_workers; k++)
    {
      if (buffers[k] == NULL)
        continue;
      for (gsize i = 0; i < n_pixels; i++)
        counts[i] = (guint16) MIN ((guint32) counts[i] + buffers[k][i], G_MAXUINT16);
      g_free (buffers[k]);
    }
  return counts;
}

guint
ts_density_solid_count (const guint16 *counts,
                        gsize          n_pixels,
                        double         share)
{
  g_autofree guint *histogram = g_new0 (guint, G_MAXUINT16 + 1);
  gsize covered, seen = 0;

  g_return_val_if_fail (counts != NULL || n_pixels == 0, 1);

  for (gsize i = 0; i < n_pixels; i++)
    histogram[counts[i]]++;
  covered = n_pixels - histogram[0];
  for (guint c = G_MAXUINT16; c > 1; c--)
    {
      seen += histogram[c];
      if ((double) seen >= (double) covered * share)
        return c;
    }
  return 1;
}

guint32 *
ts_density_shade (const guint16 *counts,
                  gsize          n_pixels,
                  guint          solid,
                  double         lone_alpha,
                  TsRgba         color)
{
  g_autofree guint32 *shade = NULL;
  guint32 *pixels;

  g_return_val_if_fail (counts != NULL || n_pixels == 0, NULL);

  solid = CLAMP (solid, 1, G_MAXUINT16);
  shade = g_new (guint32, solid + 1);
  shade[0] = 0;
  for (guint c = 1; c <= solid; c++)
    {
      double t = solid > 1 ? log ((double) c) / log ((double) solid) : 1.0;
      double a = lone_alpha + (1 - lone_alpha) * t;

      shade[c] = ((guint32) lround (255 * a) << 24) |
                 ((guint32) lround (255 * a * color.red) << 16) |
                 ((guint32) lround (255 * a * color.green) << 8) |
                 (guint32) lround (255 * a * color.blue);
    }
  pixels = g_new (guint32, MAX (n_pixels, 1));
  for (gsize i = 0; i < n_pixels; i++)
    pixels[i] = shade[MIN (counts[i], solid)];
  return pixels;
}

guint32 *
ts_density_render (const float         *xy,
                   guint                n,
                   const TsDensityView *view,
                   TsRgba               color)
{
  g_autofree guint16 *counts = ts_density_count (xy, n, view);
  gsize n_pixels;

  if (counts == NULL)
    return NULL;
  n_pixels = (gsize) view->width * view->height;
  return ts_density_shade (counts, n_pixels, ts_density_solid_count (counts, n_pixels, SOLID_SHARE),
                           LONE_ALPHA, color);
}
