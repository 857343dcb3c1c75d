/* ts-similar-eval.c: genre precision@k of a space and metric
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-similar"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ts-dataset.h"
#include "ts-error.h"
#include "ts-similar.h"

/* Each row's genres, sorted, in one array (CSR). */
typedef struct
{
  guint    n_rows;
  guint   *offsets;  /* n_rows + 1 */
  guint32 *genres;
} Genres;

static int
compare_u32 (const void *a,
             const void *b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

static void
genres_init (Genres    *g,
             TsDataset *dataset)
{
  gboolean labelled = ts_dataset_get_schema (dataset) == TS_DATASET_SCHEMA_TIDYTUESDAY;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (guint32));

  g->n_rows = ts_dataset_get_n_rows (dataset);
  g->offsets = g_new (guint, g->n_rows + 1);
  for (guint i = 0; i < g->n_rows; i++)
    {
      g->offsets[i] = all->len;
      if (labelled)
        {
          gint32 label = ts_dataset_get_label (dataset, i);

          if (label >= 0)
            g_array_append_val (all, label);
        }
      else
        {
          g_autoptr(GArray) genres = ts_dataset_dup_song_genres (dataset, i);

          if (genres->len == 0)
            continue;
          qsort (genres->data, genres->len, sizeof (guint32), compare_u32);
          g_array_append_vals (all, genres->data, genres->len);
        }
    }
  g->offsets[g->n_rows] = all->len;
  g->genres = (guint32 *) g_array_free (g_steal_pointer (&all), FALSE);
}

static void
genres_clear (Genres *g)
{
  g_free (g->offsets);
  g_free (g->genres);
}

static gboolean
genres_share (const Genres *g,
              guint         a,
              guint         b)
{
  guint i = g->offsets[a], j = g->offsets[b];

  while (i < g->offsets[a + 1] && j < g->offsets[b + 1])
    {
      if (g->genres[i] == g->genres[j])
        return TRUE;
      if (g->genres[i] < g->genres[j])
        i++;
      else
        j++;
    }
  return FALSE;
}

static gboolean
genres_has (const Genres *g,
            guint         row)
{
  return g->offsets[row + 1] > g->offsets[row];
}

/* k random labelled songs of other groups: the floor any space must beat. */
static guint
random_neighbors (TsDataset     *dataset,
                  const guint32 *candidates,
                  guint          n_candidates,
                  guint32        query,
                  guint          k,
                  GRand         *rand,
                  TsNeighbor    *out)
{
  guint n = 0;
  guint self_group = ts_dataset_get_group (dataset, query);

  for (guint attempt = 0; n < k && attempt < 20 * k; attempt++)
    {
      guint32 row = candidates[g_rand_int_range (rand, 0, (gint32) n_candidates)];
      gboolean seen = ts_dataset_get_group (dataset, row) == self_group;

      for (guint i = 0; i < n && !seen; i++)
        seen = out[i].row == row;
      if (!seen)
        out[n++] = (TsNeighbor) { row, 0 };
    }
  return n;
}

static guint32 *
sample_queries (const guint32 *candidates,
                guint          n_candidates,
                guint          n_queries,
                GRand         *rand)
{
  g_autofree guint32 *pool = g_memdup2 (candidates, n_candidates * sizeof (guint32));
  guint32 *queries = g_new (guint32, n_queries + 1);

  /* A partial Fisher-Yates shuffle: distinct songs. */
  for (guint i = 0; i < n_queries; i++)
    {
      guint j = i + (guint) g_rand_int_range (rand, 0, (gint32) (n_candidates - i));
      guint32 tmp = pool[i];

      pool[i] = pool[j];
      pool[j] = tmp;
      queries[i] = pool[i];
    }
  return queries;
}

static void
search_space (TsDataset     *dataset,
              TsSpace       *space,
              TsMetric       metric,
              guint          k,
              const guint8  *exclude,
              const guint32 *queries,
              guint          n_queries,
              TsNeighbor    *neighbors,
              guint         *n_found)
{
  guint n = ts_dataset_get_n_rows (dataset);
  guint d = ts_space_get_dim (space);
  g_autofree guint32 *groups = g_new (guint32, n + 1);
  g_autofree float *vectors = g_new (float, (gsize) n_queries * d + 1);
  TsKnnOptions options = { metric, k, groups, exclude, queries };

  for (guint i = 0; i < n; i++)
    groups[i] = ts_dataset_get_group (dataset, i);
  for (guint q = 0; q < n_queries; q++)
    memcpy (vectors + (gsize) q * d, ts_space_get_data (space) + (gsize) queries[q] * d,
            d * sizeof (float));
  ts_knn_search (space, &options, vectors, n_queries, neighbors, n_found);
}

double
ts_similar_eval_precision (TsDataset *dataset,
                           TsSpace   *space,
                           TsMetric   metric,
                           guint      k,
                           guint      n_queries,
                           guint32    seed,
                           GError   **error)
{
  return ts_similar_eval_precision_among (dataset, space, metric, k, n_queries, seed, NULL,
                                          error);
}

double
ts_similar_eval_precision_among (TsDataset    *dataset,
                                 TsSpace      *space,
                                 TsMetric      metric,
                                 guint         k,
                                 guint         n_queries,
                                 guint32       seed,
                                 const guint8 *query_rows,
                                 GError      **error)
{
  guint n;
  Genres genres;
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) pool = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree guint8 *exclude = NULL;
  g_autofree guint32 *queries = NULL;
  g_autofree TsNeighbor *neighbors = NULL;
  g_autofree guint *n_found = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint64 shared = 0, total = 0;

  g_return_val_if_fail (TS_IS_DATASET (dataset), -1);
  g_return_val_if_fail (space == NULL || ts_space_get_n (space) == ts_dataset_get_n_rows (dataset),
                        -1);
  g_return_val_if_fail (metric < TS_N_METRICS, -1);
  g_return_val_if_fail (k > 0 && n_queries > 0, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  n = ts_dataset_get_n_rows (dataset);
  ts_dataset_ensure_index (dataset);
  genres_init (&genres, dataset);
  exclude = g_new0 (guint8, n + 1);
  for (guint32 i = 0; i < n; i++)
    {
      if (genres_has (&genres, i))
        {
          g_array_append_val (candidates, i);
          if (query_rows == NULL || query_rows[i])
            g_array_append_val (pool, i);
        }
      else
        exclude[i] = 1;
    }
  if (candidates->len <= k)
    {
      genres_clear (&genres);
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                   "%s has too few songs with a genre (%u) to measure precision@%u",
                   ts_dataset_get_path (dataset), candidates->len, k);
      return -1;
    }

  if (pool->len == 0)
    {
      genres_clear (&genres);
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                   "%s has no song with a genre among the rows allowed as queries",
                   ts_dataset_get_path (dataset));
      return -1;
    }
  n_queries = MIN (n_queries, pool->len);
  queries = sample_queries ((const guint32 *) pool->data, pool->len, n_queries, rand);
  neighbors = g_new (TsNeighbor, (gsize) n_queries * k);
  n_found = g_new (guint, n_queries);
  if (space != NULL)
    search_space (dataset, space, metric, k, exclude, queries, n_queries, neighbors, n_found);
  else
    for (guint q = 0; q < n_queries; q++)
      n_found[q] = random_neighbors (dataset, (const guint32 *) candidates->data, candidates->len,
                                     queries[q], k, rand, neighbors + (gsize) q * k);

  for (guint q = 0; q < n_queries; q++)
    for (guint r = 0; r < n_found[q]; r++)
      {
        shared += genres_share (&genres, queries[q], neighbors[(gsize) q * k + r].row);
        total++;
      }
  genres_clear (&genres);
  return total > 0 ? (double) shared / total : 0.0;
}
