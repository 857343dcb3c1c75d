/* ts-image.c: decoding covers into 8-bit RGB(A) pixels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The magic bytes pick the decoder: JPEG goes to libjpeg-turbo and WebP to
 * libwebp, the two formats covers and web pages use most, so that neither
 * depends on which gdk-pixbuf loaders happen to be installed (WebP has none
 * by default); PNG, GIF, BMP and TIFF go to gdk-pixbuf. Every decoder reads
 * the size from the header first and hands it to check_dimensions(), the
 * one guard against decompression bombs, before it allocates any pixels;
 * thumbnail_size() is the one rule for scaling down while decoding.
 */

#define G_LOG_DOMAIN "ts-image"

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <turbojpeg.h>
#include <webp/decode.h>
#include <webp/demux.h>

#include "ts-error.h"
#include "ts-image.h"

struct _TsImage
{
  guint     width;
  guint     height;
  gsize     stride;
  gboolean  has_alpha;
  GBytes   *pixels;
};

void
ts_image_free (TsImage *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->pixels, g_bytes_unref);
  g_free (self);
}

static TsImage *
image_new (guint     width,
           guint     height,
           gsize     stride,
           gboolean  has_alpha,
           GBytes   *pixels)
{
  TsImage *self = g_new0 (TsImage, 1);

  self->width = width;
  self->height = height;
  self->stride = stride;
  self->has_alpha = has_alpha;
  self->pixels = pixels;
  return self;
}

static gboolean
check_dimensions (const char  *name,
                  int          width,
                  int          height,
                  GError     **error)
{
  g_assert (name != NULL);

  if (width <= 0 || height <= 0)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                   "The image “%s” has no pixels", name);
      return FALSE;
    }
  if (width > TS_IMAGE_MAX_DIMENSION || height > TS_IMAGE_MAX_DIMENSION ||
      (guint64) width * (guint64) height > TS_IMAGE_MAX_PIXELS)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                   "The image “%s” is too large (%d × %d pixels; at most %u per side and %u "
                   "in all)", name, width, height, TS_IMAGE_MAX_DIMENSION, TS_IMAGE_MAX_PIXELS);
      return FALSE;
    }
  return TRUE;
}

/* The size a decoder that can scale freely (gdk-pixbuf, libwebp) gives a
 * thumbnail: the longer side becomes @max_size, the aspect ratio stays. */
static void
thumbnail_size (int   width,
                int   height,
                guint max_size,
                int  *out_width,
                int  *out_height)
{
  double ratio;

  g_assert (width > 0 && height > 0);

  *out_width = width;
  *out_height = height;
  if (max_size == 0 || (guint) MAX (width, height) <= max_size)
    return;
  ratio = (double) max_size / MAX (width, height);
  *out_width = MAX (1, (int) (width * ratio + 0.5));
  *out_height = MAX (1, (int) (height * ratio + 0.5));
}

/* JPEG */

static gboolean
is_jpeg (const guint8 *data,
         gsize         size)
{
  return size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff;
}

/* Photoshop and ImageMagick write CMYK JPEGs inverted and say so in an
 * APP14 "Adobe" segment; TurboJPEG does not tell, so look for it. */
static gboolean
has_adobe_marker (const guint8 *data,
                  gsize         size)
{
  gsize i = 2;

  while (i + 4 <= size && data[i] == 0xff)
    {
      guint marker = data[i + 1];
      gsize length = ((gsize) data[i + 2] << 8) | data[i + 3];

      if (marker == 0xda || marker == 0xd9)
        break;
      if (marker == 0xee && length >= 7 && i + 9 <= size && memcmp (data + i + 4, "Adobe", 5) == 0)
        return TRUE;
      i += 2 + length;
    }
  return FALSE;
}

/* The smallest scale whose result still covers @max_size. */
static tjscalingfactor
pick_scale (int   width,
            int   height,
            guint max_size)
{
  tjscalingfactor best = { 1, 1 };
  tjscalingfactor *factors;
  int longer = MAX (width, height);
  int n = 0;

  if (max_size == 0 || (guint) longer <= max_size)
    return best;
  factors = tjGetScalingFactors (&n);
  for (int i = 0; factors != NULL && i < n; i++)
    {
      int scaled = TJSCALED (longer, factors[i]);

      if (factors[i].num > factors[i].denom)
        continue;
      if ((guint) scaled >= max_size && scaled < TJSCALED (longer, best))
        best = factors[i];
    }
  return best;
}

static void
cmyk_to_rgb (guint8   *pixels,
             gsize     n_pixels,
             gboolean  inverted)
{
  /* In place: RGB is shorter than CMYK, so the read stays ahead. */
  for (gsize i = 0; i < n_pixels; i++)
    {
      guint c = pixels[4 * i], m = pixels[4 * i + 1], y = pixels[4 * i + 2], k = pixels[4 * i + 3];

      if (!inverted)
        {
          c = 255 - c;
          m = 255 - m;
          y = 255 - y;
          k = 255 - k;
        }
      pixels[3 * i] = (guint8) (c * k / 255);
      pixels[3 * i + 1] = (guint8) (m * k / 255);
      pixels[3 * i + 2] = (guint8) (y * k / 255);
    }
}

static gboolean
jpeg_failed (tjhandle     handle,
             const char  *name,
             GError     **error)
{
  const char *message = tjGetErrorStr2 (handle);

  g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT, "The image “%s” is not a valid JPEG: %s",
               name, message != NULL ? message : "unknown error");
  return FALSE;
}

/* TurboJPEG reports a truncated file as a mere warning: refuse it, since
 * half a cover is a broken cover; accept the other, harmless warnings. */
static gboolean
jpeg_warning_is_fatal (tjhandle handle)
{
  const char *message = tjGetErrorStr2 (handle);

  if (tjGetErrorCode (handle) != TJERR_WARNING)
    return TRUE;
  return message == NULL || strstr (message, "Premature end") != NULL;
}

static TsImage *
decode_jpeg (const guint8  *data,
             gsize          size,
             const char    *name,
             guint          max_size,
             GError       **error)
{
  tjhandle handle = tjInitDecompress ();
  g_autofree guint8 *pixels = NULL;
  tjscalingfactor scale;
  int width = 0, height = 0, subsamp = 0, colorspace = 0;
  int out_width, out_height;
  gboolean cmyk;
  TsImage *image = NULL;

  if (handle == NULL)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_IO, "Could not start decoding “%s”", name);
      return NULL;
    }
  if (tjDecompressHeader3 (handle, data, (unsigned long) size, &width, &height, &subsamp,
                           &colorspace) != 0)
    {
      jpeg_failed (handle, name, error);
      goto out;
    }
  if (!check_dimensions (name, width, height, error))
    goto out;

  scale = pick_scale (width, height, max_size);
  out_width = TJSCALED (width, scale);
  out_height = TJSCALED (height, scale);
  cmyk = colorspace == TJCS_CMYK || colorspace == TJCS_YCCK;
  pixels = g_malloc ((gsize) out_width * (gsize) out_height * (cmyk ? 4 : 3));

  if (tjDecompress2 (handle, data, (unsigned long) size, pixels, out_width, 0, out_height,
                     cmyk ? TJPF_CMYK : TJPF_RGB, TJFLAG_ACCURATEDCT) != 0 &&
      jpeg_warning_is_fatal (handle))
    {
      jpeg_failed (handle, name, error);
      goto out;
    }
  if (cmyk)
    {
      cmyk_to_rgb (pixels, (gsize) out_width * (gsize) out_height, has_adobe_marker (data, size));
      pixels = g_realloc (pixels, (gsize) out_width * (gsize) out_height * 3);
    }
  image = image_new ((guint) out_width, (guint) out_height, (gsize) out_width * 3, FALSE,
                     g_bytes_new_take (g_steal_pointer (&pixels),
                                       (gsize) out_width * (gsize) out_height * 3));
out:
  tjDestroy (handle);
  return image;
}

/* WebP */

static gboolean
is_webp (const guint8 *data,
         gsize         size)
{
  return size >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0;
}

static const char *
webp_status_reason (VP8StatusCode status)
{
  switch (status)
    {
    case VP8_STATUS_NOT_ENOUGH_DATA:
      return "the file is truncated";
    case VP8_STATUS_UNSUPPORTED_FEATURE:
      return "it uses a feature libwebp does not support";
    case VP8_STATUS_OUT_OF_MEMORY:
      return "out of memory";
    default:
      return "the data is corrupt";
    }
}

static TsImage *
webp_failed (const char  *name,
             const char  *why,
             GError     **error)
{
  g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT, "The image “%s” is not a valid WebP: %s",
               name, why);
  return NULL;
}

/* A still image, lossy or lossless, decoded (and scaled, by libwebp's own
 * area-averaging rescaler) straight into the buffer the TsImage keeps. */
static TsImage *
decode_webp_still (const guint8       *data,
                   gsize               size,
                   const char         *name,
                   guint               max_size,
                   WebPDecoderConfig  *config,
                   GError            **error)
{
  gboolean alpha = config->input.has_alpha;
  g_autofree guint8 *pixels = NULL;
  VP8StatusCode status;
  int width, height;
  gsize stride;

  thumbnail_size (config->input.width, config->input.height, max_size, &width, &height);
  if (width != config->input.width || height != config->input.height)
    {
      config->options.use_scaling = TRUE;
      config->options.scaled_width = width;
      config->options.scaled_height = height;
    }
  stride = (gsize) width * (alpha ? 4 : 3);
  pixels = g_malloc (stride * (gsize) height);
  config->output.colorspace = alpha ? MODE_RGBA : MODE_RGB;
  config->output.is_external_memory = TRUE;
  config->output.u.RGBA.rgba = pixels;
  config->output.u.RGBA.stride = (int) stride;
  config->output.u.RGBA.size = stride * (gsize) height;

  status = WebPDecode (data, size, config);
  WebPFreeDecBuffer (&config->output);
  if (status != VP8_STATUS_OK)
    return webp_failed (name, webp_status_reason (status), error);
  return image_new ((guint) width, (guint) height, stride, alpha,
                    g_bytes_new_take (g_steal_pointer (&pixels), stride * (gsize) height));
}

/* An animation: its first frame, composed onto the canvas as a viewer
 * shows it before it starts playing. libwebp's animation decoder does not
 * scale, so @max_size is not honoured here; the canvas passed the size
 * check already. */
static TsImage *
decode_webp_first_frame (const guint8  *data,
                         gsize          size,
                         const char    *name,
                         GError       **error)
{
  WebPData webp = { data, size };
  WebPAnimDecoderOptions options;
  WebPAnimDecoder *decoder = NULL;
  WebPAnimInfo info;
  uint8_t *frame = NULL;
  int timestamp = 0;
  TsImage *image = NULL;
  gsize stride;

  if (WebPAnimDecoderOptionsInit (&options))
    {
      options.color_mode = MODE_RGBA;
      options.use_threads = FALSE;
      decoder = WebPAnimDecoderNew (&webp, &options);
    }
  /* The demuxer under it wants every chunk whole: a truncated or
   * corrupt animation fails here, with no more detail to give. */
  if (decoder == NULL || !WebPAnimDecoderGetInfo (decoder, &info) ||
      !WebPAnimDecoderGetNext (decoder, &frame, &timestamp))
    {
      webp_failed (name, "the animation is truncated or corrupt", error);
      goto out;
    }
  stride = (gsize) info.canvas_width * 4;
  image = image_new (info.canvas_width, info.canvas_height, stride, TRUE,
                     g_bytes_new (frame, stride * info.canvas_height));
out:
  WebPAnimDecoderDelete (decoder);
  return image;
}

static TsImage *
decode_webp (const guint8  *data,
             gsize          size,
             const char    *name,
             guint          max_size,
             GError       **error)
{
  WebPDecoderConfig config;
  VP8StatusCode status;

  if (!WebPInitDecoderConfig (&config))
    {
      g_set_error (error, TS_ERROR, TS_ERROR_IO, "Could not start decoding “%s”", name);
      return NULL;
    }
  /* Only the headers: the size of a still image or of an animation's
   * canvas, checked before anything is allocated for the pixels. */
  status = WebPGetFeatures (data, size, &config.input);
  if (status != VP8_STATUS_OK)
    return webp_failed (name, webp_status_reason (status), error);
  if (!check_dimensions (name, config.input.width, config.input.height, error))
    return NULL;
  if (config.input.has_animation)
    return decode_webp_first_frame (data, size, name, error);
  return decode_webp_still (data, size, name, max_size, &config, error);
}

/* Everything else */

typedef struct
{
  const char *name;
  guint       max_size;
  gboolean    too_large;
  GError     *error;
} PixbufSizeCheck;

static gboolean
check_pixbuf_pixels (const char  *name,
                     int          width,
                     int          height,
                     GError     **error)
{
  if ((guint64) width * (guint64) height <= TS_IMAGE_MAX_PIXBUF_PIXELS)
    return TRUE;
  g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
               "The image “%s” is too large (%d × %d pixels; at most %u in all for PNG, GIF, "
               "BMP and TIFF)", name, width, height, TS_IMAGE_MAX_PIXBUF_PIXELS);
  return FALSE;
}

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         data)
{
  PixbufSizeCheck *check = data;
  int out_width, out_height;

  if (!check_dimensions (check->name, width, height, &check->error) ||
      !check_pixbuf_pixels (check->name, width, height, &check->error))
    {
      /* A size of 0 × 0 makes gdk-pixbuf's loaders stop before they
       * allocate anything (the trick of gdk_pixbuf_get_file_info()). */
      check->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }
  thumbnail_size (width, height, check->max_size, &out_width, &out_height);
  if (out_width != width || out_height != height)
    gdk_pixbuf_loader_set_size (loader, out_width, out_height);
}

static TsImage *
image_from_pixbuf (GdkPixbuf *pixbuf)
{
  GdkPixbuf *rgb = pixbuf;
  TsImage *image;

  g_assert (GDK_IS_PIXBUF (pixbuf));

  if (gdk_pixbuf_get_bits_per_sample (pixbuf) != 8 || gdk_pixbuf_get_n_channels (pixbuf) <
      (gdk_pixbuf_get_has_alpha (pixbuf) ? 4 : 3))
    rgb = gdk_pixbuf_add_alpha (pixbuf, FALSE, 0, 0, 0);
  else
    g_object_ref (rgb);

  image = image_new ((guint) gdk_pixbuf_get_width (rgb), (guint) gdk_pixbuf_get_height (rgb),
                     (gsize) gdk_pixbuf_get_rowstride (rgb), gdk_pixbuf_get_has_alpha (rgb),
                     gdk_pixbuf_read_pixel_bytes (rgb));
  g_object_unref (rgb);
  return image;
}

/* The gdk-pixbuf loader for @data, chosen by its magic bytes rather than
 * by gdk-pixbuf's own guess: only these well-trodden formats are read, so
 * that no untrusted bytes reach the rarer loaders (SVG, ICO, TGA, XPM…). */
static const char *
sniff_format (const guint8 *data,
              gsize         size)
{
  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (size >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "gif";
  if (size >= 2 && memcmp (data, "BM", 2) == 0)
    return "bmp";
  if (size >= 4 && (memcmp (data, "II*\0", 4) == 0 || memcmp (data, "MM\0*", 4) == 0))
    return "tiff";
  return NULL;
}

static guint32
read_le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

/* gdk-pixbuf's BMP loader grows its buffer to the size the file's info
 * header says it has, and then to the offset of the pixels, before it reads
 * the image's size: a 100-byte file whose header claimed 543 MB had it ask
 * for as much (fuzz-image, tests/fuzz/corpus/image/oom-bmp-header), and a
 * 141-byte one whose pixels were said to start at 2.4 GB asked for that
 * (oom-bmp-pixel-offset). The headers it knows are 12 to 124 bytes long,
 * and the header and the start of the pixels have to be in the file. */
static gboolean
check_bmp_header (const guint8  *data,
                  gsize          size,
                  const char    *name,
                  GError       **error)
{
  guint32 pixel_offset, header_size;

  g_assert (size >= 2);

  if (size >= 18)
    {
      pixel_offset = read_le32 (data + 10);
      header_size = read_le32 (data + 14);
      if (header_size >= 12 && header_size <= 124 && 14 + header_size <= size &&
          pixel_offset <= size)
        return TRUE;
    }
  g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
               "The image “%s” is not a valid BMP: its header is truncated or corrupt", name);
  return FALSE;
}

/* The data sub-blocks from @i on (a length byte, then that many bytes,
 * until a length of 0): where they end, or 0 when the data does first. */
static gsize
skip_gif_sub_blocks (const guint8 *data,
                     gsize         size,
                     gsize         i)
{
  while (i < size && data[i] != 0)
    i += 1 + (gsize) data[i];
  return i < size ? i + 1 : 0;
}

/* gdk-pixbuf's GIF loader makes each frame a pixbuf of the frame's own
 * size, whatever the size of the image: a frame of 0 × 0 pixels fails an
 * assertion in gdk-pixbuf (a critical, which aborts under
 * G_DEBUG=fatal-criticals) before it reports "not enough memory"
 * (tests/fuzz/corpus/image/crash-gif-empty-frame), and a 20 × 10 image
 * with a frame of 14406 × 24889 pixels had a gigabyte cleared for it
 * (timeout-gif-huge-frame). Each frame is held to the caps of an image.
 * Its compositing of a frame whose disposal is "restore to previous" can
 * fail an assertion too (crash-gif-restore-previous); Tunescope shows only
 * the first frame, whose pixels no disposal method changes, so the
 * disposal is cleared to "unspecified" in @data, a copy. And as each frame
 * costs a composite of the whole image (a 210-byte GIF of 7700 × 1032
 * pixels took 2 s and 390 MB: slow-gif-frames), the copy ends after the
 * first frame: @size is cut there, with the trailer put in.
 * Walks the blocks — extensions and image descriptors — as the loader
 * does, stray bytes between them skipped, to refuse such a frame first;
 * what the walk cannot follow (a file cut short) is left to the loader. */
static gboolean
prepare_gif_frames (guint8      *data,
                    gsize       *size_inout,
                    const char  *name,
                    GError     **error)
{
  gsize size = *size_inout;
  gsize i = 13;

  if (size < 13)
    return TRUE;
  if (data[10] & 0x80)
    i += 3 * ((gsize) 2 << (data[10] & 0x07));  /* the global colour table */
  while (i < size && data[i] != 0x3b)
    {
      if (data[i] == 0x21 && i + 1 < size)         /* an extension: label, sub-blocks */
        {
          /* A graphic control extension: 0xf9, a block (of 4, but the
           * loader takes a shorter one too: crash-gif-short-control) whose
           * first byte has the disposal method in bits 2 to 4. */
          if (data[i + 1] == 0xf9 && i + 3 < size && data[i + 2] >= 1)
            data[i + 3] &= (guint8) ~0x1c;
          i = skip_gif_sub_blocks (data, size, i + 2);
        }
      else if (data[i] == 0x2c && i + 10 <= size)  /* an image: descriptor, table, LZW */
        {
          guint width = data[i + 5] | (guint) data[i + 6] << 8;
          guint height = data[i + 7] | (guint) data[i + 8] << 8;
          guint8 flags = data[i + 9];

          if (width == 0 || height == 0)
            {
              g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                           "The image “%s” is not a valid GIF: a frame has no pixels", name);
              return FALSE;
            }
          if (!check_dimensions (name, (int) width, (int) height, error))
            return FALSE;
          i += 10;
          if (flags & 0x80)
            i += 3 * ((gsize) 2 << (flags & 0x07));
          i = skip_gif_sub_blocks (data, size, i + 1);
          if (i != 0 && i < size)
            {
              data[i] = 0x3b;
              *size_inout = i + 1;
            }
          break;
        }
      else if (data[i] == 0x21 || data[i] == 0x2c)  /* cut short: the loader says so */
        break;
      else
        i++;  /* a stray byte between blocks, which the loader skips too */
      if (i == 0)
        break;
    }
  return TRUE;
}

static TsImage *
decode_other (const guint8  *data,
              gsize          size,
              const char    *name,
              guint          max_size,
              GError       **error)
{
  const char *format = sniff_format (data, size);
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  PixbufSizeCheck check = { .name = name, .max_size = max_size };
  g_autofree guint8 *gif_copy = NULL;
  const gsize chunk = 64 * 1024;
  gboolean ok = TRUE;
  GdkPixbuf *pixbuf;

  if (g_strcmp0 (format, "bmp") == 0 && !check_bmp_header (data, size, name, error))
    return NULL;
  if (g_strcmp0 (format, "gif") == 0)
    {
      gif_copy = g_memdup2 (data, size);
      if (!prepare_gif_frames (gif_copy, &size, name, error))
        return NULL;
      data = gif_copy;
    }
  if (format != NULL)
    loader = gdk_pixbuf_loader_new_with_type (format, &local_error);
  if (loader == NULL)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT, "The file “%s” is not an image "
                   "in a format Tunescope reads (JPEG, PNG, WebP, GIF, BMP, TIFF)%s%s", name,
                   local_error != NULL ? ": " : "",
                   local_error != NULL ? local_error->message : "");
      return NULL;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &check);
  /* In chunks, so that a huge header stops the feeding at once. */
  for (gsize offset = 0; ok && offset < size && !check.too_large; offset += chunk)
    ok = gdk_pixbuf_loader_write (loader, data + offset, MIN (chunk, size - offset),
                                  &local_error);
  if (ok)
    ok = gdk_pixbuf_loader_close (loader, check.too_large ? NULL : &local_error);
  else
    gdk_pixbuf_loader_close (loader, NULL);

  if (check.too_large)
    {
      g_propagate_error (error, check.error);
      return NULL;
    }
  pixbuf = ok ? gdk_pixbuf_loader_get_pixbuf (loader) : NULL;
  if (pixbuf == NULL)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT, "The file “%s” is not an image: %s",
                   name, local_error != NULL ? local_error->message : "no pixels decoded");
      return NULL;
    }
  return image_from_pixbuf (pixbuf);
}

TsImage *
ts_image_decode_bytes (GBytes      *data,
                       const char  *name,
                       guint        max_size,
                       GError     **error)
{
  const guint8 *bytes;
  gsize size = 0;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (name == NULL)
    name = "image";
  bytes = g_bytes_get_data (data, &size);
  if (size == 0)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT, "The image “%s” is empty", name);
      return NULL;
    }
  if (is_jpeg (bytes, size))
    return decode_jpeg (bytes, size, name, max_size, error);
  if (is_webp (bytes, size))
    return decode_webp (bytes, size, name, max_size, error);
  return decode_other (bytes, size, name, max_size, error);
}

TsImage *
ts_image_load_file (const char  *path,
                    guint        max_size,
                    GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_mapped_file_new (path, FALSE, &local_error);
  if (file == NULL)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_IO, "Could not read the image “%s”: %s", path,
                   local_error->message);
      return NULL;
    }
  bytes = g_mapped_file_get_bytes (file);
  return ts_image_decode_bytes (bytes, path, max_size, error);
}

guint
ts_image_get_width (TsImage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->width;
}

guint
ts_image_get_height (TsImage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->height;
}

gsize
ts_image_get_stride (TsImage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->stride;
}

gboolean
ts_image_get_has_alpha (TsImage *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->has_alpha;
}

GBytes *
ts_image_get_pixels (TsImage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->pixels;
}

cairo_surface_t *
ts_image_to_cairo_surface (TsImage *self)
{
  cairo_surface_t *surface;
  const guint8 *src;
  guint8 *dst;
  int dst_stride;

  g_return_val_if_fail (self != NULL, NULL);

  surface = cairo_image_surface_create (self->has_alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24,
                                        (int) self->width, (int) self->height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    return surface;
  cairo_surface_flush (surface);
  src = g_bytes_get_data (self->pixels, NULL);
  dst = cairo_image_surface_get_data (surface);
  dst_stride = cairo_image_surface_get_stride (surface);
  for (guint y = 0; y < self->height; y++)
    {
      const guint8 *s = src + y * self->stride;
      guint32 *d = (guint32 *) (gpointer) (dst + (gsize) y * (gsize) dst_stride);

      for (guint x = 0; x < self->width; x++)
        {
          guint a = self->has_alpha ? s[3] : 255;
          guint r = s[0] * a / 255, g = s[1] * a / 255, b = s[2] * a / 255;

          d[x] = (a << 24) | (r << 16) | (g << 8) | b;
          s += self->has_alpha ? 4 : 3;
        }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}
