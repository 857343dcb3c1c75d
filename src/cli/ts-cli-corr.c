/* ts-cli-corr.c: tunescope-cli corr
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-cli"

#include "config.h"

#include <string.h>

#include "ts-cli-common.h"

static void
print_json (TsCorrMatrix *matrix)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint size = ts_corr_matrix_get_size (matrix);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, ts_corr_method_get_name (ts_corr_matrix_get_method (matrix)));
  json_builder_set_member_name (b, "n");
  json_builder_add_int_value (b, (gint64) ts_corr_matrix_get_n_rows (matrix));
  json_builder_set_member_name (b, "features");
  json_builder_begin_array (b);
  for (guint i = 0; i < size; i++)
    json_builder_add_string_value (b, ts_feature_get_name (ts_corr_matrix_get_feature (matrix, i)));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "matrix");
  json_builder_begin_array (b);
  for (guint row = 0; row < size; row++)
    {
      json_builder_begin_array (b);
      for (guint col = 0; col < size; col++)
        {
          if (ts_corr_matrix_is_defined (matrix, row, col))
            json_builder_add_double_value (b, ts_corr_matrix_get (matrix, row, col));
          else
            json_builder_add_null_value (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  ts_cli_print_json (b);
}

/* A table with the features down the side and across the top; each
 * column as wide as its name or a value, whichever is wider. */
static void
print_text (TsCorrMatrix *matrix)
{
  guint size = ts_corr_matrix_get_size (matrix);
  g_autofree int *widths = g_new (int, size);
  g_autoptr(GString) line = g_string_new (NULL);
  int label_width = 0;

  for (guint i = 0; i < size; i++)
    {
      int len = (int) strlen (ts_feature_get_name (ts_corr_matrix_get_feature (matrix, i)));

      label_width = MAX (label_width, len);
      widths[i] = MAX (len, 6);
    }

  g_print ("%s correlation over %" G_GSIZE_FORMAT " songs\n\n",
           ts_corr_method_get_name (ts_corr_matrix_get_method (matrix)),
           ts_corr_matrix_get_n_rows (matrix));
  g_string_append_printf (line, "%*s", label_width, "");
  for (guint col = 0; col < size; col++)
    g_string_append_printf (line, "  %*s", widths[col],
                            ts_feature_get_name (ts_corr_matrix_get_feature (matrix, col)));
  g_print ("%s\n", line->str);

  for (guint row = 0; row < size; row++)
    {
      g_string_printf (line, "%-*s", label_width,
                       ts_feature_get_name (ts_corr_matrix_get_feature (matrix, row)));
      for (guint col = 0; col < size; col++)
        {
          g_autofree char *value = NULL;

          if (ts_corr_matrix_is_defined (matrix, row, col))
            value = ts_cli_format_double (ts_corr_matrix_get (matrix, row, col), 3);
          else
            value = g_strdup ("n/a");
          g_string_append_printf (line, "  %*s", widths[col], value);
        }
      g_print ("%s\n", line->str);
    }
  g_print ("\nn/a: undefined (a constant column).\n");
}

int
ts_cli_corr (TsCli  *cli,
             int     argc,
             char  **argv)
{
  g_autofree char *method_name = NULL;
  g_autofree char *feature_list = NULL;
  const GOptionEntry entries[] = {
    { "method", 'm', 0, G_OPTION_ARG_STRING, &method_name,
      "pearson (default), spearman or kendall", "METHOD" },
    { "features", 'f', 0, G_OPTION_ARG_STRING, &feature_list,
      "Comma-separated features (default: all 13)", "A,B,…" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsDataset) dataset = NULL;
  g_autoptr(TsCorrMatrix) matrix = NULL;
  g_autoptr(GArray) features = NULL;
  g_autoptr(GError) error = NULL;
  TsCorrMethod method;
  int status;

  context = ts_cli_context_new (cli, "corr", NULL,
                                "Correlation matrix of the audio features.", entries, TRUE);
  if (!ts_cli_parse (context, "corr", &argc, &argv))
    return TS_CLI_EXIT_USAGE;
  if (argc > 1)
    return ts_cli_usage_error ("corr", "unexpected argument “%s”", argv[1]);
  if ((status = ts_cli_parse_method ("corr", method_name, &method)) != TS_CLI_EXIT_OK)
    return status;
  if ((status = ts_cli_parse_features ("corr", feature_list, &features)) != TS_CLI_EXIT_OK)
    return status;

  dataset = ts_cli_load_dataset (cli, &error);
  if (dataset == NULL)
    return ts_cli_report_error (error, NULL);

  matrix = ts_corr_matrix_new (dataset, method, (const TsFeature *) (gpointer) features->data,
                               features->len, 0);
  if (cli->json)
    print_json (matrix);
  else
    print_text (matrix);
  return TS_CLI_EXIT_OK;
}
