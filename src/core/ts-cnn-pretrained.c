/* ts-cnn-pretrained.c: the cover-art model on the pretrained backbone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Data flow: each cover of the manifest → decoded, resized to 224 × 224,
 * pixels / 255 → MobileNetV2 up to block 10 (ts-nn-backbone.c) → its 96
 * channels averaged over the picture: the cover's features. Features are
 * cached by file (path, size and modification time) with the backbone's
 * checksum, so retraining decodes only new covers.
 *
 * Two heads learn from the features of the covers not held out:
 *   profile  Normalization → Dense → ReLU → Dropout → Dense(13), MSE,
 *            against each cover's target (its genre's profile, or its
 *            song's features);
 *   genre    Normalization → Dense(10) → sigmoid, binary cross-entropy,
 *            one-vs-rest over the covers that have a genre.
 * Each stops early on a slice of its own training covers. The held-out
 * covers (a hash of the file name, the same in every run) are only ever
 * used for the report: the profile against the training mean, the genres
 * against always answering the most common training genre.
 */

#define G_LOG_DOMAIN "ts-cnn"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tunescope-core-models.h"
#include "ts-cnn-private.h"
#include "ts-error.h"
#include "ts-json-private.h"

#define BACKBONE_RESOURCE "/io/github/tunescope/Tunescope/models/mobilenetv2.safetensors"
#define CACHE_FORMAT      "tunescope-cover-features-1"
/* Bumped whenever the pixels the backbone sees change (decode, resize):
 * features cached before are then computed again. */
#define CACHE_PREPROCESSING "2"
/* The slice of the training covers early stopping watches. */
#define STOP_SPLIT        0.15f
/* Fewer genre-labelled covers than this teach a genre head nothing. */
#define MIN_GENRE_COVERS  20
/* Fewer held-out genre covers than this cannot show it beats its baseline. */
#define MIN_GENRE_VAL     10

/* ---- the backbone ------------------------------------------------------- */

TsNnBackbone *
ts_cnn_get_backbone (GError **error)
{
  static GMutex lock;
  static TsNnBackbone *backbone;
  static char *failure;
  /* Held to the end of the function (clang sees no use of it). */
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);

  if (backbone == NULL && failure == NULL)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(GBytes) bytes = g_resource_lookup_data (ts_core_models_get_resource (),
                                                        BACKBONE_RESOURCE, 0, &local);

      if (bytes != NULL)
        backbone = ts_nn_backbone_load_bytes (bytes, BACKBONE_RESOURCE, &local);
      if (backbone == NULL)
        failure = g_strdup (local->message);
    }
  if (backbone == NULL)
    g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT, "the pretrained image network "
                 "cannot be loaded: %s", failure);
  return backbone;
}

static int
feature_op (TsNnBackbone *backbone)
{
  return ts_nn_backbone_find_op (backbone, TS_CNN_FEATURE_LAYER);
}

int
ts_cnn_get_feature_dim (TsNnBackbone *backbone)
{
  int c = 0;

  g_return_val_if_fail (backbone != NULL, 0);
  g_return_val_if_fail (feature_op (backbone) >= 0, 0);

  ts_nn_backbone_get_op_shape (backbone, feature_op (backbone), &c, NULL, NULL);
  return c;
}

void
ts_cnn_image_features (TsNnBackbone *backbone,
                       TsImage      *image,
                       float        *out)
{
  int op, c, h, w, size;
  g_autofree float *input = NULL;
  g_autofree float *plane = NULL;

  g_return_if_fail (backbone != NULL && image != NULL && out != NULL);

  op = feature_op (backbone);
  g_return_if_fail (op >= 0);
  ts_nn_backbone_get_input_shape (backbone, &c, &h, &w);
  g_return_if_fail (c == 3 && h == w);
  size = h;
  input = g_new (float, (gsize) 3 * size * size);
  ts_cnn_preprocess_unit (image, size, input);
  plane = g_new (float, ts_nn_backbone_get_op_shape (backbone, op, &c, &h, &w));
  ts_nn_backbone_forward (backbone, input, 1, &op, &plane);
  ts_nn_global_avgpool_forward (out, plane, 1, c, h * w);
}

/* ---- the feature cache --------------------------------------------------- */

typedef struct
{
  GHashTable *rows;     /* key → row + 1 */
  GPtrArray  *keys;     /* char*, one a row */
  GArray     *features; /* float, dim a row */
  int         dim;
  gboolean    changed;
} FeatureCache;

static void
feature_cache_clear (FeatureCache *cache)
{
  g_clear_pointer (&cache->rows, g_hash_table_unref);
  g_clear_pointer (&cache->keys, g_ptr_array_unref);
  g_clear_pointer (&cache->features, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FeatureCache, feature_cache_clear)

static char *
cache_path (void)
{
  g_autofree char *dir = ts_covers_default_dir ();

  return g_build_filename (dir, "features-mobilenetv2.safetensors", NULL);
}

/* The file as it is now: a changed file is another key. NULL when it
 * cannot be read. */
static char *
cache_key (const char *file)
{
  GStatBuf st;

  if (g_stat (file, &st) != 0)
    return NULL;
  return g_strdup_printf ("%s\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT, file,
                          (gint64) st.st_size, (gint64) st.st_mtime);
}

static void
cache_add (FeatureCache *cache,
           const char   *key,
           const float  *features)
{
  g_ptr_array_add (cache->keys, g_strdup (key));
  g_hash_table_insert (cache->rows, g_ptr_array_index (cache->keys, cache->keys->len - 1),
                       GUINT_TO_POINTER (cache->keys->len));
  g_array_append_vals (cache->features, features, cache->dim);
}

/* Reads what an earlier run cached for this backbone. A missing, broken or
 * foreign cache is an empty one, rewritten whole on save. */
static void
cache_load (FeatureCache *cache,
            const char   *path,
            const char   *backbone_sha256,
            int           dim)
{
  g_autoptr(TsNnTensorFile) file = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const TsNnTensor *features;
  GHashTable *metadata;
  JsonNode *root;
  JsonArray *keys;

  cache->rows = g_hash_table_new (g_str_hash, g_str_equal);
  cache->keys = g_ptr_array_new_with_free_func (g_free);
  cache->features = g_array_new (FALSE, FALSE, sizeof (float));
  cache->dim = dim;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  file = ts_nn_tensor_file_read (path, &error);
  if (file == NULL)
    {
      g_debug ("ignoring the feature cache: %s", error->message);
      return;
    }
  metadata = ts_nn_tensor_file_get_metadata (file);
  features = ts_nn_tensor_file_get (file, "features");
  if (g_strcmp0 (g_hash_table_lookup (metadata, "format"), CACHE_FORMAT) != 0
      || g_strcmp0 (g_hash_table_lookup (metadata, "backbone_sha256"), backbone_sha256) != 0
      || g_strcmp0 (g_hash_table_lookup (metadata, "feature_layer"), TS_CNN_FEATURE_LAYER) != 0
      || g_strcmp0 (g_hash_table_lookup (metadata, "preprocessing"), CACHE_PREPROCESSING) != 0
      || features == NULL || features->ndim != 2 || features->shape[1] != dim
      || !ts_json_parser_load (parser, g_hash_table_lookup (metadata, "keys"), -1, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root)
      || json_array_get_length (keys = json_node_get_array (root)) != (guint) features->shape[0])
    {
      g_debug ("ignoring the feature cache %s: another backbone or a broken file", path);
      return;
    }
  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      JsonNode *node = json_array_get_element (keys, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
          && !g_hash_table_contains (cache->rows, json_node_get_string (node)))
        cache_add (cache, json_node_get_string (node), features->data + (gsize) i * dim);
    }
}

static gboolean
cache_save (FeatureCache  *cache,
            const char    *path,
            const char    *backbone_sha256,
            GError       **error)
{
  g_autoptr(GHashTable) metadata = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *dir = g_path_get_dirname (path);
  TsNnTensor tensor = { (char *) "features", 2, { (int) cache->keys->len, cache->dim },
                        (gsize) cache->keys->len * cache->dim, (float *) cache->features->data };

  json_builder_begin_array (b);
  for (guint i = 0; i < cache->keys->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (cache->keys, i));
  json_builder_end_array (b);
  g_hash_table_insert (metadata, (char *) "format", g_strdup (CACHE_FORMAT));
  g_hash_table_insert (metadata, (char *) "backbone_sha256", g_strdup (backbone_sha256));
  g_hash_table_insert (metadata, (char *) "feature_layer", g_strdup (TS_CNN_FEATURE_LAYER));
  g_hash_table_insert (metadata, (char *) "preprocessing", g_strdup (CACHE_PREPROCESSING));
  g_hash_table_insert (metadata, (char *) "keys", ts_json_builder_to_string (b));
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, TS_ERROR, TS_ERROR_IO, "cannot make the folder %s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  return ts_nn_tensors_write (path, &tensor, 1, metadata, error);
}

/* The features of every readable cover of @manifest into @x (n, dim), the
 * manifest index of each row into @entries. */
static gboolean
read_features (TsCoverManifest  *manifest,
               TsNnBackbone     *backbone,
               TsProgressFunc    progress,
               gpointer          user_data,
               GCancellable     *cancellable,
               GArray           *x,
               GArray           *entries,
               GPtrArray        *unreadable,
               GError          **error)
{
  const char *sha = ts_nn_backbone_get_metadata (backbone, "source_sha256");
  g_autofree char *path = cache_path ();
  g_auto(FeatureCache) cache = { 0 };
  int dim = ts_cnn_get_feature_dim (backbone);
  g_autofree float *features = g_new (float, dim);
  guint total = ts_cover_manifest_get_n_entries (manifest);
  gboolean cancelled = FALSE;
  g_autoptr(GError) save_error = NULL;

  cache_load (&cache, path, sha, dim);
  for (guint i = 0; i < total && !cancelled; i++)
    {
      const TsCoverEntry *e = ts_cover_manifest_get_entry (manifest, i);
      g_autofree char *key = cache_key (e->file);
      gpointer row = key != NULL ? g_hash_table_lookup (cache.rows, key) : NULL;

      cancelled = g_cancellable_is_cancelled (cancellable);
      if (cancelled)
        break;
      if (row != NULL)
        memcpy (features, &g_array_index (cache.features, float,
                                          (GPOINTER_TO_UINT (row) - 1) * (gsize) dim),
                sizeof (float) * dim);
      else
        {
          g_autoptr(GError) local = NULL;
          /* A scaled JPEG decode down to about twice the side. */
          g_autoptr(TsImage) image = ts_image_load_file (e->file, 2 * TS_CNN_BACKBONE_SIZE,
                                                         &local);

          if (image == NULL)
            {
              g_ptr_array_add (unreadable, g_strdup_printf ("%s: %s", e->file, local->message));
              goto next;
            }
          ts_cnn_image_features (backbone, image, features);
          if (key != NULL)
            {
              cache_add (&cache, key, features);
              cache.changed = TRUE;
            }
        }
      g_array_append_vals (x, features, dim);
      g_array_append_val (entries, i);
    next:
      if (progress != NULL)
        progress ((double) (i + 1) / total, e->file, user_data);
    }
  /* Even a cancelled run keeps what it computed: the next one resumes. A
   * cache that cannot be written costs time, not the training. */
  if (cache.changed && !cache_save (&cache, path, sha, &save_error))
    g_debug ("the feature cache was not saved: %s", save_error->message);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* ---- the heads ----------------------------------------------------------------- */

/* FNV-1a of the file's name: the same on every machine, so a cover is
 * held out in every run and in the benchmark (tests/bench). */
static gboolean
is_held_out (const char *file,
             float       share)
{
  g_autofree char *base = g_path_get_basename (file);
  guint32 hash = 2166136261u;

  for (const guchar *p = (const guchar *) base; *p != '\0'; p++)
    {
      hash ^= *p;
      hash *= 16777619u;
    }
  return hash % 1000u < (guint32) lrintf (share * 1000.0f);
}

static int
entry_genre (const TsCoverEntry *e)
{
  return e->genre != NULL ? ts_cover_genre_from_name (e->genre) : -1;
}

static TsNnModel *
build_profile_head (int                 dim,
                    const TsCnnOptions *o,
                    GError            **error)
{
  g_autoptr(TsNnModel) head = ts_nn_model_new (dim, 1, 1);

  ts_nn_model_add_normalization (head);
  _ts_cnn_add_profile_output (head, o);
  if (!ts_nn_model_build (head, o->seed, error))
    return NULL;
  return g_steal_pointer (&head);
}

static TsNnModel *
build_genre_head (int                 dim,
                  const TsCnnOptions *o,
                  GError            **error)
{
  g_autoptr(TsNnModel) head = ts_nn_model_new (dim, 1, 1);

  ts_nn_model_add_normalization (head);
  ts_nn_model_add_dense (head, TS_COVER_N_GENRES);
  ts_nn_model_add_activation (head, TS_NN_ACT_SIGMOID);
  if (!ts_nn_model_build (head, o->seed + 1, error))
    return NULL;
  return g_steal_pointer (&head);
}

static void
train_options (TsNnTrainOptions   *train,
               const TsCnnOptions *o,
               TsNnLoss            loss)
{
  ts_nn_train_options_init (train);
  train->epochs = o->epochs;
  train->batch_size = o->batch_size;
  train->val_split = o->patience > 0 ? STOP_SPLIT : 0.0f;
  train->patience = o->patience;
  train->seed = o->seed;
  train->n_threads = o->n_threads;
  train->loss = loss;
  ts_nn_optim_config_init (&train->optim, TS_NN_OPT_ADAMW, o->lr);
  train->optim.weight_decay = o->weight_decay;
}

typedef struct
{
  int          dim;
  GArray      *x;         /* float (n, dim) */
  GArray      *entries;   /* guint: the manifest index of each row */
  gboolean    *held_out;  /* n */
} Covers;

/* Trains the profile head and fills the report's feature figures. */
static TsNnModel *
train_profile (TsCoverManifest    *manifest,
               const Covers       *c,
               const TsCnnOptions *o,
               TsNnEpochFunc       callback,
               gpointer            user_data,
               GCancellable       *cancellable,
               TsCnnReport        *report,
               GError            **error)
{
  int n = (int) c->entries->len;
  g_autoptr(GArray) tx = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GArray) ty = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(TsNnModel) head = NULL;
  double mean[TS_N_FEATURES] = { 0 };
  TsNnTrainOptions train;
  TsNnEpochInfo info = { 0 };
  int n_train;

  for (int i = 0; i < n; i++)
    if (!c->held_out[i])
      {
        const TsCoverEntry *e = ts_cover_manifest_get_entry (manifest,
                                                             g_array_index (c->entries, guint, i));

        g_array_append_vals (tx, &g_array_index (c->x, float, (gsize) i * c->dim), c->dim);
        g_array_append_vals (ty, e->features, TS_N_FEATURES);
      }
  n_train = (int) (ty->len / TS_N_FEATURES);
  if (n_train < 2)
    {
      ts_error_set_invalid (error, "training needs at least 2 covers that are not held out, "
                            "there are %d", n_train);
      return NULL;
    }
  head = build_profile_head (c->dim, o, error);
  if (head == NULL || !ts_nn_model_adapt (head, (const float *) tx->data, n_train, error))
    return NULL;
  for (int i = 0; i < n_train; i++)
    for (int f = 0; f < TS_N_FEATURES; f++)
      mean[f] += g_array_index (ty, float, (gsize) i * TS_N_FEATURES + f) / n_train;
  _ts_cnn_start_at_mean (head, mean, TS_N_FEATURES);
  train_options (&train, o, TS_NN_LOSS_MSE);
  if (!ts_nn_model_fit (head, (const float *) tx->data, (const float *) ty->data, n_train,
                        &train, callback, user_data, cancellable, &info, error))
    return NULL;

  report->n_train = n_train;
  report->epochs_run = info.epoch;
  report->best_epoch = info.best_epoch;
  report->loss = info.loss;
  for (int i = 0; i < n; i++)
    if (c->held_out[i])
      {
        const TsCoverEntry *e = ts_cover_manifest_get_entry (manifest,
                                                             g_array_index (c->entries, guint, i));
        float pred[TS_N_FEATURES];

        if (!ts_nn_model_predict (head, &g_array_index (c->x, float, (gsize) i * c->dim), 1, -1,
                                  pred, error))
          return NULL;
        report->n_val++;
        for (int f = 0; f < TS_N_FEATURES; f++)
          {
            double p = CLAMP (pred[f], 0.0f, 1.0f), t = e->features[f];

            report->val_feature_mse[f] += (p - t) * (p - t);
            report->baseline_feature_mse[f] += (mean[f] - t) * (mean[f] - t);
          }
      }
  for (int f = 0; f < TS_N_FEATURES; f++)
    {
      report->val_feature_mse[f] = report->n_val > 0 ? report->val_feature_mse[f] / report->n_val
                                                     : NAN;
      report->baseline_feature_mse[f] = report->n_val > 0
                                        ? report->baseline_feature_mse[f] / report->n_val : NAN;
      report->val_mse += report->val_feature_mse[f] / TS_N_FEATURES;
      report->baseline_mse += report->baseline_feature_mse[f] / TS_N_FEATURES;
    }
  return g_steal_pointer (&head);
}

static int
argmax (const float *v,
        int          n)
{
  int best = 0;

  for (int i = 1; i < n; i++)
    if (v[i] > v[best])
      best = i;
  return best;
}

/* Trains the genre head, or returns NULL without error when too few
 * covers have a genre; fills the report's genre figures. */
static TsNnModel *
train_genres (TsCoverManifest    *manifest,
              const Covers       *c,
              const TsCnnOptions *o,
              TsNnEpochFunc       callback,
              gpointer            user_data,
              GCancellable       *cancellable,
              TsCnnReport        *report,
              GError            **error)
{
  int n = (int) c->entries->len;
  g_autoptr(GArray) tx = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GArray) ty = g_array_new (FALSE, TRUE, sizeof (float));
  g_autoptr(TsNnModel) head = NULL;
  double freq[TS_COVER_N_GENRES] = { 0 }, logit[TS_COVER_N_GENRES];
  TsNnTrainOptions train;
  int n_train, majority = 0, n_right = 0, n_majority = 0;

  for (int i = 0; i < n; i++)
    {
      int g = entry_genre (ts_cover_manifest_get_entry (manifest,
                                                        g_array_index (c->entries, guint, i)));

      if (g < 0 || c->held_out[i])
        continue;
      g_array_append_vals (tx, &g_array_index (c->x, float, (gsize) i * c->dim), c->dim);
      g_array_set_size (ty, ty->len + TS_COVER_N_GENRES);
      g_array_index (ty, float, ty->len - TS_COVER_N_GENRES + g) = 1.0f;
      freq[g]++;
    }
  n_train = (int) (ty->len / TS_COVER_N_GENRES);
  report->n_genre_train = n_train;
  report->genre_accuracy = report->genre_baseline_accuracy = NAN;
  if (n_train < MIN_GENRE_COVERS)
    return NULL;

  head = build_genre_head (c->dim, o, error);
  if (head == NULL || !ts_nn_model_adapt (head, (const float *) tx->data, n_train, error))
    return NULL;
  /* Each output starts at its genre's share of the covers (a logit before
   * the sigmoid), so that the head learns what a picture adds to it. */
  for (int g = 0; g < TS_COVER_N_GENRES; g++)
    {
      double p = CLAMP ((freq[g] + 0.5) / (n_train + 1.0), 1e-3, 1.0 - 1e-3);

      logit[g] = log (p / (1.0 - p));
      if (freq[g] > freq[majority])
        majority = g;
    }
  _ts_cnn_start_at_mean (head, logit, TS_COVER_N_GENRES);
  train_options (&train, o, TS_NN_LOSS_BCE);
  if (!ts_nn_model_fit (head, (const float *) tx->data, (const float *) ty->data, n_train,
                        &train, callback, user_data, cancellable, NULL, error))
    return NULL;

  for (int i = 0; i < n; i++)
    {
      int g = entry_genre (ts_cover_manifest_get_entry (manifest,
                                                        g_array_index (c->entries, guint, i)));
      float probs[TS_COVER_N_GENRES];

      if (g < 0 || !c->held_out[i])
        continue;
      if (!ts_nn_model_predict (head, &g_array_index (c->x, float, (gsize) i * c->dim), 1, -1,
                                probs, error))
        return NULL;
      report->n_genre_val++;
      n_right += argmax (probs, TS_COVER_N_GENRES) == g;
      n_majority += majority == g;
    }
  if (report->n_genre_val > 0)
    {
      report->genre_accuracy = (double) n_right / report->n_genre_val;
      report->genre_baseline_accuracy = (double) n_majority / report->n_genre_val;
    }
  return g_steal_pointer (&head);
}

TsCnn *
_ts_cnn_train_heads (TsCoverManifest    *manifest,
                     const TsCnnOptions *options,
                     TsProgressFunc      read_progress,
                     gpointer            read_data,
                     TsNnEpochFunc       callback,
                     gpointer            user_data,
                     GCancellable       *cancellable,
                     GPtrArray         **unreadable,
                     GError            **error)
{
  TsNnBackbone *backbone = ts_cnn_get_backbone (error);
  g_autoptr(GArray) x = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func (g_free);
  g_autofree gboolean *held_out = NULL;
  g_autoptr(TsCnn) self = NULL;
  Covers covers;
  gint64 start;

  if (backbone == NULL)
    return NULL;
  if (!read_features (manifest, backbone, read_progress, read_data, cancellable, x, entries,
                      skipped, error))
    return NULL;
  held_out = g_new (gboolean, MAX (entries->len, 1));
  for (guint i = 0; i < entries->len; i++)
    held_out[i] = is_held_out (ts_cover_manifest_get_entry (manifest,
                                                            g_array_index (entries, guint, i))->file,
                               options->val_split);
  covers = (Covers) { ts_cnn_get_feature_dim (backbone), x, entries, held_out };

  self = g_new0 (TsCnn, 1);
  self->backbone = options->backbone;
  self->options = *options;
  start = g_get_monotonic_time ();
  self->network = train_profile (manifest, &covers, options, callback, user_data, cancellable,
                                 &self->report, error);
  if (self->network == NULL)
    return NULL;
  self->genre_head = train_genres (manifest, &covers, options, callback, user_data, cancellable,
                                   &self->report, error);
  if (self->genre_head == NULL && error != NULL && *error != NULL)
    return NULL;
  self->report.seconds = (g_get_monotonic_time () - start) / 1e6;
  self->metadata = _ts_cnn_new_metadata (self);
  if (unreadable != NULL)
    *unreadable = g_steal_pointer (&skipped);
  return g_steal_pointer (&self);
}

gboolean
ts_cnn_report_genres_useful (const TsCnnReport *r)
{
  g_return_val_if_fail (r != NULL, FALSE);

  return r->n_genre_val >= MIN_GENRE_VAL && r->genre_accuracy > r->genre_baseline_accuracy;
}

gboolean
ts_cnn_report_profile_useful (const TsCnnReport *r)
{
  g_return_val_if_fail (r != NULL, FALSE);

  return r->n_val > 0 && r->val_mse < r->baseline_mse;
}

void
_ts_cnn_predict_heads (TsCnn           *self,
                       const float     *features,
                       TsCnnPrediction *out)
{
  float probs[TS_COVER_N_GENRES];
  double sum = 0.0;

  *out = (TsCnnPrediction) { 0 };
  if (!ts_nn_model_predict (self->network, features, 1, -1, out->profile, NULL))
    g_return_if_reached ();
  for (int f = 0; f < TS_N_FEATURES; f++)
    out->profile[f] = isfinite (out->profile[f]) ? CLAMP (out->profile[f], 0.0f, 1.0f) : 0.5f;
  if (self->genre_head == NULL
      || !ts_nn_model_predict (self->genre_head, features, 1, -1, probs, NULL))
    return;
  /* One-vs-rest outputs, made a distribution. */
  for (int g = 0; g < TS_COVER_N_GENRES; g++)
    sum += isfinite (probs[g]) ? probs[g] : 0.0f;
  for (int g = 0; g < TS_COVER_N_GENRES; g++)
    out->genres[g] = sum > 0.0 && isfinite (probs[g]) ? (float) (probs[g] / sum)
                                                       : 1.0f / TS_COVER_N_GENRES;
  out->has_genres = ts_cnn_report_genres_useful (&self->report);
}
