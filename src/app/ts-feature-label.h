/* ts-feature-label.h: the features' names as the app shows them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tunescope-core.h"

G_BEGIN_DECLS

/* Translated, capitalised ("Danceability"). */
const char *ts_feature_get_label (TsFeature feature);

G_END_DECLS
