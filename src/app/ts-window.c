/* ts-window.c: the main window
 *
 * The window owns the dataset and the long operations that produce it
 * (loading a CSV, downloading from Kaggle); its pages show the result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ts-app-util.h"
#include "ts-cover-loader.h"
#include "ts-models-window.h"
#include "ts-window-private.h"

G_DEFINE_FINAL_TYPE (TsWindow, ts_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DATASET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One load or download. Progress reports reach the UI thread through
 * idles that may still be queued when the operation completes, so the
 * operation (their user data) is freed only after them, from a
 * low-priority idle. */
typedef struct
{
  TsWindow     *self;
  GCancellable *cancellable;
  GFile        *file;
} Operation;

static Operation *
operation_new (TsWindow *self,
               GFile    *file)
{
  Operation *op = g_new0 (Operation, 1);

  op->self = g_object_ref (self);
  op->cancellable = g_object_ref (self->cancellable);
  op->file = file != NULL ? g_object_ref (file) : NULL;
  return op;
}

static gboolean
operation_free (gpointer data)
{
  Operation *op = data;

  g_clear_object (&op->self);
  g_clear_object (&op->cancellable);
  g_clear_object (&op->file);
  g_free (op);
  return G_SOURCE_REMOVE;
}

static void
operation_finish (Operation *op)
{
  g_idle_add_full (G_PRIORITY_LOW, operation_free, op, NULL);
}

/* Whether @op is still the window's current operation. */
static gboolean
operation_is_current (Operation *op)
{
  return !g_cancellable_is_cancelled (op->cancellable) && op->cancellable == op->self->cancellable;
}

void
_ts_window_toast (TsWindow   *self,
                  const char *message)
{
  g_return_if_fail (TS_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  ts_toast_add (GTK_WIDGET (self->toast_overlay), ts_toast_new (message, 5));
}

/* Cancels what runs and starts a new operation; win.cancel stays enabled
 * until ts_window_end_operation(). */
static void
ts_window_begin_operation (TsWindow *self)
{
  g_assert (TS_IS_WINDOW (self));

  ts_cancellable_renew (&self->cancellable);
  self->busy = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel", TRUE);
}

static void
ts_window_end_operation (TsWindow *self)
{
  g_assert (TS_IS_WINDOW (self));

  self->busy = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel", FALSE);
}

/* An error while a dataset is open is a toast over it; without one it
 * takes the page. */
static void
ts_window_show_error (TsWindow     *self,
                      const char   *title,
                      const GError *error)
{
  g_assert (TS_IS_WINDOW (self));

  if (self->dataset != NULL)
    {
      _ts_window_toast (self, error->message);
      ts_dataset_page_show_current (self->dataset_page);
    }
  else
    ts_dataset_page_show_error (self->dataset_page, title, error->message);
}

static void
ts_window_set_dataset (TsWindow  *self,
                       TsDataset *dataset)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = NULL;

  g_assert (TS_IS_WINDOW (self));
  g_assert (TS_IS_DATASET (dataset));

  if (!g_set_object (&self->dataset, dataset))
    return;

  file = g_file_new_for_path (ts_dataset_get_path (dataset));
  name = g_file_get_basename (file);
  adw_view_switcher_title_set_subtitle (self->switcher_title, name);
  /* The pages take it through their "dataset" binding (ts-window.ui). */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
  adw_view_stack_page_set_visible (self->explore_stack_page, TRUE);
  adw_view_stack_page_set_visible (self->discover_stack_page, TRUE);
  adw_view_stack_page_set_visible (self->playlist_stack_page, TRUE);
  adw_view_stack_page_set_visible (self->image_stack_page, TRUE);
  /* libadwaita 1.2's switcher title counts the visible pages only when
   * the stack's pages change, not when one becomes visible: after a load
   * longer than the first frame (170k songs) it kept showing the title
   * and no page tabs. Turning it off and on counts them again. */
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, FALSE);
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, TRUE);
}

static void
on_progress_cb (double      fraction,
                const char *message,
                gpointer    user_data)
{
  Operation *op = user_data;

  if (operation_is_current (op))
    ts_dataset_page_set_progress (op->self->dataset_page, fraction, message);
}

static void
on_load_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Operation *op = user_data;
  TsWindow *self = op->self;
  g_autoptr(TsDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;

  dataset = ts_dataset_load_finish (result, &error);

  if (!operation_is_current (op))
    {
      /* Superseded or cancelled: whoever cancelled updated the page. */
    }
  else if (dataset == NULL)
    {
      ts_window_end_operation (self);
      ts_window_show_error (self, _("Could Not Open the Dataset"), error);
    }
  else
    {
      ts_window_end_operation (self);
      ts_window_set_dataset (self, dataset);
      /* Remembered only once it loaded: a broken file is not reopened. */
      g_settings_set_string (self->settings, "dataset-path", ts_dataset_get_path (dataset));
    }
  operation_finish (op);
}

void
ts_window_open_file (TsWindow *self,
                     GFile    *file)
{
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  Operation *op;

  g_return_if_fail (TS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    {
      _ts_window_toast (self, _("Only files on this computer can be opened"));
      return;
    }

  ts_window_begin_operation (self);
  op = operation_new (self, file);

  name = g_file_get_basename (file);
  /* Translators: %s is a file name, e.g. data.csv */
  title = g_strdup_printf (_("Loading “%s”"), name);
  ts_dataset_page_show_progress (self->dataset_page, BASE_ID "-symbolic", title,
                                 _("Reading the tracks…"));
  adw_view_stack_set_visible_child_name (self->view_stack, "dataset");

  /* Search and duplicates are wanted at once in the app: build them in
   * the worker, off the main thread. */
  ts_dataset_load_async (path, &(TsDatasetLoadOptions) { .build_index = TRUE }, on_progress_cb, op,
                         op->cancellable, on_load_done_cb, op);
}

static void
ts_window_open_path (TsWindow   *self,
                     const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_assert (TS_IS_WINDOW (self));

  ts_window_open_file (self, file);
}

/* Reopens the dataset of the last session, or shows the first-run page
 * when there is none or its file is gone. */
void
ts_window_restore_dataset (TsWindow *self)
{
  g_autofree char *path = NULL;

  g_return_if_fail (TS_IS_WINDOW (self));

  path = g_settings_get_string (self->settings, "dataset-path");
  if (path[0] == '\0')
    {
      ts_dataset_page_show_current (self->dataset_page);
      return;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the path of a data.csv that was moved or deleted */
      message = g_strdup_printf (_("The dataset “%s” is gone"), path);
      _ts_window_toast (self, message);
      ts_dataset_page_show_current (self->dataset_page);
      return;
    }

  ts_window_open_path (self, path);
}

static void
on_download_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Operation *op = user_data;
  TsWindow *self = op->self;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  path = ts_kaggle_download_finish (result, &error);

  if (!operation_is_current (op))
    {
      operation_finish (op);
      return;
    }

  /* A download kept from an earlier run refuses to be overwritten: use it. */
  if (path == NULL && g_error_matches (error, TS_ERROR, TS_ERROR_EXISTS))
    {
      g_autofree char *dest = ts_kaggle_get_default_dest (TS_KAGGLE_DATASET_170K);
      g_autofree char *existing = g_build_filename (dest, "data.csv", NULL);

      if (g_file_test (existing, G_FILE_TEST_IS_REGULAR))
        {
          _ts_window_toast (self, _("Using the dataset downloaded before"));
          path = g_steal_pointer (&existing);
        }
    }

  ts_window_end_operation (self);
  if (path == NULL)
    ts_window_show_error (self, _("Download Failed"), error);
  else
    ts_window_open_path (self, path);
  operation_finish (op);
}

static void
ts_window_download_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  TsWindow *self = TS_WINDOW (widget);
  g_autofree char *dest = ts_kaggle_get_default_dest (TS_KAGGLE_DATASET_170K);
  Operation *op;

  ts_window_begin_operation (self);
  op = operation_new (self, NULL);

  ts_dataset_page_show_progress (self->dataset_page, "folder-download-symbolic",
                                 _("Downloading from Kaggle"),
                                 _("Connecting…"));
  adw_view_stack_set_visible_child_name (self->view_stack, "dataset");

  ts_kaggle_download_async (TS_KAGGLE_DATASET_170K, dest, FALSE, on_progress_cb, op, op->cancellable,
                            on_download_done_cb, op);
}

static void
ts_window_cancel_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  TsWindow *self = TS_WINDOW (widget);

  g_cancellable_cancel (self->cancellable);
  ts_window_end_operation (self);
  ts_dataset_page_show_current (self->dataset_page);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        TsWindow        *self)
{
  g_autoptr(GFile) file = NULL;

  g_assert (TS_IS_WINDOW (self));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (file != NULL)
    ts_window_open_file (self, file);
}

static GtkFileFilter *
csv_filter_new (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("CSV Files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  return filter;
}

static void
ts_window_models_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  TsWindow *self = TS_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (ts_models_window_new (GTK_WINDOW (self), self->dataset)));
}

static void
ts_window_open_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TsWindow *self = TS_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = csv_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Open a Dataset"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* win.add-to-playlist: a song from any page's list joins the playlist,
 * with a toast to undo it. */
static void
ts_window_add_to_playlist_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  TsWindow *self = TS_WINDOW (widget);
  const char *track_id = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;
  int row;

  if (!ts_playlist_page_add_track (self->playlist_page, track_id, &error))
    {
      _ts_window_toast (self, error->message);
      return;
    }
  row = ts_dataset_lookup_id (self->dataset, track_id);
  /* Translators: %s is a song's title */
  title = g_strdup_printf (_("Added “%s” to the playlist"),
                           ts_dataset_get_name (self->dataset, (guint32) row));
  toast = ts_toast_new (title, 5);
  adw_toast_set_button_label (toast, _("Undo"));
  adw_toast_set_action_name (toast, "win.remove-from-playlist");
  adw_toast_set_action_target (toast, "s", track_id);
  ts_toast_add (GTK_WIDGET (self->toast_overlay), toast);
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "playlist") != 0)
    adw_view_stack_page_set_needs_attention (self->playlist_stack_page, TRUE);
}

/* The Playlist page's file that is no playlist: as if dropped on the window. */
static void
on_foreign_file_cb (TsWindow *self,
                    GFile    *file)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_FILE);
  g_value_set_object (&value, file);
  _ts_window_handle_drop (self, &value);
}

static void
on_visible_page_changed_cb (TsWindow *self)
{
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "playlist") == 0)
    adw_view_stack_page_set_needs_attention (self->playlist_stack_page, FALSE);
}

static void
ts_window_remove_from_playlist_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  TsWindow *self = TS_WINDOW (widget);

  ts_playlist_page_remove_track (self->playlist_page, g_variant_get_string (parameter, NULL));
}

static void
ts_window_save_size (TsWindow *self)
{
  int width = 0, height = 0;

  g_assert (TS_IS_WINDOW (self));

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
ts_window_close_request (GtkWindow *window)
{
  TsWindow *self = TS_WINDOW (window);

  g_cancellable_cancel (self->cancellable);
  ts_window_save_size (self);

  return GTK_WINDOW_CLASS (ts_window_parent_class)->close_request (window);
}

/* Cover trouble is app-wide: the window in front tells it. */
static void
on_cover_trouble_cb (TsWindow   *self,
                     const char *message)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  if (application == NULL ||
      gtk_application_get_active_window (application) != GTK_WINDOW (self))
    return;
  /* Longer than other toasts: the service's reason takes time to read. */
  ts_toast_add (GTK_WIDGET (self->toast_overlay), ts_toast_new (message, 10));
}

TsWindow *
ts_window_new (GtkApplication *application)
{
  TsCoverLoader *loader = ts_cover_loader_get_default ();
  TsWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  self = g_object_new (TS_TYPE_WINDOW, "application", application, NULL);
  if (loader != NULL)
    g_signal_connect_object (loader, "trouble", G_CALLBACK (on_cover_trouble_cb), self,
                             G_CONNECT_SWAPPED);
  return self;
}

TsDataset *
ts_window_get_dataset (TsWindow *self)
{
  g_return_val_if_fail (TS_IS_WINDOW (self), NULL);

  return self->dataset;
}

/* Whether the window shows nothing yet and runs nothing. */
gboolean
ts_window_is_idle (TsWindow *self)
{
  g_return_val_if_fail (TS_IS_WINDOW (self), FALSE);

  return self->dataset == NULL && !self->busy;
}

static void
ts_window_dispose (GObject *object)
{
  TsWindow *self = TS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), TS_TYPE_WINDOW);
  g_clear_object (&self->dataset);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ts_window_parent_class)->dispose (object);
}

static void
ts_window_finalize (GObject *object)
{
  TsWindow *self = TS_WINDOW (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ts_window_parent_class)->finalize (object);
}

static void
ts_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TsWindow *self = TS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      g_value_set_object (value, self->dataset);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ts_window_class_init (TsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ts_window_dispose;
  object_class->finalize = ts_window_finalize;
  object_class->get_property = ts_window_get_property;
  window_class->close_request = ts_window_close_request;

  properties[PROP_DATASET] =
    g_param_spec_object ("dataset", NULL, NULL,
                         TS_TYPE_DATASET,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, ts_window_open_action);
  gtk_widget_class_install_action (widget_class, "win.models", NULL, ts_window_models_action);
  gtk_widget_class_install_action (widget_class, "win.download", NULL,
                                   ts_window_download_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, ts_window_cancel_action);
  gtk_widget_class_install_action (widget_class, "win.add-to-playlist", "s",
                                   ts_window_add_to_playlist_action);
  gtk_widget_class_install_action (widget_class, "win.remove-from-playlist", "s",
                                   ts_window_remove_from_playlist_action);

  g_type_ensure (TS_TYPE_DATASET_PAGE);
  g_type_ensure (TS_TYPE_EXPLORE_PAGE);
  g_type_ensure (TS_TYPE_DISCOVER_PAGE);
  g_type_ensure (TS_TYPE_PLAYLIST_PAGE);
  g_type_ensure (TS_TYPE_IMAGE_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ts-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TsWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, TsWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TsWindow, dataset_page);
  gtk_widget_class_bind_template_child (widget_class, TsWindow, explore_stack_page);
  gtk_widget_class_bind_template_child (widget_class, TsWindow, explore_page);
  gtk_widget_class_bind_template_child (widget_class, TsWindow, discover_stack_page);
  gtk_widget_class_bind_template_child (widget_class, TsWindow, discover_page);
  gtk_widget_class_bind_template_child (widget_class, TsWindow, playlist_stack_page);
  gtk_widget_class_bind_template_child (widget_class, TsWindow, playlist_page);
  gtk_widget_class_bind_template_callback (widget_class, on_foreign_file_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_visible_page_changed_cb);
  gtk_widget_class_bind_template_child (widget_class, TsWindow, image_stack_page);
  gtk_widget_class_bind_template_child (widget_class, TsWindow, image_page);
}

static void
ts_window_restore_size (TsWindow *self)
{
  g_assert (TS_IS_WINDOW (self));

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
ts_window_init (TsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (BASE_ID);
  self->cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel", FALSE);

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  ts_window_restore_size (self);
  _ts_window_init_dnd (self);
}
