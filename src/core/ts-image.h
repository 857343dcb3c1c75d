/* ts-image.h: decoding covers into 8-bit RGB(A) pixels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* Images larger than this, in either side or in pixels, are refused before
 * any pixel is decoded: a guard against decompression bombs. */
#define TS_IMAGE_MAX_DIMENSION 16384
#define TS_IMAGE_MAX_PIXELS    (64u * 1024u * 1024u)
/* PNG, GIF, BMP and TIFF go through gdk-pixbuf, which decodes the whole
 * image at 4 bytes a pixel before any scaling, and the RGB copy adds 3
 * more: at 40 Mpx (an 8K screenshot is 33) that is 280 MB at the peak.
 * At 64 Mpx a 48-byte GIF took 600 MB (fuzz-image, oom-gif-logical-screen). */
#define TS_IMAGE_MAX_PIXBUF_PIXELS (40u * 1000u * 1000u)

/* Decoded pixels: rows of RGB (3 bytes) or RGBA (4 bytes, straight alpha)
 * at @stride bytes apart. For GTK, hand the bytes to
 * gdk_memory_texture_new() as GDK_MEMORY_R8G8B8 or GDK_MEMORY_R8G8B8A8; for
 * Cairo use ts_image_to_cairo_surface(). */
typedef struct _TsImage TsImage;

/* Decodes @data. JPEG goes through libjpeg-turbo (baseline, progressive,
 * grayscale, CMYK), WebP through libwebp (lossy, lossless, alpha; of an
 * animation, the first frame); PNG, GIF, BMP and TIFF through gdk-pixbuf
 * (when its loader is installed); other formats are refused. @max_size > 0
 * asks for a thumbnail: the image is scaled down in the decoder itself so
 * that its longer side is about @max_size, never below it unless the
 * image is smaller (an animated WebP keeps its full size); 0 keeps the
 * full size. @name (a file name or URL) is
 * named in errors, which are TS_ERROR_INVALID_INPUT. */
TsImage         *ts_image_decode_bytes     (GBytes        *data,
                                            const char    *name,
                                            guint          max_size,
                                            GError       **error);
TsImage         *ts_image_load_file        (const char    *path,
                                            guint          max_size,
                                            GError       **error);
void             ts_image_free             (TsImage       *self);

guint            ts_image_get_width        (TsImage       *self);
guint            ts_image_get_height       (TsImage       *self);
gsize            ts_image_get_stride       (TsImage       *self);
gboolean         ts_image_get_has_alpha    (TsImage       *self);
GBytes          *ts_image_get_pixels       (TsImage       *self);
/* A new CAIRO_FORMAT_RGB24 or ARGB32 (premultiplied) surface. */
cairo_surface_t *ts_image_to_cairo_surface (TsImage       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsImage, ts_image_free)

G_END_DECLS
