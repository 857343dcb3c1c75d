/* test-playlist.c: playlist import (Exportify CSV, M3U, URI lists,
 * Tunescope JSON), matching, the match report, errors and export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tunescope-core.h"
#include "ts-playlist-private.h"
#include "ts-test-util.h"

/* The fixture dataset: rows 0 and 1 are one song ("One" by A, twice),
 * row 7 is "One" by A and D (another song, more popular). */
static TsDataset *
load_fixture_dataset (void)
{
  g_autofree char *path = ts_test_fixture_path ("playlist/tracks.csv");
  g_autoptr(GError) error = NULL;
  TsDatasetLoadOptions options = { 1, 0, TRUE };
  TsDataset *dataset = ts_dataset_load (path, &options, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ts_dataset_get_n_rows (dataset), ==, 8);
  return dataset;
}

static TsPlaylist *
load_fixture (TsDataset  *dataset,
              const char *name)
{
  g_autofree char *relative = g_build_filename ("playlist", name, NULL);
  g_autofree char *path = ts_test_fixture_path (relative);
  g_autoptr(GError) error = NULL;
  TsPlaylist *playlist = ts_playlist_load (dataset, path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (playlist);
  return playlist;
}

static void
assert_rows (TsPlaylist    *playlist,
             const guint32 *expected,
             guint          n)
{
  g_assert_cmpuint (playlist->rows->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (g_array_index (playlist->rows, guint32, i), ==, expected[i]);
}

static void
assert_counts (TsPlaylist *playlist,
               guint       matched,
               guint       ambiguous,
               guint       unmatched,
               guint       duplicates)
{
  g_assert_cmpuint (playlist->n_matched, ==, matched);
  g_assert_cmpuint (playlist->n_ambiguous, ==, ambiguous);
  g_assert_cmpuint (playlist->n_unmatched, ==, unmatched);
  g_assert_cmpuint (playlist->n_duplicates, ==, duplicates);
  g_assert_cmpuint (playlist->entries->len, ==, matched + ambiguous + unmatched + duplicates);
}

static const TsPlaylistEntry *
entry (TsPlaylist *playlist,
       guint       index)
{
  g_assert_cmpuint (index, <, playlist->entries->len);
  return g_ptr_array_index (playlist->entries, index);
}

static void
test_track_ids (void)
{
  static const struct { const char *text; const char *id; } cases[] = {
    { "spotify:track:0aaaaaaaaaaaaaaaaaaaa1", "0aaaaaaaaaaaaaaaaaaaa1" },
    { "https://open.spotify.com/track/0aaaaaaaaaaaaaaaaaaaa1?si=xyz", "0aaaaaaaaaaaaaaaaaaaa1" },
    { "open.spotify.com/intl-fr/track/0aaaaaaaaaaaaaaaaaaaa1", "0aaaaaaaaaaaaaaaaaaaa1" },
    { "https://open.spotify.com/album/0aaaaaaaaaaaaaaaaaaaa1", NULL },
    { "spotify:track:0aaaaaaaaaaaaaaaaaaaa", NULL },
    { "spotify:track:0aaaaaaaaaaaaaaaaaaaa1x", NULL },
    { "spotify:local:a:b:c:1", NULL },
    { "hello", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = ts_playlist_parse_track_id (cases[i].text);

      g_assert_cmpstr (id, ==, cases[i].id);
    }
}

/* BOM, lower-case quoted headers, CRLF, a quoted line break, an unknown
 * id matched by name, "B;Someone", a duplicate and an unknown song. */
static void
test_exportify (void)
{
  g_autoptr(TsDataset) dataset = load_fixture_dataset ();
  g_autoptr(TsPlaylist) playlist = load_fixture (dataset, "exportify.csv");
  const guint32 rows[] = { 0, 2, 3, 5 };

  g_assert_cmpint (playlist->format, ==, TS_PLAYLIST_FORMAT_CSV);
  g_assert_cmpstr (playlist->name, ==, "exportify");
  assert_rows (playlist, rows, G_N_ELEMENTS (rows));
  assert_counts (playlist, 4, 0, 1, 1);
  g_assert_cmpint (entry (playlist, 3)->status, ==, TS_PLAYLIST_ENTRY_DUPLICATE);
  g_assert_cmpuint (entry (playlist, 3)->line, ==, 5);
  g_assert_cmpint (entry (playlist, 4)->status, ==, TS_PLAYLIST_ENTRY_UNMATCHED);
  g_assert_cmpuint (entry (playlist, 4)->line, ==, 6);
  g_assert_cmpstr (entry (playlist, 4)->title, ==, "Nowhere");
  g_assert_cmpuint (entry (playlist, 5)->line, ==, 7);
}

static void
test_csv_variant (void)
{
  g_autoptr(TsDataset) dataset = load_fixture_dataset ();
  g_autoptr(TsPlaylist) playlist = load_fixture (dataset, "variant.csv");
  const guint32 rows[] = { 3, 6 };

  assert_rows (playlist, rows, G_N_ELEMENTS (rows));
  assert_counts (playlist, 2, 0, 0, 0);
}

static void
test_m3u_extinf (void)
{
  g_autoptr(TsDataset) dataset = load_fixture_dataset ();
  g_autoptr(TsPlaylist) playlist = load_fixture (dataset, "extinf.m3u8");
  const guint32 rows[] = { 2, 4, 5 };

  g_assert_cmpint (playlist->format, ==, TS_PLAYLIST_FORMAT_M3U);
  assert_rows (playlist, rows, G_N_ELEMENTS (rows));
  assert_counts (playlist, 3, 0, 0, 0);
  g_assert_cmpuint (entry (playlist, 0)->line, ==, 3);
  g_assert_cmpstr (entry (playlist, 0)->artist, ==, "A");
  g_assert_cmpuint (entry (playlist, 2)->line, ==, 9);
}

static void
test_m3u_plain (void)
{
  g_autoptr(TsDataset) dataset = load_fixture_dataset ();
  g_autoptr(TsPlaylist) playlist = load_fixture (dataset, "plain.m3u");
  const guint32 rows[] = { 6, 3 };

  assert_rows (playlist, rows, G_N_ELEMENTS (rows));
  assert_counts (playlist, 2, 0, 1, 0);
  g_assert_cmpuint (entry (playlist, 2)->line, ==, 3);
}

static void
test_uri_list (void)
{
  g_autoptr(TsDataset) dataset = load_fixture_dataset ();
  g_autoptr(TsPlaylist) playlist = load_fixture (dataset, "uris.txt");
  const guint32 rows[] = { 0, 2 };
  const guint unmatched_lines[] = { 2, 5, 8 };
  guint u = 0;

  g_assert_cmpint (playlist->format, ==, TS_PLAYLIST_FORMAT_URI_LIST);
  assert_rows (playlist, rows, G_N_ELEMENTS (rows));
  assert_counts (playlist, 2, 0, 3, 1);
  for (guint i = 0; i < playlist->entries->len; i++)
    if (entry (playlist, i)->status == TS_PLAYLIST_ENTRY_UNMATCHED)
      g_assert_cmpuint (entry (playlist, i)->line, ==, unmatched_lines[u++]);
  g_assert_cmpstr (entry (playlist, 1)->title, ==, "this is junk");
}

/* "A - One" names two songs: reported ambiguous, the most popular kept. */
static void
test_ambiguous (void)
{
  g_autoptr(TsDataset) dataset = load_fixture_dataset ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TsPlaylist) playlist = ts_playlist_parse (dataset, "list.txt", "A - One\na - ONE!\n",
                                                      -1, TS_PLAYLIST_FORMAT_AUTO, &error);

  g_assert_no_error (error);
  assert_counts (playlist, 0, 1, 0, 1);
  g_assert_cmpuint (entry (playlist, 0)->n_candidates, ==, 2);
  g_assert_cmpuint (g_array_index (playlist->rows, guint32, 0), ==, 7);
}

/* 10,000 lines, most of them repeats or junk, in well under a second. */
static void
test_long_list (void)
{
  g_autoptr(TsDataset) dataset = load_fixture_dataset ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsPlaylist) playlist = NULL;
  gint64 start;

  for (guint i = 0; i < 10000; i++)
    {
      if (i % 3 == 0)
        g_string_append_printf (text, "spotify:track:0aaaaaaaaaaaaaaaaaaaa%u\n", i % 8 + 1);
      else if (i % 3 == 1)
        g_string_append_printf (text, "https://open.spotify.com/track/%022u\n", i);
      else
        g_string_append (text, "?? junk ??\n");
    }
  start = g_get_monotonic_time ();
  playlist = ts_playlist_parse (dataset, "long.txt", text->str, text->len,
                                TS_PLAYLIST_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  g_test_message ("10,000 lines in %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (playlist->entries->len, ==, 10000);
  g_assert_cmpuint (playlist->rows->len, ==, 7);  /* 8 ids, two of them one song */
  g_assert_cmpuint (playlist->n_unmatched, ==, 10000 - 3334);
  g_assert_cmpuint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

/* As many entries as the cap import; one more is refused naming its
 * line, in every format that lists tracks a line each; a JSON text with
 * more values than such a playlist holds is refused before json-glib
 * builds them; a file over the size cap is refused from its size. The
 * entry cap is lowered: at 100,000 an import makes a million blocks,
 * minutes of stack unwinding under AddressSanitizer (test-cli-size takes
 * a million-line M3U through the real cap). */
#define TEST_MAX_ENTRIES 50
static void
test_caps (void)
{
  static const struct { const char *name; const char *head; const char *line; } formats[] = {
    { "cap.txt", "", "spotify:track:0aaaaaaaaaaaaaaaaaaaa1\n" },
    { "cap.m3u", "#EXTM3U\n", "https://open.spotify.com/track/0aaaaaaaaaaaaaaaaaaaa1\n" },
    { "cap.csv", "Track URI,Track Name\n", "spotify:track:0aaaaaaaaaaaaaaaaaaaa1,One\n" },
  };
  g_autoptr(TsDataset) dataset = load_fixture_dataset ();

  _ts_playlist_set_max_entries (TEST_MAX_ENTRIES);
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autoptr(GString) text = g_string_new (formats[f].head);
      g_autoptr(GError) error = NULL;
      g_autoptr(TsPlaylist) playlist = NULL;
      g_autofree char *where = NULL;
      guint head_lines = formats[f].head[0] != '\0';

      for (guint i = 0; i < TEST_MAX_ENTRIES; i++)
        g_string_append (text, formats[f].line);
      playlist = ts_playlist_parse (dataset, formats[f].name, text->str, text->len,
                                    TS_PLAYLIST_FORMAT_AUTO, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (playlist->entries->len, ==, TEST_MAX_ENTRIES);
      g_clear_pointer (&playlist, ts_playlist_free);

      g_string_append (text, formats[f].line);
      playlist = ts_playlist_parse (dataset, formats[f].name, text->str, text->len,
                                    TS_PLAYLIST_FORMAT_AUTO, &error);
      g_assert_null (playlist);
      where = g_strdup_printf ("%s:%u: too many tracks (Tunescope imports up to %u)",
                               formats[f].name, TEST_MAX_ENTRIES + 1 + head_lines,
                               TEST_MAX_ENTRIES);
      g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
      g_assert_cmpstr (error->message, ==, where);
    }
  {
    g_autoptr(GString) text = g_string_new ("{\"tunescope-playlist\": 1, \"tracks\": [{}");
    g_autoptr(GError) error = NULL;
    g_autoptr(TsPlaylist) playlist = NULL;

    while (text->len < 16 * TEST_MAX_ENTRIES * 2)
      g_string_append (text, ",{}");
    g_string_append (text, "]}");
    playlist = ts_playlist_parse (dataset, "dense.json", text->str, text->len,
                                  TS_PLAYLIST_FORMAT_AUTO, &error);
    g_assert_null (playlist);
    g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
    g_assert_true (g_str_has_prefix (error->message, "dense.json:1: too many values"));
  }
  {
    g_autofree char *path = ts_test_write_temp ("huge.m3u", "#EXTM3U\n", -1);
    g_autoptr(GError) error = NULL;
    g_autoptr(TsPlaylist) playlist = NULL;

    g_assert_cmpint (truncate (path, TS_PLAYLIST_MAX_FILE_BYTES + 1), ==, 0);
    playlist = ts_playlist_load (dataset, path, &error);
    g_assert_null (playlist);
    g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
    g_assert_true (g_str_has_suffix (error->message, "playlists up to 64.0\u00a0MiB)"));
    g_unlink (path);
  }
  _ts_playlist_set_max_entries (TS_PLAYLIST_MAX_ENTRIES);
}

static void
test_malformed (void)
{
  static const struct { const char *name; const char *text; const char *where; } cases[] = {
    { "quote.csv", "Track URI,Track Name\nspotify:track:x,\"Open\n\n", "quote.csv:2:" },
    { "header.csv", "Album,Added At\nx,y\n", "header.csv:1:" },
    { "bad.json", "{\n  \"tunescope-playlist\": 1,\n  \"tracks\": [\n}\n", "bad.json:4:" },
    { "other.json", "{\"name\": \"x\"}", "other.json:1:" },
    /* Both logged a critical before failing (found by fuzz-playlist). */
    { "empty.json", "", "empty.json:1:" },
    { "notracks.json", "{\"tunescope-playlist\": 1}", "notracks.json:1:" },
    { "latin1.txt", "spotify:track:0aaaaaaaaaaaaaaaaaaaa1\nCaf\xe9\n", "latin1.txt:2:" },
  };
  g_autoptr(TsDataset) dataset = load_fixture_dataset ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TsPlaylist) playlist = ts_playlist_parse (dataset, cases[i].name, cases[i].text,
                                                          -1, TS_PLAYLIST_FORMAT_AUTO, &error);

      g_assert_null (playlist);
      g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, cases[i].where));
    }
  {
    /* json-glib's recursion overflowed the stack at this depth. */
    g_autoptr(GString) text = g_string_new ("{\"tunescope-playlist\": 1, \"tracks\": ");
    g_autoptr(GError) error = NULL;
    g_autoptr(TsPlaylist) playlist = NULL;

    for (guint i = 0; i < 200000; i++)
      g_string_append_c (text, '[');
    for (guint i = 0; i < 200000; i++)
      g_string_append_c (text, ']');
    g_string_append_c (text, '}');
    playlist = ts_playlist_parse (dataset, "deep.json", text->str, text->len,
                                  TS_PLAYLIST_FORMAT_AUTO, &error);
    g_assert_null (playlist);
    g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
    g_assert_cmpstr (error->message, ==, "deep.json:1: not valid JSON (it nests deeper than 256 "
                     "levels)");
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TsPlaylist) playlist = ts_playlist_parse (dataset, "bin.m3u", "#EXTM3U\n\0\1", 10,
                                                        TS_PLAYLIST_FORMAT_AUTO, &error);

    g_assert_null (playlist);
    g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  }
}

/* Members of the wrong kind are as good as missing, never a critical
 * (found by fuzz-playlist). */
static void
test_json_wrong_kinds (void)
{
  static const char text[] =
    "{\"tunescope-playlist\": 1, \"name\": 7, \"tracks\": ["
    "{\"id\": [\"x\"], \"name\": {\"a\": 1}, \"artists\": [3, \"A\"]},"
    "{\"id\": \"0aaaaaaaaaaaaaaaaaaaa3\", \"artists\": \"A\"}]}";
  g_autoptr(TsDataset) dataset = load_fixture_dataset ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TsPlaylist) playlist = ts_playlist_parse (dataset, "mix.json", text, -1,
                                                      TS_PLAYLIST_FORMAT_AUTO, &error);
  static const guint32 rows[] = { 2 };

  g_assert_no_error (error);
  g_assert_cmpstr (playlist->name, ==, "mix");
  assert_counts (playlist, 1, 0, 1, 0);
  assert_rows (playlist, rows, G_N_ELEMENTS (rows));
}

/* 300 tracks, each an object with a list in it: the nesting guard once
 * counted every new deepest '[' or '{' twice (MAX () evaluating ++depth
 * twice), so siblings added up to "deeper than 256 levels". */
static void
test_json_many_tracks (void)
{
  g_autoptr(GString) text = g_string_new ("{\"tunescope-playlist\": 1, \"tracks\": [");
  g_autoptr(TsDataset) dataset = load_fixture_dataset ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TsPlaylist) playlist = NULL;

  for (guint i = 0; i < 300; i++)
    g_string_append_printf (text, "%s{\"id\": \"0aaaaaaaaaaaaaaaaaaaa%u\", \"artists\": [\"A\"]}",
                            i > 0 ? "," : "", i % 8 + 1);
  g_string_append (text, "]}");
  playlist = ts_playlist_parse (dataset, "many.json", text->str, text->len,
                                TS_PLAYLIST_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (playlist->entries->len, ==, 300);
}

/* A list of links whose first link has a comma in it is still a list of
 * links (its id was leaked while guessing; found by fuzz-playlist). */
static void
test_link_with_comma (void)
{
  static const char text[] = "https://open.spotify.com/track/0aaaaaaaaaaaaaaaaaaaa3?a=b,c\n"
                             "spotify:track:0aaaaaaaaaaaaaaaaaaaa4\n";
  g_autoptr(TsDataset) dataset = load_fixture_dataset ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TsPlaylist) playlist = ts_playlist_parse (dataset, "links", text, -1,
                                                      TS_PLAYLIST_FORMAT_AUTO, &error);
  static const guint32 rows[] = { 2, 3 };

  g_assert_no_error (error);
  g_assert_cmpint (playlist->format, ==, TS_PLAYLIST_FORMAT_URI_LIST);
  assert_rows (playlist, rows, G_N_ELEMENTS (rows));
}

/* Every export format reads back to the same songs; saves are atomic
 * (the temporary file never stays behind). */
static void
test_round_trip (void)
{
  static const char * const names[] = { "out.m3u8", "out.csv", "out.txt", "out.json" };
  g_autoptr(TsDataset) dataset = load_fixture_dataset ();
  g_autoptr(TsPlaylist) playlist = ts_playlist_new ("Mine, \"quoted\"");
  g_autofree char *anchor = ts_test_write_temp ("anchor", "", 0);
  g_autofree char *dir = g_path_get_dirname (anchor);

  g_assert_true (ts_playlist_add_row (playlist, 7));
  g_assert_true (ts_playlist_add_row (playlist, 3));
  g_assert_true (ts_playlist_add_row (playlist, 0));
  g_assert_false (ts_playlist_add_row (playlist, 3));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(TsPlaylist) back = NULL;
      g_autoptr(GDir) listing = NULL;
      guint n_files = 0;

      g_assert_true (ts_playlist_save (playlist, dataset, path, TS_PLAYLIST_FORMAT_AUTO, &error));
      g_assert_no_error (error);
      back = ts_playlist_load (dataset, path, &error);
      g_assert_no_error (error);
      assert_rows (back, (const guint32 *) playlist->rows->data, playlist->rows->len);
      assert_counts (back, 3, 0, 0, 0);
      /* JSON and M3U8 keep the name (M3U8 in its #PLAYLIST line). */
      if (g_str_has_suffix (names[i], ".json") || g_str_has_suffix (names[i], ".m3u8"))
        g_assert_cmpstr (back->name, ==, playlist->name);
      listing = g_dir_open (dir, 0, &error);
      g_assert_no_error (error);
      while (g_dir_read_name (listing) != NULL)
        n_files++;
      g_assert_cmpuint (n_files, ==, i + 2);
    }
}

static void
test_export_text (void)
{
  g_autoptr(TsDataset) dataset = load_fixture_dataset ();
  g_autoptr(TsPlaylist) playlist = ts_playlist_new ("Two songs");
  g_autofree char *m3u = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *uris = NULL;

  ts_playlist_add_row (playlist, 7);
  ts_playlist_add_row (playlist, 2);
  m3u = ts_playlist_to_string (playlist, dataset, TS_PLAYLIST_FORMAT_M3U);
  g_assert_cmpstr (m3u, ==, "#EXTM3U\n#PLAYLIST:Two songs\n"
                   "#EXTINF:200,A, D - One\nhttps://open.spotify.com/track/0aaaaaaaaaaaaaaaaaaaa8\n"
                   "#EXTINF:180,A - Two\nhttps://open.spotify.com/track/0aaaaaaaaaaaaaaaaaaaa3\n");
  csv = ts_playlist_to_string (playlist, dataset, TS_PLAYLIST_FORMAT_CSV);
  g_assert_true (g_str_has_prefix (csv, "Track URI,Track Name,Artist Name(s),"));
  g_assert_nonnull (strstr (csv,
                            "\nspotify:track:0aaaaaaaaaaaaaaaaaaaa8,One,A;D,1995,200000,90\n"));
  uris = ts_playlist_to_string (playlist, dataset, TS_PLAYLIST_FORMAT_URI_LIST);
  g_assert_cmpstr (uris, ==, "spotify:track:0aaaaaaaaaaaaaaaaaaaa8\n"
                   "spotify:track:0aaaaaaaaaaaaaaaaaaaa3\n");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Ts/Playlist/track-ids", test_track_ids);
  g_test_add_func ("/Ts/Playlist/exportify", test_exportify);
  g_test_add_func ("/Ts/Playlist/csv-variant", test_csv_variant);
  g_test_add_func ("/Ts/Playlist/m3u-extinf", test_m3u_extinf);
  g_test_add_func ("/Ts/Playlist/m3u-plain", test_m3u_plain);
  g_test_add_func ("/Ts/Playlist/uri-list", test_uri_list);
  g_test_add_func ("/Ts/Playlist/ambiguous", test_ambiguous);
  g_test_add_func ("/Ts/Playlist/long-list", test_long_list);
  g_test_add_func ("/Ts/Playlist/caps", test_caps);
  g_test_add_func ("/Ts/Playlist/malformed", test_malformed);
  g_test_add_func ("/Ts/Playlist/json-wrong-kinds", test_json_wrong_kinds);
  g_test_add_func ("/Ts/Playlist/json-many-tracks", test_json_many_tracks);
  g_test_add_func ("/Ts/Playlist/link-with-comma", test_link_with_comma);
  g_test_add_func ("/Ts/Playlist/round-trip", test_round_trip);
  g_test_add_func ("/Ts/Playlist/export-text", test_export_text);

  return g_test_run ();
}
