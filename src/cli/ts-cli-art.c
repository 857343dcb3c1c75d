/* ts-cli-art.c: tunescope-cli art fetch|path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-cli"

#include "config.h"

#include <stdlib.h>

#include "ts-cli-common.h"

#define DEFAULT_JOBS 4
#define MAX_JOBS     32
#define DEFAULT_SIZE 300

/* What both subcommands share: where covers come from. */
typedef struct
{
  char       *source_name;
  int         size;
  TsArtSource source;
  TsSpotify  *spotify;
  TsArtCache *cache;
} ArtSetup;

static void
art_setup_clear (ArtSetup *setup)
{
  g_clear_pointer (&setup->source_name, g_free);
  g_clear_pointer (&setup->spotify, ts_spotify_unref);
  g_clear_pointer (&setup->cache, ts_art_cache_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ArtSetup, art_setup_clear)

/* Checks the options and makes the client; non-zero is the exit status
 * of a usage error. Credentials come only from the environment, never
 * from argv. */
static int
art_setup_prepare (ArtSetup   *setup,
                   const char *command)
{
  if (setup->source_name != NULL && !ts_art_source_from_name (setup->source_name, &setup->source))
    return ts_cli_usage_error (command, "--source must be “oembed” or “api”, not “%s”",
                               setup->source_name);
  if (setup->size <= 0 || setup->size > 4096)
    return ts_cli_usage_error (command, "--size must be between 1 and 4096");

  setup->spotify = ts_spotify_new ();
  setup->cache = ts_art_cache_new (NULL);
  if (setup->source == TS_ART_SOURCE_API)
    {
      const char *id = g_getenv ("TUNESCOPE_SPOTIFY_CLIENT_ID");
      const char *secret = g_getenv ("TUNESCOPE_SPOTIFY_CLIENT_SECRET");

      if (id == NULL || *id == '\0' || secret == NULL || *secret == '\0')
        return ts_cli_usage_error (command, "--source api needs your Spotify app's credentials "
                                   "in TUNESCOPE_SPOTIFY_CLIENT_ID and "
                                   "TUNESCOPE_SPOTIFY_CLIENT_SECRET (without them, use the "
                                   "default --source oembed)");
      ts_spotify_set_credentials (setup->spotify, id, secret);
    }
  return TS_CLI_EXIT_OK;
}

/* art fetch */

typedef struct
{
  ArtSetup  *setup;
  char     **ids;
  guint      jobs;
} FetchArgs;

static void
start_fetch (gpointer             start_data,
             TsProgressFunc       progress,
             gpointer             progress_data,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  FetchArgs *args = start_data;

  ts_art_cache_fetch_many_async (args->setup->cache, args->setup->spotify, args->setup->source,
                                 (const char * const *) args->ids, (guint) args->setup->size,
                                 args->jobs, progress, progress_data, cancellable, callback,
                                 user_data);
}

static int
compare_popularity (gconstpointer a,
                    gconstpointer b,
                    gpointer      data)
{
  const double *popularity = data;
  guint ra = *(const guint *) a, rb = *(const guint *) b;

  if (popularity[ra] != popularity[rb])
    return popularity[ra] > popularity[rb] ? -1 : 1;
  return ra < rb ? -1 : ra > rb;
}

/* The ids of the @n most popular songs. */
static char **
dup_top_ids (TsDataset *dataset,
             guint      n)
{
  guint n_rows = ts_dataset_get_n_rows (dataset);
  const double *popularity = ts_dataset_get_column (dataset, TS_FEATURE_POPULARITY);
  g_autofree guint *rows = g_new (guint, MAX (n_rows, 1));
  GPtrArray *ids = g_ptr_array_new ();

  for (guint i = 0; i < n_rows; i++)
    rows[i] = i;
  g_qsort_with_data (rows, (gint) n_rows, sizeof (guint), compare_popularity,
                     (gpointer) popularity);
  for (guint i = 0; i < MIN (n, n_rows); i++)
    g_ptr_array_add (ids, g_strdup (ts_dataset_get_id (dataset, rows[i])));
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (ids, FALSE);
}

static char **
split_ids (const char *list)
{
  g_auto(GStrv) parts = g_strsplit (list, ",", -1);
  GPtrArray *ids = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *id = g_strstrip (parts[i]);

      if (*id != '\0')
        g_ptr_array_add (ids, g_strdup (id));
    }
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (ids, FALSE);
}

static void
print_json (GPtrArray  *results,
            const guint counts[4],
            TsArtCache *cache)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  for (guint o = TS_ART_FETCHED; o <= TS_ART_FAILED; o++)
    {
      json_builder_set_member_name (b, ts_art_outcome_get_name (o));
      json_builder_add_int_value (b, counts[o]);
    }
  json_builder_set_member_name (b, "cache");
  json_builder_add_string_value (b, ts_art_cache_get_dir (cache));
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < results->len; i++)
    {
      TsArtResult *r = g_ptr_array_index (results, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, r->id);
      json_builder_set_member_name (b, "outcome");
      json_builder_add_string_value (b, ts_art_outcome_get_name (r->outcome));
      json_builder_set_member_name (b, "path");
      if (r->path != NULL)
        json_builder_add_string_value (b, r->path);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "reason");
      if (r->reason != NULL)
        json_builder_add_string_value (b, r->reason);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  ts_cli_print_json (b);
}

static void
print_text (GPtrArray  *results,
            const guint counts[4],
            TsArtCache *cache)
{
  g_autofree char *size = g_format_size (ts_art_cache_get_size (cache));

  g_print ("Covers: %u fetched, %u cached, %u missing, %u failed\n", counts[TS_ART_FETCHED],
           counts[TS_ART_CACHED], counts[TS_ART_MISSING], counts[TS_ART_FAILED]);
  for (guint i = 0; i < results->len; i++)
    {
      TsArtResult *r = g_ptr_array_index (results, i);

      if (r->outcome == TS_ART_MISSING || r->outcome == TS_ART_FAILED)
        g_print ("  %-7s %s: %s\n", ts_art_outcome_get_name (r->outcome), r->id,
                 r->reason != NULL ? r->reason : "unknown reason");
    }
  g_print ("Cache: %s (%s)\n", ts_art_cache_get_dir (cache), size);
}

static int
fetch (TsCli     *cli,
       FetchArgs *args)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  guint counts[4] = { 0 };

  result = ts_cli_run_async ("Fetching covers", start_fetch, args);
  results = ts_art_cache_fetch_many_finish (result, &error);
  if (results == NULL)
    return ts_cli_report_error (error, NULL);
  for (guint i = 0; i < results->len; i++)
    counts[((TsArtResult *) g_ptr_array_index (results, i))->outcome]++;
  if (cli->json)
    print_json (results, counts, args->setup->cache);
  else
    print_text (results, counts, args->setup->cache);
  return counts[TS_ART_FAILED] > 0 ? TS_CLI_EXIT_FAILURE : TS_CLI_EXIT_OK;
}

static int
art_fetch (TsCli  *cli,
           int     argc,
           char  **argv)
{
  g_auto(ArtSetup) setup = { .size = DEFAULT_SIZE };
  g_autofree char *id_list = NULL;
  g_auto(GStrv) ids = NULL;
  int top = 0, jobs = DEFAULT_JOBS, status;
  const GOptionEntry entries[] = {
    { "ids", 0, 0, G_OPTION_ARG_STRING, &id_list, "Spotify track ids, comma-separated",
      "ID,…" },
    { "top", 0, 0, G_OPTION_ARG_INT, &top, "The N most popular songs of the dataset", "N" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Downloads at once (default 4)", "N" },
    { "source", 0, 0, G_OPTION_ARG_STRING, &setup.source_name,
      "oembed (default, no credentials) or api (TUNESCOPE_SPOTIFY_CLIENT_ID and _SECRET)",
      "SOURCE" },
    { "size", 0, 0, G_OPTION_ARG_INT, &setup.size, "The cover size wanted, in pixels "
      "(api; default 300)", "PX" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  FetchArgs args;

  context = ts_cli_context_new (cli, "art fetch", NULL,
                                "Download album covers from Spotify into the cover cache "
                                "($XDG_CACHE_HOME/tunescope/art). TUNESCOPE_OEMBED_URL, "
                                "TUNESCOPE_SPOTIFY_API_URL and TUNESCOPE_SPOTIFY_ACCOUNTS_URL "
                                "replace the service addresses.",
                                entries, TRUE);
  if (!ts_cli_parse (context, "art fetch", &argc, &argv))
    return TS_CLI_EXIT_USAGE;
  if (argc > 1)
    return ts_cli_usage_error ("art fetch", "unexpected argument “%s”", argv[1]);
  if ((id_list == NULL) == (top == 0))
    return ts_cli_usage_error ("art fetch", "give either --ids or --top");
  if (top < 0)
    return ts_cli_usage_error ("art fetch", "--top must be positive");
  if (jobs < 1 || jobs > MAX_JOBS)
    return ts_cli_usage_error ("art fetch", "--jobs must be between 1 and %d", MAX_JOBS);
  if ((status = art_setup_prepare (&setup, "art fetch")) != TS_CLI_EXIT_OK)
    return status;

  if (id_list != NULL)
    {
      ids = split_ids (id_list);
      if (ids[0] == NULL)
        return ts_cli_usage_error ("art fetch", "--ids names no track");
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TsDataset) dataset = ts_cli_load_dataset (cli, &error);

      if (dataset == NULL)
        return ts_cli_report_error (error, NULL);
      ids = dup_top_ids (dataset, (guint) top);
    }

  ts_spotify_set_connections (setup.spotify, (guint) jobs, (guint) MIN (jobs, 8));
  args = (FetchArgs) { &setup, ids, (guint) jobs };
  return fetch (cli, &args);
}

/* art path */

static int
art_path (TsCli  *cli,
          int     argc,
          char  **argv)
{
  g_auto(ArtSetup) setup = { .size = DEFAULT_SIZE };
  const GOptionEntry entries[] = {
    { "source", 0, 0, G_OPTION_ARG_STRING, &setup.source_name,
      "oembed (default) or api, when the cover must be fetched", "SOURCE" },
    { "size", 0, 0, G_OPTION_ARG_INT, &setup.size, "The cover size wanted (api)", "PX" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *reason = NULL;
  TsArtOutcome outcome;
  int status;

  context = ts_cli_context_new (cli, "art path", "ID",
                                "Print the cached cover file of a track, fetching it first "
                                "when needed.", entries, FALSE);
  if (!ts_cli_parse (context, "art path", &argc, &argv))
    return TS_CLI_EXIT_USAGE;
  if (argc != 2)
    return ts_cli_usage_error ("art path", argc < 2 ? "missing the track ID"
                                                    : "give one track ID");
  if (!ts_spotify_is_track_id (argv[1]))
    return ts_cli_usage_error ("art path", "“%s” is not a Spotify track id", argv[1]);
  if ((status = art_setup_prepare (&setup, "art path")) != TS_CLI_EXIT_OK)
    return status;

  path = ts_art_cache_fetch (setup.cache, setup.spotify, setup.source, argv[1],
                             (guint) setup.size, &outcome, &reason, NULL, &error);
  if (path == NULL && error != NULL)
    return ts_cli_report_error (error, NULL);
  if (path == NULL)
    {
      g_printerr ("%s: error: %s has no cover: %s\n", TS_CLI_NAME, argv[1], reason);
      return TS_CLI_EXIT_FAILURE;
    }
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, argv[1]);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, path);
      json_builder_set_member_name (b, "outcome");
      json_builder_add_string_value (b, ts_art_outcome_get_name (outcome));
      json_builder_end_object (b);
      ts_cli_print_json (b);
    }
  else
    g_print ("%s\n", path);
  return TS_CLI_EXIT_OK;
}

int
ts_cli_art (TsCli  *cli,
            int     argc,
            char  **argv)
{
  int status = ts_cli_take_verb ("art", "“fetch” or “path”",
                                 "  " TS_CLI_NAME " art fetch --ids ID,… | --top N [--jobs N] "
                                 "[--source oembed|api] [--json]\n"
                                 "  " TS_CLI_NAME " art path ID [--source oembed|api] [--json]\n",
                                 argc, argv);

  if (status != TS_CLI_EXIT_NONE)
    return status;
  if (g_str_equal (argv[1], "fetch"))
    return art_fetch (cli, argc - 1, argv + 1);
  if (g_str_equal (argv[1], "path"))
    return art_path (cli, argc - 1, argv + 1);
  return ts_cli_usage_error ("art", "unknown art command “%s”", argv[1]);
}
