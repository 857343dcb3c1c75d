/* ts-feature-label.c: the features' names as the app shows them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-feature-label"

#include "config.h"

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
