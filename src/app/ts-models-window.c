/* ts-models-window.c: the Models dialog
 *
 * Lists every file of the models folder (any kind, read through its
 * safetensors metadata) and trains the predictor or the autoencoder with
 * the options of the form on a worker (ts_model_retrain_async), showing
 * each epoch in a TsLossChart. The file in use is replaced only when a
 * run finishes; then every TsSpaceCache drops the spaces built from the
 * old model (ts_space_cache_invalidate_all), and the pages rebuild them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-models-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ts-app-util.h"
#include "ts-loss-chart.h"
#include "ts-models-window.h"
#include "ts-space-cache.h"

struct _TsModelsWindow
{
  AdwPreferencesWindow parent_instance;

  TsDataset           *dataset;
  GCancellable        *cancellable;  /* the running training, else NULL */
  gboolean             closed;

  /* Template widgets */
  GtkListBox          *models_list;
  AdwActionRow        *kind_row;
  GtkDropDown         *kind_dropdown;
  GtkSpinButton       *epochs_spin;
  AdwEntryRow         *hidden_row;
  AdwComboRow         *activation_row;
  AdwComboRow         *optimizer_row;
  AdwEntryRow         *lr_row;
  AdwComboRow         *loss_row;
  GtkSpinButton       *dropout_spin;
  GtkProgressBar      *progress_bar;
  GtkButton           *cancel_button;
  GtkButton           *train_button;
  TsLossChart         *loss_chart;
};

G_DEFINE_FINAL_TYPE (TsModelsWindow, ts_models_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
ts_models_window_toast (TsModelsWindow *self,
                        const char     *message)
{
  ts_toast_add (GTK_WIDGET (self), ts_toast_new (message, 6));
}

/* ---- the list ---------------------------------------------------------- */

static const char *
kind_title (const char *kind)
{
  if (kind == NULL)
    return _("Unreadable File");
  if (g_str_equal (kind, "predictor"))
    return _("Popularity Predictor");
  if (g_str_equal (kind, "autoencoder"))
    return _("Autoencoder");
  if (g_str_equal (kind, "cnn"))
    return _("Cover-Art CNN");
  if (g_str_equal (kind, "unknown"))
    return _("Model of Another Kind");
  return kind;
}

static char *
describe_file (const TsModelFile *file)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (file->mtime);
  g_autofree char *date = when != NULL ? g_date_time_format (when, "%Y-%m-%d %H:%M") : g_strdup ("");
  g_autofree char *size = g_format_size (file->size);
  /* What tells models apart; the rest is in the file. */
  static const char *training_skip[] = { "model", "seed", "val_split", NULL };
  static const char *validation_skip[] = { "train_rows", "val_rows", "baseline_mse", "loss", NULL };
  g_autofree char *training = ts_model_file_summarize (file, "training", training_skip);
  g_autofree char *validation = ts_model_file_summarize (file, "validation", validation_skip);
  g_autoptr(GString) text = g_string_new (NULL);

  /* Translators: a model file's name, size and date */
  g_string_append_printf (text, _("%s · %s · %s"), file->name, size, date);
  if (file->error != NULL)
    g_string_append_printf (text, "\n%s", file->error);
  if (training != NULL)
    g_string_append_printf (text, "\n%s %s", _("Options:"), training);
  if (g_hash_table_contains (file->metadata, "backbone"))
    {
      TsNnBackbone *backbone = ts_cnn_get_backbone (NULL);

      /* Translators: the pretrained image network a model builds on, and where it is from */
      g_string_append_printf (text, _("\nBackbone: %s, %s, licence: %s"),
                              (const char *) g_hash_table_lookup (file->metadata, "backbone"),
                              backbone != NULL ? ts_nn_backbone_get_metadata (backbone, "source")
                                               : _("not in this build"),
                              backbone != NULL ? ts_nn_backbone_get_metadata (backbone, "licence")
                                               : "?");
    }
  /* A model trained on every row has no validation figures to show. */
  if (validation != NULL && ts_model_file_has_validation (file))
    g_string_append_printf (text, "\n%s %s", _("Validation:"), validation);
  else if (validation != NULL)
    g_string_append_printf (text, "\n%s %s", _("No validation split: kept the last epoch;"),
                            validation);
  return g_markup_escape_text (text->str, -1);
}

static GtkWidget *
model_row_new (const TsModelFile *file)
{
  g_autofree char *subtitle = describe_file (file);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (file->kind != NULL ? "applications-science-symbolic"
                                                                     : "dialog-warning-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), kind_title (file->kind));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (row, "property");
  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

void
ts_models_window_reload (TsModelsWindow *self)
{
  g_autofree char *folder = ts_model_folder ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;

  g_return_if_fail (TS_IS_MODELS_WINDOW (self));

  clear_list (self->models_list);
  files = ts_model_list_folder (folder, &error);
  if (files == NULL || files->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     files == NULL ? _("Cannot Read the Models Folder")
                                                   : _("No Trained Models Yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   files == NULL ? error->message
                                                 : _("Models train on first use of a space, or here."));
      gtk_list_box_append (self->models_list, row);
      return;
    }
  for (guint i = 0; i < files->len; i++)
    gtk_list_box_append (self->models_list, model_row_new (g_ptr_array_index (files, i)));
}

/* ---- the form ---------------------------------------------------------- */

typedef const char *(*NameFunc) (guint value);

static const char *
activation_name (guint value)
{
  return ts_nn_activation_get_name ((TsNnActivation) value);
}

static const char *
optimizer_name (guint value)
{
  return ts_nn_optimizer_get_name ((TsNnOptimizer) value);
}

static const char *
loss_name (guint value)
{
  return ts_nn_loss_get_name ((TsNnLoss) value);
}

static void
fill_combo (AdwComboRow *row,
            NameFunc     name_of,
            guint        n)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (names, name_of (i));
  adw_combo_row_set_model (row, G_LIST_MODEL (names));
}

static TsModelKind
selected_kind (TsModelsWindow *self)
{
  return gtk_drop_down_get_selected (self->kind_dropdown) == 0 ? TS_MODEL_PREDICTOR : TS_MODEL_AUTOENCODER;
}

static void
set_form (TsModelsWindow       *self,
          const TsModelOptions *options)
{
  g_autofree char *hidden = ts_model_options_dup_hidden (options);
  char lr[G_ASCII_DTOSTR_BUF_SIZE];

  gtk_spin_button_set_value (self->epochs_spin, options->epochs);
  gtk_editable_set_text (GTK_EDITABLE (self->hidden_row), hidden);
  adw_combo_row_set_selected (self->activation_row, options->activation);
  adw_combo_row_set_selected (self->optimizer_row, options->optimizer);
  g_ascii_formatd (lr, sizeof lr, "%g", options->lr);
  gtk_editable_set_text (GTK_EDITABLE (self->lr_row), lr);
  adw_combo_row_set_selected (self->loss_row, options->loss);
  gtk_spin_button_set_value (self->dropout_spin, options->dropout);
}

/* The form starts from the options of the model in use when there is
 * one of the user's own, else from the kind's defaults. */
static void
on_kind_changed_cb (TsModelsWindow *self)
{
  TsModelKind kind = selected_kind (self);
  g_autofree char *path = ts_model_default_path (kind);
  g_autoptr(TsModel) model = NULL;
  TsModelOptions options;

  ts_model_options_init (&options, kind);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && (model = ts_model_load (path, NULL)) != NULL)
    options = *ts_model_get_options (model);
  set_form (self, &options);
}

static gboolean
read_form (TsModelsWindow *self,
           TsModelOptions *options,
           GError        **error)
{
  const char *lr_text = gtk_editable_get_text (GTK_EDITABLE (self->lr_row));
  char *end = NULL;
  double lr;

  ts_model_options_init (options, selected_kind (self));
  options->epochs = gtk_spin_button_get_value_as_int (self->epochs_spin);
  options->activation = adw_combo_row_get_selected (self->activation_row);
  options->optimizer = adw_combo_row_get_selected (self->optimizer_row);
  options->loss = adw_combo_row_get_selected (self->loss_row);
  options->dropout = (float) gtk_spin_button_get_value (self->dropout_spin);
  lr = g_ascii_strtod (lr_text, &end);
  if (end == lr_text || *end != '\0' || !isfinite (lr) || lr <= 0)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                   _("The learning rate “%s” is not a positive number"), lr_text);
      return FALSE;
    }
  options->lr = (float) lr;
  if (!ts_model_options_set_hidden (options, gtk_editable_get_text (GTK_EDITABLE (self->hidden_row)),
                                    error))
    return FALSE;
  return ts_model_options_check (options, error);
}

/* ---- training ---------------------------------------------------------- */

static void
set_training (TsModelsWindow *self,
              gboolean        training)
{
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), training);
  gtk_widget_set_sensitive (GTK_WIDGET (self->train_button), !training && self->dataset != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->kind_row), !training);
}

static void
on_epoch_cb (const TsNnEpochInfo *info,
             gpointer             user_data)
{
  TsModelsWindow *self = user_data;
  g_autofree char *text = NULL;

  if (self->closed)
    return;
  ts_loss_chart_add_epoch (self->loss_chart, info->epoch, info->loss, info->val_loss);
  gtk_progress_bar_set_fraction (self->progress_bar, (double) info->epoch / MAX (1, info->epochs));
  if (info->epoch < info->epochs && isfinite (info->eta_s))
    text = g_strdup_printf (_("Epoch %d of %d, about %.0f s left"), info->epoch, info->epochs,
                            ceil (info->eta_s));
  else
    text = g_strdup_printf (_("Epoch %d of %d"), info->epoch, info->epochs);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
on_trained_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TsModelsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsModel) model = ts_model_train_finish (result, &error);
  g_autofree char *message = NULL;

  g_clear_object (&self->cancellable);
  /* Every window's spaces built on the old model are stale. */
  if (model != NULL)
    ts_space_cache_invalidate_all ();
  if (self->closed)
    return;
  set_training (self, FALSE);
  if (model == NULL)
    {
      gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

      gtk_progress_bar_set_text (self->progress_bar, cancelled ? _("Cancelled") : _("Failed"));
      message = cancelled ? g_strdup (_("Training cancelled; the previous model is kept"))
                          : g_strdup_printf (_("Training failed: %s; the previous model is kept"),
                                             error->message);
      ts_models_window_toast (self, message);
      return;
    }
  {
    const TsModelReport *report = ts_model_get_report (model);
    char figure[G_ASCII_DTOSTR_BUF_SIZE];

    g_ascii_formatd (figure, sizeof figure, "%.4g", report->val_loss);
    if (report->n_val > 0)
      message = g_strdup_printf (_("Done in %d epochs, validation loss %s"), report->epochs_run,
                                 figure);
    else
      message = g_strdup_printf (_("Done in %d epochs, without validation"), report->epochs_run);
    gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
    gtk_progress_bar_set_text (self->progress_bar, message);
  }
  ts_models_window_toast (self, _("The new model is saved and in use"));
  ts_models_window_reload (self);
}

static void
on_train_clicked_cb (TsModelsWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  TsModelOptions options;

  if (self->dataset == NULL || self->cancellable != NULL)
    return;
  if (!read_form (self, &options, &error))
    {
      ts_models_window_toast (self, error->message);
      return;
    }
  path = ts_model_default_path (options.kind);
  self->cancellable = g_cancellable_new ();
  set_training (self, TRUE);
  ts_loss_chart_clear (self->loss_chart);
  ts_loss_chart_set_total_epochs (self->loss_chart, options.epochs);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Preparing the data…"));
  /* Focus scrolls the page to the chart, below the form. */
  gtk_widget_grab_focus (GTK_WIDGET (self->loss_chart));
  ts_model_retrain_async (self->dataset, &options, path, on_epoch_cb, g_object_ref (self),
                          g_object_unref, self->cancellable, on_trained_cb, g_object_ref (self));
}

static void
on_cancel_clicked_cb (TsModelsWindow *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* ---- the class --------------------------------------------------------- */

static gboolean
ts_models_window_close_request (GtkWindow *window)
{
  TsModelsWindow *self = TS_MODELS_WINDOW (window);

  /* A run that is not finished is thrown away; the model in use stays. */
  self->closed = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (ts_models_window_parent_class)->close_request (window);
}

static void
ts_models_window_dispose (GObject *object)
{
  TsModelsWindow *self = TS_MODELS_WINDOW (object);

  self->closed = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->dataset);
  gtk_widget_dispose_template (GTK_WIDGET (self), TS_TYPE_MODELS_WINDOW);

  G_OBJECT_CLASS (ts_models_window_parent_class)->dispose (object);
}

static void
ts_models_window_class_init (TsModelsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ts_models_window_dispose;
  window_class->close_request = ts_models_window_close_request;

  g_type_ensure (TS_TYPE_LOSS_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tunescope/Tunescope/ts-models-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TsModelsWindow, models_list);
  gtk_widget_class_bind_template_child (widget_class, TsModelsWindow, kind_row);
  gtk_widget_class_bind_template_child (widget_class, TsModelsWindow, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsModelsWindow, epochs_spin);
  gtk_widget_class_bind_template_child (widget_class, TsModelsWindow, hidden_row);
  gtk_widget_class_bind_template_child (widget_class, TsModelsWindow, activation_row);
  gtk_widget_class_bind_template_child (widget_class, TsModelsWindow, optimizer_row);
  gtk_widget_class_bind_template_child (widget_class, TsModelsWindow, lr_row);
  gtk_widget_class_bind_template_child (widget_class, TsModelsWindow, loss_row);
  gtk_widget_class_bind_template_child (widget_class, TsModelsWindow, dropout_spin);
  gtk_widget_class_bind_template_child (widget_class, TsModelsWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TsModelsWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TsModelsWindow, train_button);
  gtk_widget_class_bind_template_child (widget_class, TsModelsWindow, loss_chart);
  gtk_widget_class_bind_template_callback (widget_class, ts_models_window_reload);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_train_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);
}

static void
ts_models_window_init (TsModelsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_set_focusable (GTK_WIDGET (self->loss_chart), TRUE);
  fill_combo (self->activation_row, activation_name, TS_NN_N_ACTS);
  fill_combo (self->optimizer_row, optimizer_name, TS_NN_N_OPTS);
  /* BCE needs outputs in (0, 1), which neither model has. */
  fill_combo (self->loss_row, loss_name, TS_NN_LOSS_BCE);
  on_kind_changed_cb (self);
  ts_models_window_reload (self);
}

GtkWidget *
ts_models_window_new (GtkWindow *parent,
                      TsDataset *dataset)
{
  TsModelsWindow *self = g_object_new (TS_TYPE_MODELS_WINDOW, "transient-for", parent, NULL);

  g_return_val_if_fail (dataset == NULL || TS_IS_DATASET (dataset), NULL);

  g_set_object (&self->dataset, dataset);
  set_training (self, FALSE);
  if (dataset == NULL)
    gtk_progress_bar_set_text (self->progress_bar, _("Open a dataset to train a model"));
  return GTK_WIDGET (self);
}
