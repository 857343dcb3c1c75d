/* test-musicbrainz.c: the covers source through MusicBrainz and the Cover Art
 * Archive, asynchronously, against tests/net/musicbrainz-server.py
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole pipeline (pacing, User-Agent, resume through the CLI, painted
 * covers, training) is tests/cli/test-cli-musicbrainz.py; this one checks
 * what the app relies on: progress in the caller's context before the
 * result, the counts, cancellation keeping the progress made.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tunescope-core.h"
#include "net/ts-musicbrainz-private.h"
#include "ts-test-server.h"
#include "ts-test-util.h"

#define HEADER "valence,year,acousticness,artists,danceability,duration_ms,energy,explicit,id," \
               "instrumentalness,key,liveness,loudness,mode,name,popularity,release_date," \
               "speechiness,tempo\n"

/* Most popular first: the order the songs are tried in. */
static const struct { const char *kind; const char *title; } songs[] = {
  { "ok", "First Light" },
  { "badjson", "Broken Answer" },
  { "nocover", "Bare Sleeve" },
  { "ok", "Second Light" },
  { "truncimg", "Half Picture" },
};

/* One server and one dataset file for the whole program: the environment
 * is set before any thread starts. */
static TsTestServer *server;
static char *server_dir;
static char *csv_path;

typedef struct
{
  char            *dir;
  char            *manifest_path;
  TsDataset       *dataset;
  TsCoverManifest *manifest;
  GPtrArray       *reports;   /* "done/total" as delivered */
  gboolean         finished;
  gboolean         ok;
  GError          *error;
  TsMusicBrainzProgress counts;
  GCancellable    *cancel_after_first;
  GThread         *main_thread;
} Fixture;

static char *
mbid (guint i)
{
  return g_strdup_printf ("%08x-0000-4000-8000-%012x", 0xb0b00000 + i, i);
}

static void
start_server (void)
{
  g_autoptr(GError) dir_error = NULL;
  const char *dir = server_dir = g_dir_make_tmp ("tunescope-test-XXXXXX", &dir_error);
  g_autoptr(GString) csv = g_string_new (HEADER);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *covers = g_build_filename (dir, "served", NULL);
  g_autofree char *cover = ts_test_fixture_path ("art/baseline.jpg");
  g_autofree char *catalog = g_build_filename (dir, "catalog.json", NULL);
  g_autofree char *search = NULL, *caa = NULL;
  g_autofree char *jpeg = NULL;
  gsize jpeg_size = 0;
  g_autoptr(GError) error = NULL;

  csv_path = g_build_filename (dir, "tracks.csv", NULL);
  g_assert_true (g_file_get_contents (cover, &jpeg, &jpeg_size, &error));
  g_assert_cmpint (g_mkdir_with_parents (covers, 0755), ==, 0);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "covers");
  json_builder_add_string_value (b, covers);
  json_builder_set_member_name (b, "songs");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (songs); i++)
    {
      g_autofree char *id = mbid (i);
      g_autofree char *name = g_strconcat (id, ".jpg", NULL);
      g_autofree char *path = g_build_filename (covers, name, NULL);

      g_string_append_printf (csv, "0.5,2000,0.5,['Band %u'],0.5,200000,0.5,0,0mbc%018u,0.0,1,"
                              "0.1,-6.0,1,%s,%u,2000-01-01,0.05,120.0\n", i, i, songs[i].title,
                              90 - i);
      g_assert_true (g_file_set_contents (path, jpeg, (gssize) jpeg_size, &error));
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, songs[i].title);
      json_builder_set_member_name (b, "artist");
      g_free (name);
      name = g_strdup_printf ("Band %u", i);
      json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "mbid");
      json_builder_add_string_value (b, id);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, songs[i].kind);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  g_assert_true (json_generator_to_file (generator, catalog, &error));
  g_assert_true (g_file_set_contents (csv_path, csv->str, -1, &error));
  g_assert_no_error (error);

  g_assert_no_error (dir_error);
  server = ts_test_server_start_script ("musicbrainz-server.py", catalog);
  search = ts_test_server_base (server, "ws/2");
  caa = ts_test_server_base (server, "caa");
  g_setenv ("TUNESCOPE_MUSICBRAINZ_URL", search, TRUE);
  g_setenv ("TUNESCOPE_COVERART_URL", caa, TRUE);
  g_setenv ("TUNESCOPE_MUSICBRAINZ_INTERVAL_MS", "10", TRUE);
}

/* What start_server () wrote. */
static void
remove_server_files (void)
{
  const char *names[] = { "catalog.json", "tracks.csv" };
  g_autofree char *covers = g_build_filename (server_dir, "served", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (songs); i++)
    {
      g_autofree char *id = mbid (i);
      g_autofree char *name = g_strconcat (id, ".jpg", NULL);
      g_autofree char *path = g_build_filename (covers, name, NULL);

      g_unlink (path);
    }
  g_rmdir (covers);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (server_dir, names[i], NULL);

      g_unlink (path);
    }
  g_rmdir (server_dir);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = ts_test_make_temp_dir ();
  /* One level: the test utilities remove the files of the folder. */
  f->manifest_path = g_build_filename (f->dir, "manifest.json", NULL);
  f->dataset = ts_dataset_load (csv_path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  f->manifest = ts_cover_manifest_new ();
  f->reports = g_ptr_array_new_with_free_func (g_free);
  f->main_thread = g_thread_self ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->dataset);
  ts_cover_manifest_free (f->manifest);
  g_ptr_array_unref (f->reports);
  g_clear_error (&f->error);
  g_clear_object (&f->cancel_after_first);
  g_free (f->manifest_path);
  g_free (f->dir);
}

static void
on_progress (const TsMusicBrainzProgress *progress,
             gpointer                     data)
{
  Fixture *f = data;

  g_assert_true (g_thread_self () == f->main_thread);
  g_assert_false (f->finished);
  g_assert_nonnull (progress->title);
  g_ptr_array_add (f->reports, g_strdup_printf ("%u/%u", progress->done, progress->total));
  if (f->cancel_after_first != NULL)
    g_cancellable_cancel (f->cancel_after_first);
}

static void
on_collected (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Fixture *f = data;

  f->ok = ts_covers_collect_musicbrainz_finish (result, &f->counts, &f->error);
  f->finished = TRUE;
}

static void
run (Fixture      *f,
     GCancellable *cancellable)
{
  TsMusicBrainzOptions options;

  ts_musicbrainz_options_init (&options);
  options.image_dir = f->dir;
  options.manifest_path = f->manifest_path;
  f->finished = FALSE;
  ts_covers_collect_musicbrainz_async (f->manifest, f->dataset, &options, on_progress, f, NULL,
                                       cancellable, on_collected, f);
  while (!f->finished)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_async_collects (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TsCoverManifest) saved = NULL;
  g_autoptr(GError) error = NULL;
  const char *reason = NULL;
  TsCoverTry status;

  run (f, NULL);
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  g_assert_cmpuint (f->reports->len, ==, G_N_ELEMENTS (songs));
  g_assert_cmpstr (g_ptr_array_index (f->reports, 0), ==, "1/5");
  g_assert_cmpstr (g_ptr_array_index (f->reports, 4), ==, "5/5");
  g_assert_cmpuint (f->counts.found, ==, 2);
  g_assert_cmpuint (f->counts.failed, ==, 2);
  g_assert_cmpuint (f->counts.not_found, ==, 1);
  g_assert_cmpuint (ts_cover_manifest_get_n_entries (f->manifest), ==, 2);

  /* The file holds the same, reasons included. */
  saved = ts_cover_manifest_load (f->manifest_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ts_cover_manifest_get_n_entries (saved), ==, 2);
  g_assert_true (ts_cover_manifest_get_tried (saved, TS_MUSICBRAINZ_SOURCE,
                                              "0mbc000000000000000004", &status, &reason));
  g_assert_cmpint (status, ==, TS_COVER_TRY_FAILED);
  g_assert_nonnull (strstr (reason, "not a readable image"));
  g_assert_cmpuint (ts_cover_manifest_count_tried (saved, TS_MUSICBRAINZ_SOURCE,
                                                   TS_COVER_TRY_NOT_FOUND), ==, 1);
}

static void
test_async_cancel_keeps_progress (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(TsCoverManifest) saved = NULL;
  g_autoptr(GError) error = NULL;
  guint done;

  f->cancel_after_first = g_cancellable_new ();
  run (f, f->cancel_after_first);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (f->ok);
  done = f->counts.done;
  g_assert_cmpuint (done, >=, 1);
  g_assert_cmpuint (done, <, G_N_ELEMENTS (songs));
  saved = ts_cover_manifest_load (f->manifest_path, &error);
  g_assert_no_error (error);
  /* The ok songs are the 1st and the 4th. */
  g_assert_cmpuint (ts_cover_manifest_count_tried (saved, TS_MUSICBRAINZ_SOURCE,
                                                   TS_COVER_TRY_FOUND), ==, done >= 4 ? 2 : 1);
  g_assert_cmpuint (ts_cover_manifest_get_n_entries (saved), ==, done >= 4 ? 2 : 1);

  /* Again: only the songs not tried yet. */
  g_clear_error (&f->error);
  g_clear_object (&f->cancel_after_first);
  g_ptr_array_set_size (f->reports, 0);
  run (f, NULL);
  g_assert_no_error (f->error);
  g_assert_cmpuint (f->counts.skipped, ==, done);
  g_assert_cmpuint (f->counts.done, ==, G_N_ELEMENTS (songs) - done);
  g_assert_cmpuint (ts_cover_manifest_get_n_entries (f->manifest), ==, 2);
}

/* Answers that are no search result give a reason, never a critical: an
 * empty body (its bytes are NULL, which json-glib refused with a critical;
 * found by fuzz-musicbrainz) and members of the wrong kind. */
static void
test_odd_answers (void)
{
  static const char * const artists[] = { "Claude Debussy", NULL };
  static const char wrong_kinds[] =
    "{\"recordings\": [7, {\"title\": [\"Clair de Lune\"]}, {\"title\": \"Clair de Lune\","
    " \"artist-credit\": [{\"name\": \"Claude Debussy\"}], \"releases\": [{\"id\": 3},"
    " {\"id\": \"4D2B7A2E-1F6B-4C8E-9F3A-0123456789AB\", \"release-group\": []}]}]}";
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) odd = g_bytes_new_static (wrong_kinds, sizeof wrong_kinds - 1);
  g_autofree char *reason = NULL;
  g_auto(GStrv) releases = NULL;

  g_assert_null (_ts_musicbrainz_parse_search (empty, "Clair de Lune", artists, &reason));
  g_assert_nonnull (strstr (reason, "MusicBrainz"));
  g_clear_pointer (&reason, g_free);

  releases = _ts_musicbrainz_parse_search (odd, "Clair de Lune", artists, &reason);
  g_assert_null (reason);
  g_assert_cmpuint (g_strv_length (releases), ==, 1);
  g_assert_cmpstr (releases[0], ==, "4d2b7a2e-1f6b-4c8e-9f3a-0123456789ab");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  start_server ();

  g_test_add_func ("/musicbrainz/odd-answers", test_odd_answers);
  g_test_add ("/musicbrainz/async-collects", Fixture, NULL, fixture_set_up, test_async_collects,
              fixture_tear_down);
  g_test_add ("/musicbrainz/async-cancel-keeps-progress", Fixture, NULL, fixture_set_up,
              test_async_cancel_keeps_progress, fixture_tear_down);
  status = g_test_run ();
  ts_test_server_stop (server);
  remove_server_files ();
  g_free (server_dir);
  g_free (csv_path);
  return status;
}
