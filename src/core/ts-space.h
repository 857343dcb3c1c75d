/* ts-space.h: the spaces songs are compared in, and how each is made
 *
 * A space holds one point per song. The base space is the 13 scaled
 * features; the learnt ones are a model's embedding of every song (the
 * popularity predictor's hidden layer, the autoencoder's bottleneck, the
 * genre model's). ts_space_build () is the one place that turns a kind
 * into a space, for the app (through its space cache) and the CLI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ts-models.h"
#include "ts-types.h"

G_BEGIN_DECLS

/* A space: n points of d floats (row-major) and a name ("base",
 * "predictor", "autoencoder", "genre", "kaggle"). Reference counted and
 * immutable. */
typedef struct _TsSpace TsSpace;

/* Takes @data (n x d, freed with g_free). */
TsSpace      *ts_space_new        (const char  *name,
                                   guint        n,
                                   guint        d,
                                   float       *data);
/* The 13 min-max-scaled features of @dataset (keeps a reference). */
TsSpace      *ts_space_new_base   (TsDataset   *dataset);
TsSpace      *ts_space_ref        (TsSpace     *self);
void          ts_space_unref      (TsSpace     *self);
const char   *ts_space_get_name   (TsSpace     *self);
guint         ts_space_get_n      (TsSpace     *self);
guint         ts_space_get_dim    (TsSpace     *self);
/* n x d, row-major. */
const float  *ts_space_get_data   (TsSpace     *self);
/* n Euclidean norms, computed on first use (thread-safe). */
const float  *ts_space_get_norms  (TsSpace     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsSpace, ts_space_unref)

/* In the order of the app's space drop-downs. */
typedef enum
{
  TS_SPACE_KIND_BASE,         /* the 13 scaled features */
  TS_SPACE_KIND_PREDICTOR,    /* the popularity predictor's hidden layer */
  TS_SPACE_KIND_AUTOENCODER,  /* the autoencoder's bottleneck */
  TS_SPACE_KIND_GENRE,        /* learnt from artist genres */
  TS_N_SPACE_KINDS
} TsSpaceKind;

/* "base", or the model's name ("predictor", "autoencoder", "genre"). */
const char *ts_space_kind_get_name  (TsSpaceKind   kind);
gboolean    ts_space_kind_from_name (const char   *name,
                                     TsSpaceKind  *kind);

/* Makes the space of @kind for every song of @dataset. The base space is
 * ready at once; a learnt one loads its model, or trains it first (seconds
 * to minutes) when the dataset has none yet: @trained (optional) says so.
 * @model (optional) receives the learnt space's model, e.g. to embed a
 * steered query (NULL for the base space). Blocking: call it in a worker. */
TsSpace    *ts_space_build          (TsDataset     *dataset,
                                     TsSpaceKind    kind,
                                     TsModel      **model,
                                     gboolean      *trained,
                                     GCancellable  *cancellable,
                                     GError       **error);

G_END_DECLS
