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
