/* ts-group-table.h: per-group feature means (by year, artist or genre)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ts-types.h"

G_BEGIN_DECLS

#define TS_TYPE_GROUP_TABLE (ts_group_table_get_type ())

GType         ts_group_table_get_type     (void) G_GNUC_CONST;
TsGroupTable *ts_group_table_ref          (TsGroupTable *self);
void          ts_group_table_unref        (TsGroupTable *self);

guint         ts_group_table_get_n_groups (TsGroupTable *self);
const char   *ts_group_table_get_name     (TsGroupTable *self,
                                           guint         group);
int           ts_group_table_lookup       (TsGroupTable *self,
                                           const char   *name);
/* How many songs the group's means are over. */
double        ts_group_table_get_count    (TsGroupTable *self,
                                           guint         group);
/* The mean of @feature over the group's songs, or NAN when the source
 * had no such column (see has_feature). */
double        ts_group_table_get_mean     (TsGroupTable *self,
                                           guint         group,
                                           TsFeature     feature);
gboolean      ts_group_table_has_feature  (TsGroupTable *self,
                                           TsFeature     feature);
/* Where the numbers come from: a companion file's name, or "data.csv"
 * when derived. */
const char   *ts_group_table_get_source   (TsGroupTable *self);

/* Up to @n group names for a chart's first look: those of @preferred
 * (NULL-terminated, may be NULL) that the table has, in that order, then
 * the groups with the most songs. */
char        **ts_group_table_pick_defaults (TsGroupTable       *self,
                                            const char * const *preferred,
                                            guint               n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsGroupTable, ts_group_table_unref)

G_END_DECLS
