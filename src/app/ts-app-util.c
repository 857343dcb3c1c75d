/* ts-app-util.c: small helpers the app's pages and loaders share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ts-app-util.h"

GdkTexture *
ts_texture_new_from_image (TsImage *image)
{
  g_return_val_if_fail (image != NULL, NULL);

  return gdk_memory_texture_new ((int) ts_image_get_width (image),
                                 (int) ts_image_get_height (image),
                                 ts_image_get_has_alpha (image) ? GDK_MEMORY_R8G8B8A8
                                                                : GDK_MEMORY_R8G8B8,
                                 ts_image_get_pixels (image),
                                 ts_image_get_stride (image));
}

void
ts_cancellable_renew (GCancellable **cancellable)
{
  g_return_if_fail (cancellable != NULL);

  g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
  *cancellable = g_cancellable_new ();
}

void
ts_toast_overlay_show (AdwToastOverlay *overlay,
                       const char      *message,
                       guint            timeout_s)
{
  AdwToast *toast;

  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));
  g_return_if_fail (message != NULL);

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, timeout_s);
  adw_toast_overlay_add_toast (overlay, toast);
}

static gboolean
destroy_window_cb (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
on_visible_changed_cb (GtkWindow  *window,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  if (gtk_widget_get_visible (GTK_WIDGET (window)))
    return;
  g_signal_handlers_disconnect_by_func (window, on_visible_changed_cb, user_data);
  g_idle_add_full (G_PRIORITY_LOW, destroy_window_cb, g_object_ref (window), g_object_unref);
}

void
ts_window_destroy_when_hidden (GtkWindow *window)
{
  g_return_if_fail (GTK_IS_WINDOW (window));

  gtk_window_set_hide_on_close (window, TRUE);
  g_signal_connect (window, "notify::visible", G_CALLBACK (on_visible_changed_cb), NULL);
}

static gboolean
release_cb (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

void
ts_native_dialog_release (GtkNativeDialog *native)
{
  g_return_if_fail (GTK_IS_NATIVE_DIALOG (native));

  /* The dialog hides its window after "response" returns. */
  gtk_native_dialog_hide (native);
  g_idle_add_full (G_PRIORITY_LOW, release_cb, native, NULL);
}
