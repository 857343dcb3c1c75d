/* ts-cli.c: tunescope-cli, the headless face of the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-cli"

#include "config.h"

#include <locale.h>

#include "ts-cli-common.h"

typedef struct
{
  const char       *name;
  const char       *synopsis;
  TsCliCommandFunc  run;
} Command;

static const Command commands[] = {
  { "info",    "info                                        summarize the dataset",
    ts_cli_info },
  { "search",  "search QUERY [--limit N]                    find songs and artists",
    ts_cli_search },
  { "similar", "similar --song ID|NAME | --artist NAME | --playlist FILE | --features K=V,..\n"
               "        | --image FILE\n"
               "        [--space base|predictor|autoencoder|genre]\n"
               "        [--metric cosine|euclidean|manhattan|dot] [--limit N]\n"
               "        [--mode centroid|vote|train]         find similar songs and artists",
    ts_cli_similar },
  { "eval",    "eval [--space S] [--metric M] [--k 10]      genre precision@k of the spaces",
    ts_cli_eval },
  { "corr",    "corr [--method M] [--features A,B]          correlation matrix of the features",
    ts_cli_corr },
  { "chart",    "chart heatmap|timeline|genres|artists -o FILE  draw a chart to PNG/SVG/PDF",
    ts_cli_chart },
  { "dataset", "dataset download [--dataset 170k|600k|1.2m] [--dest DIR] [--force]\n                                              get a dataset from Kaggle",
    ts_cli_dataset },
  { "covers",  "covers collect --source folder --dir DIR [--limit N]  pair covers with songs",
    ts_cli_covers },
  { "train",   "train predictor|autoencoder|genre|cnn [--epochs N …] [-o MODEL]  train a model",
    ts_cli_train },
  { "embed",   "embed --model MODEL [-o FILE]               the embedding of every song",
    ts_cli_embed },
  { "art",     "art fetch --ids ID,.. | --top N [--jobs N]  download album covers\n"
               "  art path ID                                 print a cover's cached file",
    ts_cli_art },
};

static char *
dup_commands_help (void)
{
  GString *text = g_string_new ("Commands:\n");

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %s\n", commands[i].synopsis);
  g_string_append (text,
                   "\nEvery command takes --data PATH and --json, before or after its name.\n"
                   "Exit status: 0 success, 1 run-time failure, 2 bad usage or bad input.\n"
                   "Run “" TS_CLI_NAME " COMMAND --help” for a command's options.");
  return g_string_free (text, FALSE);
}

static const Command *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (commands[i].name, name))
        return &commands[i];
    }
  return NULL;
}

static GOptionContext *
main_context_new (TsCli    *cli,
                  gboolean *version)
{
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, version, "Print the version and exit", NULL },
    { NULL }
  };
  g_autofree char *description = dup_commands_help ();
  GOptionContext *context = g_option_context_new ("COMMAND [ARGS…]");

  g_option_context_set_summary (context, "Explore the Spotify audio-feature dataset.");
  g_option_context_set_description (context, description);
  ts_cli_add_common_options (context, cli, FALSE, TRUE);
  g_option_context_add_main_entries (context, entries, NULL);
  /* Stop at the command: what follows is the command's to parse. */
  g_option_context_set_strict_posix (context, TRUE);
  return context;
}

static int
run (int    argc,
     char **argv)
{
  TsCli cli = { 0 };
  gboolean version = FALSE;
  g_autoptr(GOptionContext) context = main_context_new (&cli, &version);
  const Command *command;
  int status;

  if (!ts_cli_parse (context, NULL, &argc, &argv))
    return TS_CLI_EXIT_USAGE;

  if (version)
    {
      g_print ("%s %s\n", TS_CLI_NAME, PACKAGE_VERSION);
      ts_cli_clear (&cli);
      return TS_CLI_EXIT_OK;
    }
  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      ts_cli_clear (&cli);
      return TS_CLI_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "help"))
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_print ("%s", help);
      ts_cli_clear (&cli);
      return TS_CLI_EXIT_OK;
    }

  command = find_command (argv[1]);
  if (command == NULL)
    status = ts_cli_usage_error (NULL, "unknown command “%s”", argv[1]);
  else
    status = command->run (&cli, argc - 1, argv + 1);
  ts_cli_clear (&cli);
  return status;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_set_prgname (TS_CLI_NAME);

  return run (argc, argv);
}
