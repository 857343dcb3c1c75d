/* ts-cli-eval.c: tunescope-cli eval
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-cli"

#include "config.h"

#include "ts-cli-common.h"

#define DEFAULT_K       10
#define DEFAULT_QUERIES 2000
#define DEFAULT_SEED    20200121

typedef struct
{
  char    *space;
  char    *metric;
  char    *tidytuesday;
  int      k;
  int      queries;
  guint32  seed;
  char    *seed_text;
  TsModel *genre;  /* trained on --data's artist genres; NULL when it cannot be */
} Options;

typedef struct
{
  const char *space;
  const char *metric;
  const char *dataset;
  double      precision;
} Row;

static void
add_row (GArray     *rows,
         const char *space,
         const char *metric,
         const char *dataset,
         double      precision)
{
  Row row = { g_intern_string (space), metric, dataset, precision };

  g_array_append_val (rows, row);
}

/* The genre space of any file comes from the model of --data's artist
 * genres: on another file it meets labels it never trained on. */
static TsSpace *
open_space (TsDataset  *dataset,
            const char *name,
            Options    *o,
            int        *status)
{
  g_autoptr(GError) error = NULL;
  float *embedding;
  int dim = 0;

  if (!g_str_equal (name, "genre"))
    return ts_cli_open_space (dataset, name, "eval", status);
  embedding = ts_model_embed (o->genre, dataset, &dim, &error);
  if (embedding == NULL)
    {
      *status = ts_cli_report_error (error, NULL);
      return NULL;
    }
  return ts_space_new ("genre", ts_dataset_get_n_rows (dataset), (guint) dim, embedding);
}

/* Every space x metric asked for, then the two baselines; queries only
 * among @query_rows when given. */
static int
eval_dataset (TsDataset    *dataset,
              const char   *label,
              Options      *o,
              const guint8 *query_rows,
              GArray       *rows)
{
  static const char * const all_spaces[] = { "base", "predictor", "autoencoder", "genre", NULL };
  const char * const one_space[] = { o->space, NULL };
  g_autoptr(TsSpace) kaggle = ts_space_new_standardized (dataset);
  g_autoptr(GError) error = NULL;
  int status = TS_CLI_EXIT_OK;
  TsMetric only = TS_N_METRICS;
  double p;

  if (o->metric != NULL)
    ts_metric_from_name (o->metric, &only);
  /* Without --space, every space: the models train on first use. */
  for (const char * const *name = o->space ? one_space : all_spaces; *name; name++)
    {
      g_autoptr(TsSpace) space = NULL;

      if (g_str_equal (*name, "genre") && o->genre == NULL)
        continue;
      space = open_space (dataset, *name, o, &status);
      if (space == NULL)
        return status;
      for (TsMetric m = 0; m < TS_N_METRICS; m++)
        {
          if (only != TS_N_METRICS && m != only)
            continue;
          p = ts_similar_eval_precision_among (dataset, space, m, o->k, o->queries, o->seed,
                                               query_rows, &error);
          if (p < 0)
            return ts_cli_report_error (error, NULL);
          add_row (rows, ts_space_get_name (space), ts_metric_get_name (m), label, p);
        }
    }
  p = ts_similar_eval_precision_among (dataset, kaggle, TS_METRIC_COSINE, o->k, o->queries,
                                       o->seed, query_rows, &error);
  if (p < 0)
    return ts_cli_report_error (error, NULL);
  add_row (rows, "kaggle", "cosine", label, p);
  p = ts_similar_eval_precision_among (dataset, NULL, TS_METRIC_COSINE, o->k, o->queries,
                                       o->seed, query_rows, &error);
  add_row (rows, "random", "none", label, p);
  return TS_CLI_EXIT_OK;
}

static void
print_rows (GArray  *rows,
            int      k,
            gboolean json)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (!json)
    g_print ("%-12s %-10s %-14s precision@%d\n", "space", "metric", "dataset", k);
  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);
      g_autofree char *p = ts_cli_format_double (row->precision, 4);

      if (!json)
        g_print ("%-12s %-10s %-14s %s\n", row->space, row->metric, row->dataset, p);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "space");
      json_builder_add_string_value (b, row->space);
      json_builder_set_member_name (b, "metric");
      json_builder_add_string_value (b, row->metric);
      json_builder_set_member_name (b, "dataset");
      json_builder_add_string_value (b, row->dataset);
      json_builder_set_member_name (b, "k");
      json_builder_add_int_value (b, k);
      json_builder_set_member_name (b, "precision");
      json_builder_add_double_value (b, row->precision);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (json)
    ts_cli_print_json (b);
}

static int
check_options (Options *o)
{
  TsMetric metric;
  gint64 seed = o->seed;

  if (o->k < 1 || o->k > 100)
    return ts_cli_usage_error ("eval", "--k must be between 1 and 100");
  if (o->queries < 1 || o->queries > 1000000)
    return ts_cli_usage_error ("eval", "--queries must be between 1 and 1000000");
  if (!ts_cli_parse_int_option ("eval", "--seed", o->seed_text, 0, G_MAXUINT32, &seed))
    return TS_CLI_EXIT_USAGE;
  o->seed = (guint32) seed;
  if (o->metric != NULL && !ts_metric_from_name (o->metric, &metric))
    return ts_cli_usage_error ("eval", "unknown metric “%s” (cosine, euclidean, manhattan or "
                               "dot)", o->metric);
  return TS_CLI_EXIT_OK;
}

/* The genre model of --data, trained on first use. Without --space it
 * may be missing (a file without artist genres): a note, and the other
 * spaces. */
static int
ensure_genre_model (TsDataset *dataset,
                    Options   *o)
{
  g_autoptr(GError) error = NULL;
  gboolean trained = FALSE;

  /* Without any genre, eval itself fails, and says why. */
  if ((o->space != NULL && !g_str_equal (o->space, "genre"))
      || ts_dataset_get_n_genred_artists (dataset) == 0)
    return TS_CLI_EXIT_OK;
  if (ts_cli_is_interactive ())
    g_printerr ("Preparing the genre space…\n");
  o->genre = ts_model_ensure (dataset, TS_MODEL_GENRE, &trained, NULL, &error);
  if (o->genre == NULL && o->space != NULL)
    return ts_cli_report_error (error, NULL);
  if (o->genre == NULL)
    g_printerr (TS_CLI_NAME ": note: no genre space: %s\n", error->message);
  else if (trained)
    g_printerr ("Trained the genre model for this dataset\n");
  return TS_CLI_EXIT_OK;
}

static int
eval_tidytuesday (Options *o,
                  GArray  *rows)
{
  const char *path = o->tidytuesday != NULL ? o->tidytuesday : g_getenv ("TUNESCOPE_TIDYTUESDAY");
  g_autoptr(TsDataset) tidy = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    {
      g_printerr (TS_CLI_NAME ": note: no TidyTuesday file (--tidytuesday FILE or "
                  "$TUNESCOPE_TIDYTUESDAY): measuring artist genres only\n");
      return TS_CLI_EXIT_OK;
    }
  tidy = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);
  if (tidy == NULL)
    return ts_cli_report_error (error, NULL);
  if (ts_dataset_get_schema (tidy) != TS_DATASET_SCHEMA_TIDYTUESDAY)
    return ts_cli_usage_error ("eval", "%s has no playlist_genre column", path);
  return eval_dataset (tidy, "tidytuesday", o, NULL, rows);
}

int
ts_cli_eval (TsCli  *cli,
             int     argc,
             char  **argv)
{
  Options o = { .k = DEFAULT_K, .queries = DEFAULT_QUERIES, .seed = DEFAULT_SEED };
  const GOptionEntry entries[] = {
    { "space", 0, 0, G_OPTION_ARG_STRING, &o.space,
      "Only this space: base, predictor, autoencoder or genre (default: all)",
      "SPACE" },
    { "metric", 0, 0, G_OPTION_ARG_STRING, &o.metric, "Only this metric (default: all four)",
      "METRIC" },
    { "k", 'k', 0, G_OPTION_ARG_INT, &o.k, "Neighbours per song (default 10)", "K" },
    { "queries", 0, 0, G_OPTION_ARG_INT, &o.queries, "Songs sampled as queries (default 2000)",
      "N" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &o.seed_text,
      "Random seed of the sample (20200121)", "N" },
    { "tidytuesday", 0, 0, G_OPTION_ARG_FILENAME, &o.tidytuesday,
      "TidyTuesday's spotify_songs.csv (default: $TUNESCOPE_TIDYTUESDAY)", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));
  int status;

  context = ts_cli_context_new (cli, "eval", NULL,
                                "Genre precision@k: the share of a song's k nearest songs that "
                                "share its genre — artist genres in the dataset, playlist "
                                "genres in the TidyTuesday file — for each space and metric, "
                                "against random songs and the Kaggle notebook's method "
                                "(StandardScaler + cosine).",
                                entries, TRUE);
  status = ts_cli_parse (context, "eval", &argc, &argv) ? TS_CLI_EXIT_OK : TS_CLI_EXIT_USAGE;
  if (status == TS_CLI_EXIT_OK)
    status = argc > 1 ? ts_cli_usage_error ("eval", "unexpected argument “%s”", argv[1])
                      : check_options (&o);
  if (status == TS_CLI_EXIT_OK)
    {
      dataset = ts_cli_load_dataset (cli, &error);
      status = dataset != NULL ? ensure_genre_model (dataset, &o)
                               : ts_cli_report_error (error, NULL);
    }
  if (status == TS_CLI_EXIT_OK)
    {
      /* Every space is asked about the same songs: those of the artists
       * the genre model never trained on. */
      TsModelOptions genre_options;
      g_autofree guint8 *held_out = NULL;

      ts_model_options_init (&genre_options, TS_MODEL_GENRE);
      held_out = ts_model_dup_held_out_songs (dataset, o.genre != NULL
                                              ? ts_model_get_options (o.genre)->holdout
                                              : genre_options.holdout);
      status = eval_dataset (dataset, "artist-genres", &o, held_out, rows);
    }
  if (status == TS_CLI_EXIT_OK)
    status = eval_tidytuesday (&o, rows);
  if (status == TS_CLI_EXIT_OK)
    print_rows (rows, o.k, cli->json);
  g_free (o.space);
  g_free (o.metric);
  g_free (o.tidytuesday);
  g_free (o.seed_text);
  g_clear_pointer (&o.genre, ts_model_free);
  return status;
}
