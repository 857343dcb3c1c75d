/* test-image.c: decoding covers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tunescope-core.h"
#include "ts-test-util.h"

#include <sys/resource.h>
#include <unistd.h>

static TsImage *
load_fixture (const char  *name,
              guint        max_size,
              GError     **error)
{
  g_autofree char *relative = g_build_filename ("art", name, NULL);
  g_autofree char *path = ts_test_fixture_path (relative);

  return ts_image_load_file (path, max_size, error);
}

static void
assert_decodes (const char *name,
                guint       width,
                guint       height,
                int         has_alpha)  /* -1: either */
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsImage) image = load_fixture (name, 0, &error);
  gsize size = 0;

  g_assert_no_error (error);
  g_assert_nonnull (image);
  g_assert_cmpuint (ts_image_get_width (image), ==, width);
  g_assert_cmpuint (ts_image_get_height (image), ==, height);
  if (has_alpha >= 0)
    g_assert_cmpint (ts_image_get_has_alpha (image), ==, has_alpha);
  g_assert_cmpuint (ts_image_get_stride (image), >=,
                    width * (ts_image_get_has_alpha (image) ? 4 : 3));
  g_bytes_get_data (ts_image_get_pixels (image), &size);
  g_assert_cmpuint (size, >=, ts_image_get_stride (image) * (height - 1) + width * 3);
}

static void
test_jpeg_kinds (void)
{
  assert_decodes ("baseline.jpg", 64, 48, FALSE);
  assert_decodes ("progressive.jpg", 40, 30, FALSE);
  assert_decodes ("gray.jpg", 40, 30, FALSE);
  assert_decodes ("cmyk.jpg", 40, 30, FALSE);
}

/* The top-left pixel of a red-to-blue gradient is red, CMYK or not. */
static void
assert_reddish (const char *name)
{
  g_autoptr(TsImage) image = load_fixture (name, 0, NULL);
  const guint8 *p = g_bytes_get_data (ts_image_get_pixels (image), NULL);

  g_assert_cmpuint (p[0], >, 200);
  g_assert_cmpuint (p[2], <, 60);
}

static void
test_jpeg_colors (void)
{
  g_autoptr(TsImage) gray = load_fixture ("gray.jpg", 0, NULL);
  const guint8 *p = g_bytes_get_data (ts_image_get_pixels (gray), NULL);

  assert_reddish ("progressive.jpg");
  assert_reddish ("cmyk.jpg");
  g_assert_cmpuint (p[0], >, 200);
  g_assert_cmpuint (p[0], ==, p[1]);
  g_assert_cmpuint (p[1], ==, p[2]);
}

static void
test_other_formats (void)
{
  assert_decodes ("alpha.png", 20, 10, TRUE);
  /* gdk-pixbuf's GIF loader always adds alpha. */
  assert_decodes ("image.gif", 20, 10, -1);
}

/* ---- WebP, through libwebp whatever gdk-pixbuf can read -------------- */

/* Per channel, for lossy fixtures: VP8 at quality 90 moves a flat colour
 * by a few levels inside an 8×8 block (Pillow reads 221,30,31 for
 * 220,30,30), well under what would confuse red with blue. */
#define LOSSY_TOLERANCE 12

typedef struct
{
  const char *name;
  guint       width;
  guint       height;
  gboolean    has_alpha;
  guint       x, y;        /* a pixel away from any edge between colours */
  guint8      rgba[4];     /* its value; alpha only checked with has_alpha */
  guint       tolerance;   /* per channel */
} WebpCase;

/* The fixtures of make-webp-fixtures.py (and ImageMagick's image.webp). */
static const WebpCase webp_cases[] = {
  { "lossy.webp", 32, 16, FALSE, 4, 8, { 220, 30, 30, 255 }, LOSSY_TOLERANCE },
  { "lossy.webp", 32, 16, FALSE, 27, 8, { 30, 30, 220, 255 }, LOSSY_TOLERANCE },
  { "image.webp", 20, 10, FALSE, 10, 5, { 255, 165, 0, 255 }, LOSSY_TOLERANCE },
  { "lossless.webp", 20, 10, TRUE, 4, 8, { 48, 200, 200, 235 }, 0 },
  { "lossless.webp", 20, 10, TRUE, 19, 9, { 228, 225, 200, 160 }, 0 },
  /* The first frame is green; the second, magenta, is never decoded. */
  { "animated.webp", 24, 16, TRUE, 0, 0, { 0, 200, 0, 255 }, 0 },
  { "animated.webp", 24, 16, TRUE, 23, 15, { 0, 200, 0, 255 }, 0 },
};

static void
test_webp_decode (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (webp_cases); i++)
    {
      const WebpCase *c = &webp_cases[i];
      g_autoptr(TsImage) image = NULL;
      const guint8 *p;
      guint channels;

      g_test_message ("%s at %u,%u", c->name, c->x, c->y);
      assert_decodes (c->name, c->width, c->height, c->has_alpha);
      image = load_fixture (c->name, 0, NULL);
      channels = c->has_alpha ? 4 : 3;
      p = g_bytes_get_data (ts_image_get_pixels (image), NULL);
      p += c->y * ts_image_get_stride (image) + c->x * channels;
      for (guint k = 0; k < channels; k++)
        {
          g_assert_cmpint (p[k], >=, (int) c->rgba[k] - (int) c->tolerance);
          g_assert_cmpint (p[k], <=, (int) c->rgba[k] + (int) c->tolerance);
        }
    }
}

/* Lossless WebP and its PNG twin (read by gdk-pixbuf) give the same
 * pixels: alpha straight, every byte equal. */
static void
test_webp_lossless_twin (void)
{
  g_autoptr(TsImage) webp = load_fixture ("lossless.webp", 0, NULL);
  g_autoptr(TsImage) png = load_fixture ("lossless.png", 0, NULL);
  const guint8 *a = g_bytes_get_data (ts_image_get_pixels (webp), NULL);
  const guint8 *b = g_bytes_get_data (ts_image_get_pixels (png), NULL);

  g_assert_true (ts_image_get_has_alpha (png));
  for (guint y = 0; y < ts_image_get_height (webp); y++)
    g_assert_cmpmem (a + y * ts_image_get_stride (webp), 20 * 4,
                     b + y * ts_image_get_stride (png), 20 * 4);
}

static void
test_webp_scaled (void)
{
  struct { const char *name; guint max_size, width, height; } cases[] = {
    { "lossy.webp", 8, 8, 4 },
    { "lossy.webp", 64, 32, 16 },      /* never scaled up */
    { "lossless.webp", 5, 5, 3 },      /* 2.5 rounds up, as gdk-pixbuf's do */
    { "animated.webp", 8, 24, 16 },    /* libwebp's animation decoder cannot scale */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TsImage) image = load_fixture (cases[i].name, cases[i].max_size, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (ts_image_get_width (image), ==, cases[i].width);
      g_assert_cmpuint (ts_image_get_height (image), ==, cases[i].height);
    }
}

static void
test_scaled_decode (void)
{
  g_autoptr(TsImage) jpeg = load_fixture ("baseline.jpg", 16, NULL);
  g_autoptr(TsImage) png = load_fixture ("alpha.png", 5, NULL);

  /* 1/4 is the smallest TurboJPEG scale still covering 16 px. */
  g_assert_cmpuint (ts_image_get_width (jpeg), ==, 16);
  g_assert_cmpuint (ts_image_get_height (jpeg), ==, 12);
  g_assert_cmpuint (ts_image_get_width (png), ==, 5);
  g_assert_cmpuint (ts_image_get_height (png), ==, 3);
}

static void
assert_refused (const char *name,
                const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsImage) image = load_fixture (name, 0, &error);

  g_assert_null (image);
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, name));
  g_assert_nonnull (strstr (error->message, fragment));
}

static void
test_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GError) svg_error = NULL;
  g_autoptr(GBytes) svg = g_bytes_new_static ("<svg xmlns=\"http://www.w3.org/2000/svg\" "
                                              "width=\"9\" height=\"9\"/>", 62);

  assert_refused ("truncated.jpg", "not a valid JPEG");
  assert_refused ("fake.jpg", "not an image");
  assert_refused ("bomb.jpg", "too large");
  assert_refused ("bomb.png", "too large");
  assert_refused ("truncated.webp", "not a valid WebP: the file is truncated");
  assert_refused ("bomb.webp", "too large (16384 × 16384 pixels");
  assert_refused ("bomb-anim.webp", "too large (60000 × 60000 pixels");
  g_assert_null (ts_image_decode_bytes (empty, "empty", 0, &error));
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  /* gdk-pixbuf could read this one, but only common raster formats may
   * reach its loaders. */
  g_assert_null (ts_image_decode_bytes (svg, "cover.svg", 0, &svg_error));
  g_assert_error (svg_error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (svg_error->message, "cover.svg"));
}

/* Headers that gdk-pixbuf's loaders mishandle are refused before them
 * (found by fuzz-image): a BMP whose info header claims 512 MiB, which
 * the loader allocated before it read the size; a GIF frame of 0 × 0
 * pixels, which failed an assertion in gdk-pixbuf (a critical). */
/* A frame whose disposal is "restore to previous" made gdk-pixbuf's GIF
 * loader fail an assertion (a critical: fatal in this test) while it
 * composited the animation (fuzz-image, crash-gif-restore-previous). */
static void
test_gif_restore_previous (void)
{
  static const guint8 gif[] = {
    'G', 'I', 'F', '8', '9', 'a', 20, 0, 10, 0, 0xf0, 0, 0,  /* 20 × 10, two colours */
    'P', 'L', 'T', 'E', 0, 0,
    0x21, 0xf9, 4, 0xcc, 0, 0, 0, 0,                       /* disposal 3: restore */
    ',', 0, 0x2c, 0, 0, 20, 0, 10, 0, 0,                   /* a frame of 20 × 10 */
    2, 12, 0x84, 0x8f, 0xa9, 0xcb, 0xed, 0x0f, 0xa3, 0x9c, 0xb4, 0xda, 0xeb, 0x0a,
    ';',
  };
  g_autoptr(GBytes) bytes = g_bytes_new_static (gif, sizeof gif);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsImage) image = ts_image_decode_bytes (bytes, "restore.gif", 0, &error);

  /* Decoded, or refused with a message: either way no critical. */
  if (image == NULL)
    {
      g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, "restore.gif"));
    }
  else
    g_assert_cmpuint (ts_image_get_width (image), ==, 20);
}

static void
test_broken_headers (void)
{
  static const guint8 bmp[] = {
    'B', 'M', 0x3a, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 0x00, 0x00, 0x00, 0x20,
    1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 24, 0,
  };
  static const guint8 bmp_far_pixels[] = {
    'B', 'M', 0x3a, 0, 0, 0, 0, 0, 0, 0, 0x8a, 0, 0, 0x8d,  /* pixels at 2.4 GB */
    40, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 24, 0, 0, 0, 0, 0, 4, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  };
  static const guint8 gif[] = {
    'G', 'I', 'F', '8', '9', 'a', 2, 0, 2, 0, 0x80, 0, 0,  /* 2 × 2, two colours */
    0, 0, 0, 255, 255, 255,
    0xff, 0xff,                                            /* stray bytes, skipped */
    ',', 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 0x44, 0x01, 0,   /* a frame of 0 × 0 */
    ';',
  };
  static const guint8 gif_huge_frame[] = {
    'G', 'I', 'F', '8', '9', 'a', 20, 0, 10, 0, 0x80, 0, 0,   /* 20 × 10, two colours */
    0, 0, 0, 255, 255, 255,
    ',', 0, 0, 0, 0, 0x46, 0x38, 0x39, 0x61, 0, 2, 2, 0x44, 0x01, 0,  /* 14406 × 24889 */
    ';',
  };
  static const guint8 gif_huge_screen[] = {
    'G', 'I', 'F', '8', '9', 'a', 0x14, 0x1e, 0x08, 0x21, 0, 0, 0,  /* 7700 × 8456, 65 Mpx */
    ',', 0, 0, 0, 0, 20, 0, 10, 0, 0, 2, 2, 0x44, 0x01, 0,           /* a frame of 20 × 10 */
    ';',
  };
  static const struct { const guint8 *data; gsize size; const char *name, *fragment; } cases[] = {
    { bmp, sizeof bmp, "huge-header.bmp", "not a valid BMP" },
    { bmp_far_pixels, sizeof bmp_far_pixels, "far-pixels.bmp", "not a valid BMP" },
    { gif, sizeof gif, "empty-frame.gif", "not a valid GIF: a frame has no pixels" },
    { gif_huge_frame, sizeof gif_huge_frame, "huge-frame.gif", "too large (14406 × 24889" },
    { gif_huge_screen, sizeof gif_huge_screen, "huge-screen.gif", "too large (7700 × 8456" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].data, cases[i].size);
      g_autoptr(GError) error = NULL;
      g_autoptr(TsImage) image = ts_image_decode_bytes (bytes, cases[i].name, 0, &error);

      g_assert_null (image);
      g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, cases[i].name));
      g_assert_nonnull (strstr (error->message, cases[i].fragment));
    }
}

/* WebP that is broken in ways the fixtures are not: cut inside an
 * animation's frames, cut inside the header, garbage behind the magic. */
static void
test_webp_broken (void)
{
  g_autofree char *path = ts_test_fixture_path ("art/animated.webp");
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GBytes) cut_animation = NULL;
  g_autoptr(GBytes) cut_header = NULL;
  static const char junk[] = "RIFF\x24\0\0\0WEBPVP8 \x18\0\0\0garbage garbage garbage!";
  g_autoptr(GBytes) garbage = g_bytes_new_static (junk, sizeof junk - 1);
  struct { GBytes *bytes; const char *name; } cases[3];

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  cut_animation = g_bytes_new (contents, length - 20);
  cut_header = g_bytes_new (contents, 16);
  cases[0].bytes = cut_animation;
  cases[0].name = "cut-animation.webp";
  cases[1].bytes = cut_header;
  cases[1].name = "cut-header.webp";
  cases[2].bytes = garbage;
  cases[2].name = "garbage.webp";
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TsImage) image = ts_image_decode_bytes (cases[i].bytes, cases[i].name, 0, &error);

      g_test_message ("%s: %s", cases[i].name, error != NULL ? error->message : "decoded");
      g_assert_null (image);
      g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, cases[i].name));
      g_assert_nonnull (strstr (error->message, "not a valid WebP"));
    }
}

/* The bombs are refused before the decoder allocates their canvas: with
 * the address space capped at 256 MiB above what the process maps now,
 * allocating the 768 MiB RGB buffer of bomb.webp would abort. AddressSanitizer
 * reserves terabytes of shadow memory, so there the cap cannot be set. */
static void
test_webp_bomb_memory (void)
{
#if defined(__SANITIZE_ADDRESS__)
  g_test_skip ("RLIMIT_AS cannot be set under AddressSanitizer");
#else
  if (g_test_subprocess ())
    {
      g_autofree char *statm = NULL;
      struct rlimit limit;
      guint64 pages;

      g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
      pages = g_ascii_strtoull (statm, NULL, 10);
      limit.rlim_cur = limit.rlim_max = pages * (guint64) sysconf (_SC_PAGESIZE) +
                                        256 * 1024 * 1024;
      g_assert_cmpint (setrlimit (RLIMIT_AS, &limit), ==, 0);
      assert_refused ("bomb.webp", "too large");
      assert_refused ("bomb-anim.webp", "too large");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
#endif
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (ts_image_load_file ("/nonexistent/cover.jpg", 0, &error));
  g_assert_error (error, TS_ERROR, TS_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/cover.jpg"));
}

static void
test_cairo_surface (void)
{
  g_autoptr(TsImage) image = load_fixture ("alpha.png", 0, NULL);
  cairo_surface_t *surface = ts_image_to_cairo_surface (image);
  const guint32 *p;

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_format (surface), ==, CAIRO_FORMAT_ARGB32);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 20);
  p = (const guint32 *) (gconstpointer) cairo_image_surface_get_data (surface);
  /* Half-transparent green, premultiplied. */
  g_assert_cmpuint (p[0] >> 24, >=, 126);
  g_assert_cmpuint (p[0] >> 24, <=, 129);
  g_assert_cmpuint ((p[0] >> 8) & 0xff, ==, p[0] >> 24);
  cairo_surface_destroy (surface);
}

/* Every real cover of the dataset's extras, as thumbnails: well under a second. */
static void
test_real_covers (void)
{
  g_autofree char *dir_path = ts_test_shared_path ("data/spotify/extras/cover-art-sabinabains/"
                                                   "album_art_resized");
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n = 0;

  if (dir_path == NULL)
    return;
  dir = g_dir_open (dir_path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(TsImage) image = NULL;

      if (!g_str_has_suffix (name, ".jpg"))
        continue;
      image = ts_image_load_file (path, 64, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (ts_image_get_width (image), >, 0);
      g_assert_cmpuint (MAX (ts_image_get_width (image), ts_image_get_height (image)), <=, 128);
      n++;
    }
  g_assert_cmpuint (n, >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/image/jpeg-kinds", test_jpeg_kinds);
  g_test_add_func ("/image/jpeg-colors", test_jpeg_colors);
  g_test_add_func ("/image/other-formats", test_other_formats);
  g_test_add_func ("/image/webp-decode", test_webp_decode);
  g_test_add_func ("/image/webp-lossless-twin", test_webp_lossless_twin);
  g_test_add_func ("/image/webp-scaled", test_webp_scaled);
  g_test_add_func ("/image/webp-broken", test_webp_broken);
  g_test_add_func ("/image/broken-headers", test_broken_headers);
  g_test_add_func ("/image/gif-restore-previous", test_gif_restore_previous);
  g_test_add_func ("/image/webp-bomb-memory", test_webp_bomb_memory);
  g_test_add_func ("/image/scaled-decode", test_scaled_decode);
  g_test_add_func ("/image/refused", test_refused);
  g_test_add_func ("/image/missing-file", test_missing_file);
  g_test_add_func ("/image/cairo-surface", test_cairo_surface);
  g_test_add_func ("/image/real-covers", test_real_covers);
  return g_test_run ();
}
