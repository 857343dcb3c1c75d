/* ts-cli-common.h: what every tunescope-cli subcommand shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "tunescope-core.h"

G_BEGIN_DECLS

#define TS_CLI_NAME "tunescope-cli"
/* What train says, in text, after --val-split 0. */
#define TS_CLI_NO_VALIDATION "No validation split: kept the last epoch"

/* The exit codes of the CLI contract. */
enum
{
  TS_CLI_EXIT_NONE = -1,  /* not an exit status: go on */
  TS_CLI_EXIT_OK = 0,
  TS_CLI_EXIT_FAILURE = 1,
  TS_CLI_EXIT_USAGE = 2,
};

/* Global options; each may come before or after the subcommand. */
typedef struct
{
  char     *data_path;          /* --data before the subcommand */
  char     *command_data_path;  /* --data after it (wins) */
  gboolean  json;
} TsCli;

typedef int (*TsCliCommandFunc) (TsCli  *cli,
                                 int     argc,
                                 char  **argv);

/* Subcommands (one file each). */
int             ts_cli_info               (TsCli        *cli,
                                           int           argc,
                                           char        **argv);
int             ts_cli_search             (TsCli        *cli,
                                           int           argc,
                                           char        **argv);
int             ts_cli_dataset            (TsCli        *cli,
                                           int           argc,
                                           char        **argv);
int             ts_cli_train              (TsCli        *cli,
                                           int           argc,
                                           char        **argv);
int             ts_cli_embed              (TsCli        *cli,
                                           int           argc,
                                           char        **argv);
int             ts_cli_similar            (TsCli        *cli,
                                           int           argc,
                                           char        **argv);
int             ts_cli_eval               (TsCli        *cli,
                                           int           argc,
                                           char        **argv);

/* The space named @name (NULL: base); NULL with an error printed and the
 * exit code in @status when there is no such space (yet). */
TsSpace        *ts_cli_open_space         (TsDataset          *dataset,
                                           const char         *name,
                                           const char         *command,
                                           int                *status);
int             ts_cli_art                (TsCli        *cli,
                                           int           argc,
                                           char        **argv);
int             ts_cli_corr               (TsCli        *cli,
                                           int           argc,
                                           char        **argv);
int             ts_cli_chart              (TsCli        *cli,
                                           int           argc,
                                           char        **argv);
int             ts_cli_covers             (TsCli        *cli,
                                           int           argc,
                                           char        **argv);
/* "train cnn": argv[1] is "cnn". */
int             ts_cli_train_cnn          (TsCli        *cli,
                                           int           argc,
                                           char        **argv);
/* A --option's whole number from @min to @max, unchanged when @text is
 * NULL; FALSE after printing a usage error for @command. Options shared by
 * several commands (--seed, --epochs, --batch-size, --patience) go through
 * it, so that each says the same about a bad value. */
gboolean        ts_cli_parse_int_option   (const char         *command,
                                           const char         *option,
                                           const char         *text,
                                           gint64              min,
                                           gint64              max,
                                           gint64             *value);
/* A --option's number (locale-independent), unchanged when @text is NULL;
 * FALSE after printing a usage error for @command. */
gboolean        ts_cli_parse_float_option (const char         *command,
                                           const char         *option,
                                           const char         *text,
                                           float              *value);
/* $XDG_CACHE_HOME/tunescope/covers/manifest.json */
char           *ts_cli_covers_manifest_path (void);

void            ts_cli_clear              (TsCli        *cli);

/* An option context for "tunescope-cli @command @parameter" with @entries
 * (may be NULL) and the common options (--data, --json); @reads_data
 * FALSE says in --help that this command accepts --data but does not read
 * the dataset. */
GOptionContext *ts_cli_context_new        (TsCli              *cli,
                                           const char         *command,
                                           const char         *parameter,
                                           const char         *summary,
                                           const GOptionEntry *entries,
                                           gboolean            reads_data);
/* Adds the common options, for before the command (@after_command FALSE)
 * or after it. */
void            ts_cli_add_common_options (GOptionContext     *context,
                                           TsCli              *cli,
                                           gboolean            after_command,
                                           gboolean            reads_data);
/* For a command with verbs (argv[0] is the command): moves the first
 * argument that is not a common option or its value to argv[1], so that
 * "art --json fetch" reads as "art fetch --json". FALSE when that argument
 * is another option or missing. */
gboolean        ts_cli_rotate_verb        (int                 argc,
                                           char              **argv);
/* ts_cli_rotate_verb (), then TS_CLI_EXIT_NONE when there is a verb;
 * without one, prints @usage on --help and returns TS_CLI_EXIT_OK, else a
 * usage error naming @verbs. */
int             ts_cli_take_verb          (const char         *command,
                                           const char         *verbs,
                                           const char         *usage,
                                           int                 argc,
                                           char              **argv);
/* Parses; on a usage error prints it and returns FALSE (exit 2). */
gboolean        ts_cli_parse              (GOptionContext     *context,
                                           const char         *command,
                                           int                *argc,
                                           char             ***argv);

/* "tunescope-cli: error: ..." on stderr; returns TS_CLI_EXIT_USAGE. */
int             ts_cli_usage_error        (const char         *command,
                                           const char         *format,
                                           ...) G_GNUC_PRINTF (2, 3);
/* Prints @error, with @hint appended when not NULL, and returns the exit
 * code it deserves: 2 for bad input, 1 otherwise. */
int             ts_cli_report_error       (const GError       *error,
                                           const char         *hint);

/* --data, else $TUNESCOPE_DATA, else the app's dataset-path setting, else
 * a dataset downloaded to the default folder. */
char           *ts_cli_resolve_data_path  (TsCli              *cli,
                                           GError            **error);
/* Loads the dataset with a progress bar on a terminal; Ctrl+C cancels. */
TsDataset      *ts_cli_load_dataset       (TsCli              *cli,
                                           GError            **error);

/* Whether stdout and stderr are both a terminal: only then is there a
 * progress bar. */
gboolean        ts_cli_is_interactive     (void);

/* Starts an _async call with the given progress and callback. */
typedef void (*TsCliStartFunc) (gpointer             start_data,
                                TsProgressFunc       progress,
                                gpointer             progress_data,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
/* Runs an _async call to completion in a private main context, with a
 * progress bar labelled @label on a terminal and Ctrl+C cancelling it.
 * Returns the result to pass to the matching _finish. */
GAsyncResult   *ts_cli_run_async          (const char         *label,
                                           TsCliStartFunc      start,
                                           gpointer            start_data);

/* Runs @work in a worker thread while this thread waits, Ctrl+C
 * cancelling the cancellable @work gets; returns what @work returned. For
 * blocking core calls that take a GCancellable. */
typedef gboolean (*TsCliWorkFunc) (gpointer       data,
                                   GCancellable  *cancellable,
                                   GError       **error);
gboolean        ts_cli_run_cancellable    (TsCliWorkFunc       work,
                                           gpointer            data,
                                           GError            **error);

/* Pretty-prints the builder's root, or @root, on stdout. */
void            ts_cli_print_json         (JsonBuilder        *builder);
void            ts_cli_print_json_node    (JsonNode           *root);
void            ts_cli_json_add_strv      (JsonBuilder        *builder,
                                           const char         *member,
                                           const char * const *strv);
/* @value with @digits decimals, locale-independent. */
char           *ts_cli_format_double      (double              value,
                                           int                 digits);

/* "unknown @what “@name”; did you mean …?" with the closest of
 * @candidates; returns TS_CLI_EXIT_USAGE. */
int             ts_cli_unknown_name       (const char         *command,
                                           const char         *what,
                                           const char         *name,
                                           const char * const *candidates,
                                           gsize               n_candidates);
/* "a, b,c" -> { "a", "b", "c" }, empty items dropped. */
char          **ts_cli_split_list         (const char         *list);
/* A comma-separated --features list into *@features (empty when @list is
 * NULL), each once; returns an exit status, printing any error. */
int             ts_cli_parse_features     (const char         *command,
                                           const char         *list,
                                           GArray            **features);
/* --method, Pearson when @name is NULL; returns an exit status. */
int             ts_cli_parse_method       (const char         *command,
                                           const char         *name,
                                           TsCorrMethod       *method);

G_END_DECLS
