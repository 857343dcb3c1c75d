/* ts-cnn-private.h: the cover-art model's insides, shared by ts-cnn.c (the
 * from-scratch CNN, files, prediction) and ts-cnn-pretrained.c (the
 * backbone's features and the heads on them)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ts-cnn.h"

G_BEGIN_DECLS

struct _TsCnn
{
  TsCnnBackbone backbone;
  TsNnModel    *network;     /* none: the CNN; mobilenetv2: the profile head */
  TsNnModel    *genre_head;  /* mobilenetv2 only; NULL without genre-labelled covers */
  GHashTable   *metadata;
  TsCnnOptions  options;
  TsCnnReport   report;
};

/* The tensor-name prefix of the genre head in a model file. */
#define TS_CNN_GENRE_PREFIX "genre."

/* Dense(dense) → ReLU → Dropout → Dense(13): what every profile network
 * ends with. */
void        _ts_cnn_add_profile_output (TsNnModel          *network,
                                        const TsCnnOptions *options);
/* Sets the output layer to start at @mean (n values) with small weights. */
void        _ts_cnn_start_at_mean  (TsNnModel          *network,
                                    const double       *mean,
                                    int                 n);
GHashTable *_ts_cnn_new_metadata   (TsCnn              *self);

TsCnn      *_ts_cnn_train_heads    (TsCoverManifest    *manifest,
                                    const TsCnnOptions *options,
                                    TsProgressFunc      read_progress,
                                    gpointer            read_data,
                                    TsNnEpochFunc       callback,
                                    gpointer            user_data,
                                    GCancellable       *cancellable,
                                    GPtrArray         **unreadable,
                                    GError            **error);
/* Both heads on @features (the backbone's, for one image). */
void        _ts_cnn_predict_heads  (TsCnn              *self,
                                    const float        *features,
                                    TsCnnPrediction    *out);

G_END_DECLS
