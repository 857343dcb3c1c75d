/* ts-nn-backbone.h: a pretrained image network, run as a graph of ops
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file is safetensors (ts-nn-model.h) whose __metadata__ holds
 * "format": "tunescope-backbone-1" and "architecture": {"input": [C, H, W],
 * "ops": [...]}, each op named after the source layer whose output it is:
 *   conv       a K x K convolution + folded BatchNorm + activation
 *   depthwise  the same, one filter per channel
 *   add        the residual sum of two earlier ops
 *   global_average_pool, dense (linear, relu or softmax)
 * build-aux/mobilenet/convert-mobilenet.py writes it from nsfwjs'
 * MobileNetV2. BatchNorm is folded into the weights at load time, so a
 * forward pass is convolutions, activations and adds only.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _TsNnBackbone TsNnBackbone;

TsNnBackbone *ts_nn_backbone_load            (const char    *path,
                                              GError       **error);
/* The same from a file's bytes; @path names it in messages. */
TsNnBackbone *ts_nn_backbone_load_bytes      (GBytes        *bytes,
                                              const char    *path,
                                              GError       **error);
void          ts_nn_backbone_free            (TsNnBackbone  *self);

void          ts_nn_backbone_get_input_shape (TsNnBackbone  *self,
                                              int           *c,
                                              int           *h,
                                              int           *w);
/* A __metadata__ entry ("source", "licence", "feature_layer", ...), or NULL. */
const char   *ts_nn_backbone_get_metadata    (TsNnBackbone  *self,
                                              const char    *key);
int           ts_nn_backbone_get_n_ops       (TsNnBackbone  *self);
/* The op named @name, or -1. */
int           ts_nn_backbone_find_op         (TsNnBackbone  *self,
                                              const char    *name);
const char   *ts_nn_backbone_get_op_name     (TsNnBackbone  *self,
                                              int            op);
/* The op's output shape (C, H, W); returns C * H * W. */
int           ts_nn_backbone_get_op_shape    (TsNnBackbone  *self,
                                              int            op,
                                              int           *c,
                                              int           *h,
                                              int           *w);
/* Multiply-adds from the input to @op's output, for benchmarks. */
double        ts_nn_backbone_count_macs      (TsNnBackbone  *self,
                                              int            op);

/* Runs one image (C, H, W) through the ops up to the last of @taps and
 * copies op @taps[i]'s output into @outs[i] (its shape's size). Calls
 * from several threads take turns on the network's scratch; within a
 * call the engine's threads share the work in pieces fixed by the sizes
 * alone, so the outputs do not depend on the thread count. */
void          ts_nn_backbone_forward         (TsNnBackbone  *self,
                                              const float   *image,
                                              int            n_taps,
                                              const int     *taps,
                                              float * const *outs);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsNnBackbone, ts_nn_backbone_free)

G_END_DECLS
