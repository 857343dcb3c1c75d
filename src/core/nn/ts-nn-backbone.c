/* ts-nn-backbone.c: a pretrained image network, run as a graph of ops
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loading: the safetensors file's tensors are dequantised by the reader
 * (ts-nn-safetensors.c), each op's architecture entry is checked against
 * them, and BatchNorm is folded into the convolution before it:
 *   w'[o] = w[o] * gamma[o] / sqrt (var[o] + eps)
 *   b'[o] = beta[o] - mean[o] * gamma[o] / sqrt (var[o] + eps)
 * (in double, then rounded to float).
 *
 * Running: ops run in file order, each writing its output into one of a
 * few scratch slots. A slot is reused once every op reading its output
 * has run (planned at load time); MobileNetV2 needs four slots of the
 * largest output (96 x 112 x 112 floats) where keeping every output would
 * take ten times that. A convolution is im2col (for K > 1) and sgemm over
 * pieces of 1024 output columns; a depthwise convolution over pieces of
 * about 2^17 multiply-adds' worth of channels. Smaller pieces cost more
 * in threads started than they save: an image's later layers are 14 × 14.
 * Piece sizes follow the layer's shape alone, so the thread count never
 * changes a result (ts-nn-threads.c).
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include <math.h>
#include <string.h>
#include <cblas.h>

#include "ts-error.h"
#include "ts-json-guard.h"
#include "ts-nn-backbone.h"
#include "ts-nn-json-private.h"
#include "ts-nn-model.h"

#define FORMAT_NAME       "tunescope-backbone-1"
#define INPUT             (-1)  /* an op's input that is the image itself */
#define COLUMN_PIECE      1024       /* output columns per sgemm piece */
#define DEPTHWISE_PIECE   (1 << 17)  /* multiply-adds per depthwise piece, about */
/* Bounds on what a file may ask for: far above MobileNetV2 (1,280
 * channels, 224 x 224), and small enough that no size overflows. */
#define MAX_CHANNELS      8192
#define MAX_SIDE          4096
#define MAX_KERNEL        11
#define MAX_STRIDE        4
#define MAX_OUTPUT_FLOATS (1 << 26)
#define MAX_OPS           1024
#define MAX_SCRATCH_FLOATS (1 << 26)

typedef enum
{
  OP_CONV,
  OP_DEPTHWISE,
  OP_ADD,
  OP_GLOBAL_AVGPOOL,
  OP_DENSE,
} OpKind;

typedef struct
{
  OpKind         kind;
  char          *name;
  int            input[2];    /* op indices, INPUT for the image; [1] for add only */
  int            c, h, w;     /* output shape */
  TsNnConvDims   dims;        /* conv, depthwise (N = 1) */
  TsNnActivation activation;
  gboolean       softmax;     /* dense */
  float         *weight;      /* conv (OC, IC, K, K), depthwise (C, 1, K, K), dense (OC, IC) */
  float         *bias;        /* (OC) */
  int            slot;        /* where the output lives while running */
  int            last_use;    /* the last op reading the output */
} Op;

struct _TsNnBackbone
{
  int         in_c, in_h, in_w;
  GArray     *ops;            /* Op */
  GHashTable *metadata;       /* char* → char* */
  int         n_slots;
  gsize       slot_floats;    /* each slot's size */
  gsize       col_floats;     /* im2col scratch */
  GMutex      lock;           /* guards the scratch */
  float      *scratch;        /* n_slots slots, then the columns */
};

static Op *
get_op (TsNnBackbone *self,
        int           index)
{
  return &g_array_index (self->ops, Op, index);
}

static gsize
op_size (const Op *op)
{
  return (gsize) op->c * op->h * op->w;
}

/* A 1 x 1 convolution of stride 1 reads its input as it is; any other
 * goes through im2col first. */
static gboolean
needs_columns (const Op *op)
{
  return op->kind == OP_CONV && (op->dims.K > 1 || op->dims.stride > 1);
}

static void
op_clear (gpointer data)
{
  Op *op = data;

  g_free (op->name);
  g_free (op->weight);
  g_free (op->bias);
}

void
ts_nn_backbone_free (TsNnBackbone *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->ops);
  g_clear_pointer (&self->metadata, g_hash_table_unref);
  g_mutex_clear (&self->lock);
  g_free (self->scratch);
  g_free (self);
}

/* ---- loading ------------------------------------------------------------ */

typedef struct
{
  TsNnBackbone   *self;
  TsNnTensorFile *file;
  const char     *path;
  GHashTable     *names;      /* op name → index + 1 */
} Loader;

/* "FILE is not a usable image network: why", TS_ERROR_INVALID_INPUT. */
#define refuse(error, path, ...) \
  ts_nn_refuse_file ((error), (path), "image network", __VA_ARGS__)

/* The tensor @name with exactly the @ndim dims of @shape. */
static const TsNnTensor *
need_tensor (Loader     *loader,
             const char *op,
             const char *name,
             const int  *shape,
             int         ndim,
             GError    **error)
{
  const TsNnTensor *t = name != NULL ? ts_nn_tensor_file_get (loader->file, name) : NULL;
  gboolean same = t != NULL && t->ndim == ndim;

  for (int d = 0; same && d < ndim; d++)
    same = t->shape[d] == shape[d];
  if (t == NULL)
    refuse (error, loader->path, "op “%s” needs the missing tensor “%s”", op,
            name != NULL ? name : "(unnamed)");
  else if (!same)
    refuse (error, loader->path, "tensor “%s” of op “%s” has the wrong shape", name, op);
  return same ? t : NULL;
}

static gboolean
resolve_input (Loader     *loader,
               JsonNode   *node,
               const char *op,
               int        *index,
               GError    **error)
{
  const char *name;
  gpointer value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return refuse (error, loader->path, "op “%s” names no input", op);
  name = json_node_get_string (node);
  if (strcmp (name, "input") == 0)
    {
      *index = INPUT;
      return TRUE;
    }
  value = g_hash_table_lookup (loader->names, name);
  if (value == NULL)
    return refuse (error, loader->path, "op “%s” reads “%s”, which no earlier op makes",
                   op, name);
  *index = GPOINTER_TO_INT (value) - 1;
  return TRUE;
}

static void
input_shape (TsNnBackbone *self,
             int           index,
             int          *c,
             int          *h,
             int          *w)
{
  if (index == INPUT)
    {
      *c = self->in_c, *h = self->in_h, *w = self->in_w;
      return;
    }
  *c = get_op (self, index)->c, *h = get_op (self, index)->h, *w = get_op (self, index)->w;
}

/* Folds the BatchNorm @bn (gamma, beta, moving_mean, moving_variance)
 * into @op's weight (OC rows of @row floats) and a new bias. */
static gboolean
fold_batchnorm (Loader     *loader,
                Op         *op,
                const char *bn,
                double      epsilon,
                gsize       row,
                GError    **error)
{
  static const char * const parts[] = { "gamma", "beta", "moving_mean", "moving_variance" };
  const TsNnTensor *t[4];
  int oc = op->dims.OC;

  for (int p = 0; p < 4; p++)
    {
      g_autofree char *name = g_strdup_printf ("%s/%s", bn != NULL ? bn : "", parts[p]);

      if (bn == NULL)
        return refuse (error, loader->path, "op “%s” names no batchnorm", op->name);
      t[p] = need_tensor (loader, op->name, name, &oc, 1, error);
      if (t[p] == NULL)
        return FALSE;
    }
  op->bias = g_new (float, oc);
  for (int o = 0; o < oc; o++)
    {
      double variance = t[3]->data[o];
      double scale;

      if (!(variance + epsilon > 0.0))
        return refuse (error, loader->path, "batchnorm “%s” has a negative variance", bn);
      scale = t[0]->data[o] / sqrt (variance + epsilon);
      for (gsize i = 0; i < row; i++)
        op->weight[o * row + i] = (float) (op->weight[o * row + i] * scale);
      op->bias[o] = (float) (t[1]->data[o] - t[2]->data[o] * scale);
    }
  return TRUE;
}

static gboolean
parse_activation (Loader     *loader,
                  JsonObject *o,
                  Op         *op,
                  GError    **error)
{
  const char *name = ts_nn_json_member_string (o, "activation", "linear");

  op->activation = TS_NN_ACT_LINEAR;
  if (g_strcmp0 (name, "softmax") == 0 && op->kind == OP_DENSE)
    op->softmax = TRUE;
  else if (name == NULL ||
           (g_strcmp0 (name, "linear") != 0 && g_strcmp0 (name, "relu") != 0 &&
            g_strcmp0 (name, "relu6") != 0) ||
           !ts_nn_activation_from_name (name, &op->activation))
    return refuse (error, loader->path, "op “%s” has an unknown activation", op->name);
  return TRUE;
}

static gboolean
parse_conv (Loader     *loader,
            JsonObject *o,
            Op         *op,
            GError    **error)
{
  JsonArray *pad = ts_nn_json_member_array (o, "pad");
  gint64 size, stride, filters, p[4];
  int ic, h, w, shape[4];
  double epsilon;
  const TsNnTensor *kernel;

  input_shape (loader->self, op->input[0], &ic, &h, &w);
  if (!ts_nn_json_member_int (o, "size", -1, 1, MAX_KERNEL, &size) ||
      !ts_nn_json_member_int (o, "stride", 1, 1, MAX_STRIDE, &stride) ||
      !ts_nn_json_member_int (o, "filters", -1, 1, MAX_CHANNELS, &filters) ||
      !ts_nn_json_member_double (o, "epsilon", 1e-3, &epsilon) || epsilon < 0.0 ||
      pad == NULL || json_array_get_length (pad) != 4)
    return refuse (error, loader->path, "op “%s” lacks a valid size, stride, filters, "
                   "epsilon or pad", op->name);
  for (int i = 0; i < 4; i++)
    if (!ts_nn_json_node_int (json_array_get_element (pad, i), 0, size - 1, &p[i]))
      return refuse (error, loader->path, "op “%s” has a bad pad", op->name);
  if (op->kind == OP_DEPTHWISE && filters != ic)
    return refuse (error, loader->path, "depthwise op “%s” changes the channel count", op->name);

  ts_nn_conv_dims_init_padded (&op->dims, 1, ic, h, w, (int) filters, (int) size, (int) stride,
                               (int) p[0], (int) p[1], (int) p[2], (int) p[3]);
  if (op->dims.OH < 1 || op->dims.OW < 1)
    return refuse (error, loader->path, "op “%s” leaves no output", op->name);
  op->c = (int) filters, op->h = op->dims.OH, op->w = op->dims.OW;

  shape[0] = (int) filters;
  shape[1] = op->kind == OP_DEPTHWISE ? 1 : ic;
  shape[2] = shape[3] = (int) size;
  kernel = need_tensor (loader, op->name, ts_nn_json_member_string (o, "kernel", NULL),
                        shape, 4, error);
  if (kernel == NULL)
    return FALSE;
  op->weight = g_memdup2 (kernel->data, kernel->size * sizeof (float));
  return fold_batchnorm (loader, op, ts_nn_json_member_string (o, "batchnorm", NULL), epsilon,
                         kernel->size / (gsize) filters, error) &&
         parse_activation (loader, o, op, error);
}

static gboolean
parse_dense (Loader     *loader,
             JsonObject *o,
             Op         *op,
             GError    **error)
{
  gint64 units;
  int c, h, w, shape[2];
  const TsNnTensor *kernel, *bias;

  input_shape (loader->self, op->input[0], &c, &h, &w);
  if (!ts_nn_json_member_int (o, "units", -1, 1, MAX_CHANNELS, &units))
    return refuse (error, loader->path, "op “%s” lacks valid units", op->name);
  op->c = (int) units, op->h = op->w = 1;
  op->dims.IC = c * h * w, op->dims.OC = (int) units;
  shape[0] = (int) units, shape[1] = c * h * w;
  kernel = need_tensor (loader, op->name, ts_nn_json_member_string (o, "kernel", NULL),
                        shape, 2, error);
  if (kernel == NULL)
    return FALSE;
  bias = need_tensor (loader, op->name, ts_nn_json_member_string (o, "bias", NULL),
                      shape, 1, error);
  if (bias == NULL)
    return FALSE;
  op->weight = g_memdup2 (kernel->data, kernel->size * sizeof (float));
  op->bias = g_memdup2 (bias->data, bias->size * sizeof (float));
  return parse_activation (loader, o, op, error);
}

static gboolean
parse_op (Loader     *loader,
          JsonNode   *node,
          Op         *op,
          GError    **error)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *type = o != NULL ? ts_nn_json_member_string (o, "type", NULL) : NULL;
  const char *name = o != NULL ? ts_nn_json_member_string (o, "name", NULL) : NULL;

  if (type == NULL || name == NULL || *name == '\0' || strcmp (name, "input") == 0)
    return refuse (error, loader->path, "op %u lacks a type or a name", loader->self->ops->len);
  if (g_hash_table_contains (loader->names, name))
    return refuse (error, loader->path, "two ops are named “%s”", name);
  op->name = g_strdup (name);

  if (strcmp (type, "add") == 0)
    {
      JsonArray *inputs = ts_nn_json_member_array (o, "inputs");
      int c[2], h[2], w[2];

      op->kind = OP_ADD;
      if (inputs == NULL || json_array_get_length (inputs) != 2)
        return refuse (error, loader->path, "add op “%s” needs two inputs", name);
      for (int i = 0; i < 2; i++)
        if (!resolve_input (loader, json_array_get_element (inputs, i), name, &op->input[i],
                            error))
          return FALSE;
        else
          input_shape (loader->self, op->input[i], &c[i], &h[i], &w[i]);
      if (c[0] != c[1] || h[0] != h[1] || w[0] != w[1])
        return refuse (error, loader->path, "add op “%s” sums two shapes", name);
      op->c = c[0], op->h = h[0], op->w = w[0];
      return TRUE;
    }

  op->input[1] = INPUT;
  if (!resolve_input (loader, json_object_get_member (o, "input"), name, &op->input[0], error))
    return FALSE;
  if (strcmp (type, "conv") == 0 || strcmp (type, "depthwise") == 0)
    {
      op->kind = strcmp (type, "conv") == 0 ? OP_CONV : OP_DEPTHWISE;
      return parse_conv (loader, o, op, error);
    }
  if (strcmp (type, "dense") == 0)
    {
      op->kind = OP_DENSE;
      return parse_dense (loader, o, op, error);
    }
  if (strcmp (type, "global_average_pool") == 0)
    {
      op->kind = OP_GLOBAL_AVGPOOL;
      input_shape (loader->self, op->input[0], &op->c, &op->h, &op->w);
      op->h = op->w = 1;
      return TRUE;
    }
  return refuse (error, loader->path, "op “%s” has the unknown type “%s”", name, type);
}

static gboolean
parse_architecture (Loader      *loader,
                    const char  *json,
                    GError     **error)
{
  TsNnBackbone *self = loader->self;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *o;
  JsonArray *input, *ops;
  gint64 dims[3];

  if (json == NULL || !ts_json_parser_load (parser, json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return refuse (error, loader->path, "its architecture is missing or not a JSON object");
  o = json_node_get_object (root);
  input = ts_nn_json_member_array (o, "input");
  ops = ts_nn_json_member_array (o, "ops");
  if (input == NULL || json_array_get_length (input) != 3 || ops == NULL ||
      json_array_get_length (ops) == 0 || json_array_get_length (ops) > MAX_OPS)
    return refuse (error, loader->path, "its architecture lacks an input shape or ops");
  for (int d = 0; d < 3; d++)
    if (!ts_nn_json_node_int (json_array_get_element (input, d), 1,
                              d == 0 ? MAX_CHANNELS : MAX_SIDE, &dims[d]))
      return refuse (error, loader->path, "its input shape is invalid");
  self->in_c = (int) dims[0], self->in_h = (int) dims[1], self->in_w = (int) dims[2];
  if (dims[0] * dims[1] * dims[2] > MAX_OUTPUT_FLOATS)
    return refuse (error, loader->path, "its input is too large");

  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      Op op = { .input = { INPUT, INPUT } };

      if (!parse_op (loader, json_array_get_element (ops, i), &op, error))
        {
          op_clear (&op);
          return FALSE;
        }
      if (op_size (&op) > MAX_OUTPUT_FLOATS)
        {
          op_clear (&op);
          return refuse (error, loader->path, "op %u's output is too large", i);
        }
      g_array_append_val (self->ops, op);
      g_hash_table_insert (loader->names, op.name, GINT_TO_POINTER (i + 1));
    }
  return TRUE;
}

/* Gives each op's output a slot that no live output holds: a slot is free
 * again once the last op reading its output has run. */
static gboolean
plan_slots (TsNnBackbone *self,
            const char   *path,
            GError      **error)
{
  int n = (int) self->ops->len;
  g_autofree int *holder = g_new (int, n); /* slot → op whose output is in it */

  for (int i = 0; i < n; i++)
    get_op (self, i)->last_use = i;
  for (int i = 0; i < n; i++)
    for (int k = 0; k < 2; k++)
      if (get_op (self, i)->input[k] != INPUT)
        get_op (self, get_op (self, i)->input[k])->last_use = i;

  self->n_slots = 0;
  self->slot_floats = self->col_floats = 1;
  for (int i = 0; i < n; i++)
    {
      Op *op = get_op (self, i);
      int slot = -1;

      for (int s = 0; s < self->n_slots && slot < 0; s++)
        if (get_op (self, holder[s])->last_use < i)
          slot = s;
      if (slot < 0)
        slot = self->n_slots++;
      holder[slot] = i;
      op->slot = slot;
      self->slot_floats = MAX (self->slot_floats, op_size (op));
      if (needs_columns (op))
        self->col_floats = MAX (self->col_floats, (gsize) op->dims.IC * op->dims.K * op->dims.K *
                                                  op->dims.OH * op->dims.OW);
    }
  if (self->slot_floats * self->n_slots + self->col_floats > MAX_SCRATCH_FLOATS)
    return refuse (error, path, "running it would take more than %d MiB",
                   (int) (MAX_SCRATCH_FLOATS * sizeof (float) >> 20));
  return TRUE;
}

TsNnBackbone *
ts_nn_backbone_load_bytes (GBytes      *bytes,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(TsNnTensorFile) file = NULL;
  g_autoptr(TsNnBackbone) self = NULL;
  g_autoptr(GHashTable) names = NULL;
  Loader loader;
  GHashTable *metadata;

  g_return_val_if_fail (bytes != NULL && path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = ts_nn_tensor_file_read_bytes (bytes, path, error);
  if (file == NULL)
    return NULL;
  metadata = ts_nn_tensor_file_get_metadata (file);
  if (g_strcmp0 (g_hash_table_lookup (metadata, "format"), FORMAT_NAME) != 0)
    {
      refuse (error, path, "its format is not %s", FORMAT_NAME);
      return NULL;
    }

  self = g_new0 (TsNnBackbone, 1);
  self->ops = g_array_new (FALSE, TRUE, sizeof (Op));
  g_array_set_clear_func (self->ops, op_clear);
  g_mutex_init (&self->lock);
  self->metadata = g_hash_table_ref (metadata);
  names = g_hash_table_new (g_str_hash, g_str_equal);
  loader = (Loader) { self, file, path, names };
  if (!parse_architecture (&loader, g_hash_table_lookup (metadata, "architecture"), error))
    return NULL;
  if (!plan_slots (self, path, error))
    return NULL;
  return g_steal_pointer (&self);
}

TsNnBackbone *
ts_nn_backbone_load (const char  *path,
                     GError     **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  mapped = g_mapped_file_new (path, FALSE, error);
  if (mapped == NULL)
    return NULL;
  bytes = g_mapped_file_get_bytes (mapped);
  return ts_nn_backbone_load_bytes (bytes, path, error);
}

/* ---- queries --------------------------------------------------------------- */

void
ts_nn_backbone_get_input_shape (TsNnBackbone *self,
                                int          *c,
                                int          *h,
                                int          *w)
{
  g_return_if_fail (self != NULL);

  input_shape (self, INPUT, c, h, w);
}

const char *
ts_nn_backbone_get_metadata (TsNnBackbone *self,
                             const char   *key)
{
  g_return_val_if_fail (self != NULL && key != NULL, NULL);

  return g_hash_table_lookup (self->metadata, key);
}

int
ts_nn_backbone_get_n_ops (TsNnBackbone *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return (int) self->ops->len;
}

int
ts_nn_backbone_find_op (TsNnBackbone *self,
                        const char   *name)
{
  g_return_val_if_fail (self != NULL && name != NULL, -1);

  for (guint i = 0; i < self->ops->len; i++)
    if (strcmp (get_op (self, (int) i)->name, name) == 0)
      return (int) i;
  return -1;
}

const char *
ts_nn_backbone_get_op_name (TsNnBackbone *self,
                            int           op)
{
  g_return_val_if_fail (self != NULL && op >= 0 && op < (int) self->ops->len, NULL);

  return get_op (self, op)->name;
}

int
ts_nn_backbone_get_op_shape (TsNnBackbone *self,
                             int           op,
                             int          *c,
                             int          *h,
                             int          *w)
{
  int cc, hh, ww;

  g_return_val_if_fail (self != NULL && op >= 0 && op < (int) self->ops->len, 0);

  input_shape (self, op, &cc, &hh, &ww);
  if (c != NULL)
    *c = cc;
  if (h != NULL)
    *h = hh;
  if (w != NULL)
    *w = ww;
  return cc * hh * ww;
}

double
ts_nn_backbone_count_macs (TsNnBackbone *self,
                           int           last)
{
  double macs = 0.0;

  g_return_val_if_fail (self != NULL && last < (int) self->ops->len, 0.0);

  for (int i = 0; i <= last; i++)
    {
      const Op *op = get_op (self, i);
      double per_output = op->kind == OP_CONV ? (double) op->dims.IC * op->dims.K * op->dims.K
                        : op->kind == OP_DEPTHWISE ? (double) op->dims.K * op->dims.K
                        : op->kind == OP_DENSE ? (double) op->dims.IC
                        : 1.0;

      macs += per_output * (double) op_size (op);
    }
  return macs;
}

/* ---- running ---------------------------------------------------------------- */

typedef struct
{
  const Op    *op;
  const float *inp;   /* conv: the columns (IC*K*K, S) or the input (IC, S) */
  float       *out;
} Step;

/* out[:, s0:s1] = activation (weight . inp[:, s0:s1] + bias), one piece of
 * COLUMN_PIECE columns. */
static void
conv_piece (int      piece,
            int      worker,
            gpointer data)
{
  const Step *step = data;
  const Op *op = step->op;
  int S = op->h * op->w, ckk = op->dims.IC * op->dims.K * op->dims.K;
  int s0 = piece * COLUMN_PIECE, n = MIN (COLUMN_PIECE, S - s0);

  for (int o = 0; o < op->c; o++)
    for (int s = 0; s < n; s++)
      step->out[(gsize) o * S + s0 + s] = op->bias[o];
  /* out (OC, n) += weight (OC, CKK) . inp (CKK, n), rows S apart */
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, op->c, n, ckk,
               1.0f, op->weight, ckk, step->inp + s0, S, 1.0f, step->out + s0, S);
  if (op->activation != TS_NN_ACT_LINEAR)
    for (int o = 0; o < op->c; o++)
      {
        float *row = step->out + (gsize) o * S + s0;

        ts_nn_activation_forward (row, row, op->activation, 1, n);
      }
}

/* How many channels make a depthwise piece of @op. */
static int
depthwise_piece_channels (const Op *op)
{
  return MAX (1, DEPTHWISE_PIECE / MAX (1, op->h * op->w * op->dims.K * op->dims.K));
}

/* One piece of channels of a depthwise convolution. */
static void
depthwise_piece (int      piece,
                 int      worker,
                 gpointer data)
{
  const Step *step = data;
  const Op *op = step->op;
  int channels = depthwise_piece_channels (op);
  int c0 = piece * channels, n = MIN (channels, op->c - c0);
  TsNnConvDims d = op->dims;
  gsize in_plane = (gsize) d.H * d.W, out_plane = (gsize) d.OH * d.OW;
  float *out = step->out + c0 * out_plane;

  d.IC = d.OC = n;
  ts_nn_depthwise_forward (out, step->inp + c0 * in_plane,
                           op->weight + (gsize) c0 * d.K * d.K, op->bias + c0, &d);
  if (op->activation != TS_NN_ACT_LINEAR)
    ts_nn_activation_forward (out, out, op->activation, 1, (int) (n * out_plane));
}

static void
softmax (float *x,
         int    n)
{
  float top = x[0];
  double sum = 0.0;

  for (int i = 1; i < n; i++)
    top = MAX (top, x[i]);
  for (int i = 0; i < n; i++)
    sum += x[i] = expf (x[i] - top);
  for (int i = 0; i < n; i++)
    x[i] = (float) (x[i] / sum);
}

static void
run_op (TsNnBackbone *self,
        const Op     *op,
        const float  *a,
        const float  *b,
        float        *out,
        float        *col)
{
  Step step = { op, a, out };
  int S = op->h * op->w;

  switch (op->kind)
    {
    case OP_CONV:
      if (needs_columns (op))
        {
          ts_nn_im2col (col, a, &op->dims);
          step.inp = col;
        }
      ts_nn_parallel_for ((S + COLUMN_PIECE - 1) / COLUMN_PIECE, conv_piece, &step);
      break;
    case OP_DEPTHWISE:
      ts_nn_parallel_for ((op->c + depthwise_piece_channels (op) - 1)
                          / depthwise_piece_channels (op), depthwise_piece, &step);
      break;
    case OP_ADD:
      ts_nn_add_forward (out, a, b, 1, (int) op_size (op));
      break;
    case OP_GLOBAL_AVGPOOL:
      {
        int c, h, w;

        input_shape (self, op->input[0], &c, &h, &w);
        ts_nn_global_avgpool_forward (out, a, 1, c, h * w);
      }
      break;
    case OP_DENSE:
      ts_nn_dense_forward (out, a, op->weight, op->bias, 1, op->dims.IC, op->c);
      if (op->softmax)
        softmax (out, op->c);
      else if (op->activation != TS_NN_ACT_LINEAR)
        ts_nn_activation_forward (out, out, op->activation, 1, op->c);
      break;
    default:
      g_assert_not_reached ();
    }
}

void
ts_nn_backbone_forward (TsNnBackbone  *self,
                        const float   *image,
                        int            n_taps,
                        const int     *taps,
                        float * const *outs)
{
  g_autoptr(GMutexLocker) locker = NULL;
  int last = -1;

  g_return_if_fail (self != NULL && image != NULL);
  g_return_if_fail (n_taps >= 0 && (n_taps == 0 || (taps != NULL && outs != NULL)));

  for (int t = 0; t < n_taps; t++)
    {
      g_return_if_fail (taps[t] >= 0 && taps[t] < (int) self->ops->len);
      last = MAX (last, taps[t]);
    }

  ts_nn_blas_init ();
  locker = g_mutex_locker_new (&self->lock);
  if (self->scratch == NULL)
    self->scratch = g_new (float, self->n_slots * self->slot_floats + self->col_floats);
  for (int i = 0; i <= last; i++)
    {
      const Op *op = get_op (self, i);
      const float *in[2];
      float *out = self->scratch + op->slot * self->slot_floats;

      for (int k = 0; k < 2; k++)
        in[k] = op->input[k] == INPUT ? image
              : self->scratch + get_op (self, op->input[k])->slot * self->slot_floats;
      run_op (self, op, in[0], in[1], out, self->scratch + self->n_slots * self->slot_floats);
      for (int t = 0; t < n_taps; t++)
        if (taps[t] == i)
          memcpy (outs[t], out, op_size (op) * sizeof (float));
    }
}
