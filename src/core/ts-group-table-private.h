/* ts-group-table-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ts-group-table.h"

G_BEGIN_DECLS

/* Takes ownership of @names (n strings), @counts (n) and @means
 * (n x TS_N_FEATURES, NAN where a feature is absent). @feature_mask has
 * bit f set when feature f is present. */
TsGroupTable *_ts_group_table_new (const char *source,
                                   guint       n_groups,
                                   char      **names,
                                   double     *counts,
                                   double     *means,
                                   guint       feature_mask);

/* The counts, writable while the table is being filled in by its maker. */
double       *_ts_group_table_counts (TsGroupTable *self);

G_END_DECLS
