/* ts-space-loader.c: the search spaces a page can offer, made off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-space-loader"

#include "config.h"

#include <glib/gi18n.h>

#include "ts-space-loader.h"

const char *
ts_space_kind_get_preparing_message (TsSpaceKind kind)
{
  switch (kind)
    {
    case TS_SPACE_KIND_PREDICTOR:
      return _("Preparing the predictor space…");
    case TS_SPACE_KIND_AUTOENCODER:
      return _("Preparing the autoencoder space…");
    case TS_SPACE_KIND_GENRE:
      return _("Learning the genre space from artist genres…");
    case TS_SPACE_KIND_BASE:
    case TS_N_SPACE_KINDS:
    default:
      break;
    }
  g_return_val_if_reached (NULL);
}

typedef struct
{
  TsSpaceKind  kind;
  TsModel     *model;  /* a learnt space's, set by the worker */
} SpaceLoad;

static void
space_load_free (SpaceLoad *load)
{
  g_clear_pointer (&load->model, ts_model_free);
  g_free (load);
}

static TsSpace *
space_for_model (TsDataset     *dataset,
                 TsModelKind    kind,
                 TsModel      **model_out,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(TsModel) model = ts_model_ensure (dataset, kind, NULL, cancellable, error);
  float *embedding = NULL;
  int dim = 0;

  if (model == NULL)
    return NULL;
  embedding = ts_model_embed (model, dataset, &dim, error);
  if (embedding == NULL)
    return NULL;
  *model_out = g_steal_pointer (&model);
  return ts_space_new (ts_model_kind_get_name (kind), ts_dataset_get_n_rows (dataset),
                       (guint) dim, embedding);
}

static void
space_load_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  TsDataset *dataset = source_object;
  SpaceLoad *load = task_data;
  g_autoptr(GError) error = NULL;
  TsSpace *space;

  static const TsModelKind models[TS_N_SPACE_KINDS] = {
    [TS_SPACE_KIND_PREDICTOR] = TS_MODEL_PREDICTOR,
    [TS_SPACE_KIND_AUTOENCODER] = TS_MODEL_AUTOENCODER,
    [TS_SPACE_KIND_GENRE] = TS_MODEL_GENRE,
  };

  if (load->kind == TS_SPACE_KIND_BASE)
    space = ts_space_new_base (dataset);
  else
    space = space_for_model (dataset, models[load->kind], &load->model, cancellable, &error);
  if (space == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, space, (GDestroyNotify) ts_space_unref);
}

void
ts_space_load_async (TsDataset           *dataset,
                     TsSpaceKind          kind,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SpaceLoad *load;

  g_return_if_fail (TS_IS_DATASET (dataset));
  g_return_if_fail (kind < TS_N_SPACE_KINDS);

  load = g_new0 (SpaceLoad, 1);
  load->kind = kind;
  task = g_task_new (dataset, cancellable, callback, user_data);
  g_task_set_source_tag (task, ts_space_load_async);
  g_task_set_task_data (task, load, (GDestroyNotify) space_load_free);
  g_task_run_in_thread (task, space_load_thread);
}

TsSpace *
ts_space_load_finish (GAsyncResult  *result,
                      TsSpaceKind   *kind,
                      TsModel      **model,
                      GError       **error)
{
  SpaceLoad *load;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ts_space_load_async, NULL);

  load = g_task_get_task_data (G_TASK (result));
  if (kind != NULL)
    *kind = load->kind;
  if (model != NULL)
    *model = g_steal_pointer (&load->model);
  return g_task_propagate_pointer (G_TASK (result), error);
}
