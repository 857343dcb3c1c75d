/* ts-explore-page.h: the Explore page (correlations, years, genres,
 * artists)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ts-page.h"

G_BEGIN_DECLS

#define TS_TYPE_EXPLORE_PAGE (ts_explore_page_get_type ())

G_DECLARE_FINAL_TYPE (TsExplorePage, ts_explore_page, TS, EXPLORE_PAGE, TsPage)

G_END_DECLS
