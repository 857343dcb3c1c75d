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
/* A toast saying @message, plain text, for @timeout_s seconds. */
AdwToast   *ts_toast_new              (const char      *message,
                                       guint            timeout_s);
/* Shows @toast (transfer full) on @owner, an AdwToastOverlay or an
 * AdwPreferencesWindow, guarded against libadwaita 1.2's crash on a toast
 * dismissed while it is still sliding in (see ts-app-util.c). Every toast
 * of the app goes through here. */
void        ts_toast_add              (GtkWidget       *owner,
                                       AdwToast        *toast);

G_END_DECLS
