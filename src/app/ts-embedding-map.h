/* ts-embedding-map.h: every song of a space as a dot, by its 2-D PCA
 * projection, with the query and its results highlighted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tunescope-core.h"

G_BEGIN_DECLS

#define TS_TYPE_EMBEDDING_MAP (ts_embedding_map_get_type ())

G_DECLARE_FINAL_TYPE (TsEmbeddingMap, ts_embedding_map, TS, EMBEDDING_MAP, GtkWidget)

GtkWidget  *ts_embedding_map_new            (void);
/* Projects every point of @space (one per row of @dataset) with a 2-D
 * PCA; the same space again does nothing. NULL @space empties the map,
 * which then says @placeholder. @title names the space for people. */
gboolean    ts_embedding_map_set_space      (TsEmbeddingMap  *self,
                                             TsDataset       *dataset,
                                             TsSpace         *space,
                                             const char      *title,
                                             GError         **error);
void        ts_embedding_map_set_placeholder (TsEmbeddingMap *self,
                                             const char      *placeholder);
/* @query_row is -1 without a single query song; @label names the query. */
void        ts_embedding_map_set_highlight  (TsEmbeddingMap  *self,
                                             int              query_row,
                                             const char      *label,
                                             const guint32   *rows,
                                             guint            n_rows);
/* Back to the whole cloud. */
void        ts_embedding_map_reset_view     (TsEmbeddingMap  *self);
/* The row drawn nearest (@x, @y) in widget coordinates, within a few
 * pixels, or -1. */
int         ts_embedding_map_pick           (TsEmbeddingMap  *self,
                                             double           x,
                                             double           y);
const char *ts_embedding_map_get_description (TsEmbeddingMap *self);

G_END_DECLS
