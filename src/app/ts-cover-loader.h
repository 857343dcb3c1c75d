/* ts-cover-loader.h: album covers for the whole app, loaded off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tunescope-core.h"

G_BEGIN_DECLS

#define TS_TYPE_COVER_LOADER (ts_cover_loader_get_type ())

G_DECLARE_FINAL_TYPE (TsCoverLoader, ts_cover_loader, TS, COVER_LOADER, GObject)

/* @settings: the app's (art-source, art-downloads, art-cache-size), followed live. */
TsCoverLoader *ts_cover_loader_new                 (GSettings           *settings,
                                                    const char          *cache_dir);

/* The application's loader, shared by every window; NULL outside the
 * application (a widget then shows placeholders). The application sets it
 * at startup and clears it at shutdown (set_default keeps a reference). */
TsCoverLoader *ts_cover_loader_get_default         (void);
void           ts_cover_loader_set_default         (TsCoverLoader       *loader);

/* The cover if it is in memory already; NULL otherwise (no I/O). */
GdkTexture    *ts_cover_loader_lookup              (TsCoverLoader       *self,
                                                    const char          *track_id,
                                                    guint                size);
/* Fetches (through the disk cache) and decodes the cover of @track_id to
 * at most @size pixels, in a worker. Errors: G_IO_ERROR_NOT_FOUND when
 * the track has no cover, G_IO_ERROR_CANCELLED, or the service's. */
void           ts_cover_loader_load_async          (TsCoverLoader       *self,
                                                    const char          *track_id,
                                                    guint                size,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GdkTexture    *ts_cover_loader_load_finish         (TsCoverLoader       *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* Reads the client id and secret from the keyring again (after a change). */
void           ts_cover_loader_reload_credentials  (TsCoverLoader       *self);
/* The source in use: "api" falls back to oEmbed without credentials. */
TsArtSource    ts_cover_loader_get_source          (TsCoverLoader       *self);
TsArtCache    *ts_cover_loader_get_art_cache       (TsCoverLoader       *self);

G_END_DECLS
