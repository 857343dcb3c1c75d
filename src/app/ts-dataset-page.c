/* ts-dataset-page.c: the Dataset page (first run, progress, summary)
 *
 * The page only shows state; the window owns the loading and wires the
 * buttons through its actions (win.open, win.download, win.cancel).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-dataset-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ts-dataset-page.h"

struct _TsDatasetPage
{
  TsPage          parent_instance;

  TsDataset      *dataset;  /* the page's, kept by TsPage */
  GPtrArray      *reason_rows;

  GtkStack       *stack;
  AdwStatusPage  *progress_page;
  GtkProgressBar *progress_bar;
  AdwStatusPage  *error_page;
  AdwPreferencesPage *summary_page;
  AdwPreferencesGroup *overview_group;
  GtkLabel       *tracks_label;
  GtkLabel       *years_label;
  GtkLabel       *artists_label;
  GtkLabel       *genres_label;
  AdwActionRow   *no_skipped_row;
  AdwExpanderRow *skipped_row;
  GtkLabel       *skipped_label;
  GtkLabel       *format_label;
  AdwActionRow   *columns_row;
  AdwActionRow   *companions_row;
  GtkLabel       *load_time_label;
};

G_DEFINE_FINAL_TYPE (TsDatasetPage, ts_dataset_page, TS_TYPE_PAGE)

/* A count with the locale's thousands separator ("25,309", "25.309"). */
static char *
format_count (guint count)
{
  return g_strdup_printf ("%'u", count);
}

static void
set_count (GtkLabel *label,
           guint     count)
{
  g_autofree char *text = format_count (count);

  gtk_label_set_label (label, text);
}

static char *
join_or_none (const char * const *items)
{
  if (items == NULL || items[0] == NULL)
    return g_strdup (_("None"));
  return g_strjoinv (", ", (char **) items);
}

/* A folder as people read it: "~/Downloads/spotify" for one under home. */
static char *
format_folder (GFile *folder)
{
  g_autoptr(GFile) home = g_file_new_for_path (g_get_home_dir ());
  g_autofree char *relative = NULL;

  if (g_file_equal (folder, home))
    return g_strdup ("~");
  relative = g_file_get_relative_path (home, folder);
  if (relative != NULL)
    return g_build_filename ("~", relative, NULL);
  return g_file_get_parse_name (folder);
}

static void
ts_dataset_page_clear_reasons (TsDatasetPage *self)
{
  g_assert (TS_IS_DATASET_PAGE (self));

  for (guint i = 0; i < self->reason_rows->len; i++)
    adw_expander_row_remove (self->skipped_row, g_ptr_array_index (self->reason_rows, i));
  g_ptr_array_set_size (self->reason_rows, 0);
}

static void
ts_dataset_page_update_skipped (TsDatasetPage *self)
{
  const char * const *reasons = ts_dataset_get_skipped_reasons (self->dataset);
  guint n_skipped = ts_dataset_get_n_skipped (self->dataset);
  guint n_reasons = 0;

  ts_dataset_page_clear_reasons (self);
  set_count (self->skipped_label, n_skipped);

  for (; reasons != NULL && reasons[n_reasons] != NULL; n_reasons++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), reasons[n_reasons]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_expander_row_add_row (self->skipped_row, row);
      g_ptr_array_add (self->reason_rows, row);
    }

  /* Nothing skipped: a plain row, without an arrow that opens nothing. */
  gtk_widget_set_visible (GTK_WIDGET (self->no_skipped_row), n_skipped == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->skipped_row), n_skipped > 0);
  adw_expander_row_set_enable_expansion (self->skipped_row, n_reasons > 0);
  adw_expander_row_set_subtitle (self->skipped_row,
                                 n_reasons == 0 ? NULL
                                 : n_reasons < n_skipped ? _("The first ones, with their reasons")
                                 : _("With their reasons"));
}

static void
ts_dataset_page_update_overview (TsDatasetPage *self)
{
  g_autoptr(GFile) file = g_file_new_for_path (ts_dataset_get_path (self->dataset));
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *where = folder != NULL ? format_folder (folder) : NULL;
  int min_year = 0, max_year = 0;
  g_autofree char *years = NULL;

  adw_preferences_group_set_title (self->overview_group, name);
  adw_preferences_group_set_description (self->overview_group, where);

  set_count (self->tracks_label, ts_dataset_get_n_rows (self->dataset));
  set_count (self->artists_label, ts_dataset_get_n_artists (self->dataset));
  set_count (self->genres_label, ts_dataset_get_n_genres (self->dataset));

  ts_dataset_get_year_range (self->dataset, &min_year, &max_year);
  /* Translators: a range of years, e.g. "1921 – 2020" */
  years = g_strdup_printf (_("%d – %d"), min_year, max_year);
  gtk_label_set_label (self->years_label, years);
}

static const char *
format_name (TsDatasetSchema schema)
{
  switch (schema)
    {
    case TS_DATASET_SCHEMA_TIDYTUESDAY: return _("TidyTuesday spotify_songs.csv");
    case TS_DATASET_SCHEMA_TRACKS_600K: return _("Kaggle 600k tracks.csv");
    case TS_DATASET_SCHEMA_TRACKS_1M:   return _("Kaggle 1.2M tracks_features.csv");
    case TS_DATASET_SCHEMA_KAGGLE:
    default:                            return _("Kaggle data.csv");
    }
}

static void
ts_dataset_page_update_details (TsDatasetPage *self)
{
  g_autofree char *columns = join_or_none (ts_dataset_get_columns (self->dataset));
  g_autofree char *companions = join_or_none (ts_dataset_get_companions (self->dataset));
  g_autofree char *load_time = NULL;

  gtk_label_set_label (self->format_label, format_name (ts_dataset_get_schema (self->dataset)));
  adw_action_row_set_subtitle (self->columns_row, columns);
  adw_action_row_set_subtitle (self->companions_row, companions);

  /* Translators: a load time in seconds, e.g. "0.42 s" */
  load_time = g_strdup_printf (_("%.2f s"), ts_dataset_get_load_ms (self->dataset) / 1000.0);
  gtk_label_set_label (self->load_time_label, load_time);
}

/* Shows @dataset's summary, or the first-run page when it is NULL. */
static void
ts_dataset_page_dataset_changed (TsPage    *page,
                                 TsDataset *dataset)
{
  TsDatasetPage *self = TS_DATASET_PAGE (page);

  self->dataset = dataset;
  if (dataset != NULL)
    {
      ts_dataset_page_update_overview (self);
      ts_dataset_page_update_skipped (self);
      ts_dataset_page_update_details (self);
    }
  ts_dataset_page_show_current (self);
}

/* Back to the summary, or to the first-run page without a dataset (after
 * a cancelled or failed operation). */
void
ts_dataset_page_show_current (TsDatasetPage *self)
{
  g_return_if_fail (TS_IS_DATASET_PAGE (self));

  gtk_stack_set_visible_child_name (self->stack, self->dataset != NULL ? "summary" : "empty");
}

void
ts_dataset_page_show_progress (TsDatasetPage *self,
                               const char    *icon_name,
                               const char    *title,
                               const char    *description)
{
  g_return_if_fail (TS_IS_DATASET_PAGE (self));
  g_return_if_fail (title != NULL);

  adw_status_page_set_icon_name (self->progress_page, icon_name);
  adw_status_page_set_title (self->progress_page, title);
  adw_status_page_set_description (self->progress_page, description);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_stack_set_visible_child_name (self->stack, "progress");
}

/* @fraction is in [0,1], or negative when unknown (the bar pulses). */
void
ts_dataset_page_set_progress (TsDatasetPage *self,
                              double         fraction,
                              const char    *message)
{
  g_return_if_fail (TS_IS_DATASET_PAGE (self));

  if (fraction < 0.0)
    gtk_progress_bar_pulse (self->progress_bar);
  else
    gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));

  if (message != NULL && *message != '\0')
    adw_status_page_set_description (self->progress_page, message);
}

void
ts_dataset_page_show_error (TsDatasetPage *self,
                            const char    *title,
                            const char    *message)
{
  g_return_if_fail (TS_IS_DATASET_PAGE (self));
  g_return_if_fail (title != NULL);

  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
ts_dataset_page_dispose (GObject *object)
{
  TsDatasetPage *self = TS_DATASET_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TS_TYPE_DATASET_PAGE);
  self->dataset = NULL;

  G_OBJECT_CLASS (ts_dataset_page_parent_class)->dispose (object);
}

static void
ts_dataset_page_finalize (GObject *object)
{
  TsDatasetPage *self = TS_DATASET_PAGE (object);

  g_clear_pointer (&self->reason_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (ts_dataset_page_parent_class)->finalize (object);
}

static void
ts_dataset_page_class_init (TsDatasetPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ts_dataset_page_dispose;
  object_class->finalize = ts_dataset_page_finalize;
  TS_PAGE_CLASS (klass)->dataset_changed = ts_dataset_page_dataset_changed;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ts-dataset-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsDatasetPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TsDatasetPage, progress_page);
  gtk_widget_class_bind_template_child (widget_class, TsDatasetPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TsDatasetPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, TsDatasetPage, summary_page);
  gtk_widget_class_bind_template_child (widget_class, TsDatasetPage, overview_group);
  gtk_widget_class_bind_template_child (widget_class, TsDatasetPage, tracks_label);
  gtk_widget_class_bind_template_child (widget_class, TsDatasetPage, years_label);
  gtk_widget_class_bind_template_child (widget_class, TsDatasetPage, artists_label);
  gtk_widget_class_bind_template_child (widget_class, TsDatasetPage, genres_label);
  gtk_widget_class_bind_template_child (widget_class, TsDatasetPage, no_skipped_row);
  gtk_widget_class_bind_template_child (widget_class, TsDatasetPage, skipped_row);
  gtk_widget_class_bind_template_child (widget_class, TsDatasetPage, skipped_label);
  gtk_widget_class_bind_template_child (widget_class, TsDatasetPage, format_label);
  gtk_widget_class_bind_template_child (widget_class, TsDatasetPage, columns_row);
  gtk_widget_class_bind_template_child (widget_class, TsDatasetPage, companions_row);
  gtk_widget_class_bind_template_child (widget_class, TsDatasetPage, load_time_label);
}

static void
ts_dataset_page_init (TsDatasetPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->reason_rows = g_ptr_array_new ();
}
