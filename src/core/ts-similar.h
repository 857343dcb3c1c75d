/* ts-similar.h: similar songs, artists and playlists, with explanations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ts-knn.h"
#include "ts-types.h"

G_BEGIN_DECLS

typedef enum
{
  TS_PLAYLIST_MODE_CENTROID,  /* neighbours of the playlist's mean */
  TS_PLAYLIST_MODE_VOTE,      /* songs near many of the playlist's songs */
} TsPlaylistMode;

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
  double         distance;   /* the metric's, to the query (vote: the nearest voter) */
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
TsSpace   *ts_similar_get_space        (TsSimilar      *self);

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
GArray    *ts_similar_playlist         (TsSimilar      *self,
                                        const guint32  *rows,
                                        guint           n_rows,
                                        TsPlaylistMode  mode,
                                        guint           limit);
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
  guint            limit;
} TsSimilarQuery;

/* Runs @query in a worker thread (the query is copied). The result is a
 * GArray of TsSimilarResult; for an artist, @artists receives the similar
 * artists. */
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
