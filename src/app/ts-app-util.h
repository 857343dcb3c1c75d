/* ts-app-util.h: small helpers the app's pages and loaders share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tunescope-core.h"

G_BEGIN_DECLS

/* A texture holding a copy of @image's pixels (RGB or RGBA). */
GdkTexture *ts_texture_new_from_image (TsImage         *image);
/* Cancels what *@cancellable guards and puts a fresh one in its place,
 * for the work started next. */
void        ts_cancellable_renew      (GCancellable   **cancellable);
/* Shows @message (AdwToast reads it as Pango markup) on @overlay for
 * @timeout_s seconds. */
void        ts_toast_overlay_show     (AdwToastOverlay *overlay,
                                       const char      *message,
                                       guint            timeout_s);

/* Toplevels that close are hidden first and destroyed a main-loop turn
 * later. GTK 4.8's AT-SPI code announces a window's removal with the
 * window's accessible path; a window destroyed while still shown may have
 * lost that path by then, and GTK fails a GVariant assertion (seen when a
 * file chooser or the Preferences closed, at random, under the
 * sanitizers). Hidden first, the removal is announced while the path is
 * still there. */
/* For a window of ours: close hides it, and it is destroyed afterwards. */
void        ts_window_destroy_when_hidden (GtkWindow   *window);
/* For a GtkNativeDialog in its "response" handler: drops @native (a full
 * reference) once the dialog has hidden its window. */
void        ts_native_dialog_release      (GtkNativeDialog *native);

G_END_DECLS
