/* ts-models-window.h: the Models dialog: the trained models, and a form
 * to train the predictor or the autoencoder again with a live loss chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tunescope-core.h"

G_BEGIN_DECLS

#define TS_TYPE_MODELS_WINDOW (ts_models_window_get_type ())

G_DECLARE_FINAL_TYPE (TsModelsWindow, ts_models_window, TS, MODELS_WINDOW, AdwPreferencesWindow)

/* @dataset (may be NULL: listing only) is what the form trains on. */
GtkWidget *ts_models_window_new    (GtkWindow      *parent,
                                    TsDataset      *dataset);
/* Reads the models folder again. */
void       ts_models_window_reload (TsModelsWindow *self);

G_END_DECLS
