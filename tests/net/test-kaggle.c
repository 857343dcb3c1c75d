/* test-kaggle.c: the Kaggle download against a local stand-in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>

#include "ts-error.h"
#include "net/ts-kaggle-private.h"
#include "ts-test-server.h"

static TsTestServer *server;
static char *tmp_root;
/* GLib reads HOME once per process: one home for all tests, emptied
 * between them. */
static char *home;

/* Each test gets an empty HOME (without credentials) and destination. */
typedef struct
{
  char *home;
  char *dest;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GDir) d = g_dir_open (home, 0, NULL);

  g_assert_nonnull (d);
  g_assert_null (g_dir_read_name (d));
  f->home = g_strdup (home);
  f->dest = g_build_filename (f->home, "dest", "dataset", NULL);
  g_unsetenv ("KAGGLE_USERNAME");
  g_unsetenv ("KAGGLE_KEY");
  g_unsetenv ("KAGGLE_CONFIG_DIR");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
      while (children != NULL &&
             (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

          remove_tree (child);
          g_object_unref (info);
        }
    }
  g_remove (path);
}

/* Neither the download's temporary folder nor a half-written file may be
 * left behind, whatever happened. */
static void
assert_no_temp_left (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_test_message ("%s holds %s", dir, name);
      g_assert_false (name[0] == '.');
      g_assert_false (g_str_has_prefix (name, "tunescope-kaggle-"));
    }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  assert_no_temp_left (f->dest);
  assert_no_temp_left (tmp_root);
  {
    g_autofree char *dest_root = g_build_filename (f->home, "dest", NULL);
    g_autofree char *kaggle = g_build_filename (f->home, ".kaggle", NULL);

    remove_tree (dest_root);
    remove_tree (kaggle);
  }
  g_free (f->home);
  g_free (f->dest);
  g_unsetenv ("TUNESCOPE_KAGGLE_URL");
}

static void
use_mode (const char *mode)
{
  g_autofree char *base = ts_test_server_base (server, mode);

  g_setenv ("TUNESCOPE_KAGGLE_URL", base, TRUE);
}

static void
write_credentials (Fixture    *f,
                   const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (f->home, ".kaggle", NULL);
  g_autofree char *path = g_build_filename (dir, "kaggle.json", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, json, -1, &error);
  g_assert_no_error (error);
}

static char *
dest_file (Fixture    *f,
           const char *name)
{
  return g_build_filename (f->dest, name, NULL);
}

static void
assert_dataset_unpacked (Fixture    *f,
                         const char *main_path)
{
  g_autofree char *expected = dest_file (f, "data.csv");
  g_autofree char *by_year = dest_file (f, "data_by_year.csv");
  g_autofree char *w_genres = dest_file (f, "data_w_genres.csv");
  g_autofree char *readme = dest_file (f, "README.txt");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (main_path, ==, expected);
  g_file_get_contents (main_path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "valence,year,acousticness,artists,"));
  g_assert_true (g_file_test (by_year, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (w_genres, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (readme, G_FILE_TEST_EXISTS));
}

static void
assert_dest_empty (Fixture *f)
{
  g_autofree char *main_path = dest_file (f, "data.csv");

  g_assert_false (g_file_test (main_path, G_FILE_TEST_EXISTS));
}

static char *
download (Fixture  *f,
          gboolean  force,
          GError  **error)
{
  return ts_kaggle_download (TS_KAGGLE_DATASET_170K, f->dest, force, NULL, NULL, NULL, error);
}

static void
test_url (void)
{
  g_autofree char *url = NULL;

  g_unsetenv ("TUNESCOPE_KAGGLE_URL");
  url = ts_kaggle_dup_download_url (TS_KAGGLE_DATASET_170K);
  g_assert_cmpstr (url, ==,
                   "https://www.kaggle.com/api/v1/datasets/download/vatsalmavani/spotify-dataset");
  g_free (url);
  url = ts_kaggle_dup_download_url (TS_KAGGLE_DATASET_1_2M);
  g_assert_cmpstr (url, ==, "https://www.kaggle.com/api/v1/datasets/download/"
                            "rodolfofigueroa/spotify-12m-songs");
  g_free (url);

  g_setenv ("TUNESCOPE_KAGGLE_URL", "http://127.0.0.1:9/base/", TRUE);
  url = ts_kaggle_dup_download_url (TS_KAGGLE_DATASET_170K);
  g_assert_cmpstr (url, ==,
                   "http://127.0.0.1:9/base/datasets/download/vatsalmavani/spotify-dataset");
  g_unsetenv ("TUNESCOPE_KAGGLE_URL");
}

static void
test_default_dest (void)
{
  g_autofree char *dest = ts_kaggle_get_default_dest (TS_KAGGLE_DATASET_170K);
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "tunescope", "dataset",
                                                NULL);
  g_autofree char *dest_600k = ts_kaggle_get_default_dest (TS_KAGGLE_DATASET_600K);
  g_autofree char *expected_600k = g_build_filename (g_get_user_data_dir (), "tunescope",
                                                     "dataset-600k", NULL);
  TsKaggleDataset dataset;

  g_assert_cmpstr (dest, ==, expected);
  g_assert_cmpstr (dest_600k, ==, expected_600k);
  g_assert_true (ts_kaggle_dataset_from_name ("1.2M", &dataset));
  g_assert_cmpint (dataset, ==, TS_KAGGLE_DATASET_1_2M);
  g_assert_cmpstr (ts_kaggle_dataset_get_main_file (dataset), ==, "tracks_features.csv");
  g_assert_false (ts_kaggle_dataset_from_name ("160k", &dataset));
}

/* The bigger sets: their own files, the main one first; another
 * dataset's companion in their zip (data_by_year.csv) is not unpacked. */
static void
test_other_datasets (Fixture       *f,
                     gconstpointer  data)
{
  static const struct { TsKaggleDataset dataset; guint n_files; const char *main, *ignored; }
  cases[] = {
    { TS_KAGGLE_DATASET_600K, 2, "tracks.csv", "data_by_year.csv" },
    { TS_KAGGLE_DATASET_1_2M, 1, "tracks_features.csv", "data_w_genres.csv" },
  };

  use_mode ("ok");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) files = NULL;
      g_autofree char *expected = dest_file (f, cases[i].main);
      g_autofree char *ignored = dest_file (f, cases[i].ignored);
      g_autofree char *path = ts_kaggle_download_full (cases[i].dataset, f->dest, FALSE, NULL,
                                                       NULL, &files, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (path, ==, expected);
      g_assert_cmpuint (g_strv_length (files), ==, cases[i].n_files);
      g_assert_cmpstr (files[0], ==, path);
      g_assert_false (g_file_test (ignored, G_FILE_TEST_EXISTS));
    }
}

typedef struct
{
  guint  n_reports;
  double last;
  gboolean monotonic;
} Progress;

static void
record_progress (double      fraction,
                 const char *message,
                 gpointer    data)
{
  Progress *p = data;

  g_assert_nonnull (message);
  if (fraction >= 0)
    {
      if (fraction < p->last)
        p->monotonic = FALSE;
      p->last = fraction;
    }
  p->n_reports++;
}

static void
test_ok (Fixture       *f,
         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) files = NULL;
  Progress progress = { 0, 0.0, TRUE };

  use_mode (data);
  path = ts_kaggle_download_full (TS_KAGGLE_DATASET_170K, f->dest, FALSE, record_progress, &progress, &files, NULL,
                                  &error);
  g_assert_no_error (error);
  assert_dataset_unpacked (f, path);
  g_assert_cmpuint (g_strv_length (files), ==, 3);
  g_assert_cmpstr (files[0], ==, path);
  g_assert_cmpuint (progress.n_reports, >, 0);
  g_assert_true (progress.monotonic);
  g_assert_cmpfloat (progress.last, ==, 1.0);
}

/* 401 first, then the credentials from kaggle.json or the environment. */
static void
test_auth_retry (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (g_str_equal (data, "file"))
    write_credentials (f, "{\"username\": \"tuser\", \"key\": \"tkey\"}");
  else
    {
      g_setenv ("KAGGLE_USERNAME", "tuser", TRUE);
      g_setenv ("KAGGLE_KEY", "tkey", TRUE);
    }
  use_mode ("auth");
  path = download (f, FALSE, &error);
  g_assert_no_error (error);
  assert_dataset_unpacked (f, path);
}

static void
test_auth_refused (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  write_credentials (f, "{\"username\": \"tuser\", \"key\": \"wrong-s3cr3t\"}");
  use_mode ("auth");
  path = download (f, FALSE, &error);
  g_test_message ("%s", error ? error->message : "(no error)");
  g_assert_error (error, TS_ERROR, TS_ERROR_AUTH);
  g_assert_null (path);
  g_assert_nonnull (strstr (error->message, "with the Kaggle API credentials from"));
  g_assert_nonnull (strstr (error->message, "kaggle.json"));
  g_assert_null (strstr (error->message, "s3cr3t"));
  assert_dest_empty (f);
}

static void
test_no_credentials (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  use_mode (data);
  path = download (f, FALSE, &error);
  g_test_message ("%s", error ? error->message : "(no error)");
  g_assert_error (error, TS_ERROR, TS_ERROR_AUTH);
  g_assert_null (path);
  g_assert_nonnull (strstr (error->message, "Kaggle"));
  g_assert_nonnull (strstr (error->message, "kaggle.json"));
  g_assert_nonnull (strstr (error->message, "Create New Token"));
  g_assert_nonnull (strstr (error->message, "data.csv"));
  assert_dest_empty (f);
}

static void
test_bad_credentials_file (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  write_credentials (f, "{\"username\": \"tuser\"}");
  use_mode ("forbidden");
  path = download (f, FALSE, &error);
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "kaggle.json"));
}

typedef struct
{
  const char *mode;
  GQuark      domain;
  int         code;
  const char *needle;
} FailureCase;

static void
test_failures (Fixture       *f,
               gconstpointer  data)
{
  const FailureCase cases[] = {
    { "error",     TS_ERROR, TS_ERROR_HTTP,    "HTTP 500" },
    { "truncated", TS_ERROR, TS_ERROR_NETWORK, "cut short" },
    { "notzip",    TS_ERROR, TS_ERROR_HTTP,    "not a valid zip" },
    { "evil",      TS_ERROR, TS_ERROR_HTTP,    "unsafe path ‘../evil’" },
    { "nodata",    TS_ERROR, TS_ERROR_HTTP,    "no data.csv" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;
      g_autofree char *evil = g_build_filename (f->dest, "..", "evil", NULL);

      use_mode (cases[i].mode);
      path = download (f, FALSE, &error);
      g_test_message ("%s: %s", cases[i].mode, error ? error->message : "(no error)");
      g_assert_error (error, cases[i].domain, cases[i].code);
      g_assert_null (path);
      g_assert_nonnull (strstr (error->message, "Kaggle"));
      g_assert_nonnull (strstr (error->message, cases[i].needle));
      assert_dest_empty (f);
      assert_no_temp_left (f->dest);
      g_assert_false (g_file_test (evil, G_FILE_TEST_EXISTS));
    }
}

static void
test_exists (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *mine = dest_file (f, "data_by_year.csv");
  g_autofree char *contents = NULL;
  static const char original[] = "mine,\xff\x00binary";

  g_assert_cmpint (g_mkdir_with_parents (f->dest, 0755), ==, 0);
  g_file_set_contents (mine, original, sizeof original, &error);
  g_assert_no_error (error);

  /* The check comes before the download: this server would fail it. */
  use_mode ("error");
  path = download (f, FALSE, &error);
  g_assert_error (error, TS_ERROR, TS_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, mine));
  g_clear_error (&error);

  use_mode ("ok");
  path = download (f, FALSE, &error);
  g_assert_error (error, TS_ERROR, TS_ERROR_EXISTS);
  g_clear_error (&error);

  {
    gsize length = 0;

    g_file_get_contents (mine, &contents, &length, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (contents, length, original, sizeof original);
  }
  assert_dest_empty (f);

  path = download (f, TRUE, &error);
  g_assert_no_error (error);
  assert_dataset_unpacked (f, path);
  g_clear_pointer (&contents, g_free);
  g_file_get_contents (mine, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "mode,year"));
}

static void
cancel_on_progress (double      fraction,
                    const char *message,
                    gpointer    data)
{
  g_cancellable_cancel (data);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gint64 start = g_get_monotonic_time ();

  use_mode ("slow");
  path = ts_kaggle_download (TS_KAGGLE_DATASET_170K, f->dest, FALSE, cancel_on_progress,
                             cancellable, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (path);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  assert_dest_empty (f);
}

typedef struct
{
  GMainLoop    *loop;
  GThread      *main_thread;
  GCancellable *cancel_on_progress;
  guint         n_reports;
  char         *path;
  GError       *error;
} AsyncState;

static void
async_progress (double      fraction,
                const char *message,
                gpointer    data)
{
  AsyncState *s = data;

  /* The relay brings reports back to the caller's thread. */
  g_assert_true (g_thread_self () == s->main_thread);
  s->n_reports++;
  if (s->cancel_on_progress != NULL)
    g_cancellable_cancel (s->cancel_on_progress);
}

static void
async_done (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  AsyncState *s = data;

  s->path = ts_kaggle_download_finish (result, &s->error);
  g_main_loop_quit (s->loop);
}

static void
run_async (Fixture      *f,
           AsyncState   *s,
           GCancellable *cancellable)
{
  /* A private context, as a caller with its own loop would have: the
   * relay delivers reports to the context its maker pushed. */
  GMainContext *context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  s->loop = g_main_loop_new (context, FALSE);
  s->main_thread = g_thread_self ();
  ts_kaggle_download_async (TS_KAGGLE_DATASET_170K, f->dest, FALSE, async_progress, s, cancellable, async_done, s);
  g_main_loop_run (s->loop);
  g_main_loop_unref (s->loop);
  /* Let reports still queued run before the state goes away. */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  AsyncState s = { 0 };

  use_mode ("redirect");
  run_async (f, &s, NULL);
  g_assert_no_error (s.error);
  assert_dataset_unpacked (f, s.path);
  g_assert_cmpuint (s.n_reports, >, 0);
  g_free (s.path);
}

static void
test_async_cancel (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncState s = { 0 };

  use_mode ("slow");
  s.cancel_on_progress = cancellable;
  run_async (f, &s, cancellable);
  g_assert_error (s.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (s.path);
  g_clear_error (&s.error);
  assert_dest_empty (f);
}

/* A zip of the files @names, each @sizes[i] zero bytes: deflated, a
 * mebibyte of them is a kilobyte of zip, a small zip bomb. */
static GBytes *
make_zip (const char * const *names,
          const gsize        *sizes)
{
  struct archive *a = archive_write_new ();
  gsize capacity = 1024 * 1024, used = 0;
  g_autofree char *zip = g_malloc (capacity);
  g_autofree char *zeros = g_malloc0 (64 * 1024);

  g_assert_cmpint (archive_write_set_format_zip (a), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_memory (a, zip, capacity, &used), ==, ARCHIVE_OK);
  for (guint i = 0; names[i] != NULL; i++)
    {
      struct archive_entry *entry = archive_entry_new ();

      archive_entry_set_pathname (entry, names[i]);
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      archive_entry_set_size (entry, (la_int64_t) sizes[i]);
      g_assert_cmpint (archive_write_header (a, entry), ==, ARCHIVE_OK);
      for (gsize done = 0; done < sizes[i]; done += 64 * 1024)
        archive_write_data (a, zeros, MIN (64 * 1024, sizes[i] - done));
      archive_entry_free (entry);
    }
  g_assert_cmpint (archive_write_close (a), ==, ARCHIVE_OK);
  archive_write_free (a);
  return g_bytes_new (zip, used);
}

/* A file, or all of them together, unpacking to more than the caps stops
 * the unpack as the bytes come, naming what; nothing is put in place.
 * The caps (1 and 2 GiB) are lowered to show it with small zips. */
static void
test_zip_bomb (Fixture       *f,
               gconstpointer  data)
{
  static const char * const names[] = { "data.csv", "data_by_year.csv", NULL };
  static const struct { gsize sizes[2]; const char *needle; } cases[] = {
    { { 3 << 20, 0 }, "data.csv unpacks to more than 1.0\u00a0MiB" },
    { { 1 << 20, 1 << 20 }, "its files unpack to more than 1.5\u00a0MiB in all" },
    { { 1 << 19, 1 << 20 }, NULL },
  };

  _ts_kaggle_set_unpack_limits (1 << 20, 3 << 19);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) zip = make_zip (names, cases[i].sizes);
      g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("a zip of %" G_GSIZE_FORMAT " bytes", g_bytes_get_size (zip));
      g_assert_cmpuint (g_bytes_get_size (zip), <, 64 * 1024);
      g_assert_cmpint (g_mkdir_with_parents (f->dest, 0755), ==, 0);
      ok = _ts_kaggle_unpack_data (TS_KAGGLE_DATASET_170K, g_bytes_get_data (zip, NULL), g_bytes_get_size (zip), f->dest,
                                   TRUE, written, NULL, NULL, NULL, &error);
      if (cases[i].needle == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpuint (written->len, ==, 2);
          continue;
        }
      g_assert_false (ok);
      g_assert_error (error, TS_ERROR, TS_ERROR_HTTP);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "Kaggle"));
      g_assert_nonnull (strstr (error->message, cases[i].needle));
      assert_dest_empty (f);
      assert_no_temp_left (f->dest);
    }
  _ts_kaggle_set_unpack_limits (G_MAXUINT64, G_MAXUINT64);
}

static void
add (const char     *path,
     gconstpointer   data,
     void          (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* A private TMPDIR, set before anything asks for it, shows leftovers. */
  tmp_root = g_dir_make_tmp ("ts-kaggle-tmp-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("TMPDIR", tmp_root, TRUE);
  home = g_dir_make_tmp ("ts-kaggle-home-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("HOME", home, TRUE);
  g_assert_cmpstr (g_get_home_dir (), ==, home);

  g_test_init (&argc, &argv, NULL);
  server = ts_test_server_start ();

  g_test_add_func ("/Ts/Kaggle/url", test_url);
  g_test_add_func ("/Ts/Kaggle/default-dest", test_default_dest);
  add ("/Ts/Kaggle/ok", "ok", test_ok);
  add ("/Ts/Kaggle/other-datasets", NULL, test_other_datasets);
  add ("/Ts/Kaggle/redirect", "redirect", test_ok);
  add ("/Ts/Kaggle/auth-retry", "file", test_auth_retry);
  add ("/Ts/Kaggle/auth-env", "env", test_auth_retry);
  add ("/Ts/Kaggle/auth-refused", NULL, test_auth_refused);
  add ("/Ts/Kaggle/no-credentials-401", "auth", test_no_credentials);
  add ("/Ts/Kaggle/no-credentials-403", "forbidden", test_no_credentials);
  add ("/Ts/Kaggle/bad-credentials-file", NULL, test_bad_credentials_file);
  add ("/Ts/Kaggle/failures", NULL, test_failures);
  add ("/Ts/Kaggle/exists", NULL, test_exists);
  add ("/Ts/Kaggle/zip-bomb", NULL, test_zip_bomb);
  add ("/Ts/Kaggle/cancel", NULL, test_cancel);
  add ("/Ts/Kaggle/async", NULL, test_async);
  add ("/Ts/Kaggle/async-cancel", NULL, test_async_cancel);

  ret = g_test_run ();
  ts_test_server_stop (server);
  remove_tree (tmp_root);
  remove_tree (home);
  g_free (tmp_root);
  g_free (home);
  return ret;
}
