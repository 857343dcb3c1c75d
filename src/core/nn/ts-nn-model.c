/* ts-nn-model.c: the sequential model: shapes, memory, forward, backward
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include <string.h>

#include "ts-error.h"
#include "ts-nn-model-private.h"

static const char * const layer_kind_names[TS_NN_N_LAYER_KINDS] = {
  "dense", "normalization", "batchnorm", "dropout", "activation", "conv2d", "maxpool2d",
  "flatten",
};

const char *
ts_nn_layer_kind_get_name (TsNnLayerKind kind)
{
  g_return_val_if_fail (kind < TS_NN_N_LAYER_KINDS, NULL);

  return layer_kind_names[kind];
}

gboolean
ts_nn_layer_kind_from_name (const char    *name,
                            TsNnLayerKind *kind)
{
  int index;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  index = ts_nn_lookup_name (layer_kind_names, TS_NN_N_LAYER_KINDS, name);
  if (index < 0)
    return FALSE;
  *kind = (TsNnLayerKind) index;
  return TRUE;
}

TsNnModel *
ts_nn_model_new (int c,
                 int h,
                 int w)
{
  TsNnModel *self;

  g_return_val_if_fail (c > 0 && h > 0 && w > 0, NULL);

  self = g_new0 (TsNnModel, 1);
  self->in_c = c;
  self->in_h = h;
  self->in_w = w;
  self->layers = g_array_new (FALSE, TRUE, sizeof (TsNnLayer));
  self->tensors = g_array_new (FALSE, TRUE, sizeof (TsNnTensorView));
  self->names = g_ptr_array_new_with_free_func (g_free);
  ts_nn_optim_config_init (&self->optim, TS_NN_OPT_ADAM, 1e-3f);
  ts_nn_rng_init (&self->rng, 0);
  return self;
}

void
ts_nn_model_free (TsNnModel *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->layers);
  g_array_unref (self->tensors);
  g_ptr_array_unref (self->names);
  g_free (self->params);
  g_free (self->grads);
  g_free (self->buffers);
  g_free (self->arena);
  g_free (self->act);
  g_free (self->dact);
  g_free (self->opt_state);
  g_free (self);
}

void
ts_nn_model_add (TsNnModel           *self,
                 const TsNnLayerSpec *spec)
{
  TsNnLayer layer = { 0 };

  g_return_if_fail (self != NULL && spec != NULL);
  g_return_if_fail (!self->built);
  g_return_if_fail (spec->kind < TS_NN_N_LAYER_KINDS);

  layer.spec = *spec;
  g_array_append_val (self->layers, layer);
}

void
ts_nn_model_add_dense (TsNnModel *self,
                       int        units)
{
  ts_nn_model_add (self, &(TsNnLayerSpec) { .kind = TS_NN_LAYER_DENSE, .units = units });
}

void
ts_nn_model_add_activation (TsNnModel      *self,
                            TsNnActivation  activation)
{
  ts_nn_model_add (self, &(TsNnLayerSpec) { .kind = TS_NN_LAYER_ACTIVATION,
                                            .activation = activation });
}

void
ts_nn_model_add_dropout (TsNnModel *self,
                         float      rate)
{
  ts_nn_model_add (self, &(TsNnLayerSpec) { .kind = TS_NN_LAYER_DROPOUT, .rate = rate });
}

void
ts_nn_model_add_normalization (TsNnModel *self)
{
  ts_nn_model_add (self, &(TsNnLayerSpec) { .kind = TS_NN_LAYER_NORMALIZATION });
}

void
ts_nn_model_add_batchnorm (TsNnModel *self)
{
  ts_nn_model_add (self, &(TsNnLayerSpec) { .kind = TS_NN_LAYER_BATCHNORM });
}

void
ts_nn_model_add_conv2d (TsNnModel   *self,
                        int          filters,
                        int          kernel,
                        int          stride,
                        TsNnPadding  padding)
{
  ts_nn_model_add (self, &(TsNnLayerSpec) { .kind = TS_NN_LAYER_CONV2D, .units = filters,
                                            .kernel = kernel, .stride = stride,
                                            .padding = padding });
}

void
ts_nn_model_add_maxpool2d (TsNnModel *self,
                           int        kernel,
                           int        stride)
{
  ts_nn_model_add (self, &(TsNnLayerSpec) { .kind = TS_NN_LAYER_MAXPOOL2D, .kernel = kernel,
                                            .stride = stride });
}

void
ts_nn_model_add_flatten (TsNnModel *self)
{
  ts_nn_model_add (self, &(TsNnLayerSpec) { .kind = TS_NN_LAYER_FLATTEN });
}

/* The most elements a layer's input, output or weights may have: far
 * above any model of ours (a CNN's biggest is under a million), far below
 * where the engine's int sizes would overflow. A model file may ask for
 * anything; this is where such a request stops. */
#define MAX_ELEMENTS (G_GUINT64_CONSTANT (1) << 26)

/* @a × @b × @c × @d, or G_MAXUINT64 when that does not fit in 64 bits:
 * a count compared with MAX_ELEMENTS must never wrap round to a small one. */
static guint64
count_elements (guint64 a,
                guint64 b,
                guint64 c,
                guint64 d)
{
  guint64 ab, abc, abcd;

  if (!g_uint64_checked_mul (&ab, a, b) || !g_uint64_checked_mul (&abc, ab, c) ||
      !g_uint64_checked_mul (&abcd, abc, d))
    return G_MAXUINT64;
  return abcd;
}

/* Fills the layer's output shape and sizes from its input shape. */
static gboolean
layer_infer_shape (TsNnLayer  *layer,
                   int         index,
                   GError    **error)
{
  TsNnLayerSpec *s = &layer->spec;
  int in;

  if (count_elements (layer->in_c, layer->in_h, layer->in_w, 1) > MAX_ELEMENTS)
    goto bad;
  in = ts_nn_layer_in_size (layer);

  layer->out_c = layer->in_c;
  layer->out_h = layer->in_h;
  layer->out_w = layer->in_w;

  switch (s->kind)
    {
    case TS_NN_LAYER_DENSE:
      if (s->units <= 0 || layer->in_h != 1 || layer->in_w != 1)
        goto bad;
      if (count_elements (s->units, in, 1, 1) > MAX_ELEMENTS)
        goto bad;
      layer->out_c = s->units;
      layer->n_weight = (gsize) s->units * in;
      layer->n_bias = s->units;
      break;
    case TS_NN_LAYER_NORMALIZATION:
      layer->n_buf = layer->in_c;
      break;
    case TS_NN_LAYER_BATCHNORM:
      layer->n_weight = layer->n_bias = layer->n_buf = layer->n_cache = layer->in_c;
      break;
    case TS_NN_LAYER_DROPOUT:
      if (!(s->rate >= 0.0f && s->rate < 1.0f))
        goto bad;
      layer->n_cache = in; /* per sample: the mask */
      break;
    case TS_NN_LAYER_ACTIVATION:
      if (s->activation >= TS_NN_N_ACTS)
        goto bad;
      break;
    case TS_NN_LAYER_CONV2D:
      if (s->stride == 0)
        s->stride = 1;
      if (s->units <= 0 || s->kernel <= 0 || s->stride < 0 || s->padding > TS_NN_PADDING_SAME ||
          count_elements (s->units, layer->in_c, s->kernel, s->kernel) > MAX_ELEMENTS ||
          count_elements (s->units, layer->in_h, layer->in_w, 1) > MAX_ELEMENTS)
        goto bad;
      ts_nn_conv_dims_init (&layer->conv, 1, layer->in_c, layer->in_h, layer->in_w,
                            s->units, s->kernel, s->stride, s->padding);
      if (layer->conv.OH <= 0 || layer->conv.OW <= 0)
        goto bad;
      layer->out_c = s->units;
      layer->out_h = layer->conv.OH;
      layer->out_w = layer->conv.OW;
      layer->n_weight = (gsize) s->units * layer->in_c * s->kernel * s->kernel;
      layer->n_bias = s->units;
      break;
    case TS_NN_LAYER_MAXPOOL2D:
      if (s->stride == 0)
        s->stride = s->kernel;
      if (s->kernel <= 0 || s->stride < 0 || s->kernel > layer->in_h || s->kernel > layer->in_w)
        goto bad;
      layer->out_h = (layer->in_h - s->kernel) / s->stride + 1;
      layer->out_w = (layer->in_w - s->kernel) / s->stride + 1;
      layer->n_argmax = (gsize) layer->in_c * layer->out_h * layer->out_w;
      break;
    case TS_NN_LAYER_FLATTEN:
      layer->out_c = in;
      layer->out_h = layer->out_w = 1;
      break;
    case TS_NN_N_LAYER_KINDS:
    default:
      goto bad;
    }
  return TRUE;

bad:
  g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
               "Layer %d (%s) does not fit its input of shape (%d, %d, %d)", index,
               s->kind < TS_NN_N_LAYER_KINDS ? layer_kind_names[s->kind] : "unknown",
               layer->in_c, layer->in_h, layer->in_w);
  return FALSE;
}

static void
add_tensor (TsNnModel  *self,
            int         index,
            const char *what,
            float      *data,
            float      *grad,
            gsize       size,
            int         ndim,
            const int  *shape)
{
  TsNnTensorView view = { 0 };
  char *name = g_strdup_printf ("layers.%d.%s", index, what);

  g_ptr_array_add (self->names, name);
  view.name = name;
  view.data = data;
  view.grad = grad;
  view.size = size;
  view.ndim = ndim;
  memcpy (view.shape, shape, sizeof (int) * ndim);
  g_array_append_val (self->tensors, view);
}

/* Carves the parameter and buffer allocations into the layers' views. */
static void
carve_params (TsNnModel *self)
{
  gsize p = 0, b = 0;

  for (guint i = 0; i < self->layers->len; i++)
    {
      TsNnLayer *l = ts_nn_model_layer (self, i);
      gboolean conv = l->spec.kind == TS_NN_LAYER_CONV2D;
      int wshape[4] = { l->out_c, l->in_c, l->spec.kernel, l->spec.kernel };
      int vshape[1] = { l->in_c };

      if (l->spec.kind == TS_NN_LAYER_DENSE)
        wshape[1] = ts_nn_layer_in_size (l);
      if (l->spec.kind == TS_NN_LAYER_BATCHNORM)
        wshape[0] = l->in_c;
      if (l->n_weight > 0)
        {
          l->weight = self->params + p;
          l->dweight = self->grads + p;
          add_tensor (self, i, "weight", l->weight, l->dweight, l->n_weight,
                      conv ? 4 : l->spec.kind == TS_NN_LAYER_DENSE ? 2 : 1, wshape);
          p += l->n_weight;
        }
      if (l->n_bias > 0)
        {
          int bshape[1] = { (int) l->n_bias };

          l->bias = self->params + p;
          l->dbias = self->grads + p;
          add_tensor (self, i, "bias", l->bias, l->dbias, l->n_bias, 1, bshape);
          p += l->n_bias;
        }
      if (l->n_buf > 0)
        {
          gboolean bn = l->spec.kind == TS_NN_LAYER_BATCHNORM;

          l->buf_a = self->buffers + b;
          l->buf_b = self->buffers + b + l->n_buf;
          add_tensor (self, i, bn ? "running_mean" : "mean", l->buf_a, NULL, l->n_buf, 1, vshape);
          add_tensor (self, i, bn ? "running_var" : "variance", l->buf_b, NULL, l->n_buf, 1,
                      vshape);
          b += 2 * l->n_buf;
        }
    }
  g_assert (p == self->n_params && b == self->n_buffers);
}

/* He for a layer followed by a relu-family activation, else Glorot. */
static void
init_params (TsNnModel *self,
             TsNnRng   *rng)
{
  for (guint i = 0; i < self->layers->len; i++)
    {
      TsNnLayer *l = ts_nn_model_layer (self, i);
      TsNnLayerKind kind = l->spec.kind;
      int k2 = kind == TS_NN_LAYER_CONV2D ? l->spec.kernel * l->spec.kernel : 1;
      int fan_in = (kind == TS_NN_LAYER_CONV2D ? l->in_c : ts_nn_layer_in_size (l)) * k2;
      int fan_out = l->out_c * k2;
      gboolean relu = FALSE;

      for (guint j = i + 1; j < self->layers->len; j++)
        {
          TsNnLayer *next = ts_nn_model_layer (self, j);

          if (next->spec.kind == TS_NN_LAYER_ACTIVATION)
            {
              TsNnActivation a = next->spec.activation;
              relu = a == TS_NN_ACT_RELU || a == TS_NN_ACT_RELU6 ||
                     a == TS_NN_ACT_LEAKY_RELU || a == TS_NN_ACT_ELU;
              break;
            }
          if (next->spec.kind == TS_NN_LAYER_DENSE || next->spec.kind == TS_NN_LAYER_CONV2D)
            break;
        }

      if (kind == TS_NN_LAYER_DENSE || kind == TS_NN_LAYER_CONV2D)
        {
          if (relu)
            ts_nn_init_he_normal (l->weight, l->n_weight, fan_in, rng);
          else
            ts_nn_init_glorot_uniform (l->weight, l->n_weight, fan_in, fan_out, rng);
        }
      else if (kind == TS_NN_LAYER_BATCHNORM)
        {
          for (gsize c = 0; c < l->n_weight; c++)
            l->weight[c] = 1.0f;
          for (gsize c = 0; c < l->n_buf; c++)
            l->buf_b[c] = 1.0f;
        }
      else if (kind == TS_NN_LAYER_NORMALIZATION)
        {
          for (gsize c = 0; c < l->n_buf; c++)
            l->buf_b[c] = 1.0f;
        }
    }
}

gboolean
ts_nn_model_plan (TsNnModel  *self,
                  GError    **error)
{
  int c, h, w;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->built, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->layers->len == 0)
    {
      g_set_error_literal (error, TS_ERROR, TS_ERROR_INVALID_INPUT, "A model needs a layer");
      return FALSE;
    }

  self->n_params = self->n_buffers = 0;
  c = self->in_c, h = self->in_h, w = self->in_w;
  for (guint i = 0; i < self->layers->len; i++)
    {
      TsNnLayer *l = ts_nn_model_layer (self, i);

      l->in_c = c, l->in_h = h, l->in_w = w;
      if (!layer_infer_shape (l, i, error))
        return FALSE;
      self->n_params += l->n_weight + l->n_bias;
      self->n_buffers += 2 * l->n_buf;
      c = l->out_c, h = l->out_h, w = l->out_w;
    }
  return TRUE;
}

gboolean
ts_nn_model_build (TsNnModel  *self,
                   guint64     seed,
                   GError    **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->built, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!ts_nn_model_plan (self, error))
    return FALSE;
  self->params = g_new0 (float, MAX (self->n_params, 1));
  self->grads = g_new0 (float, MAX (self->n_params, 1));
  self->buffers = g_new0 (float, MAX (self->n_buffers, 1));
  carve_params (self);
  ts_nn_rng_init (&self->rng, seed);
  init_params (self, &self->rng);
  self->built = TRUE;
  return TRUE;
}

/* One allocation: per layer boundary an activation and its gradient, per
 * layer its cache, one conv scratch. */
gboolean
ts_nn_model_prepare (TsNnModel  *self,
                     int         batch,
                     GError    **error)
{
  guint L;
  gsize total = 0, col = 0, at;

  g_return_val_if_fail (self != NULL && self->built, FALSE);
  g_return_val_if_fail (batch > 0, FALSE);

  if (batch <= self->batch)
    return TRUE;

  L = self->layers->len;
  total += 2 * (gsize) batch * ts_nn_model_get_input_size (self);
  for (guint i = 0; i < L; i++)
    {
      TsNnLayer *l = ts_nn_model_layer (self, i);
      gsize cache = l->spec.kind == TS_NN_LAYER_DROPOUT ? (gsize) batch * l->n_cache
                                                         : 2 * l->n_cache;

      total += 2 * (gsize) batch * ts_nn_layer_out_size (l) + cache + (gsize) batch * l->n_argmax;
      if (l->spec.kind == TS_NN_LAYER_CONV2D)
        col = MAX (col, (gsize) l->in_c * l->spec.kernel * l->spec.kernel
                        * l->out_h * l->out_w);
    }
  total += col;

  g_free (self->arena);
  self->arena = g_try_new0 (float, total);
  if (self->arena == NULL)
    {
      self->batch = 0;
      g_set_error (error, TS_ERROR, TS_ERROR_IO,
                   "Not enough memory for batches of %d samples (%" G_GSIZE_FORMAT " MiB)",
                   batch, total * sizeof (float) >> 20);
      return FALSE;
    }
  self->batch = batch;
  self->act = g_renew (float *, self->act, L + 1);
  self->dact = g_renew (float *, self->dact, L + 1);

  at = 0;
  self->act[0] = self->arena + at, at += (gsize) batch * ts_nn_model_get_input_size (self);
  self->dact[0] = self->arena + at, at += (gsize) batch * ts_nn_model_get_input_size (self);
  for (guint i = 0; i < L; i++)
    {
      TsNnLayer *l = ts_nn_model_layer (self, i);
      gsize out = (gsize) batch * ts_nn_layer_out_size (l);

      self->act[i + 1] = self->arena + at, at += out;
      self->dact[i + 1] = self->arena + at, at += out;
      l->cache_a = l->cache_b = NULL;
      if (l->spec.kind == TS_NN_LAYER_DROPOUT)
        l->cache_a = self->arena + at, at += (gsize) batch * l->n_cache;
      else if (l->n_cache > 0)
        {
          l->cache_a = self->arena + at, at += l->n_cache;
          l->cache_b = self->arena + at, at += l->n_cache;
        }
      /* floats and gint32 have the same size and alignment */
      l->argmax = l->n_argmax > 0 ? (gint32 *) (self->arena + at) : NULL;
      at += (gsize) batch * l->n_argmax;
    }
  self->col = col > 0 ? self->arena + at : NULL;
  at += col;
  g_assert (at == total);
  return TRUE;
}

int
ts_nn_model_get_n_layers (TsNnModel *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return (int) self->layers->len;
}

const TsNnLayerSpec *
ts_nn_model_get_layer (TsNnModel *self,
                       int        index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index >= 0 && index < (int) self->layers->len, NULL);

  return &ts_nn_model_layer (self, index)->spec;
}

int
ts_nn_model_get_input_size (TsNnModel *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->in_c * self->in_h * self->in_w;
}

int
ts_nn_model_get_layer_size (TsNnModel *self,
                            int        index)
{
  g_return_val_if_fail (self != NULL && self->built, 0);
  g_return_val_if_fail (index >= -1 && index < (int) self->layers->len, 0);

  if (index < 0)
    return ts_nn_model_get_input_size (self);
  return ts_nn_layer_out_size (ts_nn_model_layer (self, index));
}

int
ts_nn_model_get_output_size (TsNnModel *self)
{
  g_return_val_if_fail (self != NULL && self->built, 0);

  return ts_nn_model_get_layer_size (self, (int) self->layers->len - 1);
}

gsize
ts_nn_model_get_n_params (TsNnModel *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_params;
}

guint
ts_nn_model_get_n_tensors (TsNnModel *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->tensors->len;
}

const TsNnTensorView *
ts_nn_model_get_tensor (TsNnModel *self,
                        guint      index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->tensors->len, NULL);

  return &g_array_index (self->tensors, TsNnTensorView, index);
}

const TsNnTensorView *
ts_nn_model_find_tensor (TsNnModel  *self,
                         const char *name)
{
  g_return_val_if_fail (self != NULL && name != NULL, NULL);

  for (guint i = 0; i < self->tensors->len; i++)
    if (strcmp (g_array_index (self->tensors, TsNnTensorView, i).name, name) == 0)
      return &g_array_index (self->tensors, TsNnTensorView, i);
  return NULL;
}

gboolean
ts_nn_model_adapt (TsNnModel    *self,
                   const float  *inp,
                   int           n,
                   GError      **error)
{
  TsNnLayer *first;

  g_return_val_if_fail (self != NULL && self->built, FALSE);
  g_return_val_if_fail (inp != NULL && n > 0, FALSE);

  first = ts_nn_model_layer (self, 0);
  if (first->spec.kind != TS_NN_LAYER_NORMALIZATION)
    {
      g_set_error_literal (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                           "Only a model starting with a Normalization layer can be adapted");
      return FALSE;
    }
  if (first->in_h * first->in_w != 1)
    {
      g_set_error_literal (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                           "Normalization adapts to flat inputs only");
      return FALSE;
    }
  ts_nn_normalization_adapt (first->buf_a, first->buf_b, inp, n, first->in_c);
  return TRUE;
}

static void
layer_forward (TsNnModel *self,
               TsNnLayer *l,
               float     *out,
               float     *inp,
               int        N,
               gboolean   training)
{
  int S = l->in_h * l->in_w, D = ts_nn_layer_in_size (l);
  TsNnConvDims conv;

  switch (l->spec.kind)
    {
    case TS_NN_LAYER_DENSE:
      ts_nn_dense_forward (out, inp, l->weight, l->bias, N, D, l->out_c);
      break;
    case TS_NN_LAYER_NORMALIZATION:
      ts_nn_normalization_forward (out, inp, l->buf_a, l->buf_b, N, l->in_c, S);
      break;
    case TS_NN_LAYER_BATCHNORM:
      ts_nn_batchnorm_forward (out, l->cache_a, l->cache_b, l->buf_a, l->buf_b, inp,
                               l->weight, l->bias, training, N, l->in_c, S);
      break;
    case TS_NN_LAYER_DROPOUT:
      ts_nn_dropout_forward (out, l->cache_a, inp, l->spec.rate, training, &self->rng, N, D);
      break;
    case TS_NN_LAYER_ACTIVATION:
      ts_nn_activation_forward (out, inp, l->spec.activation, N, D);
      break;
    case TS_NN_LAYER_CONV2D:
      conv = l->conv;
      conv.N = N;
      ts_nn_conv2d_forward (out, inp, l->weight, l->bias, self->col, &conv);
      break;
    case TS_NN_LAYER_MAXPOOL2D:
      ts_nn_maxpool2d_forward (out, l->argmax, inp, N, l->in_c, l->in_h, l->in_w,
                               l->spec.kernel, l->spec.stride);
      break;
    case TS_NN_LAYER_FLATTEN:
      ts_nn_flatten_forward (out, inp, N, D);
      break;
    case TS_NN_N_LAYER_KINDS:
    default:
      g_assert_not_reached ();
    }
}

static void
layer_backward (TsNnModel *self,
                TsNnLayer *l,
                float     *dinp,
                float     *dout,
                float     *inp,
                float     *out,
                int        N)
{
  int S = l->in_h * l->in_w, D = ts_nn_layer_in_size (l);
  TsNnConvDims conv;

  switch (l->spec.kind)
    {
    case TS_NN_LAYER_DENSE:
      ts_nn_dense_backward (dinp, l->dweight, l->dbias, dout, inp, l->weight, N, D, l->out_c);
      break;
    case TS_NN_LAYER_NORMALIZATION:
      if (dinp != NULL)
        ts_nn_normalization_backward (dinp, dout, l->buf_b, N, l->in_c, S);
      break;
    case TS_NN_LAYER_BATCHNORM:
      ts_nn_batchnorm_backward (dinp, l->dweight, l->dbias, dout, inp, l->cache_a, l->cache_b,
                                l->weight, TRUE, N, l->in_c, S);
      break;
    case TS_NN_LAYER_DROPOUT:
      if (dinp != NULL)
        ts_nn_dropout_backward (dinp, dout, l->cache_a, N, D);
      break;
    case TS_NN_LAYER_ACTIVATION:
      if (dinp != NULL)
        ts_nn_activation_backward (dinp, dout, inp, out, l->spec.activation, N, D);
      break;
    case TS_NN_LAYER_CONV2D:
      conv = l->conv;
      conv.N = N;
      ts_nn_conv2d_backward (dinp, l->dweight, l->dbias, dout, inp, l->weight, self->col, &conv);
      break;
    case TS_NN_LAYER_MAXPOOL2D:
      if (dinp != NULL)
        ts_nn_maxpool2d_backward (dinp, dout, l->argmax, N, l->in_c, l->in_h, l->in_w,
                                  l->spec.kernel, l->spec.stride);
      break;
    case TS_NN_LAYER_FLATTEN:
      if (dinp != NULL)
        ts_nn_flatten_backward (dinp, dout, N, D);
      break;
    case TS_NN_N_LAYER_KINDS:
    default:
      g_assert_not_reached ();
    }
}

const float *
ts_nn_model_forward (TsNnModel   *self,
                     const float *inp,
                     int          n,
                     gboolean     training)
{
  g_return_val_if_fail (self != NULL && self->built, NULL);
  g_return_val_if_fail (inp != NULL, NULL);
  g_return_val_if_fail (n > 0 && n <= self->batch, NULL);

  if (inp != self->act[0])
    memcpy (self->act[0], inp, sizeof (float) * (gsize) n * ts_nn_model_get_input_size (self));
  self->n = n;
  for (guint i = 0; i < self->layers->len; i++)
    layer_forward (self, ts_nn_model_layer (self, i), self->act[i + 1], self->act[i], n,
                   training);
  return self->act[self->layers->len];
}

void
ts_nn_model_zero_grad (TsNnModel *self)
{
  g_return_if_fail (self != NULL && self->built);

  memset (self->grads, 0, sizeof (float) * self->n_params);
}

float
ts_nn_model_backward (TsNnModel   *self,
                      const float *target,
                      TsNnLoss     loss,
                      gboolean     input_grad)
{
  guint L;
  int n, out;
  float value;

  g_return_val_if_fail (self != NULL && self->built, 0.0f);
  g_return_val_if_fail (target != NULL, 0.0f);
  g_return_val_if_fail (self->n > 0, 0.0f);

  L = self->layers->len;
  n = self->n;
  out = ts_nn_model_get_output_size (self);
  value = ts_nn_loss_forward (self->act[L], target, loss, n, out);
  /* Activation gradients are zeroed here, parameter gradients by
   * ts_nn_model_zero_grad (), so that several batches can accumulate. */
  for (guint i = 0; i <= L; i++)
    memset (self->dact[i], 0,
            sizeof (float) * (gsize) n * ts_nn_model_get_layer_size (self, (int) i - 1));
  ts_nn_loss_backward (self->dact[L], self->act[L], target, loss, n, out);
  for (guint i = L; i-- > 0;)
    layer_backward (self, ts_nn_model_layer (self, i),
                    i > 0 || input_grad ? self->dact[i] : NULL,
                    self->dact[i + 1], self->act[i], self->act[i + 1], n);
  return value;
}

const float *
ts_nn_model_get_activation (TsNnModel *self,
                            int        index)
{
  g_return_val_if_fail (self != NULL && self->batch > 0, NULL);
  g_return_val_if_fail (index >= -1 && index < (int) self->layers->len, NULL);

  return self->act[index + 1];
}

const float *
ts_nn_model_get_activation_grad (TsNnModel *self,
                                 int        index)
{
  g_return_val_if_fail (self != NULL && self->batch > 0, NULL);
  g_return_val_if_fail (index >= -1 && index < (int) self->layers->len, NULL);

  return self->dact[index + 1];
}

void
ts_nn_model_set_optimizer (TsNnModel             *self,
                           const TsNnOptimConfig *config)
{
  gsize state;

  g_return_if_fail (self != NULL && self->built);
  g_return_if_fail (config != NULL && config->kind < TS_NN_N_OPTS);

  self->optim = *config;
  self->step = 0;
  state = (gsize) ts_nn_optim_state_size (config->kind) * self->n_params;
  g_free (self->opt_state);
  self->opt_state = state > 0 ? g_new0 (float, state) : NULL;
}

void
ts_nn_model_step (TsNnModel *self)
{
  int states;

  g_return_if_fail (self != NULL && self->built);

  states = ts_nn_optim_state_size (self->optim.kind);
  if (states > 0 && self->opt_state == NULL)
    {
      /* first use of the default optimizer: allocate once, outside the loop */
      TsNnOptimConfig config = self->optim;
      ts_nn_model_set_optimizer (self, &config);
    }
  self->step++;
  ts_nn_optim_step (self->params, self->grads, self->opt_state,
                    states > 1 ? self->opt_state + self->n_params : NULL,
                    &self->optim, self->step, self->n_params);
}

void
ts_nn_model_set_seed (TsNnModel *self,
                      guint64    seed)
{
  g_return_if_fail (self != NULL);

  ts_nn_rng_init (&self->rng, seed);
}

/* Rows per inference chunk: 1024, fewer for large samples (an image
 * network's activations), so that a chunk stays near 16 MiB. */
static int
predict_rows (TsNnModel *self)
{
  gsize per_sample = (gsize) ts_nn_model_get_input_size (self);
  int rows = 1024;

  for (guint i = 0; i < self->layers->len; i++)
    per_sample += ts_nn_layer_out_size (ts_nn_model_layer (self, i));
  while (rows > 1 && (gsize) rows * per_sample > (4u << 20))
    rows /= 2;
  return rows;
}

gboolean
ts_nn_model_predict (TsNnModel    *self,
                     const float  *inp,
                     int           n,
                     int           layer,
                     float        *out,
                     GError      **error)
{
  int in, size, batch;

  g_return_val_if_fail (self != NULL && self->built, FALSE);
  g_return_val_if_fail (inp != NULL || n == 0, FALSE);
  g_return_val_if_fail (out != NULL || n == 0, FALSE);
  g_return_val_if_fail (layer >= -1 && layer < (int) self->layers->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (layer < 0)
    layer = (int) self->layers->len - 1;
  /* Chunks of a size fixed by the architecture, not by whatever batch the
   * model was last prepared for: a just-trained model and the same model
   * loaded from its file then embed every row bit-identically. */
  batch = predict_rows (self);
  if (n > 0 && !ts_nn_model_prepare (self, MIN (n, batch), error))
    return FALSE;

  in = ts_nn_model_get_input_size (self);
  size = ts_nn_model_get_layer_size (self, layer);
  for (int start = 0; start < n; start += batch)
    {
      int count = MIN (batch, n - start);

      memcpy (self->act[0], inp + (gsize) start * in, sizeof (float) * (gsize) count * in);
      self->n = count;
      for (int i = 0; i <= layer; i++)
        layer_forward (self, ts_nn_model_layer (self, i), self->act[i + 1], self->act[i],
                       count, FALSE);
      memcpy (out + (gsize) start * size, self->act[layer + 1],
              sizeof (float) * (gsize) count * size);
    }
  return TRUE;
}
