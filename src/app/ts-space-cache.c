/* ts-space-cache.c: the search spaces of one dataset, made once and shared by every page
 *
 * Discover and Playlist search the same spaces. A learnt space costs a
 * model (loaded, or trained for seconds) and an embedding of every song,
 * so each is made once per dataset, in a worker, and held here; pages
 * borrow it. The cache hangs on its dataset (object data), so it lives
 * exactly as long as the dataset and a new dataset starts afresh.
 *
 * Each slot has at most one worker; the callers waiting for it are kept
 * with their own cancellables. When the last one gives up the worker is
 * cancelled too, so that a dataset nobody shows stops training.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-space-cache"

#include "config.h"

#include <glib/gi18n.h>

#include "ts-space-cache.h"

#define CACHE_KEY "ts-space-cache"

typedef struct
{
  GTask   *task;           /* the caller's */
  GSource *cancel_source;  /* fires on the caller's cancellable; NULL without one */
} Waiter;

typedef struct
{
  TsSpace      *space;
  TsModel      *model;
  GCancellable *worker;   /* the running worker's, NULL when none runs */
  GPtrArray    *waiters;  /* of Waiter */
  gboolean      unsaved_told;  /* the model's unsaved reason was taken */
} Slot;

struct _TsSpaceCache
{
  GObject    parent_instance;

  TsDataset *dataset;  /* not a reference: the dataset owns the cache */
  Slot       slots[TS_N_SPACE_KINDS];
};

G_DEFINE_FINAL_TYPE (TsSpaceCache, ts_space_cache, G_TYPE_OBJECT)

/* Every live cache, for ts_space_cache_invalidate_all () (main thread). */
static GList *live_caches;

enum {
  INVALIDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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

/* ---- the waiters ---------------------------------------------------------- */

static void
waiter_free (gpointer data)
{
  Waiter *waiter = data;

  if (waiter->cancel_source != NULL)
    {
      g_source_destroy (waiter->cancel_source);
      g_source_unref (waiter->cancel_source);
    }
  g_clear_object (&waiter->task);
  g_free (waiter);
}

/* Tells every waiter of @slot: ready when @error is NULL. */
static void
slot_answer_waiters (Slot         *slot,
                     const GError *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&slot->waiters);

  slot->waiters = g_ptr_array_new_with_free_func (waiter_free);
  for (guint i = 0; i < waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (waiter->task, g_error_copy (error));
      else
        g_task_return_boolean (waiter->task, TRUE);
    }
}

static void
slot_cancel_worker (Slot *slot)
{
  g_cancellable_cancel (slot->worker);
  g_clear_object (&slot->worker);
}

typedef struct
{
  TsSpaceCache *cache;
  TsSpaceKind   kind;
  Waiter       *waiter;
} CancelledWait;

/* On the main thread, the caller's cancellable fired: it stops waiting,
 * and the worker with it when it was the last. */
static gboolean
on_wait_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  CancelledWait *wait = user_data;
  Slot *slot = &wait->cache->slots[wait->kind];
  Waiter *waiter = wait->waiter;

  g_source_unref (g_steal_pointer (&waiter->cancel_source));
  g_task_return_error_if_cancelled (waiter->task);
  g_ptr_array_remove (slot->waiters, waiter);
  if (slot->waiters->len == 0)
    slot_cancel_worker (slot);
  return G_SOURCE_REMOVE;
}

static void
cancelled_wait_free (gpointer data)
{
  CancelledWait *wait = data;

  g_object_unref (wait->cache);
  g_free (wait);
}

static void
slot_add_waiter (TsSpaceCache *self,
                 TsSpaceKind   kind,
                 GTask        *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  Waiter *waiter = g_new0 (Waiter, 1);

  waiter->task = g_object_ref (task);
  if (cancellable != NULL)
    {
      CancelledWait *wait = g_new0 (CancelledWait, 1);

      wait->cache = g_object_ref (self);
      wait->kind = kind;
      wait->waiter = waiter;
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (on_wait_cancelled), wait,
                             cancelled_wait_free);
      g_source_set_static_name (waiter->cancel_source, "[tunescope] space wait cancelled");
      g_source_attach (waiter->cancel_source, g_task_get_context (task));
    }
  g_ptr_array_add (self->slots[kind].waiters, waiter);
}

/* ---- the worker ----------------------------------------------------------- */

typedef struct
{
  TsDataset   *dataset;
  TsSpaceKind  kind;
  TsModel     *model;  /* set by the worker */
} Build;

static void
build_free (gpointer data)
{
  Build *build = data;

  g_clear_object (&build->dataset);
  g_clear_pointer (&build->model, ts_model_free);
  g_free (build);
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Build *build = task_data;
  g_autoptr(GError) error = NULL;
  TsSpace *space = ts_space_build (build->dataset, build->kind, &build->model, NULL,
                                   cancellable, &error);

  if (space == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, space, (GDestroyNotify) ts_space_unref);
}

static void
on_build_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  TsSpaceCache *self = TS_SPACE_CACHE (source);
  Build *build = g_task_get_task_data (G_TASK (result));
  GCancellable *worker = g_task_get_cancellable (G_TASK (result));
  Slot *slot = &self->slots[build->kind];
  g_autoptr(GError) error = NULL;
  TsSpace *space = g_task_propagate_pointer (G_TASK (result), &error);

  /* A worker given up (nobody waits, or the models changed) is stale. */
  if (worker != slot->worker)
    {
      g_clear_pointer (&space, ts_space_unref);
      return;
    }
  g_clear_object (&slot->worker);
  if (space != NULL)
    {
      slot->space = space;
      slot->model = g_steal_pointer (&build->model);
    }
  slot_answer_waiters (slot, error);
}

static void
slot_start_worker (TsSpaceCache *self,
                   TsSpaceKind   kind)
{
  Slot *slot = &self->slots[kind];
  g_autoptr(GTask) task = NULL;
  Build *build;

  if (slot->worker != NULL)
    return;
  slot->worker = g_cancellable_new ();
  build = g_new0 (Build, 1);
  build->dataset = g_object_ref (self->dataset);
  build->kind = kind;
  task = g_task_new (self, slot->worker, on_build_done, NULL);
  g_task_set_source_tag (task, slot_start_worker);
  g_task_set_name (task, "[tunescope] space build");
  g_task_set_task_data (task, build, build_free);
  g_task_run_in_thread (task, build_thread);
}

/* ---- the cache ------------------------------------------------------------ */

TsSpaceCache *
ts_space_cache_get_for_dataset (TsDataset *dataset)
{
  TsSpaceCache *self;

  g_return_val_if_fail (TS_IS_DATASET (dataset), NULL);

  self = g_object_get_data (G_OBJECT (dataset), CACHE_KEY);
  if (self == NULL)
    {
      self = g_object_new (TS_TYPE_SPACE_CACHE, NULL);
      self->dataset = dataset;
      g_object_set_data_full (G_OBJECT (dataset), CACHE_KEY, self, g_object_unref);
    }
  return self;
}

TsSpace *
ts_space_cache_peek (TsSpaceCache *self,
                     TsSpaceKind   kind)
{
  g_return_val_if_fail (TS_IS_SPACE_CACHE (self), NULL);
  g_return_val_if_fail (kind < TS_N_SPACE_KINDS, NULL);

  /* The base space is the dataset's own scaled features: no work. */
  if (kind == TS_SPACE_KIND_BASE && self->slots[kind].space == NULL)
    self->slots[kind].space = ts_space_new_base (self->dataset);
  return self->slots[kind].space;
}

TsModel *
ts_space_cache_peek_model (TsSpaceCache *self,
                           TsSpaceKind   kind)
{
  g_return_val_if_fail (TS_IS_SPACE_CACHE (self), NULL);
  g_return_val_if_fail (kind < TS_N_SPACE_KINDS, NULL);

  return self->slots[kind].model;
}

const char *
ts_space_cache_take_unsaved_reason (TsSpaceCache *self,
                                    TsSpaceKind   kind)
{
  Slot *slot;

  g_return_val_if_fail (TS_IS_SPACE_CACHE (self), NULL);
  g_return_val_if_fail (kind < TS_N_SPACE_KINDS, NULL);

  slot = &self->slots[kind];
  if (slot->model == NULL || slot->unsaved_told)
    return NULL;
  slot->unsaved_told = TRUE;
  return ts_model_get_unsaved_reason (slot->model);
}

void
ts_space_cache_prepare_async (TsSpaceCache        *self,
                              TsSpaceKind          kind,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TS_IS_SPACE_CACHE (self));
  g_return_if_fail (kind < TS_N_SPACE_KINDS);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ts_space_cache_prepare_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (kind), NULL);
  if (g_task_return_error_if_cancelled (task))
    return;
  if (ts_space_cache_peek (self, kind) != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  slot_add_waiter (self, kind, task);
  slot_start_worker (self, kind);
}

gboolean
ts_space_cache_prepare_finish (TsSpaceCache  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (TS_IS_SPACE_CACHE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ts_space_cache_prepare_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Drops every learnt space and stops their workers; their waiters are
 * told "cancelled". */
static void
ts_space_cache_drop_learnt (TsSpaceCache *self)
{
  /* Never shown: the pages take "cancelled" as "ask again if needed". */
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                     "The space was dropped");

  for (guint k = TS_SPACE_KIND_BASE + 1; k < TS_N_SPACE_KINDS; k++)
    {
      Slot *slot = &self->slots[k];

      slot_cancel_worker (slot);
      g_clear_pointer (&slot->space, ts_space_unref);
      g_clear_pointer (&slot->model, ts_model_free);
      slot->unsaved_told = FALSE;
      slot_answer_waiters (slot, cancelled);
    }
}

void
ts_space_cache_invalidate_all (void)
{
  g_autoptr(GList) caches = g_list_copy_deep (live_caches, (GCopyFunc) g_object_ref, NULL);

  for (GList *l = caches; l != NULL; l = l->next)
    {
      ts_space_cache_drop_learnt (l->data);
      g_signal_emit (l->data, signals[INVALIDATED], 0);
      g_object_unref (l->data);
    }
}

static void
ts_space_cache_dispose (GObject *object)
{
  TsSpaceCache *self = TS_SPACE_CACHE (object);

  live_caches = g_list_remove (live_caches, self);
  ts_space_cache_drop_learnt (self);
  g_clear_pointer (&self->slots[TS_SPACE_KIND_BASE].space, ts_space_unref);

  G_OBJECT_CLASS (ts_space_cache_parent_class)->dispose (object);
}

static void
ts_space_cache_finalize (GObject *object)
{
  TsSpaceCache *self = TS_SPACE_CACHE (object);

  for (guint k = 0; k < TS_N_SPACE_KINDS; k++)
    g_clear_pointer (&self->slots[k].waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (ts_space_cache_parent_class)->finalize (object);
}

static void
ts_space_cache_class_init (TsSpaceCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ts_space_cache_dispose;
  object_class->finalize = ts_space_cache_finalize;

  signals[INVALIDATED] =
    g_signal_new ("invalidated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
ts_space_cache_init (TsSpaceCache *self)
{
  for (guint k = 0; k < TS_N_SPACE_KINDS; k++)
    self->slots[k].waiters = g_ptr_array_new_with_free_func (waiter_free);
  live_caches = g_list_prepend (live_caches, self);
}
