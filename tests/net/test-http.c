/* test-http.c: ts-http against a local server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "ts-error.h"
#include "net/ts-http.h"
#include "ts-test-server.h"

static TsTestServer *server;

static GBytes *
get (const char          *mode,
     const TsHttpOptions *options,
     GError             **error)
{
  g_autofree char *url = ts_test_server_url (server, mode);

  return ts_http_get_bytes (url, options, NULL, NULL, NULL, NULL, error);
}

/* The message names the service and host, and never the URL's path. */
static void
assert_message_shape (const GError *error,
                      const char   *mode)
{
  g_autofree char *path = g_strdup_printf ("/%s/", mode);

  g_assert_nonnull (strstr (error->message, "Test"));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_null (strstr (error->message, path));
}

static void
test_user_agent (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  TsHttpOptions options;
  guint status = 0;
  g_autofree char *url = ts_test_server_url (server, "ua");

  ts_http_options_init (&options, "Test");
  body = ts_http_get_bytes (url, &options, NULL, NULL, &status, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (ts_http_get_user_agent (), ==, "Tunescope/" PACKAGE_VERSION);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                   ts_http_get_user_agent (), strlen (ts_http_get_user_agent ()));
}

static void
test_redirect (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) direct = NULL;
  g_autoptr(GBytes) redirected = NULL;
  TsHttpOptions options;

  ts_http_options_init (&options, "Test");
  direct = get ("ok", &options, &error);
  g_assert_no_error (error);
  redirected = get ("redirect", &options, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (direct, redirected));
  g_assert_cmpuint (g_bytes_get_size (direct), >, 100);
}

static void
test_redirect_limit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  TsHttpOptions options;

  ts_http_options_init (&options, "Test");
  options.max_redirects = 3;
  body = get ("loop", &options, &error);
  g_assert_error (error, TS_ERROR, TS_ERROR_HTTP);
  g_assert_null (body);
  g_assert_nonnull (strstr (error->message, "redirected more than 3 times"));
  assert_message_shape (error, "loop");
  g_clear_error (&error);

  /* No redirect at all may be followed. */
  options.max_redirects = 0;
  body = get ("redirect", &options, &error);
  g_assert_error (error, TS_ERROR, TS_ERROR_HTTP);
  g_assert_null (body);
}

typedef struct
{
  const char *mode;
  int         code;
  const char *status;
} StatusCase;

static void
test_status_errors (void)
{
  static const StatusCase cases[] = {
    { "error",     TS_ERROR_HTTP, "HTTP 500 Internal Server Error" },
    { "forbidden", TS_ERROR_AUTH, "HTTP 403 Forbidden" },
    { "auth",      TS_ERROR_AUTH, "HTTP 401 Unauthorized" },
    { "nosuch",    TS_ERROR_HTTP, "HTTP 404 Not Found" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) body = NULL;
      TsHttpOptions options;

      ts_http_options_init (&options, "Test");
      body = get (cases[i].mode, &options, &error);
      g_test_message ("%s: %s", cases[i].mode, error ? error->message : "(no error)");
      g_assert_error (error, TS_ERROR, cases[i].code);
      g_assert_null (body);
      g_assert_nonnull (strstr (error->message, cases[i].status));
      assert_message_shape (error, cases[i].mode);
    }
}

static void
test_basic_auth (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  TsHttpOptions options;

  ts_http_options_init (&options, "Test");
  options.username = "tuser";
  options.password = "tkey";
  body = get ("auth", &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);
  g_clear_pointer (&body, g_bytes_unref);

  options.password = "s3cr3t-wrong-key";
  body = get ("auth", &options, &error);
  g_assert_error (error, TS_ERROR, TS_ERROR_AUTH);
  g_assert_null (strstr (error->message, "s3cr3t"));
  g_assert_null (strstr (error->message, "tuser"));
}

/* Credentials go to the first host only, never to where it redirects. */
static void
test_auth_not_forwarded (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  TsHttpOptions options;

  ts_http_options_init (&options, "Test");
  options.username = "tuser";
  options.password = "tkey";
  body = get ("authecho", &options, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "yes", 3);
  g_clear_pointer (&body, g_bytes_unref);

  body = get ("otherhost", &options, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "no", 2);
}

static void
test_max_body (void)
{
  static const char * const modes[] = { "big", "bignolength" };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) body = NULL;
      TsHttpOptions options;

      ts_http_options_init (&options, "Test");
      g_assert_cmpuint (options.max_body_size, ==, TS_HTTP_DEFAULT_MAX_BODY);
      options.max_body_size = 1000;
      body = get (modes[i], &options, &error);
      g_assert_error (error, TS_ERROR, TS_ERROR_HTTP);
      g_assert_nonnull (strstr (error->message, "larger than"));
      g_assert_null (body);
      g_clear_error (&error);

      options.max_body_size = 2 << 20;
      body = get (modes[i], &options, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (body), ==, 1 << 20);
    }
}

typedef struct
{
  const char *mode;
  guint       timeout_ms;
  guint       stall_timeout_ms;
  const char *needle;
} TimeoutCase;

/* A server that never answers, and one that stops half-way: both must
 * fail fast with short limits. */
static void
test_timeouts (void)
{
  static const TimeoutCase cases[] = {
    { "hang", 300, 0,   "did not answer in time" },
    { "slow", 0,   300, "stopped sending data" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) body = NULL;
      TsHttpOptions options;
      gint64 start = g_get_monotonic_time ();

      ts_http_options_init (&options, "Test");
      options.timeout_ms = cases[i].timeout_ms;
      options.stall_timeout_ms = cases[i].stall_timeout_ms;
      body = get (cases[i].mode, &options, &error);
      g_assert_error (error, TS_ERROR, TS_ERROR_NETWORK);
      g_assert_nonnull (strstr (error->message, cases[i].needle));
      assert_message_shape (error, cases[i].mode);
      g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
    }
}

static void
test_truncated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  TsHttpOptions options;

  ts_http_options_init (&options, "Test");
  body = get ("truncated", &options, &error);
  g_assert_error (error, TS_ERROR, TS_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "cut short"));
  assert_message_shape (error, "truncated");
}

static void
test_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  TsHttpOptions options;

  ts_http_options_init (&options, "Test");
  /* Port 1 on the loopback: nothing listens there. */
  body = ts_http_get_bytes ("http://127.0.0.1:1/x", &options, NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, TS_ERROR, TS_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "Could not reach Test (127.0.0.1)"));
}

static void
cancel_on_progress (double      fraction,
                    const char *message,
                    gpointer    data)
{
  g_assert_nonnull (message);
  g_cancellable_cancel (data);
}

static void
test_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = ts_test_server_url (server, "slow");
  TsHttpOptions options;
  gint64 start = g_get_monotonic_time ();

  ts_http_options_init (&options, "Test");
  body = ts_http_get_bytes (url, &options, cancel_on_progress, cancellable, NULL, cancellable,
                            &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (body);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_clear_error (&error);

  /* Already cancelled: no request at all. */
  body = ts_http_get_bytes (url, &options, NULL, NULL, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_file_atomic (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ts-http-XXXXXX", &error);
  g_autofree char *dest = g_build_filename (dir, "out.zip", NULL);
  g_autofree char *bad_url = ts_test_server_url (server, "truncated");
  g_autofree char *good_url = ts_test_server_url (server, "ok");
  g_autofree char *contents = NULL;
  gsize length = 0;
  TsHttpOptions options;

  g_assert_no_error (error);
  g_file_set_contents (dest, "old", -1, &error);
  g_assert_no_error (error);
  ts_http_options_init (&options, "Test");

  /* A failed download leaves the old file and no temporary file. */
  g_assert_false (ts_http_get_file (bad_url, dest, &options, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, TS_ERROR, TS_ERROR_NETWORK);
  g_clear_error (&error);
  g_file_get_contents (dest, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "old");
  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_clear_pointer (&contents, g_free);

  g_assert_true (ts_http_get_file (good_url, dest, &options, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_file_get_contents (dest, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, 2, "PK", 2);
  g_assert_cmpuint (count_entries (dir), ==, 1);

  g_unlink (dest);
  g_rmdir (dir);
}

static void
test_host (void)
{
  static const char * const cases[][2] = {
    { "https://user:pass@www.kaggle.com/api/v1?token=secret", "www.kaggle.com" },
    { "http://127.0.0.1:8080/x", "127.0.0.1" },
    { "not a url", "the server" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *host = ts_http_dup_host (cases[i][0]);

      g_assert_cmpstr (host, ==, cases[i][1]);
    }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  server = ts_test_server_start ();

  g_test_add_func ("/Ts/Http/user-agent", test_user_agent);
  g_test_add_func ("/Ts/Http/redirect", test_redirect);
  g_test_add_func ("/Ts/Http/redirect-limit", test_redirect_limit);
  g_test_add_func ("/Ts/Http/status-errors", test_status_errors);
  g_test_add_func ("/Ts/Http/basic-auth", test_basic_auth);
  g_test_add_func ("/Ts/Http/auth-not-forwarded", test_auth_not_forwarded);
  g_test_add_func ("/Ts/Http/max-body", test_max_body);
  g_test_add_func ("/Ts/Http/timeouts", test_timeouts);
  g_test_add_func ("/Ts/Http/truncated", test_truncated);
  g_test_add_func ("/Ts/Http/refused", test_refused);
  g_test_add_func ("/Ts/Http/cancel", test_cancel);
  g_test_add_func ("/Ts/Http/file-atomic", test_file_atomic);
  g_test_add_func ("/Ts/Http/host", test_host);

  ret = g_test_run ();
  ts_test_server_stop (server);
  return ret;
}
