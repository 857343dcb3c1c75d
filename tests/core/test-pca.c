/* test-pca.c: the 2-D projection against answers known by construction,
 * and against numpy's SVD on a fixed random cloud
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "tunescope-core.h"
#include "ts-test-util.h"

/* Points on a line through (1, 1, 1) along (1, 2, 2) / 3 at t = 0..n-1:
 * the first component is that direction, the first coordinate t - mean,
 * and nothing is left for the second. */
static void
test_line (void)
{
  enum { N = 50 };
  static const float dir[3] = { 1.0f / 3, 2.0f / 3, 2.0f / 3 };
  float data[N * 3], out[N * 2];
  g_autoptr(GError) error = NULL;
  g_autoptr(TsPca) pca = NULL;
  double mean_t = (N - 1) / 2.0, var_t = N * (N + 1) / 12.0;

  for (int i = 0; i < N; i++)
    for (int j = 0; j < 3; j++)
      data[i * 3 + j] = 1.0f + i * dir[j];
  pca = ts_pca_fit (data, N, 3, &error);
  g_assert_no_error (error);
  for (int j = 0; j < 3; j++)
    g_assert_cmpfloat_with_epsilon (pca->components[j], dir[j], 1e-4);
  g_assert_cmpfloat_with_epsilon (pca->variance[0], var_t, var_t * 1e-4);
  g_assert_cmpfloat_with_epsilon (pca->variance[1], 0, 1e-3);
  g_assert_cmpfloat_with_epsilon (pca->total_variance, var_t, var_t * 1e-4);
  ts_pca_project (pca, data, N, out);
  for (int i = 0; i < N; i++)
    {
      g_assert_cmpfloat_with_epsilon (out[i * 2], i - mean_t, 1e-3);
      g_assert_cmpfloat_with_epsilon (out[i * 2 + 1], 0, 1e-3);
    }
}

/* A grid in a tilted plane of 4-D space, stretched 3:1: the components
 * span that plane in the order of the stretch, and the projection keeps
 * every distance. */
static void
test_plane (void)
{
  enum { SIDE = 11, N = SIDE * SIDE, D = 4 };
  /* Orthonormal u, v in 4-D. */
  static const float u[D] = { 0.5f, 0.5f, 0.5f, 0.5f };
  static const float v[D] = { 0.5f, -0.5f, 0.5f, -0.5f };
  float data[N * D], out[N * 2];
  g_autoptr(GError) error = NULL;
  g_autoptr(TsPca) pca = NULL;

  for (int a = 0; a < SIDE; a++)
    for (int b = 0; b < SIDE; b++)
      for (int j = 0; j < D; j++)
        data[(a * SIDE + b) * D + j] = 3.0f * (a - 5) * u[j] + (b - 5) * v[j] + 7.0f;
  pca = ts_pca_fit (data, N, D, &error);
  g_assert_no_error (error);
  for (int j = 0; j < D; j++)
    {
      g_assert_cmpfloat_with_epsilon (pca->components[j], u[j], 1e-4);
      g_assert_cmpfloat_with_epsilon (pca->components[D + j], v[j], 1e-4);
      g_assert_cmpfloat_with_epsilon (pca->mean[j], 7.0, 1e-4);
    }
  g_assert_cmpfloat_with_epsilon (pca->variance[0] / pca->variance[1], 9.0, 1e-3);
  g_assert_cmpfloat_with_epsilon (pca->variance[0] + pca->variance[1], pca->total_variance,
                                  pca->total_variance * 1e-5);
  ts_pca_project (pca, data, N, out);
  for (int a = 0; a < SIDE; a++)
    for (int b = 0; b < SIDE; b++)
      {
        g_assert_cmpfloat_with_epsilon (out[(a * SIDE + b) * 2], 3.0 * (a - 5), 1e-3);
        g_assert_cmpfloat_with_epsilon (out[(a * SIDE + b) * 2 + 1], b - 5, 1e-3);
      }
}

/* tests/reference/make_pca_reference.py: 40 points in 5-D, rotated,
 * against np.linalg.svd (x - x.mean (0)) with the rows' signs fixed as ours
 * (largest entry positive). */
static void
test_numpy_reference (void)
{
  g_autofree char *path = ts_test_fixture_path ("pca/cloud.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TsPca) pca = NULL;
  g_autofree float *data = NULL, *out = NULL;
  JsonObject *root;
  JsonArray *points, *components, *projected, *variance;
  guint n, dim;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  points = json_object_get_array_member (root, "points");
  n = json_array_get_length (points);
  dim = json_array_get_length (json_array_get_array_element (points, 0));
  data = g_new (float, n * dim);
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < dim; j++)
      data[i * dim + j] = json_array_get_double_element (json_array_get_array_element (points, i), j);

  pca = ts_pca_fit (data, n, dim, &error);
  g_assert_no_error (error);
  components = json_object_get_array_member (root, "components");
  variance = json_object_get_array_member (root, "variance");
  for (guint c = 0; c < 2; c++)
    {
      g_assert_cmpfloat_with_epsilon (pca->variance[c], json_array_get_double_element (variance, c),
                                      1e-4 * pca->total_variance);
      for (guint j = 0; j < dim; j++)
        g_assert_cmpfloat_with_epsilon (pca->components[c * dim + j],
                                        json_array_get_double_element (json_array_get_array_element (components, c), j),
                                        1e-4);
    }
  out = g_new (float, n * 2);
  ts_pca_project (pca, data, n, out);
  projected = json_object_get_array_member (root, "projected");
  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < 2; c++)
      g_assert_cmpfloat_with_epsilon (out[i * 2 + c],
                                      json_array_get_double_element (json_array_get_array_element (projected, i), c),
                                      1e-3);
}

static void
test_errors (void)
{
  static const float one[3] = { 1, 2, 3 };
  static const float bad[6] = { 1, 2, 3, NAN, 5, 6 };
  static const float flat[4] = { 2, 2, 2, 2 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TsPca) pca = NULL;
  float out[8];

  g_assert_null (ts_pca_fit (one, 1, 3, &error));
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (ts_pca_fit (bad, 2, 3, &error));
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* One dimension, all equal: a point at the origin, no crash. */
  pca = ts_pca_fit (flat, 4, 1, &error);
  g_assert_no_error (error);
  ts_pca_project (pca, flat, 4, out);
  for (int i = 0; i < 8; i++)
    g_assert_cmpfloat (out[i], ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Pca/line", test_line);
  g_test_add_func ("/Pca/plane", test_plane);
  g_test_add_func ("/Pca/numpy-reference", test_numpy_reference);
  g_test_add_func ("/Pca/errors", test_errors);

  return g_test_run ();
}
