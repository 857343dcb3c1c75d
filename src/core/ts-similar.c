/* ts-similar.c: similar songs, artists and playlists, with explanations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-similar"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ts-dataset.h"
#include "ts-error.h"
#include "ts-models.h"
#include "ts-similar-private.h"

/* Vote mode: each playlist song names this many neighbours (at least the
 * limit), and a neighbour at rank r gets VOTE_K - r points. */
#define VOTE_K 50

TsSimilar *
ts_similar_new (TsDataset *dataset,
                TsSpace   *space,
                TsMetric   metric)
{
  TsSimilar *self;
  guint n;

  g_return_val_if_fail (TS_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (metric < TS_N_METRICS, NULL);
  g_return_val_if_fail (space == NULL
                        || ts_space_get_n (space) == ts_dataset_get_n_rows (dataset), NULL);

  n = ts_dataset_get_n_rows (dataset);
  self = g_new0 (TsSimilar, 1);
  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->artist_lock);
  self->dataset = g_object_ref (dataset);
  self->base = ts_space_new_base (dataset);
  self->space = space != NULL ? ts_space_ref (space) : ts_space_ref (self->base);
  self->metric = metric;
  ts_dataset_ensure_index (dataset);
  self->groups = g_new (guint32, n + 1);
  for (guint i = 0; i < n; i++)
    self->groups[i] = ts_dataset_get_group (dataset, i);
  return self;
}

TsSimilar *
ts_similar_ref (TsSimilar *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
ts_similar_unref (TsSimilar *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_mutex_clear (&self->artist_lock);
  g_clear_pointer (&self->artist_space, ts_space_unref);
  ts_space_unref (self->space);
  ts_space_unref (self->base);
  g_free (self->groups);
  g_free (self->album_keys);
  g_object_unref (self->dataset);
  g_free (self);
}

gboolean
ts_similar_set_one_per_album (TsSimilar *self,
                              gboolean   one_per_album)
{
  guint n, n_albums;

  g_return_val_if_fail (self != NULL, FALSE);

  g_clear_pointer (&self->album_keys, g_free);
  n_albums = ts_dataset_get_n_albums (self->dataset);
  if (!one_per_album || n_albums == 0)
    return FALSE;
  n = ts_dataset_get_n_rows (self->dataset);
  self->album_keys = g_new (guint32, n + 1);
  for (guint i = 0; i < n; i++)
    {
      gint32 album = ts_dataset_get_album (self->dataset, i);

      self->album_keys[i] = album >= 0 ? (guint32) album : n_albums + self->groups[i];
    }
  return TRUE;
}

TsSpace *
ts_similar_get_space (TsSimilar *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->space;
}

TsDataset *
ts_similar_get_dataset (TsSimilar *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->dataset;
}

/* Explanations: compare in the base space, whatever space searched. */

static int
compare_abs_difference (const void *a,
                        const void *b)
{
  double da = fabs (((const TsFeatureDelta *) a)->difference);
  double db = fabs (((const TsFeatureDelta *) b)->difference);

  return da < db ? -1 : da > db ? 1 : 0;
}

static double
unscale (TsDataset *dataset,
         TsFeature  feature,
         double     value)
{
  double min, max;

  ts_dataset_get_feature_range (dataset, feature, &min, &max);
  return min + value * (max - min);
}

static void
explain (TsSimilar       *self,
         const float     *query_base,
         TsSimilarResult *result)
{
  const float *x = ts_space_get_data (self->base) + (gsize) result->row * TS_N_FEATURES;
  TsFeatureDelta deltas[TS_N_FEATURES];
  guint n = 0;

  /* A feature the dataset lacks is alike everywhere: never a reason. */
  for (guint f = 0; f < TS_N_FEATURES; f++)
    if (ts_dataset_has_feature (self->dataset, f))
      {
        deltas[n].feature = f;
        deltas[n].query_value = unscale (self->dataset, f, query_base[f]);
        deltas[n].result_value = ts_dataset_get_column (self->dataset, f)[result->row];
        deltas[n].difference = (double) x[f] - query_base[f];
        n++;
      }
  g_assert (n >= 2 * TS_EXPLAIN_N);
  qsort (deltas, n, sizeof (TsFeatureDelta), compare_abs_difference);
  for (guint i = 0; i < TS_EXPLAIN_N; i++)
    {
      result->close[i] = deltas[i];
      result->differ[i] = deltas[n - 1 - i];
    }
}

GArray *
_ts_similar_results_from_neighbors (TsSimilar        *self,
                                    const float      *query_base,
                                    const TsNeighbor *neighbors,
                                    guint             n)
{
  GArray *results = g_array_sized_new (FALSE, TRUE, sizeof (TsSimilarResult), n);

  for (guint i = 0; i < n; i++)
    {
      TsSimilarResult result = { neighbors[i].row, neighbors[i].distance, 0, { { 0 } }, { { 0 } } };

      explain (self, query_base, &result);
      g_array_append_val (results, result);
    }
  return results;
}

/* The mean of @rows in @space (d floats to @out). */
void
_ts_similar_mean_of_rows (TsSpace       *space,
                          const guint32 *rows,
                          guint          n_rows,
                          float         *out)
{
  guint d = ts_space_get_dim (space);
  const float *data = ts_space_get_data (space);
  g_autofree double *sum = g_new0 (double, d);

  for (guint i = 0; i < n_rows; i++)
    for (guint j = 0; j < d; j++)
      sum[j] += data[(gsize) rows[i] * d + j];
  for (guint j = 0; j < d; j++)
    out[j] = n_rows > 0 ? (float) (sum[j] / n_rows) : 0.0f;
}

/* Flags every row of the groups of @rows. */
guint8 *
_ts_similar_exclude_groups_of (TsSimilar     *self,
                               const guint32 *rows,
                               guint          n_rows)
{
  guint8 *exclude = g_new0 (guint8, ts_dataset_get_n_rows (self->dataset) + 1);

  for (guint i = 0; i < n_rows; i++)
    {
      const guint32 *members = NULL;
      guint n = ts_dataset_get_group_rows (self->dataset, self->groups[rows[i]], &members);

      for (guint m = 0; m < n; m++)
        exclude[members[m]] = 1;
    }
  return exclude;
}

/* Keeps the first (nearest) neighbour of each duplicate group, at most
 * @limit: one per album leaves a song on several albums several times. */
static guint
keep_first_of_groups (TsSimilar  *self,
                      TsNeighbor *neighbors,
                      guint       n,
                      guint       limit)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  guint kept = 0;

  for (guint i = 0; i < n && kept < limit; i++)
    if (g_hash_table_add (seen, GUINT_TO_POINTER (self->groups[neighbors[i].row] + 1)))
      neighbors[kept++] = neighbors[i];
  return kept;
}

static GArray *
search_vector (TsSimilar    *self,
               const float  *query,
               const float  *query_base,
               const guint8 *exclude,
               guint         limit)
{
  /* By album, twice the songs: room for those on several albums. */
  guint k = self->album_keys != NULL ? 2 * limit : limit;
  TsKnnOptions options = { self->metric, k, self->album_keys != NULL ? self->album_keys
                                                                      : self->groups,
                           exclude, NULL };
  g_autofree TsNeighbor *neighbors = g_new (TsNeighbor, k + 1);
  guint n_found = 0;

  ts_knn_search (self->space, &options, query, 1, neighbors, &n_found);
  if (self->album_keys != NULL)
    n_found = keep_first_of_groups (self, neighbors, n_found, limit);
  return _ts_similar_results_from_neighbors (self, query_base, neighbors, n_found);
}

GArray *
ts_similar_song (TsSimilar *self,
                 guint      row,
                 guint      limit)
{
  guint32 row32 = row;
  g_autofree guint8 *exclude = NULL;
  guint d;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (row < ts_dataset_get_n_rows (self->dataset), NULL);

  d = ts_space_get_dim (self->space);
  exclude = _ts_similar_exclude_groups_of (self, &row32, 1);
  return search_vector (self, ts_space_get_data (self->space) + (gsize) row * d,
                        ts_space_get_data (self->base) + (gsize) row * TS_N_FEATURES,
                        exclude, limit);
}

/* Rows whose artists include @artist. */
static GArray *
rows_of_artist (TsDataset *dataset,
                guint32    artist)
{
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint n = ts_dataset_get_n_rows (dataset);

  for (guint32 i = 0; i < n; i++)
    {
      const guint32 *artists = NULL;
      guint n_artists = ts_dataset_get_artists (dataset, i, &artists);

      for (guint a = 0; a < n_artists; a++)
        {
          if (artists[a] == artist)
            {
              g_array_append_val (rows, i);
              break;
            }
        }
    }
  return rows;
}

/* Every artist's mean in the search space: n_artists x d. */
static TsSpace *
compute_artist_space (TsSimilar *self)
{
  guint n_artists = ts_dataset_get_n_artists (self->dataset);
  guint n = ts_dataset_get_n_rows (self->dataset);
  guint d = ts_space_get_dim (self->space);
  const float *data = ts_space_get_data (self->space);
  g_autofree double *sums = NULL;
  g_autofree guint *counts = NULL;
  float *means;

  sums = g_new0 (double, (gsize) n_artists * d + 1);
  counts = g_new0 (guint, n_artists + 1);
  for (guint i = 0; i < n; i++)
    {
      const guint32 *artists = NULL;
      guint n_of_row = ts_dataset_get_artists (self->dataset, i, &artists);

      for (guint a = 0; a < n_of_row; a++)
        {
          counts[artists[a]]++;
          for (guint j = 0; j < d; j++)
            sums[(gsize) artists[a] * d + j] += data[(gsize) i * d + j];
        }
    }
  means = g_new (float, (gsize) n_artists * d + 1);
  for (guint a = 0; a < n_artists; a++)
    for (guint j = 0; j < d; j++)
      means[(gsize) a * d + j] = counts[a] > 0 ? (float) (sums[(gsize) a * d + j] / counts[a])
                                               : NAN;
  return ts_space_new ("artists", n_artists, d, means);
}

/* A reference to the artist means, computed once. */
static TsSpace *
ensure_artist_space (TsSimilar *self)
{
  /* Held to the end of the function (clang sees no use of it). */
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->artist_lock);

  if (self->artist_space == NULL)
    self->artist_space = compute_artist_space (self);
  return ts_space_ref (self->artist_space);
}

static GArray *
similar_artists (TsSimilar   *self,
                 guint32      artist,
                 const float *query,
                 guint        limit)
{
  g_autoptr(TsSpace) space = ensure_artist_space (self);
  TsKnnOptions options = { self->metric, limit, NULL, NULL, &artist };
  g_autofree TsNeighbor *neighbors = g_new (TsNeighbor, limit + 1);
  GArray *artists = g_array_new (FALSE, FALSE, sizeof (TsSimilarArtist));
  guint n_found = 0;

  ts_knn_search (space, &options, query, 1, neighbors, &n_found);
  for (guint i = 0; i < n_found; i++)
    {
      TsSimilarArtist hit = { neighbors[i].row, neighbors[i].distance };

      g_array_append_val (artists, hit);
    }
  return artists;
}

GArray *
ts_similar_artist (TsSimilar *self,
                   guint32    artist,
                   guint      limit,
                   GArray   **artists)
{
  g_autoptr(GArray) rows = NULL;
  g_autofree float *query = NULL;
  float query_base[TS_N_FEATURES];
  g_autofree guint8 *exclude = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (artist < ts_dataset_get_n_artists (self->dataset), NULL);

  rows = rows_of_artist (self->dataset, artist);
  query = g_new0 (float, ts_space_get_dim (self->space));
  _ts_similar_mean_of_rows (self->space, (const guint32 *) rows->data, rows->len, query);
  _ts_similar_mean_of_rows (self->base, (const guint32 *) rows->data, rows->len, query_base);
  if (artists != NULL)
    *artists = similar_artists (self, artist, query, limit);
  exclude = _ts_similar_exclude_groups_of (self, (const guint32 *) rows->data, rows->len);
  return search_vector (self, query, query_base, exclude, limit);
}

typedef struct
{
  guint32 row;
  double  score;
  double  distance;
  guint   votes;
} Vote;

static int
compare_votes (const void *a,
               const void *b)
{
  const Vote *va = a, *vb = b;

  if (va->score != vb->score)
    return va->score > vb->score ? -1 : 1;
  if (va->distance != vb->distance)
    return va->distance < vb->distance ? -1 : 1;
  return va->row < vb->row ? -1 : va->row > vb->row;
}

/* Each playlist song's neighbours vote, nearer ones more; a group is
 * represented by its first row to be named. */
static GArray *
playlist_vote (TsSimilar     *self,
               const guint32 *rows,
               guint          n_rows,
               const guint8  *exclude,
               const float   *query_base,
               guint          limit)
{
  guint d = ts_space_get_dim (self->space);
  guint k = MAX (VOTE_K, limit);
  TsKnnOptions options = { self->metric, k, self->groups, exclude, NULL };
  g_autofree float *queries = g_new (float, (gsize) n_rows * d);
  g_autofree TsNeighbor *neighbors = g_new (TsNeighbor, (gsize) n_rows * k);
  g_autofree guint *n_found = g_new (guint, n_rows);
  g_autoptr(GHashTable) by_group = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) votes = g_array_new (FALSE, FALSE, sizeof (Vote));
  GArray *results;

  for (guint i = 0; i < n_rows; i++)
    memcpy (queries + (gsize) i * d, ts_space_get_data (self->space) + (gsize) rows[i] * d,
            d * sizeof (float));
  ts_knn_search (self->space, &options, queries, n_rows, neighbors, n_found);
  for (guint q = 0; q < n_rows; q++)
    for (guint r = 0; r < n_found[q]; r++)
      {
        const TsNeighbor *nb = &neighbors[(gsize) q * k + r];
        gpointer key = GUINT_TO_POINTER (self->groups[nb->row] + 1);
        gpointer slot;
        Vote *vote;

        if (!g_hash_table_lookup_extended (by_group, key, NULL, &slot))
          {
            Vote fresh = { nb->row, 0, nb->distance, 0 };

            g_array_append_val (votes, fresh);
            slot = GUINT_TO_POINTER (votes->len);
            g_hash_table_insert (by_group, key, slot);
          }
        vote = &g_array_index (votes, Vote, GPOINTER_TO_UINT (slot) - 1);
        vote->score += (double) (k - r) / k;
        vote->votes++;
        vote->distance = MIN (vote->distance, nb->distance);
      }
  if (votes->len > 1)
    qsort (votes->data, votes->len, sizeof (Vote), compare_votes);
  results = g_array_new (FALSE, TRUE, sizeof (TsSimilarResult));
  for (guint i = 0; i < votes->len && i < limit; i++)
    {
      const Vote *vote = &g_array_index (votes, Vote, i);
      TsSimilarResult result = { vote->row, vote->distance, vote->votes, { { 0 } }, { { 0 } } };

      explain (self, query_base, &result);
      g_array_append_val (results, result);
    }
  return results;
}

GArray *
ts_similar_playlist (TsSimilar      *self,
                     const guint32  *rows,
                     guint           n_rows,
                     TsPlaylistMode  mode,
                     guint           limit)
{
  g_autofree float *query = NULL;
  float query_base[TS_N_FEATURES];
  g_autofree guint8 *exclude = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (rows != NULL || n_rows == 0, NULL);
  g_return_val_if_fail (mode <= TS_PLAYLIST_MODE_TRAIN, NULL);

  for (guint i = 0; i < n_rows; i++)
    g_return_val_if_fail (rows[i] < ts_dataset_get_n_rows (self->dataset), NULL);

  if (n_rows == 0)
    return g_array_new (FALSE, TRUE, sizeof (TsSimilarResult));
  if (mode == TS_PLAYLIST_MODE_TRAIN)
    {
      GArray *results = ts_similar_playlist_train (self, rows, n_rows, limit, NULL, NULL, NULL,
                                                   NULL);

      return results != NULL ? results : g_array_new (FALSE, TRUE, sizeof (TsSimilarResult));
    }
  exclude = _ts_similar_exclude_groups_of (self, rows, n_rows);
  _ts_similar_mean_of_rows (self->base, rows, n_rows, query_base);
  if (mode == TS_PLAYLIST_MODE_VOTE)
    return playlist_vote (self, rows, n_rows, exclude, query_base, limit);
  query = g_new0 (float, ts_space_get_dim (self->space));
  _ts_similar_mean_of_rows (self->space, rows, n_rows, query);
  return search_vector (self, query, query_base, exclude, limit);
}

/* ---- playlist modes --------------------------------------------------- */

static const char * const playlist_mode_names[] = { "centroid", "vote", "train" };

const char *
ts_playlist_mode_get_name (TsPlaylistMode mode)
{
  g_return_val_if_fail (mode <= TS_PLAYLIST_MODE_TRAIN, NULL);

  return playlist_mode_names[mode];
}

gboolean
ts_playlist_mode_from_name (const char     *name,
                            TsPlaylistMode *mode)
{
  int index;

  g_return_val_if_fail (name != NULL, FALSE);

  index = ts_nn_lookup_name (playlist_mode_names, G_N_ELEMENTS (playlist_mode_names), name);
  if (index < 0)
    return FALSE;
  if (mode != NULL)
    *mode = (TsPlaylistMode) index;
  return TRUE;
}

/* ---- features ----------------------------------------------------------- */

void
ts_similar_features_vector (TsSimilar       *self,
                            int              row,
                            const TsFeature *features,
                            const double    *values,
                            guint            n_features,
                            float            vector[TS_N_FEATURES])
{
  guint n;

  g_return_if_fail (self != NULL);
  g_return_if_fail (features != NULL || n_features == 0);
  g_return_if_fail (values != NULL || n_features == 0);

  n = ts_dataset_get_n_rows (self->dataset);
  g_return_if_fail (row >= -1 && row < (int) n);

  if (row >= 0)
    memcpy (vector, ts_space_get_data (self->base) + (gsize) row * TS_N_FEATURES,
            TS_N_FEATURES * sizeof (float));
  else
    {
      g_autofree guint32 *all = g_new (guint32, n + 1);

      for (guint i = 0; i < n; i++)
        all[i] = i;
      _ts_similar_mean_of_rows (self->base, all, n, vector);
    }
  for (guint i = 0; i < n_features; i++)
    {
      double min, max;

      g_return_if_fail (features[i] < TS_N_FEATURES);
      ts_dataset_get_feature_range (self->dataset, features[i], &min, &max);
      vector[features[i]] = max > min ? (float) ((values[i] - min) / (max - min)) : 0.0f;
    }
}

GArray *
ts_similar_features (TsSimilar       *self,
                     int              row,
                     const TsFeature *features,
                     const double    *values,
                     guint            n_features,
                     guint            limit,
                     GError         **error)
{
  return ts_similar_features_embedded (self, row, features, values, n_features, NULL,
                                       limit, error);
}

GArray *
ts_similar_features_embedded (TsSimilar       *self,
                              int              row,
                              const TsFeature *features,
                              const double    *values,
                              guint            n_features,
                              const float     *embedded,
                              guint            limit,
                              GError         **error)
{
  float query[TS_N_FEATURES];
  g_autofree guint8 *exclude = NULL;
  gboolean in_base;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (row >= -1 && row < (int) ts_dataset_get_n_rows (self->dataset), NULL);
  g_return_val_if_fail (features != NULL || n_features == 0, NULL);
  g_return_val_if_fail (values != NULL || n_features == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  in_base = g_str_equal (ts_space_get_name (self->space), "base");
  if (!in_base && embedded == NULL)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                   "feature values can only be searched in the base space, not in “%s”, "
                   "unless its model embeds them",
                   ts_space_get_name (self->space));
      return NULL;
    }
  for (guint i = 0; i < n_features; i++)
    if (!ts_dataset_has_feature (self->dataset, features[i]))
      {
        g_autofree char *file = g_path_get_basename (ts_dataset_get_path (self->dataset));

        g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                     "%s has no %s: there is nothing to search by", file,
                     ts_feature_get_name (features[i]));
        return NULL;
      }
  ts_similar_features_vector (self, row, features, values, n_features, query);
  if (row >= 0)
    {
      guint32 row32 = row;

      exclude = _ts_similar_exclude_groups_of (self, &row32, 1);
    }
  /* The explanations compare the features, whatever space is searched. */
  return search_vector (self, embedded != NULL && !in_base ? embedded : query, query,
                        exclude, limit);
}

typedef struct
{
  TsNeighbor neighbor;
  float      score;
} Steered;

static int
compare_steered (const void *a,
                 const void *b)
{
  const Steered *x = a, *y = b;

  if (x->score != y->score)
    return x->score < y->score ? -1 : 1;
  return x->neighbor.row < y->neighbor.row ? -1 : x->neighbor.row > y->neighbor.row;
}

GArray *
ts_similar_features_steered (TsSimilar       *self,
                             const TsFeature *features,
                             const double    *values,
                             guint            n_features,
                             const float     *row_cost,
                             guint            limit,
                             GError         **error)
{
  float query[TS_N_FEATURES];
  guint pool = MAX (TS_SIMILAR_STEER_POOL, limit);
  TsKnnOptions options = { self->metric, pool, self->groups, NULL, NULL };
  g_autofree TsNeighbor *neighbors = g_new (TsNeighbor, pool + 1);
  g_autofree Steered *steered = NULL;
  guint n_found = 0;
  float nearest, spread;

  g_return_val_if_fail (self != NULL && row_cost != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_str_equal (ts_space_get_name (self->space), "base"))
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                   "feature values can only be searched in the base space, not in “%s”",
                   ts_space_get_name (self->space));
      return NULL;
    }
  ts_similar_features_vector (self, -1, features, values, n_features, query);
  ts_knn_search (self->space, &options, query, 1, neighbors, &n_found);
  if (n_found == 0)
    return _ts_similar_results_from_neighbors (self, query, neighbors, 0);

  nearest = neighbors[0].distance;
  spread = neighbors[n_found - 1].distance - nearest;
  steered = g_new (Steered, n_found);
  for (guint i = 0; i < n_found; i++)
    {
      float distance = spread > 0.0f ? (neighbors[i].distance - nearest) / spread : 0.0f;

      steered[i] = (Steered) { neighbors[i], distance + row_cost[neighbors[i].row] };
    }
  qsort (steered, n_found, sizeof (Steered), compare_steered);
  n_found = MIN (n_found, limit);
  for (guint i = 0; i < n_found; i++)
    neighbors[i] = steered[i].neighbor;
  return _ts_similar_results_from_neighbors (self, query, neighbors, n_found);
}

gboolean
ts_similar_parse_features (const char *text,
                           GArray     *features,
                           GArray     *values,
                           GError    **error)
{
  g_auto(GStrv) pairs = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (features != NULL && values != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  pairs = g_strsplit (text, ",", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (pairs[i], "=", 2);
      TsFeature feature;
      char *end = NULL;
      double value;

      if (kv[0] == NULL || kv[1] == NULL)
        {
          g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                       "“%s” is not FEATURE=VALUE", pairs[i]);
          return FALSE;
        }
      g_strstrip (kv[0]);
      g_strstrip (kv[1]);
      if (!ts_feature_from_name (kv[0], &feature))
        {
          g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                       "unknown feature “%s” (one of valence, year, acousticness, "
                       "danceability, duration_ms, energy, instrumentalness, key, liveness, "
                       "loudness, popularity, speechiness, tempo)", kv[0]);
          return FALSE;
        }
      value = g_ascii_strtod (kv[1], &end);
      if (end == kv[1] || *end != '\0' || !isfinite (value))
        {
          g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                       "“%s” is not a number (for %s)", kv[1], kv[0]);
          return FALSE;
        }
      g_array_append_val (features, feature);
      g_array_append_val (values, value);
    }
  return TRUE;
}

TsSpace *
ts_space_new_standardized (TsDataset *dataset)
{
  static const guint columns[] = {
    TS_FEATURE_VALENCE, TS_FEATURE_YEAR, TS_FEATURE_ACOUSTICNESS, TS_FEATURE_DANCEABILITY,
    TS_FEATURE_DURATION_MS, TS_FEATURE_ENERGY, TS_COLUMN_EXPLICIT, TS_FEATURE_INSTRUMENTALNESS,
    TS_FEATURE_KEY, TS_FEATURE_LIVENESS, TS_FEATURE_LOUDNESS, TS_COLUMN_MODE,
    TS_FEATURE_POPULARITY, TS_FEATURE_SPEECHINESS, TS_FEATURE_TEMPO,
  };
  guint d = G_N_ELEMENTS (columns);
  guint n;
  float *data;

  g_return_val_if_fail (TS_IS_DATASET (dataset), NULL);

  n = ts_dataset_get_n_rows (dataset);
  data = g_new (float, (gsize) n * d + 1);
  for (guint j = 0; j < d; j++)
    {
      const double *col = ts_dataset_get_column (dataset, columns[j]);
      double sum = 0, sum2 = 0, mean, sd;

      for (guint i = 0; i < n; i++)
        sum += col[i];
      mean = n > 0 ? sum / n : 0;
      for (guint i = 0; i < n; i++)
        sum2 += (col[i] - mean) * (col[i] - mean);
      sd = n > 0 ? sqrt (sum2 / n) : 0;
      for (guint i = 0; i < n; i++)
        data[(gsize) i * d + j] = sd > 0 ? (float) ((col[i] - mean) / sd) : 0.0f;
    }
  return ts_space_new ("kaggle", n, d, data);
}

typedef struct
{
  TsSimilarQuery  query;
  guint32        *rows;
  TsFeature      *features;
  float          *embedded;
  double         *values;
  GArray         *artists;
} QueryTask;

static void
query_task_free (gpointer data)
{
  QueryTask *task = data;

  g_free (task->rows);
  g_free (task->features);
  g_free (task->embedded);
  g_free (task->values);
  g_clear_pointer (&task->artists, g_array_unref);
  g_free (task);
}

static GArray *
run_query (TsSimilar     *self,
           QueryTask     *qt,
           GCancellable  *cancellable,
           GError       **error)
{
  const TsSimilarQuery *q = &qt->query;

  switch (q->kind)
    {
    case TS_QUERY_SONG:
      return ts_similar_song (self, q->row, q->limit);
    case TS_QUERY_ARTIST:
      return ts_similar_artist (self, q->artist, q->limit, &qt->artists);
    case TS_QUERY_PLAYLIST:
      if (q->mode == TS_PLAYLIST_MODE_TRAIN)
        return ts_similar_playlist_train (self, qt->rows, q->n_rows, q->limit, NULL, NULL,
                                          cancellable, error);
      return ts_similar_playlist (self, qt->rows, q->n_rows, q->mode, q->limit);
    case TS_QUERY_FEATURES:
      return ts_similar_features_embedded (self, q->start_row, qt->features, qt->values,
                                           q->n_features, qt->embedded, q->limit, error);
    default:
      g_assert_not_reached ();
    }
}

static void
query_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  GArray *results;

  (void) source;
  if (g_task_return_error_if_cancelled (task))
    return;
  results = run_query (g_object_get_data (G_OBJECT (task), "ts-similar"), data, cancellable,
                       &error);
  if (results == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, results, (GDestroyNotify) g_array_unref);
}

void
_ts_similar_unref_data (gpointer data)
{
  ts_similar_unref (data);
}

void
ts_similar_query_async (TsSimilar            *self,
                        const TsSimilarQuery *query,
                        GCancellable         *cancellable,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  QueryTask *qt;

  g_return_if_fail (self != NULL);
  g_return_if_fail (query != NULL && query->kind <= TS_QUERY_FEATURES);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  qt = g_new0 (QueryTask, 1);
  qt->query = *query;
  qt->rows = g_memdup2 (query->rows, query->n_rows * sizeof (guint32));
  qt->features = g_memdup2 (query->features, query->n_features * sizeof (TsFeature));
  qt->values = g_memdup2 (query->values, query->n_features * sizeof (double));
  if (query->embedded != NULL)
    qt->embedded = g_memdup2 (query->embedded,
                              ts_space_get_dim (self->space) * sizeof (float));
  /* The task's source object must be a GObject; keep self alive by hand. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ts_similar_query_async);
  g_task_set_task_data (task, qt, query_task_free);
  g_object_set_data_full (G_OBJECT (task), "ts-similar", ts_similar_ref (self), _ts_similar_unref_data);
  g_task_run_in_thread (task, query_thread);
}

GArray *
ts_similar_query_finish (TsSimilar     *self,
                         GAsyncResult  *result,
                         GArray       **artists,
                         GError       **error)
{
  QueryTask *qt;
  GArray *results;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  qt = g_task_get_task_data (G_TASK (result));
  results = g_task_propagate_pointer (G_TASK (result), error);
  if (artists != NULL)
    *artists = results != NULL && qt->artists != NULL ? g_array_ref (qt->artists) : NULL;
  return results;
}
