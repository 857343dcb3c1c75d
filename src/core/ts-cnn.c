/* ts-cnn.c: the cover-art model: options, preprocessing, the from-scratch
 * CNN, files and prediction (ts-cnn-pretrained.c has the backbone's heads)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-cnn"

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "ts-cnn-private.h"
#include "ts-error.h"
#include "ts-json-private.h"

/* 1: (v / 255 - 0.5) / 0.5, the from-scratch CNN's; 2: v / 255, the
 * backbone's. */
#define PREPROCESSING_VERSION      1
#define PREPROCESSING_VERSION_UNIT 2

static const char * const backbone_names[TS_CNN_N_BACKBONES] = { "none", "mobilenetv2" };

const char *
ts_cnn_backbone_get_name (TsCnnBackbone backbone)
{
  g_return_val_if_fail (backbone < TS_CNN_N_BACKBONES, NULL);

  return backbone_names[backbone];
}

gboolean
ts_cnn_backbone_from_name (const char    *name,
                           TsCnnBackbone *backbone)
{
  g_return_val_if_fail (name != NULL && backbone != NULL, FALSE);

  for (int b = 0; b < TS_CNN_N_BACKBONES; b++)
    if (g_ascii_strcasecmp (name, backbone_names[b]) == 0)
      {
        *backbone = (TsCnnBackbone) b;
        return TRUE;
      }
  return FALSE;
}

void
ts_cnn_options_init (TsCnnOptions *options)
{
  ts_cnn_options_init_for (options, TS_CNN_BACKBONE_MOBILENETV2);
}

void
ts_cnn_options_init_for (TsCnnOptions  *options,
                         TsCnnBackbone  backbone)
{
  g_return_if_fail (options != NULL);
  g_return_if_fail (backbone < TS_CNN_N_BACKBONES);

  *options = (TsCnnOptions) {
    .backbone = backbone,
    .image_size = 64, .blocks = 3, .filters = 16, .dense = 64, .dropout = 0.3f,
    .epochs = 15, .batch_size = 32, .lr = 1e-3f, .seed = 42, .val_split = 0.2f,
    .augment = 1, .patience = 5, .n_threads = 0, .weight_decay = 0.0f,
  };
  /* The heads see a few hundred vectors of 96 numbers: many short epochs,
   * early stopping on a slice of the training covers, and weight decay
   * against learning the covers by heart. */
  if (backbone == TS_CNN_BACKBONE_MOBILENETV2)
    {
      options->image_size = TS_CNN_BACKBONE_SIZE;
      options->epochs = 300;
      options->patience = 30;
      options->augment = 0;
      options->weight_decay = 0.01f;
    }
}

gboolean
ts_cnn_options_check (const TsCnnOptions  *o,
                      GError             **error)
{
  g_return_val_if_fail (o != NULL, FALSE);

  if (o->backbone >= TS_CNN_N_BACKBONES)
    return ts_error_set_invalid (error, "--backbone must be none or mobilenetv2");
  if (!(o->weight_decay >= 0.0f && o->weight_decay < 1.0f))
    return ts_error_set_invalid (error, "--weight-decay must be in [0, 1)");
  if (o->backbone == TS_CNN_BACKBONE_MOBILENETV2 && o->image_size != TS_CNN_BACKBONE_SIZE)
    return ts_error_set_invalid (error, "--image-size is for --backbone none; the pretrained "
                                 "backbone sees %d×%d", TS_CNN_BACKBONE_SIZE,
                                 TS_CNN_BACKBONE_SIZE);
  if (o->image_size < TS_CNN_MIN_IMAGE_SIZE || o->image_size > TS_CNN_MAX_IMAGE_SIZE)
    return ts_error_set_invalid (error, "--image-size must be from %d to %d",
                                 TS_CNN_MIN_IMAGE_SIZE, TS_CNN_MAX_IMAGE_SIZE);
  if (o->blocks < 1 || o->blocks > TS_CNN_MAX_BLOCKS || (o->image_size >> o->blocks) < 1)
    return ts_error_set_invalid (error, "--blocks must be from 1 to %d and leave at least "
                                 "one pixel", TS_CNN_MAX_BLOCKS);
  if (o->filters < 1 || o->filters > 256)
    return ts_error_set_invalid (error, "--filters must be from 1 to 256");
  if (o->dense < 1 || o->dense > 4096)
    return ts_error_set_invalid (error, "--dense must be from 1 to 4096");
  if (!(o->dropout >= 0.0f && o->dropout < 1.0f))
    return ts_error_set_invalid (error, "--dropout must be in [0, 1)");
  if (o->epochs < 1 || o->epochs > 10000)
    return ts_error_set_invalid (error, "--epochs must be from 1 to 10000");
  if (o->batch_size < 1 || o->batch_size > 65536)
    return ts_error_set_invalid (error, "--batch-size must be from 1 to 65536");
  if (!(o->lr > 0.0f && o->lr < 10.0f))
    return ts_error_set_invalid (error, "--lr must be in (0, 10)");
  if (!(o->val_split >= 0.0f && o->val_split < 1.0f))
    return ts_error_set_invalid (error, "--val-split must be in [0, 1)");
  if (o->augment < 0 || o->augment > 16)
    return ts_error_set_invalid (error, "--augment must be from 0 to 16");
  if (o->patience < 0 || o->patience > 10000)
    return ts_error_set_invalid (error, "--patience must be from 0 to 10000");
  if (o->n_threads < 0)
    return ts_error_set_invalid (error, "--threads must not be negative");
  return TRUE;
}

char *
ts_cnn_options_to_json (const TsCnnOptions *o)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (o != NULL, NULL);

  json_builder_begin_object (b);
  ts_json_add_string (b, "backbone", ts_cnn_backbone_get_name (o->backbone));
  ts_json_add_int (b, "image_size", o->image_size);
  ts_json_add_int (b, "blocks", o->blocks);
  ts_json_add_int (b, "filters", o->filters);
  ts_json_add_int (b, "dense", o->dense);
  ts_json_add_double (b, "dropout", o->dropout);
  ts_json_add_int (b, "epochs", o->epochs);
  ts_json_add_int (b, "batch_size", o->batch_size);
  ts_json_add_double (b, "lr", o->lr);
  ts_json_add_int (b, "seed", (gint64) o->seed);
  ts_json_add_double (b, "val_split", o->val_split);
  ts_json_add_int (b, "augment", o->augment);
  ts_json_add_int (b, "patience", o->patience);
  ts_json_add_double (b, "weight_decay", o->weight_decay);
  json_builder_end_object (b);
  return ts_json_builder_to_string (b);
}

char *
ts_cnn_report_to_json (const TsCnnReport *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (r != NULL, NULL);

  json_builder_begin_object (b);
  ts_json_add_int (b, "epochs_run", r->epochs_run);
  /* Without validation the last epoch is kept, and no epoch was "best". */
  json_builder_set_member_name (b, "best_epoch");
  if (r->n_val > 0)
    json_builder_add_int_value (b, r->best_epoch);
  else
    json_builder_add_null_value (b);
  ts_json_add_int (b, "train_images", r->n_train);
  ts_json_add_int (b, "val_images", r->n_val);
  ts_json_add_double (b, "loss", r->loss);
  ts_json_add_double (b, "val_mse", r->val_mse);
  ts_json_add_double (b, "baseline_mse", r->baseline_mse);
  ts_json_add_double (b, "seconds", r->seconds);
  json_builder_set_member_name (b, "features");
  json_builder_begin_object (b);
  for (int f = 0; f < TS_N_FEATURES; f++)
    {
      json_builder_set_member_name (b, ts_feature_get_name (f));
      json_builder_begin_object (b);
      ts_json_add_double (b, "val_mse", r->val_feature_mse[f]);
      ts_json_add_double (b, "baseline_mse", r->baseline_feature_mse[f]);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "genres");
  json_builder_begin_object (b);
  ts_json_add_int (b, "train_images", r->n_genre_train);
  ts_json_add_int (b, "val_images", r->n_genre_val);
  ts_json_add_double (b, "accuracy", r->genre_accuracy);
  ts_json_add_double (b, "baseline_accuracy", r->genre_baseline_accuracy);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return ts_json_builder_to_string (b);
}

TsNnModel *
ts_cnn_build_network (const TsCnnOptions  *o,
                      GError             **error)
{
  g_autoptr(TsNnModel) network = NULL;
  int filters;

  g_return_val_if_fail (o != NULL, NULL);

  if (!ts_cnn_options_check (o, error))
    return NULL;
  network = ts_nn_model_new (3, o->image_size, o->image_size);
  filters = o->filters;
  for (int k = 0; k < o->blocks; k++)
    {
      ts_nn_model_add_conv2d (network, filters, 3, 1, TS_NN_PADDING_SAME);
      ts_nn_model_add_batchnorm (network);
      ts_nn_model_add_activation (network, TS_NN_ACT_RELU);
      ts_nn_model_add_maxpool2d (network, 2, 2);
      filters = MIN (filters * 2, 256);
    }
  ts_nn_model_add_flatten (network);
  _ts_cnn_add_profile_output (network, o);
  if (!ts_nn_model_build (network, o->seed, error))
    return NULL;
  return g_steal_pointer (&network);
}

void
_ts_cnn_add_profile_output (TsNnModel          *network,
                            const TsCnnOptions *o)
{
  ts_nn_model_add_dense (network, o->dense);
  ts_nn_model_add_activation (network, TS_NN_ACT_RELU);
  if (o->dropout > 0.0f)
    ts_nn_model_add_dropout (network, o->dropout);
  ts_nn_model_add_dense (network, TS_N_FEATURES);
}

/* ---- Preprocessing ------------------------------------------------------ */

/* How one axis of @in pixels maps to @out: output pixel o is the
 * weighted sum of source pixels first[o] .. first[o] + count[o] - 1 with
 * weights weight[o * stride ..], which sum to 1. Shrinking (@area): each
 * output pixel averages the source span it covers, with exact fractional
 * weights at its ends (a box filter); growing: bilinear. */
typedef struct
{
  int     stride;
  int    *first;
  int    *count;
  double *weight;
} AxisTaps;

static void
axis_taps_clear (AxisTaps *t)
{
  g_free (t->first);
  g_free (t->count);
  g_free (t->weight);
}

static void
axis_taps_init (AxisTaps *t,
                int       in,
                int       out,
                gboolean  area)
{
  double scale = (double) in / out;

  t->stride = area ? (int) ceil (scale) + 1 : 2;
  t->first = g_new (int, out);
  t->count = g_new (int, out);
  t->weight = g_new0 (double, (gsize) out * t->stride);
  for (int o = 0; o < out; o++)
    {
      double *w = t->weight + (gsize) o * t->stride, sum = 0.0;

      if (area)
        {
          double a0 = o * scale, a1 = (o + 1) * scale;

          t->first[o] = (int) a0;
          t->count[o] = 0;
          for (int i = (int) a0; i < in && i < a1 && t->count[o] < t->stride; i++)
            sum += w[t->count[o]++] = MIN (i + 1.0, a1) - MAX ((double) i, a0);
        }
      else
        {
          double f = CLAMP ((o + 0.5) * scale - 0.5, 0.0, in - 1.0);
          int i0 = (int) f;

          t->first[o] = i0;
          t->count[o] = i0 + 1 < in ? 2 : 1;
          w[0] = 1.0 - (f - i0);
          w[1] = f - i0;
          sum = t->count[o] == 2 ? 1.0 : w[0];
        }
      for (int k = 0; k < t->count[o]; k++)
        w[k] = sum > 0.0 ? w[k] / sum : 0.0;
    }
}

/* One channel plane (h, w) floats → (size, size), separably: rows first,
 * then columns. Shrinking either side averages areas on both; otherwise
 * bilinear. */
static void
resize_plane (const float *src,
              int          w,
              int          h,
              float       *dst,
              int          size)
{
  gboolean area = w > size || h > size;
  AxisTaps tx, ty;
  g_autofree double *rows = g_new (double, (gsize) h * size);

  axis_taps_init (&tx, w, size, area);
  axis_taps_init (&ty, h, size, area);
  for (int y = 0; y < h; y++)
    for (int ox = 0; ox < size; ox++)
      {
        const float *line = src + (gsize) y * w + tx.first[ox];
        const double *wx = tx.weight + (gsize) ox * tx.stride;
        double acc = 0.0;

        for (int k = 0; k < tx.count[ox]; k++)
          acc += wx[k] * line[k];
        rows[(gsize) y * size + ox] = acc;
      }
  for (int oy = 0; oy < size; oy++)
    {
      const double *wy = ty.weight + (gsize) oy * ty.stride;

      for (int ox = 0; ox < size; ox++)
        {
          double acc = 0.0;

          for (int k = 0; k < ty.count[oy]; k++)
            acc += wy[k] * rows[(gsize) (ty.first[oy] + k) * size + ox];
          dst[(gsize) oy * size + ox] = (float) acc;
        }
    }
  axis_taps_clear (&tx);
  axis_taps_clear (&ty);
}

/* (v / 255 - @offset) / @scale per channel. */
static void
preprocess (TsImage *image,
            int      size,
            float    offset,
            float    scale,
            float   *out)
{
  guint w, h;
  gsize stride, bpp;
  GBytes *bytes;
  const guint8 *pixels;
  g_autofree float *planes = NULL;

  g_return_if_fail (image != NULL && out != NULL && size > 0);

  w = ts_image_get_width (image);
  h = ts_image_get_height (image);
  stride = ts_image_get_stride (image);
  bpp = ts_image_get_has_alpha (image) ? 4 : 3;
  bytes = ts_image_get_pixels (image);
  pixels = g_bytes_get_data (bytes, NULL);
  planes = g_new (float, (gsize) 3 * w * h);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        const guint8 *p = pixels + y * stride + x * bpp;
        float alpha = bpp == 4 ? p[3] / 255.0f : 1.0f;

        for (int c = 0; c < 3; c++)
          planes[(gsize) c * w * h + (gsize) y * w + x] = p[c] * alpha;
      }
  for (int c = 0; c < 3; c++)
    {
      float *plane = out + (gsize) c * size * size;

      resize_plane (planes + (gsize) c * w * h, (int) w, (int) h, plane, size);
      for (int i = 0; i < size * size; i++)
        plane[i] = (plane[i] / 255.0f - offset) / scale;
    }
}

void
ts_cnn_preprocess (TsImage *image,
                   int      size,
                   float   *out)
{
  preprocess (image, size, 0.5f, 0.5f, out);
}

void
ts_cnn_preprocess_unit (TsImage *image,
                        int      size,
                        float   *out)
{
  preprocess (image, size, 0.0f, 1.0f, out);
}

float *
ts_cnn_load_image (const char  *path,
                   int          size,
                   GError     **error)
{
  g_autoptr(TsImage) image = NULL;
  float *out;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (size > 0, NULL);

  /* A scaled JPEG decode down to about twice the side, then the area
   * average does the rest. */
  image = ts_image_load_file (path, (guint) size * 2, error);
  if (image == NULL)
    return NULL;
  out = g_new (float, (gsize) 3 * size * size);
  ts_cnn_preprocess (image, size, out);
  return out;
}

gboolean
ts_cnn_load_covers (TsCoverManifest  *manifest,
                    int               size,
                    TsProgressFunc    progress,
                    gpointer          user_data,
                    GCancellable     *cancellable,
                    float           **images,
                    float           **targets,
                    int              *n,
                    GPtrArray       **unreadable,
                    GError          **error)
{
  guint total;
  gsize isz;
  g_autofree float *x = NULL;
  g_autofree float *y = NULL;
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func (g_free);
  int count = 0;

  g_return_val_if_fail (manifest != NULL, FALSE);
  g_return_val_if_fail (size > 0, FALSE);
  g_return_val_if_fail (images != NULL && targets != NULL && n != NULL, FALSE);

  total = ts_cover_manifest_get_n_entries (manifest);
  isz = (gsize) 3 * size * size;
  x = g_new (float, isz * MAX (total, 1));
  y = g_new (float, (gsize) TS_N_FEATURES * MAX (total, 1));
  for (guint i = 0; i < total; i++)
    {
      const TsCoverEntry *e = ts_cover_manifest_get_entry (manifest, i);
      g_autoptr(GError) local = NULL;
      g_autofree float *chw = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      chw = ts_cnn_load_image (e->file, size, &local);
      if (chw == NULL)
        g_ptr_array_add (skipped, g_strdup_printf ("%s: %s", e->file, local->message));
      else
        {
          memcpy (x + isz * count, chw, sizeof (float) * isz);
          memcpy (y + (gsize) TS_N_FEATURES * count, e->features, sizeof e->features);
          count++;
        }
      if (progress != NULL)
        progress ((double) (i + 1) / total, e->file, user_data);
    }
  *images = g_steal_pointer (&x);
  *targets = g_steal_pointer (&y);
  *n = count;
  if (unreadable != NULL)
    *unreadable = g_steal_pointer (&skipped);
  return TRUE;
}

void
ts_cnn_augment (float   *chw,
                int      size,
                TsNnRng *rng)
{
  gsize plane = (gsize) size * size;
  g_autofree float *crop = NULL;
  int side, ox, oy;
  float brightness, contrast;

  g_return_if_fail (chw != NULL && rng != NULL && size > 0);

  if (ts_nn_rng_uniform (rng) < 0.5f)
    for (int c = 0; c < 3; c++)
      for (int y = 0; y < size; y++)
        {
          float *row = chw + c * plane + (gsize) y * size;

          for (int x = 0; x < size / 2; x++)
            {
              float t = row[x];

              row[x] = row[size - 1 - x];
              row[size - 1 - x] = t;
            }
        }

  side = (int) lrintf (size * (0.8f + 0.2f * ts_nn_rng_uniform (rng)));
  side = CLAMP (side, 1, size);
  ox = (int) ts_nn_rng_below (rng, (guint) (size - side + 1));
  oy = (int) ts_nn_rng_below (rng, (guint) (size - side + 1));
  if (side < size)
    {
      crop = g_new (float, (gsize) side * side);
      for (int c = 0; c < 3; c++)
        {
          for (int y = 0; y < side; y++)
            memcpy (crop + (gsize) y * side, chw + c * plane + (gsize) (oy + y) * size + ox,
                    sizeof (float) * side);
          resize_plane (crop, side, side, chw + c * plane, size);
        }
    }

  brightness = 0.2f * (ts_nn_rng_uniform (rng) - 0.5f);
  contrast = 1.0f + 0.2f * (ts_nn_rng_uniform (rng) - 0.5f);
  for (int c = 0; c < 3; c++)
    {
      float shift = brightness + 0.1f * (ts_nn_rng_uniform (rng) - 0.5f);
      float *p = chw + c * plane;

      for (gsize i = 0; i < plane; i++)
        p[i] = CLAMP (p[i] * contrast + shift, -1.0f, 1.0f);
    }
}

/* ---- Training ------------------------------------------------------------ */

static char *
dup_outputs_json (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (int f = 0; f < TS_N_FEATURES; f++)
    json_builder_add_string_value (b, ts_feature_get_name (f));
  json_builder_end_array (b);
  return ts_json_builder_to_string (b);
}

static char *
dup_preprocessing_json (int      size,
                        gboolean unit)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  ts_json_add_int (b, "version", unit ? PREPROCESSING_VERSION_UNIT : PREPROCESSING_VERSION);
  ts_json_add_int (b, "width", size);
  ts_json_add_int (b, "height", size);
  json_builder_set_member_name (b, "channels");
  json_builder_add_string_value (b, "RGB");
  json_builder_set_member_name (b, "layout");
  json_builder_add_string_value (b, "CHW");
  json_builder_set_member_name (b, "alpha");
  json_builder_add_string_value (b, "over-black");
  json_builder_set_member_name (b, "resize");
  json_builder_add_string_value (b, "area-down-bilinear-up");
  ts_json_add_double (b, "scale", 1.0 / 255.0);
  ts_json_add_double (b, "mean", unit ? 0.0 : 0.5);
  ts_json_add_double (b, "std", unit ? 1.0 : 0.5);
  json_builder_end_object (b);
  return ts_json_builder_to_string (b);
}

static char *
dup_genres_json (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (int g = 0; g < TS_COVER_N_GENRES; g++)
    json_builder_add_string_value (b, ts_cover_genre_get_name (g));
  json_builder_end_array (b);
  return ts_json_builder_to_string (b);
}

GHashTable *
_ts_cnn_new_metadata (TsCnn *self)
{
  GHashTable *metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gboolean pretrained = self->backbone != TS_CNN_BACKBONE_NONE;

  g_hash_table_insert (metadata, g_strdup ("model"), g_strdup ("cnn"));
  g_hash_table_insert (metadata, g_strdup ("preprocessing"),
                       dup_preprocessing_json (self->options.image_size, pretrained));
  g_hash_table_insert (metadata, g_strdup ("outputs"), dup_outputs_json ());
  g_hash_table_insert (metadata, g_strdup ("training"), ts_cnn_options_to_json (&self->options));
  g_hash_table_insert (metadata, g_strdup ("validation"), ts_cnn_report_to_json (&self->report));
  if (pretrained)
    {
      TsNnBackbone *backbone = ts_cnn_get_backbone (NULL);

      g_hash_table_insert (metadata, g_strdup ("backbone"),
                           g_strdup (ts_cnn_backbone_get_name (self->backbone)));
      g_hash_table_insert (metadata, g_strdup ("backbone_sha256"),
                           g_strdup (ts_nn_backbone_get_metadata (backbone, "source_sha256")));
      g_hash_table_insert (metadata, g_strdup ("feature_layer"), g_strdup (TS_CNN_FEATURE_LAYER));
      g_hash_table_insert (metadata, g_strdup ("genres"), dup_genres_json ());
    }
  return metadata;
}

void
_ts_cnn_start_at_mean (TsNnModel    *network,
                       const double *mean,
                       int           n)
{
  int last = ts_nn_model_get_n_layers (network) - 1;
  g_autofree char *weight_name = NULL;
  g_autofree char *bias_name = NULL;
  const TsNnTensorView *weight, *bias;

  /* The last Dense: an activation (a sigmoid) may follow it. */
  while (last > 0 && ts_nn_model_get_layer (network, last)->kind != TS_NN_LAYER_DENSE)
    last--;
  weight_name = g_strdup_printf ("layers.%d.weight", last);
  bias_name = g_strdup_printf ("layers.%d.bias", last);
  weight = ts_nn_model_find_tensor (network, weight_name);
  bias = ts_nn_model_find_tensor (network, bias_name);
  g_return_if_fail (weight != NULL && bias != NULL && bias->size == (gsize) n);

  for (gsize i = 0; i < weight->size; i++)
    weight->data[i] *= 0.1f;
  for (int f = 0; f < n; f++)
    bias->data[f] = (float) mean[f];
}

TsCnn *
ts_cnn_train (const float         *images,
              const float         *targets,
              int                  n,
              const TsCnnOptions  *options,
              TsNnEpochFunc        callback,
              gpointer             user_data,
              GCancellable        *cancellable,
              GError             **error)
{
  g_autoptr(TsNnModel) network = NULL;
  g_autofree guint *idx = NULL;
  g_autofree float *x = NULL, *y = NULL, *val_pred = NULL, *vx = NULL, *vy = NULL;
  TsNnTrainOptions train;
  TsNnEpochInfo info = { 0 };
  TsCnnReport report = { 0 };
  TsNnRng rng;
  gsize isz;
  int n_val, n_train, copies, n_x;
  double mean[TS_N_FEATURES] = { 0 };
  gint64 start;
  TsCnn *self;

  g_return_val_if_fail (images != NULL && targets != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  if (!ts_cnn_options_check (options, error))
    return NULL;
  g_return_val_if_fail (options->backbone == TS_CNN_BACKBONE_NONE, NULL);
  if (n < 2)
    {
      ts_error_set_invalid (error, "training needs at least 2 images, there are %d", n);
      return NULL;
    }
  network = ts_cnn_build_network (options, error);
  if (network == NULL)
    return NULL;

  isz = (gsize) 3 * options->image_size * options->image_size;
  ts_nn_rng_init (&rng, options->seed);
  idx = g_new (guint, n);
  for (int i = 0; i < n; i++)
    idx[i] = (guint) i;
  ts_nn_rng_shuffle (&rng, idx, (guint) n);
  n_val = (int) (n * options->val_split);
  if (options->val_split > 0.0f && n_val == 0)
    n_val = 1;
  n_train = n - n_val;

  /* The training images and their augmented copies; the validation
   * images stay as they are. */
  copies = 1 + options->augment;
  n_x = n_train * copies;
  x = g_new (float, (gsize) n_x * isz);
  y = g_new (float, (gsize) n_x * TS_N_FEATURES);
  for (int k = 0; k < copies; k++)
    for (int i = 0; i < n_train; i++)
      {
        gsize row = (gsize) k * n_train + i;

        memcpy (x + row * isz, images + idx[i] * isz, sizeof (float) * isz);
        memcpy (y + row * TS_N_FEATURES, targets + (gsize) idx[i] * TS_N_FEATURES,
                sizeof (float) * TS_N_FEATURES);
        if (k > 0)
          ts_cnn_augment (x + row * isz, options->image_size, &rng);
      }

  /* The output starts at the training mean (the baseline), with small
   * weights: a few hundred steps then only have to learn what the
   * picture adds, not the scale of each feature. */
  for (int i = 0; i < n_train; i++)
    for (int f = 0; f < TS_N_FEATURES; f++)
      mean[f] += targets[(gsize) idx[i] * TS_N_FEATURES + f] / n_train;
  _ts_cnn_start_at_mean (network, mean, TS_N_FEATURES);

  ts_nn_train_options_init (&train);
  train.epochs = options->epochs;
  train.batch_size = options->batch_size;
  train.val_split = 0.0f;
  train.patience = options->patience;
  train.seed = options->seed;
  train.n_threads = options->n_threads;
  ts_nn_optim_config_init (&train.optim, TS_NN_OPT_ADAM, options->lr);

  /* The held-out images, unaugmented: early stopping watches them. */
  if (n_val > 0)
    {
      vx = g_new (float, (gsize) n_val * isz);
      vy = g_new (float, (gsize) n_val * TS_N_FEATURES);
      for (int i = 0; i < n_val; i++)
        {
          memcpy (vx + i * isz, images + idx[n_train + i] * isz, sizeof (float) * isz);
          memcpy (vy + (gsize) i * TS_N_FEATURES,
                  targets + (gsize) idx[n_train + i] * TS_N_FEATURES,
                  sizeof (float) * TS_N_FEATURES);
        }
      train.val_x = vx;
      train.val_y = vy;
      train.n_val = n_val;
    }

  start = g_get_monotonic_time ();
  if (!ts_nn_model_fit (network, x, y, n_x, &train, callback, user_data, cancellable,
                        &info, error))
    return NULL;
  report.seconds = (g_get_monotonic_time () - start) / 1e6;
  report.epochs_run = info.epoch;
  report.best_epoch = info.best_epoch;
  report.loss = info.loss;
  report.n_train = n_train;
  report.n_val = n_val;

  if (n_val > 0)
    {
      val_pred = g_new (float, (gsize) n_val * TS_N_FEATURES);
      if (!ts_nn_model_predict (network, vx, n_val, -1, val_pred, error))
        return NULL;
      for (int i = 0; i < n_val; i++)
        for (int f = 0; f < TS_N_FEATURES; f++)
          {
            double t = targets[(gsize) idx[n_train + i] * TS_N_FEATURES + f];
            double p = CLAMP (val_pred[(gsize) i * TS_N_FEATURES + f], 0.0f, 1.0f);

            report.val_feature_mse[f] += (p - t) * (p - t) / n_val;
            report.baseline_feature_mse[f] += (mean[f] - t) * (mean[f] - t) / n_val;
          }
      for (int f = 0; f < TS_N_FEATURES; f++)
        {
          report.val_mse += report.val_feature_mse[f] / TS_N_FEATURES;
          report.baseline_mse += report.baseline_feature_mse[f] / TS_N_FEATURES;
        }
    }
  else
    {
      report.val_mse = report.baseline_mse = NAN;
      for (int f = 0; f < TS_N_FEATURES; f++)
        report.val_feature_mse[f] = report.baseline_feature_mse[f] = NAN;
    }

  self = g_new0 (TsCnn, 1);
  self->backbone = TS_CNN_BACKBONE_NONE;
  self->network = g_steal_pointer (&network);
  self->options = *options;
  self->report = report;
  self->metadata = _ts_cnn_new_metadata (self);
  return self;
}

/* ---- Files ----------------------------------------------------------------- */

char *
ts_cnn_default_path (void)
{
  return ts_nn_model_default_path ("cnn");
}

gboolean
ts_cnn_save (TsCnn       *self,
             const char  *path,
             GError     **error)
{
  static const char * const prefixes[] = { "", TS_CNN_GENRE_PREFIX };
  TsNnModel *models[2];

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  models[0] = self->network;
  models[1] = self->genre_head;
  return ts_nn_models_save (models, prefixes, self->genre_head != NULL ? 2 : 1, path,
                            self->metadata, error);
}

/* The options the file was trained with, over the defaults. */
static void
read_options (TsCnn      *self,
              JsonObject *train)
{
  TsCnnOptions *o = &self->options;

  ts_cnn_options_init_for (o, self->backbone);
  o->blocks = (int) ts_json_get_double (train, "blocks", o->blocks);
  o->filters = (int) ts_json_get_double (train, "filters", o->filters);
  o->dense = (int) ts_json_get_double (train, "dense", o->dense);
  o->dropout = (float) ts_json_get_double (train, "dropout", o->dropout);
  o->epochs = (int) ts_json_get_double (train, "epochs", o->epochs);
  o->batch_size = (int) ts_json_get_double (train, "batch_size", o->batch_size);
  o->lr = (float) ts_json_get_double (train, "lr", o->lr);
  o->val_split = (float) ts_json_get_double (train, "val_split", o->val_split);
  o->augment = (int) ts_json_get_double (train, "augment", o->augment);
  o->patience = (int) ts_json_get_double (train, "patience", o->patience);
  o->weight_decay = (float) ts_json_get_double (train, "weight_decay", o->weight_decay);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  if (object == NULL || !json_object_has_member (object, name)
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, name)))
    return NULL;
  return json_object_get_object_member (object, name);
}

/* The figures the file was trained to; NAN where absent. */
static void
read_report (TsCnn      *self,
             JsonObject *val)
{
  TsCnnReport *r = &self->report;
  JsonObject *features = member_object (val, "features");
  JsonObject *genres = member_object (val, "genres");

  r->epochs_run = (int) ts_json_get_double (val, "epochs_run", 0);
  r->best_epoch = (int) ts_json_get_double (val, "best_epoch", 0);
  r->n_train = (int) ts_json_get_double (val, "train_images", 0);
  r->n_val = (int) ts_json_get_double (val, "val_images", 0);
  r->loss = ts_json_get_double (val, "loss", NAN);
  r->val_mse = ts_json_get_double (val, "val_mse", NAN);
  r->baseline_mse = ts_json_get_double (val, "baseline_mse", NAN);
  r->seconds = ts_json_get_double (val, "seconds", NAN);
  for (int f = 0; f < TS_N_FEATURES; f++)
    {
      JsonObject *one = member_object (features, ts_feature_get_name (f));

      r->val_feature_mse[f] = ts_json_get_double (one, "val_mse", NAN);
      r->baseline_feature_mse[f] = ts_json_get_double (one, "baseline_mse", NAN);
    }
  r->n_genre_train = (int) ts_json_get_double (genres, "train_images", 0);
  r->n_genre_val = (int) ts_json_get_double (genres, "val_images", 0);
  r->genre_accuracy = ts_json_get_double (genres, "accuracy", NAN);
  r->genre_baseline_accuracy = ts_json_get_double (genres, "baseline_accuracy", NAN);
}

/* The networks fit what the preprocessing and backbone say they map. */
static gboolean
check_shapes (TsCnn       *self,
              const char  *path,
              int          size,
              GError     **error)
{
  if (self->backbone == TS_CNN_BACKBONE_NONE)
    {
      if (ts_nn_model_get_input_size (self->network) != 3 * size * size
          || ts_nn_model_get_output_size (self->network) != TS_N_FEATURES)
        return ts_error_set_invalid (error, "%s: the network does not map a %d×%d RGB image "
                                     "to %d features", path, size, size, TS_N_FEATURES);
      return TRUE;
    }
  {
    g_autoptr(GError) local = NULL;
    TsNnBackbone *backbone = ts_cnn_get_backbone (&local);
    int dim;

    if (backbone == NULL)
      return ts_error_set_invalid (error, "%s needs the pretrained backbone: %s", path,
                                   local->message);
    dim = ts_cnn_get_feature_dim (backbone);
    if (size != TS_CNN_BACKBONE_SIZE
        || g_strcmp0 (g_hash_table_lookup (self->metadata, "feature_layer"),
                      TS_CNN_FEATURE_LAYER) != 0
        || ts_nn_model_get_input_size (self->network) != dim
        || ts_nn_model_get_output_size (self->network) != TS_N_FEATURES
        || (self->genre_head != NULL
            && (ts_nn_model_get_input_size (self->genre_head) != dim
                || ts_nn_model_get_output_size (self->genre_head) != TS_COVER_N_GENRES)))
      return ts_error_set_invalid (error, "%s: its heads do not fit this version's backbone "
                                   "(%d features of %s); train it again", path, dim,
                                   TS_CNN_FEATURE_LAYER);
  }
  return TRUE;
}

TsCnn *
ts_cnn_load (const char  *path,
             GError     **error)
{
  static const char * const prefixes[] = { "", TS_CNN_GENRE_PREFIX };
  g_autoptr(TsCnn) self = g_new0 (TsCnn, 1);
  g_autoptr(GHashTable) metadata = NULL;
  g_autoptr(JsonParser) pre_parser = json_parser_new ();
  g_autoptr(JsonParser) train_parser = json_parser_new ();
  g_autoptr(JsonParser) val_parser = json_parser_new ();
  TsNnModel *models[2] = { NULL, NULL };
  g_autoptr(GError) first = NULL;
  JsonObject *pre;
  const char *kind, *backbone;
  int size, version;

  g_return_val_if_fail (path != NULL, NULL);

  /* One model first: that reads every file of ours, and its error is the
   * one to show when the file is no model at all. A pretrained model's
   * file holds its genre head too. */
  self->network = ts_nn_model_load (path, &metadata, &first);
  if (self->network == NULL)
    {
      if (!g_error_matches (first, TS_ERROR, TS_ERROR_INVALID_INPUT)
          || !ts_nn_models_load (path, prefixes, 2, models, &metadata, NULL))
        {
          g_propagate_error (error, g_steal_pointer (&first));
          return NULL;
        }
      self->network = models[0];
      self->genre_head = models[1];
    }
  kind = g_hash_table_lookup (metadata, "model");
  if (g_strcmp0 (kind, "cnn") != 0)
    {
      ts_error_set_invalid (error, "%s is not a cover-art CNN (its model is “%s”)", path,
                            kind != NULL ? kind : "unnamed");
      return NULL;
    }
  backbone = g_hash_table_lookup (metadata, "backbone");
  self->backbone = TS_CNN_BACKBONE_NONE;
  if (backbone != NULL && (!ts_cnn_backbone_from_name (backbone, &self->backbone)
                           || self->backbone == TS_CNN_BACKBONE_NONE))
    {
      ts_error_set_invalid (error, "%s needs the backbone “%s”, which this version does not "
                            "have", path, backbone);
      return NULL;
    }
  self->metadata = g_steal_pointer (&metadata);

  pre = ts_json_parse_object (pre_parser, g_hash_table_lookup (self->metadata, "preprocessing"));
  size = (int) ts_json_get_double (pre, "width", -1);
  version = (int) ts_json_get_double (pre, "version", -1);
  if (pre == NULL
      || version != (self->backbone == TS_CNN_BACKBONE_NONE ? PREPROCESSING_VERSION
                                                             : PREPROCESSING_VERSION_UNIT)
      || size < TS_CNN_MIN_IMAGE_SIZE || size > TS_CNN_MAX_IMAGE_SIZE
      || ts_json_get_double (pre, "height", -1) != size)
    {
      ts_error_set_invalid (error, "%s has no preprocessing this version understands", path);
      return NULL;
    }
  if (!check_shapes (self, path, size, error))
    return NULL;

  read_options (self, ts_json_parse_object (train_parser,
                                            g_hash_table_lookup (self->metadata, "training")));
  self->options.image_size = size;
  read_report (self, ts_json_parse_object (val_parser,
                                           g_hash_table_lookup (self->metadata, "validation")));
  return g_steal_pointer (&self);
}

void
ts_cnn_free (TsCnn *self)
{
  if (self == NULL)
    return;
  ts_nn_model_free (self->network);
  ts_nn_model_free (self->genre_head);
  g_clear_pointer (&self->metadata, g_hash_table_unref);
  g_free (self);
}

int
ts_cnn_get_image_size (TsCnn *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->options.image_size;
}

TsNnModel *
ts_cnn_get_network (TsCnn *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->network;
}

const TsCnnOptions *
ts_cnn_get_options (TsCnn *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->options;
}

const TsCnnReport *
ts_cnn_get_report (TsCnn *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->report;
}

TsCnnBackbone
ts_cnn_get_backbone_kind (TsCnn *self)
{
  g_return_val_if_fail (self != NULL, TS_CNN_BACKBONE_NONE);
  return self->backbone;
}

gboolean
ts_cnn_predict (TsCnn        *self,
                const float  *chw,
                float        *out,
                GError      **error)
{
  g_return_val_if_fail (self != NULL && chw != NULL && out != NULL, FALSE);
  g_return_val_if_fail (self->backbone == TS_CNN_BACKBONE_NONE, FALSE);

  if (!ts_nn_model_predict (self->network, chw, 1, -1, out, error))
    return FALSE;
  for (int f = 0; f < TS_N_FEATURES; f++)
    out[f] = isfinite (out[f]) ? CLAMP (out[f], 0.0f, 1.0f) : 0.5f;
  return TRUE;
}

gboolean
ts_cnn_predict_image (TsCnn            *self,
                      TsImage          *image,
                      TsCnnPrediction  *out,
                      GError          **error)
{
  int size;
  g_autofree float *input = NULL;

  g_return_val_if_fail (self != NULL && image != NULL && out != NULL, FALSE);

  *out = (TsCnnPrediction) { 0 };
  size = self->options.image_size;
  if (self->backbone == TS_CNN_BACKBONE_NONE)
    {
      input = g_new (float, (gsize) 3 * size * size);
      ts_cnn_preprocess (image, size, input);
      return ts_cnn_predict (self, input, out->profile, error);
    }
  {
    TsNnBackbone *backbone = ts_cnn_get_backbone (error);

    if (backbone == NULL)
      return FALSE;
    input = g_new (float, ts_cnn_get_feature_dim (backbone));
    ts_cnn_image_features (backbone, image, input);
    _ts_cnn_predict_heads (self, input, out);
  }
  return TRUE;
}

gboolean
ts_cnn_predict_path (TsCnn            *self,
                     const char       *path,
                     TsCnnPrediction  *out,
                     GError          **error)
{
  g_autoptr(TsImage) image = NULL;

  g_return_val_if_fail (self != NULL && path != NULL && out != NULL, FALSE);

  /* A scaled JPEG decode down to about twice the side, then the area
   * average does the rest. */
  image = ts_image_load_file (path, (guint) self->options.image_size * 2, error);
  return image != NULL && ts_cnn_predict_image (self, image, out, error);
}

gboolean
ts_cnn_predict_file (TsCnn       *self,
                     const char  *path,
                     float       *out,
                     GError     **error)
{
  TsCnnPrediction prediction;

  g_return_val_if_fail (self != NULL && path != NULL && out != NULL, FALSE);

  if (!ts_cnn_predict_path (self, path, &prediction, error))
    return FALSE;
  memcpy (out, prediction.profile, sizeof prediction.profile);
  return TRUE;
}

TsCnn *
ts_cnn_train_covers (TsCoverManifest     *manifest,
                     const TsCnnOptions  *options,
                     TsProgressFunc       read_progress,
                     gpointer             read_data,
                     TsNnEpochFunc        callback,
                     gpointer             user_data,
                     GCancellable        *cancellable,
                     GPtrArray          **unreadable,
                     GError             **error)
{
  g_autofree float *images = NULL;
  g_autofree float *targets = NULL;
  int n = 0;

  g_return_val_if_fail (manifest != NULL && options != NULL, NULL);

  if (!ts_cnn_options_check (options, error))
    return NULL;
  if (options->backbone != TS_CNN_BACKBONE_NONE)
    return _ts_cnn_train_heads (manifest, options, read_progress, read_data, callback,
                                user_data, cancellable, unreadable, error);
  if (!ts_cnn_load_covers (manifest, options->image_size, read_progress, read_data, cancellable,
                           &images, &targets, &n, unreadable, error))
    return NULL;
  return ts_cnn_train (images, targets, n, options, callback, user_data, cancellable, error);
}

void
ts_cnn_prediction_rank_genres (const TsCnnPrediction *p,
                               int                    order[TS_COVER_N_GENRES])
{
  g_return_if_fail (p != NULL && order != NULL);

  for (int g = 0; g < TS_COVER_N_GENRES; g++)
    order[g] = g;
  /* Insertion sort, stable: equal genres keep their order. */
  for (int i = 1; i < TS_COVER_N_GENRES; i++)
    for (int k = i; k > 0 && p->genres[order[k]] > p->genres[order[k - 1]]; k--)
      {
        int t = order[k];

        order[k] = order[k - 1];
        order[k - 1] = t;
      }
}

GArray *
ts_cnn_search (TsSimilar             *similar,
               const TsCnnPrediction *prediction,
               guint                  limit,
               gboolean              *steered,
               GError               **error)
{
  TsDataset *dataset;
  TsFeature features[TS_N_FEATURES];
  double values[TS_N_FEATURES];
  g_autofree float *costs = NULL;

  g_return_val_if_fail (similar != NULL && prediction != NULL, NULL);

  dataset = ts_similar_get_dataset (similar);
  for (int f = 0; f < TS_N_FEATURES; f++)
    {
      double min, max;

      ts_dataset_get_feature_range (dataset, f, &min, &max);
      features[f] = f;
      values[f] = min + prediction->profile[f] * (max - min);
    }
  if (prediction->has_genres)
    costs = ts_cover_genres_row_costs (dataset, prediction->genres);
  if (steered != NULL)
    *steered = costs != NULL;
  if (costs == NULL)
    return ts_similar_features (similar, -1, features, values, TS_N_FEATURES, limit, error);
  return ts_similar_features_steered (similar, features, values, TS_N_FEATURES, costs, limit,
                                      error);
}
