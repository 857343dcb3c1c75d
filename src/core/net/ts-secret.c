/* ts-secret.c: the user's Spotify credentials in the keyring (libsecret)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-secret"

#include "config.h"

#include <string.h>

#include <libsecret/secret.h>

#include "ts-error.h"
#include "ts-secret.h"

#define KIND "spotify-client-credentials"

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.tunescope.Tunescope.Spotify", SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}

/* libsecret's errors (D-Bus, no service) become one clear TS_ERROR_IO. */
static void
set_unavailable (GError  *cause,
                 GError **error)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, cause);
      return;
    }
  g_set_error (error, TS_ERROR, TS_ERROR_IO,
               "The keyring (secret service) is not available: %s", cause->message);
  g_error_free (cause);
}

gboolean
ts_secret_store_spotify (const char    *client_id,
                         const char    *client_secret,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *packed = NULL;
  GError *local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (client_id != NULL && *client_id != '\0', FALSE);
  g_return_val_if_fail (client_secret != NULL && *client_secret != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (strchr (client_id, '\n') != NULL)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                   "A Spotify client id is one line of letters and digits");
      return FALSE;
    }
  packed = g_strconcat (client_id, "\n", client_secret, NULL);
  ok = secret_password_store_sync (get_schema (), SECRET_COLLECTION_DEFAULT,
                                   "Tunescope: Spotify client credentials", packed, cancellable,
                                   &local_error, "kind", KIND, NULL);
  memset (packed, 0, strlen (packed));
  if (!ok)
    set_unavailable (local_error, error);
  return ok;
}

gboolean
ts_secret_lookup_spotify (char         **client_id,
                          char         **client_secret,
                          GCancellable  *cancellable,
                          GError       **error)
{
  GError *local_error = NULL;
  char *packed;
  char *newline;

  g_return_val_if_fail (client_id != NULL && client_secret != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *client_id = *client_secret = NULL;
  packed = secret_password_lookup_sync (get_schema (), cancellable, &local_error,
                                        "kind", KIND, NULL);
  if (local_error != NULL)
    {
      set_unavailable (local_error, error);
      return FALSE;
    }
  if (packed == NULL)
    return TRUE;
  newline = strchr (packed, '\n');
  if (newline != NULL && newline != packed && newline[1] != '\0')
    {
      *client_id = g_strndup (packed, (gsize) (newline - packed));
      *client_secret = g_strdup (newline + 1);
    }
  secret_password_free (packed);
  return TRUE;
}

gboolean
ts_secret_clear_spotify (GCancellable  *cancellable,
                         GError       **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* FALSE without an error only means nothing was stored. */
  if (!secret_password_clear_sync (get_schema (), cancellable, &local_error, "kind", KIND, NULL) &&
      local_error != NULL)
    {
      set_unavailable (local_error, error);
      return FALSE;
    }
  return TRUE;
}

/* Async */

typedef struct
{
  char *client_id;
  char *client_secret;
} Credentials;

static void
credentials_free (gpointer data)
{
  Credentials *c = data;

  g_free (c->client_id);
  if (c->client_secret != NULL)
    memset (c->client_secret, 0, strlen (c->client_secret));
  g_free (c->client_secret);
  g_free (c);
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Credentials *c = g_new0 (Credentials, 1);
  GError *error = NULL;

  if (ts_secret_lookup_spotify (&c->client_id, &c->client_secret, cancellable, &error))
    g_task_return_pointer (task, c, credentials_free);
  else
    {
      credentials_free (c);
      g_task_return_error (task, error);
    }
}

void
ts_secret_lookup_spotify_async (GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ts_secret_lookup_spotify_async);
  g_task_run_in_thread (task, lookup_thread);
}

gboolean
ts_secret_lookup_spotify_finish (GAsyncResult  *result,
                                 char         **client_id,
                                 char         **client_secret,
                                 GError       **error)
{
  Credentials *c;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (client_id != NULL && client_secret != NULL, FALSE);

  *client_id = *client_secret = NULL;
  c = g_task_propagate_pointer (G_TASK (result), error);
  if (c == NULL)
    return FALSE;
  *client_id = g_steal_pointer (&c->client_id);
  *client_secret = g_steal_pointer (&c->client_secret);
  credentials_free (c);
  return TRUE;
}

static void
store_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Credentials *c = task_data;
  GError *error = NULL;
  gboolean ok;

  if (c->client_id == NULL)
    ok = ts_secret_clear_spotify (cancellable, &error);
  else
    ok = ts_secret_store_spotify (c->client_id, c->client_secret, cancellable, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ts_secret_store_spotify_async (const char          *client_id,
                               const char          *client_secret,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Credentials *c;

  g_return_if_fail (client_id == NULL || client_secret != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  c = g_new0 (Credentials, 1);
  c->client_id = g_strdup (client_id);
  c->client_secret = g_strdup (client_secret);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ts_secret_store_spotify_async);
  g_task_set_task_data (task, c, credentials_free);
  g_task_run_in_thread (task, store_thread);
}

gboolean
ts_secret_store_spotify_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
