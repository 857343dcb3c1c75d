/* ts-models-file.c: the models' files: metadata as JSON, saving and
 * loading, the models folder, and the model kept for a dataset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A model file is the network in safetensors (nn/ts-nn-safetensors.c)
 * with a string-to-string __metadata__: the kind, the embedding layer,
 * the inputs' and outputs' names, and as JSON the training options
 * ("training"), the run's figures ("validation") and what identifies the
 * data ("dataset"). Loading reads them back over the kind's defaults;
 * ts_model_ensure () finds the model made for a dataset, or trains one
 * and keeps it under the dataset's checksum.
 */

#define G_LOG_DOMAIN "ts-models"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ts-atomic-file.h"
#include "ts-error.h"
#include "ts-json-private.h"
#include "ts-models-private.h"

/* ---- metadata ---------------------------------------------------------- */

char *
ts_model_options_to_json (const TsModelOptions *o)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (o != NULL, NULL);

  json_builder_begin_object (b);
  ts_json_add_string (b, "model", ts_model_kind_get_name (o->kind));
  ts_json_add_int (b, "epochs", o->epochs);
  ts_json_add_int (b, "batch_size", o->batch_size);
  ts_json_add_double (b, "lr", ts_json_float_value (o->lr));
  ts_json_add_string (b, "optimizer", ts_nn_optimizer_get_name (o->optimizer));
  ts_json_add_string (b, "loss", ts_nn_loss_get_name (o->loss));
  ts_json_add_string (b, "activation", ts_nn_activation_get_name (o->activation));
  json_builder_set_member_name (b, "hidden");
  json_builder_begin_array (b);
  for (int i = 0; i < o->n_hidden; i++)
    json_builder_add_int_value (b, o->hidden[i]);
  json_builder_end_array (b);
  ts_json_add_double (b, "dropout", ts_json_float_value (o->dropout));
  ts_json_add_int (b, "seed", (gint64) o->seed);
  ts_json_add_double (b, "val_split", ts_json_float_value (o->val_split));
  ts_json_add_int (b, "patience", o->patience);
  if (o->kind == TS_MODEL_GENRE)
    {
      ts_json_add_int (b, "max_genres", o->max_genres);
      ts_json_add_double (b, "holdout", ts_json_float_value (o->holdout));
    }
  json_builder_end_object (b);
  return ts_json_builder_to_string (b);
}

char *
ts_model_report_to_json (const TsModelReport *r)
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
  ts_json_add_int (b, "train_rows", r->n_train);
  ts_json_add_int (b, "val_rows", r->n_val);
  ts_json_add_double (b, "loss", r->loss);
  ts_json_add_double (b, "val_loss", r->val_loss);
  ts_json_add_double (b, "val_mse", r->val_mse);
  ts_json_add_double (b, "baseline_mse", r->baseline_mse);
  ts_json_add_double (b, "r2", r->r2);
  ts_json_add_double (b, "seconds", r->seconds);
  json_builder_end_object (b);
  return ts_json_builder_to_string (b);
}

/* What identifies the training data: path, rows, size, mtime and the
 * SHA-256 of the file (about a tenth of a second for 30 MB). */
char *
ts_model_dup_dataset_json (TsDataset *dataset)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *path = ts_dataset_get_path (dataset);
  g_autoptr(GMappedFile) mapped = NULL;
  GStatBuf st;

  json_builder_begin_object (b);
  if (path != NULL)
    ts_json_add_string (b, "path", path);
  ts_json_add_int (b, "rows", ts_dataset_get_n_rows (dataset));
  if (path != NULL && g_stat (path, &st) == 0)
    {
      ts_json_add_int (b, "bytes", (gint64) st.st_size);
      ts_json_add_int (b, "mtime", (gint64) st.st_mtime);
    }
  if (path != NULL && (mapped = g_mapped_file_new (path, FALSE, NULL)) != NULL)
    {
      g_autofree char *sum = NULL;

      sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                         (const guchar *) g_mapped_file_get_contents (mapped),
                                         g_mapped_file_get_length (mapped));
      ts_json_add_string (b, "sha256", sum);
    }
  json_builder_end_object (b);
  return ts_json_builder_to_string (b);
}

/* ---- files ------------------------------------------------------------- */

char *
ts_model_default_path (TsModelKind kind)
{
  g_return_val_if_fail (kind < TS_N_MODEL_KINDS, NULL);

  return ts_nn_model_default_path (ts_model_kind_get_name (kind));
}

TsModel *
ts_model_retrain (TsDataset            *dataset,
                  const TsModelOptions *options,
                  const char           *path,
                  TsNnEpochFunc         callback,
                  gpointer              user_data,
                  GCancellable         *cancellable,
                  GError              **error)
{
  g_autoptr(TsModel) model = NULL;

  g_return_val_if_fail (TS_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (options != NULL && path != NULL, NULL);

  /* Checked before the seconds of training, not after. */
  if (!ts_model_options_check (options, error) || !ts_model_check_path (path, error))
    return NULL;
  model = ts_model_train (dataset, options, callback, user_data, cancellable, error);
  if (model == NULL || !ts_model_save (model, path, error))
    return NULL;
  return g_steal_pointer (&model);
}

char *
ts_model_folder (void)
{
  return g_build_filename (g_get_user_data_dir (), "tunescope", "models", NULL);
}

void
ts_model_file_free (TsModelFile *file)
{
  if (file == NULL)
    return;
  g_free (file->path);
  g_free (file->name);
  g_free (file->kind);
  g_free (file->error);
  g_clear_pointer (&file->metadata, g_hash_table_unref);
  g_free (file);
}

static TsModelFile *
read_model_file (const char *folder,
                 const char *name)
{
  TsModelFile *file = g_new0 (TsModelFile, 1);
  g_autoptr(TsNnTensorFile) tensors = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  file->path = g_build_filename (folder, name, NULL);
  file->name = g_strdup (name);
  if (g_stat (file->path, &st) == 0)
    {
      file->size = st.st_size;
      file->mtime = st.st_mtime;
    }
  tensors = ts_nn_tensor_file_read (file->path, &error);
  if (tensors == NULL)
    {
      file->error = g_strdup (error->message);
      file->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      return file;
    }
  file->metadata = g_hash_table_ref (ts_nn_tensor_file_get_metadata (tensors));
  file->kind = g_strdup (g_hash_table_lookup (file->metadata, "model"));
  if (file->kind == NULL)
    file->kind = g_strdup ("unknown");
  return file;
}

/* "64,32" for an array of integers (layer sizes), else NULL. */
static char *
summarize_int_array (JsonArray *array)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        return NULL;
      g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", json_node_get_int (node));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
ts_model_file_summarize (const TsModelFile *file,
                         const char        *key,
                         const char * const *skip)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GList) members = NULL;
  const char *json;
  JsonObject *object;

  g_return_val_if_fail (file != NULL && key != NULL, NULL);

  json = g_hash_table_lookup (file->metadata, key);
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);
      char number[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *name = g_strdelimit (g_strdup (l->data), "_", ' ');

      if (skip != NULL && g_strv_contains (skip, l->data))
        continue;
      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          g_autofree char *list = summarize_int_array (json_node_get_array (node));

          if (list != NULL)
            g_string_append_printf (text, "%s%s %s", text->len > 0 ? ", " : "", name, list);
          continue;
        }
      if (!JSON_NODE_HOLDS_VALUE (node))
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (text, "%s %" G_GINT64_FORMAT, name, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          g_string_append_printf (text, "%s %s", name,
                                  g_ascii_formatd (number, sizeof number, "%.4g",
                                                   json_node_get_double (node)));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append_printf (text, "%s %s", name, json_node_get_boolean (node) ? "yes" : "no");
          break;
        default:
          g_string_append_printf (text, "%s %s", name, json_node_get_string (node));
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

gboolean
ts_model_file_has_validation (const TsModelFile *file)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *json;
  JsonObject *object;

  g_return_val_if_fail (file != NULL, FALSE);

  json = g_hash_table_lookup (file->metadata, "validation");
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  object = json_node_get_object (json_parser_get_root (parser));
  /* Rows for the dense models, images for the CNN. */
  return ts_json_get_double (object, "val_rows", 0) > 0
         || ts_json_get_double (object, "val_images", 0) > 0;
}

static int
compare_model_files (gconstpointer a,
                     gconstpointer b)
{
  const TsModelFile *fa = *(TsModelFile * const *) a, *fb = *(TsModelFile * const *) b;

  return strcmp (fa->name, fb->name);
}

GPtrArray *
ts_model_list_folder (const char  *folder,
                      GError     **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) ts_model_file_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  g_return_val_if_fail (folder != NULL, NULL);

  dir = g_dir_open (folder, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&files);
      g_set_error (error, TS_ERROR, TS_ERROR_IO, "cannot read the models folder %s: %s", folder,
                   local_error->message);
      return NULL;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".safetensors"))
      g_ptr_array_add (files, read_model_file (folder, name));
  g_ptr_array_sort (files, compare_model_files);
  return g_steal_pointer (&files);
}

gboolean
ts_model_check_path (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = NULL;
  g_autoptr(TsAtomicFile) probe = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  if (*path == '\0' || g_str_has_suffix (path, G_DIR_SEPARATOR_S))
    return ts_error_set_invalid (error, "“%s” is not a file name", path);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return ts_error_set_invalid (error, "%s is a folder, not a model file", path);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      if (saved == ENOTDIR || saved == EEXIST)
        return ts_error_set_invalid (error, "cannot make the folder %s: %s", dir, g_strerror (saved));
      g_set_error (error, TS_ERROR, TS_ERROR_IO, "cannot make the folder %s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  /* A real file, not access (): root passes that anywhere, and some
   * folders (/proc) take no new files whatever their mode says. The save's
   * own kind of file, dropped at once: an unnamed one leaves nothing behind
   * even when training is killed right here. */
  probe = ts_atomic_file_new (path, error);
  if (probe == NULL)
    return FALSE;
  return TRUE;
}

gboolean
ts_model_save (TsModel     *self,
               const char  *path,
               GError     **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return ts_nn_model_save (self->network, path, self->metadata, error);
}

/* The same, as an int in [min, max]: a file may say anything. */
static int
get_int (JsonObject *object,
         const char *name,
         int         min,
         int         max,
         int         fallback)
{
  double value = ts_json_get_double (object, name, NAN);

  return isfinite (value) && value >= min && value <= max ? (int) value : fallback;
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Best effort: what the file's "training" and "validation" say, over the
 * kind's defaults; the network itself comes from the architecture. */
static void
read_options_and_report (TsModel *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  TsModelOptions *o = &self->options;
  TsModelReport *r = &self->report;
  JsonObject *object;
  JsonArray *hidden;
  JsonNode *node;
  guint n_hidden;
  const char *name;
  TsNnOptimizer optimizer;
  TsNnLoss loss;
  TsNnActivation activation;

  object = ts_json_parse_object (parser, g_hash_table_lookup (self->metadata, "training"));
  if (object != NULL)
    {
      JsonNode *seed = json_object_get_member (object, "seed");

      o->epochs = get_int (object, "epochs", 1, G_MAXINT, o->epochs);
      o->batch_size = get_int (object, "batch_size", 1, G_MAXINT, o->batch_size);
      o->patience = get_int (object, "patience", 0, G_MAXINT, o->patience);
      o->lr = (float) ts_json_get_double (object, "lr", o->lr);
      o->dropout = (float) ts_json_get_double (object, "dropout", o->dropout);
      o->val_split = (float) ts_json_get_double (object, "val_split", o->val_split);
      o->max_genres = get_int (object, "max_genres", 0, TS_MODEL_MAX_UNITS, o->max_genres);
      o->holdout = (float) ts_json_get_double (object, "holdout", o->holdout);
      if (seed != NULL && JSON_NODE_HOLDS_VALUE (seed)
          && json_node_get_value_type (seed) == G_TYPE_INT64)
        o->seed = (guint64) json_node_get_int (seed);
      if ((name = get_string (object, "optimizer")) != NULL
          && ts_nn_optimizer_from_name (name, &optimizer))
        o->optimizer = optimizer;
      if ((name = get_string (object, "loss")) != NULL && ts_nn_loss_from_name (name, &loss))
        o->loss = loss;
      if ((name = get_string (object, "activation")) != NULL
          && ts_nn_activation_from_name (name, &activation))
        o->activation = activation;
      node = json_object_get_member (object, "hidden");
      hidden = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
      n_hidden = hidden != NULL ? json_array_get_length (hidden) : 0;
      if (n_hidden >= 1 && n_hidden <= TS_MODEL_MAX_HIDDEN)
        {
          int sizes[TS_MODEL_MAX_HIDDEN];
          guint good = 0;

          for (guint i = 0; i < n_hidden; i++)
            {
              JsonNode *element = json_array_get_element (hidden, i);

              if (JSON_NODE_HOLDS_VALUE (element)
                  && json_node_get_value_type (element) == G_TYPE_INT64
                  && json_node_get_int (element) >= 1
                  && json_node_get_int (element) <= TS_MODEL_MAX_UNITS)
                sizes[good++] = (int) json_node_get_int (element);
            }
          if (good == n_hidden)
            {
              memcpy (o->hidden, sizes, sizeof (int) * n_hidden);
              o->n_hidden = (int) n_hidden;
            }
        }
    }

  object = ts_json_parse_object (parser, g_hash_table_lookup (self->metadata, "validation"));
  if (object != NULL)
    {
      r->epochs_run = get_int (object, "epochs_run", 0, G_MAXINT, 0);
      r->best_epoch = get_int (object, "best_epoch", 0, G_MAXINT, 0);
      r->n_train = get_int (object, "train_rows", 0, G_MAXINT, 0);
      r->n_val = get_int (object, "val_rows", 0, G_MAXINT, 0);
      r->loss = ts_json_get_double (object, "loss", NAN);
      r->val_loss = ts_json_get_double (object, "val_loss", NAN);
      r->val_mse = ts_json_get_double (object, "val_mse", NAN);
      r->baseline_mse = ts_json_get_double (object, "baseline_mse", NAN);
      r->r2 = ts_json_get_double (object, "r2", NAN);
      r->seconds = ts_json_get_double (object, "seconds", NAN);
    }
}

static gpointer
refuse (GError    **error,
        const char *path,
        const char *why)
{
  g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
               "%s is not a Tunescope predictor, autoencoder or genre model: %s", path, why);
  return NULL;
}

TsModel *
ts_model_load (const char  *path,
               GError     **error)
{
  g_autoptr(TsModel) self = NULL;
  g_autoptr(GHashTable) metadata = NULL;
  g_autoptr(TsNnModel) network = NULL;
  const char *kind_name, *layer_text;
  TsModelKind kind;
  guint64 layer = 0;
  int n_layers;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  network = ts_nn_model_load (path, &metadata, error);
  if (network == NULL)
    return NULL;
  kind_name = g_hash_table_lookup (metadata, "model");
  layer_text = g_hash_table_lookup (metadata, "embedding_layer");
  n_layers = ts_nn_model_get_n_layers (network);
  if (!ts_model_kind_from_name (kind_name, &kind))
    return refuse (error, path, "its __metadata__ names no model kind");
  if (layer_text == NULL
      || !g_ascii_string_to_unsigned (layer_text, 10, 0, (guint64) MAX (n_layers - 1, 0),
                                      &layer, NULL))
    return refuse (error, path, "its embedding layer is missing or out of range");
  if (ts_nn_model_get_input_size (network) != ts_model_kind_get_input_size (kind)
      || (kind == TS_MODEL_GENRE ? ts_nn_model_get_output_size (network) < 1
                                 : ts_nn_model_get_output_size (network)
                                   != ts_model_kind_get_output_size (kind)))
    return refuse (error, path, "its input or output size does not fit its kind");

  self = ts_model_new (kind);
  self->network = g_steal_pointer (&network);
  self->embedding_layer = (int) layer;
  g_hash_table_unref (self->metadata);
  self->metadata = g_steal_pointer (&metadata);
  read_options_and_report (self);
  return g_steal_pointer (&self);
}

/* ---- the model of a dataset -------------------------------------------- */

/* Whether @self was trained on the very file @dataset was loaded from:
 * the same SHA-256 (the path may have moved, the bytes may not). */
gboolean
ts_model_matches_dataset (TsModel   *self,
                          TsDataset *dataset)
{
  g_autoptr(JsonParser) saved_parser = json_parser_new ();
  g_autoptr(JsonParser) current_parser = json_parser_new ();
  g_autofree char *current = NULL;
  JsonObject *saved_object, *current_object;
  const char *saved_sum, *current_sum;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (TS_IS_DATASET (dataset), FALSE);

  saved_object = ts_json_parse_object (saved_parser, g_hash_table_lookup (self->metadata, "dataset"));
  current = ts_model_dup_dataset_json (dataset);
  current_object = ts_json_parse_object (current_parser, current);
  if (saved_object == NULL || current_object == NULL)
    return FALSE;
  saved_sum = json_object_get_string_member_with_default (saved_object, "sha256", NULL);
  current_sum = json_object_get_string_member_with_default (current_object, "sha256", NULL);
  return saved_sum != NULL && g_strcmp0 (saved_sum, current_sum) == 0;
}

static char *
dup_dataset_sha256 (TsDataset *dataset)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = ts_model_dup_dataset_json (dataset);
  JsonObject *object = ts_json_parse_object (parser, json);

  if (object == NULL)
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (object, "sha256", NULL));
}

static TsModel *
load_if_made_for (const char  *path,
                  TsModelKind  kind,
                  TsDataset   *dataset)
{
  g_autoptr(TsModel) model = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  model = ts_model_load (path, NULL);
  if (model == NULL || ts_model_get_kind (model) != kind || !ts_model_matches_dataset (model, dataset))
    return NULL;
  return g_steal_pointer (&model);
}

/* The model of @kind for @dataset: the user's own (KIND.safetensors, from
 * `train`) when it was trained on this dataset; else the cached one for
 * this dataset's checksum (KIND-SHA.safetensors) when trained with
 * today's defaults; else one trained now with the default options
 * (seconds) and cached under that name. */
TsModel *
ts_model_ensure (TsDataset     *dataset,
                 TsModelKind    kind,
                 gboolean      *trained,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autofree char *user_path = ts_model_default_path (kind);
  g_autofree char *sha = NULL;
  g_autofree char *cache_path = NULL;
  g_autofree char *cache_name = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *defaults = NULL;
  g_autoptr(TsModel) model = NULL;
  g_autoptr(GError) save_error = NULL;
  TsModelOptions options;

  g_return_val_if_fail (TS_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (trained != NULL)
    *trained = FALSE;
  if ((model = load_if_made_for (user_path, kind, dataset)) != NULL)
    return g_steal_pointer (&model);

  sha = dup_dataset_sha256 (dataset);
  dir = g_path_get_dirname (user_path);
  cache_name = g_strdup_printf ("%s-%.12s.safetensors", ts_model_kind_get_name (kind),
                                sha != NULL ? sha : "nosum");
  cache_path = g_build_filename (dir, cache_name, NULL);
  ts_model_options_init (&options, kind);
  defaults = ts_model_options_to_json (&options);
  /* A cached model trained with other defaults (an older Tunescope) is
   * trained again. */
  if ((model = load_if_made_for (cache_path, kind, dataset)) != NULL
      && g_strcmp0 (g_hash_table_lookup (model->metadata, "training"), defaults) == 0)
    return g_steal_pointer (&model);
  g_clear_pointer (&model, ts_model_free);

  model = ts_model_train (dataset, &options, NULL, NULL, cancellable, error);
  if (model == NULL)
    return NULL;
  if (trained != NULL)
    *trained = TRUE;
  /* The cache only spares training next time: a folder that takes no
   * file (read-only, full) must not cost the model trained now. */
  if (!ts_model_check_path (cache_path, &save_error) ||
      !ts_model_save (model, cache_path, &save_error))
    model->unsaved = g_strdup (save_error->message);
  return g_steal_pointer (&model);
}
