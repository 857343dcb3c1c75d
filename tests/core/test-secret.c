/* test-secret.c: the keyring helpers without a secret service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "tunescope-core.h"

#define SECRET "s3cr3t-XYZ"

static void
assert_unavailable (GError *error)
{
  g_assert_error (error, TS_ERROR, TS_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "keyring"));
  g_assert_null (strstr (error->message, SECRET));
}

static void
test_no_service (void)
{
  g_autoptr(GError) store_error = NULL;
  g_autoptr(GError) lookup_error = NULL;
  g_autoptr(GError) clear_error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *secret = NULL;

  g_assert_false (ts_secret_store_spotify ("tid", SECRET, NULL, &store_error));
  assert_unavailable (store_error);
  g_assert_false (ts_secret_lookup_spotify (&id, &secret, NULL, &lookup_error));
  assert_unavailable (lookup_error);
  g_assert_null (id);
  g_assert_null (secret);
  g_assert_false (ts_secret_clear_spotify (NULL, &clear_error));
  assert_unavailable (clear_error);
}

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  GError **error = data;
  g_autofree char *id = NULL;
  g_autofree char *secret = NULL;

  g_assert_false (ts_secret_lookup_spotify_finish (result, &id, &secret, error));
}

static void
test_no_service_async (void)
{
  g_autoptr(GError) error = NULL;

  ts_secret_lookup_spotify_async (NULL, on_looked_up, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  assert_unavailable (error);
}

int
main (int    argc,
      char **argv)
{
  /* No session bus at all: what a headless box or a bare sandbox has. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/tunescope-test-bus", TRUE);
  g_unsetenv ("DISPLAY");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/secret/no-service", test_no_service);
  g_test_add_func ("/secret/no-service-async", test_no_service_async);
  return g_test_run ();
}
