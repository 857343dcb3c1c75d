/* ts-secret.h: the user's Spotify credentials in the keyring (libsecret)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The credentials live in the secret service (GNOME Keyring, KWallet…)
 * under one item of the schema "io.github.tunescope.Tunescope.Spotify";
 * never in files, GSettings or logs. Without a secret service the calls
 * fail with TS_ERROR_IO and a message saying so: the app then explains and
 * uses oEmbed. These block on D-Bus: the app calls the _async forms. */
gboolean ts_secret_store_spotify        (const char           *client_id,
                                         const char           *client_secret,
                                         GCancellable         *cancellable,
                                         GError              **error);
/* TRUE with both NULL when nothing is stored. */
gboolean ts_secret_lookup_spotify       (char                **client_id,
                                         char                **client_secret,
                                         GCancellable         *cancellable,
                                         GError              **error);
gboolean ts_secret_clear_spotify        (GCancellable         *cancellable,
                                         GError              **error);

/* Lookup, run in a thread. */
void     ts_secret_lookup_spotify_async (GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean ts_secret_lookup_spotify_finish (GAsyncResult        *result,
                                          char               **client_id,
                                          char               **client_secret,
                                          GError             **error);
/* Store (@client_id NULL: clear), run in a thread. */
void     ts_secret_store_spotify_async  (const char           *client_id,
                                         const char           *client_secret,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean ts_secret_store_spotify_finish (GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS
