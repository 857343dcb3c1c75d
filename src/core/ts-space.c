/* ts-space.c: the spaces songs are compared in, and how each is made
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-space"

#include "config.h"

#include <math.h>

#include "ts-dataset.h"
#include "ts-space-private.h"

TsSpace *
ts_space_new (const char *name,
              guint       n,
              guint       d,
              float      *data)
{
  TsSpace *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (d > 0, NULL);
  g_return_val_if_fail (data != NULL || n == 0, NULL);

  self = g_new0 (TsSpace, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->name = g_strdup (name);
  self->n = n;
  self->d = d;
  self->data = data;
  self->owned = data;
  return self;
}

TsSpace *
ts_space_new_base (TsDataset *dataset)
{
  TsSpace *self;

  g_return_val_if_fail (TS_IS_DATASET (dataset), NULL);

  self = g_new0 (TsSpace, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->name = g_strdup ("base");
  self->n = ts_dataset_get_n_rows (dataset);
  self->d = TS_N_FEATURES;
  self->data = ts_dataset_get_scaled (dataset);
  self->dataset = g_object_ref (dataset);
  return self;
}

TsSpace *
ts_space_ref (TsSpace *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
ts_space_unref (TsSpace *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->name);
  g_free (self->owned);
  g_free (self->norms);
  g_clear_object (&self->dataset);
  g_free (self);
}

const char *
ts_space_get_name (TsSpace *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->name;
}

guint
ts_space_get_n (TsSpace *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n;
}

guint
ts_space_get_dim (TsSpace *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->d;
}

const float *
ts_space_get_data (TsSpace *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->data;
}

const float *
ts_space_get_norms (TsSpace *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (g_once_init_enter (&self->norms))
    {
      float *norms = g_new (float, 3 * (gsize) self->n + 1);

      for (guint i = 0; i < self->n; i++)
        {
          const float *x = self->data + (gsize) i * self->d;
          double sum = 0;

          for (guint j = 0; j < self->d; j++)
            sum += (double) x[j] * x[j];
          norms[i] = (float) sqrt (sum);
          norms[self->n + i] = (float) sum;
          norms[2 * (gsize) self->n + i] = sum > 0 ? (float) (1.0 / sqrt (sum)) : 0.0f;
        }
      g_once_init_leave (&self->norms, norms);
    }
  return self->norms;
}
/* ---- the kinds ----------------------------------------------------------- */

static const char * const space_kind_names[TS_N_SPACE_KINDS] = {
  [TS_SPACE_KIND_BASE]        = "base",
  [TS_SPACE_KIND_PREDICTOR]   = "predictor",
  [TS_SPACE_KIND_AUTOENCODER] = "autoencoder",
  [TS_SPACE_KIND_GENRE]       = "genre",
};

/* The model behind each learnt space (none for the base space). */
static const TsModelKind space_kind_models[TS_N_SPACE_KINDS] = {
  [TS_SPACE_KIND_PREDICTOR]   = TS_MODEL_PREDICTOR,
  [TS_SPACE_KIND_AUTOENCODER] = TS_MODEL_AUTOENCODER,
  [TS_SPACE_KIND_GENRE]       = TS_MODEL_GENRE,
};

const char *
ts_space_kind_get_name (TsSpaceKind kind)
{
  g_return_val_if_fail (kind < TS_N_SPACE_KINDS, NULL);

  return space_kind_names[kind];
}

gboolean
ts_space_kind_from_name (const char  *name,
                         TsSpaceKind *kind)
{
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  for (guint k = 0; k < TS_N_SPACE_KINDS; k++)
    {
      if (g_str_equal (name, space_kind_names[k]))
        {
          *kind = k;
          return TRUE;
        }
    }
  return FALSE;
}

/* ---- building one -------------------------------------------------------- */

static TsSpace *
build_learnt_space (TsDataset     *dataset,
                    TsSpaceKind    kind,
                    TsModel      **model_out,
                    gboolean      *trained,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(TsModel) model = NULL;
  float *embedding;
  int dim = 0;

  model = ts_model_ensure (dataset, space_kind_models[kind], trained, cancellable, error);
  if (model == NULL)
    return NULL;
  embedding = ts_model_embed (model, dataset, &dim, error);
  if (embedding == NULL)
    return NULL;
  if (model_out != NULL)
    *model_out = g_steal_pointer (&model);
  return ts_space_new (space_kind_names[kind], ts_dataset_get_n_rows (dataset), (guint) dim,
                       embedding);
}

TsSpace *
ts_space_build (TsDataset     *dataset,
                TsSpaceKind    kind,
                TsModel      **model,
                gboolean      *trained,
                GCancellable  *cancellable,
                GError       **error)
{
  g_return_val_if_fail (TS_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (kind < TS_N_SPACE_KINDS, NULL);
  g_return_val_if_fail (model == NULL || *model == NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (trained != NULL)
    *trained = FALSE;
  if (kind == TS_SPACE_KIND_BASE)
    return ts_space_new_base (dataset);
  return build_learnt_space (dataset, kind, model, trained, cancellable, error);
}
