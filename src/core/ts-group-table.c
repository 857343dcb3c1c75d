/* ts-group-table.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-group-table"

#include "config.h"

#include <math.h>

#include "ts-group-table-private.h"

struct _TsGroupTable
{
  char       *source;
  guint       n_groups;
  char      **names;
  double     *counts;
  double     *means;     /* n_groups x TS_N_FEATURES */
  guint       feature_mask;
  GHashTable *by_name;   /* name -> index + 1 */
};

G_DEFINE_BOXED_TYPE (TsGroupTable, ts_group_table, ts_group_table_ref, ts_group_table_unref)

TsGroupTable *
_ts_group_table_new (const char *source,
                     guint       n_groups,
                     char      **names,
                     double     *counts,
                     double     *means,
                     guint       feature_mask)
{
  TsGroupTable *self = g_atomic_rc_box_new0 (TsGroupTable);

  g_assert (source != NULL);
  g_assert (n_groups == 0 || (names != NULL && counts != NULL && means != NULL));

  self->source = g_strdup (source);
  self->n_groups = n_groups;
  self->names = names;
  self->counts = counts;
  self->means = means;
  self->feature_mask = feature_mask;
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n_groups; i++)
    g_hash_table_insert (self->by_name, names[i], GUINT_TO_POINTER (i + 1));
  return self;
}

double *
_ts_group_table_counts (TsGroupTable *self)
{
  g_assert (self != NULL);

  return self->counts;
}

static void
ts_group_table_finalize (gpointer data)
{
  TsGroupTable *self = data;

  g_hash_table_unref (self->by_name);
  for (guint i = 0; i < self->n_groups; i++)
    g_free (self->names[i]);
  g_free (self->names);
  g_free (self->counts);
  g_free (self->means);
  g_free (self->source);
}

TsGroupTable *
ts_group_table_ref (TsGroupTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
ts_group_table_unref (TsGroupTable *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, ts_group_table_finalize);
}

guint
ts_group_table_get_n_groups (TsGroupTable *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_groups;
}

const char *
ts_group_table_get_name (TsGroupTable *self,
                         guint         group)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (group < self->n_groups, NULL);

  return self->names[group];
}

int
ts_group_table_lookup (TsGroupTable *self,
                       const char   *name)
{
  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  return GPOINTER_TO_INT (g_hash_table_lookup (self->by_name, name)) - 1;
}

double
ts_group_table_get_count (TsGroupTable *self,
                          guint         group)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (group < self->n_groups, 0);

  return self->counts[group];
}

double
ts_group_table_get_mean (TsGroupTable *self,
                         guint         group,
                         TsFeature     feature)
{
  g_return_val_if_fail (self != NULL, NAN);
  g_return_val_if_fail (group < self->n_groups, NAN);
  g_return_val_if_fail (feature < TS_N_FEATURES, NAN);

  return self->means[(gsize) group * TS_N_FEATURES + feature];
}

gboolean
ts_group_table_has_feature (TsGroupTable *self,
                            TsFeature     feature)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (feature < TS_N_FEATURES, FALSE);

  return (self->feature_mask & (1u << feature)) != 0;
}

const char *
ts_group_table_get_source (TsGroupTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->source;
}

static int
compare_by_count_desc (gconstpointer a,
                       gconstpointer b,
                       gpointer      data)
{
  TsGroupTable *self = data;
  double ca = self->counts[*(const guint *) a];
  double cb = self->counts[*(const guint *) b];

  if (isnan (ca))
    ca = -1;
  if (isnan (cb))
    cb = -1;
  if (ca != cb)
    return ca > cb ? -1 : 1;
  return g_strcmp0 (self->names[*(const guint *) a], self->names[*(const guint *) b]);
}

char **
ts_group_table_pick_defaults (TsGroupTable       *self,
                              const char * const *preferred,
                              guint               n)
{
  g_autoptr(GStrvBuilder) picked = g_strv_builder_new ();
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree guint *order = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; preferred != NULL && preferred[i] != NULL &&
                    g_hash_table_size (taken) < n; i++)
    {
      int group = ts_group_table_lookup (self, preferred[i]);

      if (group >= 0 && g_hash_table_add (taken, self->names[group]))
        g_strv_builder_add (picked, self->names[group]);
    }

  order = g_new (guint, MAX (self->n_groups, 1));
  for (guint g = 0; g < self->n_groups; g++)
    order[g] = g;
  g_qsort_with_data (order, (gint) self->n_groups, sizeof (guint), compare_by_count_desc, self);
  for (guint i = 0; i < self->n_groups && g_hash_table_size (taken) < n; i++)
    {
      if (g_hash_table_add (taken, self->names[order[i]]))
        g_strv_builder_add (picked, self->names[order[i]]);
    }
  return g_strv_builder_end (picked);
}
