/* test-cover-loader.c: the app's cover loader against the local Spotify stand-in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ts-cover-loader.h"
#include "ts-test-server.h"
#include "ts-test-util.h"

/* 22 characters, like Spotify's ids: spotify-server.py reads the prefix. */
#define OK_ID      "okAAAAAAAAAAAAAAAAAAAA"
#define BROKEN_ID  "brokenAAAAAAAAAAAAAAA%c"
#define LAG_ID     "lagAAAAAAAAAAAAAAAAAA%c"

typedef struct
{
  TsTestServer  *server;
  char          *cover_path;
  char          *cache_dir;
  GSettings     *settings;
  TsCoverLoader *loader;
  GPtrArray     *troubles;
} Fixture;

static void
on_trouble_cb (TsCoverLoader *loader,
               const char    *message,
               Fixture       *f)
{
  g_ptr_array_add (f->troubles, g_strdup (message));
}

static void
start_loader (Fixture *f)
{
  f->loader = ts_cover_loader_new (f->settings, f->cache_dir);
  g_signal_connect (f->loader, "trouble", G_CALLBACK (on_trouble_cb), f);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *oembed = NULL;

  f->cover_path = ts_test_fixture_path ("art/baseline.jpg");
  f->server = ts_test_server_start_script ("spotify-server.py", f->cover_path);
  oembed = ts_test_server_base (f->server, "oembed");
  g_setenv ("TUNESCOPE_OEMBED_URL", oembed, TRUE);
  f->cache_dir = ts_test_make_temp_dir ();
  f->settings = g_settings_new (BASE_ID);
  g_settings_reset (f->settings, "art-source");
  g_settings_reset (f->settings, "art-downloads");
  f->troubles = g_ptr_array_new_with_free_func (g_free);
  start_loader (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->loader);
  g_clear_object (&f->settings);
  g_ptr_array_unref (f->troubles);
  g_free (f->cache_dir);
  if (f->server != NULL)
    ts_test_server_stop (f->server);
  g_free (f->cover_path);
}

typedef struct
{
  GdkTexture *texture;
  GError     *error;
  gboolean    done;
} Load;

static void
on_loaded_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Load *load = user_data;

  load->texture = ts_cover_loader_load_finish (TS_COVER_LOADER (source), result, &load->error);
  load->done = TRUE;
}

static void
wait_loads (Load  *loads,
            guint  n)
{
  for (guint i = 0; i < n; i++)
    while (!loads[i].done)
      g_main_context_iteration (NULL, TRUE);
}

static void
load_clear (Load *load)
{
  g_clear_object (&load->texture);
  g_clear_error (&load->error);
}

/* A cover arrives decoded to the size asked, is stored on disk, and
 * comes back from memory without a second request. */
static void
test_load_ok (Fixture       *f,
              gconstpointer  data)
{
  Load load = { 0 };
  g_autofree char *path = NULL;

  ts_cover_loader_load_async (f->loader, OK_ID, 64, NULL, on_loaded_cb, &load);
  wait_loads (&load, 1);
  g_assert_no_error (load.error);
  g_assert_nonnull (load.texture);
  g_assert_cmpint (MAX (gdk_texture_get_width (load.texture),
                        gdk_texture_get_height (load.texture)), <=, 64);
  g_assert_true (ts_cover_loader_lookup (f->loader, OK_ID, 64) == load.texture);
  g_assert_null (ts_cover_loader_lookup (f->loader, OK_ID, 128));
  path = ts_art_cache_lookup (ts_cover_loader_get_art_cache (f->loader), OK_ID, NULL);
  g_assert_nonnull (path);
  g_assert_true (g_str_has_prefix (path, f->cache_dir));
  load_clear (&load);

  /* Another size: decoded again from the disk, not downloaded again. */
  load.done = FALSE;
  ts_cover_loader_load_async (f->loader, OK_ID, 128, NULL, on_loaded_cb, &load);
  wait_loads (&load, 1);
  g_assert_no_error (load.error);
  g_assert_cmpint (ts_test_server_count (f->server, "oembed:" OK_ID), ==, 1);
  g_assert_cmpuint (f->troubles->len, ==, 0);
  load_clear (&load);
}

/* Three failing covers: three errors, one report. */
static void
test_trouble_once (Fixture       *f,
                   gconstpointer  data)
{
  Load loads[3] = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (loads); i++)
    {
      g_autofree char *id = g_strdup_printf (BROKEN_ID, 'a' + i);

      ts_cover_loader_load_async (f->loader, id, 64, NULL, on_loaded_cb, &loads[i]);
    }
  wait_loads (loads, G_N_ELEMENTS (loads));
  for (guint i = 0; i < G_N_ELEMENTS (loads); i++)
    {
      g_assert_error (loads[i].error, TS_ERROR, TS_ERROR_HTTP);
      load_clear (&loads[i]);
    }
  g_assert_cmpuint (f->troubles->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (f->troubles, 0),
                                   "Covers could not be loaded: "));
  g_assert_nonnull (strstr (g_ptr_array_index (f->troubles, 0), "500"));
}

/* A load cancelled at once ends cancelled, and reports nothing. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *id = g_strdup_printf (LAG_ID, 'x');
  Load load = { 0 };

  ts_cover_loader_load_async (f->loader, id, 64, cancellable, on_loaded_cb, &load);
  g_cancellable_cancel (cancellable);
  wait_loads (&load, 1);
  g_assert_error (load.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (load.texture);
  g_assert_cmpuint (f->troubles->len, ==, 0);
  load_clear (&load);
}

/* art-downloads, changed while the loader runs, caps the requests at once. */
static void
test_downloads_live (Fixture       *f,
                     gconstpointer  data)
{
  Load loads[8] = { 0 };

  g_settings_set_int (f->settings, "art-downloads", 2);
  for (guint i = 0; i < G_N_ELEMENTS (loads); i++)
    {
      g_autofree char *id = g_strdup_printf (LAG_ID, 'a' + i);

      ts_cover_loader_load_async (f->loader, id, 64, NULL, on_loaded_cb, &loads[i]);
    }
  wait_loads (loads, G_N_ELEMENTS (loads));
  for (guint i = 0; i < G_N_ELEMENTS (loads); i++)
    {
      g_assert_no_error (loads[i].error);
      load_clear (&loads[i]);
    }
  g_assert_cmpint (ts_test_server_count (f->server, "maxinflight"), >=, 1);
  g_assert_cmpint (ts_test_server_count (f->server, "maxinflight"), <=, 2);
}

/* An unreachable service: one report, then loads try only the disk for a
 * while, answering at once. */
static void
test_unreachable_cools_down (Fixture       *f,
                             gconstpointer  data)
{
  Load load = { 0 };
  g_autofree char *id = g_strdup_printf (LAG_ID, 'q');
  gint64 started;

  ts_test_server_stop (f->server);
  f->server = NULL;
  ts_cover_loader_load_async (f->loader, OK_ID, 64, NULL, on_loaded_cb, &load);
  wait_loads (&load, 1);
  g_assert_error (load.error, TS_ERROR, TS_ERROR_NETWORK);
  load_clear (&load);

  started = g_get_monotonic_time ();
  load.done = FALSE;
  ts_cover_loader_load_async (f->loader, id, 64, NULL, on_loaded_cb, &load);
  wait_loads (&load, 1);
  g_assert_error (load.error, TS_ERROR, TS_ERROR_NETWORK);
  g_assert_cmpint (g_get_monotonic_time () - started, <, G_USEC_PER_SEC / 2);
  load_clear (&load);
  g_assert_cmpuint (f->troubles->len, ==, 1);
}

/* A track without a cover: NOT_FOUND, no report, remembered. */
static void
test_no_cover (Fixture       *f,
               gconstpointer  data)
{
  Load load = { 0 };

  ts_cover_loader_load_async (f->loader, "not-a-track-id", 64, NULL, on_loaded_cb, &load);
  wait_loads (&load, 1);
  g_assert_error (load.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  load_clear (&load);
  g_assert_cmpuint (f->troubles->len, ==, 0);
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates until the keyring answered: the API source, or a fallback. */
static void
wait_for_keyring (Fixture *f,
                  guint    troubles_before)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, on_timeout_cb, &timed_out);

  while (!timed_out && f->troubles->len == troubles_before &&
         ts_cover_loader_get_source (f->loader) != TS_ART_SOURCE_API)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

/* art-source=api without a keyring (or without credentials in it) falls
 * back to oEmbed and says so once per choice of the API. */
static void
test_api_falls_back (Fixture       *f,
                     gconstpointer  data)
{
  g_settings_set_string (f->settings, "art-source", "api");
  wait_for_keyring (f, 0);
  if (ts_cover_loader_get_source (f->loader) == TS_ART_SOURCE_API)
    {
      g_test_skip ("this session's keyring holds Spotify credentials");
      return;
    }
  g_assert_cmpuint (f->troubles->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (f->troubles, 0), "oEmbed"));

  /* A cover still comes, through oEmbed. */
  {
    Load load = { 0 };

    ts_cover_loader_load_async (f->loader, OK_ID, 64, NULL, on_loaded_cb, &load);
    wait_loads (&load, 1);
    g_assert_no_error (load.error);
    load_clear (&load);
  }
  g_assert_cmpuint (f->troubles->len, ==, 1);

  g_settings_set_string (f->settings, "art-source", "oembed");
  g_settings_set_string (f->settings, "art-source", "api");
  wait_for_keyring (f, 1);
  g_assert_cmpuint (f->troubles->len, ==, 2);
  g_assert_cmpint (ts_cover_loader_get_source (f->loader), ==, TS_ART_SOURCE_OEMBED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cover-loader/load-ok", test_load_ok);
  ADD ("/cover-loader/trouble-once", test_trouble_once);
  ADD ("/cover-loader/cancel", test_cancel);
  ADD ("/cover-loader/downloads-live", test_downloads_live);
  ADD ("/cover-loader/unreachable-cools-down", test_unreachable_cools_down);
  ADD ("/cover-loader/no-cover", test_no_cover);
  ADD ("/cover-loader/api-falls-back", test_api_falls_back);
#undef ADD

  return g_test_run ();
}
