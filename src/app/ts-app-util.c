/* ts-app-util.c: small helpers the app's pages and loaders share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-app-util"

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

/* Toast titles are Pango markup in libadwaita 1.2 (use-markup is 1.4);
 * messages hold song and file names with "&" and "<". */
AdwToast *
ts_toast_new (const char *message,
              guint       timeout_s)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_val_if_fail (message != NULL, NULL);

  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, timeout_s);
  return toast;
}

/* libadwaita 1.2 crashes (a "done" handler run on freed memory) when a
 * toast that slid in while another slid out (500 ms) is dismissed within
 * its first 200 ms: its hide animation (300 ms) ends first and frees what
 * the show animation's end still uses. Escape, an Undo click or a toast
 * replacing another can do that; the monkey test did, twice in 200 random
 * actions. A toast appears only when one is added or one is dismissed, so
 * a dismissal within TOAST_SETTLE_MS of either waits until that time.
 * Fixed in later libadwaita, which rewrote the overlay. */
#define TOAST_SETTLE_MS 600
#define TOAST_LAST_EVENT_KEY "ts-toast-last-event"

static gint64
toast_last_event (GtkWidget *owner)
{
  gint64 *last = g_object_get_data (G_OBJECT (owner), TOAST_LAST_EVENT_KEY);

  return last != NULL ? *last : 0;
}

static void
toast_note_event (GtkWidget *owner)
{
  gint64 *last = g_new (gint64, 1);

  *last = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (owner), TOAST_LAST_EVENT_KEY, last, g_free);
}

static gboolean
toast_dismiss_later_cb (gpointer data)
{
  /* The signal itself: adw_toast_dismiss () does nothing for a toast that
   * already marked itself dismissed (its own handler ran before ours). */
  g_signal_emit_by_name (data, "dismissed");
  return G_SOURCE_REMOVE;
}

/* Runs before the overlay's own handler: connected before the toast is added. */
static void
on_toast_dismissed_cb (AdwToast  *toast,
                       GtkWidget *owner)
{
  gint64 since_ms = (g_get_monotonic_time () - toast_last_event (owner)) / 1000;

  if (since_ms < TOAST_SETTLE_MS)
    {
      g_signal_stop_emission_by_name (toast, "dismissed");
      g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (TOAST_SETTLE_MS - since_ms),
                          toast_dismiss_later_cb, g_object_ref (toast), g_object_unref);
      return;
    }
  toast_note_event (owner);
}

void
ts_toast_add (GtkWidget *owner,
              AdwToast  *toast)
{
  g_return_if_fail (ADW_IS_TOAST_OVERLAY (owner) || ADW_IS_PREFERENCES_WINDOW (owner));
  g_return_if_fail (ADW_IS_TOAST (toast));

  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_toast_dismissed_cb), owner, 0);
  toast_note_event (owner);
  if (ADW_IS_TOAST_OVERLAY (owner))
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (owner), toast);
  else
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (owner), toast);
}
