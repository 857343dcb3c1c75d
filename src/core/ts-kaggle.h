/* ts-kaggle.h: downloading and unpacking the Kaggle dataset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ts-types.h"

G_BEGIN_DECLS

/* The folder the app downloads into when the user does not choose one:
 * $XDG_DATA_HOME/tunescope/dataset. */
char     *ts_kaggle_get_default_dest   (void);

/* Downloads vatsalmavani/spotify-dataset (honouring TUNESCOPE_KAGGLE_URL)
 * into @dest_dir and unpacks it there. Refuses (TS_ERROR_EXISTS) to
 * overwrite any file unless @force. Returns the path of data.csv. */
char     *ts_kaggle_download           (const char          *dest_dir,
                                        gboolean             force,
                                        TsProgressFunc       progress,
                                        gpointer             progress_data,
                                        GCancellable        *cancellable,
                                        GError             **error);
/* As above on a worker thread; @progress is called in the thread-default
 * main context of the caller. */
void      ts_kaggle_download_async     (const char          *dest_dir,
                                        gboolean             force,
                                        TsProgressFunc       progress,
                                        gpointer             progress_data,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
char     *ts_kaggle_download_finish    (GAsyncResult        *result,
                                        GError             **error);

G_END_DECLS
