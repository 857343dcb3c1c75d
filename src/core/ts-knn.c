/* ts-knn.c: exact top-k search over every song of a space
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-knn"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include <cblas.h>

#include "nn/ts-nn.h"
#include "ts-dataset.h"
#include "ts-knn.h"
#include "ts-space-private.h"

/* Queries and rows are processed in blocks whose score tile
 * (QUERY_BLOCK x ROW_BLOCK floats, 512 KiB) stays in the L2 cache. */
#define QUERY_BLOCK 64
#define ROW_BLOCK   2048


static const char * const metric_names[TS_N_METRICS] = {
  "cosine", "euclidean", "manhattan", "dot",
};

const char *
ts_metric_get_name (TsMetric metric)
{
  g_return_val_if_fail (metric < TS_N_METRICS, NULL);

  return metric_names[metric];
}

gboolean
ts_metric_from_name (const char *name,
                     TsMetric   *metric)
{
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (metric != NULL, FALSE);

  for (guint m = 0; m < TS_N_METRICS; m++)
    {
      if (g_ascii_strcasecmp (name, metric_names[m]) == 0)
        {
          *metric = m;
          return TRUE;
        }
    }
  if (g_ascii_strcasecmp (name, "l2") == 0)
    *metric = TS_METRIC_EUCLIDEAN;
  else if (g_ascii_strcasecmp (name, "l1") == 0)
    *metric = TS_METRIC_MANHATTAN;
  else
    return FALSE;
  return TRUE;
}

double
ts_metric_distance (TsMetric     metric,
                    const float *a,
                    const float *b,
                    guint        d)
{
  double dot = 0, na = 0, nb = 0, l1 = 0, l2 = 0;

  g_return_val_if_fail (metric < TS_N_METRICS, NAN);
  g_return_val_if_fail (a != NULL && b != NULL, NAN);

  for (guint j = 0; j < d; j++)
    {
      double diff = (double) a[j] - b[j];

      dot += (double) a[j] * b[j];
      na += (double) a[j] * a[j];
      nb += (double) b[j] * b[j];
      l1 += fabs (diff);
      l2 += diff * diff;
    }
  switch (metric)
    {
    case TS_METRIC_COSINE:
      return na > 0 && nb > 0 ? 1.0 - dot / (sqrt (na) * sqrt (nb)) : 1.0;
    case TS_METRIC_EUCLIDEAN:
      return sqrt (l2);
    case TS_METRIC_MANHATTAN:
      return l1;
    case TS_METRIC_DOT:
      return -dot;
    case TS_N_METRICS:
    default:
      g_assert_not_reached ();
    }
}

/* The top-k of one query: a max-heap whose root is the worst kept
 * neighbour, holding at most one row per group. */
typedef struct
{
  TsNeighbor    *items;
  guint          len;
  guint          k;
  const guint32 *groups;
  const guint8  *exclude;
  guint32        self_row;
  guint32        self_group;
} Heap;

static inline gboolean
worse (const TsNeighbor *a,
       const TsNeighbor *b)
{
  return a->distance > b->distance || (a->distance == b->distance && a->row > b->row);
}

static void
heap_sift_up (Heap *h,
              guint i)
{
  TsNeighbor item = h->items[i];

  while (i > 0)
    {
      guint parent = (i - 1) / 2;

      if (!worse (&item, &h->items[parent]))
        break;
      h->items[i] = h->items[parent];
      i = parent;
    }
  h->items[i] = item;
}

static void
heap_sift_down (Heap *h,
                guint i)
{
  TsNeighbor item = h->items[i];

  for (;;)
    {
      guint child = 2 * i + 1;

      if (child >= h->len)
        break;
      if (child + 1 < h->len && worse (&h->items[child + 1], &h->items[child]))
        child++;
      if (!worse (&h->items[child], &item))
        break;
      h->items[i] = h->items[child];
      i = child;
    }
  h->items[i] = item;
}

static void
heap_init (Heap               *h,
           const TsKnnOptions *options,
           TsNeighbor         *items,
           guint32             self_row)
{
  h->items = items;
  h->len = 0;
  h->k = options->k;
  h->groups = options->groups;
  h->exclude = options->exclude;
  h->self_row = self_row;
  h->self_group = G_MAXUINT32;
  if (self_row != G_MAXUINT32 && h->groups != NULL)
    h->self_group = h->groups[self_row];
}

/* Rows of the same group: keep the nearer one. */
static gboolean
heap_offer_grouped (Heap             *h,
                    const TsNeighbor *cand)
{
  guint32 group = h->groups[cand->row];

  if (group == h->self_group)
    return TRUE;
  for (guint i = 0; i < h->len; i++)
    {
      if (h->groups[h->items[i].row] == group)
        {
          if (worse (&h->items[i], cand))
            {
              h->items[i] = *cand;
              heap_sift_down (h, i);
            }
          return TRUE;
        }
    }
  return FALSE;
}

static inline void
heap_offer (Heap   *h,
            guint32 row,
            float   distance)
{
  TsNeighbor cand = { row, distance };

  if (h->len == h->k && !worse (&h->items[0], &cand))
    return;
  if (isnan (distance) || row == h->self_row || (h->exclude != NULL && h->exclude[row]))
    return;
  if (h->groups != NULL && heap_offer_grouped (h, &cand))
    return;
  if (h->len < h->k)
    {
      h->items[h->len++] = cand;
      heap_sift_up (h, h->len - 1);
    }
  else
    {
      h->items[0] = cand;
      heap_sift_down (h, 0);
    }
}

static int
compare_neighbors (const void *a,
                   const void *b)
{
  const TsNeighbor *na = a, *nb = b;

  if (worse (na, nb))
    return 1;
  return worse (nb, na) ? -1 : 0;
}

/* Sorts nearest first; squared L2 becomes L2. */
static guint
heap_finish (Heap     *h,
             TsMetric  metric,
             gboolean  squared)
{
  if (h->len > 1)
    qsort (h->items, h->len, sizeof (TsNeighbor), compare_neighbors);
  if (metric == TS_METRIC_EUCLIDEAN && squared)
    for (guint i = 0; i < h->len; i++)
      h->items[i].distance = sqrtf (h->items[i].distance);
  return h->len;
}

static guint32
query_row (const TsKnnOptions *options,
           guint               q)
{
  return options->query_rows != NULL ? options->query_rows[q] : G_MAXUINT32;
}

/* Scores of a tile of queries x rows, turned into distances and offered
 * to each query's heap. */
static void
offer_tile (TsSpace     *space,
            TsMetric     metric,
            const float *scores,
            guint        n_queries,
            guint        x0,
            guint        n_rows,
            const float *query_norms,
            Heap        *heaps)
{
  const float *norms = ts_space_get_norms (space);
  const float *sq_norms = norms + space->n;
  const float *inv_norms = norms + 2 * (gsize) space->n;

  for (guint q = 0; q < n_queries; q++)
    {
      const float *s = scores + (gsize) q * n_rows;
      Heap *h = &heaps[q];
      float qn = query_norms[q];
      float inv_qn = qn > 0 ? 1.0f / qn : 0.0f;

      switch (metric)
        {
        case TS_METRIC_COSINE:
          /* A zero vector is at distance 1 from everything. */
          for (guint j = 0; j < n_rows; j++)
            heap_offer (h, x0 + j, 1.0f - s[j] * inv_qn * inv_norms[x0 + j]);
          break;
        case TS_METRIC_EUCLIDEAN:
          for (guint j = 0; j < n_rows; j++)
            heap_offer (h, x0 + j, MAX (qn * qn + sq_norms[x0 + j] - 2.0f * s[j], 0.0f));
          break;
        case TS_METRIC_DOT:
          for (guint j = 0; j < n_rows; j++)
            heap_offer (h, x0 + j, -s[j]);
          break;
        case TS_METRIC_MANHATTAN:
        case TS_N_METRICS:
        default:
          g_assert_not_reached ();
        }
    }
}

/* ---- the search, shared among cores ---------------------------------------
 *
 * Each block of queries is scored against the rows tile by tile (ROW_BLOCK
 * rows each), the tiles shared among the engine's threads. A tile is
 * always the same rows, scored by single-threaded BLAS (ts-nn-threads.c),
 * so its distances do not depend on which thread or how many threads ran
 * it. Every worker keeps its own top-k per query; merging them keeps the
 * k best under a strict order (distance, then row), which has one answer
 * whatever the workers' shares were. */

typedef struct
{
  TsSpace            *space;
  const TsKnnOptions *options;
  const float        *queries;                   /* nq x d */
  guint               nq;
  float               query_norms[QUERY_BLOCK];
  Heap               *heaps;                     /* n_workers x QUERY_BLOCK */
  float              *scores;                    /* n_workers x nq x ROW_BLOCK */
} SearchBlock;

static void
score_tile_l1 (SearchBlock *b,
               Heap        *heaps,
               guint        x0,
               guint        x1)
{
  guint d = b->space->d;

  for (guint q = 0; q < b->nq; q++)
    {
      const float *qv = b->queries + (gsize) q * d;

      for (guint i = x0; i < x1; i++)
        {
          const float *x = b->space->data + (gsize) i * d;
          float sum = 0;

          for (guint j = 0; j < d; j++)
            sum += fabsf (qv[j] - x[j]);
          heap_offer (&heaps[q], i, sum);
        }
    }
}

static void
score_tile_blas (SearchBlock *b,
                 Heap        *heaps,
                 float       *scores,
                 guint        x0,
                 guint        n_rows)
{
  guint d = b->space->d;
  const float *rows = b->space->data + (gsize) x0 * d;

  /* One query: a matrix-vector product streams the rows once, where
   * sgemm would first pack them. */
  if (b->nq == 1)
    cblas_sgemv (CblasRowMajor, CblasNoTrans, (int) n_rows, (int) d, 1.0f, rows, (int) d,
                 b->queries, 1, 0.0f, scores, 1);
  else
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) b->nq, (int) n_rows, (int) d,
                 1.0f, b->queries, (int) d, rows, (int) d, 0.0f, scores, (int) n_rows);
  offer_tile (b->space, b->options->metric, scores, b->nq, x0, n_rows, b->query_norms, heaps);
}

static void
score_tile (int      tile,
            int      worker,
            gpointer data)
{
  SearchBlock *b = data;
  guint x0 = (guint) tile * ROW_BLOCK;
  guint n_rows = MIN (ROW_BLOCK, b->space->n - x0);
  Heap *heaps = b->heaps + (gsize) worker * QUERY_BLOCK;

  if (b->options->metric == TS_METRIC_MANHATTAN)
    score_tile_l1 (b, heaps, x0, x0 + n_rows);
  else
    score_tile_blas (b, heaps, b->scores + (gsize) worker * b->nq * ROW_BLOCK, x0, n_rows);
}

static void
set_query_norms (SearchBlock *b)
{
  guint d = b->space->d;

  for (guint q = 0; q < b->nq; q++)
    {
      double sum = 0;

      for (guint j = 0; j < d; j++)
        sum += (double) b->queries[q * d + j] * b->queries[q * d + j];
      b->query_norms[q] = (float) sqrt (sum);
    }
}

/* Searches one block of @nq queries into @out (nq x k) and @n_found. */
static void
search_block (TsSpace            *space,
              const TsKnnOptions *options,
              const float        *queries,
              guint               q0,
              guint               nq,
              TsNeighbor         *out,
              guint              *n_found)
{
  guint k = options->k;
  int n_tiles = (int) ((space->n + ROW_BLOCK - 1) / ROW_BLOCK);
  int n_workers = ts_nn_parallel_get_n_workers (n_tiles);
  g_autofree Heap *heaps = g_new (Heap, (gsize) n_workers * QUERY_BLOCK);
  g_autofree TsNeighbor *kept = g_new (TsNeighbor, MAX ((gsize) n_workers * nq * k, 1));
  g_autofree float *scores = NULL;
  SearchBlock b = { space, options, queries + (gsize) q0 * space->d, nq, { 0 }, heaps, NULL };

  if (options->metric != TS_METRIC_MANHATTAN)
    b.scores = scores = g_new (float, (gsize) n_workers * nq * ROW_BLOCK);
  set_query_norms (&b);
  for (int w = 0; w < n_workers; w++)
    for (guint q = 0; q < nq; q++)
      heap_init (&heaps[(gsize) w * QUERY_BLOCK + q], options,
                 kept + ((gsize) w * nq + q) * k, query_row (options, q0 + q));
  if (k > 0)
    ts_nn_parallel_for (n_tiles, score_tile, &b);

  for (guint q = 0; q < nq; q++)
    {
      Heap merged;

      heap_init (&merged, options, out + (gsize) q * k, query_row (options, q0 + q));
      for (int w = 0; w < n_workers; w++)
        {
          const Heap *h = &heaps[(gsize) w * QUERY_BLOCK + q];

          for (guint i = 0; i < h->len; i++)
            heap_offer (&merged, h->items[i].row, h->items[i].distance);
        }
      n_found[q] = heap_finish (&merged, options->metric, TRUE);
    }
}

void
ts_knn_search (TsSpace            *space,
               const TsKnnOptions *options,
               const float        *queries,
               guint               n_queries,
               TsNeighbor         *out,
               guint              *n_found)
{
  g_return_if_fail (space != NULL);
  g_return_if_fail (options != NULL && options->metric < TS_N_METRICS);
  g_return_if_fail (queries != NULL || n_queries == 0);
  g_return_if_fail (out != NULL || n_queries == 0 || options->k == 0);
  g_return_if_fail (n_found != NULL || n_queries == 0);

  if (options->metric != TS_METRIC_MANHATTAN)
    ts_space_get_norms (space);
  for (guint q0 = 0; q0 < n_queries; q0 += QUERY_BLOCK)
    {
      guint nq = MIN (QUERY_BLOCK, n_queries - q0);

      search_block (space, options, queries, q0, nq, out + (gsize) q0 * options->k,
                    n_found + q0);
    }
}

void
ts_knn_search_naive (TsSpace            *space,
                     const TsKnnOptions *options,
                     const float        *queries,
                     guint               n_queries,
                     TsNeighbor         *out,
                     guint              *n_found)
{
  g_return_if_fail (space != NULL);
  g_return_if_fail (options != NULL && options->metric < TS_N_METRICS);
  g_return_if_fail (queries != NULL || n_queries == 0);
  g_return_if_fail (n_found != NULL || n_queries == 0);

  for (guint q = 0; q < n_queries; q++)
    {
      Heap h;

      heap_init (&h, options, out + (gsize) q * options->k, query_row (options, q));
      for (guint i = 0; i < space->n && h.k > 0; i++)
        heap_offer (&h, i, (float) ts_metric_distance (options->metric,
                                                       queries + (gsize) q * space->d,
                                                       space->data + (gsize) i * space->d,
                                                       space->d));
      n_found[q] = heap_finish (&h, options->metric, FALSE);
    }
}
