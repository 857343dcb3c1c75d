/* ts-preferences-window.c: the Preferences window (Spotify credentials,
 * album art)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-preferences-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tunescope-core.h"

#include "ts-app-util.h"
#include "ts-cover-loader.h"
#include "ts-preferences-window.h"

struct _TsPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings           *settings;
  GCancellable        *cancellable;
  TsArtCache          *art_cache;
  gboolean             have_keyring;

  /* Template widgets */
  AdwActionRow        *keyring_row;
  AdwEntryRow         *client_id_row;
  AdwEntryRow         *client_secret_row;
  AdwComboRow         *source_row;
  GtkSpinButton       *downloads_spin;
  AdwActionRow        *cache_size_row;
  GtkSpinButton       *cache_size_spin;
};

G_DEFINE_FINAL_TYPE (TsPreferencesWindow, ts_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

#define MIB ((guint64) 1024 * 1024)

static void
ts_preferences_window_toast (TsPreferencesWindow *self,
                             const char          *message)
{
  g_assert (TS_IS_PREFERENCES_WINDOW (self));
  g_assert (message != NULL);

  ts_toast_add (GTK_WIDGET (self), ts_toast_new (message, 5));
}

/* The callbacks below hold a reference on the window, and do nothing once
 * it was closed (its cancellable cancelled). */
static gboolean
ts_preferences_window_is_gone (TsPreferencesWindow *self)
{
  return g_cancellable_is_cancelled (self->cancellable);
}

/* Keyring ------------------------------------------------------------------ */

static void
ts_preferences_window_set_keyring (TsPreferencesWindow *self,
                                   gboolean             have_keyring,
                                   const GError        *error)
{
  g_assert (TS_IS_PREFERENCES_WINDOW (self));

  self->have_keyring = have_keyring;
  gtk_widget_set_visible (GTK_WIDGET (self->keyring_row), !have_keyring);
  if (error != NULL)
    g_debug ("No keyring: %s", error->message);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.forget", have_keyring);
  adw_entry_row_set_show_apply_button ((self->client_id_row), have_keyring);
  adw_entry_row_set_show_apply_button ((self->client_secret_row), have_keyring);
}

static void
on_lookup_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TsPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *client_secret = NULL;

  if (!ts_secret_lookup_spotify_finish (result, &client_id, &client_secret, &error))
    {
      if (!ts_preferences_window_is_gone (self))
        ts_preferences_window_set_keyring (self, FALSE, error);
      return;
    }
  if (ts_preferences_window_is_gone (self))
    return;

  ts_preferences_window_set_keyring (self, TRUE, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), client_id ? client_id : "");
  gtk_editable_set_text (GTK_EDITABLE (self->client_secret_row),
                         client_secret ? client_secret : "");
  if (client_secret != NULL)
    explicit_bzero (client_secret, strlen (client_secret));
}

typedef struct
{
  TsPreferencesWindow *self;
  const char          *done_message;
} StoreData;

/* The app's covers use the new pair (or fall back to oEmbed) at once. */
static void
reload_cover_credentials (void)
{
  TsCoverLoader *loader = ts_cover_loader_get_default ();

  if (loader != NULL)
    ts_cover_loader_reload_credentials (loader);
}

static void
on_store_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  StoreData *data = user_data;
  g_autoptr(TsPreferencesWindow) self = data->self;
  const char *done_message = data->done_message;
  g_autoptr(GError) error = NULL;
  gboolean ok = ts_secret_store_spotify_finish (result, &error);

  g_free (data);
  if (ok)
    reload_cover_credentials ();
  if (ts_preferences_window_is_gone (self))
    return;
  ts_preferences_window_toast (self, ok ? done_message : error->message);
}

/* Stores the pair (NULL: clears it); @done_message is a toast on success. */
static void
ts_preferences_window_store (TsPreferencesWindow *self,
                             const char          *client_id,
                             const char          *client_secret,
                             const char          *done_message)
{
  StoreData *data;

  g_assert (TS_IS_PREFERENCES_WINDOW (self));
  g_assert (done_message != NULL);

  data = g_new0 (StoreData, 1);
  data->self = g_object_ref (self);
  data->done_message = done_message;
  ts_secret_store_spotify_async (client_id, client_secret, self->cancellable,
                                 on_store_done_cb, data);
}

static void
on_credentials_apply_cb (TsPreferencesWindow *self)
{
  const char *client_id = gtk_editable_get_text (GTK_EDITABLE (self->client_id_row));
  const char *client_secret = gtk_editable_get_text (GTK_EDITABLE (self->client_secret_row));

  g_assert (TS_IS_PREFERENCES_WINDOW (self));

  /* Both are needed; the other row's apply button saves the pair. */
  if (*client_id == '\0' || *client_secret == '\0')
    return;
  ts_preferences_window_store (self, client_id, client_secret,
                               _("Credentials saved in the keyring"));
}

static void
ts_preferences_window_forget_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  TsPreferencesWindow *self = TS_PREFERENCES_WINDOW (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->client_secret_row), "");
  ts_preferences_window_store (self, NULL, NULL, _("Credentials removed from the keyring"));
}

/* Test connection ----------------------------------------------------------- */

static void
test_connection_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  TsSpotify *spotify = task_data;
  GError *error = NULL;

  if (ts_spotify_check_credentials (spotify, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_test_connection_done_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  TsPreferencesWindow *self = TS_PREFERENCES_WINDOW (source);
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (ts_preferences_window_is_gone (self))
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.test-connection", TRUE);
  if (ok)
    ts_preferences_window_toast (self, _("Connected to Spotify"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ts_preferences_window_toast (self, error->message);
}

static void
ts_preferences_window_test_connection_action (GtkWidget  *widget,
                                              const char *action_name,
                                              GVariant   *parameter)
{
  TsPreferencesWindow *self = TS_PREFERENCES_WINDOW (widget);
  const char *client_id = gtk_editable_get_text (GTK_EDITABLE (self->client_id_row));
  const char *client_secret = gtk_editable_get_text (GTK_EDITABLE (self->client_secret_row));
  g_autoptr(TsSpotify) spotify = NULL;
  g_autoptr(GTask) task = NULL;

  if (*client_id == '\0' || *client_secret == '\0')
    {
      ts_preferences_window_toast (self, _("Enter a client id and a client secret first"));
      return;
    }

  /* The client keeps the pair in memory only, and wipes it when freed. */
  spotify = ts_spotify_new ();
  ts_spotify_set_credentials (spotify, client_id, client_secret);
  gtk_widget_action_set_enabled (widget, "prefs.test-connection", FALSE);
  task = g_task_new (self, self->cancellable, on_test_connection_done_cb, NULL);
  g_task_set_source_tag (task, ts_preferences_window_test_connection_action);
  g_task_set_task_data (task, g_steal_pointer (&spotify), (GDestroyNotify) ts_spotify_unref);
  g_task_run_in_thread (task, test_connection_thread);
}

/* Album art cache ----------------------------------------------------------- */

static void
cache_usage_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  TsArtCache *cache = task_data;
  gboolean clear = g_task_get_source_tag (task) == ts_art_cache_clear;
  GError *error = NULL;

  if (clear && !ts_art_cache_clear (cache, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, (gssize) MIN (ts_art_cache_get_size (cache), G_MAXSSIZE));
}

static void
on_cache_usage_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TsPreferencesWindow *self = TS_PREFERENCES_WINDOW (source);
  g_autoptr(GError) error = NULL;
  gssize size = g_task_propagate_int (G_TASK (result), &error);
  g_autofree char *size_text = NULL;
  g_autofree char *subtitle = NULL;

  if (ts_preferences_window_is_gone (self))
    return;
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ts_preferences_window_toast (self, error->message);
      return;
    }
  size_text = g_format_size ((guint64) size);
  /* Translators: %s is a size such as "12.3 MB" */
  subtitle = g_strdup_printf (_("%s in use"), size_text);
  adw_action_row_set_subtitle (self->cache_size_row, subtitle);
  if (g_task_get_source_tag (G_TASK (result)) == ts_art_cache_clear)
    ts_preferences_window_toast (self, _("Cache cleared"));
}

/* Measures the cache, after clearing it when @clear. */
static void
ts_preferences_window_update_cache (TsPreferencesWindow *self,
                                    gboolean             clear)
{
  g_autoptr(GTask) task = NULL;

  g_assert (TS_IS_PREFERENCES_WINDOW (self));

  task = g_task_new (self, self->cancellable, on_cache_usage_cb, NULL);
  g_task_set_source_tag (task, clear ? (gpointer) ts_art_cache_clear
                                     : (gpointer) ts_preferences_window_update_cache);
  g_task_set_task_data (task, ts_art_cache_ref (self->art_cache),
                        (GDestroyNotify) ts_art_cache_unref);
  g_task_run_in_thread (task, cache_usage_thread);
}

static void
on_clear_response_cb (AdwMessageDialog    *dialog,
                      const char          *response,
                      TsPreferencesWindow *self)
{
  g_assert (TS_IS_PREFERENCES_WINDOW (self));

  if (g_strcmp0 (response, "clear") == 0)
    ts_preferences_window_update_cache (self, TRUE);
}

static void
ts_preferences_window_clear_cache_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter)
{
  TsPreferencesWindow *self = TS_PREFERENCES_WINDOW (widget);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Clear the Cache?"),
                                                       _("All downloaded album covers will be "
                                                         "removed and fetched again when needed.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "clear", _("C_lear"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "clear", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_clear_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_cache_size_changed_cb (TsPreferencesWindow *self)
{
  g_assert (TS_IS_PREFERENCES_WINDOW (self));

  ts_art_cache_set_max_size (self->art_cache,
                             (guint64) g_settings_get_int (self->settings, "art-cache-size") * MIB);
}

/* Settings ------------------------------------------------------------------ */

static const char *const art_sources[] = { "oembed", "api" };

static gboolean
source_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char *source = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (art_sources); i++)
    if (g_str_equal (source, art_sources[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
source_set_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (art_sources))
    return NULL;
  return g_variant_new_string (art_sources[selected]);
}

static void
ts_preferences_window_bind_settings (TsPreferencesWindow *self)
{
  g_assert (TS_IS_PREFERENCES_WINDOW (self));

  g_settings_bind_with_mapping (self->settings, "art-source", self->source_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, source_get_mapping, source_set_mapping,
                                NULL, NULL);
  g_settings_bind (self->settings, "art-downloads", self->downloads_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "art-cache-size", self->cache_size_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed::art-cache-size",
                           G_CALLBACK (on_cache_size_changed_cb), self, G_CONNECT_SWAPPED);
}

/* GObject ------------------------------------------------------------------- */

TsPreferencesWindow *
ts_preferences_window_new (GtkWindow *transient_for)
{
  g_return_val_if_fail (transient_for == NULL || GTK_IS_WINDOW (transient_for), NULL);

  return g_object_new (TS_TYPE_PREFERENCES_WINDOW,
                       "transient-for", transient_for,
                       NULL);
}

static void
ts_preferences_window_constructed (GObject *object)
{
  TsPreferencesWindow *self = TS_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (ts_preferences_window_parent_class)->constructed (object);

  ts_preferences_window_bind_settings (self);
  on_cache_size_changed_cb (self);
  ts_preferences_window_update_cache (self, FALSE);
  ts_secret_lookup_spotify_async (self->cancellable, on_lookup_done_cb, g_object_ref (self));
}

static gboolean
ts_preferences_window_close_request (GtkWindow *window)
{
  TsPreferencesWindow *self = TS_PREFERENCES_WINDOW (window);

  g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (ts_preferences_window_parent_class)->close_request (window);
}

static void
ts_preferences_window_dispose (GObject *object)
{
  TsPreferencesWindow *self = TS_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TS_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->art_cache, ts_art_cache_unref);

  G_OBJECT_CLASS (ts_preferences_window_parent_class)->dispose (object);
}

static void
ts_preferences_window_finalize (GObject *object)
{
  TsPreferencesWindow *self = TS_PREFERENCES_WINDOW (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ts_preferences_window_parent_class)->finalize (object);
}

static void
ts_preferences_window_class_init (TsPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = ts_preferences_window_constructed;
  object_class->dispose = ts_preferences_window_dispose;
  object_class->finalize = ts_preferences_window_finalize;
  window_class->close_request = ts_preferences_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ts-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TsPreferencesWindow, keyring_row);
  gtk_widget_class_bind_template_child (widget_class, TsPreferencesWindow, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, TsPreferencesWindow, client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, TsPreferencesWindow, source_row);
  gtk_widget_class_bind_template_child (widget_class, TsPreferencesWindow, downloads_spin);
  gtk_widget_class_bind_template_child (widget_class, TsPreferencesWindow, cache_size_row);
  gtk_widget_class_bind_template_child (widget_class, TsPreferencesWindow, cache_size_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_credentials_apply_cb);

  gtk_widget_class_install_action (widget_class, "prefs.test-connection", NULL,
                                   ts_preferences_window_test_connection_action);
  gtk_widget_class_install_action (widget_class, "prefs.forget", NULL,
                                   ts_preferences_window_forget_action);
  gtk_widget_class_install_action (widget_class, "prefs.clear-cache", NULL,
                                   ts_preferences_window_clear_cache_action);
}

static void
ts_preferences_window_init (TsPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (BASE_ID);
  self->art_cache = ts_art_cache_new (NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.forget", FALSE);
}
