/* ts-http.c: small blocking HTTP client over libcurl
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-http"

#include "config.h"


#include <curl/curl.h>

#include "ts-atomic-file.h"
#include "ts-error.h"
#include "ts-http.h"

#define USER_AGENT "Tunescope/" PACKAGE_VERSION

/* One transfer: where the body goes and what went wrong, as seen from the
 * libcurl callbacks. */
typedef struct
{
  const TsHttpOptions *options;
  CURL                *curl;
  GByteArray          *buffer;  /* memory sink, or NULL */
  TsAtomicFile        *file;    /* file sink, or NULL */
  guint64              received;
  TsProgressFunc       progress;
  gpointer             progress_data;
  GCancellable        *cancellable;
  gint64               last_data_usec;
  curl_off_t           last_dlnow;
  GError              *write_error;
  guint                keep_error_body : 1;
  guint                too_large : 1;
  guint                write_failed : 1;
  guint                cancelled : 1;
  guint                stalled : 1;
} Transfer;

/* The pool */

struct _TsHttpMulti
{
  gatomicrefcount  ref_count;
  CURLM           *multi;
  GThread         *thread;
  GMutex           lock;
  GCond            finished;
  GQueue           pending;   /* MultiJob to add */
  gboolean         quit;
};

/* One transfer handed to the pool, waited for by its caller. */
typedef struct
{
  CURL     *easy;
  CURLcode  result;
  gboolean  done;
} MultiJob;

static void ensure_curl_initialized (void);

static void
multi_collect (TsHttpMulti *self)
{
  CURLMsg *msg;
  int left = 0;

  while ((msg = curl_multi_info_read (self->multi, &left)) != NULL)
    {
      MultiJob *job = NULL;

      if (msg->msg != CURLMSG_DONE)
        continue;
      curl_easy_getinfo (msg->easy_handle, CURLINFO_PRIVATE, (char **) &job);
      g_assert (job != NULL);
      job->result = msg->data.result;
      curl_multi_remove_handle (self->multi, msg->easy_handle);
      g_mutex_lock (&self->lock);
      job->done = TRUE;
      g_cond_broadcast (&self->finished);
      g_mutex_unlock (&self->lock);
    }
}

static gpointer
multi_thread (gpointer data)
{
  TsHttpMulti *self = data;

  for (;;)
    {
      MultiJob *job;
      int running = 0;

      g_mutex_lock (&self->lock);
      if (self->quit)
        {
          g_mutex_unlock (&self->lock);
          break;
        }
      while ((job = g_queue_pop_head (&self->pending)) != NULL)
        {
          CURLMcode code = curl_multi_add_handle (self->multi, job->easy);

          if (code != CURLM_OK)
            {
              job->result = CURLE_FAILED_INIT;
              job->done = TRUE;
              g_cond_broadcast (&self->finished);
            }
        }
      g_mutex_unlock (&self->lock);

      curl_multi_perform (self->multi, &running);
      multi_collect (self);
      /* Woken early by curl_multi_wakeup() when work arrives. */
      curl_multi_poll (self->multi, NULL, 0, 100, NULL);
    }
  return NULL;
}

TsHttpMulti *
ts_http_multi_new (guint max_connections,
                   guint max_host_connections)
{
  TsHttpMulti *self;

  g_return_val_if_fail (max_connections >= 1, NULL);
  g_return_val_if_fail (max_host_connections >= 1, NULL);

  ensure_curl_initialized ();
  self = g_new0 (TsHttpMulti, 1);
  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->lock);
  g_cond_init (&self->finished);
  g_queue_init (&self->pending);
  self->multi = curl_multi_init ();
  curl_multi_setopt (self->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long) max_connections);
  curl_multi_setopt (self->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long) max_host_connections);
  /* Keep every connection alive between requests. By default libcurl
   * keeps four idle ones per transfer under way, and here a transfer is
   * added per request: whenever few were under way (the workers storing
   * covers), it closed the others, and the next requests paid for new
   * connections, a TLS handshake each on the real servers. */
  curl_multi_setopt (self->multi, CURLMOPT_MAXCONNECTS, (long) max_connections);
  curl_multi_setopt (self->multi, CURLMOPT_PIPELINING, (long) CURLPIPE_MULTIPLEX);
  self->thread = g_thread_new ("ts-http-multi", multi_thread, self);
  return self;
}

TsHttpMulti *
ts_http_multi_ref (TsHttpMulti *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
ts_http_multi_unref (TsHttpMulti *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  /* Every caller waits for its own transfer, so none is left running. */
  g_mutex_lock (&self->lock);
  self->quit = TRUE;
  g_mutex_unlock (&self->lock);
  curl_multi_wakeup (self->multi);
  g_thread_join (self->thread);
  curl_multi_cleanup (self->multi);
  g_cond_clear (&self->finished);
  g_mutex_clear (&self->lock);
  g_free (self);
}

static CURLcode
multi_perform (TsHttpMulti *self,
               CURL        *easy)
{
  MultiJob job = { .easy = easy };

  curl_easy_setopt (easy, CURLOPT_PRIVATE, &job);
  /* Rather wait for a connection that can multiplex than open another. */
  curl_easy_setopt (easy, CURLOPT_PIPEWAIT, 1L);
  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->pending, &job);
  g_mutex_unlock (&self->lock);
  curl_multi_wakeup (self->multi);

  g_mutex_lock (&self->lock);
  while (!job.done)
    g_cond_wait (&self->finished, &self->lock);
  g_mutex_unlock (&self->lock);
  return job.result;
}

/* Requests */

void
ts_http_options_init (TsHttpOptions *options,
                      const char    *service)
{
  g_return_if_fail (options != NULL);
  g_return_if_fail (service != NULL);

  *options = (TsHttpOptions) {
    .service = service,
    .max_redirects = 10,
    .connect_timeout_ms = 30 * 1000,
    .timeout_ms = 0,
    .stall_timeout_ms = 60 * 1000,
    .max_body_size = TS_HTTP_DEFAULT_MAX_BODY,
  };
}

const char *
ts_http_get_user_agent (void)
{
  return USER_AGENT;
}

static void
ensure_curl_initialized (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      CURLcode res = curl_global_init (CURL_GLOBAL_DEFAULT);

      if (res != CURLE_OK)
        g_critical ("curl_global_init failed: %s", curl_easy_strerror (res));
      g_once_init_leave (&initialized, 1);
    }
}

char *
ts_http_dup_host (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url != NULL)
    uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return g_strdup ("the server");
  return g_strdup (g_uri_get_host (uri));
}

/* Returning anything but @size * @nmemb makes libcurl fail the transfer
 * with CURLE_WRITE_ERROR; the flags tell why. */
static size_t
on_write (char   *ptr,
          size_t  size,
          size_t  nmemb,
          void   *data)
{
  Transfer *t = data;
  size_t length = size * nmemb;
  long status = 0;

  /* The body of an error answer is never a result: drop it. */
  curl_easy_getinfo (t->curl, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 300 && !t->keep_error_body)
    return length;

  if (t->options->max_body_size > 0 && t->received + length > t->options->max_body_size)
    {
      t->too_large = TRUE;
      return 0;
    }
  t->received += length;

  if (t->buffer != NULL)
    g_byte_array_append (t->buffer, (const guint8 *) ptr, length);
  else if (!ts_atomic_file_write (t->file, ptr, length, &t->write_error))
    {
      t->write_failed = TRUE;
      return 0;
    }
  return length;
}

static void
report_progress (Transfer   *t,
                 curl_off_t  dltotal,
                 curl_off_t  dlnow)
{
  g_autofree char *now_str = g_format_size ((guint64) dlnow);
  g_autofree char *message = NULL;
  double fraction = -1.0;

  if (dltotal > 0)
    {
      g_autofree char *total_str = g_format_size ((guint64) dltotal);

      fraction = CLAMP ((double) dlnow / (double) dltotal, 0.0, 1.0);
      message = g_strdup_printf ("Downloading from %s (%s of %s)", t->options->service,
                                 now_str, total_str);
    }
  else
    message = g_strdup_printf ("Downloading from %s (%s)", t->options->service, now_str);

  t->progress (fraction, message, t->progress_data);
}

/* Called often while data flows and about once a second when it does not:
 * the place to notice cancellation and stalls. Non-zero aborts. */
static int
on_xferinfo (void       *data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  Transfer *t = data;
  gint64 now = g_get_monotonic_time ();

  if (g_cancellable_is_cancelled (t->cancellable))
    {
      t->cancelled = TRUE;
      return 1;
    }

  if (dlnow != t->last_dlnow)
    {
      t->last_dlnow = dlnow;
      t->last_data_usec = now;
      if (t->progress != NULL)
        report_progress (t, dltotal, dlnow);
    }
  else if (t->options->stall_timeout_ms > 0 &&
           now - t->last_data_usec > (gint64) t->options->stall_timeout_ms * 1000)
    {
      t->stalled = TRUE;
      return 1;
    }
  return 0;
}

static const char *
status_reason (long status)
{
  switch (status)
    {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 410: return "Gone";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default:  return "";
    }
}

static char *
dup_effective_host (Transfer   *t,
                    const char *url)
{
  char *effective = NULL;

  if (curl_easy_getinfo (t->curl, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK &&
      effective != NULL)
    return ts_http_dup_host (effective);
  return ts_http_dup_host (url);
}

/* Turns the outcome of curl_easy_perform() into a GError; never names more
 * of a URL than its host, which keeps signed query strings and
 * credentials out of messages. */
static gboolean
check_result (Transfer    *t,
              const char  *url,
              CURLcode     res,
              const char  *errbuf,
              long         status,
              GError     **error)
{
  const char *service = t->options->service;
  g_autofree char *host = dup_effective_host (t, url);

  if (t->cancelled || g_cancellable_is_cancelled (t->cancellable))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                   "The download from %s was cancelled", service);
      return FALSE;
    }
  if (t->stalled)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_NETWORK,
                   "%s (%s) stopped sending data for %u s", service, host,
                   (t->options->stall_timeout_ms + 999) / 1000);
      return FALSE;
    }
  if (t->too_large || res == CURLE_FILESIZE_EXCEEDED)
    {
      g_autofree char *limit = g_format_size (t->options->max_body_size);

      g_set_error (error, TS_ERROR, TS_ERROR_HTTP,
                   "The answer of %s (%s) is larger than the %s allowed", service, host, limit);
      return FALSE;
    }
  if (t->write_failed)
    {
      g_propagate_error (error, g_steal_pointer (&t->write_error));
      return FALSE;
    }

  switch (res)
    {
    case CURLE_OK:
      break;
    case CURLE_OPERATION_TIMEDOUT:
      g_set_error (error, TS_ERROR, TS_ERROR_NETWORK,
                   "%s (%s) did not answer in time", service, host);
      return FALSE;
    case CURLE_TOO_MANY_REDIRECTS:
      g_set_error (error, TS_ERROR, TS_ERROR_HTTP,
                   "%s (%s) redirected more than %u times", service, host,
                   t->options->max_redirects);
      return FALSE;
    case CURLE_PARTIAL_FILE:
      g_set_error (error, TS_ERROR, TS_ERROR_NETWORK,
                   "The download from %s (%s) was cut short after %" G_GUINT64_FORMAT " bytes",
                   service, host, t->received);
      return FALSE;
    default:
      g_set_error (error, TS_ERROR, TS_ERROR_NETWORK, "Could not reach %s (%s): %s",
                   service, host, *errbuf ? errbuf : curl_easy_strerror (res));
      return FALSE;
    }

  if ((status < 200 || status >= 300) && !t->keep_error_body)
    {
      int code = (status == 401 || status == 403) ? TS_ERROR_AUTH : TS_ERROR_HTTP;
      const char *reason = status_reason (status);

      g_set_error (error, TS_ERROR, code, "%s (%s) answered HTTP %ld%s%s", service, host,
                   status, *reason ? " " : "", reason);
      return FALSE;
    }
  return TRUE;
}

static struct curl_slist *
build_headers (const TsHttpOptions *options)
{
  struct curl_slist *list = NULL;

  for (guint i = 0; options->headers != NULL && options->headers[i] != NULL; i++)
    list = curl_slist_append (list, options->headers[i]);
  return list;
}

static void
setup_handle (Transfer           *t,
              const char         *url,
              struct curl_slist  *headers,
              char               *errbuf)
{
  const TsHttpOptions *o = t->options;
  CURL *curl = t->curl;

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (curl, CURLOPT_USERAGENT, USER_AGENT);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt (curl, CURLOPT_MAXREDIRS, (long) o->max_redirects);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt (curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS, (long) o->connect_timeout_ms);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, (long) o->timeout_ms);
  if (o->max_body_size > 0)
    curl_easy_setopt (curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) o->max_body_size);
  if (headers != NULL)
    curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  if (o->post_fields != NULL)
    curl_easy_setopt (curl, CURLOPT_COPYPOSTFIELDS, o->post_fields);
  /* HTTP/2 where a TLS server offers it; plain HTTP/1.1 otherwise. */
  curl_easy_setopt (curl, CURLOPT_HTTP_VERSION, (long) CURL_HTTP_VERSION_2TLS);

  /* libcurl sends these only to the first URL's host, not after a
   * redirect elsewhere (CURLOPT_UNRESTRICTED_AUTH stays off). */
  if (o->username != NULL)
    {
      curl_easy_setopt (curl, CURLOPT_HTTPAUTH, (long) CURLAUTH_BASIC);
      curl_easy_setopt (curl, CURLOPT_USERNAME, o->username);
      curl_easy_setopt (curl, CURLOPT_PASSWORD, o->password ? o->password : "");
    }

  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, t);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, on_xferinfo);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, t);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
}

static gboolean
perform (Transfer    *t,
         const char  *url,
         guint       *status_out,
         gint64      *retry_after_out,
         GError     **error)
{
  char errbuf[CURL_ERROR_SIZE] = "";
  struct curl_slist *headers = NULL;
  long status = 0;
  CURLcode res;
  gboolean ok;

  g_assert (t != NULL);
  g_assert (url != NULL);

  if (g_cancellable_set_error_if_cancelled (t->cancellable, error))
    return FALSE;

  ensure_curl_initialized ();
  t->curl = curl_easy_init ();
  if (t->curl == NULL)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_NETWORK, "Could not start a request to %s",
                   t->options->service);
      return FALSE;
    }
  t->last_data_usec = g_get_monotonic_time ();
  headers = build_headers (t->options);
  setup_handle (t, url, headers, errbuf);

  if (t->options->multi != NULL)
    res = multi_perform (t->options->multi, t->curl);
  else
    res = curl_easy_perform (t->curl);
  curl_easy_getinfo (t->curl, CURLINFO_RESPONSE_CODE, &status);
  if (status_out != NULL)
    *status_out = (guint) status;
  if (retry_after_out != NULL)
    {
      curl_off_t retry_after = 0;

      /* libcurl answers 0 both for "none" and for "Retry-After: 0". */
      if (curl_easy_getinfo (t->curl, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK &&
          retry_after > 0)
        *retry_after_out = (gint64) retry_after;
      else
        *retry_after_out = -1;
    }
  ok = check_result (t, url, res, errbuf, status, error);

  curl_easy_cleanup (t->curl);
  t->curl = NULL;
  curl_slist_free_all (headers);
  return ok;
}

static void
transfer_init (Transfer            *t,
               const TsHttpOptions *options,
               TsProgressFunc       progress,
               gpointer             progress_data,
               GCancellable        *cancellable)
{
  *t = (Transfer) {
    .options = options,
    .progress = progress,
    .progress_data = progress_data,
    .cancellable = cancellable,
    .last_dlnow = -1,
  };
}

GBytes *
ts_http_get_bytes (const char          *url,
                   const TsHttpOptions *options,
                   TsProgressFunc       progress,
                   gpointer             progress_data,
                   guint               *status_out,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  Transfer t;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (options != NULL && options->service != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  transfer_init (&t, options, progress, progress_data, cancellable);
  t.buffer = buffer;
  if (!perform (&t, url, status_out, NULL, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

gboolean
ts_http_get_file (const char          *url,
                  const char          *dest_path,
                  const TsHttpOptions *options,
                  TsProgressFunc       progress,
                  gpointer             progress_data,
                  guint               *status_out,
                  GCancellable        *cancellable,
                  GError             **error)
{
  g_autoptr(TsAtomicFile) file = NULL;
  Transfer t;

  g_return_val_if_fail (url != NULL, FALSE);
  g_return_val_if_fail (dest_path != NULL, FALSE);
  g_return_val_if_fail (options != NULL && options->service != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  file = ts_atomic_file_new (dest_path, error);
  if (file == NULL)
    return FALSE;

  transfer_init (&t, options, progress, progress_data, cancellable);
  t.file = file;
  if (!perform (&t, url, status_out, NULL, error))
    {
      g_clear_error (&t.write_error);
      return FALSE;
    }
  return ts_atomic_file_commit (file, error);
}

gboolean
ts_http_fetch (const char          *url,
               const TsHttpOptions *options,
               TsHttpResponse      *response,
               GCancellable        *cancellable,
               GError             **error)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  Transfer t;

  g_return_val_if_fail (url != NULL, FALSE);
  g_return_val_if_fail (options != NULL && options->service != NULL, FALSE);
  g_return_val_if_fail (response != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *response = (TsHttpResponse) { .retry_after_s = -1 };
  transfer_init (&t, options, NULL, NULL, cancellable);
  t.buffer = buffer;
  t.keep_error_body = TRUE;
  if (!perform (&t, url, &response->status, &response->retry_after_s, error))
    return FALSE;
  response->body = g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
  return TRUE;
}

void
ts_http_response_clear (TsHttpResponse *response)
{
  g_return_if_fail (response != NULL);

  g_clear_pointer (&response->body, g_bytes_unref);
  response->status = 0;
  response->retry_after_s = -1;
}
