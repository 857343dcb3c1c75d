/* ts-feature-sliders.h: one slider per audio feature, to steer a query
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tunescope-core.h"

G_BEGIN_DECLS

#define TS_TYPE_FEATURE_SLIDERS (ts_feature_sliders_get_type ())

G_DECLARE_FINAL_TYPE (TsFeatureSliders, ts_feature_sliders, TS, FEATURE_SLIDERS, GtkWidget)

/* The sliders span the dataset's range of each feature and start at its
 * mean (the reference). */
void       ts_feature_sliders_set_dataset     (TsFeatureSliders *self,
                                               TsDataset        *dataset);
/* The reference becomes the mean of @rows (one song, an artist's songs;
 * NULL: every song) and the sliders move there, without "changed". */
void       ts_feature_sliders_set_reference   (TsFeatureSliders *self,
                                               const guint32    *rows,
                                               guint             n_rows);
/* The sliders back at the reference, without "changed". */
void       ts_feature_sliders_reset           (TsFeatureSliders *self);
/* The steered features whose slider left the reference, and their raw
 * values; returns how many (at most TS_N_FEATURES). */
guint      ts_feature_sliders_get_changes     (TsFeatureSliders *self,
                                               TsFeature        *features,
                                               double           *values);
/* Every steered feature and its slider's raw value. */
guint      ts_feature_sliders_get_values      (TsFeatureSliders *self,
                                               TsFeature        *features,
                                               double           *values);
/* The biggest changes in words ("more energy, less valence"); NULL when
 * nothing moved. */
char      *ts_feature_sliders_describe_changes (TsFeatureSliders *self);

G_END_DECLS
