/* test-knn.c: exact top-k against a naive reference, ties, duplicate
 * groups, exclusion, the query kinds and genre precision on real data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "tunescope-core.h"
#include "ts-test-util.h"

/* BLAS inner products in float against double pair by pair. */
#define DISTANCE_TOLERANCE 2e-4

static float *
random_queries (guint n,
                guint d,
                guint seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  float *data = g_new (float, (gsize) n * d);

  for (gsize i = 0; i < (gsize) n * d; i++)
    data[i] = (float) g_rand_double_range (rand, -1.0, 1.0);
  return data;
}

static TsSpace *
random_space (guint  n,
              guint  d,
              guint  seed)
{
  return ts_space_new ("random", n, d, random_queries (n, d, seed));
}

/* Same counts, same distances; rows may differ only between near-ties. */
static void
assert_same_results (const TsNeighbor *fast,
                     const TsNeighbor *naive,
                     const guint      *n_fast,
                     const guint      *n_naive,
                     guint             n_queries,
                     guint             k)
{
  double max_diff = 0;

  for (guint q = 0; q < n_queries; q++)
    {
      g_assert_cmpuint (n_fast[q], ==, n_naive[q]);
      for (guint r = 0; r < n_fast[q]; r++)
        {
          const TsNeighbor *a = &fast[q * k + r], *b = &naive[q * k + r];
          double diff = fabs ((double) a->distance - b->distance);
          double scale = MAX (1.0, fabs (b->distance));

          max_diff = MAX (max_diff, diff / scale);
          g_assert_cmpfloat (diff / scale, <, DISTANCE_TOLERANCE);
          if (a->row != b->row)
            g_assert_cmpfloat (diff / scale, <, DISTANCE_TOLERANCE);
          if (r > 0)
            g_assert_cmpfloat (a->distance, >=, fast[q * k + r - 1].distance);
        }
    }
  g_test_message ("max relative distance difference %.3g", max_diff);
}

static void
test_metric_names (void)
{
  TsMetric metric;

  for (guint m = 0; m < TS_N_METRICS; m++)
    {
      g_assert_true (ts_metric_from_name (ts_metric_get_name (m), &metric));
      g_assert_cmpint (metric, ==, m);
    }
  g_assert_true (ts_metric_from_name ("L1", &metric));
  g_assert_cmpint (metric, ==, TS_METRIC_MANHATTAN);
  g_assert_false (ts_metric_from_name ("hamming", &metric));
}

/* 5,000 rows cross the row blocks, 70 queries the query blocks. */
static void
test_against_naive (gconstpointer data)
{
  TsMetric metric = GPOINTER_TO_UINT (data);
  const guint n = 5000, d = 13, n_queries = 70, k = 10;
  g_autoptr(TsSpace) space = random_space (n, d, 1);
  g_autofree float *queries = random_queries (n_queries, d, 2);
  g_autofree TsNeighbor *fast = g_new (TsNeighbor, n_queries * k);
  g_autofree TsNeighbor *naive = g_new (TsNeighbor, n_queries * k);
  guint n_fast[70], n_naive[70];
  TsKnnOptions options = { metric, k, NULL, NULL, NULL };

  ts_knn_search (space, &options, queries, n_queries, fast, n_fast);
  ts_knn_search_naive (space, &options, queries, n_queries, naive, n_naive);
  assert_same_results (fast, naive, n_fast, n_naive, n_queries, k);
  for (guint q = 0; q < n_queries; q++)
    g_assert_cmpuint (n_fast[q], ==, k);
}

/* The same search on one thread and on two gives the same bytes: every
 * metric, one query (matrix-vector) and a block of them (matrix-matrix),
 * groups, and exact ties that straddle the tiles the threads share
 * (ts-knn.c, ts-nn-threads.c). */
static void
test_thread_count (void)
{
  const guint n = 20000, d = 13, n_queries = 5, k = 25;
  g_autoptr(TsSpace) space = NULL;
  g_autofree float *data = random_queries (n, d, 5);
  g_autofree float *queries = random_queries (n_queries, d, 6);
  g_autofree guint32 *groups = g_new (guint32, n);
  int saved = ts_nn_get_num_threads ();

  /* Every 2047th row is a copy of the first query: exact ties, in every
   * tile and at other offsets within each. */
  for (guint i = 0; i < n; i += 2047)
    memcpy (data + (gsize) i * d, queries, sizeof (float) * d);
  for (guint i = 0; i < n; i++)
    groups[i] = i % 7 == 0 ? i / 14 : i;
  space = ts_space_new ("random", n, d, g_steal_pointer (&data));

  for (TsMetric m = 0; m < TS_N_METRICS; m++)
    for (guint nq = 1; nq <= n_queries; nq += n_queries - 1)
      for (int grouped = 0; grouped < 2; grouped++)
        {
          TsKnnOptions options = { m, k, grouped ? groups : NULL, NULL, NULL };
          TsNeighbor one[5 * 25], two[5 * 25];
          guint n_one[5], n_two[5];

          memset (one, 0, sizeof one);
          memset (two, 0, sizeof two);
          ts_nn_set_num_threads (1);
          ts_knn_search (space, &options, queries, nq, one, n_one);
          ts_nn_set_num_threads (2);
          ts_knn_search (space, &options, queries, nq, two, n_two);
          g_assert_cmpmem (n_one, nq * sizeof (guint), n_two, nq * sizeof (guint));
          g_assert_cmpmem (one, nq * k * sizeof (TsNeighbor), two, nq * k * sizeof (TsNeighbor));
        }
  ts_nn_set_num_threads (saved);
}

/* Identical points tie: the lower rows win, in order. */
static void
test_ties (void)
{
  const guint n = 3000, d = 4, k = 7;
  float *data = g_new (float, n * d);
  const float query[4] = { 0.5f, 0.25f, 1.0f, 0.0f };

  for (guint i = 0; i < n * d; i++)
    data[i] = (float) (i % d + 1) / 4.0f;
  {
    g_autoptr(TsSpace) space = ts_space_new ("ties", n, d, data);

    for (TsMetric m = 0; m < TS_N_METRICS; m++)
      {
        TsKnnOptions options = { m, k, NULL, NULL, NULL };
        TsNeighbor out[7];
        guint n_found = 0;

        ts_knn_search (space, &options, query, 1, out, &n_found);
        g_assert_cmpuint (n_found, ==, k);
        for (guint r = 0; r < k; r++)
          {
            g_assert_cmpuint (out[r].row, ==, r);
            g_assert_cmpfloat (out[r].distance, ==, out[0].distance);
          }
      }
  }
}

/* Rows 2g and 2g+1 form group g: each group once, by its nearer row. */
static void
test_dedup (void)
{
  const guint n = 4000, d = 5, n_queries = 3, k = 15;
  g_autoptr(TsSpace) space = random_space (n, d, 3);
  g_autofree float *queries = random_queries (n_queries, d, 4);
  g_autofree guint32 *groups = g_new (guint32, n);
  TsNeighbor fast[45], naive[45];
  guint n_fast[3], n_naive[3];

  for (guint i = 0; i < n; i++)
    groups[i] = i / 2;
  for (TsMetric m = 0; m < TS_N_METRICS; m++)
    {
      TsKnnOptions options = { m, k, groups, NULL, NULL };

      ts_knn_search (space, &options, queries, n_queries, fast, n_fast);
      ts_knn_search_naive (space, &options, queries, n_queries, naive, n_naive);
      assert_same_results (fast, naive, n_fast, n_naive, n_queries, k);
      for (guint q = 0; q < n_queries; q++)
        for (guint r = 0; r < k; r++)
          {
            guint32 row = fast[q * k + r].row;
            guint32 twin = row ^ 1;
            double own = ts_metric_distance (m, queries + q * d,
                                             ts_space_get_data (space) + row * d, d);
            double other = ts_metric_distance (m, queries + q * d,
                                               ts_space_get_data (space) + twin * d, d);

            g_assert_cmpfloat (own, <=, other + DISTANCE_TOLERANCE);
            for (guint s = 0; s < r; s++)
              g_assert_cmpuint (groups[fast[q * k + s].row], !=, groups[row]);
          }
    }
}

/* Excluded rows and the query's own group never come back; with fewer
 * rows left than k, all of them do. */
static void
test_exclusion (void)
{
  const guint n = 50, d = 3, k = 60;
  g_autoptr(TsSpace) space = random_space (n, d, 5);
  guint8 exclude[50] = { 0 };
  guint32 groups[50];
  guint32 self = 10;
  TsNeighbor out[60];
  guint n_found = 0;

  for (guint i = 0; i < n; i++)
    groups[i] = i / 5;
  for (guint i = 0; i < n; i += 7)
    exclude[i] = 1;  /* 0 7 14 21 28 35 42 49 */
  for (TsMetric m = 0; m < TS_N_METRICS; m++)
    {
      TsKnnOptions options = { m, k, NULL, exclude, &self };

      ts_knn_search (space, &options, ts_space_get_data (space) + self * d, 1, out, &n_found);
      g_assert_cmpuint (n_found, ==, n - 8 - 1);
      for (guint r = 0; r < n_found; r++)
        {
          g_assert_false (exclude[out[r].row]);
          g_assert_cmpuint (out[r].row, !=, self);
        }
      options.groups = groups;
      ts_knn_search (space, &options, ts_space_get_data (space) + self * d, 1, out, &n_found);
      /* 10 groups; group 2 (rows 10-14) is the query's; groups 0, 4 and 9
       * keep rows besides their excluded ones. */
      g_assert_cmpuint (n_found, ==, 9);
      for (guint r = 0; r < n_found; r++)
        g_assert_cmpuint (groups[out[r].row], !=, groups[self]);
    }
}

static const char tiny_data[] =
  "valence,year,acousticness,artists,danceability,duration_ms,energy,explicit,id,"
  "instrumentalness,key,liveness,loudness,mode,name,popularity,release_date,speechiness,tempo\n"
  "0.5,1990,0.1,['A'],0.6,200000,0.7,0,"
  "0aaaaaaaaaaaaaaaaaaaa1,0.0,5,0.1,-5.0,1,One,50,1990,0.05,120\n"
  "0.5,1991,0.1,['A'],0.6,200000,0.7,0,"
  "0aaaaaaaaaaaaaaaaaaaa2,0.0,5,0.1,-5.0,1,One,40,1991,0.05,120\n"
  "0.6,1992,0.2,['A'],0.5,180000,0.6,0,"
  "0aaaaaaaaaaaaaaaaaaaa3,0.1,3,0.2,-7.5,0,Two,60,1992,0.04,100\n"
  "0.4,2001,0.3,['B'],0.4,210000,0.5,1,"
  "0aaaaaaaaaaaaaaaaaaaa4,0.2,7,0.3,-6.0,1,Three,45,2001,0.06,101\n"
  "0.9,2010,0.9,['B'],0.9,100000,0.1,0,0aaaaaaaaaaaaaaaaaaaa5,0.9,1,0.9,-20,0,Four,10,2010,0.5,60\n"
  "0.1,1960,0.5,['C'],0.2,300000,0.9,0,0aaaaaaaaaaaaaaaaaaaa6,0.5,9,0.5,-3,1,Five,80,1960,0.1,180\n"
  "0.55,1990,0.15,['C'],0.55,190000,0.65,0,"
  "0aaaaaaaaaaaaaaaaaaaa7,0.05,4,0.15,-6,1,Six,55,1990,0.05,110\n";

static TsDataset *
load_tiny (void)
{
  g_autofree char *path = ts_test_write_temp ("data.csv", tiny_data, -1);
  g_autoptr(GError) error = NULL;
  TsDatasetLoadOptions options = { 1, 0, TRUE };
  TsDataset *dataset = ts_dataset_load (path, &options, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return dataset;
}

static gboolean
results_have (GArray *results,
              guint   row)
{
  for (guint i = 0; i < results->len; i++)
    if (g_array_index (results, TsSimilarResult, i).row == row)
      return TRUE;
  return FALSE;
}

/* A song never finds itself or its duplicate; explanations sort. */
static void
test_song_query (void)
{
  g_autoptr(TsDataset) dataset = load_tiny ();
  g_autoptr(TsSimilar) similar = ts_similar_new (dataset, NULL, TS_METRIC_EUCLIDEAN);
  g_autoptr(GArray) results = ts_similar_song (similar, 0, 10);
  const TsSimilarResult *first;

  g_assert_cmpuint (results->len, ==, 5);
  g_assert_false (results_have (results, 0));
  g_assert_false (results_have (results, 1));
  first = &g_array_index (results, TsSimilarResult, 0);
  g_assert_cmpuint (first->row, ==, 6);  /* "Six" sits closest to "One" */
  g_assert_cmpfloat (fabs (first->close[0].difference), <=, fabs (first->close[1].difference));
  g_assert_cmpfloat (fabs (first->differ[0].difference), >=, fabs (first->differ[1].difference));
  g_assert_cmpfloat (fabs (first->differ[0].difference), >=, fabs (first->close[2].difference));
  for (guint i = 0; i < TS_EXPLAIN_N; i++)
    if (first->close[i].feature == TS_FEATURE_YEAR)
      g_assert_cmpfloat_with_epsilon (first->close[i].query_value, 1990, 1e-3);
}

static void
test_playlist_query (void)
{
  g_autoptr(TsDataset) dataset = load_tiny ();
  g_autoptr(TsSimilar) similar = ts_similar_new (dataset, NULL, TS_METRIC_COSINE);
  const guint32 rows[] = { 0, 3 };

  for (guint mode = 0; mode < 2; mode++)
    {
      g_autoptr(GArray) results = ts_similar_playlist (similar, rows, 2, mode, 10);

      g_assert_cmpuint (results->len, ==, 4);  /* 7 rows - 3 in the playlist's groups */
      g_assert_false (results_have (results, 0));
      g_assert_false (results_have (results, 1));
      g_assert_false (results_have (results, 3));
      if (mode == TS_PLAYLIST_MODE_VOTE)
        g_assert_cmpuint (g_array_index (results, TsSimilarResult, 0).votes, ==, 2);
    }
}

static void
test_artist_query (void)
{
  g_autoptr(TsDataset) dataset = load_tiny ();
  g_autoptr(TsSimilar) similar = ts_similar_new (dataset, NULL, TS_METRIC_COSINE);
  g_autoptr(GArray) artists = NULL;
  g_autoptr(GArray) results = NULL;
  int a = ts_dataset_lookup_artist (dataset, "A");

  g_assert_cmpint (a, >=, 0);
  results = ts_similar_artist (similar, a, 10, &artists);
  g_assert_cmpuint (results->len, ==, 4);  /* B's and C's songs */
  for (guint i = 0; i < 3; i++)
    g_assert_false (results_have (results, i));
  g_assert_cmpuint (artists->len, ==, 2);
  for (guint i = 0; i < artists->len; i++)
    g_assert_cmpuint (g_array_index (artists, TsSimilarArtist, i).artist, !=, (guint) a);
}

/* Raw units become scaled ones: every feature set to "Four"'s values
 * finds "Four" at distance 0; one feature changed from "Six" keeps "Six"
 * (the start) out. */
static void
test_features_query (void)
{
  static const char four[] = "valence=0.9,year=2010,acousticness=0.9,danceability=0.9,"
    "duration_ms=100000,energy=0.1,instrumentalness=0.9,key=1,liveness=0.9,loudness=-20,"
    "popularity=10,speechiness=0.5,tempo=60";
  g_autoptr(TsDataset) dataset = load_tiny ();
  g_autoptr(TsSimilar) similar = ts_similar_new (dataset, NULL, TS_METRIC_EUCLIDEAN);
  g_autoptr(GArray) features = g_array_new (FALSE, FALSE, sizeof (TsFeature));
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) results = NULL;
  g_autoptr(GArray) from_six = NULL;
  const TsSimilarResult *first;

  g_assert_false (ts_similar_parse_features ("year=soon", features, values, &error));
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (ts_similar_parse_features ("loudness", features, values, &error));
  g_clear_error (&error);
  g_assert_false (ts_similar_parse_features ("tempi=3", features, values, &error));
  g_clear_error (&error);
  g_array_set_size (features, 0);
  g_array_set_size (values, 0);
  g_assert_true (ts_similar_parse_features (four, features, values, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (features->len, ==, TS_N_FEATURES);

  results = ts_similar_features (similar, -1, (const TsFeature *) features->data,
                                 (const double *) values->data, features->len, 3, &error);
  g_assert_no_error (error);
  first = &g_array_index (results, TsSimilarResult, 0);
  g_assert_cmpuint (first->row, ==, 4);
  g_assert_cmpfloat (first->distance, <, 1e-5);
  g_assert_cmpfloat_with_epsilon (first->close[0].query_value, first->close[0].result_value,
                                  1e-3);

  from_six = ts_similar_features (similar, 6, (const TsFeature *) features->data,
                                  (const double *) values->data, 1, 10, &error);
  g_assert_no_error (error);
  g_assert_false (results_have (from_six, 6));
  g_assert_cmpuint (from_six->len, ==, 5);
}

/* A learnt space searches the query its model embedded (here a toy
 * space, row i at (i, 0)); the vector given to the model is the start
 * song's scaled features with the changed ones; explanations compare the
 * features; without the embedding, a learnt space refuses. */
static void
test_features_embedded (void)
{
  g_autoptr(TsDataset) dataset = load_tiny ();
  guint n = ts_dataset_get_n_rows (dataset);
  float *points = g_new0 (float, (gsize) n * 2);
  g_autoptr(TsSpace) space = NULL;
  g_autoptr(TsSimilar) similar = NULL;
  g_autoptr(GArray) results = NULL;
  g_autoptr(GError) error = NULL;
  const TsFeature energy = TS_FEATURE_ENERGY;
  const double high = 1.0;
  const float embedded[2] = { 2.0f, 0.0f };
  const float *scaled = ts_dataset_get_scaled (dataset);
  float vector[TS_N_FEATURES];
  double min, max;

  for (guint i = 0; i < n; i++)
    points[2 * i] = (float) i;
  space = ts_space_new ("predictor", n, 2, points);
  similar = ts_similar_new (dataset, space, TS_METRIC_EUCLIDEAN);

  ts_similar_features_vector (similar, 6, &energy, &high, 1, vector);
  ts_dataset_get_feature_range (dataset, TS_FEATURE_ENERGY, &min, &max);
  for (guint f = 0; f < TS_N_FEATURES; f++)
    if (f == TS_FEATURE_ENERGY)
      g_assert_cmpfloat_with_epsilon (vector[f], (high - min) / (max - min), 1e-6);
    else
      g_assert_cmpfloat_with_epsilon (vector[f], scaled[6 * TS_N_FEATURES + f], 1e-6);

  g_assert_null (ts_similar_features_embedded (similar, 6, &energy, &high, 1, NULL, 3, &error));
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  results = ts_similar_features_embedded (similar, 6, &energy, &high, 1, embedded, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, >, 0);
  g_assert_cmpuint (g_array_index (results, TsSimilarResult, 0).row, ==, 2);
  g_assert_cmpfloat (g_array_index (results, TsSimilarResult, 0).distance, <, 1e-6);
  g_assert_false (results_have (results, 6));
  for (guint i = 0; i < TS_EXPLAIN_N; i++)
    {
      const TsFeatureDelta *delta = &g_array_index (results, TsSimilarResult, 0).differ[i];

      if (delta->feature == TS_FEATURE_ENERGY)
        g_assert_cmpfloat_with_epsilon (delta->query_value, high, 1e-5);
    }
}

static void
on_query_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (source);
  *out = g_object_ref (result);
}

/* The asynchronous form gives what the synchronous one does, from a
 * worker thread; the caller may drop its reference meanwhile. */
static void
test_async (void)
{
  g_autoptr(TsDataset) dataset = load_tiny ();
  TsSimilar *similar = ts_similar_new (dataset, NULL, TS_METRIC_COSINE);
  g_autoptr(TsSimilar) keep = ts_similar_ref (similar);
  g_autoptr(GArray) expected = ts_similar_artist (similar, 0, 5, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GArray) results = NULL;
  g_autoptr(GArray) artists = NULL;
  g_autoptr(GError) error = NULL;
  TsSimilarQuery query = { .kind = TS_QUERY_ARTIST, .artist = 0, .limit = 5 };

  ts_similar_query_async (similar, &query, NULL, on_query_done, &result);
  ts_similar_unref (similar);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  results = ts_similar_query_finish (keep, result, &artists, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, expected->len);
  for (guint i = 0; i < results->len; i++)
    g_assert_cmpuint (g_array_index (results, TsSimilarResult, i).row, ==,
                      g_array_index (expected, TsSimilarResult, i).row);
  g_assert_nonnull (artists);
  g_assert_cmpuint (artists->len, ==, 2);
}

/* Genre precision on real files: base must beat random by far. */
static void
test_eval_real (gconstpointer data)
{
  const char *relative = data;
  g_autofree char *path = ts_test_shared_path (relative);
  g_autoptr(TsDataset) dataset = NULL;
  g_autoptr(TsSpace) base = NULL;
  g_autoptr(GError) error = NULL;
  double p_base, p_random;

  if (path == NULL)
    return;
  dataset = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  base = ts_space_new_base (dataset);
  p_base = ts_similar_eval_precision (dataset, base, TS_METRIC_EUCLIDEAN, 10, 500, 7, &error);
  g_assert_no_error (error);
  p_random = ts_similar_eval_precision (dataset, NULL, TS_METRIC_EUCLIDEAN, 10, 500, 7, &error);
  g_assert_no_error (error);
  g_test_message ("%s: base %.3f, random %.3f", relative, p_base, p_random);
  g_assert_cmpfloat (p_base, >, 1.8 * p_random);
  g_assert_cmpfloat (p_base, <=, 1.0);
}

/* The 1.2M set has no popularity: no explanation names it, it cannot be
 * searched by, and the predictor (which learns it) refuses to train. */
static void
test_missing_popularity (void)
{
  g_autofree char *path = ts_test_fixture_path ("catalogues/1m/tracks_features.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsDataset) ds = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);
  TsSimilar *similar;
  g_autoptr(GArray) results = NULL;
  TsModelOptions options;
  TsFeature feature = TS_FEATURE_POPULARITY;
  double value = 50;

  g_assert_no_error (error);
  similar = ts_similar_new (ds, NULL, TS_METRIC_EUCLIDEAN);
  results = ts_similar_song (similar, 0, 6);
  g_assert_cmpuint (results->len, ==, 6);
  for (guint i = 0; i < results->len; i++)
    for (guint k = 0; k < TS_EXPLAIN_N; k++)
      {
        g_assert_cmpint (g_array_index (results, TsSimilarResult, i).close[k].feature, !=,
                         TS_FEATURE_POPULARITY);
        g_assert_cmpint (g_array_index (results, TsSimilarResult, i).differ[k].feature, !=,
                         TS_FEATURE_POPULARITY);
      }

  g_assert_null (ts_similar_features (similar, 0, &feature, &value, 1, 5, &error));
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "tracks_features.csv has no popularity"));
  g_clear_error (&error);

  ts_model_options_init (&options, TS_MODEL_PREDICTOR);
  g_assert_null (ts_model_train (ds, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "predictor"));
  ts_similar_unref (similar);
}

/* One song per album: each album once, by its nearest song. */
static void
test_one_per_album (void)
{
  g_autofree char *path = ts_test_fixture_path ("catalogues/1m/tracks_features.csv");
  g_autofree char *no_albums = ts_test_fixture_path ("catalogues/600k/tracks.csv");
  g_autoptr(TsDataset) ds = ts_dataset_load (path, NULL, NULL, NULL, NULL, NULL);
  g_autoptr(TsDataset) other = ts_dataset_load (no_albums, NULL, NULL, NULL, NULL, NULL);
  g_autoptr(TsSimilar) plain = ts_similar_new (ds, NULL, TS_METRIC_EUCLIDEAN);
  g_autoptr(TsSimilar) by_album = ts_similar_new (ds, NULL, TS_METRIC_EUCLIDEAN);
  g_autoptr(TsSimilar) without = ts_similar_new (other, NULL, TS_METRIC_EUCLIDEAN);
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) one = NULL;
  g_autoptr(GHashTable) albums = g_hash_table_new (NULL, NULL);

  g_assert_true (ts_similar_set_one_per_album (by_album, TRUE));
  g_assert_false (ts_similar_set_one_per_album (without, TRUE));
  /* Songs like "Clocks": four of one album when every song may come. */
  all = ts_similar_song (plain, 5, 6);
  one = ts_similar_song (by_album, 5, 6);
  g_assert_cmpuint (all->len, ==, 6);
  g_assert_cmpuint (one->len, ==, 2);   /* The Battle Of Los Angeles, Duets */
  for (guint i = 0; i < one->len; i++)
    g_assert_true (g_hash_table_add (albums, GINT_TO_POINTER (ts_dataset_get_album (
                                       ds, g_array_index (one, TsSimilarResult, i).row) + 1)));
  /* Each album by its nearest song: the first of the plain results. */
  g_assert_cmpuint (g_array_index (one, TsSimilarResult, 0).row, ==,
                    g_array_index (all, TsSimilarResult, 0).row);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Ts/Knn/metric-names", test_metric_names);
  for (guint m = 0; m < TS_N_METRICS; m++)
    {
      g_autofree char *name = g_strdup_printf ("/Ts/Knn/naive/%s", ts_metric_get_name (m));

      g_test_add_data_func (name, GUINT_TO_POINTER (m), test_against_naive);
    }
  g_test_add_func ("/Ts/Knn/ties", test_ties);
  g_test_add_func ("/Ts/Knn/thread-count", test_thread_count);
  g_test_add_func ("/Ts/Knn/dedup", test_dedup);
  g_test_add_func ("/Ts/Knn/exclusion", test_exclusion);
  g_test_add_func ("/Ts/Similar/song", test_song_query);
  g_test_add_func ("/Ts/Similar/playlist", test_playlist_query);
  g_test_add_func ("/Ts/Similar/artist", test_artist_query);
  g_test_add_func ("/Ts/Similar/features", test_features_query);
  g_test_add_func ("/Ts/Similar/features-embedded", test_features_embedded);
  g_test_add_func ("/Ts/Similar/async", test_async);
  g_test_add_func ("/Ts/Similar/missing-popularity", test_missing_popularity);
  g_test_add_func ("/Ts/Similar/one-per-album", test_one_per_album);
  g_test_add_data_func ("/Ts/Similar/eval/tidytuesday",
                        "data/spotify/extras/tidytuesday-2020-01-21/spotify_songs.csv",
                        test_eval_real);
  g_test_add_data_func ("/Ts/Similar/eval/real-subset", "data/spotify/real-subset/data.csv",
                        test_eval_real);

  return g_test_run ();
}
