/* ts-nn.h: the neural-network engine's layers, losses, optimizers and RNG
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every layer is a pair of free functions on raw float buffers, in the
 * style of llm.c: ts_nn_<layer>_forward (out, inp, params, dims) and
 * ts_nn_<layer>_backward (dinp, dparams, dout, cache, dims). Forward saves what
 * backward needs (a cache argument); backward *accumulates* (+=) into
 * dinp and dparams, which the caller zeroes first.
 *
 * Dims legend (every shape comment below uses these names):
 *   N   batch size (samples)
 *   C   channels, or features of a flat layer (IC in, OC out)
 *   H,W height and width of an image plane (OH, OW after the layer)
 *   K   square kernel size (KH = KW = K)
 *   S   spatial size of a plane, H * W (1 for a flat layer)
 *   D   elements per sample, C * S
 * Buffers are row-major, images NCHW.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Random numbers: an explicit state (splitmix64), never a global. */
typedef struct
{
  guint64 state;
} TsNnRng;

void  ts_nn_rng_init    (TsNnRng *rng,
                         guint64  seed);
guint64 ts_nn_rng_next  (TsNnRng *rng);
/* Uniform in [0, 1). */
float ts_nn_rng_uniform (TsNnRng *rng);
/* Standard normal (Box-Muller). */
float ts_nn_rng_normal  (TsNnRng *rng);
/* Uniform integer in [0, n). */
guint ts_nn_rng_below   (TsNnRng *rng,
                         guint    n);

/* Fisher-Yates shuffle of @idx (n entries). */
void  ts_nn_rng_shuffle (TsNnRng *rng,
                         guint   *idx,
                         guint    n);

/* The index of @name in @names (ASCII case-insensitive), or -1. */
int   ts_nn_lookup_name (const char * const *names,
                         int                 n_names,
                         const char         *name);

/* Threads (ts-nn-threads.c has the rule): OpenBLAS always runs on one
 * thread, and the engine shares work among cores itself, in pieces whose
 * edges depend on the work's size only, so that the thread count never
 * changes an answer. */

/* Fixes OpenBLAS to one thread, once per process; every function that
 * reaches BLAS calls it first. */
void  ts_nn_blas_init       (void);
/* Sets how many threads share the engine's pieces of work (0: one per
 * core, capped at the cores). Returns the count now in use. */
int   ts_nn_set_num_threads (int n_threads);
/* That count, as last set; every core by default. */
int   ts_nn_get_num_threads (void);

/* One piece of work; @worker (0 .. n_workers - 1) names the thread running
 * it, for scratch of its own. */
typedef void (*TsNnPieceFunc) (int      piece,
                               int      worker,
                               gpointer data);
/* How many workers ts_nn_parallel_for () runs for @n_pieces pieces. */
int   ts_nn_parallel_get_n_workers (int n_pieces);
/* Runs @func on every piece in [0, n_pieces) on that many threads, the
 * caller's among them, and returns when all are done. Which worker runs
 * which piece varies: results must be kept per piece, or combined in an
 * order that does not depend on it. */
void  ts_nn_parallel_for    (int            n_pieces,
                             TsNnPieceFunc  func,
                             gpointer       data);

/* ---- Dense: out = inp W^T + b ---------------------------------------- */

void ts_nn_dense_forward        (float       *out,    /* (N, OC) */
                           const float *inp,    /* (N, IC) */
                           const float *weight, /* (OC, IC) */
                           const float *bias,   /* (OC) or NULL */
                           int N, int IC, int OC);
void ts_nn_dense_forward_naive  (float       *out,    /* (N, OC) */
                           const float *inp,    /* (N, IC) */
                           const float *weight, /* (OC, IC) */
                           const float *bias,   /* (OC) or NULL */
                           int N, int IC, int OC);
void ts_nn_dense_backward       (float       *dinp,    /* (N, IC) or NULL */
                           float       *dweight, /* (OC, IC) */
                           float       *dbias,   /* (OC) or NULL */
                           const float *dout,    /* (N, OC) */
                           const float *inp,     /* (N, IC), forward's input */
                           const float *weight,  /* (OC, IC) */
                           int N, int IC, int OC);
void ts_nn_dense_backward_naive (float       *dinp,    /* (N, IC) or NULL */
                           float       *dweight, /* (OC, IC) */
                           float       *dbias,   /* (OC) or NULL */
                           const float *dout,    /* (N, OC) */
                           const float *inp,     /* (N, IC) */
                           const float *weight,  /* (OC, IC) */
                           int N, int IC, int OC);

/* ---- Normalization: out = (inp - mean) / max (sqrt (var), eps) -------- */

#define TS_NN_NORMALIZATION_EPS 1e-7f

/* Keras' adapt (): the feature-wise mean and (biased) variance. */
void ts_nn_normalization_adapt    (float       *mean,     /* (C) */
                             float       *variance, /* (C) */
                             const float *inp,      /* (N, C) */
                             int N, int C);
void ts_nn_normalization_forward  (float       *out,      /* (N, C, S) */
                             const float *inp,      /* (N, C, S) */
                             const float *mean,     /* (C) */
                             const float *variance, /* (C) */
                             int N, int C, int S);
void ts_nn_normalization_backward (float       *dinp,     /* (N, C, S) */
                             const float *dout,     /* (N, C, S) */
                             const float *variance, /* (C) */
                             int N, int C, int S);

/* ---- BatchNorm, 1-D (S = 1) and 2-D (S = H * W) ------------------------ */

#define TS_NN_BATCHNORM_EPS      1e-5f
#define TS_NN_BATCHNORM_MOMENTUM 0.1f

/* Training: normalises with the batch's statistics, saves them in
 * mean/rstd (the cache) and updates the running statistics (the running
 * variance unbiased, as PyTorch). Eval (training = FALSE): uses the running
 * statistics and still fills mean/rstd so that backward works. */
void ts_nn_batchnorm_forward  (float       *out,          /* (N, C, S) */
                         float       *mean,         /* (C) cache */
                         float       *rstd,         /* (C) cache */
                         float       *running_mean, /* (C) */
                         float       *running_var,  /* (C) */
                         const float *inp,          /* (N, C, S) */
                         const float *gamma,        /* (C) */
                         const float *beta,         /* (C) */
                         gboolean     training,
                         int N, int C, int S);
void ts_nn_batchnorm_backward (float       *dinp,   /* (N, C, S) */
                         float       *dgamma, /* (C) */
                         float       *dbeta,  /* (C) */
                         const float *dout,   /* (N, C, S) */
                         const float *inp,    /* (N, C, S) */
                         const float *mean,   /* (C) cache */
                         const float *rstd,   /* (C) cache */
                         const float *gamma,  /* (C) */
                         gboolean     training,
                         int N, int C, int S);

/* ---- Dropout ----------------------------------------------------------- */

/* Training: keeps each element with probability 1 - rate, scaled by
 * 1 / (1 - rate); the mask holds that factor (0 for a dropped one). Eval:
 * copies and sets the mask to 1. */
void ts_nn_dropout_forward  (float       *out,  /* (N, D) */
                       float       *mask, /* (N, D) cache */
                       const float *inp,  /* (N, D) */
                       float        rate,
                       gboolean     training,
                       TsNnRng     *rng,
                       int N, int D);
void ts_nn_dropout_backward (float       *dinp, /* (N, D) */
                       const float *dout, /* (N, D) */
                       const float *mask, /* (N, D) cache */
                       int N, int D);

/* ---- Activations ------------------------------------------------------- */

typedef enum
{
  TS_NN_ACT_LINEAR,
  TS_NN_ACT_RELU,
  TS_NN_ACT_LEAKY_RELU, /* slope 0.01 below zero, as PyTorch */
  TS_NN_ACT_ELU,        /* alpha 1 */
  TS_NN_ACT_GELU,       /* the exact (erf) form */
  TS_NN_ACT_TANH,
  TS_NN_ACT_SIGMOID,
  TS_NN_ACT_RELU6,      /* min (max (x, 0), 6): MobileNetV2's */
  TS_NN_N_ACTS
} TsNnActivation;

#define TS_NN_LEAKY_SLOPE 0.01f

const char *ts_nn_activation_get_name  (TsNnActivation  act);
gboolean    ts_nn_activation_from_name (const char     *name,
                                        TsNnActivation *act);

void ts_nn_activation_forward  (float         *out, /* (N, D) */
                          const float   *inp, /* (N, D) */
                          TsNnActivation act,
                          int N, int D);
/* Needs both the forward's input and output (the cache). */
void ts_nn_activation_backward (float         *dinp, /* (N, D) */
                          const float   *dout, /* (N, D) */
                          const float   *inp,  /* (N, D) */
                          const float   *out,  /* (N, D) */
                          TsNnActivation act,
                          int N, int D);

/* ---- Conv2D: im2col + sgemm, col2im for backward ----------------------- */

typedef enum
{
  TS_NN_PADDING_VALID,
  TS_NN_PADDING_SAME, /* out = ceil (in / stride); extra padding at the end */
} TsNnPadding;

typedef struct
{
  int N, IC, H, W;   /* input */
  int OC, K, stride;
  int pad_top, pad_left;
  int OH, OW;        /* output */
} TsNnConvDims;

/* Fills the output size and padding of @dims from the rest. */
void ts_nn_conv_dims_init (TsNnConvDims *dims,
                           int N, int IC, int H, int W,
                           int OC, int K, int stride,
                           TsNnPadding padding);
/* The same with explicit zero padding on each side, which may differ
 * (Keras' ZeroPadding2D before a valid convolution: 0 on top, 1 below). */
void ts_nn_conv_dims_init_padded (TsNnConvDims *dims,
                                  int N, int IC, int H, int W,
                                  int OC, int K, int stride,
                                  int pad_top, int pad_bottom,
                                  int pad_left, int pad_right);

/* One sample: col (IC*K*K, OH*OW) from img (IC, H, W); zero where padded. */
void ts_nn_im2col (float              *col, /* (IC*K*K, OH*OW) */
             const float        *img, /* (IC, H, W) */
             const TsNnConvDims *d);
/* The adjoint: img += col scattered back. */
void ts_nn_col2im (float              *img, /* (IC, H, W) */
             const float        *col, /* (IC*K*K, OH*OW) */
             const TsNnConvDims *d);

/* @col is a scratch buffer of IC*K*K * OH*OW floats. */
void ts_nn_conv2d_forward        (float              *out,    /* (N, OC, OH, OW) */
                            const float        *inp,    /* (N, IC, H, W) */
                            const float        *weight, /* (OC, IC, K, K) */
                            const float        *bias,   /* (OC) or NULL */
                            float              *col,    /* scratch */
                            const TsNnConvDims *d);
void ts_nn_conv2d_forward_naive  (float              *out,    /* (N, OC, OH, OW) */
                            const float        *inp,    /* (N, IC, H, W) */
                            const float        *weight, /* (OC, IC, K, K) */
                            const float        *bias,   /* (OC) or NULL */
                            const TsNnConvDims *d);
/* Recomputes each sample's columns into @col rather than keeping a batch
 * of them: K*K times less memory for one extra pass of copying. */
void ts_nn_conv2d_backward       (float              *dinp,    /* (N, IC, H, W) or NULL */
                            float              *dweight, /* (OC, IC, K, K) */
                            float              *dbias,   /* (OC) or NULL */
                            const float        *dout,    /* (N, OC, OH, OW) */
                            const float        *inp,     /* (N, IC, H, W) */
                            const float        *weight,  /* (OC, IC, K, K) */
                            float              *col,     /* scratch */
                            const TsNnConvDims *d);
void ts_nn_conv2d_backward_naive (float              *dinp,    /* (N, IC, H, W) or NULL */
                            float              *dweight, /* (OC, IC, K, K) */
                            float              *dbias,   /* (OC) or NULL */
                            const float        *dout,    /* (N, OC, OH, OW) */
                            const float        *inp,     /* (N, IC, H, W) */
                            const float        *weight,  /* (OC, IC, K, K) */
                            const TsNnConvDims *d);

/* ---- Depthwise Conv2D: each channel its own K x K filter -------------
 *
 * Dims as for Conv2D with OC = IC = C. Direct loops, no im2col: a
 * depthwise product has no inner dimension for BLAS to work on. */

void ts_nn_depthwise_forward        (float              *out,    /* (N, C, OH, OW) */
                               const float        *inp,    /* (N, C, H, W) */
                               const float        *weight, /* (C, 1, K, K) */
                               const float        *bias,   /* (C) or NULL */
                               const TsNnConvDims *d);
void ts_nn_depthwise_forward_naive  (float              *out,    /* (N, C, OH, OW) */
                               const float        *inp,    /* (N, C, H, W) */
                               const float        *weight, /* (C, 1, K, K) */
                               const float        *bias,   /* (C) or NULL */
                               const TsNnConvDims *d);
void ts_nn_depthwise_backward       (float              *dinp,    /* (N, C, H, W) or NULL */
                               float              *dweight, /* (C, 1, K, K) */
                               float              *dbias,   /* (C) or NULL */
                               const float        *dout,    /* (N, C, OH, OW) */
                               const float        *inp,     /* (N, C, H, W) */
                               const float        *weight,  /* (C, 1, K, K) */
                               const TsNnConvDims *d);

/* ---- Residual add: out = a + b ------------------------------------------ */

void ts_nn_add_forward  (float       *out, /* (N, D) */
                   const float *a,   /* (N, D) */
                   const float *b,   /* (N, D) */
                   int N, int D);
/* The gradient flows to both inputs unchanged. */
void ts_nn_add_backward (float       *da,   /* (N, D) */
                   float       *db,   /* (N, D) */
                   const float *dout, /* (N, D) */
                   int N, int D);

/* ---- Global average pooling: each plane to its mean --------------------- */

void ts_nn_global_avgpool_forward  (float       *out, /* (N, C) */
                              const float *inp, /* (N, C, S) */
                              int N, int C, int S);
void ts_nn_global_avgpool_backward (float       *dinp, /* (N, C, S) */
                              const float *dout, /* (N, C) */
                              int N, int C, int S);

/* ---- MaxPool2D (valid): OH = (H - K) / stride + 1 ---------------------- */

void ts_nn_maxpool2d_forward  (float       *out,    /* (N, C, OH, OW) */
                         gint32      *argmax, /* (N, C, OH, OW) cache: index in the plane */
                         const float *inp,    /* (N, C, H, W) */
                         int N, int C, int H, int W, int K, int stride);
void ts_nn_maxpool2d_backward (float        *dinp,   /* (N, C, H, W) */
                         const float  *dout,   /* (N, C, OH, OW) */
                         const gint32 *argmax, /* (N, C, OH, OW) cache */
                         int N, int C, int H, int W, int K, int stride);

/* ---- Flatten: (N, C, H, W) -> (N, C*H*W); the memory is the same ------- */

void ts_nn_flatten_forward  (float       *out,  /* (N, D) */
                       const float *inp,  /* (N, C, H, W) */
                       int N, int D);
void ts_nn_flatten_backward (float       *dinp, /* (N, C, H, W) */
                       const float *dout, /* (N, D) */
                       int N, int D);

/* ---- Losses: the mean over all N*D elements ---------------------------- */

typedef enum
{
  TS_NN_LOSS_MSE,
  TS_NN_LOSS_MAE,
  TS_NN_LOSS_HUBER, /* delta 1 */
  TS_NN_LOSS_BCE,   /* on probabilities, clamped to [eps, 1 - eps] */
  TS_NN_N_LOSSES
} TsNnLoss;

#define TS_NN_HUBER_DELTA 1.0f
#define TS_NN_BCE_EPS     1e-7f

const char *ts_nn_loss_get_name  (TsNnLoss    loss);
gboolean    ts_nn_loss_from_name (const char *name,
                                  TsNnLoss   *loss);

float ts_nn_loss_forward  (const float *pred,   /* (N, D) */
                     const float *target, /* (N, D) */
                     TsNnLoss     loss,
                     int N, int D);
/* dpred += d(mean loss) / d(pred) */
void ts_nn_loss_backward (float       *dpred,  /* (N, D) */
                     const float *pred,   /* (N, D) */
                     const float *target, /* (N, D) */
                     TsNnLoss     loss,
                     int N, int D);

/* ---- Optimizers on a flat parameter vector ----------------------------- */

typedef enum
{
  TS_NN_OPT_SGD,
  TS_NN_OPT_MOMENTUM,
  TS_NN_OPT_NESTEROV,
  TS_NN_OPT_RMSPROP,
  TS_NN_OPT_ADAM,
  TS_NN_OPT_ADAMW,
  TS_NN_N_OPTS
} TsNnOptimizer;

const char *ts_nn_optimizer_get_name  (TsNnOptimizer  opt);
gboolean    ts_nn_optimizer_from_name (const char    *name,
                                       TsNnOptimizer *opt);

/* Hyper-parameters, PyTorch's defaults from ts_nn_optim_config_init (). */
typedef struct
{
  TsNnOptimizer kind;
  float         lr;
  float         momentum;     /* momentum, nesterov: 0.9 */
  float         alpha;        /* rmsprop: 0.99 */
  float         beta1, beta2; /* adam(w): 0.9, 0.999 */
  float         eps;          /* rmsprop, adam(w): 1e-8 */
  float         weight_decay; /* L2 added to the gradient; decoupled for adamw */
} TsNnOptimConfig;

void ts_nn_optim_config_init (TsNnOptimConfig *config,
                              TsNnOptimizer    kind,
                              float            lr);
/* How many state floats per parameter the optimizer needs (0, 1 or 2). */
int  ts_nn_optim_state_size  (TsNnOptimizer kind);
/* One step; @t counts steps from 1 (Adam's bias correction). */
void ts_nn_optim_step (float                 *params, /* (P) */
                 const float           *grads,  /* (P) */
                 float                 *m,      /* (P) state, or NULL */
                 float                 *v,      /* (P) state, or NULL */
                 const TsNnOptimConfig *config,
                 int                    t,
                 gsize                  P);

/* ---- Initialisation ---------------------------------------------------- */

/* Uniform in +-sqrt (6 / (fan_in + fan_out)). */
void ts_nn_init_glorot_uniform (float *w, gsize n, int fan_in, int fan_out, TsNnRng *rng);
/* Normal with std sqrt (2 / fan_in). */
void ts_nn_init_he_normal      (float *w, gsize n, int fan_in, TsNnRng *rng);

G_END_DECLS
