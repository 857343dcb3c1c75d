/* ts-pca.h: a 2-D principal component projection of many points (the
 * embedding map)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint   dim;
  double  variance[2];     /* along each component (sample variance, n - 1) */
  double  total_variance;  /* the trace of the covariance */
  float  *mean;            /* dim */
  float  *components;      /* 2 x dim, row-major, unit length; zero rows when dim < 2 */
} TsPca;

/* Fits the two leading principal components of @n points of @dim floats
 * (row-major @data): mean-centred, covariance by cblas_ssyrk, then the
 * eigenvectors of that small matrix by Jacobi rotations. Each component's
 * sign is fixed (its largest entry positive), so results are repeatable.
 * Non-finite values are TS_ERROR_INVALID_INPUT, as are n < 2 or dim 0. */
TsPca  *ts_pca_fit        (const float  *data,
                           guint         n,
                           guint         dim,
                           GError      **error);
/* Projects @n points onto the components: @out is n x 2 floats. */
/* The most points the embedding map fits its projection on. */
#define TS_PCA_MAP_POINTS 200000

/* As ts_pca_fit (), on every stride-th point when there are more than
 * @max_points: an even sample, the same map to the eye in a fraction of
 * the time (a million songs' map on the main thread). */
TsPca  *ts_pca_fit_sample (const float  *data,
                           guint         n,
                           guint         dim,
                           guint         max_points,
                           GError      **error);
/* The stride of that sample: every point below @max_points. */
guint   ts_pca_sample_stride (guint      n,
                              guint      max_points);
void    ts_pca_project    (const TsPca  *self,
                           const float  *data,
                           guint         n,
                           float        *out);
void    ts_pca_free       (TsPca        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsPca, ts_pca_free)

G_END_DECLS
