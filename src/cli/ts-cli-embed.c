/* ts-cli-embed.c: tunescope-cli embed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-cli"

#include "config.h"

#include <stdio.h>

#include "ts-cli-common.h"

/* "predictor", "autoencoder" and "genre" name the default files; anything else is
 * a path. */
static char *
resolve_model_path (const char *model)
{
  TsModelKind kind;

  if (ts_model_kind_from_name (model, &kind))
    return ts_model_default_path (kind);
  return g_strdup (model);
}

static void
append_vector (GString     *out,
               const float *vector,
               int          dim,
               const char  *separator)
{
  for (int k = 0; k < dim; k++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      if (k > 0)
        g_string_append (out, separator);
      /* Floats carry about 7 digits; more would be noise. */
      g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.7g", vector[k]));
    }
}

/* Printed by hand, row by row: 170k rows through a JsonBuilder tree would
 * take seconds and hundreds of megabytes. */
static void
print_embedding (TsDataset   *dataset,
                 TsModel     *model,
                 const char  *model_path,
                 const float *embedding,
                 int          dim,
                 gboolean     json)
{
  guint n = ts_dataset_get_n_rows (dataset);
  g_autoptr(GString) out = g_string_sized_new (64 * 1024);

  if (json)
    {
      g_autofree char *quoted_path = g_strescape (model_path, NULL);

      g_string_append_printf (out, "{\"model\": \"%s\", \"kind\": \"%s\", \"rows\": %u, "
                              "\"dim\": %d, \"songs\": [\n", quoted_path,
                              ts_model_kind_get_name (ts_model_get_kind (model)), n, dim);
    }
  for (guint r = 0; r < n; r++)
    {
      if (json)
        {
          g_autofree char *id = g_strescape (ts_dataset_get_id (dataset, r), NULL);

          g_string_append_printf (out, "  {\"id\": \"%s\", \"embedding\": [", id);
          append_vector (out, embedding + (gsize) r * dim, dim, ", ");
          g_string_append (out, r + 1 < n ? "]},\n" : "]}\n");
        }
      else
        {
          g_string_append_printf (out, "%s\t", ts_dataset_get_id (dataset, r));
          append_vector (out, embedding + (gsize) r * dim, dim, "\t");
          g_string_append_c (out, '\n');
        }
      if (out->len > 60 * 1024)
        {
          fwrite (out->str, 1, out->len, stdout);
          g_string_truncate (out, 0);
        }
    }
  if (json)
    g_string_append (out, "]}\n");
  fwrite (out->str, 1, out->len, stdout);
}

static gboolean
write_embedding (const char  *path,
                 TsDataset   *dataset,
                 const char  *model_path,
                 TsModel     *model,
                 float       *embedding,
                 int          dim,
                 GError     **error)
{
  g_autoptr(GHashTable) metadata = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *rows = g_strdup_printf ("%u", ts_dataset_get_n_rows (dataset));
  TsNnTensor tensor = {
    .name = (char *) "embedding",
    .ndim = 2,
    .shape = { (int) ts_dataset_get_n_rows (dataset), dim },
    .size = (gsize) ts_dataset_get_n_rows (dataset) * dim,
    .data = embedding,
  };

  g_hash_table_insert (metadata, (gpointer) "format", (gpointer) "tunescope-embedding");
  g_hash_table_insert (metadata, (gpointer) "model", (gpointer) model_path);
  g_hash_table_insert (metadata, (gpointer) "kind",
                       (gpointer) ts_model_kind_get_name (ts_model_get_kind (model)));
  g_hash_table_insert (metadata, (gpointer) "dataset", (gpointer) ts_dataset_get_path (dataset));
  g_hash_table_insert (metadata, (gpointer) "rows", rows);
  return ts_nn_tensors_write (path, &tensor, 1, metadata, error);
}

int
ts_cli_embed (TsCli  *cli,
              int     argc,
              char  **argv)
{
  g_autofree char *model_name = NULL;
  g_autofree char *output = NULL;
  g_autofree char *model_path = NULL;
  g_autofree float *embedding = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsDataset) dataset = NULL;
  g_autoptr(TsModel) model = NULL;
  g_autoptr(GError) error = NULL;
  TsModelKind kind;
  int dim = 0;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model_name,
      "predictor, autoencoder, genre, or a model file", "MODEL" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Write a safetensors file (tensor \"embedding\", rows × dim) instead of printing", "FILE" },
    { NULL }
  };

  context = ts_cli_context_new (cli, "embed", NULL,
                                "Print or write the embedding of every song in a trained model's "
                                "space: one line per song, its id then the vector (tab-separated).",
                                entries, TRUE);
  if (!ts_cli_parse (context, "embed", &argc, &argv))
    return TS_CLI_EXIT_USAGE;
  if (argc > 1)
    return ts_cli_usage_error ("embed", "unexpected argument “%s”", argv[1]);
  if (model_name == NULL)
    return ts_cli_usage_error ("embed", "--model is required (predictor, autoencoder, genre or a "
                               "file)");

  model_path = resolve_model_path (model_name);
  if (ts_model_kind_from_name (model_name, &kind) && !g_file_test (model_path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("tunescope-cli: error: no %s model yet (%s); train one with "
                  "“tunescope-cli train %s”\n", model_name, model_path, model_name);
      return TS_CLI_EXIT_FAILURE;
    }
  model = ts_model_load (model_path, &error);
  if (model == NULL)
    return ts_cli_report_error (error, NULL);
  dataset = ts_cli_load_dataset (cli, &error);
  if (dataset == NULL)
    return ts_cli_report_error (error, NULL);
  embedding = ts_model_embed (model, dataset, &dim, &error);
  if (embedding == NULL)
    return ts_cli_report_error (error, NULL);

  if (output != NULL)
    {
      if (!write_embedding (output, dataset, model_path, model, embedding, dim, &error))
        return ts_cli_report_error (error, NULL);
      if (cli->json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "output");
          json_builder_add_string_value (b, output);
          json_builder_set_member_name (b, "rows");
          json_builder_add_int_value (b, ts_dataset_get_n_rows (dataset));
          json_builder_set_member_name (b, "dim");
          json_builder_add_int_value (b, dim);
          json_builder_end_object (b);
          ts_cli_print_json (b);
        }
      else
        g_print ("Wrote %u × %d embedding to %s\n", ts_dataset_get_n_rows (dataset), dim, output);
      return TS_CLI_EXIT_OK;
    }

  print_embedding (dataset, model, model_path, embedding, dim, cli->json);
  return TS_CLI_EXIT_OK;
}
