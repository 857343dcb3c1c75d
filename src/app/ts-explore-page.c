/* ts-explore-page.c: the Explore page (correlations, years, genres,
 * artists)
 *
 * Each change of an option prepares the chart's data off the main thread
 * (a Kendall matrix over 170,000 songs takes a noticeable moment), then
 * hands a new chart to the view; the view only lays out and paints.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-explore-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ts-app-util.h"
#include "ts-chart-view.h"
#include "ts-explore-page.h"
#include "ts-feature-label.h"

#define N_DEFAULT_GROUPS 4
/* Rows a picker lists for a search, besides the chosen ones. */
#define MAX_PICKER_ROWS  100
#define EXPORT_WIDTH     1200
#define EXPORT_HEIGHT    800

typedef struct _TsExplorePage TsExplorePage;

/* A genre or artist picker: a search over all the groups of a table. */
typedef struct
{
  TsExplorePage  *page;
  GtkMenuButton  *button;
  GtkSearchEntry *search;
  GtkListBox     *list;
  TsGroupTable   *table;
  guint          *by_count;   /* group indices, most songs first */
  char          **folded;     /* group names folded for search */
  GPtrArray      *chosen;     /* of char *, in the order chosen */
} Picker;

struct _TsExplorePage
{
  TsPage          parent_instance;

  TsDataset      *dataset;  /* the page's, kept by TsPage */
  GCancellable   *cancellable;      /* the preparation under way */
  TsChartKind     kind;
  TsCorrMethod    method;
  gboolean        normalize;
  /* Features of the heat map, and of the other charts. */
  gboolean        heatmap_features[TS_N_FEATURES];
  gboolean        series_features[TS_N_FEATURES];
  GtkCheckButton *feature_checks[TS_N_FEATURES];
  gboolean        updating_checks;
  Picker          genres;
  Picker          artists;
  GtkFileChooserNative *chooser;
  char           *export_format;

  GtkBox         *method_box;
  GtkToggleButton *heatmap_toggle;
  GtkToggleButton *timeline_toggle;
  GtkToggleButton *genres_toggle;
  GtkToggleButton *artists_toggle;
  GtkToggleButton *pearson_toggle;
  GtkToggleButton *spearman_toggle;
  GtkToggleButton *kendall_toggle;
  GtkBox         *features_box;
  GtkMenuButton  *genres_button;
  GtkPopover     *genres_popover;
  GtkSearchEntry *genres_search;
  GtkListBox     *genres_list;
  GtkMenuButton  *artists_button;
  GtkPopover     *artists_popover;
  GtkSearchEntry *artists_search;
  GtkListBox     *artists_list;
  GtkCheckButton *normalize_check;
  GtkMenuButton  *export_button;
  TsChartView    *chart_view;
  GtkLabel       *empty_label;
};

G_DEFINE_FINAL_TYPE (TsExplorePage, ts_explore_page, TS_TYPE_PAGE)


static const char * const kind_names[] = { "heatmap", "timeline", "genres", "artists" };

static void ts_explore_page_refresh (TsExplorePage *self);

/* ---- pickers ---------------------------------------------------------- */

static void
picker_clear (Picker *picker)
{
  g_clear_pointer (&picker->table, ts_group_table_unref);
  g_clear_pointer (&picker->by_count, g_free);
  g_clear_pointer (&picker->folded, g_strfreev);
  g_clear_pointer (&picker->chosen, g_ptr_array_unref);
}

static int
compare_by_count (gconstpointer a,
                  gconstpointer b,
                  gpointer      data)
{
  TsGroupTable *table = data;
  double ca = ts_group_table_get_count (table, *(const guint *) a);
  double cb = ts_group_table_get_count (table, *(const guint *) b);

  if (ca != cb)
    return ca > cb ? -1 : 1;
  return *(const guint *) a < *(const guint *) b ? -1 : 1;
}

static void
picker_set_table (Picker             *picker,
                  TsGroupTable       *table,
                  const char * const *preferred)
{
  guint n;

  g_assert (picker != NULL);

  picker_clear (picker);
  picker->chosen = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_set_sensitive (GTK_WIDGET (picker->button), table != NULL);
  if (table == NULL)
    return;

  picker->table = ts_group_table_ref (table);
  n = ts_group_table_get_n_groups (table);
  picker->by_count = g_new (guint, MAX (n, 1));
  picker->folded = g_new0 (char *, n + 1);
  for (guint g = 0; g < n; g++)
    {
      picker->by_count[g] = g;
      picker->folded[g] = ts_fold_for_search (ts_group_table_get_name (table, g));
    }
  g_qsort_with_data (picker->by_count, (gint) n, sizeof (guint), compare_by_count, table);

  {
    g_auto(GStrv) defaults = ts_group_table_pick_defaults (table, preferred, N_DEFAULT_GROUPS);

    for (guint i = 0; defaults[i] != NULL; i++)
      g_ptr_array_add (picker->chosen, g_strdup (defaults[i]));
  }
}

static gboolean
picker_is_chosen (Picker     *picker,
                  const char *name)
{
  for (guint i = 0; i < picker->chosen->len; i++)
    if (g_str_equal (g_ptr_array_index (picker->chosen, i), name))
      return TRUE;
  return FALSE;
}

static void
on_pick_toggled_cb (GtkCheckButton *check,
                    Picker         *picker)
{
  const char *name = g_object_get_data (G_OBJECT (check), "ts-group-name");
  gboolean active = gtk_check_button_get_active (check);

  if (active && !picker_is_chosen (picker, name))
    g_ptr_array_add (picker->chosen, g_strdup (name));
  else if (!active)
    {
      for (guint i = 0; i < picker->chosen->len; i++)
        if (g_str_equal (g_ptr_array_index (picker->chosen, i), name))
          g_ptr_array_remove_index (picker->chosen, i);
    }
  ts_explore_page_refresh (picker->page);
}

static void
picker_add_row (Picker *picker,
                guint   group)
{
  const char *name = ts_group_table_get_name (picker->table, group);
  g_autofree char *count = NULL;
  GtkWidget *box, *check, *label;
  double songs = ts_group_table_get_count (picker->table, group);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  /* Room for an overlay scrollbar beside the counts. */
  gtk_widget_set_margin_end (box, 12);
  check = gtk_check_button_new_with_label (name);
  gtk_widget_set_hexpand (check, TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), picker_is_chosen (picker, name));
  g_object_set_data_full (G_OBJECT (check), "ts-group-name", g_strdup (name), g_free);
  g_signal_connect (check, "toggled", G_CALLBACK (on_pick_toggled_cb), picker);
  gtk_box_append (GTK_BOX (box), check);

  /* Translators: how many songs a genre or artist has */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'.0f song", "%'.0f songs",
                                        songs == 1 ? 1 : 2), songs);
  label = gtk_label_new (count);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_append (picker->list, box);
}

/* The chosen groups first, then the matches of the search with the most
 * songs. */
static void
picker_fill (Picker *picker)
{
  g_autofree char *query = NULL;
  GtkWidget *child;
  guint n_listed = 0;

  g_assert (picker != NULL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (picker->list))) != NULL)
    gtk_list_box_remove (picker->list, child);
  if (picker->table == NULL)
    return;

  query = ts_fold_for_search (gtk_editable_get_text (GTK_EDITABLE (picker->search)));
  for (guint i = 0; i < picker->chosen->len; i++)
    {
      int group = ts_group_table_lookup (picker->table, g_ptr_array_index (picker->chosen, i));

      if (group >= 0)
        picker_add_row (picker, (guint) group);
    }
  for (guint i = 0; i < ts_group_table_get_n_groups (picker->table) &&
                    n_listed < MAX_PICKER_ROWS; i++)
    {
      guint group = picker->by_count[i];

      if (picker_is_chosen (picker, ts_group_table_get_name (picker->table, group)))
        continue;
      if (query[0] != '\0' && strstr (picker->folded[group], query) == NULL)
        continue;
      picker_add_row (picker, group);
      n_listed++;
    }
}

/* Enter in the search: adds the group named exactly so, else the first
 * match with the most songs, and starts a new search. */
static void
picker_activate (Picker *picker)
{
  g_autofree char *query = NULL;
  int found = -1;
  guint n;

  g_assert (picker != NULL);

  if (picker->table == NULL)
    return;
  query = ts_fold_for_search (gtk_editable_get_text (GTK_EDITABLE (picker->search)));
  if (query[0] == '\0')
    return;
  n = ts_group_table_get_n_groups (picker->table);
  for (guint i = 0; i < n && found < 0; i++)
    if (g_str_equal (picker->folded[picker->by_count[i]], query))
      found = (int) picker->by_count[i];
  for (guint i = 0; i < n && found < 0; i++)
    {
      guint group = picker->by_count[i];

      if (strstr (picker->folded[group], query) != NULL &&
          !picker_is_chosen (picker, ts_group_table_get_name (picker->table, group)))
        found = (int) group;
    }
  if (found < 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (picker->search));
      return;
    }
  if (!picker_is_chosen (picker, ts_group_table_get_name (picker->table, (guint) found)))
    {
      g_ptr_array_add (picker->chosen,
                       g_strdup (ts_group_table_get_name (picker->table, (guint) found)));
      ts_explore_page_refresh (picker->page);
    }
  gtk_editable_set_text (GTK_EDITABLE (picker->search), "");
  picker_fill (picker);
}

static void
picker_clear_chosen (Picker *picker)
{
  g_assert (picker != NULL);

  if (picker->chosen == NULL || picker->chosen->len == 0)
    return;
  g_ptr_array_set_size (picker->chosen, 0);
  picker_fill (picker);
  ts_explore_page_refresh (picker->page);
}

/* The picker whose popover holds @widget. */
static Picker *
picker_of (TsExplorePage *self,
           GtkWidget     *widget)
{
  GtkWidget *genres = GTK_WIDGET (self->genres_popover);

  return widget == genres || gtk_widget_is_ancestor (widget, genres) ? &self->genres
                                                                     : &self->artists;
}

static void
on_picker_show_cb (TsExplorePage *self,
                   GtkWidget     *popover)
{
  picker_fill (picker_of (self, popover));
}

static void
on_picker_search_changed_cb (TsExplorePage *self,
                             GtkWidget     *entry)
{
  picker_fill (picker_of (self, entry));
}

static void
on_picker_search_activate_cb (TsExplorePage *self,
                              GtkWidget     *entry)
{
  picker_activate (picker_of (self, entry));
}

static void
on_picker_clear_cb (TsExplorePage *self,
                    GtkWidget     *button)
{
  picker_clear_chosen (picker_of (self, button));
}

/* ---- features --------------------------------------------------------- */

static gboolean *
current_features (TsExplorePage *self)
{
  return self->kind == TS_CHART_HEATMAP ? self->heatmap_features : self->series_features;
}

static void
sync_feature_checks (TsExplorePage *self)
{
  gboolean *chosen = current_features (self);

  self->updating_checks = TRUE;
  for (guint f = 0; f < TS_N_FEATURES; f++)
    gtk_check_button_set_active (self->feature_checks[f], chosen[f]);
  self->updating_checks = FALSE;
}

static void
on_feature_toggled_cb (GtkCheckButton *check,
                       TsExplorePage  *self)
{
  gboolean *chosen = current_features (self);
  guint feature = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "ts-feature"));
  guint n_chosen = 0;

  if (self->updating_checks)
    return;
  chosen[feature] = gtk_check_button_get_active (check);
  for (guint f = 0; f < TS_N_FEATURES; f++)
    n_chosen += chosen[f];
  if (n_chosen == 0)
    {
      /* A chart needs a feature: the last one stays. */
      chosen[feature] = TRUE;
      sync_feature_checks (self);
      return;
    }
  ts_explore_page_refresh (self);
}

/* The chosen features the dataset has; all it has when none of them is
 * (the only one chosen was popularity, and the 1.2M set has none). */
static guint
collect_features (TsExplorePage *self,
                  TsFeature     *features)
{
  gboolean *chosen = current_features (self);
  guint n = 0;

  for (guint f = 0; f < TS_N_FEATURES; f++)
    if (chosen[f] && ts_dataset_has_feature (self->dataset, f))
      features[n++] = (TsFeature) f;
  for (guint f = 0; n == 0 && f < TS_N_FEATURES; f++)
    if (ts_dataset_has_feature (self->dataset, f))
      features[n++] = (TsFeature) f;
  return n;
}

static void
build_feature_checks (TsExplorePage *self)
{
  for (guint f = 0; f < TS_N_FEATURES; f++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (ts_feature_get_label (f));

      g_object_set_data (G_OBJECT (check), "ts-feature", GUINT_TO_POINTER (f));
      g_signal_connect (check, "toggled", G_CALLBACK (on_feature_toggled_cb), self);
      gtk_box_append (self->features_box, check);
      self->feature_checks[f] = GTK_CHECK_BUTTON (check);
      self->heatmap_features[f] = TRUE;
    }
  {
    const TsFeature *defaults;
    guint n = ts_chart_get_default_features (&defaults);

    for (guint i = 0; i < n; i++)
      self->series_features[defaults[i]] = TRUE;
  }
}

/* ---- preparing a chart ------------------------------------------------ */

/* What a worker thread prepares: the numbers, never Pango or Cairo. */
typedef struct
{
  TsDataset        *dataset;
  TsChartKind       kind;
  TsCorrMethod      method;
  TsFeature         features[TS_N_FEATURES];
  guint             n_features;
  char            **groups;
  gboolean          normalize;
  /* Results */
  TsCorrMatrix     *matrix;
  TsGroupTable     *by_year;
  TsGroupSelection *selection;
} Preparation;

static void
preparation_free (Preparation *prep)
{
  g_clear_object (&prep->dataset);
  g_clear_pointer (&prep->groups, g_strfreev);
  g_clear_pointer (&prep->matrix, ts_corr_matrix_unref);
  g_clear_pointer (&prep->by_year, ts_group_table_unref);
  g_clear_pointer (&prep->selection, ts_group_selection_free);
  g_free (prep);
}

static void
prepare_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Preparation *prep = task_data;
  TsGroupTable *table = NULL;

  switch (prep->kind)
    {
    case TS_CHART_HEATMAP:
      prep->matrix = ts_corr_matrix_new (prep->dataset, prep->method, prep->features,
                                         prep->n_features, 0);
      break;
    case TS_CHART_TIMELINE:
      prep->by_year = ts_group_table_ref (ts_dataset_get_by_year (prep->dataset));
      break;
    case TS_CHART_GENRES:
    case TS_CHART_ARTISTS:
      table = prep->kind == TS_CHART_GENRES ? ts_dataset_get_by_genre (prep->dataset)
                                            : ts_dataset_get_by_artist (prep->dataset);
      if (table != NULL)
        prep->selection = ts_group_selection_new (table, (const char * const *) prep->groups,
                                                  prep->features, prep->n_features, NULL);
      break;
    default:
      g_assert_not_reached ();
    }
  g_task_return_boolean (task, TRUE);
}

static TsChart *
chart_from_preparation (Preparation *prep)
{
  gboolean normalize = prep->normalize;

  switch (prep->kind)
    {
    case TS_CHART_HEATMAP:
      return ts_chart_heatmap_new (prep->matrix);
    case TS_CHART_TIMELINE:
      /* Tempo and valence only share an axis when scaled. */
      normalize |= ts_chart_timeline_needs_normalize (prep->features, prep->n_features);
      return ts_chart_timeline_new (prep->by_year, prep->features, prep->n_features, normalize);
    case TS_CHART_GENRES:
    case TS_CHART_ARTISTS:
      if (prep->selection == NULL || prep->selection->n_groups == 0)
        return NULL;
      return ts_chart_bars_new (prep->kind, g_steal_pointer (&prep->selection),
                                TS_CHART_DEFAULT_THIN_COUNT);
    default:
      g_assert_not_reached ();
    }
}

static void
on_prepared_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TsExplorePage *self = TS_EXPLORE_PAGE (source);
  GTask *task = G_TASK (result);
  Preparation *prep = g_task_get_task_data (task);
  TsChart *chart;

  if (g_task_get_cancellable (task) != self->cancellable ||
      g_cancellable_is_cancelled (self->cancellable))
    return;
  ts_page_set_busy (TS_PAGE (self), NULL);
  chart = chart_from_preparation (prep);
  gtk_label_set_label (self->empty_label, prep->kind == TS_CHART_GENRES
                                          ? _("Choose genres to compare")
                                          : _("Choose artists to compare"));
  ts_chart_view_set_placeholder (self->chart_view, gtk_label_get_label (self->empty_label));
  ts_chart_view_set_chart (self->chart_view, chart);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "explore.export", chart != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), chart == NULL);
}

static void
update_controls (TsExplorePage *self)
{
  g_assert (TS_IS_EXPLORE_PAGE (self));

  /* The method's flow box child, or it would leave a gap. */
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->method_box)),
                          self->kind == TS_CHART_HEATMAP);
  gtk_widget_set_visible (GTK_WIDGET (self->genres_button), self->kind == TS_CHART_GENRES);
  gtk_widget_set_visible (GTK_WIDGET (self->artists_button), self->kind == TS_CHART_ARTISTS);
  gtk_widget_set_visible (GTK_WIDGET (self->normalize_check), self->kind == TS_CHART_TIMELINE);
  sync_feature_checks (self);
}

static void
ts_explore_page_refresh (TsExplorePage *self)
{
  g_autoptr(GTask) task = NULL;
  Preparation *prep;
  Picker *picker = NULL;

  g_assert (TS_IS_EXPLORE_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->dataset == NULL)
    return;
  self->cancellable = g_cancellable_new ();

  prep = g_new0 (Preparation, 1);
  prep->dataset = g_object_ref (self->dataset);
  prep->kind = self->kind;
  prep->method = self->method;
  prep->normalize = self->normalize;
  prep->n_features = collect_features (self, prep->features);
  if (self->kind == TS_CHART_GENRES)
    picker = &self->genres;
  else if (self->kind == TS_CHART_ARTISTS)
    picker = &self->artists;
  if (picker != NULL && picker->chosen != NULL)
    {
      prep->groups = g_new0 (char *, picker->chosen->len + 1);
      for (guint i = 0; i < picker->chosen->len; i++)
        prep->groups[i] = g_strdup (g_ptr_array_index (picker->chosen, i));
    }

  /* The chart has no status line: the spinner over it is enough. */
  ts_page_set_busy (TS_PAGE (self), "");
  task = g_task_new (self, self->cancellable, on_prepared_cb, NULL);
  g_task_set_source_tag (task, ts_explore_page_refresh);
  g_task_set_task_data (task, prep, (GDestroyNotify) preparation_free);
  g_task_run_in_thread (task, prepare_thread);
}

/* ---- options ---------------------------------------------------------- */

static void
on_kind_toggled_cb (TsExplorePage   *self,
                    GtkToggleButton *toggle)
{
  TsChartKind kind;

  if (!gtk_toggle_button_get_active (toggle))
    return;
  if (toggle == self->timeline_toggle)
    kind = TS_CHART_TIMELINE;
  else if (toggle == self->genres_toggle)
    kind = TS_CHART_GENRES;
  else if (toggle == self->artists_toggle)
    kind = TS_CHART_ARTISTS;
  else
    kind = TS_CHART_HEATMAP;
  if (kind == self->kind)
    return;
  self->kind = kind;
  update_controls (self);
  ts_explore_page_refresh (self);
}

static void
on_method_toggled_cb (TsExplorePage   *self,
                      GtkToggleButton *toggle)
{
  TsCorrMethod method;

  if (!gtk_toggle_button_get_active (toggle))
    return;
  if (toggle == self->spearman_toggle)
    method = TS_CORR_SPEARMAN;
  else if (toggle == self->kendall_toggle)
    method = TS_CORR_KENDALL;
  else
    method = TS_CORR_PEARSON;
  if (method == self->method)
    return;
  self->method = method;
  ts_explore_page_refresh (self);
}

static void
on_normalize_toggled_cb (TsExplorePage *self)
{
  self->normalize = gtk_check_button_get_active (self->normalize_check);
  ts_explore_page_refresh (self);
}

/* ---- export ----------------------------------------------------------- */

static void
ts_explore_page_toast (TsExplorePage *self,
                       const char    *message)
{
  ts_page_show_toast (TS_PAGE (self), message, 5);
}

static void
on_export_response_cb (GtkNativeDialog *chooser,
                       int              response,
                       TsExplorePage   *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *suffix = g_strconcat (".", self->export_format, NULL);

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      ts_explore_page_toast (self, _("Charts can only be saved on this computer"));
      return;
    }
  /* The format chosen from the menu, whatever the name typed. */
  lower = g_ascii_strdown (path, -1);
  if (!g_str_has_suffix (lower, suffix))
    {
      char *with_suffix = g_strconcat (path, suffix, NULL);

      g_free (path);
      path = with_suffix;
    }

  if (ts_chart_view_export (self->chart_view, path, EXPORT_WIDTH, EXPORT_HEIGHT, &error))
    {
      g_autofree char *name = g_path_get_basename (path);
      /* Translators: %s is a file name */
      g_autofree char *message = g_strdup_printf (_("Saved “%s”"), name);

      ts_explore_page_toast (self, message);
    }
  else
    ts_explore_page_toast (self, error->message);
}

static void
ts_explore_page_export_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  TsExplorePage *self = TS_EXPLORE_PAGE (widget);
  const char *format = g_variant_get_string (parameter, NULL);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *pattern = g_strconcat ("*.", format, NULL);
  g_autofree char *name = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->chooser != NULL || ts_chart_view_get_chart (self->chart_view) == NULL)
    return;
  if (!g_str_equal (format, "png") && !g_str_equal (format, "svg") && !g_str_equal (format, "pdf"))
    return;

  g_free (self->export_format);
  self->export_format = g_strdup (format);
  self->chooser = gtk_file_chooser_native_new (_("Export the Chart"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_filter_set_name (filter, g_str_equal (format, "png") ? _("PNG Images")
                                    : g_str_equal (format, "svg") ? _("SVG Images")
                                    : _("PDF Documents"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  name = g_strdup_printf ("tunescope-%s.%s", kind_names[self->kind], format);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- the dataset ------------------------------------------------------ */

/* The group tables are derived on first use, tens of milliseconds on the
 * full dataset: a worker does it before the pickers read them. */
static void
aggregates_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ts_dataset_get_by_genre (TS_DATASET (task_data));
  g_task_return_boolean (task, TRUE);
}

static void
on_aggregates_ready_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  TsExplorePage *self = TS_EXPLORE_PAGE (source);
  TsDataset *dataset = g_task_get_task_data (G_TASK (result));

  /* Superseded by another dataset, or the page is gone. */
  if (dataset != self->dataset)
    return;

  picker_set_table (&self->genres, ts_dataset_get_by_genre (dataset),
                    ts_chart_get_default_genres ());
  picker_set_table (&self->artists, ts_dataset_get_by_artist (dataset), NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->genres_toggle),
                               self->genres.table != NULL
                               ? _("The features of chosen genres")
                               : _("This dataset has no genres: data_w_genres.csv is missing"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->genres_toggle), self->genres.table != NULL);
  if (self->kind == TS_CHART_GENRES && self->genres.table == NULL)
    gtk_toggle_button_set_active (self->heatmap_toggle, TRUE);
  update_controls (self);
  ts_explore_page_refresh (self);
}

static void
ts_explore_page_dataset_changed (TsPage    *page,
                                 TsDataset *dataset)
{
  TsExplorePage *self = TS_EXPLORE_PAGE (page);
  g_autoptr(GTask) task = NULL;

  self->dataset = dataset;
  g_cancellable_cancel (self->cancellable);
  ts_chart_view_set_chart (self->chart_view, NULL);
  picker_set_table (&self->genres, NULL, NULL);
  picker_set_table (&self->artists, NULL, NULL);
  if (dataset == NULL)
    return;
  /* A feature the dataset lacks is no chart's: no box to tick. */
  for (guint f = 0; f < TS_N_FEATURES; f++)
    gtk_widget_set_visible (GTK_WIDGET (self->feature_checks[f]),
                            ts_dataset_has_feature (dataset, f));

  ts_page_set_busy (page, "");
  task = g_task_new (self, NULL, on_aggregates_ready_cb, NULL);
  g_task_set_source_tag (task, ts_explore_page_dataset_changed);
  g_task_set_task_data (task, g_object_ref (dataset), g_object_unref);
  g_task_run_in_thread (task, aggregates_thread);
}

/* ---- the class -------------------------------------------------------- */

static void
ts_explore_page_dispose (GObject *object)
{
  TsExplorePage *self = TS_EXPLORE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), TS_TYPE_EXPLORE_PAGE);
  self->dataset = NULL;
  picker_clear (&self->genres);
  picker_clear (&self->artists);

  G_OBJECT_CLASS (ts_explore_page_parent_class)->dispose (object);
}

static void
ts_explore_page_finalize (GObject *object)
{
  TsExplorePage *self = TS_EXPLORE_PAGE (object);

  g_free (self->export_format);

  G_OBJECT_CLASS (ts_explore_page_parent_class)->finalize (object);
}

static void
ts_explore_page_class_init (TsExplorePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ts_explore_page_dispose;
  object_class->finalize = ts_explore_page_finalize;
  TS_PAGE_CLASS (klass)->dataset_changed = ts_explore_page_dataset_changed;

  gtk_widget_class_install_action (widget_class, "explore.export", "s",
                                   ts_explore_page_export_action);

  g_type_ensure (TS_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ts-explore-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, method_box);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, heatmap_toggle);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, timeline_toggle);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, genres_toggle);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, artists_toggle);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, pearson_toggle);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, spearman_toggle);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, kendall_toggle);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, features_box);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, genres_button);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, genres_popover);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, genres_search);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, genres_list);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, artists_button);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, artists_popover);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, artists_search);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, artists_list);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, normalize_check);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, export_button);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, chart_view);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_method_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_normalize_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_picker_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_picker_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_picker_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_picker_clear_cb);
  gtk_widget_class_bind_template_child (widget_class, TsExplorePage, empty_label);
}

static void
ts_explore_page_init (TsExplorePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->genres = (Picker) { self, self->genres_button, self->genres_search, self->genres_list };
  self->artists = (Picker) { self, self->artists_button, self->artists_search,
                             self->artists_list };
  picker_set_table (&self->genres, NULL, NULL);
  picker_set_table (&self->artists, NULL, NULL);
  build_feature_checks (self);
  update_controls (self);
}
