/* ts-image-match.c: an image → its predicted sound → the songs nearest it
 *
 * What `tunescope-cli similar --image` does, for the Image page: the
 * bytes are decoded twice, once for the screen and once at the model's
 * size exactly as ts_cnn_predict_path() does, so that the app and the CLI
 * predict the same profile for a file, and search it the same way
 * (ts_cnn_search). The model is loaded per query: it
 * is small, and a model trained meanwhile is used at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-image-match"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "ts-app-util.h"
#include "ts-image-match.h"

void
ts_image_match_free (TsImageMatch *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_clear_object (&self->picture);
  g_clear_pointer (&self->results, g_array_unref);
  g_free (self);
}

/* The encoded image: a file's bytes, or pasted pixels as PNG. */
static GBytes *
read_image (GFile         *file,
            GdkTexture    *texture,
            const char    *name,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *path = NULL;
  GBytes *bytes;

  /* Dropped and pasted textures are memory textures (deserialized
   * bytes), which any thread may read. */
  if (texture != NULL)
    return gdk_texture_save_to_png_bytes (texture);

  path = g_file_get_path (file);
  if (path != NULL)
    {
      /* Mapped: a huge file costs no memory before the decoder's size
       * check refuses it. */
      g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, &local);

      if (mapped != NULL)
        return g_mapped_file_get_bytes (mapped);
    }
  else
    {
      bytes = g_file_load_bytes (file, cancellable, NULL, &local);
      if (bytes != NULL)
        return bytes;
    }
  g_set_error (error, TS_ERROR, TS_ERROR_IO, _("Could not read “%s”: %s"), name,
               local->message);
  return NULL;
}

static char *
image_name (GFile      *file,
            const char *texture_name)
{
  g_autoptr(GFileInfo) info = NULL;

  if (file == NULL)
    return g_strdup (texture_name != NULL ? texture_name : _("the image"));
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info != NULL)
    return g_strdup (g_file_info_get_display_name (info));
  return g_file_get_basename (file);
}

/* The model's prediction for @bytes; G_IO_ERROR_NOT_FOUND without a model. */
static gboolean
predict (GBytes           *bytes,
         const char       *name,
         const char       *cnn_path,
         TsCnnPrediction  *prediction,
         TsCnnReport      *report,
         GError          **error)
{
  g_autoptr(TsCnn) cnn = NULL;
  g_autoptr(TsImage) image = NULL;
  g_autoptr(GError) local = NULL;
  int size;

  cnn = ts_cnn_load (cnn_path, &local);
  if (cnn == NULL)
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT) ||
          g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("There is no cover-art model yet"));
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  *report = *ts_cnn_get_report (cnn);
  size = ts_cnn_get_image_size (cnn);
  image = ts_image_decode_bytes (bytes, name, (guint) size * 2, error);
  return image != NULL && ts_cnn_predict_image (cnn, image, prediction, error);
}

TsImageMatch *
ts_image_match_run (GFile         *file,
                    GdkTexture    *texture,
                    const char    *texture_name,
                    const char    *cnn_path,
                    TsDataset     *dataset,
                    TsSimilar     *similar,
                    guint          limit,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(TsImageMatch) self = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(TsImage) image = NULL;

  g_return_val_if_fail ((file == NULL) != (texture == NULL), NULL);
  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);
  g_return_val_if_fail (texture == NULL || GDK_IS_TEXTURE (texture), NULL);
  g_return_val_if_fail (cnn_path != NULL, NULL);
  g_return_val_if_fail (TS_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (similar != NULL, NULL);

  self = g_new0 (TsImageMatch, 1);
  self->name = image_name (file, texture_name);
  bytes = read_image (file, texture, self->name, cancellable, error);
  if (bytes == NULL)
    return NULL;
  /* The image first: a bad one is named as such even without a model. */
  image = ts_image_decode_bytes (bytes, self->name, TS_IMAGE_MATCH_PICTURE_SIZE, error);
  if (image == NULL)
    return NULL;
  self->picture = ts_texture_new_from_image (image);
  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !predict (bytes, self->name, cnn_path, &self->prediction, &self->report, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  for (int f = 0; f < TS_N_FEATURES; f++)
    {
      double min, max;

      ts_dataset_get_feature_range (dataset, f, &min, &max);
      /* NaN leaves out of the profile a feature the dataset lacks. */
      self->values[f] = ts_dataset_has_feature (dataset, f)
                        ? min + self->prediction.profile[f] * (max - min) : NAN;
    }
  self->results = ts_cnn_search (similar, &self->prediction, limit, &self->steered, error);
  if (self->results == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

typedef struct
{
  GFile      *file;
  GdkTexture *texture;
  char       *texture_name;
  char       *cnn_path;
  TsDataset  *dataset;
  TsSimilar  *similar;
  guint       limit;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->file);
  g_clear_object (&job->texture);
  g_free (job->texture_name);
  g_free (job->cnn_path);
  g_clear_object (&job->dataset);
  g_clear_pointer (&job->similar, ts_similar_unref);
  g_free (job);
}

static void
match_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  TsImageMatch *match = ts_image_match_run (job->file, job->texture, job->texture_name,
                                            job->cnn_path, job->dataset, job->similar,
                                            job->limit, cancellable, &error);

  if (match == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, match, (GDestroyNotify) ts_image_match_free);
}

void
ts_image_match_async (GFile               *file,
                      GdkTexture          *texture,
                      const char          *texture_name,
                      const char          *cnn_path,
                      TsDataset           *dataset,
                      TsSimilar           *similar,
                      guint                limit,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail ((file == NULL) != (texture == NULL));
  g_return_if_fail (cnn_path != NULL);
  g_return_if_fail (TS_IS_DATASET (dataset));
  g_return_if_fail (similar != NULL);

  job = g_new0 (Job, 1);
  job->file = file != NULL ? g_object_ref (file) : NULL;
  job->texture = texture != NULL ? g_object_ref (texture) : NULL;
  job->texture_name = g_strdup (texture_name);
  job->cnn_path = g_strdup (cnn_path);
  job->dataset = g_object_ref (dataset);
  job->similar = ts_similar_ref (similar);
  job->limit = limit;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ts_image_match_async);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, match_thread);
}

TsImageMatch *
ts_image_match_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
