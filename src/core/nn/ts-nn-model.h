/* ts-nn-model.h: a sequential model, its training loop and its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parameters, gradients, non-trained buffers (normalisation statistics)
 * and activations are each one allocation carved into per-layer views;
 * after ts_nn_model_prepare () a training step allocates nothing.
 * Shapes are per sample (C, H, W); a flat layer has H = W = 1.
 */

#pragma once

#include <gio/gio.h>

#include "ts-nn.h"

G_BEGIN_DECLS

typedef enum
{
  TS_NN_LAYER_DENSE,
  TS_NN_LAYER_NORMALIZATION,
  TS_NN_LAYER_BATCHNORM,
  TS_NN_LAYER_DROPOUT,
  TS_NN_LAYER_ACTIVATION,
  TS_NN_LAYER_CONV2D,
  TS_NN_LAYER_MAXPOOL2D,
  TS_NN_LAYER_FLATTEN,
  TS_NN_N_LAYER_KINDS
} TsNnLayerKind;

typedef struct
{
  TsNnLayerKind  kind;
  int            units;      /* dense: outputs; conv2d: filters */
  int            kernel;     /* conv2d, maxpool2d */
  int            stride;     /* conv2d, maxpool2d (0: the kernel for a pool, 1 for a conv) */
  TsNnPadding    padding;    /* conv2d */
  float          rate;       /* dropout */
  TsNnActivation activation; /* activation */
} TsNnLayerSpec;

typedef struct _TsNnModel TsNnModel;

/* One named tensor of a model: trainable ones have a gradient. */
typedef struct
{
  const char *name;   /* "layers.<i>.weight", ".bias", ".mean", ".variance", ".running_mean", ... */
  float      *data;
  float      *grad;   /* NULL for a buffer */
  int         ndim;
  int         shape[4];
  gsize       size;
} TsNnTensorView;

TsNnModel  *ts_nn_model_new               (int                  c,
                                           int                  h,
                                           int                  w);
void        ts_nn_model_free              (TsNnModel           *self);
void        ts_nn_model_add               (TsNnModel           *self,
                                           const TsNnLayerSpec *spec);
void        ts_nn_model_add_dense         (TsNnModel           *self,
                                           int                  units);
void        ts_nn_model_add_activation    (TsNnModel           *self,
                                           TsNnActivation       activation);
void        ts_nn_model_add_dropout       (TsNnModel           *self,
                                           float                rate);
void        ts_nn_model_add_normalization (TsNnModel           *self);
void        ts_nn_model_add_batchnorm     (TsNnModel           *self);
void        ts_nn_model_add_conv2d        (TsNnModel           *self,
                                           int                  filters,
                                           int                  kernel,
                                           int                  stride,
                                           TsNnPadding          padding);
void        ts_nn_model_add_maxpool2d     (TsNnModel           *self,
                                           int                  kernel,
                                           int                  stride);
void        ts_nn_model_add_flatten       (TsNnModel           *self);

/* Checks the shapes, allocates the parameters and initialises them (He
 * before a relu-family activation, Glorot otherwise) from @seed. */
gboolean    ts_nn_model_build             (TsNnModel           *self,
                                           guint64              seed,
                                           GError             **error);
/* Allocates activations for batches of up to @batch samples. */
gboolean    ts_nn_model_prepare           (TsNnModel           *self,
                                           int                  batch,
                                           GError             **error);

int         ts_nn_model_get_n_layers      (TsNnModel           *self);
const TsNnLayerSpec *ts_nn_model_get_layer (TsNnModel          *self,
                                           int                  index);
int         ts_nn_model_get_input_size    (TsNnModel           *self);
int         ts_nn_model_get_output_size   (TsNnModel           *self);
/* The per-sample size of layer @index's output (-1: the input). */
int         ts_nn_model_get_layer_size    (TsNnModel           *self,
                                           int                  index);
gsize       ts_nn_model_get_n_params      (TsNnModel           *self);
guint       ts_nn_model_get_n_tensors     (TsNnModel           *self);
const TsNnTensorView *ts_nn_model_get_tensor (TsNnModel        *self,
                                           guint                index);
const TsNnTensorView *ts_nn_model_find_tensor (TsNnModel       *self,
                                           const char          *name);

/* Measures the first layer's Normalization statistics on @inp (N, in). */
gboolean    ts_nn_model_adapt             (TsNnModel           *self,
                                           const float         *inp,
                                           int                  n,
                                           GError             **error);

/* The raw step, for tests and custom loops. forward copies @inp (n, in)
 * with n <= the prepared batch and returns the output (n, out), valid until
 * the next call. backward computes the loss against @target (n, out),
 * accumulates every gradient (and the input's when @input_grad) and returns
 * the loss. */
const float *ts_nn_model_forward          (TsNnModel           *self,
                                           const float         *inp,
                                           int                  n,
                                           gboolean             training);
void        ts_nn_model_zero_grad         (TsNnModel           *self);
float       ts_nn_model_backward          (TsNnModel           *self,
                                           const float         *target,
                                           TsNnLoss             loss,
                                           gboolean             input_grad);
/* The output of layer @index (-1: the input) and its gradient, (n, size). */
const float *ts_nn_model_get_activation   (TsNnModel           *self,
                                           int                  index);
const float *ts_nn_model_get_activation_grad (TsNnModel        *self,
                                           int                  index);
/* Allocates the optimizer's state and resets its step count. */
void        ts_nn_model_set_optimizer     (TsNnModel           *self,
                                           const TsNnOptimConfig *config);
void        ts_nn_model_step              (TsNnModel           *self);
void        ts_nn_model_set_seed          (TsNnModel           *self,
                                           guint64              seed);

/* Inference in eval mode, in batches: @out is (n, out). With @layer >= 0,
 * writes that layer's output instead (an embedding), (n, layer size). */
gboolean    ts_nn_model_predict           (TsNnModel           *self,
                                           const float         *inp,
                                           int                  n,
                                           int                  layer,
                                           float               *out,
                                           GError             **error);

/* ---- Training ---------------------------------------------------------- */

typedef struct
{
  int             epochs;
  int             batch_size;
  TsNnOptimConfig optim;
  TsNnLoss        loss;
  float           val_split;   /* the last fraction of a seeded shuffle */
  int             patience;    /* epochs without a better val loss; 0: never stop early */
  guint64         seed;
  int             n_threads;   /* the engine's threads (ts_nn_set_num_threads); 0: as they are */
  /* When set, validation runs on these n_val samples (borrowed) instead
   * of a split of the training data; val_split must then be 0. */
  const float    *val_x;
  const float    *val_y;
  int             n_val;
} TsNnTrainOptions;

typedef struct
{
  int    epoch;          /* from 1 */
  int    epochs;
  double loss;           /* training loss, mean over the epoch */
  double val_loss;       /* NAN without a validation split */
  double samples_per_s;
  double eta_s;
  double epoch_s;
  int    best_epoch;
} TsNnEpochInfo;

typedef void (*TsNnEpochFunc) (const TsNnEpochInfo *info,
                               gpointer             user_data);

void        ts_nn_train_options_init      (TsNnTrainOptions    *options);
/* The sample order ts_nn_model_fit () starts from for @n samples: a seeded
 * permutation into @idx (n entries) whose last floor (n * val_split)
 * entries are its validation samples. Returns that count. */
int         ts_nn_train_split             (const TsNnTrainOptions *options,
                                           int                     n,
                                           guint                  *idx);
/* Trains on @x (n, in) against @y (n, out). With early stopping the best
 * epoch's weights are restored. @result (optional) gets the last epoch. */
gboolean    ts_nn_model_fit               (TsNnModel              *self,
                                           const float            *x,
                                           const float            *y,
                                           int                     n,
                                           const TsNnTrainOptions *options,
                                           TsNnEpochFunc           callback,
                                           gpointer                user_data,
                                           GCancellable           *cancellable,
                                           TsNnEpochInfo          *result,
                                           GError                **error);

/* ---- Architecture and files -------------------------------------------- */

/* {"input":[C,H,W],"layers":[{"type":"dense","units":64},...]} */
char       *ts_nn_model_to_json           (TsNnModel           *self);
TsNnModel  *ts_nn_model_new_from_json     (const char          *json,
                                           GError             **error);

/* Safetensors with the architecture in __metadata__["architecture"] and
 * optional free-form entries (e.g. "training": options as JSON). Written
 * atomically. */
gboolean    ts_nn_model_save              (TsNnModel           *self,
                                           const char          *path,
                                           GHashTable          *metadata,
                                           GError             **error);
TsNnModel  *ts_nn_model_load              (const char          *path,
                                           GHashTable         **metadata,
                                           GError             **error);
/* The same from a file's bytes; @path names it in messages. */
TsNnModel  *ts_nn_model_load_bytes        (GBytes              *bytes,
                                           const char          *path,
                                           GHashTable         **metadata,
                                           GError             **error);
/* Several models in one file: model i's tensors are named
 * "<prefixes[i]><name>" and its architecture is
 * __metadata__["<prefixes[i]>architecture"]; the first prefix is usually
 * "" (a file any one-model reader takes). Loading fills @models (n_models
 * new models) only when every one of them loads. */
gboolean    ts_nn_models_save             (TsNnModel          **models,
                                           const char * const  *prefixes,
                                           guint                n_models,
                                           const char          *path,
                                           GHashTable          *metadata,
                                           GError             **error);
gboolean    ts_nn_models_load             (const char          *path,
                                           const char * const  *prefixes,
                                           guint                n_models,
                                           TsNnModel          **models,
                                           GHashTable         **metadata,
                                           GError             **error);
gboolean    ts_nn_models_load_bytes       (GBytes              *bytes,
                                           const char          *path,
                                           const char * const  *prefixes,
                                           guint                n_models,
                                           TsNnModel          **models,
                                           GHashTable         **metadata,
                                           GError             **error);
/* $XDG_DATA_HOME/tunescope/models/@name.safetensors */
char       *ts_nn_model_default_path      (const char          *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsNnModel, ts_nn_model_free)

/* ---- Safetensors, any F32 tensors -------------------------------------- */

typedef struct
{
  char  *name;
  int    ndim;
  int    shape[4];
  gsize  size;
  float *data;
} TsNnTensor;

/* Writes @tensors and @metadata (string -> string, may be NULL) as a
 * safetensors file, atomically. */
gboolean          ts_nn_tensors_write            (const char       *path,
                                                  const TsNnTensor *tensors,
                                                  guint             n_tensors,
                                                  GHashTable       *metadata,
                                                  GError          **error);

typedef struct _TsNnTensorFile TsNnTensorFile;

TsNnTensorFile   *ts_nn_tensor_file_read         (const char     *path,
                                                  GError        **error);
/* The same from a file's bytes; @path names it in messages. */
TsNnTensorFile   *ts_nn_tensor_file_read_bytes   (GBytes         *bytes,
                                                  const char     *path,
                                                  GError        **error);
void              ts_nn_tensor_file_free         (TsNnTensorFile *self);
const TsNnTensor *ts_nn_tensor_file_get          (TsNnTensorFile *self,
                                                  const char     *name);
/* The string → string __metadata__ (empty when absent); owned by @self. */
GHashTable       *ts_nn_tensor_file_get_metadata (TsNnTensorFile *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsNnTensorFile, ts_nn_tensor_file_free)

G_END_DECLS
