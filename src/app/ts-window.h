/* ts-window.h: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tunescope-core.h"

G_BEGIN_DECLS

#define TS_TYPE_WINDOW (ts_window_get_type ())

G_DECLARE_FINAL_TYPE (TsWindow, ts_window, TS, WINDOW, AdwApplicationWindow)

TsWindow  *ts_window_new             (GtkApplication *application);
TsDataset *ts_window_get_dataset     (TsWindow      *self);
gboolean   ts_window_is_idle         (TsWindow      *self);
void       ts_window_open_file       (TsWindow      *self,
                                      GFile         *file);
void       ts_window_restore_dataset (TsWindow      *self);

G_END_DECLS
