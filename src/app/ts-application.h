/* ts-application.h: the Tunescope application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ts-cover-loader.h"
#include "tunescope-core.h"

G_BEGIN_DECLS

#define TS_TYPE_APPLICATION (ts_application_get_type ())

G_DECLARE_FINAL_TYPE (TsApplication, ts_application, TS, APPLICATION, AdwApplication)

TsApplication *ts_application_new              (void);
TsCoverLoader *ts_application_get_cover_loader (TsApplication *self);
/* Says that the model of @kind was trained again: emits "models-changed"
 * (with the kind's name), after which spaces built on the old model are
 * stale. */
void           ts_application_models_changed   (TsApplication *self,
                                                TsModelKind    kind);

G_END_DECLS
