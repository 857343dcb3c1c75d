/* ts-cli-common.c: what every tunescope-cli subcommand shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The grammar, one rule for every command:
 *
 *   tunescope-cli [COMMON…] COMMAND [VERB] [COMMON…] [OPTIONS…] [ARGS…]
 *
 * The common options are --data PATH and --json. They are defined once,
 * here (common_entries ()), and every command takes both, before its name
 * (the main context in ts-cli.c) and anywhere after it (each command's
 * context from ts_cli_context_new ()); after the name wins when both are
 * given. A command that does not read the dataset (dataset download, art
 * path, train cnn) still accepts --data, so that a script can pass the
 * same options to every command, and its --help says the file is not read.
 * Every command prints JSON with --json, even those whose output is a file
 * (chart and art path print what they wrote).
 *
 * A command with verbs (art fetch|path, dataset download, covers collect,
 * train predictor|autoencoder|genre|cnn) wants the verb before its own
 * options; only common options may come between the command and the verb
 * (ts_cli_take_verb ()). Options that several commands share keep one
 * spelling and one meaning: -o/--output FILE is what the command writes,
 * -n/--limit N caps how many results or items, --seed N (0 or more) seeds
 * the randomness, --val-split FRACTION (0 to below 1; 0 is no validation)
 * holds rows out of training.
 *
 * Exit status: 0 success, 1 run-time failure, 2 bad usage or bad input,
 * with "tunescope-cli: error: …" on stderr.
 */

#define G_LOG_DOMAIN "ts-cli"

#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <glib-unix.h>

#include "ts-cli-common.h"

#define SETTINGS_SCHEMA "io.github.tunescope.Tunescope"
#define SETTINGS_KEY    "dataset-path"
/* Redraws of the progress bar per second, at most. */
#define PROGRESS_INTERVAL_USEC (G_USEC_PER_SEC / 10)

void
ts_cli_clear (TsCli *cli)
{
  g_clear_pointer (&cli->data_path, g_free);
  g_clear_pointer (&cli->command_data_path, g_free);
}

/* ---- options and errors ----------------------------------------------- */

/* The common options: the one definition of --data and --json. Before the
 * command --data goes to @cli->data_path, after it to
 * @cli->command_data_path; @entries ends with its terminator. */
static void
common_entries (TsCli        *cli,
                gboolean      after_command,
                gboolean      reads_data,
                GOptionEntry  entries[3])
{
  entries[0] = (GOptionEntry) {
    "data", 0, 0, G_OPTION_ARG_FILENAME,
    after_command ? &cli->command_data_path : &cli->data_path,
    reads_data ? "The dataset's data.csv (default: $TUNESCOPE_DATA, else the app's choice)"
               : "Accepted by every command; this one does not read the dataset",
    "PATH"
  };
  entries[1] = (GOptionEntry) {
    "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, "Print JSON instead of text", NULL
  };
  entries[2] = (GOptionEntry) { NULL };
}

void
ts_cli_add_common_options (GOptionContext *context,
                           TsCli          *cli,
                           gboolean        after_command,
                           gboolean        reads_data)
{
  GOptionEntry entries[3];

  g_return_if_fail (context != NULL && cli != NULL);

  /* GLib copies the entries; their strings are static. */
  common_entries (cli, after_command, reads_data, entries);
  g_option_context_add_main_entries (context, entries, NULL);
}

/* How many arguments the common option at argv[i] spans (itself and its
 * value), or 0 when argv[i] is not one. */
static int
common_option_span (int    argc,
                    char **argv,
                    int    i)
{
  TsCli unused = { 0 };
  GOptionEntry entries[3];

  common_entries (&unused, TRUE, TRUE, entries);
  if (!g_str_has_prefix (argv[i], "--"))
    return 0;
  for (guint e = 0; entries[e].long_name != NULL; e++)
    {
      const char *name = argv[i] + 2;
      gsize len = strlen (entries[e].long_name);

      if (strncmp (name, entries[e].long_name, len) != 0)
        continue;
      if (name[len] == '=' && entries[e].arg != G_OPTION_ARG_NONE)
        return 1;
      if (name[len] == '\0')
        return entries[e].arg == G_OPTION_ARG_NONE ? 1 : MIN (2, argc - i);
    }
  return 0;
}

gboolean
ts_cli_rotate_verb (int    argc,
                    char **argv)
{
  int i = 1;
  char *verb;

  g_return_val_if_fail (argv != NULL, FALSE);

  for (int span; i < argc && (span = common_option_span (argc, argv, i)) > 0; i += span)
    ;
  if (i >= argc || argv[i][0] == '-')
    return FALSE;
  /* The common options before the verb follow it and are parsed with the
   * rest. */
  verb = argv[i];
  memmove (argv + 2, argv + 1, sizeof (char *) * (i - 1));
  argv[1] = verb;
  return TRUE;
}

static gboolean
asks_for_help (int    argc,
               char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        return TRUE;
    }
  return FALSE;
}

int
ts_cli_take_verb (const char  *command,
                  const char  *verbs,
                  const char  *usage,
                  int          argc,
                  char       **argv)
{
  g_return_val_if_fail (command != NULL && verbs != NULL && usage != NULL, TS_CLI_EXIT_USAGE);
  g_return_val_if_fail (argv != NULL, TS_CLI_EXIT_USAGE);

  if (ts_cli_rotate_verb (argc, argv))
    return TS_CLI_EXIT_NONE;
  if (asks_for_help (argc, argv))
    {
      g_print ("Usage:\n%s", usage);
      return TS_CLI_EXIT_OK;
    }
  for (int i = 1; i < argc; i += MAX (common_option_span (argc, argv, i), 1))
    {
      /* The verb's options are known only once the verb is. */
      if (common_option_span (argc, argv, i) == 0)
        return ts_cli_usage_error (command, "“%s” before what to do; first: %s", argv[i],
                                   verbs);
    }
  return ts_cli_usage_error (command, "missing what to do, first: %s", verbs);
}
GOptionContext *
ts_cli_context_new (TsCli              *cli,
                    const char         *command,
                    const char         *parameter,
                    const char         *summary,
                    const GOptionEntry *entries,
                    gboolean            reads_data)
{
  g_autofree char *usage = g_strdup_printf ("%s%s%s", command, parameter ? " " : "",
                                            parameter ? parameter : "");
  GOptionContext *context = g_option_context_new (usage);

  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);
  ts_cli_add_common_options (context, cli, TRUE, reads_data);
  return context;
}

static void
print_error_line (const char *message)
{
  g_printerr ("%s: error: %s\n", TS_CLI_NAME, message);
}

int
ts_cli_usage_error (const char *command,
                    const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  print_error_line (message);
  g_printerr ("Try “%s%s%s --help” for more information.\n", TS_CLI_NAME,
              command ? " " : "", command ? command : "");
  return TS_CLI_EXIT_USAGE;
}

gboolean
ts_cli_parse (GOptionContext   *context,
              const char       *command,
              int              *argc,
              char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (g_option_context_parse (context, argc, argv, &error))
    return TRUE;
  ts_cli_usage_error (command, "%s", error->message);
  return FALSE;
}

int
ts_cli_report_error (const GError *error,
                     const char   *hint)
{
  g_autofree char *message = NULL;

  g_return_val_if_fail (error != NULL, TS_CLI_EXIT_FAILURE);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      print_error_line ("cancelled");
      return TS_CLI_EXIT_FAILURE;
    }
  message = hint ? g_strconcat (error->message, "; ", hint, NULL) : g_strdup (error->message);
  print_error_line (message);
  return ts_error_is_bad_input (error) ? TS_CLI_EXIT_USAGE : TS_CLI_EXIT_FAILURE;
}

gboolean
ts_cli_parse_int_option (const char *command,
                         const char *option,
                         const char *text,
                         gint64      min,
                         gint64      max,
                         gint64     *value)
{
  if (text == NULL)
    return TRUE;
  if (g_ascii_string_to_signed (text, 10, min, max, value, NULL))
    return TRUE;
  ts_cli_usage_error (command, "%s wants a whole number from %" G_GINT64_FORMAT " to %"
                      G_GINT64_FORMAT ", not “%s”", option, min, max, text);
  return FALSE;
}

gboolean
ts_cli_parse_float_option (const char *command,
                           const char *option,
                           const char *text,
                           float      *value)
{
  char *end = NULL;
  double parsed;

  if (text == NULL)
    return TRUE;
  parsed = g_ascii_strtod (text, &end);
  if (end != text && *end == '\0' && isfinite (parsed))
    {
      *value = (float) parsed;
      return TRUE;
    }
  ts_cli_usage_error (command, "%s wants a number, not “%s”", option, text);
  return FALSE;
}

char *
ts_cli_format_double (double value,
                      int    digits)
{
  char format[16];
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_snprintf (format, sizeof format, "%%.%df", CLAMP (digits, 0, 9));
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, format, value));
}

char *
ts_cli_covers_manifest_path (void)
{
  g_autofree char *dir = ts_covers_default_dir ();

  return g_build_filename (dir, "manifest.json", NULL);
}

/* ---- the dataset ------------------------------------------------------ */

/* The path the app remembers, when its schema is installed; without the
 * schema g_settings_new() would abort, so it is looked up first. */
static char *
dup_settings_data_path (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) key = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *path = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SETTINGS_SCHEMA, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, SETTINGS_KEY))
    return NULL;
  key = g_settings_schema_get_key (schema, SETTINGS_KEY);
  if (!g_variant_type_equal (g_settings_schema_key_get_value_type (key),
                             G_VARIANT_TYPE_STRING))
    return NULL;

  settings = g_settings_new_full (schema, NULL, NULL);
  path = g_settings_get_string (settings, SETTINGS_KEY);
  return (path != NULL && *path != '\0') ? g_steal_pointer (&path) : NULL;
}

static char *
dup_downloaded_data_path (void)
{
  g_autofree char *dest = ts_kaggle_get_default_dest (TS_KAGGLE_DATASET_170K);
  g_autofree char *path = g_build_filename (dest, "data.csv", NULL);

  return g_file_test (path, G_FILE_TEST_IS_REGULAR) ? g_steal_pointer (&path) : NULL;
}

char *
ts_cli_resolve_data_path (TsCli   *cli,
                          GError **error)
{
  const char *env = g_getenv ("TUNESCOPE_DATA");
  char *path;

  if (cli->command_data_path != NULL)
    return g_strdup (cli->command_data_path);
  if (cli->data_path != NULL)
    return g_strdup (cli->data_path);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if ((path = dup_settings_data_path ()) != NULL)
    return path;
  if ((path = dup_downloaded_data_path ()) != NULL)
    return path;

  g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
               "no dataset: pass --data PATH, set TUNESCOPE_DATA, open one in the app, or run "
               "“" TS_CLI_NAME " dataset download”");
  return NULL;
}

static void
start_load (gpointer             start_data,
            TsProgressFunc       progress,
            gpointer             progress_data,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  /* No index: the commands that search or look up ids build it on first
   * use, and info, corr, chart and train never pay for it. */
  ts_dataset_load_async (start_data, NULL, progress, progress_data, cancellable, callback,
                         user_data);
}

TsDataset *
ts_cli_load_dataset (TsCli   *cli,
                     GError **error)
{
  g_autofree char *path = ts_cli_resolve_data_path (cli, error);
  g_autoptr(GAsyncResult) result = NULL;

  if (path == NULL)
    return NULL;
  result = ts_cli_run_async ("Loading", start_load, path);
  return ts_dataset_load_finish (result, error);
}

/* ---- progress bar ----------------------------------------------------- */

gboolean
ts_cli_is_interactive (void)
{
  const char *term = g_getenv ("TERM");

  return isatty (STDOUT_FILENO) && isatty (STDERR_FILENO) &&
         g_strcmp0 (term, "dumb") != 0;
}

typedef struct
{
  char   *label;
  gint64  last_draw_usec;
  double  last_fraction;
  guint   drawn : 1;
} ProgressBar;

static guint
terminal_columns (void)
{
  struct winsize ws;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
    return ws.ws_col;
  return 80;
}

static void
progress_draw (ProgressBar *bar,
               double       fraction,
               const char  *message)
{
  guint columns = terminal_columns ();
  GString *line = g_string_new ("\r\033[K");
  guint width = MIN (30, columns / 4);
  glong room;

  g_string_append_printf (line, "%s [", bar->label);
  for (guint i = 0; i < width; i++)
    g_string_append_c (line, fraction >= 0 && i < (guint) (fraction * width) ? '#' : '-');
  if (fraction >= 0)
    g_string_append_printf (line, "] %3d%%", (int) (fraction * 100.0 + 0.5));
  else
    g_string_append (line, "]  ...");

  /* The message fills what is left of the line, cut on a character. */
  room = (glong) columns - (glong) g_utf8_strlen (line->str + 4, -1) - 3;
  if (message != NULL && room > 8)
    {
      g_autofree char *cut = g_utf8_substring (message, 0, MIN (room, g_utf8_strlen (message, -1)));

      g_string_append_printf (line, "  %s", cut);
    }
  fputs (line->str, stderr);
  fflush (stderr);
  g_string_free (line, TRUE);
  bar->drawn = TRUE;
}

static void
progress_update (double      fraction,
                 const char *message,
                 gpointer    data)
{
  ProgressBar *bar = data;
  gint64 now = g_get_monotonic_time ();

  if (bar == NULL)
    return;
  if (now - bar->last_draw_usec < PROGRESS_INTERVAL_USEC && fraction < 1.0)
    return;
  bar->last_draw_usec = now;
  bar->last_fraction = fraction;
  progress_draw (bar, fraction, message);
}

static ProgressBar *
progress_new (const char *label)
{
  ProgressBar *bar;

  if (!ts_cli_is_interactive ())
    return NULL;
  bar = g_new0 (ProgressBar, 1);
  bar->label = g_strdup (label);
  return bar;
}

/* Wipes the bar so that what follows starts on a clean line. */
static void
progress_free (ProgressBar *bar)
{
  if (bar == NULL)
    return;
  if (bar->drawn)
    {
      fputs ("\r\033[K", stderr);
      fflush (stderr);
    }
  g_free (bar->label);
  g_free (bar);
}

/* ---- running async calls ---------------------------------------------- */

static gboolean
on_sigint (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_CONTINUE;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
}

GAsyncResult *
ts_cli_run_async (const char     *label,
                  TsCliStartFunc  start,
                  gpointer        start_data)
{
  GMainContext *context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  ProgressBar *bar = progress_new (label);
  GAsyncResult *result = NULL;
  GSource *sigint = g_unix_signal_source_new (SIGINT);

  /* A private context: the worker's progress reports and the result come
   * back here, and nothing else runs meanwhile. */
  g_main_context_push_thread_default (context);
  g_source_set_callback (sigint, on_sigint, cancellable, NULL);
  g_source_attach (sigint, context);

  start (start_data, bar ? progress_update : NULL, bar, cancellable, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  /* Reports still queued hold the context; run them while the bar lives. */
  while (g_main_context_iteration (context, FALSE))
    ;

  g_source_destroy (sigint);
  g_source_unref (sigint);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
  progress_free (bar);
  return result;
}

typedef struct
{
  TsCliWorkFunc  work;
  gpointer       data;
  GCancellable  *cancellable;
  GMainContext  *context;
  GError        *error;
  gboolean       ok;
  gint           done;
} Work;

static gpointer
run_work (gpointer data)
{
  Work *w = data;

  w->ok = w->work (w->data, w->cancellable, &w->error);
  g_atomic_int_set (&w->done, 1);
  g_main_context_wakeup (w->context);
  return NULL;
}

gboolean
ts_cli_run_cancellable (TsCliWorkFunc   work,
                        gpointer        data,
                        GError        **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GMainContext *context = g_main_context_new ();
  GSource *sigint = g_unix_signal_source_new (SIGINT);
  Work w = { work, data, cancellable, context, NULL, FALSE, 0 };
  GThread *thread;

  g_main_context_push_thread_default (context);
  g_source_set_callback (sigint, on_sigint, cancellable, NULL);
  g_source_attach (sigint, context);
  thread = g_thread_new ("tunescope-cli-work", run_work, &w);
  while (!g_atomic_int_get (&w.done))
    g_main_context_iteration (context, TRUE);
  g_thread_join (thread);
  g_source_destroy (sigint);
  g_source_unref (sigint);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
  if (!w.ok)
    g_propagate_error (error, w.error);
  else
    g_clear_error (&w.error);
  return w.ok;
}

/* ---- JSON ------------------------------------------------------------- */

void
ts_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  ts_cli_print_json_node (root);
}

void
ts_cli_print_json_node (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  /* Raw UTF-8 whatever the locale: g_print() would convert it. */
  fputs (text, stdout);
  fputc ('\n', stdout);
}

void
ts_cli_json_add_strv (JsonBuilder        *builder,
                      const char         *member,
                      const char * const *strv)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

/* ---- names the user types --------------------------------------------- */

int
ts_cli_unknown_name (const char         *command,
                     const char         *what,
                     const char         *name,
                     const char * const *candidates,
                     gsize               n_candidates)
{
  g_auto(GStrv) close = ts_suggest_names (name, candidates, n_candidates, 5);
  g_autoptr(GString) message = g_string_new (NULL);

  g_string_printf (message, "unknown %s “%s”", what, name);
  if (close[0] != NULL)
    {
      g_string_append (message, "; did you mean ");
      for (guint i = 0; close[i] != NULL; i++)
        g_string_append_printf (message, "%s“%s”", i == 0 ? "" : close[i + 1] ? ", " : " or ",
                                close[i]);
      g_string_append (message, "?");
    }
  else if (n_candidates <= 20)
    {
      g_string_append (message, "; valid: ");
      for (gsize i = 0; i < n_candidates; i++)
        g_string_append_printf (message, "%s%s", i == 0 ? "" : ", ", candidates[i]);
    }
  return ts_cli_usage_error (command, "%s", message->str);
}

static char **
split_list (const char *list)
{
  g_auto(GStrv) parts = g_strsplit (list, ",", -1);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        g_strv_builder_add (names, parts[i]);
    }
  return g_strv_builder_end (names);
}

char **
ts_cli_split_list (const char *list)
{
  g_return_val_if_fail (list != NULL, NULL);

  return split_list (list);
}

int
ts_cli_parse_features (const char  *command,
                       const char  *list,
                       GArray     **features)
{
  g_auto(GStrv) names = NULL;
  const char *all[TS_N_FEATURES];

  *features = g_array_new (FALSE, FALSE, sizeof (TsFeature));
  if (list == NULL)
    return TS_CLI_EXIT_OK;
  for (guint f = 0; f < TS_N_FEATURES; f++)
    all[f] = ts_feature_get_name (f);

  names = split_list (list);
  for (guint i = 0; names[i] != NULL; i++)
    {
      TsFeature feature;
      gboolean seen = FALSE;

      if (!ts_feature_from_name (names[i], &feature))
        {
          g_clear_pointer (features, g_array_unref);
          return ts_cli_unknown_name (command, "feature", names[i], all, TS_N_FEATURES);
        }
      for (guint k = 0; k < (*features)->len && !seen; k++)
        seen = g_array_index (*features, TsFeature, k) == feature;
      if (!seen)
        g_array_append_val (*features, feature);
    }
  if ((*features)->len == 0)
    {
      g_clear_pointer (features, g_array_unref);
      return ts_cli_usage_error (command, "--features names no feature");
    }
  return TS_CLI_EXIT_OK;
}

int
ts_cli_parse_method (const char   *command,
                     const char   *name,
                     TsCorrMethod *method)
{
  const char *all[TS_N_CORR_METHODS];

  *method = TS_CORR_PEARSON;
  if (name == NULL || ts_corr_method_from_name (name, method))
    return TS_CLI_EXIT_OK;
  for (guint m = 0; m < TS_N_CORR_METHODS; m++)
    all[m] = ts_corr_method_get_name (m);
  return ts_cli_unknown_name (command, "method", name, all, TS_N_CORR_METHODS);
}

/* The space by name, or NULL with exit code in *status. The first use of
 * a learnt space trains its model for this dataset (seconds) and keeps it
 * in the models folder; later uses load it. */
TsSpace *
ts_cli_open_space (TsDataset  *dataset,
                   const char *name,
                   const char *command,
                   int        *status)
{
  g_autoptr(TsModel) model = NULL;
  g_autoptr(GError) error = NULL;
  TsSpaceKind kind = TS_SPACE_KIND_BASE;
  gboolean trained = FALSE;
  TsSpace *space;

  if (name != NULL && !ts_space_kind_from_name (name, &kind))
    {
      *status = ts_cli_usage_error (command, "unknown space “%s” (base, predictor, "
                                    "autoencoder or genre)",
                                    name);
      return NULL;
    }
  if (kind != TS_SPACE_KIND_BASE && ts_cli_is_interactive ())
    g_printerr ("Preparing the %s space…\n", name);
  space = ts_space_build (dataset, kind, &model, &trained, NULL, &error);
  if (space == NULL)
    {
      *status = ts_cli_report_error (error, NULL);
      return NULL;
    }
  if (trained)
    g_printerr ("Trained the %s model for this dataset (validation R² %.3f)\n", name,
                ts_model_get_report (model)->r2);
  /* Used from memory: the next run trains it again. */
  if (model != NULL && ts_model_get_unsaved_reason (model) != NULL)
    g_printerr ("%s: warning: the %s model is not kept for next time: %s\n", TS_CLI_NAME, name,
                ts_model_get_unsaved_reason (model));
  return space;
}
