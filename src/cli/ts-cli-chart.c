/* ts-cli-chart.c: tunescope-cli chart, the Explore page's charts to a file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-cli"

#include "config.h"

#include "ts-cli-common.h"

#define DEFAULT_WIDTH  1000
#define DEFAULT_HEIGHT 640
#define MAX_SIDE       10000
#define N_DEFAULT_GROUPS 4

static const char * const kind_names[] = { "heatmap", "timeline", "genres", "artists" };


typedef struct
{
  char     *method;
  char     *features;
  char     *genres;
  char     *artists;
  char     *theme;
  char     *output;
  int       width;
  int       height;
  gboolean  normalize;
} ChartOptions;

static void
chart_options_clear (ChartOptions *options)
{
  g_free (options->method);
  g_free (options->features);
  g_free (options->genres);
  g_free (options->artists);
  g_free (options->theme);
  g_free (options->output);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ChartOptions, chart_options_clear)

/* Checks each name of @list against @table, suggesting the closest on a
 * miss; without a list, the defaults. */
static int
resolve_groups (TsGroupTable        *table,
                const char          *what,
                const char          *list,
                const char * const  *preferred,
                char              ***names)
{
  g_auto(GStrv) wanted = NULL;
  guint n_groups = ts_group_table_get_n_groups (table);

  if (list == NULL)
    {
      *names = ts_group_table_pick_defaults (table, preferred, N_DEFAULT_GROUPS);
      return TS_CLI_EXIT_OK;
    }
  wanted = ts_cli_split_list (list);
  if (wanted[0] == NULL)
    return ts_cli_usage_error ("chart", "--%ss names no %s", what, what);
  for (guint i = 0; wanted[i] != NULL; i++)
    {
      if (ts_group_table_lookup (table, wanted[i]) < 0)
        {
          g_autofree const char **all = g_new (const char *, MAX (n_groups, 1));

          for (guint g = 0; g < n_groups; g++)
            all[g] = ts_group_table_get_name (table, g);
          return ts_cli_unknown_name ("chart", what, wanted[i], all, n_groups);
        }
    }
  *names = g_steal_pointer (&wanted);
  return TS_CLI_EXIT_OK;
}

static int
make_chart (TsDataset     *dataset,
            TsChartKind    kind,
            TsCorrMethod   method,
            GArray        *features,
            ChartOptions  *options,
            TsChart      **chart)
{
  const TsFeature *chosen = (const TsFeature *) (gpointer) features->data;
  guint n_chosen = features->len;
  g_auto(GStrv) names = NULL;
  TsGroupTable *table;
  int status;

  if (kind == TS_CHART_HEATMAP)
    {
      g_autoptr(TsCorrMatrix) matrix = ts_corr_matrix_new (dataset, method, chosen, n_chosen, 0);

      *chart = ts_chart_heatmap_new (matrix);
      return TS_CLI_EXIT_OK;
    }

  if (n_chosen == 0)
    n_chosen = ts_chart_get_default_features (&chosen);
  if (kind == TS_CHART_TIMELINE)
    {
      gboolean normalize = options->normalize ||
                           ts_chart_timeline_needs_normalize (chosen, n_chosen);

      *chart = ts_chart_timeline_new (ts_dataset_get_by_year (dataset), chosen, n_chosen,
                                      normalize);
      return TS_CLI_EXIT_OK;
    }

  if (kind == TS_CHART_GENRES)
    {
      table = ts_dataset_get_by_genre (dataset);
      if (table == NULL)
        return ts_cli_usage_error ("chart", "this dataset has no genres (its folder lacks "
                                   "data_w_genres.csv and data_by_genres.csv)");
      status = resolve_groups (table, "genre", options->genres, ts_chart_get_default_genres (),
                               &names);
    }
  else
    {
      table = ts_dataset_get_by_artist (dataset);
      status = resolve_groups (table, "artist", options->artists, NULL, &names);
    }
  if (status != TS_CLI_EXIT_OK)
    return status;

  *chart = ts_chart_bars_new (kind, ts_group_selection_new (table, (const char * const *) names,
                                                            chosen, n_chosen, NULL),
                              TS_CHART_DEFAULT_THIN_COUNT);
  return TS_CLI_EXIT_OK;
}

int
ts_cli_chart (TsCli  *cli,
              int     argc,
              char  **argv)
{
  g_auto(ChartOptions) options = { .width = DEFAULT_WIDTH, .height = DEFAULT_HEIGHT };
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options.output,
      "The file to write: .png, .svg or .pdf (replaced if it exists)", "FILE" },
    { "method", 'm', 0, G_OPTION_ARG_STRING, &options.method,
      "Heat map: pearson (default), spearman or kendall", "METHOD" },
    { "features", 'f', 0, G_OPTION_ARG_STRING, &options.features,
      "Comma-separated features (default: all for the heat map, else acousticness, "
      "danceability, energy, valence)", "A,B,…" },
    { "genres", 'g', 0, G_OPTION_ARG_STRING, &options.genres,
      "Genres chart: comma-separated genres (default: rock, jazz, hip hop, classical)", "A,B,…" },
    { "artists", 'a', 0, G_OPTION_ARG_STRING, &options.artists,
      "Artists chart: comma-separated artists (default: those with the most songs)", "A,B,…" },
    { "normalize", 0, 0, G_OPTION_ARG_NONE, &options.normalize,
      "Timeline: scale each feature to 0–1 (always when units differ)", NULL },
    { "width", 0, 0, G_OPTION_ARG_INT, &options.width, "Width in pixels (default 1000)", "N" },
    { "height", 0, 0, G_OPTION_ARG_INT, &options.height, "Height in pixels (default 640)", "N" },
    { "theme", 0, 0, G_OPTION_ARG_STRING, &options.theme, "light (default) or dark", "THEME" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsDataset) dataset = NULL;
  g_autoptr(TsChart) chart = NULL;
  g_autoptr(GArray) features = NULL;
  g_autoptr(GError) error = NULL;
  TsChartKind kind = TS_CHART_HEATMAP;
  TsCorrMethod method;
  TsTheme theme = TS_THEME_LIGHT;
  gboolean known = FALSE;
  gboolean ok;
  int status;

  context = ts_cli_context_new (cli, "chart", "heatmap|timeline|genres|artists",
                                "Draw one of the Explore charts to a PNG, SVG or PDF file.",
                                entries, TRUE);
  if (!ts_cli_parse (context, "chart", &argc, &argv))
    return TS_CLI_EXIT_USAGE;
  if (argc < 2)
    return ts_cli_usage_error ("chart", "which chart? heatmap, timeline, genres or artists");
  if (argc > 2)
    return ts_cli_usage_error ("chart", "unexpected argument “%s”", argv[2]);
  for (guint k = 0; k < G_N_ELEMENTS (kind_names) && !known; k++)
    {
      if (g_ascii_strcasecmp (argv[1], kind_names[k]) == 0)
        {
          kind = (TsChartKind) k;
          known = TRUE;
        }
    }
  if (!known)
    return ts_cli_unknown_name ("chart", "chart", argv[1], kind_names, G_N_ELEMENTS (kind_names));
  if (options.output == NULL)
    return ts_cli_usage_error ("chart", "-o FILE is needed");
  if (!ts_chart_path_has_format (options.output))
    return ts_cli_usage_error ("chart", "“%s”: the file name must end in .png, .svg or .pdf",
                               options.output);
  if (options.width < 1 || options.width > MAX_SIDE || options.height < 1 ||
      options.height > MAX_SIDE)
    return ts_cli_usage_error ("chart", "--width and --height must be between 1 and %d",
                               MAX_SIDE);
  if (options.theme != NULL && !ts_theme_from_name (options.theme, &theme))
    {
      const char *themes[] = { "light", "dark" };

      return ts_cli_unknown_name ("chart", "theme", options.theme, themes, 2);
    }
  if ((status = ts_cli_parse_method ("chart", options.method, &method)) != TS_CLI_EXIT_OK)
    return status;
  if ((status = ts_cli_parse_features ("chart", options.features, &features)) != TS_CLI_EXIT_OK)
    return status;

  dataset = ts_cli_load_dataset (cli, &error);
  if (dataset == NULL)
    return ts_cli_report_error (error, NULL);

  status = make_chart (dataset, kind, method, features, &options, &chart);
  if (status != TS_CLI_EXIT_OK)
    return status;
  ts_chart_set_theme (chart, theme);
  ts_chart_set_background (chart, TRUE);
  ok = ts_chart_export (chart, options.output, options.width, options.height, &error);
  g_clear_pointer (&chart, ts_chart_free);
  /* The process ends here: nothing else will lay out text. */
  ts_chart_release_fonts ();
  if (!ok)
    return ts_cli_report_error (error, NULL);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "chart");
      json_builder_add_string_value (b, kind_names[kind]);
      json_builder_set_member_name (b, "output");
      json_builder_add_string_value (b, options.output);
      json_builder_set_member_name (b, "width");
      json_builder_add_int_value (b, options.width);
      json_builder_set_member_name (b, "height");
      json_builder_add_int_value (b, options.height);
      json_builder_end_object (b);
      ts_cli_print_json (b);
    }
  else
    g_print ("%s\n", options.output);
  return TS_CLI_EXIT_OK;
}
