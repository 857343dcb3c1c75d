/* ts-cli-dataset.c: tunescope-cli dataset download
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-cli"

#include "config.h"

#include <glib/gstdio.h>

#include "ts-cli-common.h"

typedef struct
{
  TsKaggleDataset  dataset;
  const char      *dest;
  gboolean         force;
} DownloadArgs;

static void
start_download (gpointer             start_data,
                TsProgressFunc       progress,
                gpointer             progress_data,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  DownloadArgs *args = start_data;

  ts_kaggle_download_async (args->dataset, args->dest, args->force, progress, progress_data, cancellable,
                            callback, user_data);
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (goffset) st.st_size : -1;
}

static void
print_json (const char         *dest,
            const char         *data_path,
            const char * const *files)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "dest");
  json_builder_add_string_value (b, dest);
  json_builder_set_member_name (b, "data");
  json_builder_add_string_value (b, data_path);
  json_builder_set_member_name (b, "files");
  json_builder_begin_array (b);
  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, files[i]);
      json_builder_set_member_name (b, "bytes");
      json_builder_add_int_value (b, file_size (files[i]));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  ts_cli_print_json (b);
}

static void
print_text (TsKaggleDataset     dataset,
            const char         *dest,
            const char         *data_path,
            const char * const *files)
{
  g_print ("Downloaded the Kaggle dataset (%s) into %s:\n", ts_kaggle_dataset_get_name (dataset),
           dest);
  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    {
      g_autofree char *base = g_path_get_basename (files[i]);
      g_autofree char *size = g_format_size ((guint64) MAX (file_size (files[i]), 0));

      g_print ("  %-20s %10s\n", base, size);
    }
  g_print ("Use it with: %s info --data %s\n", TS_CLI_NAME, data_path);
}

static int
download (TsCli           *cli,
          TsKaggleDataset  dataset,
          const char      *dest,
          gboolean         force)
{
  DownloadArgs args = { dataset, dest, force };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) files = NULL;
  g_autofree char *data_path = NULL;

  result = ts_cli_run_async ("Downloading", start_download, &args);
  data_path = ts_kaggle_download_finish_full (result, &files, &error);
  if (data_path == NULL)
    return ts_cli_report_error (error, g_error_matches (error, TS_ERROR, TS_ERROR_EXISTS)
                                         ? "pass --force to replace the files there"
                                         : NULL);
  if (cli->json)
    print_json (dest, data_path, (const char * const *) files);
  else
    print_text (dataset, dest, data_path, (const char * const *) files);
  return TS_CLI_EXIT_OK;
}

static int
dataset_download (TsCli  *cli,
                  int     argc,
                  char  **argv)
{
  g_autofree char *dest = NULL;
  g_autofree char *which = NULL;
  TsKaggleDataset dataset = TS_KAGGLE_DATASET_170K;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "dataset", 0, 0, G_OPTION_ARG_STRING, &which,
      "Which one: 170k (vatsalmavani/spotify-dataset, the default), 600k "
      "(yamaerenay/spotify-dataset-19212020-600k-tracks) or 1.2m "
      "(rodolfofigueroa/spotify-12m-songs)", "NAME" },
    { "dest", 0, 0, G_OPTION_ARG_FILENAME, &dest,
      "Unpack into DIR (default: $XDG_DATA_HOME/tunescope/dataset, dataset-600k or "
      "dataset-1.2m)", "DIR" },
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force, "Replace files that already exist", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;

  context = ts_cli_context_new (cli, "dataset download", NULL,
                                "Download a Spotify dataset from Kaggle and unpack its CSV "
                                "files. "
                                "TUNESCOPE_KAGGLE_URL replaces the API base URL; on 401/403 "
                                "the credentials in ~/.kaggle/kaggle.json (or KAGGLE_USERNAME "
                                "and KAGGLE_KEY) are used.",
                                entries, FALSE);
  if (!ts_cli_parse (context, "dataset download", &argc, &argv))
    return TS_CLI_EXIT_USAGE;
  if (argc > 1)
    return ts_cli_usage_error ("dataset download", "unexpected argument “%s”", argv[1]);
  if (which != NULL && !ts_kaggle_dataset_from_name (which, &dataset))
    {
      const char *names[TS_KAGGLE_N_DATASETS];

      for (guint i = 0; i < TS_KAGGLE_N_DATASETS; i++)
        names[i] = ts_kaggle_dataset_get_name (i);
      return ts_cli_unknown_name ("dataset download", "dataset", which, names,
                                  TS_KAGGLE_N_DATASETS);
    }
  if (dest == NULL)
    dest = ts_kaggle_get_default_dest (dataset);
  return download (cli, dataset, dest, force);
}

int
ts_cli_dataset (TsCli  *cli,
                int     argc,
                char  **argv)
{
  int status = ts_cli_take_verb ("dataset", "“download”",
                                 "  " TS_CLI_NAME " dataset download [--dataset 170k|600k|1.2m] [--dest DIR] [--force] "
                                 "[--json]\n", argc, argv);

  if (status != TS_CLI_EXIT_NONE)
    return status;
  if (!g_str_equal (argv[1], "download"))
    return ts_cli_usage_error ("dataset", "unknown dataset command “%s”", argv[1]);
  return dataset_download (cli, argc - 1, argv + 1);
}
