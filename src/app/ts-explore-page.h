/* ts-explore-page.h: the Explore page (correlations, years, genres,
 * artists)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tunescope-core.h"

G_BEGIN_DECLS

#define TS_TYPE_EXPLORE_PAGE (ts_explore_page_get_type ())

G_DECLARE_FINAL_TYPE (TsExplorePage, ts_explore_page, TS, EXPLORE_PAGE, GtkWidget)

TsDataset *ts_explore_page_get_dataset (TsExplorePage *self);
void       ts_explore_page_set_dataset (TsExplorePage *self,
                                        TsDataset     *dataset);

G_END_DECLS
