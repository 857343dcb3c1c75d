/* ts-kaggle-private.h: unpacking the dataset's zip, apart from
 * downloading it (for the tests and the fuzzing harness)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ts-kaggle.h"

G_BEGIN_DECLS

/* Unpacks @dataset's files from the zip archive at @data into
 * @dest_dir, adding their paths to @written (the main file first). Nothing is
 * put in place unless the whole archive reads well; without @force,
 * existing files are not overwritten. Errors are TS_ERROR_HTTP (a bad
 * archive), TS_ERROR_EXISTS or TS_ERROR_IO. */
gboolean _ts_kaggle_unpack_data (TsKaggleDataset  dataset,
                                 const void      *data,
                                 gsize            length,
                                 const char      *dest_dir,
                                 gboolean         force,
                                 GPtrArray       *written,
                                 TsProgressFunc   progress,
                                 gpointer         progress_data,
                                 GCancellable    *cancellable,
                                 GError         **error);

/* Lowers the caps on one unpacked file and on all of them together for
 * the process (tests: a small zip can then show them); never raises them. */
void     _ts_kaggle_set_unpack_limits (guint64 entry_bytes,
                                       guint64 total_bytes);

G_END_DECLS
