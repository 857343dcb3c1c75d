/* ts-dataset-page.h: the Dataset page (first run, progress, summary)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ts-page.h"

G_BEGIN_DECLS

#define TS_TYPE_DATASET_PAGE (ts_dataset_page_get_type ())

G_DECLARE_FINAL_TYPE (TsDatasetPage, ts_dataset_page, TS, DATASET_PAGE, TsPage)

void       ts_dataset_page_show_current   (TsDatasetPage *self);
void       ts_dataset_page_show_progress  (TsDatasetPage *self,
                                           const char    *icon_name,
                                           const char    *title,
                                           const char    *description);
void       ts_dataset_page_set_progress   (TsDatasetPage *self,
                                           double         fraction,
                                           const char    *message);
void       ts_dataset_page_show_error     (TsDatasetPage *self,
                                           const char    *title,
                                           const char    *message);

G_END_DECLS
