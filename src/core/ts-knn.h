/* ts-knn.h: exact top-k search over every song of a space
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ts-space.h"
#include "ts-types.h"

G_BEGIN_DECLS

typedef enum
{
  TS_METRIC_COSINE,     /* 1 - cos(q, x) */
  TS_METRIC_EUCLIDEAN,  /* |q - x|_2 */
  TS_METRIC_MANHATTAN,  /* |q - x|_1 */
  TS_METRIC_DOT,        /* -q.x: larger products are nearer */
  TS_N_METRICS
} TsMetric;

const char *ts_metric_get_name  (TsMetric    metric);
gboolean    ts_metric_from_name (const char *name,
                                 TsMetric   *metric);


typedef struct
{
  guint32 row;
  float   distance;  /* smaller is nearer, in the metric's units */
} TsNeighbor;

/* How a search runs; zero-initialised fields mean "none". */
typedef struct
{
  TsMetric       metric;
  guint          k;
  /* n group ids (same name and artists): each group appears once in a
   * query's results, by its nearest row. */
  const guint32 *groups;
  /* n flags: rows no query may return (a playlist, unlabelled songs). */
  const guint8  *exclude;
  /* n_queries rows (or G_MAXUINT32): the row each query leaves out, with
   * its whole group when @groups is set (the query song itself). */
  const guint32 *query_rows;
} TsKnnOptions;

/* Exact top-k of each of @n_queries queries (n_queries x d). Writes
 * @n_queries x k neighbours to @out, nearest first (ties: lower row
 * first), and how many each query found to @n_found (fewer than k only
 * when fewer rows qualify). Inner products go through blocked
 * cblas_sgemm; L1 is a plain loop. */
void          ts_knn_search       (TsSpace            *space,
                                   const TsKnnOptions *options,
                                   const float        *queries,
                                   guint               n_queries,
                                   TsNeighbor         *out,
                                   guint              *n_found);
/* The same result computed pair by pair, in double: the reference the
 * tests hold ts_knn_search to. */
void          ts_knn_search_naive (TsSpace            *space,
                                   const TsKnnOptions *options,
                                   const float        *queries,
                                   guint               n_queries,
                                   TsNeighbor         *out,
                                   guint              *n_found);
/* The distance between two vectors of @d floats. */
double        ts_metric_distance  (TsMetric            metric,
                                   const float        *a,
                                   const float        *b,
                                   guint               d);

G_END_DECLS
