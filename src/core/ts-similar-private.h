/* ts-similar-private.h: TsSimilar's fields and helpers, for its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ts-relay.h"
#include "ts-similar.h"

G_BEGIN_DECLS

struct _TsSimilar
{
  gatomicrefcount ref_count;
  GMutex     artist_lock;    /* guards artist_space */
  TsDataset *dataset;
  TsSpace   *space;
  TsSpace   *base;
  TsMetric   metric;
  guint32   *groups;         /* n_rows */
  guint32   *album_keys;     /* n_rows, one per album: the song's album, or
                              * n_albums + its group without one; NULL */
  TsSpace   *artist_space;   /* artist means, on first use */
};

/* A GDestroyNotify for a TsSimilar held by a task. */
void     _ts_similar_unref_data             (gpointer          data);
/* Marks (1) the songs in a group with any of @rows (n_rows bytes). */
guint8  *_ts_similar_exclude_groups_of      (TsSimilar        *self,
                                             const guint32    *rows,
                                             guint             n_rows);
/* TsSimilarResults, with explanations, of @n neighbours. */
GArray  *_ts_similar_results_from_neighbors (TsSimilar        *self,
                                             const float      *query_base,
                                             const TsNeighbor *neighbors,
                                             guint             n);
/* The mean of @rows's points in @space into @out (dim floats). */
void     _ts_similar_mean_of_rows           (TsSpace          *space,
                                             const guint32    *rows,
                                             guint             n_rows,
                                             float            *out);

G_END_DECLS
