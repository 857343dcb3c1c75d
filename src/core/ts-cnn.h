/* ts-cnn.h: the cover-art model, image → the 13 scaled features (and genres)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two kinds, chosen by TsCnnOptions.backbone:
 *
 * mobilenetv2 (the default): the pretrained MobileNetV2 in the program's
 * resources (data/models/README.md) up to block 10, its output averaged
 * over the picture: 96 numbers per image, computed once per cover and
 * cached. On them two small heads are trained: the profile head
 * (Normalization → Dense → ReLU → Dropout → Dense(13)) and the genre head
 * (Normalization → Dense(10) → sigmoid, one-vs-rest) over the ten cover
 * genres (ts-cover-genres.h). Preprocessing: the whole image resized to
 * 224 × 224 as below, pixels / 255. Covers are held out by a hash of their
 * file name (val_split of them), so a cover is held out in every run.
 *
 * none: a CNN trained from scratch. The network: RGB (3, S, S) → [Conv2D 3×3 same → BatchNorm → ReLU →
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
#include "ts-cover-genres.h"
#include "ts-image.h"
#include "ts-similar.h"
#include "ts-types.h"
#include "nn/ts-nn-backbone.h"
#include "nn/ts-nn-model.h"

G_BEGIN_DECLS

typedef enum
{
  TS_CNN_BACKBONE_NONE,        /* a CNN trained from scratch */
  TS_CNN_BACKBONE_MOBILENETV2, /* heads on the pretrained MobileNetV2 */
  TS_CNN_N_BACKBONES
} TsCnnBackbone;

const char *ts_cnn_backbone_get_name  (TsCnnBackbone  backbone);
gboolean    ts_cnn_backbone_from_name (const char    *name,
                                       TsCnnBackbone *backbone);

/* The backbone's input side, and where its features are taken. */
#define TS_CNN_BACKBONE_SIZE  224
#define TS_CNN_FEATURE_LAYER  "block_10_project_BN"

#define TS_CNN_MIN_IMAGE_SIZE 8
#define TS_CNN_MAX_IMAGE_SIZE 256
#define TS_CNN_MAX_BLOCKS     5

typedef struct
{
  TsCnnBackbone backbone;
  int     image_size;  /* S (none; the backbone's is fixed) */
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
  float   weight_decay; /* mobilenetv2: AdamW's decoupled weight decay */
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
  /* mobilenetv2: the genre head on the held-out covers that have a genre,
   * against always answering the training covers' most common genre. */
  int    n_genre_train;
  int    n_genre_val;
  double genre_accuracy;
  double genre_baseline_accuracy;
} TsCnnReport;

/* What a model makes of one picture. */
typedef struct
{
  float    profile[TS_N_FEATURES];     /* scaled, in [0, 1] */
  gboolean has_genres;                 /* a genre head that beat its baseline */
  float    genres[TS_COVER_N_GENRES];  /* probabilities summing to 1 */
} TsCnnPrediction;

typedef struct _TsCnn TsCnn;

/* The defaults, for the pretrained backbone. */
void      ts_cnn_options_init    (TsCnnOptions        *options);
/* The defaults for @backbone. */
void      ts_cnn_options_init_for (TsCnnOptions       *options,
                                   TsCnnBackbone       backbone);
/* Errors are TS_ERROR_INVALID_INPUT naming the CLI option. */
gboolean  ts_cnn_options_check   (const TsCnnOptions  *options,
                                  GError             **error);
char     *ts_cnn_options_to_json (const TsCnnOptions  *options);
char     *ts_cnn_report_to_json  (const TsCnnReport   *report);

TsNnModel *ts_cnn_build_network  (const TsCnnOptions  *options,
                                  GError             **error);

/* Fills @out (3, size, size) from @image, (v / 255 - 0.5) / 0.5. */
void      ts_cnn_preprocess      (TsImage             *image,
                                  int                  size,
                                  float               *out);
/* The same with v / 255, as the backbone expects. */
void      ts_cnn_preprocess_unit (TsImage             *image,
                                  int                  size,
                                  float               *out);

/* The pretrained backbone, loaded from the program's resources once. */
TsNnBackbone *ts_cnn_get_backbone (GError            **error);
/* How many numbers ts_cnn_image_features () writes. */
int       ts_cnn_get_feature_dim (TsNnBackbone        *backbone);
/* The backbone's features of @image: its block-10 output averaged over
 * the picture. */
void      ts_cnn_image_features  (TsNnBackbone        *backbone,
                                  TsImage             *image,
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

/* Reads @manifest's covers and trains the kind @options asks for. For the
 * backbone, image features come from (and go to) a cache beside the
 * default manifest, so that a second run decodes nothing it has seen.
 * @read_progress runs after each image read; unreadable images are
 * skipped, named in *@unreadable (optional). */
TsCnn    *ts_cnn_train_covers    (TsCoverManifest     *manifest,
                                  const TsCnnOptions  *options,
                                  TsProgressFunc       read_progress,
                                  gpointer             read_data,
                                  TsNnEpochFunc        callback,
                                  gpointer             user_data,
                                  GCancellable        *cancellable,
                                  GPtrArray          **unreadable,
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

TsCnnBackbone       ts_cnn_get_backbone_kind (TsCnn *self);

/* Whether the profile beat predicting the training mean on the held-out
 * covers (overall MSE), and whether the genre head beat always answering
 * the most common genre (on at least 10 held-out covers): what the app and
 * the CLI say plainly, and what decides whether searches are steered. */
gboolean  ts_cnn_report_profile_useful (const TsCnnReport *report);
gboolean  ts_cnn_report_genres_useful  (const TsCnnReport *report);

/* The profile and, with a genre head, the genres of @image. */
gboolean  ts_cnn_predict_image   (TsCnn               *self,
                                  TsImage             *image,
                                  TsCnnPrediction     *out,
                                  GError             **error);
gboolean  ts_cnn_predict_path    (TsCnn               *self,
                                  const char          *path,
                                  TsCnnPrediction     *out,
                                  GError             **error);

/* The genres of @prediction, likeliest first, into @order. */
void      ts_cnn_prediction_rank_genres (const TsCnnPrediction *prediction,
                                         int                    order[TS_COVER_N_GENRES]);

/* The songs for a picture: its profile searched as 13 feature values in
 * the base space of @similar; when @prediction has genres and @similar's
 * dataset knows its songs' genres, steered towards the likely genres
 * (ts_similar_features_steered, ts_cover_genres_row_costs). *@steered
 * (optional) says whether it was. */
GArray   *ts_cnn_search          (TsSimilar             *similar,
                                  const TsCnnPrediction *prediction,
                                  guint                  limit,
                                  gboolean              *steered,
                                  GError               **error);

/* The from-scratch CNN on a preprocessed image (none only).
 * @out: TS_N_FEATURES floats, clamped to [0, 1]. */
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
