/* ts-image-page.h: the Image page (songs that sound like a picture)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ts-page.h"

G_BEGIN_DECLS

#define TS_TYPE_IMAGE_PAGE (ts_image_page_get_type ())

G_DECLARE_FINAL_TYPE (TsImagePage, ts_image_page, TS, IMAGE_PAGE, TsPage)

/* Shows @file (an image) or @texture (dropped image data) and the songs
 * like it; a bad image is a toast. */
void       ts_image_page_open_file    (TsImagePage *self,
                                       GFile       *file);
void       ts_image_page_open_texture (TsImagePage *self,
                                       GdkTexture  *texture);

G_END_DECLS
