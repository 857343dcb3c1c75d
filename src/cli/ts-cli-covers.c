/* ts-cli-covers.c: tunescope-cli covers collect, train cnn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tunescope-cli"

#include "config.h"

#include <math.h>

#include "ts-cli-common.h"

static char *
format_number (double      value,
               const char *format)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return g_strdup ("n/a");
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, format, value));
}

char *
ts_cli_covers_manifest_path (void)
{
  g_autofree char *dir = ts_covers_default_dir ();

  return g_build_filename (dir, "manifest.json", NULL);
}

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
  g_autoptr (JsonBuilder) b = json_builder_new ();
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
  g_autoptr (TsDataset) dataset = NULL;
  g_autoptr (GError) error = NULL;
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
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (TsDataset) dataset = NULL;
  g_autoptr (TsCoverManifest) manifest = NULL;
  g_autoptr (GError) error = NULL;
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
      g_autoptr (JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "manifest");
      json_builder_add_string_value (b, manifest_path);
      json_builder_set_member_name (b, "seen");
      json_builder_add_int_value (b, stats.seen);
      json_builder_set_member_name (b, "added");
      json_builder_add_int_value (b, stats.added);
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
    g_print ("Added %u covers (%u already there, %u not matched to a song); the manifest "
             "%s has %u\n", stats.added, stats.skipped, stats.unmatched, manifest_path,
             ts_cover_manifest_get_n_entries (manifest));
  return TS_CLI_EXIT_OK;
}

/* ---- train cnn ------------------------------------------------------------- */

static void
on_cnn_epoch (const TsNnEpochInfo *info,
              gpointer             user_data)
{
  g_autofree char *loss = format_number (info->loss, "%.4g");
  g_autofree char *val = format_number (info->val_loss, "%.4g");
  g_autofree char *rate = format_number (info->samples_per_s, "%.0f");

  (void) user_data;
  /* --val-split 0 has no validation loss to show. */
  g_printerr ("epoch %d/%d loss %s%s%s %s images/s\n", info->epoch, info->epochs, loss,
              isfinite (info->val_loss) ? " val " : "", isfinite (info->val_loss) ? val : "",
              rate);
}

typedef struct
{
  const float        *images;
  const float        *targets;
  int                 n;
  const TsCnnOptions *options;
  TsCnn              *cnn;
} CnnJob;

static gboolean
run_cnn_training (gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  CnnJob *job = data;

  job->cnn = ts_cnn_train (job->images, job->targets, job->n, job->options,
                           ts_cli_is_interactive () ? on_cnn_epoch : NULL, NULL, cancellable,
                           error);
  return job->cnn != NULL;
}

static void
print_cnn_text (TsCnn      *cnn,
                const char *path,
                guint       n_unreadable)
{
  const TsCnnReport *r = ts_cnn_get_report (cnn);
  g_autofree char *seconds = format_number (r->seconds, "%.1f");
  g_autofree char *val = format_number (r->val_mse, "%.5f");
  g_autofree char *base = format_number (r->baseline_mse, "%.5f");
  g_autofree char *loss = format_number (r->loss, "%.5f");

  g_print ("Trained the cnn on %d images (%d held out) in %s s, %d epochs", r->n_train, r->n_val,
           seconds, r->epochs_run);
  if (r->best_epoch > 0 && r->best_epoch != r->epochs_run)
    g_print (" (kept epoch %d, the best on validation)", r->best_epoch);
  if (n_unreadable > 0)
    g_print ("; %u unreadable images skipped", n_unreadable);
  g_print ("\n  training loss (MSE, last epoch): %s\n", loss);
  if (r->n_val == 0)
    {
      g_print ("  %s\nSaved %s\n", TS_CLI_NO_VALIDATION, path);
      return;
    }
  g_print ("  %-18s %10s %10s %8s\n", "feature", "val MSE", "mean MSE", "ratio");
  for (int f = 0; f < TS_N_FEATURES; f++)
    {
      g_autofree char *v = format_number (r->val_feature_mse[f], "%.5f");
      g_autofree char *b = format_number (r->baseline_feature_mse[f], "%.5f");
      g_autofree char *ratio = format_number (r->val_feature_mse[f] / r->baseline_feature_mse[f],
                                              "%.3f");

      g_print ("  %-18s %10s %10s %8s\n", ts_feature_get_name (f), v, b, ratio);
    }
  g_print ("  %-18s %10s %10s\n", "all", val, base);
  g_print ("Saved %s\n", path);
}

/* train cnn's options as typed; NULL when not given. */
typedef struct
{
  char *epochs, *image_size, *blocks, *filters, *batch_size, *augment, *seed, *patience;
  char *lr, *dropout, *val_split;
} CnnArgs;

static void
cnn_args_clear (CnnArgs *a)
{
  char **fields[] = { &a->epochs, &a->image_size, &a->blocks, &a->filters, &a->batch_size,
                      &a->augment, &a->seed, &a->patience, &a->lr, &a->dropout, &a->val_split };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_clear_pointer (fields[i], g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CnnArgs, cnn_args_clear)

/* The command line over the defaults in @o; FALSE after a usage error. */
static gboolean
apply_cnn_args (const CnnArgs *a,
                TsCnnOptions  *o)
{
  /* Whole numbers are only parsed here; ts_cnn_options_check () owns the
   * ranges. */
  struct { const char *option; const char *text; int *field; } ints[] = {
    { "--epochs", a->epochs, &o->epochs }, { "--image-size", a->image_size, &o->image_size },
    { "--blocks", a->blocks, &o->blocks }, { "--filters", a->filters, &o->filters },
    { "--batch-size", a->batch_size, &o->batch_size }, { "--augment", a->augment, &o->augment },
    { "--patience", a->patience, &o->patience },
  };
  gint64 seed = (gint64) o->seed;

  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    {
      gint64 value = *ints[i].field;

      if (!ts_cli_parse_int_option ("train", ints[i].option, ints[i].text, 0, G_MAXINT,
                                    &value))
        return FALSE;
      *ints[i].field = (int) value;
    }
  if (!ts_cli_parse_int_option ("train", "--seed", a->seed, 0, G_MAXINT64, &seed)
      || !ts_cli_parse_float_option ("train", "--lr", a->lr, &o->lr)
      || !ts_cli_parse_float_option ("train", "--dropout", a->dropout, &o->dropout)
      || !ts_cli_parse_float_option ("train", "--val-split", a->val_split, &o->val_split))
    return FALSE;
  o->seed = (guint64) seed;
  return TRUE;
}

int
ts_cli_train_cnn (TsCli  *cli,
                  int     argc,
                  char  **argv)
{
  g_auto (CnnArgs) a = { 0 };
  g_autofree char *output = NULL;
  g_autofree char *manifest_path = NULL;
  const GOptionEntry entries[] = {
    { "epochs", 0, 0, G_OPTION_ARG_STRING, &a.epochs, "Passes over the covers (15)", "N" },
    { "image-size", 0, 0, G_OPTION_ARG_STRING, &a.image_size,
      "Side of the network's input (64)", "PIXELS" },
    { "blocks", 0, 0, G_OPTION_ARG_STRING, &a.blocks, "Conv blocks (3)", "N" },
    { "filters", 0, 0, G_OPTION_ARG_STRING, &a.filters, "The first block's filters (16)", "N" },
    { "batch-size", 0, 0, G_OPTION_ARG_STRING, &a.batch_size, "Images per step (32)", "N" },
    { "lr", 0, 0, G_OPTION_ARG_STRING, &a.lr, "Learning rate (0.001)", "RATE" },
    { "dropout", 0, 0, G_OPTION_ARG_STRING, &a.dropout, "Dropout before the output (0.3)",
      "RATE" },
    { "augment", 0, 0, G_OPTION_ARG_STRING, &a.augment,
      "Augmented copies (flip, crop, colour jitter) of each training cover (1)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &a.seed, "Random seed (42)", "N" },
    { "val-split", 0, 0, G_OPTION_ARG_STRING, &a.val_split,
      "Fraction of covers held out for validation; 0 trains on all and keeps the last "
      "epoch (0.2)", "FRACTION" },
    { "patience", 0, 0, G_OPTION_ARG_STRING, &a.patience,
      "Stop after this many epochs without a better validation loss; 0 never (5)", "N" },
    { "manifest", 0, 0, G_OPTION_ARG_FILENAME, &manifest_path,
      "The covers (default: $XDG_CACHE_HOME/tunescope/covers/manifest.json)", "FILE" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Where to save the model (default: $XDG_DATA_HOME/tunescope/models/cnn.safetensors)",
      "MODEL" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (TsCoverManifest) manifest = NULL;
  g_autoptr (TsCnn) cnn = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree float *images = NULL;
  g_autofree float *targets = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GPtrArray) unreadable = NULL;
  TsCnnOptions o;
  CnnJob job;
  int n = 0;
  guint n_unreadable = 0;

  context = ts_cli_context_new (cli, "train", "cnn",
                                "Train the cover-art CNN on the collected covers.", entries,
                                FALSE);
  if (!ts_cli_parse (context, "train", &argc, &argv))
    return TS_CLI_EXIT_USAGE;
  if (argc > 2)
    return ts_cli_usage_error ("train", "unexpected argument “%s”", argv[2]);

  ts_cnn_options_init (&o);
  if (!apply_cnn_args (&a, &o))
    return TS_CLI_EXIT_USAGE;
  if (!ts_cnn_options_check (&o, &error))
    return ts_cli_usage_error ("train", "%s", error->message);

  path = output != NULL ? g_strdup (output) : ts_cnn_default_path ();
  if (!ts_model_check_path (path, &error))
    return ts_cli_report_error (error, NULL);
  if (manifest_path == NULL)
    manifest_path = ts_cli_covers_manifest_path ();
  manifest = ts_cover_manifest_load (manifest_path, &error);
  if (manifest == NULL)
    return ts_cli_report_error (error, NULL);
  if (ts_cover_manifest_get_n_entries (manifest) < 2)
    {
      g_printerr ("%s: error: no covers to train on in %s; collect some first with "
                  "“%s covers collect --source musicbrainz” or "
                  "“%s covers collect --source folder --dir DIR”\n", TS_CLI_NAME, manifest_path,
                  TS_CLI_NAME, TS_CLI_NAME);
      return TS_CLI_EXIT_FAILURE;
    }

  if (!ts_cnn_load_covers (manifest, o.image_size, NULL, NULL, NULL, &images, &targets, &n,
                           &unreadable, &error))
    return ts_cli_report_error (error, NULL);
  for (guint i = 0; i < unreadable->len; i++)
    g_printerr ("%s: warning: skipping %s\n", TS_CLI_NAME, (char *) unreadable->pdata[i]);
  n_unreadable = unreadable->len;
  /* Ctrl+C stops the training; the previous model, if any, stays. */
  job = (CnnJob) { images, targets, n, &o, NULL };
  if (!ts_cli_run_cancellable (run_cnn_training, &job, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_printerr ("Training stopped; %s\n", g_file_test (path, G_FILE_TEST_EXISTS)
                    ? "the previous model is kept" : "no model was saved");
      return ts_cli_report_error (error, NULL);
    }
  cnn = job.cnn;
  if (!ts_cnn_save (cnn, path, &error))
    return ts_cli_report_error (error, NULL);

  if (cli->json)
    {
      g_autofree char *figures = ts_cnn_report_to_json (ts_cnn_get_report (cnn));
      g_autofree char *options = ts_cnn_options_to_json (ts_cnn_get_options (cnn));
      g_autoptr (JsonNode) root = json_from_string (figures, NULL);
      JsonObject *object = json_node_get_object (root);

      json_object_set_string_member (object, "model", "cnn");
      json_object_set_string_member (object, "path", path);
      json_object_set_int_member (object, "unreadable_images", n_unreadable);
      json_object_set_member (object, "options", json_from_string (options, NULL));
      ts_cli_print_json_node (root);
    }
  else
    print_cnn_text (cnn, path, n_unreadable);
  return TS_CLI_EXIT_OK;
}
