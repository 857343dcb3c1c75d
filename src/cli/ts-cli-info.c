/* ts-cli-info.c: tunescope-cli info
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-cli"

#include "config.h"

#include "ts-cli-common.h"

static const char *
schema_name (TsDatasetSchema schema)
{
  switch (schema)
    {
    case TS_DATASET_SCHEMA_KAGGLE:      return "kaggle";
    case TS_DATASET_SCHEMA_TIDYTUESDAY: return "tidytuesday";
    case TS_DATASET_SCHEMA_TRACKS_600K: return "tracks-600k";
    case TS_DATASET_SCHEMA_TRACKS_1M:   return "tracks-1.2m";
    default:                            return "unknown";
    }
}

/* The features the file lacks (popularity in the 1.2M set), NULL-ended. */
static char **
dup_missing_features (TsDataset *dataset)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint f = 0; f < TS_N_FEATURES; f++)
    if (!ts_dataset_has_feature (dataset, f))
      g_strv_builder_add (builder, ts_feature_get_name (f));
  return g_strv_builder_end (builder);
}

static void
print_json (TsDataset *dataset)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_auto(GStrv) missing = dup_missing_features (dataset);
  int min_year = 0, max_year = 0;

  ts_dataset_get_year_range (dataset, &min_year, &max_year);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, ts_dataset_get_path (dataset));
  json_builder_set_member_name (b, "schema");
  json_builder_add_string_value (b, schema_name (ts_dataset_get_schema (dataset)));
  json_builder_set_member_name (b, "rows");
  json_builder_add_int_value (b, ts_dataset_get_n_rows (dataset));
  json_builder_set_member_name (b, "skipped");
  json_builder_add_int_value (b, ts_dataset_get_n_skipped (dataset));
  ts_cli_json_add_strv (b, "skipped_reasons", ts_dataset_get_skipped_reasons (dataset));
  json_builder_set_member_name (b, "years");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, min_year);
  json_builder_add_int_value (b, max_year);
  json_builder_end_array (b);
  ts_cli_json_add_strv (b, "columns", ts_dataset_get_columns (dataset));
  ts_cli_json_add_strv (b, "missing_features", (const char * const *) missing);
  ts_cli_json_add_strv (b, "companions", ts_dataset_get_companions (dataset));
  json_builder_set_member_name (b, "artists");
  json_builder_add_int_value (b, ts_dataset_get_n_artists (dataset));
  json_builder_set_member_name (b, "genres");
  json_builder_add_int_value (b, ts_dataset_get_n_genres (dataset));
  json_builder_set_member_name (b, "albums");
  json_builder_add_int_value (b, ts_dataset_get_n_albums (dataset));
  json_builder_set_member_name (b, "load_ms");
  /* Whole microseconds: more digits would only be noise. */
  json_builder_add_double_value (b, (double) (gint64) (ts_dataset_get_load_ms (dataset) * 1000)
                                    / 1000.0);
  json_builder_end_object (b);

  ts_cli_print_json (b);
}

static char *
join_or_none (const char * const *strv)
{
  if (strv == NULL || strv[0] == NULL)
    return g_strdup ("none");
  return g_strjoinv (", ", (char **) strv);
}

static void
print_text (TsDataset *dataset)
{
  const char * const *reasons = ts_dataset_get_skipped_reasons (dataset);
  g_autofree char *columns = join_or_none (ts_dataset_get_columns (dataset));
  g_autofree char *companions = join_or_none (ts_dataset_get_companions (dataset));
  g_auto(GStrv) missing_list = dup_missing_features (dataset);
  g_autofree char *missing = join_or_none ((const char * const *) missing_list);
  g_autofree char *load_ms = ts_cli_format_double (ts_dataset_get_load_ms (dataset), 1);
  guint n_skipped = ts_dataset_get_n_skipped (dataset);
  int min_year = 0, max_year = 0;
  guint n_reasons = reasons ? g_strv_length ((char **) reasons) : 0;

  ts_dataset_get_year_range (dataset, &min_year, &max_year);

  g_print ("Dataset:     %s (%s)\n", ts_dataset_get_path (dataset),
           schema_name (ts_dataset_get_schema (dataset)));
  g_print ("Rows:        %u\n", ts_dataset_get_n_rows (dataset));
  g_print ("Skipped:     %u\n", n_skipped);
  for (guint i = 0; i < n_reasons; i++)
    g_print ("  %s\n", reasons[i]);
  if (n_skipped > n_reasons)
    g_print ("  … and %u more\n", n_skipped - n_reasons);
  g_print ("Years:       %d–%d\n", min_year, max_year);
  g_print ("Artists:     %u\n", ts_dataset_get_n_artists (dataset));
  g_print ("Genres:      %u\n", ts_dataset_get_n_genres (dataset));
  if (ts_dataset_get_n_albums (dataset) > 0)
    g_print ("Albums:      %u\n", ts_dataset_get_n_albums (dataset));
  g_print ("Columns:     %s\n", columns);
  g_print ("Missing:     %s\n", missing);
  g_print ("Companions:  %s\n", companions);
  g_print ("Load time:   %s ms\n", load_ms);
}

int
ts_cli_info (TsCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;

  context = ts_cli_context_new (cli, "info", NULL,
                                "Summarize the dataset: rows loaded and skipped, years, columns "
                                "and companion files.", NULL, TRUE);
  if (!ts_cli_parse (context, "info", &argc, &argv))
    return TS_CLI_EXIT_USAGE;
  if (argc > 1)
    return ts_cli_usage_error ("info", "unexpected argument “%s”", argv[1]);

  dataset = ts_cli_load_dataset (cli, &error);
  if (dataset == NULL)
    return ts_cli_report_error (error, NULL);

  if (cli->json)
    print_json (dataset);
  else
    print_text (dataset);
  return TS_CLI_EXIT_OK;
}
