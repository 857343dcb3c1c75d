/* ts-cli-covers.c: tunescope-cli covers collect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-cli"

#include "config.h"

#include "ts-cli-common.h"

/* ---- covers collect -------------------------------------------------------- */

static void
on_collect_progress (guint       done,
                     guint       total,
                     guint       added,
                     const char *file,
                     gpointer    user_data)
{
  gboolean interactive = GPOINTER_TO_INT (user_data);

  if (interactive)
    g_printerr ("\r%u/%u looked at, %u added: %.40s\033[K", done, total, added, file);
  else if (done == total || done % 500 == 0)
    g_printerr ("%u/%u looked at, %u added\n", done, total, added);
}

/* ---- covers collect --source musicbrainz ------------------------------------ */

static char *
format_eta (double seconds)
{
  gint64 s = (gint64) (seconds + 0.5);

  if (seconds < 0)
    return g_strdup ("?");
  if (s >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h%02" G_GINT64_FORMAT "m", s / 3600,
                            s % 3600 / 60);
  if (s >= 60)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m%02" G_GINT64_FORMAT "s", s / 60, s % 60);
  return g_strdup_printf ("%" G_GINT64_FORMAT "s", s);
}

static void
on_musicbrainz_progress (const TsMusicBrainzProgress *p,
                         gpointer                     user_data)
{
  gboolean interactive = GPOINTER_TO_INT (user_data);
  g_autofree char *eta = format_eta (p->eta_s);

  if (interactive)
    g_printerr ("\r%u/%u songs, %u found, ETA %s: %.30s – %.30s\033[K", p->done, p->total,
                p->found, eta, p->artist, p->title);
  else if (p->done == p->total || p->done % 25 == 0)
    g_printerr ("%u/%u songs, %u found, ETA %s\n", p->done, p->total, p->found, eta);
}

typedef struct
{
  TsCoverManifest       *manifest;
  TsDataset             *dataset;
  TsMusicBrainzOptions   options;
  gboolean               interactive;
  TsMusicBrainzProgress  result;
} MusicBrainzJob;

static gboolean
run_musicbrainz (gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  MusicBrainzJob *job = data;

  return ts_covers_collect_musicbrainz (job->manifest, job->dataset, &job->options,
                                        on_musicbrainz_progress,
                                        GINT_TO_POINTER (job->interactive), cancellable,
                                        &job->result, error);
}

static void
print_musicbrainz_json (const TsMusicBrainzProgress *r,
                        TsCoverManifest             *manifest,
                        const char                  *manifest_path)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const struct { const char *name; guint value; } counts[] = {
    { "tried", r->done }, { "found", r->found }, { "not_found", r->not_found },
    { "failed", r->failed }, { "skipped", r->skipped },
    { "total", ts_cover_manifest_get_n_entries (manifest) },
  };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "manifest");
  json_builder_add_string_value (b, manifest_path);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, TS_MUSICBRAINZ_SOURCE);
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      json_builder_set_member_name (b, counts[i].name);
      json_builder_add_int_value (b, counts[i].value);
    }
  json_builder_end_object (b);
  ts_cli_print_json (b);
}

static int
collect_musicbrainz (TsCli           *cli,
                     TsCoverManifest *manifest,
                     const char      *manifest_path,
                     guint            limit,
                     gboolean         retry_failed)
{
  g_autoptr(TsDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  MusicBrainzJob job = { manifest, NULL, { 0 }, ts_cli_is_interactive (), { 0 } };
  gboolean ok;

  dataset = ts_cli_load_dataset (cli, &error);
  if (dataset == NULL)
    return ts_cli_report_error (error, NULL);
  job.dataset = dataset;
  ts_musicbrainz_options_init (&job.options);
  job.options.limit = limit;
  job.options.retry_failed = retry_failed;
  job.options.manifest_path = manifest_path;
  ok = ts_cli_run_cancellable (run_musicbrainz, &job, &error);
  if (job.interactive && job.result.done > 0)
    g_printerr ("\n");
  if (!ok)
    {
      g_printerr ("Stopped after %u of %u songs (%u covers found); the progress is kept in %s: "
                  "run the same command again to resume\n", job.result.done, job.result.total,
                  job.result.found, manifest_path);
      return ts_cli_report_error (error, NULL);
    }
  if (cli->json)
    print_musicbrainz_json (&job.result, manifest, manifest_path);
  else
    g_print ("Tried %u songs: %u covers found, %u not found, %u failed (%u tried before); "
             "the manifest %s has %u covers\n", job.result.done, job.result.found,
             job.result.not_found, job.result.failed, job.result.skipped, manifest_path,
             ts_cover_manifest_get_n_entries (manifest));
  return TS_CLI_EXIT_OK;
}

int
ts_cli_covers (TsCli  *cli,
               int     argc,
               char  **argv)
{
  g_autofree char *source = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *manifest_path = NULL;
  int limit = 0;
  gboolean retry_failed = FALSE;
  const GOptionEntry entries[] = {
    { "source", 0, 0, G_OPTION_ARG_STRING, &source,
      "Where covers come from: folder, or musicbrainz (the Cover Art Archive, about one song "
      "a second)", "SOURCE" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir,
      "The folder of images named ID.jpg, “Artist - Title.jpg” or “Title_Playlist.jpg”", "DIR" },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit,
      "At most N new covers from a folder, or N songs tried on MusicBrainz (default: all)", "N" },
    { "retry-failed", 0, 0, G_OPTION_ARG_NONE, &retry_failed,
      "With --source musicbrainz: try again the songs that got a bad answer before", NULL },
    { "manifest", 0, 0, G_OPTION_ARG_FILENAME, &manifest_path,
      "The manifest (default: $XDG_CACHE_HOME/tunescope/covers/manifest.json)", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsDataset) dataset = NULL;
  g_autoptr(TsCoverManifest) manifest = NULL;
  g_autoptr(GError) error = NULL;
  TsCoversCollectStats stats = { 0 };
  gboolean interactive = ts_cli_is_interactive ();

  context = ts_cli_context_new (cli, "covers", "collect",
                                "Pair cover images with the dataset's songs for the CNN; "
                                "running again resumes.", entries, TRUE);
  if (!ts_cli_parse (context, "covers", &argc, &argv))
    return TS_CLI_EXIT_USAGE;
  if (argc >= 2 && !g_str_equal (argv[1], "collect"))
    return ts_cli_usage_error ("covers", "unknown covers command “%s” (collect)", argv[1]);
  if (argc < 2)
    return ts_cli_usage_error ("covers", "what? covers collect --source folder --dir DIR, or "
                               "covers collect --source musicbrainz");
  if (argc > 2)
    return ts_cli_usage_error ("covers", "unexpected argument “%s”", argv[2]);
  if (source == NULL || g_str_equal (source, "folder"))
    {
      if (dir == NULL)
        return ts_cli_usage_error ("covers", "--source folder needs --dir DIR");
      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        return ts_cli_usage_error ("covers", "%s is not a folder", dir);
      if (retry_failed)
        return ts_cli_usage_error ("covers", "--retry-failed is for --source musicbrainz");
    }
  else if (g_str_equal (source, "musicbrainz"))
    {
      if (dir != NULL)
        return ts_cli_usage_error ("covers", "--dir is for --source folder");
    }
  else
    return ts_cli_usage_error ("covers", "unknown source “%s” (folder or musicbrainz)", source);
  if (limit < 0)
    return ts_cli_usage_error ("covers", "--limit must not be negative");

  if (manifest_path == NULL)
    manifest_path = ts_cli_covers_manifest_path ();
  manifest = ts_cover_manifest_load (manifest_path, &error);
  if (manifest == NULL)
    return ts_cli_report_error (error, NULL);
  if (g_str_equal (source != NULL ? source : "folder", "musicbrainz"))
    return collect_musicbrainz (cli, manifest, manifest_path, (guint) limit, retry_failed);
  dataset = ts_cli_load_dataset (cli, &error);
  if (dataset == NULL)
    return ts_cli_report_error (error, NULL);
  if (!ts_covers_collect_folder (manifest, dataset, dir, (guint) limit, on_collect_progress,
                                 GINT_TO_POINTER (interactive), NULL, &stats, &error))
    return ts_cli_report_error (error, NULL);
  if (interactive)
    g_printerr ("\n");
  if (!ts_cover_manifest_save (manifest, manifest_path, &error))
    return ts_cli_report_error (error, NULL);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "manifest");
      json_builder_add_string_value (b, manifest_path);
      json_builder_set_member_name (b, "seen");
      json_builder_add_int_value (b, stats.seen);
      json_builder_set_member_name (b, "added");
      json_builder_add_int_value (b, stats.added);
      json_builder_set_member_name (b, "by_genre");
      json_builder_add_int_value (b, stats.by_genre);
      json_builder_set_member_name (b, "skipped");
      json_builder_add_int_value (b, stats.skipped);
      json_builder_set_member_name (b, "unmatched");
      json_builder_add_int_value (b, stats.unmatched);
      json_builder_set_member_name (b, "total");
      json_builder_add_int_value (b, ts_cover_manifest_get_n_entries (manifest));
      json_builder_end_object (b);
      ts_cli_print_json (b);
    }
  else
    g_print ("Added %u covers (%u of them labelled by their genre playlist; %u already there, "
             "%u neither matched to a song nor labelled); the manifest %s has %u\n",
             stats.added, stats.by_genre, stats.skipped, stats.unmatched, manifest_path,
             ts_cover_manifest_get_n_entries (manifest));
  return TS_CLI_EXIT_OK;
}
