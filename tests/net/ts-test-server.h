/* ts-test-server.h: the local stand-in for Kaggle, run by the net tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _TsTestServer TsTestServer;

/* Starts tests/net/kaggle-server.py on 127.0.0.1 and waits for its port. */
TsTestServer *ts_test_server_start (void);
/* Starts tests/net/@name with one optional @argument (may be NULL). */
TsTestServer *ts_test_server_start_script (const char *name,
                                           const char *argument);
void          ts_test_server_stop  (TsTestServer *self);
guint16       ts_test_server_port  (TsTestServer *self);
/* "http://127.0.0.1:PORT/MODE" (see the script for the modes). */
char         *ts_test_server_base  (TsTestServer *self,
                                    const char   *mode);
/* The base plus "/x": a URL the mode answers. */
char         *ts_test_server_url   (TsTestServer *self,
                                    const char   *mode);
/* How many requests of @key ("oembed:ID", "api:ID", "img:NAME", "token",
 * "maxinflight", "connections") the art server script saw, from its
 * "stats" mode. */
gint64        ts_test_server_count (TsTestServer *self,
                                    const char   *key);

G_END_DECLS
