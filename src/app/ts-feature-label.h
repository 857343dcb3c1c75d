/* ts-feature-label.h: the features' names as the app shows them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tunescope-core.h"

G_BEGIN_DECLS

/* Translated, capitalised ("Danceability"). */
const char *ts_feature_get_label    (TsFeature feature);
/* A raw value as the app shows it ("120 BPM", "-7.5 dB", "3:45", "0.73"). */
char       *ts_feature_format_value (TsFeature feature,
                                     double    value);

G_END_DECLS
