/* ts-http.h: small blocking HTTP client over libcurl
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ts-types.h"

G_BEGIN_DECLS

/* A pool of connections shared by requests from many threads: one curl
 * multi handle driven by its own thread, with a cap on connections in all
 * and per host, reusing connections and multiplexing HTTP/2 streams where
 * the server offers them. */
typedef struct _TsHttpMulti TsHttpMulti;

TsHttpMulti *ts_http_multi_new   (guint        max_connections,
                                  guint        max_host_connections);
TsHttpMulti *ts_http_multi_ref   (TsHttpMulti *self);
void         ts_http_multi_unref (TsHttpMulti *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsHttpMulti, ts_http_multi_unref)

/* The body a request accepts unless told otherwise: a JSON answer of the
 * services we use is a few KB, and json-glib builds up to a hundred times
 * a text's size in nodes; a bigger body (a download) must ask for it. */
#define TS_HTTP_DEFAULT_MAX_BODY (8 * 1024 * 1024)

/* How one request is made. Fill with ts_http_options_init() and change
 * what differs; a zero field never means "default" after that. Strings are
 * borrowed for the duration of the call. */
typedef struct
{
  /* Named in error messages, e.g. "Kaggle" (required). */
  const char         *service;
  /* Redirects followed before giving up (0: none followed). */
  guint               max_redirects;
  /* Time to set up the connection, and for the whole transfer (0: no
   * limit), in milliseconds. */
  guint               connect_timeout_ms;
  guint               timeout_ms;
  /* The transfer fails when no byte arrived for this long (0: never). */
  guint               stall_timeout_ms;
  /* Largest body accepted, in bytes (0: no limit), enforced as it
   * arrives. ts_http_options_init() sets TS_HTTP_DEFAULT_MAX_BODY. */
  guint64             max_body_size;
  /* HTTP Basic credentials, sent only to the host of the first URL. The
   * password never appears in errors, logs or argv. */
  const char         *username;
  const char         *password;
  /* Extra request headers, "Name: value", NULL-terminated (may be NULL). */
  const char * const *headers;
  /* When set, the request is a POST of these x-www-form-urlencoded fields
   * (only ts_http_fetch() accepts it). */
  const char         *post_fields;
  /* When set, the transfer runs on this pool; the call still blocks. */
  TsHttpMulti        *multi;
} TsHttpOptions;

/* What ts_http_fetch() received: any status, with its body. */
typedef struct
{
  guint   status;
  /* The body, also for error statuses (never NULL after success). */
  GBytes *body;
  /* Seconds from a Retry-After header, or -1 without one. */
  gint64  retry_after_s;
} TsHttpResponse;

void     ts_http_options_init      (TsHttpOptions       *options,
                                    const char          *service);

/* The User-Agent sent with every request: "Tunescope/VERSION". */
const char *ts_http_get_user_agent (void);

/* GETs @url into memory. Progress goes to @progress with the fraction of
 * the body received (negative while the size is unknown). HTTP errors are
 * TS_ERROR_HTTP (TS_ERROR_AUTH for 401/403) with the status in the message;
 * transport failures are TS_ERROR_NETWORK; cancellation G_IO_ERROR_CANCELLED.
 * @status_out (may be NULL) receives the final HTTP status, 0 if none. */
GBytes  *ts_http_get_bytes         (const char          *url,
                                    const TsHttpOptions *options,
                                    TsProgressFunc       progress,
                                    gpointer             progress_data,
                                    guint               *status_out,
                                    GCancellable        *cancellable,
                                    GError             **error);

/* GETs @url into the file @dest_path, atomically: the body goes to a
 * temporary file in the same folder, renamed over @dest_path only when the
 * whole body arrived. On failure nothing is left behind. */
gboolean ts_http_get_file          (const char          *url,
                                    const char          *dest_path,
                                    const TsHttpOptions *options,
                                    TsProgressFunc       progress,
                                    gpointer             progress_data,
                                    guint               *status_out,
                                    GCancellable        *cancellable,
                                    GError             **error);

/* Makes one request and hands back whatever HTTP answer came, error
 * statuses included, for callers that interpret statuses themselves
 * (retries, rate limits). Fails only on transport trouble, a too large
 * body or cancellation, as ts_http_get_bytes() does. Clear @response with
 * ts_http_response_clear(). */
gboolean ts_http_fetch             (const char          *url,
                                    const TsHttpOptions *options,
                                    TsHttpResponse      *response,
                                    GCancellable        *cancellable,
                                    GError             **error);
void     ts_http_response_clear    (TsHttpResponse      *response);

/* The host of @url for messages ("www.kaggle.com"), never its path, query
 * or user info; "the server" when @url does not parse. */
char    *ts_http_dup_host          (const char          *url);

G_END_DECLS
