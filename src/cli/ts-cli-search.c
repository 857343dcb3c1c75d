/* ts-cli-search.c: tunescope-cli search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-cli"

#include "config.h"

#include "ts-cli-common.h"

#define DEFAULT_LIMIT 10
#define MAX_LIMIT     1000

/* A song hit: its group's first row stands for the duplicates. */
static void
add_song_json (JsonBuilder *b,
               TsDataset   *dataset,
               guint        group)
{
  const guint32 *rows = NULL;
  guint n_rows = ts_dataset_get_group_rows (dataset, group, &rows);
  guint row = rows[0];
  g_autofree char *artists = ts_dataset_dup_artists_label (dataset, row);

  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, ts_dataset_get_name (dataset, row));
  json_builder_set_member_name (b, "artists");
  json_builder_add_string_value (b, artists);
  json_builder_set_member_name (b, "year");
  json_builder_add_int_value (b, ts_dataset_get_release_date (dataset, row) / 10000);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, ts_dataset_get_id (dataset, row));
  json_builder_set_member_name (b, "duplicates");
  json_builder_add_int_value (b, n_rows - 1);
  json_builder_set_member_name (b, "ids");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_rows; i++)
    json_builder_add_string_value (b, ts_dataset_get_id (dataset, rows[i]));
  json_builder_end_array (b);
}

static void
add_artist_json (JsonBuilder *b,
                 TsDataset   *dataset,
                 guint        artist)
{
  const guint32 *genres = NULL;
  guint n_genres = ts_dataset_get_artist_genres (dataset, artist, &genres);

  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, ts_dataset_get_artist_name (dataset, artist));
  json_builder_set_member_name (b, "genres");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_genres; i++)
    json_builder_add_string_value (b, ts_dataset_get_genre_name (dataset, genres[i]));
  json_builder_end_array (b);
}

static void
print_json (TsDataset  *dataset,
            const char *query,
            GArray     *hits)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "query");
  json_builder_add_string_value (b, query);
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < hits->len; i++)
    {
      const TsSearchHit *hit = &g_array_index (hits, TsSearchHit, i);
      gboolean song = hit->kind == TS_SEARCH_HIT_SONG;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, song ? "song" : "artist");
      json_builder_set_member_name (b, "score");
      json_builder_add_double_value (b, hit->score);
      if (song)
        add_song_json (b, dataset, hit->index);
      else
        add_artist_json (b, dataset, hit->index);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  ts_cli_print_json (b);
}

static void
print_song (TsDataset *dataset,
            guint      group)
{
  const guint32 *rows = NULL;
  guint n_rows = ts_dataset_get_group_rows (dataset, group, &rows);
  guint row = rows[0];
  g_autofree char *artists = ts_dataset_dup_artists_label (dataset, row);

  g_print ("song    %s — %s (%u)  %s", ts_dataset_get_name (dataset, row), artists,
           ts_dataset_get_release_date (dataset, row) / 10000, ts_dataset_get_id (dataset, row));
  if (n_rows > 1)
    g_print ("  [+%u duplicate%s]", n_rows - 1, n_rows > 2 ? "s" : "");
}

static void
print_artist (TsDataset *dataset,
              guint      artist)
{
  const guint32 *genres = NULL;
  guint n_genres = ts_dataset_get_artist_genres (dataset, artist, &genres);

  g_print ("artist  %s", ts_dataset_get_artist_name (dataset, artist));
  for (guint i = 0; i < n_genres && i < 5; i++)
    g_print ("%s%s", i == 0 ? "  (" : ", ", ts_dataset_get_genre_name (dataset, genres[i]));
  if (n_genres > 0)
    g_print ("%s)", n_genres > 5 ? ", …" : "");
}

static void
print_text (TsDataset  *dataset,
            const char *query,
            GArray     *hits)
{
  if (hits->len == 0)
    {
      g_print ("No songs or artists match “%s”.\n", query);
      return;
    }
  for (guint i = 0; i < hits->len; i++)
    {
      const TsSearchHit *hit = &g_array_index (hits, TsSearchHit, i);
      g_autofree char *score = ts_cli_format_double (hit->score, 2);

      g_print ("%2u. %6s  ", i + 1, score);
      if (hit->kind == TS_SEARCH_HIT_SONG)
        print_song (dataset, hit->index);
      else
        print_artist (dataset, hit->index);
      g_print ("\n");
    }
}

static gboolean
query_is_blank (const char *query)
{
  for (const char *p = query; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }
  return TRUE;
}

int
ts_cli_search (TsCli  *cli,
               int     argc,
               char  **argv)
{
  int limit = DEFAULT_LIMIT;
  const GOptionEntry entries[] = {
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, "At most N results (default 10)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) hits = NULL;
  g_autofree char *query = NULL;

  context = ts_cli_context_new (cli, "search", "QUERY",
                                "Find songs and artists by name, ignoring case and accents; "
                                "exact names first, then prefixes, then substrings.",
                                entries, TRUE);
  if (!ts_cli_parse (context, "search", &argc, &argv))
    return TS_CLI_EXIT_USAGE;
  if (argc < 2)
    return ts_cli_usage_error ("search", "missing QUERY");
  if (limit < 1 || limit > MAX_LIMIT)
    return ts_cli_usage_error ("search", "--limit must be between 1 and %d", MAX_LIMIT);

  /* Unquoted words make one query. */
  query = g_strjoinv (" ", argv + 1);
  if (!g_utf8_validate (query, -1, NULL) || query_is_blank (query))
    return ts_cli_usage_error ("search", "QUERY must be non-empty UTF-8 text");

  dataset = ts_cli_load_dataset (cli, &error);
  if (dataset == NULL)
    return ts_cli_report_error (error, NULL);

  ts_dataset_ensure_index (dataset);
  hits = ts_dataset_search (dataset, query, (guint) limit);
  if (cli->json)
    print_json (dataset, query, hits);
  else
    print_text (dataset, query, hits);
  return TS_CLI_EXIT_OK;
}
