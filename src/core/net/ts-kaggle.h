/* ts-kaggle.h: downloading and unpacking the Kaggle dataset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ts-types.h"

G_BEGIN_DECLS

/* The Kaggle datasets Tunescope reads. */
typedef enum
{
  TS_KAGGLE_DATASET_170K,  /* vatsalmavani/spotify-dataset: data.csv and companions */
  TS_KAGGLE_DATASET_600K,  /* yamaerenay/spotify-dataset-19212020-600k-tracks:
                            * tracks.csv, artists.csv */
  TS_KAGGLE_DATASET_1_2M,  /* rodolfofigueroa/spotify-12m-songs: tracks_features.csv */
  TS_KAGGLE_N_DATASETS
} TsKaggleDataset;

/* "170k", "600k", "1.2m" (any case back). */
const char *ts_kaggle_dataset_get_name      (TsKaggleDataset  dataset);
gboolean    ts_kaggle_dataset_from_name     (const char      *name,
                                             TsKaggleDataset *dataset);
/* data.csv, tracks.csv, tracks_features.csv */
const char *ts_kaggle_dataset_get_main_file (TsKaggleDataset  dataset);
/* The dataset's page on kaggle.com. */
char       *ts_kaggle_dataset_dup_page      (TsKaggleDataset  dataset);

/* The folder the app downloads into when the user does not choose one:
 * $XDG_DATA_HOME/tunescope/dataset (the 170k set), dataset-600k or
 * dataset-1.2m. */
char     *ts_kaggle_get_default_dest   (TsKaggleDataset      dataset);

/* The URL the dataset is downloaded from. TUNESCOPE_KAGGLE_URL, when set
 * and not empty, replaces the API *base* (default
 * https://www.kaggle.com/api/v1; a trailing slash is dropped), to which
 * "/datasets/download/<owner>/<name>" is always appended. */
char     *ts_kaggle_dup_download_url   (TsKaggleDataset      dataset);

/* Downloads @dataset (honouring TUNESCOPE_KAGGLE_URL) into @dest_dir
 * (created if needed) and unpacks its CSV files there (for the 170k set
 * data.csv, data_by_*.csv and data_w_genres.csv), each written atomically.
 * Refuses (TS_ERROR_EXISTS) to overwrite any file unless @force, checking
 * before the download and again before writing. When Kaggle answers 401 or
 * 403, retries with HTTP Basic credentials from KAGGLE_USERNAME and
 * KAGGLE_KEY, else from $KAGGLE_CONFIG_DIR/kaggle.json or
 * ~/.kaggle/kaggle.json; without any, fails with TS_ERROR_AUTH explaining
 * how to get them. Returns the path of the main file (data.csv). */
char     *ts_kaggle_download           (TsKaggleDataset      dataset,
                                        const char          *dest_dir,
                                        gboolean             force,
                                        TsProgressFunc       progress,
                                        gpointer             progress_data,
                                        GCancellable        *cancellable,
                                        GError             **error);
/* As ts_kaggle_download(); @files_out (may be NULL) receives the paths of
 * the files written, the main one first. */
char     *ts_kaggle_download_full      (TsKaggleDataset      dataset,
                                        const char          *dest_dir,
                                        gboolean             force,
                                        TsProgressFunc       progress,
                                        gpointer             progress_data,
                                        GStrv               *files_out,
                                        GCancellable        *cancellable,
                                        GError             **error);
/* As above on a worker thread; @progress is called in the thread-default
 * main context of the caller. */
void      ts_kaggle_download_async     (TsKaggleDataset      dataset,
                                        const char          *dest_dir,
                                        gboolean             force,
                                        TsProgressFunc       progress,
                                        gpointer             progress_data,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
char     *ts_kaggle_download_finish    (GAsyncResult        *result,
                                        GError             **error);
/* As ts_kaggle_download_finish(); @files_out as in ts_kaggle_download_full(). */
char     *ts_kaggle_download_finish_full (GAsyncResult      *result,
                                          GStrv             *files_out,
                                          GError           **error);

G_END_DECLS
