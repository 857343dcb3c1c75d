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

int
ts_cli_covers (TsCli  *cli,
               int     argc,
               char  **argv)
{
  g_autofree char *source = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *manifest_path = NULL;
  int limit = 0;
  const GOptionEntry entries[] = {
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, "Where covers come from: folder", "SOURCE" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir,
      "The folder of images named ID.jpg, “Artist - Title.jpg” or “Title_Playlist.jpg”", "DIR" },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, "At most N new covers (default: all)", "N" },
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
                                "running again resumes.", entries, TRUE, TRUE);
  if (!ts_cli_parse (context, "covers", &argc, &argv))
    return TS_CLI_EXIT_USAGE;
  if (argc < 2 || !g_str_equal (argv[1], "collect"))
    return ts_cli_usage_error ("covers", "what? covers collect --source folder --dir DIR");
  if (argc > 2)
    return ts_cli_usage_error ("covers", "unexpected argument “%s”", argv[2]);
  if (source == NULL || g_str_equal (source, "folder"))
    {
      if (dir == NULL)
        return ts_cli_usage_error ("covers", "--source folder needs --dir DIR");
      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        return ts_cli_usage_error ("covers", "%s is not a folder", dir);
    }
  else if (g_str_equal (source, "musicbrainz"))
    return ts_cli_usage_error ("covers", "--source musicbrainz is not available yet; "
                               "use --source folder");
  else
    return ts_cli_usage_error ("covers", "unknown source “%s” (folder)", source);
  if (limit < 0)
    return ts_cli_usage_error ("covers", "--limit must not be negative");

  if (manifest_path == NULL)
    manifest_path = ts_cli_covers_manifest_path ();
  manifest = ts_cover_manifest_load (manifest_path, &error);
  if (manifest == NULL)
    return ts_cli_report_error (error, NULL);
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
  g_autofree char *rate = format_number (info->samples_per_s, "%.0f");

  (void) user_data;
  g_printerr ("epoch %d/%d loss %s %s images/s\n", info->epoch, info->epochs, loss, rate);
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
  if (n_unreadable > 0)
    g_print ("; %u unreadable images skipped", n_unreadable);
  g_print ("\n  training loss (MSE, last epoch): %s\n", loss);
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

int
ts_cli_train_cnn (TsCli  *cli,
                  int     argc,
                  char  **argv)
{
  int epochs = -1, image_size = -1, batch_size = -1, augment = -1, blocks = -1, filters = -1;
  gint64 seed = -1;
  g_autofree char *lr = NULL, *dropout = NULL, *val_split = NULL, *output = NULL;
  g_autofree char *manifest_path = NULL;
  const GOptionEntry entries[] = {
    { "epochs", 0, 0, G_OPTION_ARG_INT, &epochs, "Passes over the covers (15)", "N" },
    { "image-size", 0, 0, G_OPTION_ARG_INT, &image_size, "Side of the network's input (64)",
      "PIXELS" },
    { "blocks", 0, 0, G_OPTION_ARG_INT, &blocks, "Conv blocks (3)", "N" },
    { "filters", 0, 0, G_OPTION_ARG_INT, &filters, "The first block's filters (16)", "N" },
    { "batch-size", 0, 0, G_OPTION_ARG_INT, &batch_size, "Images per step (32)", "N" },
    { "lr", 0, 0, G_OPTION_ARG_STRING, &lr, "Learning rate (0.001)", "RATE" },
    { "dropout", 0, 0, G_OPTION_ARG_STRING, &dropout, "Dropout before the output (0.3)", "RATE" },
    { "augment", 0, 0, G_OPTION_ARG_INT, &augment,
      "Augmented copies (flip, crop, colour jitter) of each training cover (1)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed (42)", "N" },
    { "val-split", 0, 0, G_OPTION_ARG_STRING, &val_split,
      "Fraction of covers held out for validation (0.2)", "FRACTION" },
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
  int n = 0;
  guint n_unreadable = 0;

  context = ts_cli_context_new (cli, "train", "cnn",
                                "Train the cover-art CNN on the collected covers.", entries,
                                FALSE, TRUE);
  if (!ts_cli_parse (context, "train", &argc, &argv))
    return TS_CLI_EXIT_USAGE;
  if (argc > 2)
    return ts_cli_usage_error ("train", "unexpected argument “%s”", argv[2]);

  ts_cnn_options_init (&o);
  if (epochs >= 0)
    o.epochs = epochs;
  if (image_size >= 0)
    o.image_size = image_size;
  if (blocks >= 0)
    o.blocks = blocks;
  if (filters >= 0)
    o.filters = filters;
  if (batch_size >= 0)
    o.batch_size = batch_size;
  if (augment >= 0)
    o.augment = augment;
  if (seed >= 0)
    o.seed = (guint64) seed;
  if (!ts_cli_parse_float_option ("train", "--lr", lr, &o.lr)
      || !ts_cli_parse_float_option ("train", "--dropout", dropout, &o.dropout)
      || !ts_cli_parse_float_option ("train", "--val-split", val_split, &o.val_split))
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
                  "“%s covers collect --source folder --dir DIR”\n", TS_CLI_NAME, manifest_path,
                  TS_CLI_NAME);
      return TS_CLI_EXIT_FAILURE;
    }

  if (!ts_cnn_load_covers (manifest, o.image_size, NULL, NULL, NULL, &images, &targets, &n,
                           &unreadable, &error))
    return ts_cli_report_error (error, NULL);
  for (guint i = 0; i < unreadable->len; i++)
    g_printerr ("%s: warning: skipping %s\n", TS_CLI_NAME, (char *) unreadable->pdata[i]);
  n_unreadable = unreadable->len;
  cnn = ts_cnn_train (images, targets, n, &o, ts_cli_is_interactive () ? on_cnn_epoch : NULL,
                      NULL, NULL, &error);
  if (cnn == NULL || !ts_cnn_save (cnn, path, &error))
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
