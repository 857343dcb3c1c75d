/* ts-drop.h: what a drop or a paste brings, and where it goes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  TS_DROP_NOTHING,  /* no file and no image */
  TS_DROP_DATASET,  /* a file that is not an image: opened as a dataset */
  TS_DROP_IMAGE,    /* an image file, or image data */
} TsDropKind;

/* The GTypes a drop target or a paste accepts, in order of preference. */
const GType *ts_drop_get_types     (guint        *n_types);
/* Whether @file is an image by its content type (its name, and its first
 * bytes when the name says nothing). */
gboolean     ts_drop_file_is_image (GFile        *file);
/* Sorts what @value holds (a GdkFileList, a GFile or a GdkTexture): for
 * a file list, its first file. @file or @texture receives a new reference
 * to what was found. */
TsDropKind   ts_drop_classify      (const GValue *value,
                                    GFile       **file,
                                    GdkTexture  **texture);

G_END_DECLS
