/* ts-discover-page.h: the Discover page (songs like a song or an artist)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ts-page.h"

G_BEGIN_DECLS

#define TS_TYPE_DISCOVER_PAGE (ts_discover_page_get_type ())

G_DECLARE_FINAL_TYPE (TsDiscoverPage, ts_discover_page, TS, DISCOVER_PAGE, TsPage)

G_END_DECLS
