/* ts-test-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "tunescope-core.h"
#include "ts-test-server.h"

struct _TsTestServer
{
  GSubprocess *process;
  guint16      port;
};

TsTestServer *
ts_test_server_start (void)
{
  return ts_test_server_start_script ("kaggle-server.py", NULL);
}

TsTestServer *
ts_test_server_start_script (const char *name,
                             const char *argument)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *script = NULL;
  g_autofree char *line = NULL;
  const char *root = g_getenv ("TS_SOURCE_ROOT");
  TsTestServer *self = g_new0 (TsTestServer, 1);
  guint64 port = 0;

  g_assert_nonnull (root);
  script = g_build_filename (root, "tests", "net", name, NULL);
  self->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                    "/usr/bin/python3", script, argument, NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "PORT "));
  g_assert_true (g_ascii_string_to_unsigned (line + 5, 10, 1, G_MAXUINT16, &port, &error));
  g_assert_no_error (error);
  self->port = (guint16) port;
  return self;
}

void
ts_test_server_stop (TsTestServer *self)
{
  if (self == NULL)
    return;
  g_subprocess_force_exit (self->process);
  g_subprocess_wait (self->process, NULL, NULL);
  g_object_unref (self->process);
  g_free (self);
}

guint16
ts_test_server_port (TsTestServer *self)
{
  return self->port;
}

char *
ts_test_server_base (TsTestServer *self,
                     const char   *mode)
{
  return g_strdup_printf ("http://127.0.0.1:%u/%s", self->port, mode);
}

char *
ts_test_server_url (TsTestServer *self,
                    const char   *mode)
{
  return g_strdup_printf ("http://127.0.0.1:%u/%s/x", self->port, mode);
}

gint64
ts_test_server_count (TsTestServer *self,
                      const char   *key)
{
  g_autofree char *url = ts_test_server_base (self, "stats");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  TsHttpOptions options;

  ts_http_options_init (&options, "test");
  body = ts_http_get_bytes (url, &options, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                              (gssize) g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  return json_object_get_int_member_with_default (
    json_node_get_object (json_parser_get_root (parser)), key, 0);
}
