/* ts-space-cache.h: the search spaces of one dataset, made once and shared by every page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tunescope-core.h"

G_BEGIN_DECLS

#define TS_TYPE_SPACE_CACHE (ts_space_cache_get_type ())

G_DECLARE_FINAL_TYPE (TsSpaceCache, ts_space_cache, TS, SPACE_CACHE, GObject)

/* Signals: "invalidated" — a model was trained again (the Models window),
 * so the learnt spaces were dropped and the waits for them cancelled; ask
 * again for what is shown. */

/* The cache of @dataset, made on first use and kept as long as the
 * dataset lives (transfer none). */
TsSpaceCache *ts_space_cache_get_for_dataset      (TsDataset            *dataset);

/* The space of @kind when it is ready, else NULL; the base space is made
 * at once. (transfer none) */
TsSpace      *ts_space_cache_peek                 (TsSpaceCache         *self,
                                                   TsSpaceKind           kind);
/* The model behind a ready learnt space (NULL for the base space or
 * before it is ready), e.g. to place a steered query in it. */
TsModel      *ts_space_cache_peek_model           (TsSpaceCache         *self,
                                                   TsSpaceKind           kind);
/* Why the ready space's model could not be cached on disk (it is used
 * from memory), the first time it is asked; NULL after, or when saved.
 * Every page shares the cache: one of them tells the user, once. */
const char   *ts_space_cache_take_unsaved_reason  (TsSpaceCache         *self,
                                                   TsSpaceKind           kind);

/* Makes the space of @kind ready in a worker: its model is loaded, or
 * trained first when the dataset has none (seconds). Any number of
 * callers may ask at once: one worker makes it and each is told. A
 * cancelled caller is told G_IO_ERROR_CANCELLED at once; the worker stops
 * when nobody waits for it any more. */
void          ts_space_cache_prepare_async        (TsSpaceCache         *self,
                                                   TsSpaceKind           kind,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
/* Whether the space is ready now (ts_space_cache_peek () has it). */
gboolean      ts_space_cache_prepare_finish       (TsSpaceCache         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* A model was trained again (the Models window): every cache drops the
 * spaces made from the old models and says "invalidated". */
void          ts_space_cache_invalidate_all       (void);

/* What a page says while the learnt space of @kind is made (translated). */
const char   *ts_space_kind_get_preparing_message (TsSpaceKind           kind);

G_END_DECLS
