/* ts-models-private.h: the genre model's data, shared by ts-models.c;
 * the model itself, shared by ts-models.c and ts-models-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ts-models.h"

G_BEGIN_DECLS

struct _TsModel
{
  TsModelKind     kind;
  TsNnModel      *network;
  TsModelOptions  options;
  TsModelReport   report;
  int             embedding_layer;
  GHashTable     *metadata;  /* char* → char* */
  char           *unsaved;   /* why ts_model_ensure () could not cache it, or NULL */
};

/* A model of @kind with no network yet, empty metadata and the kind's
 * default options: ts_model_train () and ts_model_load () fill it. */
TsModel  *ts_model_new          (TsModelKind            kind);
/* The "dataset" metadata, JSON: what identifies the training data. */
char     *ts_model_dup_dataset_json (TsDataset         *dataset);

/* Every song's 13 features in raw units, (n_rows, TS_N_FEATURES). */
float    *ts_genre_dup_inputs   (TsDataset             *dataset);
/* The genre model's training rows: the songs with a genre among the
 * @o->max_genres most common, none of whose artists is held out; @x gets
 * their raw features, @y their multi-hot genres (n, *n_genres) and
 * @names_json the genres' names as a JSON array. */
gboolean  ts_genre_training_set (TsDataset             *dataset,
                                 const TsModelOptions  *o,
                                 float                **x,
                                 float                **y,
                                 int                   *n,
                                 int                   *n_genres,
                                 char                 **names_json,
                                 GError               **error);

G_END_DECLS
