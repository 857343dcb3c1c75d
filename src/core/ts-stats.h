/* ts-stats.h: correlation matrices over the features, and small group x
 * feature tables for the charts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ts-types.h"
#include "ts-group-table.h"

G_BEGIN_DECLS

typedef enum
{
  TS_CORR_PEARSON,
  TS_CORR_SPEARMAN,  /* Pearson on average ranks (ties share their mean rank) */
  TS_CORR_KENDALL,   /* tau-b, Knight's O(n log n) algorithm */
  TS_N_CORR_METHODS
} TsCorrMethod;

const char   *ts_corr_method_get_name   (TsCorrMethod  method);
gboolean      ts_corr_method_from_name  (const char   *name,
                                         TsCorrMethod *method);

/* The low-level entry point: @n_columns columns of @n_rows values each.
 * Writes the n_columns x n_columns matrix, row-major, into @values and
 * whether each value is defined into @defined (either may be NULL).
 * A value is undefined when a column is constant, holds a NaN or when
 * there are fewer than two rows; it is then written as 0.0, never NaN.
 * @n_threads 0 uses one thread per processor. */
void          ts_corr_compute           (const double * const *columns,
                                         guint                 n_columns,
                                         gsize                 n_rows,
                                         TsCorrMethod          method,
                                         guint                 n_threads,
                                         double               *values,
                                         gboolean             *defined);

/* A correlation matrix over chosen features of a dataset. */
typedef struct _TsCorrMatrix TsCorrMatrix;

#define TS_TYPE_CORR_MATRIX (ts_corr_matrix_get_type ())

GType         ts_corr_matrix_get_type     (void) G_GNUC_CONST;
/* @features NULL (and @n_features 0) means all 13, in TsFeature order. */
TsCorrMatrix *ts_corr_matrix_new          (TsDataset       *dataset,
                                           TsCorrMethod     method,
                                           const TsFeature *features,
                                           guint            n_features,
                                           guint            n_threads);
/* Wraps values computed elsewhere (tests, the CLI's JSON reader). */
TsCorrMatrix *ts_corr_matrix_new_from_values (TsCorrMethod     method,
                                              gsize            n_rows,
                                              const TsFeature *features,
                                              guint            n_features,
                                              const double    *values,
                                              const gboolean  *defined);
TsCorrMatrix *ts_corr_matrix_ref          (TsCorrMatrix    *self);
void          ts_corr_matrix_unref        (TsCorrMatrix    *self);

TsCorrMethod  ts_corr_matrix_get_method   (TsCorrMatrix    *self);
gsize         ts_corr_matrix_get_n_rows   (TsCorrMatrix    *self);
guint         ts_corr_matrix_get_size     (TsCorrMatrix    *self);
TsFeature     ts_corr_matrix_get_feature  (TsCorrMatrix    *self,
                                           guint            index);
/* The coefficient, or 0.0 when undefined (see is_defined). */
double        ts_corr_matrix_get          (TsCorrMatrix    *self,
                                           guint            row,
                                           guint            col);
gboolean      ts_corr_matrix_is_defined   (TsCorrMatrix    *self,
                                           guint            row,
                                           guint            col);
/* The off-diagonal pair with the largest |r|, for accessible
 * descriptions; FALSE when no off-diagonal value is defined. */
gboolean      ts_corr_matrix_get_strongest (TsCorrMatrix   *self,
                                            guint          *row,
                                            guint          *col);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsCorrMatrix, ts_corr_matrix_unref)

/* Chosen groups x chosen features of a TsGroupTable, copied out so a
 * chart can keep it: the means, the groups' song counts and names. */
typedef struct
{
  guint       n_groups;
  guint       n_features;
  char      **names;     /* n_groups, NULL-terminated */
  double     *counts;    /* n_groups */
  TsFeature  *features;  /* n_features */
  double     *means;     /* n_groups x n_features, NAN where the table lacks it */
} TsGroupSelection;

/* Picks @group_names (each looked up in @table; unknown names are left
 * out and returned in @unknown when it is not NULL) and @features. */
TsGroupSelection *ts_group_selection_new  (TsGroupTable       *table,
                                           const char * const *group_names,
                                           const TsFeature    *features,
                                           guint               n_features,
                                           GPtrArray         **unknown);
void              ts_group_selection_free (TsGroupSelection   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsGroupSelection, ts_group_selection_free)

G_END_DECLS
