/* ts-image-match.h: an image → its predicted sound → the songs nearest it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tunescope-core.h"

G_BEGIN_DECLS

/* Longest side of the picture the page shows. */
#define TS_IMAGE_MATCH_PICTURE_SIZE 1024

typedef struct
{
  char       *name;                    /* what messages call the image */
  GdkTexture *picture;                 /* the image to show, at most PICTURE_SIZE */
  TsCnnPrediction prediction;          /* the profile scaled 0..1, and genres */
  gboolean    steered;                 /* the results were steered by the genres */
  TsCnnReport report;                  /* how the model did on held-out covers */
  double      values[TS_N_FEATURES];   /* the same in the dataset's units */
  GArray     *results;                 /* of TsSimilarResult, nearest first */
} TsImageMatch;

void          ts_image_match_free   (TsImageMatch  *self);

/* Decodes @file or @texture (one of them; @texture_name is what messages
 * call the latter, e.g. "the pasted image"), predicts its features with the
 * CNN at @cnn_path and searches them with @similar (over @dataset).
 * Blocking. A missing
 * model is G_IO_ERROR_NOT_FOUND; a bad image is TS_ERROR_INVALID_INPUT
 * whose message names the file by its name (or @texture_name). */
TsImageMatch *ts_image_match_run    (GFile         *file,
                                     GdkTexture    *texture,
                                     const char    *texture_name,
                                     const char    *cnn_path,
                                     TsDataset     *dataset,
                                     TsSimilar     *similar,
                                     guint          limit,
                                     GCancellable  *cancellable,
                                     GError       **error);

/* The same in a worker thread. */
void          ts_image_match_async  (GFile               *file,
                                     GdkTexture          *texture,
                                     const char          *texture_name,
                                     const char          *cnn_path,
                                     TsDataset           *dataset,
                                     TsSimilar           *similar,
                                     guint                limit,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
TsImageMatch *ts_image_match_finish (GAsyncResult        *result,
                                     GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsImageMatch, ts_image_match_free)

G_END_DECLS
