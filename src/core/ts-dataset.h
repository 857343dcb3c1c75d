/* ts-dataset.h: the Spotify audio-feature dataset, loaded into columns
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ts-types.h"

G_BEGIN_DECLS

#define TS_TYPE_DATASET (ts_dataset_get_type ())

G_DECLARE_FINAL_TYPE (TsDataset, ts_dataset, TS, DATASET, GObject)

/* Which header the main file had. */
typedef enum
{
  TS_DATASET_SCHEMA_KAGGLE,       /* data.csv of vatsalmavani/spotify-dataset */
  TS_DATASET_SCHEMA_TIDYTUESDAY,  /* spotify_songs.csv, with playlist genres */
  TS_DATASET_SCHEMA_TRACKS_600K,  /* tracks.csv of yamaerenay/spotify-dataset-19212020-600k-tracks,
                                   * with artist ids (artists.csv beside it) */
  TS_DATASET_SCHEMA_TRACKS_1M,    /* tracks_features.csv of rodolfofigueroa/spotify-12m-songs:
                                   * albums, no popularity */
} TsDatasetSchema;

typedef struct
{
  guint    n_threads;        /* 0: one per processor */
  gsize    min_chunk_bytes;  /* 0: default; smaller files parse on one thread */
  gboolean skip_companions;  /* read only the main file (benchmarks) */
  gboolean build_index;      /* also build the search index before returning
                              * (ts_dataset_ensure_index); else it is built
                              * on first use */
} TsDatasetLoadOptions;

/* The largest main file a load reads, and the most lines its body may
 * have (a row slot is allocated per line before parsing, about 150 bytes
 * each). data.csv is 29 MB and 170,000 rows; the biggest datasets we plan
 * for (1.2 million tracks) are about 350 MB: both caps leave them room
 * several times over, and stop a file that would take gigabytes of memory
 * with a clear error instead (at the caps a load takes about 2 GB). The
 * Kaggle download unpacks no file bigger than a load would read. */
#define TS_DATASET_MAX_FILE_BYTES (G_GUINT64_CONSTANT (1) << 30)
#define TS_DATASET_MAX_ROWS       4000000u

/* What a search hit points at. */
typedef enum
{
  TS_SEARCH_HIT_SONG,    /* index is a song group (ts_dataset_get_group_rows) */
  TS_SEARCH_HIT_ARTIST,  /* index is an artist id */
} TsSearchHitKind;

typedef struct
{
  TsSearchHitKind kind;
  guint           index;
  double          score;  /* higher is better */
} TsSearchHit;

/* The most skipped-row reasons a dataset keeps. */
#define TS_DATASET_MAX_REASONS 10

TsDataset          *ts_dataset_load                (const char                 *path,
                                                    const TsDatasetLoadOptions *options,
                                                    TsProgressFunc              progress,
                                                    gpointer                    progress_data,
                                                    GCancellable               *cancellable,
                                                    GError                    **error);
void                ts_dataset_load_async          (const char                 *path,
                                                    const TsDatasetLoadOptions *options,
                                                    TsProgressFunc              progress,
                                                    gpointer                    progress_data,
                                                    GCancellable               *cancellable,
                                                    GAsyncReadyCallback         callback,
                                                    gpointer                    user_data);
TsDataset          *ts_dataset_load_finish         (GAsyncResult               *result,
                                                    GError                    **error);
/* The main file from memory, named @name in messages and by
 * ts_dataset_get_path (); with no folder around it, there are no
 * companion files. */
TsDataset          *ts_dataset_load_bytes          (GBytes                     *contents,
                                                    const char                 *name,
                                                    const TsDatasetLoadOptions *options,
                                                    GCancellable               *cancellable,
                                                    GError                    **error);

const char         *ts_dataset_get_path            (TsDataset  *self);
TsDatasetSchema     ts_dataset_get_schema          (TsDataset  *self);
guint               ts_dataset_get_n_rows          (TsDataset  *self);
guint               ts_dataset_get_n_skipped       (TsDataset  *self);
const char * const *ts_dataset_get_skipped_reasons (TsDataset  *self);
const char * const *ts_dataset_get_columns         (TsDataset  *self);
/* FALSE for a feature the file does not have (popularity in the 1.2M
 * set): its column and scaled values are 0 and mean nothing, so charts,
 * panels and spaces leave it out. */
gboolean            ts_dataset_has_feature         (TsDataset  *self,
                                                    TsFeature   feature);
/* The features the file has, as a bit mask (1 << TsFeature). */
guint32             ts_dataset_get_feature_mask    (TsDataset  *self);
const char * const *ts_dataset_get_companions      (TsDataset  *self);
double              ts_dataset_get_load_ms         (TsDataset  *self);
void                ts_dataset_get_year_range      (TsDataset  *self,
                                                    int        *min_year,
                                                    int        *max_year);

/* Columns: n_rows values each, raw units. */
const double       *ts_dataset_get_column          (TsDataset  *self,
                                                    guint       column);
/* n_rows x TS_N_FEATURES, row-major, each feature min-max scaled to [0,1]. */
const float        *ts_dataset_get_scaled          (TsDataset  *self);
void                ts_dataset_get_feature_range   (TsDataset  *self,
                                                    TsFeature   feature,
                                                    double     *min,
                                                    double     *max);

const char         *ts_dataset_get_id              (TsDataset  *self,
                                                    guint       row);
const char         *ts_dataset_get_name            (TsDataset  *self,
                                                    guint       row);
/* Packed as year * 10000 + month * 100 + day; month and day are 0 when
 * the date had only a year (or a year and month). */
guint32             ts_dataset_get_release_date    (TsDataset  *self,
                                                    guint       row);
guint               ts_dataset_get_artists         (TsDataset  *self,
                                                    guint       row,
                                                    const guint32 **artists);
char               *ts_dataset_dup_artists_label   (TsDataset  *self,
                                                    guint       row);
/* A per-song genre label from the file itself (TidyTuesday's
 * playlist_genre), or -1. */
gint32              ts_dataset_get_label           (TsDataset  *self,
                                                    guint       row);
int                 ts_dataset_lookup_id           (TsDataset  *self,
                                                    const char *id);

/* Albums, when the file names them (the 1.2M set, TidyTuesday): the
 * song's album index, or -1. */
gint32              ts_dataset_get_album           (TsDataset  *self,
                                                    guint       row);
guint               ts_dataset_get_n_albums        (TsDataset  *self);
/* The album's Spotify id and name. */
const char         *ts_dataset_get_album_id        (TsDataset  *self,
                                                    guint32     album);
const char         *ts_dataset_get_album_name      (TsDataset  *self,
                                                    guint32     album);

guint               ts_dataset_get_n_artists       (TsDataset  *self);
const char         *ts_dataset_get_artist_name     (TsDataset  *self,
                                                    guint32     artist);
int                 ts_dataset_lookup_artist       (TsDataset  *self,
                                                    const char *name);
/* The artist's Spotify id, when the file gives artist ids (the 600k and
 * 1.2M sets), else NULL. */
const char         *ts_dataset_get_artist_id       (TsDataset  *self,
                                                    guint32     artist);
guint               ts_dataset_get_artist_genres   (TsDataset  *self,
                                                    guint32     artist,
                                                    const guint32 **genres);
/* Genres and labels share one pool of names. */
guint               ts_dataset_get_n_genres        (TsDataset  *self);
const char         *ts_dataset_get_genre_name      (TsDataset  *self,
                                                    guint32     genre);
int                 ts_dataset_lookup_genre        (TsDataset  *self,
                                                    const char *name);
/* The union of the song's artists' genres, each once. */
GArray             *ts_dataset_dup_song_genres     (TsDataset  *self,
                                                    guint       row);
/* Number of artists with at least one genre. */
guint               ts_dataset_get_n_genred_artists (TsDataset *self);

/* Aggregates: from the companion files when present, else derived
 * (year and artist; genres through artist -> genres when
 * data_w_genres.csv is there, else NULL). */
TsGroupTable       *ts_dataset_get_by_year         (TsDataset  *self);
TsGroupTable       *ts_dataset_get_by_artist       (TsDataset  *self);
TsGroupTable       *ts_dataset_get_by_genre        (TsDataset  *self);

/* Duplicates (same name and artists), search and ids. The index is built
 * on first use, by whichever thread asks first (the others wait for it);
 * call this, or load with build_index, from a worker thread to keep the
 * UI responsive. */
void                ts_dataset_ensure_index        (TsDataset  *self);
guint               ts_dataset_get_n_groups        (TsDataset  *self);
guint               ts_dataset_get_group           (TsDataset  *self,
                                                    guint       row);
guint               ts_dataset_get_group_rows      (TsDataset  *self,
                                                    guint       group,
                                                    const guint32 **rows);
GArray             *ts_dataset_search              (TsDataset  *self,
                                                    const char *query,
                                                    guint       limit);

char               *ts_fold_for_search             (const char *text);

G_END_DECLS
