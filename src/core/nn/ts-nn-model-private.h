/* ts-nn-model-private.h: the sequential model's insides
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ts-nn-model.h"

G_BEGIN_DECLS

typedef struct
{
  TsNnLayerSpec spec;
  int           in_c, in_h, in_w;
  int           out_c, out_h, out_w;
  TsNnConvDims  conv;       /* conv2d, N filled per call */
  /* views into the model's allocations (NULL when unused) */
  float        *weight, *bias, *dweight, *dbias;
  float        *buf_a, *buf_b;     /* normalization mean/variance, batchnorm running stats */
  float        *cache_a, *cache_b; /* batchnorm mean/rstd, dropout mask */
  gint32       *argmax;            /* maxpool2d */
  gsize         n_weight, n_bias, n_buf, n_cache, n_argmax;
} TsNnLayer;

struct _TsNnModel
{
  int         in_c, in_h, in_w;
  GArray     *layers;   /* TsNnLayer */
  gboolean    built;

  float      *params;   /* trainable, one allocation */
  float      *grads;    /* same layout */
  gsize       n_params;
  float      *buffers;  /* non-trainable statistics, one allocation */
  gsize       n_buffers;
  GArray     *tensors;  /* TsNnTensorView, names owned by names */
  GPtrArray  *names;

  float      *arena;    /* activations, their gradients, caches, scratch */
  int         batch;    /* capacity */
  int         n;        /* samples of the last forward */
  float     **act;      /* n_layers + 1 views, (batch, size) */
  float     **dact;
  float      *col;      /* conv scratch */

  TsNnOptimConfig optim;
  float      *opt_state; /* 0, 1 or 2 x n_params */
  int         step;
  TsNnRng     rng;
};

static inline TsNnLayer *
ts_nn_model_layer (TsNnModel *self,
                   int        index)
{
  return &g_array_index (self->layers, TsNnLayer, index);
}

static inline int
ts_nn_layer_out_size (const TsNnLayer *layer)
{
  return layer->out_c * layer->out_h * layer->out_w;
}

static inline int
ts_nn_layer_in_size (const TsNnLayer *layer)
{
  return layer->in_c * layer->in_h * layer->in_w;
}

/* Infers every layer's shape and counts what the parameters and buffers
 * take (n_params, n_buffers) without allocating them: a model file's
 * architecture is checked against the file before anything is. Building
 * does this first. */
gboolean    ts_nn_model_plan           (TsNnModel     *self,
                                        GError       **error);

const char *ts_nn_layer_kind_get_name  (TsNnLayerKind  kind);
gboolean    ts_nn_layer_kind_from_name (const char    *name,
                                        TsNnLayerKind *kind);

G_END_DECLS
