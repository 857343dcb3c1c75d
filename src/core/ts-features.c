/* ts-features.c: names and valid ranges of the 13 features
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-features"

#include "config.h"

#include <string.h>

#include "ts-types.h"

typedef struct
{
  const char *name;
  double      min;
  double      max;
} FeatureInfo;

/* The bounds are what a row may hold before it counts as malformed: the
 * Spotify API's documented ranges, widened where real songs go beyond
 * them (loudness above 0 dB, an hour-long track). */
static const FeatureInfo features[TS_N_FEATURES] = {
  [TS_FEATURE_VALENCE]          = { "valence",          0.0,    1.0 },
  [TS_FEATURE_YEAR]             = { "year",             1800.0, 2100.0 },
  [TS_FEATURE_ACOUSTICNESS]     = { "acousticness",     0.0,    1.0 },
  [TS_FEATURE_DANCEABILITY]     = { "danceability",     0.0,    1.0 },
  [TS_FEATURE_DURATION_MS]      = { "duration_ms",      0.0,    24.0 * 3600.0 * 1000.0 },
  [TS_FEATURE_ENERGY]           = { "energy",           0.0,    1.0 },
  [TS_FEATURE_INSTRUMENTALNESS] = { "instrumentalness", 0.0,    1.0 },
  [TS_FEATURE_KEY]              = { "key",              -1.0,   11.0 },
  [TS_FEATURE_LIVENESS]         = { "liveness",         0.0,    1.0 },
  [TS_FEATURE_LOUDNESS]         = { "loudness",         -100.0, 20.0 },
  [TS_FEATURE_POPULARITY]       = { "popularity",       0.0,    100.0 },
  [TS_FEATURE_SPEECHINESS]      = { "speechiness",      0.0,    1.0 },
  [TS_FEATURE_TEMPO]            = { "tempo",            0.0,    1000.0 },
};

const char *
ts_feature_get_name (TsFeature feature)
{
  g_return_val_if_fail (feature < TS_N_FEATURES, NULL);

  return features[feature].name;
}

gboolean
ts_feature_from_name (const char *name,
                      TsFeature  *feature)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < TS_N_FEATURES; i++)
    {
      if (g_ascii_strcasecmp (name, features[i].name) == 0)
        {
          if (feature != NULL)
            *feature = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* Whether the feature is a probability-like value in [0,1]. */
gboolean
ts_feature_is_unit (TsFeature feature)
{
  g_return_val_if_fail (feature < TS_N_FEATURES, FALSE);

  return features[feature].min == 0.0 && features[feature].max == 1.0;
}

void
ts_feature_get_bounds (TsFeature  feature,
                       double    *min,
                       double    *max)
{
  g_return_if_fail (feature < TS_N_FEATURES);

  if (min != NULL)
    *min = features[feature].min;
  if (max != NULL)
    *max = features[feature].max;
}
