/* ts-spotify.c: where a track's cover lives, asked of Spotify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-spotify"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "ts-error.h"
#include "ts-http.h"
#include "ts-json-private.h"
#include "ts-spotify-private.h"

#define DEFAULT_API_URL      "https://api.spotify.com/v1"
#define DEFAULT_ACCOUNTS_URL "https://accounts.spotify.com"
#define DEFAULT_OEMBED_URL   "https://open.spotify.com/oembed"
#define MAX_JSON_SIZE        (1024 * 1024)
#define MAX_IMAGE_SIZE       (10 * 1024 * 1024)
#define SLEEP_SLICE_MS       20
#define MAX_TOKEN_LIFETIME_S (24 * 3600)

/* A host that asked us to stay away: until then, requests to it fail
 * without being sent, rather than hammering it. */
typedef struct
{
  gint64   until_usec;  /* real time */
  gboolean quota;
} HostBlock;

struct _TsSpotify
{
  gatomicrefcount  ref_count;
  char            *api_url;
  char            *accounts_url;
  char            *oembed_url;

  /* Guards everything below but the token request itself. */
  GMutex           lock;
  GCond            host_freed;
  GHashTable      *host_counts;  /* host → active requests */
  GHashTable      *host_blocks;  /* host → HostBlock: rate-limited until */
  guint            max_per_host;
  TsHttpMulti     *multi;
  TsSpotifyPolicy  policy;
  char            *client_id;
  char            *client_secret;
  char            *token;
  gint64           token_expiry_usec;  /* monotonic */

  /* Held while asking for a token, so that only one request does. */
  GMutex           token_lock;
};

const char *
ts_art_source_get_name (TsArtSource source)
{
  return source == TS_ART_SOURCE_API ? "api" : "oembed";
}

gboolean
ts_art_source_from_name (const char  *name,
                         TsArtSource *source)
{
  g_return_val_if_fail (source != NULL, FALSE);

  if (g_strcmp0 (name, "oembed") == 0)
    *source = TS_ART_SOURCE_OEMBED;
  else if (g_strcmp0 (name, "api") == 0)
    *source = TS_ART_SOURCE_API;
  else
    return FALSE;
  return TRUE;
}

gboolean
ts_spotify_is_track_id (const char *id)
{
  gsize length;

  if (id == NULL)
    return FALSE;
  length = strlen (id);
  if (length == 0 || length > 64)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isalnum (id[i]))
        return FALSE;
    }
  return TRUE;
}

static char *
dup_url (const char *value)
{
  char *url = g_strdup (value);
  gsize length = strlen (url);

  while (length > 0 && url[length - 1] == '/')
    url[--length] = '\0';
  return url;
}

static char *
dup_base_url (const char *variable,
              const char *fallback)
{
  const char *value = g_getenv (variable);

  return dup_url (value != NULL && *value != '\0' ? value : fallback);
}

void
ts_spotify_set_base_urls (TsSpotify  *self,
                          const char *api_url,
                          const char *accounts_url,
                          const char *oembed_url)
{
  g_return_if_fail (self != NULL);

  if (api_url != NULL)
    {
      g_free (self->api_url);
      self->api_url = dup_url (api_url);
    }
  if (accounts_url != NULL)
    {
      g_free (self->accounts_url);
      self->accounts_url = dup_url (accounts_url);
    }
  if (oembed_url != NULL)
    {
      g_free (self->oembed_url);
      self->oembed_url = dup_url (oembed_url);
    }
}

TsSpotify *
ts_spotify_new (void)
{
  TsSpotify *self = g_new0 (TsSpotify, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->api_url = dup_base_url ("TUNESCOPE_SPOTIFY_API_URL", DEFAULT_API_URL);
  self->accounts_url = dup_base_url ("TUNESCOPE_SPOTIFY_ACCOUNTS_URL", DEFAULT_ACCOUNTS_URL);
  self->oembed_url = dup_base_url ("TUNESCOPE_OEMBED_URL", DEFAULT_OEMBED_URL);
  g_mutex_init (&self->lock);
  g_mutex_init (&self->token_lock);
  g_cond_init (&self->host_freed);
  self->host_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->host_blocks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->max_per_host = 4;
  self->multi = ts_http_multi_new (4, 4);
  self->policy = (TsSpotifyPolicy) {
    .max_attempts = 4,
    .base_delay_ms = 500,
    .max_delay_ms = 8000,
    .max_retry_after_s = 30,
    .connect_timeout_ms = 10 * 1000,
    .timeout_ms = 30 * 1000,
  };
  return self;
}

TsSpotify *
ts_spotify_ref (TsSpotify *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/* Secrets are wiped, not merely freed. */
static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    {
      volatile char *p = *secret;

      while (*p != '\0')
        *p++ = '\0';
      g_clear_pointer (secret, g_free);
    }
}

void
ts_spotify_unref (TsSpotify *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->api_url);
  g_free (self->accounts_url);
  g_free (self->oembed_url);
  g_free (self->client_id);
  clear_secret (&self->client_secret);
  clear_secret (&self->token);
  g_hash_table_unref (self->host_counts);
  g_hash_table_unref (self->host_blocks);
  ts_http_multi_unref (self->multi);
  g_cond_clear (&self->host_freed);
  g_mutex_clear (&self->token_lock);
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
ts_spotify_get_policy (TsSpotify       *self,
                       TsSpotifyPolicy *policy)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (policy != NULL);

  g_mutex_lock (&self->lock);
  *policy = self->policy;
  g_mutex_unlock (&self->lock);
}

void
ts_spotify_set_policy (TsSpotify             *self,
                       const TsSpotifyPolicy *policy)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (policy != NULL);
  g_return_if_fail (policy->max_attempts >= 1);

  g_mutex_lock (&self->lock);
  self->policy = *policy;
  g_mutex_unlock (&self->lock);
}

void
ts_spotify_set_connections (TsSpotify *self,
                            guint      max_connections,
                            guint      max_per_host)
{
  TsHttpMulti *old;

  g_return_if_fail (self != NULL);
  g_return_if_fail (max_connections >= 1);
  g_return_if_fail (max_per_host >= 1);

  g_mutex_lock (&self->lock);
  old = self->multi;
  self->multi = ts_http_multi_new (max_connections, max_per_host);
  self->max_per_host = max_per_host;
  g_cond_broadcast (&self->host_freed);
  g_mutex_unlock (&self->lock);
  /* Requests under way hold their own reference. */
  ts_http_multi_unref (old);
}

static TsHttpMulti *
dup_multi (TsSpotify *self)
{
  TsHttpMulti *multi;

  g_mutex_lock (&self->lock);
  multi = ts_http_multi_ref (self->multi);
  g_mutex_unlock (&self->lock);
  return multi;
}

void
ts_spotify_set_credentials (TsSpotify  *self,
                            const char *client_id,
                            const char *client_secret)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail ((client_id == NULL) == (client_secret == NULL));

  g_mutex_lock (&self->lock);
  g_free (self->client_id);
  clear_secret (&self->client_secret);
  clear_secret (&self->token);
  self->client_id = g_strdup (client_id);
  self->client_secret = g_strdup (client_secret);
  g_mutex_unlock (&self->lock);
}

gboolean
ts_spotify_has_credentials (TsSpotify *self)
{
  gboolean has;

  g_return_val_if_fail (self != NULL, FALSE);

  g_mutex_lock (&self->lock);
  has = self->client_id != NULL && *self->client_id != '\0';
  g_mutex_unlock (&self->lock);
  return has;
}

/* Politeness: at most max_per_host requests at once to one host. */

static gboolean
host_acquire (TsSpotify    *self,
              const char   *host,
              GCancellable *cancellable,
              GError      **error)
{
  g_mutex_lock (&self->lock);
  while (GPOINTER_TO_UINT (g_hash_table_lookup (self->host_counts, host)) >= self->max_per_host)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_mutex_unlock (&self->lock);
          return !g_cancellable_set_error_if_cancelled (cancellable, error);
        }
      g_cond_wait_until (&self->host_freed, &self->lock,
                         g_get_monotonic_time () + 50 * G_TIME_SPAN_MILLISECOND);
    }
  g_hash_table_insert (self->host_counts, g_strdup (host),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->host_counts,
                                                                                host)) + 1));
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
host_release (TsSpotify  *self,
              const char *host)
{
  guint count;

  g_mutex_lock (&self->lock);
  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->host_counts, host));
  if (count <= 1)
    g_hash_table_remove (self->host_counts, host);
  else
    g_hash_table_insert (self->host_counts, g_strdup (host), GUINT_TO_POINTER (count - 1));
  g_cond_broadcast (&self->host_freed);
  g_mutex_unlock (&self->lock);
}

/* Sleeps @ms in slices; FALSE with an error when cancelled meanwhile. */
static gboolean
sleep_cancellable (guint64        ms,
                   GCancellable  *cancellable,
                   GError       **error)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (SLEEP_SLICE_MS * 1000);
    }
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* Capped exponential backoff with "equal jitter": half fixed, half random. */
static guint64
backoff_ms (const TsSpotifyPolicy *policy,
            guint                  attempt)
{
  guint64 delay = policy->base_delay_ms;

  for (guint i = 1; i < attempt && delay < policy->max_delay_ms; i++)
    delay *= 2;
  delay = MIN (delay, (guint64) policy->max_delay_ms);
  return delay / 2 + (guint64) g_random_double_range (0, (double) delay / 2 + 1);
}

static gboolean
body_contains (GBytes     *body,
               const char *needle)
{
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;

  return data != NULL && g_strstr_len (data, (gssize) size, needle) != NULL;
}

static void
set_rate_limited (const char  *service,
                  const char  *host,
                  gint64       retry_after_s,
                  gboolean     quota,
                  GError     **error)
{
  if (quota)
    g_set_error (error, TS_ERROR, TS_ERROR_RATE_LIMITED,
                 "%s (%s) says the daily quota is used up; try again tomorrow", service, host);
  else if (retry_after_s > 0)
    {
      g_autofree char *wait = retry_after_s >= 3600
        ? g_strdup_printf ("%" G_GINT64_FORMAT " h %" G_GINT64_FORMAT " min",
                           retry_after_s / 3600, retry_after_s % 3600 / 60)
        : g_strdup_printf ("%" G_GINT64_FORMAT " s", retry_after_s);

      g_set_error (error, TS_ERROR, TS_ERROR_RATE_LIMITED,
                   "%s (%s) asks to wait %s before the next request (rate limit)", service, host,
                   wait);
    }
  else
    g_set_error (error, TS_ERROR, TS_ERROR_RATE_LIMITED,
                 "%s (%s) keeps answering “too many requests”", service, host);
}

static void
block_host (TsSpotify  *self,
            const char *host,
            gint64      seconds,
            gboolean    quota)
{
  HostBlock *block = g_new0 (HostBlock, 1);

  block->until_usec = g_get_real_time () + seconds * G_USEC_PER_SEC;
  block->quota = quota;
  g_mutex_lock (&self->lock);
  g_hash_table_insert (self->host_blocks, g_strdup (host), block);
  g_mutex_unlock (&self->lock);
}

static gboolean
check_host_block (TsSpotify   *self,
                  const char  *service,
                  const char  *host,
                  GError     **error)
{
  gint64 now = g_get_real_time ();
  gint64 remaining_s = 0;
  gboolean quota = FALSE;
  HostBlock *block;

  g_mutex_lock (&self->lock);
  block = g_hash_table_lookup (self->host_blocks, host);
  if (block != NULL && block->until_usec <= now)
    g_hash_table_remove (self->host_blocks, host);
  else if (block != NULL)
    {
      remaining_s = (block->until_usec - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
      quota = block->quota;
    }
  g_mutex_unlock (&self->lock);

  if (remaining_s > 0)
    {
      set_rate_limited (service, host, remaining_s, quota, error);
      return FALSE;
    }
  return TRUE;
}

/* One request with the policy's retries. Answers with any status but 429
 * and retried 5xx are handed back for the caller to interpret. */
static gboolean
request (TsSpotify           *self,
         const char          *url,
         const TsHttpOptions *options,
         TsHttpResponse      *response,
         GCancellable        *cancellable,
         GError             **error)
{
  g_autofree char *host = ts_http_dup_host (url);
  g_autoptr(TsHttpMulti) multi = dup_multi (self);
  TsSpotifyPolicy policy;
  TsHttpOptions with_timeouts = *options;

  ts_spotify_get_policy (self, &policy);
  with_timeouts.connect_timeout_ms = policy.connect_timeout_ms;
  with_timeouts.timeout_ms = policy.timeout_ms;
  with_timeouts.multi = multi;

  for (guint attempt = 1;; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      guint64 wait_ms;
      gboolean ok;

      if (!check_host_block (self, options->service, host, error) ||
          !host_acquire (self, host, cancellable, error))
        return FALSE;
      ok = ts_http_fetch (url, &with_timeouts, response, cancellable, &local_error);
      host_release (self, host);

      if (!ok)
        {
          if (!g_error_matches (local_error, TS_ERROR, TS_ERROR_NETWORK) ||
              attempt >= policy.max_attempts)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_debug ("%s (%s): %s; retrying", options->service, host, local_error->message);
          wait_ms = backoff_ms (&policy, attempt);
        }
      else if (response->status == 429)
        {
          gint64 retry_after = response->retry_after_s;
          gboolean quota = body_contains (response->body, "QUOTA_EXCEEDED");

          if (quota || retry_after > (gint64) policy.max_retry_after_s ||
              attempt >= policy.max_attempts)
            {
              set_rate_limited (options->service, host, retry_after, quota, error);
              ts_http_response_clear (response);
              /* Without a Retry-After, a spent quota keeps us away an hour. */
              block_host (self, host, retry_after > 0 ? retry_after : quota ? 3600 : 0, quota);
              return FALSE;
            }
          wait_ms = retry_after >= 0 ? (guint64) retry_after * 1000 : backoff_ms (&policy, attempt);
          ts_http_response_clear (response);
        }
      else if (response->status >= 500 && attempt < policy.max_attempts)
        {
          g_debug ("%s (%s) answered HTTP %u; retrying", options->service, host,
                   response->status);
          ts_http_response_clear (response);
          wait_ms = backoff_ms (&policy, attempt);
        }
      else
        return TRUE;

      if (!sleep_cancellable (wait_ms, cancellable, error))
        return FALSE;
    }
}

static void
set_status_error (const char  *service,
                  const char  *url,
                  guint        status,
                  GError     **error)
{
  g_autofree char *host = ts_http_dup_host (url);
  int code = (status == 401 || status == 403) ? TS_ERROR_AUTH : TS_ERROR_HTTP;

  g_set_error (error, TS_ERROR, code, "%s (%s) answered HTTP %u", service, host, status);
}

/* The root object of a JSON answer, or NULL with an error. */
static JsonNode *
parse_json_object (const char  *service,
                   const char  *url,
                   GBytes      *body,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *host = ts_http_dup_host (url);
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  JsonNode *root;

  if (!ts_json_parser_load (parser, data != NULL ? data : "", (gssize) size, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TS_ERROR, TS_ERROR_HTTP, "%s (%s) sent an answer that is not JSON",
                   service, host);
      return NULL;
    }
  return json_node_copy (root);
}

/* Tokens */

static char *
dup_valid_token (TsSpotify *self)
{
  char *token = NULL;

  g_mutex_lock (&self->lock);
  if (self->token != NULL && g_get_monotonic_time () < self->token_expiry_usec)
    token = g_strdup (self->token);
  g_mutex_unlock (&self->lock);
  return token;
}

static void
forget_token (TsSpotify  *self,
              const char *token)
{
  g_mutex_lock (&self->lock);
  if (self->token != NULL && g_strcmp0 (self->token, token) == 0)
    clear_secret (&self->token);
  g_mutex_unlock (&self->lock);
}

char *
_ts_spotify_parse_token (const char  *url,
                         GBytes      *body,
                         gint64      *expires_in,
                         GError     **error)
{
  g_autoptr(JsonNode) root = parse_json_object ("Spotify accounts", url, body, error);
  JsonObject *object;
  const char *token;

  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);
  token = ts_json_get_string (object, "access_token");
  /* Spotify says 3600; a lifetime below a second would have us ask
   * forever, and one near G_MAXINT64 overflows the expiry time. */
  *expires_in = CLAMP (ts_json_get_int (object, "expires_in", 3600), 1, MAX_TOKEN_LIFETIME_S);
  if (token == NULL || *token == '\0' || strpbrk (token, "\r\n") != NULL)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_HTTP, "Spotify accounts sent no usable token");
      return NULL;
    }
  return g_strdup (token);
}

static gboolean
store_token (TsSpotify   *self,
             const char  *url,
             GBytes      *body,
             GError     **error)
{
  gint64 expires_in, margin;
  char *token = _ts_spotify_parse_token (url, body, &expires_in, error);

  if (token == NULL)
    return FALSE;
  /* Ask again a little before it runs out. */
  margin = MIN ((gint64) 60, expires_in / 10);
  g_mutex_lock (&self->lock);
  clear_secret (&self->token);
  self->token = token;
  self->token_expiry_usec = g_get_monotonic_time () + (expires_in - margin) * G_TIME_SPAN_SECOND;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
request_token (TsSpotify     *self,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *url = g_strconcat (self->accounts_url, "/api/token", NULL);
  g_autofree char *client_id = NULL;
  g_autofree char *client_secret = NULL;
  TsHttpResponse response = { 0 };
  TsHttpOptions options;
  gboolean ok;

  g_mutex_lock (&self->lock);
  client_id = g_strdup (self->client_id);
  client_secret = g_strdup (self->client_secret);
  g_mutex_unlock (&self->lock);
  if (client_id == NULL || *client_id == '\0')
    {
      g_set_error (error, TS_ERROR, TS_ERROR_AUTH,
                   "The Spotify Web API needs a client id and secret");
      return FALSE;
    }

  ts_http_options_init (&options, "Spotify accounts");
  options.max_body_size = MAX_JSON_SIZE;
  options.username = client_id;
  options.password = client_secret;
  options.post_fields = "grant_type=client_credentials";
  ok = request (self, url, &options, &response, cancellable, error);
  clear_secret (&client_secret);
  if (!ok)
    return FALSE;

  if (response.status == 400 || response.status == 401 || response.status == 403)
    {
      g_autofree char *host = ts_http_dup_host (url);

      g_set_error (error, TS_ERROR, TS_ERROR_AUTH,
                   "Spotify accounts (%s) refused the client id and secret (HTTP %u)", host,
                   response.status);
      ok = FALSE;
    }
  else if (response.status != 200)
    {
      set_status_error ("Spotify accounts", url, response.status, error);
      ok = FALSE;
    }
  else
    ok = store_token (self, url, response.body, error);
  ts_http_response_clear (&response);
  return ok;
}

/* A valid token, asked for when there is none or @stale is the current one. */
static char *
dup_token (TsSpotify     *self,
           const char    *stale,
           GCancellable  *cancellable,
           GError       **error)
{
  char *token;

  g_mutex_lock (&self->token_lock);
  if (stale != NULL)
    forget_token (self, stale);
  token = dup_valid_token (self);
  if (token == NULL && request_token (self, cancellable, error))
    token = dup_valid_token (self);
  g_mutex_unlock (&self->token_lock);
  return token;
}

gboolean
ts_spotify_check_credentials (TsSpotify     *self,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autofree char *token = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->token_lock);
  g_mutex_lock (&self->lock);
  clear_secret (&self->token);
  g_mutex_unlock (&self->lock);
  g_mutex_unlock (&self->token_lock);
  token = dup_token (self, NULL, cancellable, error);
  if (token == NULL)
    return FALSE;
  clear_secret (&token);
  return TRUE;
}

/* oEmbed */

char *
_ts_spotify_parse_oembed (const char  *url,
                          GBytes      *body,
                          char       **reason,
                          GError     **error)
{
  g_autoptr(JsonNode) root = parse_json_object ("Spotify oEmbed", url, body, error);
  const char *thumbnail;

  if (root == NULL)
    return NULL;
  thumbnail = ts_json_get_string (json_node_get_object (root), "thumbnail_url");
  if (thumbnail != NULL && *thumbnail != '\0')
    return g_strdup (thumbnail);
  *reason = g_strdup ("Spotify has no cover for this track");
  return NULL;
}

static char *
lookup_oembed (TsSpotify     *self,
               const char    *track_id,
               char         **reason,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *track_url = g_strconcat ("https://open.spotify.com/track/", track_id, NULL);
  g_autofree char *escaped = g_uri_escape_string (track_url, NULL, FALSE);
  g_autofree char *url = g_strconcat (self->oembed_url, "?url=", escaped, NULL);
  TsHttpResponse response = { 0 };
  TsHttpOptions options;
  char *result = NULL;

  ts_http_options_init (&options, "Spotify oEmbed");
  options.max_body_size = MAX_JSON_SIZE;
  if (!request (self, url, &options, &response, cancellable, error))
    return NULL;

  if (response.status == 404 || response.status == 400)
    *reason = g_strdup_printf ("Spotify knows no track %s", track_id);
  else if (response.status != 200)
    set_status_error ("Spotify oEmbed", url, response.status, error);
  else
    result = _ts_spotify_parse_oembed (url, response.body, reason, error);
  ts_http_response_clear (&response);
  return result;
}

/* Web API */

/* The smallest image at least @size wide, else the widest; images without
 * a width count as the widest, since Spotify lists them widest first. */
static char *
pick_image (JsonArray *images,
            guint      size)
{
  const char *best = NULL;
  gint64 best_width = -1;
  gboolean best_fits = FALSE;

  for (guint i = 0; images != NULL && i < json_array_get_length (images); i++)
    {
      JsonNode *node = json_array_get_element (images, i);
      JsonObject *image;
      const char *url;
      gint64 width;
      gboolean fits;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      image = json_node_get_object (node);
      url = ts_json_get_string (image, "url");
      if (url == NULL || *url == '\0')
        continue;
      width = ts_json_get_int (image, "width", 0);
      if (width <= 0)
        width = G_MAXINT32;
      fits = width >= (gint64) size;
      if (best == NULL || (fits && (!best_fits || width < best_width)) ||
          (!fits && !best_fits && width > best_width))
        {
          best = url;
          best_width = width;
          best_fits = fits;
        }
    }
  return g_strdup (best);
}

char *
_ts_spotify_parse_track (const char  *url,
                         GBytes      *body,
                         guint        size,
                         char       **reason,
                         GError     **error)
{
  g_autoptr(JsonNode) root = parse_json_object ("Spotify Web API", url, body, error);
  JsonObject *album;
  char *result;

  if (root == NULL)
    return NULL;
  album = ts_json_get_object (json_node_get_object (root), "album");
  result = pick_image (ts_json_get_array (album, "images"), size);
  if (result == NULL)
    *reason = g_strdup ("Spotify has no cover for this track");
  return result;
}

static char *
lookup_api (TsSpotify     *self,
            const char    *track_id,
            guint          size,
            char         **reason,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *url = g_strconcat (self->api_url, "/tracks/", track_id, NULL);
  g_autofree char *token = dup_token (self, NULL, cancellable, error);
  TsHttpResponse response = { 0 };
  TsHttpOptions options;
  char *result = NULL;

  if (token == NULL)
    return NULL;
  ts_http_options_init (&options, "Spotify Web API");
  options.max_body_size = MAX_JSON_SIZE;

  for (guint attempt = 0;; attempt++)
    {
      g_autofree char *authorization = g_strconcat ("Authorization: Bearer ", token, NULL);
      const char *headers[] = { authorization, NULL };
      gboolean ok;

      options.headers = headers;
      ok = request (self, url, &options, &response, cancellable, error);
      clear_secret (&authorization);
      if (!ok)
        return NULL;
      if (response.status != 401 || attempt > 0)
        break;
      /* Expired or revoked early: one new token, one more try. */
      ts_http_response_clear (&response);
      {
        char *fresh = dup_token (self, token, cancellable, error);

        clear_secret (&token);
        token = fresh;
      }
      if (token == NULL)
        return NULL;
    }
  clear_secret (&token);

  if (response.status == 404 || response.status == 400)
    *reason = g_strdup_printf ("Spotify knows no track %s", track_id);
  else if (response.status != 200)
    set_status_error ("Spotify Web API", url, response.status, error);
  else
    result = _ts_spotify_parse_track (url, response.body, size, reason, error);
  ts_http_response_clear (&response);
  return result;
}

char *
ts_spotify_lookup_cover_url (TsSpotify     *self,
                             TsArtSource    source,
                             const char    *track_id,
                             guint          size,
                             char         **reason,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autofree char *why = NULL;
  char *url;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (track_id != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ts_spotify_is_track_id (track_id))
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT, "“%s” is not a Spotify track id",
                   track_id);
      return NULL;
    }
  if (source == TS_ART_SOURCE_API)
    url = lookup_api (self, track_id, size, &why, cancellable, error);
  else
    url = lookup_oembed (self, track_id, &why, cancellable, error);
  if (reason != NULL)
    *reason = g_steal_pointer (&why);
  return url;
}

GBytes *
ts_spotify_download_image (TsSpotify     *self,
                           const char    *url,
                           GCancellable  *cancellable,
                           GError       **error)
{
  TsHttpResponse response = { 0 };
  TsHttpOptions options;
  GBytes *body;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_str_has_prefix (url, "https://") && !g_str_has_prefix (url, "http://"))
    {
      g_set_error (error, TS_ERROR, TS_ERROR_HTTP, "Spotify gave a cover address that is not "
                   "a web address");
      return NULL;
    }
  ts_http_options_init (&options, "Spotify images");
  options.max_body_size = MAX_IMAGE_SIZE;
  options.max_redirects = 5;
  if (!request (self, url, &options, &response, cancellable, error))
    return NULL;
  if (response.status != 200)
    {
      set_status_error ("Spotify images", url, response.status, error);
      ts_http_response_clear (&response);
      return NULL;
    }
  body = g_steal_pointer (&response.body);
  ts_http_response_clear (&response);
  return body;
}
