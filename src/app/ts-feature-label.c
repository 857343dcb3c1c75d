/* ts-feature-label.c: the features' names as the app shows them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-feature-label"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "ts-feature-label.h"

/* In TsFeature order. */
static const char * const feature_labels[TS_N_FEATURES] = {
  N_("Valence"), N_("Year"), N_("Acousticness"), N_("Danceability"), N_("Duration"),
  N_("Energy"), N_("Instrumentalness"), N_("Key"), N_("Liveness"), N_("Loudness"),
  N_("Popularity"), N_("Speechiness"), N_("Tempo"),
};

const char *
ts_feature_get_label (TsFeature feature)
{
  g_return_val_if_fail (feature < TS_N_FEATURES, NULL);

  return _(feature_labels[feature]);
}

char *
ts_feature_format_value (TsFeature feature,
                         double    value)
{
  switch (feature)
    {
    case TS_FEATURE_YEAR:
    case TS_FEATURE_POPULARITY:
      return g_strdup_printf ("%.0f", value);
    case TS_FEATURE_DURATION_MS:
      {
        int seconds = (int) lround (value / 1000.0);
        return g_strdup_printf ("%d:%02d", seconds / 60, seconds % 60);
      }
    case TS_FEATURE_LOUDNESS:
      return g_strdup_printf (_("%.1f dB"), value);
    case TS_FEATURE_TEMPO:
      return g_strdup_printf (_("%.0f BPM"), value);
    case TS_FEATURE_KEY:
      return g_strdup_printf ("%.0f", value);
    default:
      return g_strdup_printf ("%.2f", value);
    }
}
