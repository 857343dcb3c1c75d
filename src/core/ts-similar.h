/* ts-similar.h: similar songs, artists and playlists, with explanations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ts-knn.h"
#include "ts-types.h"
#include "nn/ts-nn-model.h"

G_BEGIN_DECLS

typedef enum
{
  TS_PLAYLIST_MODE_CENTROID,  /* neighbours of the playlist's mean */
  TS_PLAYLIST_MODE_VOTE,      /* songs near many of the playlist's songs */
  TS_PLAYLIST_MODE_TRAIN,     /* a classifier trained on the playlist against random songs */
} TsPlaylistMode;

const char *ts_playlist_mode_get_name  (TsPlaylistMode  mode);
gboolean    ts_playlist_mode_from_name (const char     *name,
                                        TsPlaylistMode *mode);

/* How many features an explanation names on each side. */
#define TS_EXPLAIN_N 3

/* One feature of the query against one of the result. */
typedef struct
{
  TsFeature feature;
  double    query_value;   /* raw units (year, dB, BPM, …) */
  double    result_value;  /* raw units */
  double    difference;    /* result - query, min-max scaled: -1…1 */
} TsFeatureDelta;

typedef struct
{
  guint32        row;
  double         distance;   /* the metric's, to the query (vote: the nearest voter;
                              * train: 1 - the classifier's score, 0…1) */
  guint          votes;      /* vote mode: playlist songs that have it as a neighbour */
  TsFeatureDelta close[TS_EXPLAIN_N];   /* most alike first */
  TsFeatureDelta differ[TS_EXPLAIN_N];  /* most different first */
} TsSimilarResult;

typedef struct
{
  guint32 artist;
  double  distance;
} TsSimilarArtist;

typedef struct _TsSimilar TsSimilar;

/* @space has one point per row of @dataset; NULL means the base space. */
TsSimilar *ts_similar_new              (TsDataset      *dataset,
                                        TsSpace        *space,
                                        TsMetric        metric);
TsSimilar *ts_similar_ref              (TsSimilar      *self);
void       ts_similar_unref            (TsSimilar      *self);
/* One song per album (the 1.2M set names them): the nearest-neighbour
 * queries (song, artist, centroid playlist, features) then give each
 * album once, by its nearest song, besides each song once. Set it
 * before the first query; FALSE on a dataset without albums. */
gboolean   ts_similar_set_one_per_album (TsSimilar     *self,
                                        gboolean        one_per_album);
TsSpace   *ts_similar_get_space        (TsSimilar      *self);
TsDataset *ts_similar_get_dataset      (TsSimilar      *self);

/* Each returns a GArray of TsSimilarResult, nearest first, one per
 * duplicate group, never the query's own songs. */
GArray    *ts_similar_song             (TsSimilar      *self,
                                        guint           row,
                                        guint           limit);
/* Songs near the mean of the artist's songs (not the artist's own);
 * @artists (optional) receives a GArray of TsSimilarArtist. */
GArray    *ts_similar_artist           (TsSimilar      *self,
                                        guint32         artist,
                                        guint           limit,
                                        GArray        **artists);
/* TRAIN mode here trains without progress nor cancellation and gives no
 * results when training fails; prefer ts_similar_playlist_train (). */
GArray    *ts_similar_playlist         (TsSimilar      *self,
                                        const guint32  *rows,
                                        guint           n_rows,
                                        TsPlaylistMode  mode,
                                        guint           limit);

/* "Train on this playlist": a small classifier (Normalization → Dense 16
 * → relu → Dense 1 → sigmoid) on the search space's vectors, trained in
 * well under a second on the playlist's songs (positives) against a
 * seeded random sample of the other songs (negatives), then every song
 * ranked by its score; the playlist's songs (and their duplicates) are
 * left out and each duplicate group appears once. Explanations compare
 * with the playlist's mean. @progress gets every epoch (info->loss is the
 * binary cross-entropy) on this thread. An empty playlist is
 * TS_ERROR_INVALID_INPUT; cancellation is G_IO_ERROR_CANCELLED. */
GArray    *ts_similar_playlist_train   (TsSimilar      *self,
                                        const guint32  *rows,
                                        guint           n_rows,
                                        guint           limit,
                                        TsNnEpochFunc   progress,
                                        gpointer        progress_data,
                                        GCancellable   *cancellable,
                                        GError        **error);
/* The same on a worker thread (@rows is copied). Each epoch reaches
 * @progress in the caller's thread-default main context, all of them
 * before @callback. */
void       ts_similar_playlist_train_async (TsSimilar           *self,
                                        const guint32       *rows,
                                        guint                n_rows,
                                        guint                limit,
                                        TsNnEpochFunc        progress,
                                        gpointer             progress_data,
                                        GDestroyNotify       progress_data_free,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
GArray    *ts_similar_playlist_train_finish (TsSimilar      *self,
                                        GAsyncResult        *result,
                                        GError             **error);
/* The song at @row (or the dataset's mean when @row is -1) with the given
 * features set to @values in raw units. Only in spaces built from the
 * features themselves (base); others fail with TS_ERROR_INVALID_INPUT. */
GArray    *ts_similar_features         (TsSimilar      *self,
                                        int             row,
                                        const TsFeature *features,
                                        const double   *values,
                                        guint           n_features,
                                        guint           limit,
                                        GError        **error);
/* The query ts_similar_features searches for: @vector gets the 13
 * features min-max scaled (0…1), as ts_dataset_get_scaled () has them,
 * which is what a learnt space's model embeds (ts_model_embed_scaled). */
void       ts_similar_features_vector  (TsSimilar      *self,
                                        int             row,
                                        const TsFeature *features,
                                        const double   *values,
                                        guint           n_features,
                                        float           vector[TS_N_FEATURES]);
/* The same in any space: @embedded (the space's dimension; NULL in the
 * base space) is ts_similar_features_vector ()'s vector embedded by the
 * model the space was built with; the explanations still compare the
 * features. A learnt space without @embedded is TS_ERROR_INVALID_INPUT. */
GArray    *ts_similar_features_embedded (TsSimilar     *self,
                                        int             row,
                                        const TsFeature *features,
                                        const double   *values,
                                        guint           n_features,
                                        const float    *embedded,
                                        guint           limit,
                                        GError        **error);

/* Steering: the features query's TS_SIMILAR_STEER_POOL nearest songs (in
 * the base space), re-ranked by their distance scaled to [0, 1] over that
 * pool plus @row_cost[row] (n_rows values, >= 0): a cost of 1 weighs as
 * much as the whole pool's spread of distances. Nearest first after that;
 * ties go to the lower row, so the order is the same on every machine
 * whose distances agree. */
#define TS_SIMILAR_STEER_POOL 200
GArray    *ts_similar_features_steered (TsSimilar      *self,
                                        const TsFeature *features,
                                        const double   *values,
                                        guint           n_features,
                                        const float    *row_cost,
                                        guint           limit,
                                        GError        **error);

/* Parses "danceability=0.9,tempo=128" (locale-independent). */
gboolean   ts_similar_parse_features   (const char     *text,
                                        GArray         *features,
                                        GArray         *values,
                                        GError        **error);

/* Standardised features (z-scores of the 13 features, explicit and mode),
 * as the Kaggle notebook's StandardScaler does: the "kaggle" baseline. */
TsSpace   *ts_space_new_standardized   (TsDataset      *dataset);

/* Genre precision@k of @space under @metric (NULL space: k random songs):
 * over @n_queries songs drawn with @seed, the share of each song's k
 * nearest (other groups) that share its genre: the file's own label when
 * it has one (TidyTuesday's playlist_genre), else any genre of its
 * artists. Songs without a genre are neither queries nor neighbours.
 * Returns -1 with @error when the dataset has no genres. */
double     ts_similar_eval_precision   (TsDataset      *dataset,
                                        TsSpace        *space,
                                        TsMetric        metric,
                                        guint           k,
                                        guint           n_queries,
                                        guint32         seed,
                                        GError        **error);
/* The same with queries drawn only among the rows flagged in @query_rows
 * (n_rows flags; NULL: any), e.g. the songs of artists a learned space
 * never saw (ts_model_dup_held_out_songs ()); neighbours may be any song. */
double     ts_similar_eval_precision_among (TsDataset    *dataset,
                                        TsSpace        *space,
                                        TsMetric        metric,
                                        guint           k,
                                        guint           n_queries,
                                        guint32         seed,
                                        const guint8   *query_rows,
                                        GError        **error);

/* One query of any kind, for the asynchronous form. */
typedef enum
{
  TS_QUERY_SONG,
  TS_QUERY_ARTIST,
  TS_QUERY_PLAYLIST,
  TS_QUERY_FEATURES,
} TsQueryKind;

typedef struct
{
  TsQueryKind      kind;
  guint            row;         /* SONG */
  guint32          artist;      /* ARTIST */
  const guint32   *rows;        /* PLAYLIST */
  guint            n_rows;
  TsPlaylistMode   mode;
  const TsFeature *features;    /* FEATURES */
  const double    *values;
  guint            n_features;
  int              start_row;   /* FEATURES: the song to start from, -1: the mean */
  const float     *embedded;    /* FEATURES in a learnt space: see
                                 * ts_similar_features_embedded () */
  guint            limit;
} TsSimilarQuery;

/* Runs @query in a worker thread (the query is copied). The result is a
 * GArray of TsSimilarResult; for an artist, @artists receives the similar
 * artists. A playlist in TRAIN mode reports errors and honours
 * @cancellable (without progress: see ts_similar_playlist_train_async). */
void       ts_similar_query_async      (TsSimilar            *self,
                                        const TsSimilarQuery *query,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
GArray    *ts_similar_query_finish     (TsSimilar            *self,
                                        GAsyncResult         *result,
                                        GArray              **artists,
                                        GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsSimilar, ts_similar_unref)

G_END_DECLS
