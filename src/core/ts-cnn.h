/* ts-cnn.h: the cover-art CNN, image → the 13 scaled features
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The network: RGB (3, S, S) → [Conv2D 3×3 same → BatchNorm → ReLU →
 * MaxPool 2] × blocks (filters doubling) → Flatten → Dense → ReLU →
 * Dropout → Dense(13). Preprocessing: decode (scaled JPEG decode when
 * the image is much larger), alpha composited over black, an area
 * average when shrinking / bilinear when growing to S × S, then
 * (v / 255 - 0.5) / 0.5 per channel. A file keeps, in __metadata__ beside
 * the architecture: "model" = "cnn", "preprocessing", "outputs",
 * "training" and "validation" (JSON).
 */

#pragma once

#include <gio/gio.h>

#include "ts-covers.h"
#include "ts-image.h"
#include "ts-types.h"
#include "nn/ts-nn-model.h"

G_BEGIN_DECLS

#define TS_CNN_MIN_IMAGE_SIZE 8
#define TS_CNN_MAX_IMAGE_SIZE 256
#define TS_CNN_MAX_BLOCKS     5

typedef struct
{
  int     image_size;  /* S */
  int     blocks;      /* conv blocks, each halving the side */
  int     filters;     /* the first block's filters, doubled per block */
  int     dense;       /* the hidden Dense units */
  float   dropout;
  int     epochs;
  int     batch_size;
  float   lr;
  guint64 seed;
  float   val_split;   /* in [0, 1): held out before augmentation */
  int     augment;     /* augmented copies of each training image */
  int     patience;    /* epochs without a better validation loss; 0: never stop early */
  int     n_threads;
} TsCnnOptions;

typedef struct
{
  int    epochs_run;
  int    best_epoch;    /* whose weights were kept (early stopping); 0 without validation */
  int    n_train;       /* images, before augmentation */
  int    n_val;
  double loss;          /* last epoch's training loss */
  double val_mse;       /* over every output */
  double baseline_mse;  /* predicting the training mean */
  double val_feature_mse[TS_N_FEATURES];
  double baseline_feature_mse[TS_N_FEATURES];
  double seconds;
} TsCnnReport;

typedef struct _TsCnn TsCnn;

void      ts_cnn_options_init    (TsCnnOptions        *options);
/* Errors are TS_ERROR_INVALID_INPUT naming the CLI option. */
gboolean  ts_cnn_options_check   (const TsCnnOptions  *options,
                                  GError             **error);
char     *ts_cnn_options_to_json (const TsCnnOptions  *options);
char     *ts_cnn_report_to_json  (const TsCnnReport   *report);

TsNnModel *ts_cnn_build_network  (const TsCnnOptions  *options,
                                  GError             **error);

/* Fills @out (3, size, size) from @image. */
void      ts_cnn_preprocess      (TsImage             *image,
                                  int                  size,
                                  float               *out);
/* Decodes @path (bombs, truncation and non-images are errors naming the
 * file) and preprocesses it into a new (3, size, size) array. */
float    *ts_cnn_load_image      (const char          *path,
                                  int                  size,
                                  GError             **error);
/* In place on (3, size, size): a horizontal flip (p = 0.5), a random crop
 * of 80–100 % of the side resized back, brightness / contrast /
 * per-channel jitter. Deterministic given @rng. */
void      ts_cnn_augment         (float               *chw,
                                  int                  size,
                                  TsNnRng             *rng);

/* Decodes the images of @manifest into *@images (n, 3, size, size) and
 * their features into *@targets (n, TS_N_FEATURES). Unreadable images are
 * skipped; *@unreadable (optional) receives "FILE: reason" for each.
 * @progress is called from this thread after each image. Cancellation
 * yields G_IO_ERROR_CANCELLED. */
gboolean  ts_cnn_load_covers     (TsCoverManifest     *manifest,
                                  int                  size,
                                  TsProgressFunc       progress,
                                  gpointer             user_data,
                                  GCancellable        *cancellable,
                                  float              **images,
                                  float              **targets,
                                  int                 *n,
                                  GPtrArray          **unreadable,
                                  GError             **error);

/* Trains on @images (n, 3, S, S) against @targets (n, TS_N_FEATURES).
 * Cancellation yields G_IO_ERROR_CANCELLED. */
TsCnn    *ts_cnn_train           (const float         *images,
                                  const float         *targets,
                                  int                  n,
                                  const TsCnnOptions  *options,
                                  TsNnEpochFunc        callback,
                                  gpointer             user_data,
                                  GCancellable        *cancellable,
                                  GError             **error);

/* $XDG_DATA_HOME/tunescope/models/cnn.safetensors */
char     *ts_cnn_default_path    (void);
/* Atomic. */
gboolean  ts_cnn_save            (TsCnn               *self,
                                  const char          *path,
                                  GError             **error);
/* A missing file is G_IO_ERROR_NOT_FOUND; another model is
 * TS_ERROR_INVALID_INPUT. */
TsCnn    *ts_cnn_load            (const char          *path,
                                  GError             **error);
void      ts_cnn_free            (TsCnn               *self);

int                 ts_cnn_get_image_size (TsCnn      *self);
TsNnModel          *ts_cnn_get_network    (TsCnn      *self);
const TsCnnOptions *ts_cnn_get_options    (TsCnn      *self);
const TsCnnReport  *ts_cnn_get_report     (TsCnn      *self);

/* @out: TS_N_FEATURES floats, clamped to [0, 1]. */
gboolean  ts_cnn_predict         (TsCnn               *self,
                                  const float         *chw,
                                  float               *out,
                                  GError             **error);
gboolean  ts_cnn_predict_file    (TsCnn               *self,
                                  const char          *path,
                                  float               *out,
                                  GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsCnn, ts_cnn_free)

G_END_DECLS
