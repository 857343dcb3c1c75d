/* ts-pca.c: a 2-D principal component projection
 *
 * The covariance of d dimensions (13 for the features, tens for the
 * embeddings) is tiny, so its eigenvectors come from cyclic Jacobi
 * rotations, exact to rounding and untroubled by equal eigenvalues;
 * the work that grows with the songs is two BLAS calls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-pca"

#include "config.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "ts-error.h"
#include "nn/ts-nn.h"
#include "ts-pca.h"

#define JACOBI_SWEEPS 100

void
ts_pca_free (TsPca *self)
{
  if (self == NULL)
    return;
  g_free (self->mean);
  g_free (self->components);
  g_free (self);
}

/* Eigen-decomposes the symmetric @a (d x d, destroyed) into @values and
 * the columns of @vectors (d x d). */
static void
jacobi_eigen (double *a,
              guint   d,
              double *values,
              double *vectors)
{
  memset (vectors, 0, sizeof (double) * d * d);
  for (guint i = 0; i < d; i++)
    vectors[i * d + i] = 1;

  for (int sweep = 0; sweep < JACOBI_SWEEPS; sweep++)
    {
      double off = 0, scale = 0;

      for (guint p = 0; p < d; p++)
        for (guint q = 0; q < d; q++)
          {
            if (p != q)
              off += a[p * d + q] * a[p * d + q];
            scale += a[p * d + q] * a[p * d + q];
          }
      if (off <= 1e-30 * MAX (scale, 1e-300))
        break;
      for (guint p = 0; p < d; p++)
        for (guint q = p + 1; q < d; q++)
          {
            double apq = a[p * d + q], theta, t, c, s;

            if (fabs (apq) < 1e-300)
              continue;
            /* The rotation that zeroes a[p][q] (Golub & Van Loan 8.5.2). */
            theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
            t = (theta >= 0 ? 1 : -1) / (fabs (theta) + sqrt (theta * theta + 1));
            c = 1 / sqrt (t * t + 1);
            s = t * c;
            for (guint k = 0; k < d; k++)
              {
                double akp = a[k * d + p], akq = a[k * d + q];

                a[k * d + p] = c * akp - s * akq;
                a[k * d + q] = s * akp + c * akq;
              }
            for (guint k = 0; k < d; k++)
              {
                double apk = a[p * d + k], aqk = a[q * d + k];

                a[p * d + k] = c * apk - s * aqk;
                a[q * d + k] = s * apk + c * aqk;
              }
            for (guint k = 0; k < d; k++)
              {
                double vkp = vectors[k * d + p], vkq = vectors[k * d + q];

                vectors[k * d + p] = c * vkp - s * vkq;
                vectors[k * d + q] = s * vkp + c * vkq;
              }
          }
    }
  for (guint i = 0; i < d; i++)
    values[i] = a[i * d + i];
}

static gboolean
check_finite (const float *data,
              gsize        count,
              GError     **error)
{
  for (gsize i = 0; i < count; i++)
    if (!isfinite (data[i]))
      return ts_error_set_invalid (error, "value %" G_GSIZE_FORMAT " of the points is not a number",
                                   i);
  return TRUE;
}

TsPca *
ts_pca_fit (const float  *data,
            guint         n,
            guint         dim,
            GError      **error)
{
  g_autoptr(TsPca) self = NULL;
  g_autofree float *centred = NULL;
  g_autofree float *cov = NULL;
  g_autofree double *a = NULL, *values = NULL, *vectors = NULL, *sums = NULL;
  guint best[2] = { G_MAXUINT, G_MAXUINT };

  g_return_val_if_fail (data != NULL || n == 0, NULL);

  if (n < 2 || dim == 0)
    {
      ts_error_set_invalid (error, "a projection needs at least 2 points of 1 dimension, not %u of %u",
                            n, dim);
      return NULL;
    }
  if (!check_finite (data, (gsize) n * dim, error))
    return NULL;

  self = g_new0 (TsPca, 1);
  self->dim = dim;
  self->mean = g_new0 (float, dim);
  self->components = g_new0 (float, 2 * dim);

  /* The mean in double: 170k floats summed in float lose digits. */
  sums = g_new0 (double, dim);
  for (gsize i = 0; i < n; i++)
    for (guint j = 0; j < dim; j++)
      sums[j] += data[i * dim + j];
  for (guint j = 0; j < dim; j++)
    self->mean[j] = (float) (sums[j] / n);
  centred = g_new (float, (gsize) n * dim);
  for (gsize i = 0; i < n; i++)
    for (guint j = 0; j < dim; j++)
      centred[i * dim + j] = data[i * dim + j] - self->mean[j];

  /* cov = centred^T centred / (n - 1), upper triangle. */
  cov = g_new0 (float, (gsize) dim * dim);
  cblas_ssyrk (CblasRowMajor, CblasUpper, CblasTrans, (int) dim, (int) n, 1.0f / (float) (n - 1),
               centred, (int) dim, 0.0f, cov, (int) dim);
  a = g_new (double, (gsize) dim * dim);
  for (guint p = 0; p < dim; p++)
    for (guint q = p; q < dim; q++)
      a[p * dim + q] = a[q * dim + p] = cov[p * dim + q];
  for (guint p = 0; p < dim; p++)
    self->total_variance += a[p * dim + p];

  values = g_new (double, dim);
  vectors = g_new (double, (gsize) dim * dim);
  jacobi_eigen (a, dim, values, vectors);

  for (guint k = 0; k < dim; k++)
    if (best[0] == G_MAXUINT || values[k] > values[best[0]])
      {
        best[1] = best[0];
        best[0] = k;
      }
    else if (best[1] == G_MAXUINT || values[k] > values[best[1]])
      best[1] = k;

  for (guint c = 0; c < 2; c++)
    {
      guint largest = 0;

      if (best[c] == G_MAXUINT)
        continue;  /* dim 1: no second component */
      self->variance[c] = MAX (0, values[best[c]]);
      for (guint j = 0; j < dim; j++)
        if (fabs (vectors[j * dim + best[c]]) > fabs (vectors[largest * dim + best[c]]))
          largest = j;
      for (guint j = 0; j < dim; j++)
        self->components[c * dim + j] =
          (float) (vectors[j * dim + best[c]] * (vectors[largest * dim + best[c]] < 0 ? -1 : 1));
    }
  return g_steal_pointer (&self);
}

guint
ts_pca_sample_stride (guint n,
                      guint max_points)
{
  g_return_val_if_fail (max_points > 0, 1);

  return MAX (1, (n + max_points - 1) / max_points);
}

TsPca *
ts_pca_fit_sample (const float  *data,
                   guint         n,
                   guint         dim,
                   guint         max_points,
                   GError      **error)
{
  guint stride = ts_pca_sample_stride (n, max_points), m = (n + stride - 1) / stride;
  g_autofree float *sample = NULL;

  g_return_val_if_fail (data != NULL || n == 0, NULL);

  if (stride == 1)
    return ts_pca_fit (data, n, dim, error);
  sample = g_new (float, (gsize) m * dim);
  for (guint i = 0; i < m; i++)
    memcpy (sample + (gsize) i * dim, data + (gsize) i * stride * dim, dim * sizeof (float));
  return ts_pca_fit (sample, m, dim, error);
}

void
ts_pca_project (const TsPca *self,
                const float *data,
                guint        n,
                float       *out)
{
  g_autofree float *centred = NULL;
  guint dim;

  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || n == 0);
  g_return_if_fail (out != NULL || n == 0);

  if (n == 0)
    return;
  dim = self->dim;
  centred = g_new (float, (gsize) n * dim);
  for (gsize i = 0; i < n; i++)
    for (guint j = 0; j < dim; j++)
      centred[i * dim + j] = data[i * dim + j] - self->mean[j];
  /* out (n x 2) = centred (n x dim) · components^T (dim x 2) */
  ts_nn_blas_init ();
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) n, 2, (int) dim, 1.0f, centred,
               (int) dim, self->components, (int) dim, 0.0f, out, 2);
}
