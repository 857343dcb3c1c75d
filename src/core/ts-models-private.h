/* ts-models-private.h: the genre model's data, shared by ts-models.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ts-models.h"

G_BEGIN_DECLS

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
