/* ts-types.h: shared enums, forward typedefs and callbacks of the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The 13 numeric features used for charts and similarity, in data.csv's
 * header order. Every numeric column but explicit and mode. */
typedef enum
{
  TS_FEATURE_VALENCE,
  TS_FEATURE_YEAR,
  TS_FEATURE_ACOUSTICNESS,
  TS_FEATURE_DANCEABILITY,
  TS_FEATURE_DURATION_MS,
  TS_FEATURE_ENERGY,
  TS_FEATURE_INSTRUMENTALNESS,
  TS_FEATURE_KEY,
  TS_FEATURE_LIVENESS,
  TS_FEATURE_LOUDNESS,
  TS_FEATURE_POPULARITY,
  TS_FEATURE_SPEECHINESS,
  TS_FEATURE_TEMPO,
  TS_N_FEATURES
} TsFeature;

/* Numeric columns stored per song: the features, then explicit and mode. */
typedef enum
{
  TS_COLUMN_EXPLICIT = TS_N_FEATURES,
  TS_COLUMN_MODE,
  TS_N_COLUMNS
} TsColumn;

/* Called from the thread doing the work, unless an _async wrapper says
 * otherwise. @fraction is in [0,1], or negative when unknown. */
typedef void (*TsProgressFunc) (double      fraction,
                                const char *message,
                                gpointer    user_data);

typedef struct _TsDataset    TsDataset;
typedef struct _TsGroupTable TsGroupTable;

const char *ts_feature_get_name     (TsFeature   feature);
gboolean    ts_feature_from_name    (const char *name,
                                     TsFeature  *feature);
gboolean    ts_feature_is_unit      (TsFeature   feature);
void        ts_feature_get_bounds   (TsFeature   feature,
                                     double     *min,
                                     double     *max);

G_END_DECLS
