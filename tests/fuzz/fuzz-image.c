/* fuzz-image.c: decoding covers and pictures (JPEG, PNG, WebP, GIF, BMP,
 * TIFF) through ts_image_decode_bytes (), with its size caps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is decoded as a thumbnail, as the art cache and the CNN ask,
 * and at full size, as the Cover Art Archive's answers are checked; a
 * full-size image is then made a Cairo surface, as the app shows it.
 */

#include "config.h"

#include <stdlib.h>

#include "ts-fuzz.h"

static TsImage *
decode (GBytes *bytes,
        guint   max_size)
{
  g_autoptr(GError) error = NULL;
  TsImage *image = ts_image_decode_bytes (bytes, "image", max_size, &error);
  gsize pixel_bytes;

  if ((image == NULL) == (error == NULL))
    abort ();
  if (image == NULL)
    return NULL;
  /* What the caps promise, and pixels that cover the rows. */
  pixel_bytes = g_bytes_get_size (ts_image_get_pixels (image));
  if (ts_image_get_width (image) == 0 || ts_image_get_height (image) == 0 ||
      ts_image_get_width (image) > TS_IMAGE_MAX_DIMENSION ||
      ts_image_get_height (image) > TS_IMAGE_MAX_DIMENSION ||
      ts_image_get_stride (image) < ts_image_get_width (image) * 3 ||
      pixel_bytes < ts_image_get_stride (image) * (ts_image_get_height (image) - 1) +
                    ts_image_get_width (image) * (ts_image_get_has_alpha (image) ? 4 : 3))
    abort ();
  return image;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(TsImage) thumbnail = decode (bytes, 128);
  g_autoptr(TsImage) full = decode (bytes, 0);

  /* Both sizes come from the same header: one decodes where the other does. */
  if ((thumbnail == NULL) != (full == NULL))
    abort ();
  if (full != NULL)
    cairo_surface_destroy (ts_image_to_cairo_surface (full));
  return 0;
}
