/* ts-nn-safetensors.c: models in the safetensors format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The format: an 8-byte little-endian header length, a JSON header
 * mapping each tensor name to {dtype, shape, data_offsets} plus a
 * string-to-string "__metadata__", then the raw little-endian data. We
 * write F32 and read F32 and U8; a reader trusts nothing in the file.
 *
 * A U8 tensor is quantised: __metadata__["quantization"] is a JSON object
 * mapping its name to ["min", "scale"] (decimal strings, exact doubles),
 * and each value is byte * scale + min, computed in double and rounded to
 * float, as TF.js dequantises the weights our image backbone comes from
 * (build-aux/mobilenet/). The reader hands out floats either way.
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ts-atomic-file.h"
#include "ts-error.h"
#include "ts-json-guard.h"
#include "ts-nn-json-private.h"
#include "ts-nn-model-private.h"

/* Bigger headers are refused before parsing. safetensors allows 100 MB,
 * but ours hold an architecture and a few statistics, about 6 KB, and
 * json-glib builds up to a hundred times a header's size in nodes: 1 MiB
 * leaves room and keeps that bounded. */
#define MAX_HEADER_BYTES (1024 * 1024)
/* A file is read whole, then its tensors copied out and into the model:
 * three times its size in memory. Our biggest model, the CNN, is a few
 * MB, and one layer may hold at most 2^26 floats (ts-nn-model.c's
 * MAX_ELEMENTS), 256 MiB: a bigger file is no model of ours, and is
 * refused before a byte is read. */
#define MAX_FILE_BYTES   G_GINT64_CONSTANT (256 * 1024 * 1024)
#define FORMAT_NAME      "tunescope-nn-1"

struct _TsNnTensorFile
{
  GHashTable *tensors;  /* name → TsNnTensor */
  GHashTable *metadata; /* char* → char* */
};

static void
tensor_free (gpointer data)
{
  TsNnTensor *t = data;

  g_free (t->name);
  g_free (t->data);
  g_free (t);
}

void
ts_nn_tensor_file_free (TsNnTensorFile *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->tensors);
  g_hash_table_unref (self->metadata);
  g_free (self);
}

/* "FILE is not a usable safetensors model: why", TS_ERROR_INVALID_INPUT. */
#define refuse(error, path, ...) \
  ts_nn_refuse_file ((error), (path), "safetensors model", __VA_ARGS__)


static gboolean
read_metadata (TsNnTensorFile *self,
               JsonNode       *node,
               const char     *path,
               GError        **error)
{
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return refuse (error, path, "__metadata__ is not an object");
  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (object, l->data);

      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        return refuse (error, path, "__metadata__ value “%s” is not a string",
                       (const char *) l->data);
      g_hash_table_insert (self->metadata, g_strdup (l->data),
                           g_strdup (json_node_get_string (value)));
    }
  return TRUE;
}

/* __metadata__["quantization"] as name → double[2] (min, scale); an
 * empty table when there is none. */
static GHashTable *
read_quantization (TsNnTensorFile *self,
                   const char     *path,
                   GError        **error)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *text = g_hash_table_lookup (self->metadata, "quantization");
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GList) members = NULL;
  JsonNode *root;

  if (text == NULL)
    return g_steal_pointer (&table);
  parser = json_parser_new ();
  if (!ts_json_parser_load (parser, text, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      refuse (error, path, "__metadata__ “quantization” is not a JSON object");
      return NULL;
    }
  members = json_object_get_members (json_node_get_object (root));
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (json_node_get_object (root), l->data);
      JsonArray *pair = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
      double *min_scale = g_new (double, 2);

      g_hash_table_insert (table, g_strdup (l->data), min_scale);
      if (pair == NULL || json_array_get_length (pair) != 2 ||
          !ts_nn_json_node_double_string (json_array_get_element (pair, 0), &min_scale[0]) ||
          !ts_nn_json_node_double_string (json_array_get_element (pair, 1), &min_scale[1]))
        {
          refuse (error, path, "the quantization of “%s” is not [\"min\", \"scale\"]",
                  (const char *) l->data);
          return NULL;
        }
    }
  return g_steal_pointer (&table);
}

static void
copy_f32 (float        *out,
          const guint8 *data,
          gsize         size)
{
  for (gsize i = 0; i < size; i++)
    {
      guint32 bits;

      memcpy (&bits, data + 4 * i, 4);
      bits = GUINT32_FROM_LE (bits);
      memcpy (out + i, &bits, 4);
    }
}

static void
dequantize_u8 (float        *out,
               const guint8 *data,
               gsize         size,
               const double *min_scale)
{
  for (gsize i = 0; i < size; i++)
    out[i] = (float) (data[i] * min_scale[1] + min_scale[0]);
}

/* One tensor entry; offsets are checked against the data's size and
 * against each other (no overlap, no gap: the whole data is covered). */
static gboolean
read_tensor (TsNnTensorFile *self,
             const char     *name,
             JsonNode       *node,
             const guint8   *data,
             gsize           data_len,
             GHashTable     *quantization,
             const char     *path,
             GError        **error)
{
  JsonObject *object;
  JsonArray *shape, *offsets;
  gint64 begin, end;
  TsNnTensor *t;
  gsize size = 1, item_size;
  const char *dtype;
  const double *min_scale = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return refuse (error, path, "tensor “%s” is not described by an object", name);
  object = json_node_get_object (node);
  dtype = ts_nn_json_member_string (object, "dtype", "");
  if (g_strcmp0 (dtype, "F32") == 0)
    item_size = 4;
  else if (g_strcmp0 (dtype, "U8") == 0)
    {
      item_size = 1;
      min_scale = g_hash_table_lookup (quantization, name);
      if (min_scale == NULL)
        return refuse (error, path, "tensor “%s” is U8 without a quantization", name);
    }
  else
    return refuse (error, path, "tensor “%s” is neither F32 nor U8", name);
  shape = ts_nn_json_member_array (object, "shape");
  offsets = ts_nn_json_member_array (object, "data_offsets");
  if (shape == NULL || offsets == NULL)
    return refuse (error, path, "tensor “%s” lacks a shape or data offsets", name);
  if (json_array_get_length (shape) > 4 || json_array_get_length (offsets) != 2)
    return refuse (error, path, "tensor “%s” has more than 4 dimensions or bad offsets", name);

  t = g_new0 (TsNnTensor, 1);
  t->name = g_strdup (name);
  t->ndim = (int) json_array_get_length (shape);
  g_hash_table_insert (self->tensors, t->name, t);
  for (int d = 0; d < t->ndim; d++)
    {
      gint64 v;

      if (!ts_nn_json_node_int (json_array_get_element (shape, d), 0, G_MAXINT32, &v) ||
          (v > 0 && size > G_MAXSIZE / 4 / (gsize) v))
        return refuse (error, path, "tensor “%s” has an invalid shape", name);
      t->shape[d] = (int) v;
      size *= (gsize) v;
    }
  t->size = size;
  if (!ts_nn_json_node_int (json_array_get_element (offsets, 0), 0, G_MAXINT64, &begin) ||
      !ts_nn_json_node_int (json_array_get_element (offsets, 1), 0, G_MAXINT64, &end))
    return refuse (error, path, "tensor “%s” has bad offsets", name);
  if (end < begin || (guint64) end > data_len)
    return refuse (error, path, "tensor “%s” lies outside the file (offsets %" G_GINT64_FORMAT
                   "..%" G_GINT64_FORMAT " of %" G_GSIZE_FORMAT " bytes)",
                   name, begin, end, data_len);
  if ((guint64) (end - begin) != size * item_size)
    return refuse (error, path, "tensor “%s” has %" G_GINT64_FORMAT " bytes for %"
                   G_GSIZE_FORMAT " %s values", name, end - begin, size, dtype);

  t->data = g_new (float, MAX (size, 1));
  if (min_scale != NULL)
    dequantize_u8 (t->data, data + begin, size, min_scale);
  else
    copy_f32 (t->data, data + begin, size);
  return TRUE;
}

static int
compare_ranges (gconstpointer a,
                gconstpointer b)
{
  const gint64 *x = a, *y = b;

  return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* The tensors must tile the data exactly, as safetensors requires. */
static gboolean
check_coverage (JsonObject *header,
                gsize       data_len,
                const char *path,
                GError    **error)
{
  g_autoptr(GList) members = json_object_get_members (header);
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, 2 * sizeof (gint64));
  gint64 at = 0;

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonArray *offsets;
      gint64 r[2];

      if (strcmp (l->data, "__metadata__") == 0)
        continue;
      offsets = json_object_get_array_member (json_object_get_object_member (header, l->data),
                                              "data_offsets");
      r[0] = json_array_get_int_element (offsets, 0);
      r[1] = json_array_get_int_element (offsets, 1);
      g_array_append_val (ranges, r);
    }
  g_array_sort (ranges, compare_ranges);
  for (guint i = 0; i < ranges->len; i++)
    {
      gint64 *r = &g_array_index (ranges, gint64, 2 * i);

      if (r[0] != at)
        return refuse (error, path, "tensor data overlaps or leaves a gap at byte %"
                       G_GINT64_FORMAT, at);
      at = r[1];
    }
  if ((gsize) at != data_len)
    return refuse (error, path, "%" G_GSIZE_FORMAT " bytes follow the last tensor",
                   data_len - (gsize) at);
  return TRUE;
}

/* Reads a whole file into bytes; GLib's message names the file, and its
 * code tells a missing file (the user's mistake) from a failing disk. */
static GBytes *
read_file_bytes (const char  *path,
                 GError     **error)
{
  char *contents = NULL;
  gsize length = 0;
  GStatBuf st;

  if (g_stat (path, &st) == 0 && st.st_size > MAX_FILE_BYTES)
    {
      refuse (error, path, "it is larger than %d MiB", (int) (MAX_FILE_BYTES >> 20));
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return g_bytes_new_take (contents, length);
}

TsNnTensorFile *
ts_nn_tensor_file_read (const char  *path,
                        GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = read_file_bytes (path, error);
  if (bytes == NULL)
    return NULL;
  return ts_nn_tensor_file_read_bytes (bytes, path, error);
}

TsNnTensorFile *
ts_nn_tensor_file_read_bytes (GBytes      *bytes,
                              const char  *path,
                              GError     **error)
{
  g_autoptr(TsNnTensorFile) self = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local = NULL;
  const char *contents;
  gsize length = 0;
  guint64 header_len;
  JsonNode *root;
  JsonObject *header;
  g_autoptr(GList) members = NULL;
  g_autoptr(GHashTable) quantization = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  contents = g_bytes_get_data (bytes, &length);
  if (length < 8)
    {
      refuse (error, path, "it is truncated (%" G_GSIZE_FORMAT " bytes)", length);
      return NULL;
    }
  memcpy (&header_len, contents, 8);
  header_len = GUINT64_FROM_LE (header_len);
  if (header_len > length - 8)
    {
      refuse (error, path, "its header length %" G_GUINT64_FORMAT " exceeds the %" G_GSIZE_FORMAT
              " bytes of the file", header_len, length);
      return NULL;
    }
  if (header_len > MAX_HEADER_BYTES || length > MAX_FILE_BYTES)
    {
      refuse (error, path, "its header (%" G_GUINT64_FORMAT " bytes) or the file (%"
              G_GSIZE_FORMAT " bytes) is larger than a model of ours (%d and %d MiB at most)",
              header_len, length, MAX_HEADER_BYTES >> 20, (int) (MAX_FILE_BYTES >> 20));
      return NULL;
    }
  if (header_len == 0 || contents[8] != '{')
    {
      refuse (error, path, "its header is not a JSON object");
      return NULL;
    }

  /* A 1 MiB header can nest deep enough to overflow json-glib's stack;
   * ts_json_parser_load refuses that first. */
  parser = json_parser_new ();
  if (!ts_json_parser_load (parser, contents + 8, (gssize) header_len, &local))
    {
      refuse (error, path, "its header is not valid JSON (%s)", local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      refuse (error, path, "its header is not a JSON object");
      return NULL;
    }
  header = json_node_get_object (root);

  self = g_new0 (TsNnTensorFile, 1);
  self->tensors = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, tensor_free);
  self->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* The metadata first: it holds the U8 tensors' quantization. */
  if (json_object_has_member (header, "__metadata__") &&
      !read_metadata (self, json_object_get_member (header, "__metadata__"), path, error))
    return NULL;
  quantization = read_quantization (self, path, error);
  if (quantization == NULL)
    return NULL;
  members = json_object_get_members (header);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (header, l->data);

      if (strcmp (l->data, "__metadata__") != 0 &&
          !read_tensor (self, l->data, node, (const guint8 *) contents + 8 + header_len,
                        length - 8 - header_len, quantization, path, error))
        return NULL;
    }
  if (!check_coverage (header, length - 8 - header_len, path, error))
    return NULL;
  return g_steal_pointer (&self);
}

const TsNnTensor *
ts_nn_tensor_file_get (TsNnTensorFile *self,
                       const char     *name)
{
  g_return_val_if_fail (self != NULL && name != NULL, NULL);

  return g_hash_table_lookup (self->tensors, name);
}

GHashTable *
ts_nn_tensor_file_get_metadata (TsNnTensorFile *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->metadata;
}

gboolean
ts_nn_tensors_write (const char       *path,
                     const TsNnTensor *tensors,
                     guint             n_tensors,
                     GHashTable       *metadata,
                     GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autofree char *json = NULL;
  g_autoptr(GString) header = NULL;
  guint64 offset = 0, len_le;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (tensors != NULL || n_tensors == 0, FALSE);

  json_builder_begin_object (builder);
  if (metadata != NULL && g_hash_table_size (metadata) > 0)
    {
      GHashTableIter iter;
      gpointer key, value;

      json_builder_set_member_name (builder, "__metadata__");
      json_builder_begin_object (builder);
      g_hash_table_iter_init (&iter, metadata);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          json_builder_set_member_name (builder, key);
          json_builder_add_string_value (builder, value);
        }
      json_builder_end_object (builder);
    }
  for (guint i = 0; i < n_tensors; i++)
    {
      const TsNnTensor *t = &tensors[i];

      json_builder_set_member_name (builder, t->name);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "dtype");
      json_builder_add_string_value (builder, "F32");
      json_builder_set_member_name (builder, "shape");
      json_builder_begin_array (builder);
      for (int d = 0; d < t->ndim; d++)
        json_builder_add_int_value (builder, t->shape[d]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "data_offsets");
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, (gint64) offset);
      json_builder_add_int_value (builder, (gint64) (offset + 4 * t->size));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      offset += 4 * t->size;
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);

  /* The data starts 8-byte aligned: pad the header with spaces. */
  header = g_string_new (json);
  while ((header->len % 8) != 0)
    g_string_append_c (header, ' ');
  len_le = GUINT64_TO_LE ((guint64) header->len);
  g_byte_array_append (bytes, (const guint8 *) &len_le, 8);
  g_byte_array_append (bytes, (const guint8 *) header->str, header->len);
  for (guint i = 0; i < n_tensors; i++)
    for (gsize k = 0; k < tensors[i].size; k++)
      {
        guint32 bits;

        memcpy (&bits, tensors[i].data + k, 4);
        bits = GUINT32_TO_LE (bits);
        g_byte_array_append (bytes, (const guint8 *) &bits, 4);
      }

  return ts_atomic_file_set_contents (path, bytes->data, bytes->len, error);
}

/* ---- Architecture JSON ------------------------------------------------- */

char *
ts_nn_model_to_json (TsNnModel *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "input");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, self->in_c);
  json_builder_add_int_value (b, self->in_h);
  json_builder_add_int_value (b, self->in_w);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "layers");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->layers->len; i++)
    {
      const TsNnLayerSpec *s = &ts_nn_model_layer (self, i)->spec;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, ts_nn_layer_kind_get_name (s->kind));
      switch (s->kind)
        {
        case TS_NN_LAYER_DENSE:
          json_builder_set_member_name (b, "units");
          json_builder_add_int_value (b, s->units);
          break;
        case TS_NN_LAYER_DROPOUT:
          json_builder_set_member_name (b, "rate");
          json_builder_add_double_value (b, s->rate);
          break;
        case TS_NN_LAYER_ACTIVATION:
          json_builder_set_member_name (b, "activation");
          json_builder_add_string_value (b, ts_nn_activation_get_name (s->activation));
          break;
        case TS_NN_LAYER_CONV2D:
          json_builder_set_member_name (b, "filters");
          json_builder_add_int_value (b, s->units);
          json_builder_set_member_name (b, "padding");
          json_builder_add_string_value (b, s->padding == TS_NN_PADDING_SAME ? "same" : "valid");
          G_GNUC_FALLTHROUGH;
        case TS_NN_LAYER_MAXPOOL2D:
          json_builder_set_member_name (b, "kernel");
          json_builder_add_int_value (b, s->kernel);
          json_builder_set_member_name (b, "stride");
          json_builder_add_int_value (b, s->stride);
          break;
        case TS_NN_LAYER_NORMALIZATION:
        case TS_NN_LAYER_BATCHNORM:
        case TS_NN_LAYER_FLATTEN:
        case TS_NN_N_LAYER_KINDS:
        default:
          break;
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* What a layer's integers may be in a file: far above what any model of
 * ours uses, and small enough that no shape arithmetic overflows. */
#define MAX_SPEC_VALUE (1 << 16)

static gboolean
spec_from_json (JsonObject     *o,
                TsNnLayerSpec  *s,
                guint           index,
                GError        **error)
{
  const char *type = ts_nn_json_member_string (o, "type", "");
  const char *act = ts_nn_json_member_string (o, "activation", "linear");
  const char *padding = ts_nn_json_member_string (o, "padding", "valid");
  const char *units_name;
  JsonNode *rate;
  gint64 units, kernel, stride;

  *s = (TsNnLayerSpec) { 0 };
  if (type == NULL || !ts_nn_layer_kind_from_name (type, &s->kind))
    goto bad;
  units_name = s->kind == TS_NN_LAYER_CONV2D ? "filters" : "units";
  if (!ts_nn_json_member_int (o, units_name, 0, 0, MAX_SPEC_VALUE, &units) ||
      !ts_nn_json_member_int (o, "kernel", 0, 0, MAX_SPEC_VALUE, &kernel) ||
      !ts_nn_json_member_int (o, "stride", 0, 0, MAX_SPEC_VALUE, &stride))
    goto bad;
  s->units = (int) units;
  s->kernel = (int) kernel;
  s->stride = (int) stride;
  rate = json_object_get_member (o, "rate");
  if (rate != NULL && (!JSON_NODE_HOLDS_VALUE (rate) ||
                       (json_node_get_value_type (rate) != G_TYPE_DOUBLE &&
                        json_node_get_value_type (rate) != G_TYPE_INT64)))
    goto bad;
  s->rate = rate != NULL ? (float) json_node_get_double (rate) : 0.0f;
  if (act == NULL || !ts_nn_activation_from_name (act, &s->activation))
    goto bad;
  if (g_strcmp0 (padding, "same") == 0)
    s->padding = TS_NN_PADDING_SAME;
  else if (g_strcmp0 (padding, "valid") != 0)
    goto bad;
  return TRUE;

bad:
  g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
               "Layer %u of the architecture is not understood (type “%s”)", index,
               type != NULL ? type : "?");
  return FALSE;
}

/* The model @json describes, its layers added but not built. */
static TsNnModel *
model_from_json (const char  *json,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(TsNnModel) model = NULL;
  g_autoptr(GError) local = NULL;
  JsonNode *root;
  JsonArray *input, *layers;
  gint64 dims[3];

  if (!ts_json_parser_load (parser, json, -1, &local))
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                   "The architecture is not valid JSON: %s", local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  input = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
          ? ts_nn_json_member_array (json_node_get_object (root), "input") : NULL;
  layers = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
           ? ts_nn_json_member_array (json_node_get_object (root), "layers") : NULL;
  if (input == NULL || layers == NULL)
    {
      g_set_error_literal (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                           "The architecture lacks “input” or “layers”");
      return NULL;
    }
  if (json_array_get_length (input) != 3)
    goto bad_input;
  for (guint d = 0; d < 3; d++)
    if (!ts_nn_json_node_int (json_array_get_element (input, d), 1, MAX_SPEC_VALUE, &dims[d]))
      goto bad_input;

  model = ts_nn_model_new ((int) dims[0], (int) dims[1], (int) dims[2]);
  for (guint i = 0; i < json_array_get_length (layers); i++)
    {
      JsonNode *node = json_array_get_element (layers, i);
      TsNnLayerSpec spec;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                       "Layer %u of the architecture is not an object", i);
          return NULL;
        }
      if (!spec_from_json (json_node_get_object (node), &spec, i, error))
        return NULL;
      ts_nn_model_add (model, &spec);
    }
  return g_steal_pointer (&model);

bad_input:
  g_set_error_literal (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                       "The architecture's input is not a shape [C, H, W]");
  return NULL;
}

TsNnModel *
ts_nn_model_new_from_json (const char  *json,
                           GError     **error)
{
  g_autoptr(TsNnModel) model = NULL;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  model = model_from_json (json, error);
  if (model == NULL || !ts_nn_model_build (model, 0, error))
    return NULL;
  return g_steal_pointer (&model);
}

/* ---- Models ------------------------------------------------------------ */

/* The key of @prefix's architecture in __metadata__: "architecture" for
 * the first (unprefixed) model, "<prefix>architecture" for the others. */
static char *
architecture_key (const char *prefix)
{
  return g_strconcat (prefix, "architecture", NULL);
}

gboolean
ts_nn_model_save (TsNnModel   *self,
                  const char  *path,
                  GHashTable  *metadata,
                  GError     **error)
{
  static const char * const no_prefix[] = { "" };

  return ts_nn_models_save (&self, no_prefix, 1, path, metadata, error);
}

gboolean
ts_nn_models_save (TsNnModel          **models,
                   const char * const  *prefixes,
                   guint                n_models,
                   const char          *path,
                   GHashTable          *metadata,
                   GError             **error)
{
  g_autoptr(GHashTable) meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GArray) tensors = g_array_new (FALSE, TRUE, sizeof (TsNnTensor));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = NULL;

  g_return_val_if_fail (models != NULL && prefixes != NULL && n_models > 0, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (metadata != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, metadata);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (meta, g_strdup (key), g_strdup (value));
    }
  g_hash_table_insert (meta, g_strdup ("format"), g_strdup (FORMAT_NAME));
  for (guint m = 0; m < n_models; m++)
    {
      TsNnModel *model = models[m];

      g_return_val_if_fail (model != NULL && model->built, FALSE);
      g_hash_table_insert (meta, architecture_key (prefixes[m]), ts_nn_model_to_json (model));
      for (guint i = 0; i < model->tensors->len; i++)
        {
          const TsNnTensorView *v = ts_nn_model_get_tensor (model, i);
          TsNnTensor t = { .ndim = v->ndim, .size = v->size, .data = v->data };

          t.name = g_strconcat (prefixes[m], v->name, NULL);
          g_ptr_array_add (names, t.name);
          memcpy (t.shape, v->shape, sizeof v->shape);
          g_array_append_val (tensors, t);
        }
    }

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, TS_ERROR, TS_ERROR_IO, "Cannot create the folder %s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  return ts_nn_tensors_write (path, (const TsNnTensor *) tensors->data, tensors->len, meta,
                              error);
}

/* The floats of all the file's tensors. */
static gsize
count_values (TsNnTensorFile *file)
{
  GHashTableIter iter;
  gpointer tensor;
  gsize n = 0;

  g_hash_table_iter_init (&iter, file->tensors);
  while (g_hash_table_iter_next (&iter, NULL, &tensor))
    n += ((const TsNnTensor *) tensor)->size;
  return n;
}

TsNnModel *
ts_nn_model_load (const char   *path,
                  GHashTable  **metadata,
                  GError      **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = read_file_bytes (path, error);
  if (bytes == NULL)
    return NULL;
  return ts_nn_model_load_bytes (bytes, path, metadata, error);
}

TsNnModel *
ts_nn_model_load_bytes (GBytes       *bytes,
                        const char   *path,
                        GHashTable  **metadata,
                        GError      **error)
{
  static const char * const no_prefix[] = { "" };
  TsNnModel *model = NULL;

  if (!ts_nn_models_load_bytes (bytes, path, no_prefix, 1, &model, metadata, error))
    return NULL;
  return model;
}

gboolean
ts_nn_models_load (const char          *path,
                   const char * const  *prefixes,
                   guint                n_models,
                   TsNnModel          **models,
                   GHashTable         **metadata,
                   GError             **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  bytes = read_file_bytes (path, error);
  if (bytes == NULL)
    return FALSE;
  return ts_nn_models_load_bytes (bytes, path, prefixes, n_models, models, metadata, error);
}

/* The architecture under @prefix, checked against the file before
 * anything is allocated for it (a few bytes of JSON may ask for gigabytes
 * of parameters, which the file would have to hold), planned but not
 * built. */
static TsNnModel *
plan_model (TsNnTensorFile *file,
            const char     *prefix,
            const char     *path,
            GError        **error)
{
  g_autofree char *key = architecture_key (prefix);
  const char *arch = g_hash_table_lookup (file->metadata, key);
  g_autoptr(TsNnModel) model = NULL;
  g_autoptr(GError) local = NULL;

  if (arch == NULL)
    {
      refuse (error, path, "it holds no Tunescope architecture in __metadata__[\"%s\"]", key);
      return NULL;
    }
  model = model_from_json (arch, &local);
  if (model == NULL || !ts_nn_model_plan (model, &local))
    {
      refuse (error, path, "%s", local->message);
      return NULL;
    }
  return g_steal_pointer (&model);
}

/* Builds @model and copies its tensors ("<prefix><name>") from @file. */
static gboolean
fill_model (TsNnModel      *model,
            TsNnTensorFile *file,
            const char     *prefix,
            const char     *path,
            GError        **error)
{
  g_autoptr(GError) local = NULL;

  if (!ts_nn_model_build (model, 0, &local))
    return refuse (error, path, "%s", local->message);
  for (guint i = 0; i < model->tensors->len; i++)
    {
      const TsNnTensorView *v = ts_nn_model_get_tensor (model, i);
      g_autofree char *name = g_strconcat (prefix, v->name, NULL);
      const TsNnTensor *t = g_hash_table_lookup (file->tensors, name);

      if (t == NULL)
        return refuse (error, path, "tensor “%s” is missing", name);
      if (t->ndim != v->ndim || memcmp (t->shape, v->shape, sizeof (int) * v->ndim) != 0)
        return refuse (error, path, "tensor “%s” does not have the architecture's shape", name);
      memcpy (v->data, t->data, sizeof (float) * v->size);
    }
  return TRUE;
}

gboolean
ts_nn_models_load_bytes (GBytes              *bytes,
                         const char          *path,
                         const char * const  *prefixes,
                         guint                n_models,
                         TsNnModel          **models,
                         GHashTable         **metadata,
                         GError             **error)
{
  g_autoptr(TsNnTensorFile) file = NULL;
  g_autoptr(GPtrArray) planned = g_ptr_array_new_with_free_func ((GDestroyNotify) ts_nn_model_free);
  gsize n_values = 0;
  guint n_tensors = 0;

  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (prefixes != NULL && models != NULL && n_models > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  file = ts_nn_tensor_file_read_bytes (bytes, path, error);
  if (file == NULL)
    return FALSE;
  if (g_strcmp0 (g_hash_table_lookup (file->metadata, "format"), FORMAT_NAME) != 0)
    return refuse (error, path, "it holds no Tunescope architecture in __metadata__");
  for (guint m = 0; m < n_models; m++)
    {
      TsNnModel *model = plan_model (file, prefixes[m], path, error);

      if (model == NULL)
        return FALSE;
      g_ptr_array_add (planned, model);
      n_values += model->n_params + model->n_buffers;
    }
  if (n_values != count_values (file))
    return refuse (error, path, "its architecture needs %" G_GSIZE_FORMAT " values where it "
                   "holds %" G_GSIZE_FORMAT, n_values, count_values (file));
  for (guint m = 0; m < n_models; m++)
    {
      if (!fill_model (planned->pdata[m], file, prefixes[m], path, error))
        return FALSE;
      n_tensors += ((TsNnModel *) planned->pdata[m])->tensors->len;
    }
  if (g_hash_table_size (file->tensors) != n_tensors)
    return refuse (error, path, "it has %u tensors where its architecture needs %u",
                   g_hash_table_size (file->tensors), n_tensors);
  for (guint m = 0; m < n_models; m++)
    models[m] = g_steal_pointer (&planned->pdata[m]);
  if (metadata != NULL)
    *metadata = g_hash_table_ref (file->metadata);
  return TRUE;
}

char *
ts_nn_model_default_path (const char *name)
{
  g_autofree char *file = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  file = g_strconcat (name, ".safetensors", NULL);
  return g_build_filename (g_get_user_data_dir (), "tunescope", "models", file, NULL);
}
