/* ts-space-loader.h: the search spaces a page can offer, made off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tunescope-core.h"

G_BEGIN_DECLS

/* In the order of the pages' space drop-downs. */
typedef enum
{
  TS_SPACE_KIND_BASE,         /* the 13 scaled features */
  TS_SPACE_KIND_PREDICTOR,    /* the popularity predictor's hidden layer */
  TS_SPACE_KIND_AUTOENCODER,  /* the autoencoder's bottleneck */
  TS_SPACE_KIND_GENRE,        /* learnt from artist genres */
  TS_N_SPACE_KINDS
} TsSpaceKind;

/* What a page's status says while the learnt space of @kind is made
 * (translated; not for TS_SPACE_KIND_BASE, which is ready at once). */
const char *ts_space_kind_get_preparing_message (TsSpaceKind kind);

/* Builds the space of @kind for every song of @dataset in a worker: the
 * learnt ones load their model, or train it first (seconds) when the
 * dataset has none yet. */
void     ts_space_load_async  (TsDataset           *dataset,
                               TsSpaceKind          kind,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
/* @kind (optional) receives the kind asked for, even on failure; @model
 * (optional) the learnt space's model, e.g. to embed a steered query
 * (NULL for the base space). */
TsSpace *ts_space_load_finish (GAsyncResult        *result,
                               TsSpaceKind         *kind,
                               TsModel            **model,
                               GError             **error);

G_END_DECLS
