/* test-image.c: decoding covers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tunescope-core.h"
#include "ts-test-util.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

static gboolean
pixbuf_knows (const char *format)
{
  GSList *formats = gdk_pixbuf_get_formats ();
  gboolean found = FALSE;

  for (GSList *l = formats; l != NULL && !found; l = l->next)
    {
      g_autofree char *name = gdk_pixbuf_format_get_name (l->data);

      found = g_strcmp0 (name, format) == 0;
    }
  /* The formats belong to gdk-pixbuf; only the list is ours. */
  g_slist_free (formats);
  return found;
}

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
  /* gdk-pixbuf's GIF loader always adds alpha; WebP depends on the loader. */
  assert_decodes ("image.gif", 20, 10, -1);
  if (pixbuf_knows ("webp"))
    assert_decodes ("image.webp", 20, 10, -1);
  else
    g_test_message ("no WebP loader for gdk-pixbuf here (webp-pixbuf-loader)");
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
  g_assert_null (ts_image_decode_bytes (empty, "empty", 0, &error));
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  /* gdk-pixbuf could read this one, but only common raster formats may
   * reach its loaders. */
  g_assert_null (ts_image_decode_bytes (svg, "cover.svg", 0, &svg_error));
  g_assert_error (svg_error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (svg_error->message, "cover.svg"));
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
  g_test_add_func ("/image/scaled-decode", test_scaled_decode);
  g_test_add_func ("/image/refused", test_refused);
  g_test_add_func ("/image/missing-file", test_missing_file);
  g_test_add_func ("/image/cairo-surface", test_cairo_surface);
  g_test_add_func ("/image/real-covers", test_real_covers);
  return g_test_run ();
}
