/* test-art.c: covers from a local stand-in for Spotify, through the art cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <utime.h>

#include <glib/gstdio.h>

#include "tunescope-core.h"
#include "net/ts-spotify-private.h"
#include "ts-test-server.h"
#include "ts-test-util.h"

#define SECRET "s3cr3t-XYZ"

typedef struct
{
  TsTestServer *server;
  char         *cover_path;
  char         *cache_dir;
  TsArtCache   *cache;
  TsSpotify    *spotify;
} Fixture;

static void
set_fast_policy (TsSpotify *spotify,
                 guint      max_attempts)
{
  TsSpotifyPolicy policy = {
    .max_attempts = max_attempts,
    .base_delay_ms = 20,
    .max_delay_ms = 100,
    .max_retry_after_s = 2,
    .connect_timeout_ms = 2000,
    .timeout_ms = 1000,
  };

  ts_spotify_set_policy (spotify, &policy);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *oembed = NULL;
  g_autofree char *accounts = NULL;
  g_autofree char *api = NULL;

  f->cover_path = ts_test_fixture_path ("art/baseline.jpg");
  f->server = ts_test_server_start_script ("spotify-server.py", f->cover_path);
  oembed = ts_test_server_base (f->server, "oembed");
  accounts = ts_test_server_base (f->server, "accounts");
  api = ts_test_server_base (f->server, "api");

  f->cache_dir = ts_test_make_temp_dir ();
  f->cache = ts_art_cache_new (f->cache_dir);
  f->spotify = ts_spotify_new ();
  ts_spotify_set_base_urls (f->spotify, api, accounts, oembed);
  set_fast_policy (f->spotify, 3);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  ts_spotify_unref (f->spotify);
  ts_art_cache_unref (f->cache);
  g_free (f->cache_dir);
  ts_test_server_stop (f->server);
  g_free (f->cover_path);
}

/* Files in the cache folder, hidden temporary ones included. */
static guint
count_files (Fixture    *f,
             const char *suffix)
{
  g_autoptr(GDir) dir = g_dir_open (f->cache_dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      if (suffix == NULL ? name[0] == '.' : g_str_has_suffix (name, suffix))
        n++;
    }
  return n;
}

static void
assert_nothing_stored (Fixture *f)
{
  g_assert_cmpuint (count_files (f, ".jpg"), ==, 0);
  g_assert_cmpuint (count_files (f, ".url"), ==, 0);
  g_assert_cmpuint (count_files (f, NULL), ==, 0);
}

/* Fetches @id; asserts @expected; returns the error, if any, after
 * checking it never names the secret. */
static GError *
fetch (Fixture      *f,
       TsArtSource   source,
       const char   *id,
       guint         size,
       TsArtOutcome  expected)
{
  g_autofree char *path = NULL;
  g_autofree char *reason = NULL;
  TsArtOutcome outcome = TS_ART_FAILED;
  GError *error = NULL;

  path = ts_art_cache_fetch (f->cache, f->spotify, source, id, size, &outcome, &reason, NULL,
                             &error);
  g_assert_cmpstr (ts_art_outcome_get_name (outcome), ==, ts_art_outcome_get_name (expected));
  if (expected == TS_ART_FETCHED || expected == TS_ART_CACHED)
    {
      g_assert_no_error (error);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
  else
    g_assert_null (path);
  if (expected == TS_ART_MISSING)
    g_assert_nonnull (reason);
  if (error != NULL)
    {
      g_assert_null (strstr (error->message, SECRET));
      g_assert_null (strstr (error->message, "token"));
    }
  return error;
}

static void
test_oembed_ok (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = NULL;

  g_assert_null (fetch (f, TS_ART_SOURCE_OEMBED, "ok1", 300, TS_ART_FETCHED));
  g_assert_null (fetch (f, TS_ART_SOURCE_OEMBED, "ok1", 300, TS_ART_CACHED));
  g_assert_cmpint (ts_test_server_count (f->server, "oembed:ok1"), ==, 1);
  g_assert_cmpint (ts_test_server_count (f->server, "img:ok"), ==, 1);
  url = ts_art_cache_dup_url (f->cache, "ok1");
  g_assert_true (g_str_has_suffix (url, "/img/ok"));
  g_assert_cmpuint (count_files (f, NULL), ==, 0);
}

static void
test_missing (Fixture       *f,
              gconstpointer  data)
{
  gboolean missing = FALSE;

  g_assert_null (fetch (f, TS_ART_SOURCE_OEMBED, "nullthumb", 300, TS_ART_MISSING));
  g_assert_null (fetch (f, TS_ART_SOURCE_OEMBED, "nullthumb", 300, TS_ART_MISSING));
  g_assert_cmpint (ts_test_server_count (f->server, "oembed:nullthumb"), ==, 1);
  g_assert_null (ts_art_cache_lookup (f->cache, "nullthumb", &missing));
  g_assert_true (missing);

  /* Once "no cover" expires, Spotify is asked again. */
  ts_art_cache_set_missing_ttl (f->cache, 0);
  g_assert_null (fetch (f, TS_ART_SOURCE_OEMBED, "nullthumb", 300, TS_ART_MISSING));
  g_assert_cmpint (ts_test_server_count (f->server, "oembed:nullthumb"), ==, 2);

  g_assert_null (fetch (f, TS_ART_SOURCE_OEMBED, "unknown", 300, TS_ART_MISSING));
  g_assert_cmpuint (count_files (f, ".jpg"), ==, 0);
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) long_wait = NULL;
  g_autoptr(GError) later = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_null (fetch (f, TS_ART_SOURCE_OEMBED, "ratelimited", 300, TS_ART_FETCHED));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * 1000);
  g_assert_cmpint (ts_test_server_count (f->server, "oembed:ratelimited"), ==, 2);

  /* A wait of hours fails at once, and so does every later request to
   * that host, unsent. */
  start = g_get_monotonic_time ();
  long_wait = fetch (f, TS_ART_SOURCE_OEMBED, "longwait", 300, TS_ART_FAILED);
  g_assert_error (long_wait, TS_ERROR, TS_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (long_wait->message, "2 h"));
  later = fetch (f, TS_ART_SOURCE_OEMBED, "ok1", 300, TS_ART_FAILED);
  g_assert_error (later, TS_ERROR, TS_ERROR_RATE_LIMITED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 900 * 1000);
  g_assert_cmpint (ts_test_server_count (f->server, "oembed:longwait"), ==, 1);
  g_assert_cmpint (ts_test_server_count (f->server, "oembed:ok1"), ==, 0);
  g_assert_cmpuint (count_files (f, ".jpg"), ==, 1);
  g_assert_cmpuint (count_files (f, ".none"), ==, 0);
}

static void
test_quota (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) quota = NULL;
  g_autoptr(GError) later = NULL;

  quota = fetch (f, TS_ART_SOURCE_OEMBED, "quota", 300, TS_ART_FAILED);
  g_assert_error (quota, TS_ERROR, TS_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (quota->message, "quota"));
  later = fetch (f, TS_ART_SOURCE_OEMBED, "ok1", 300, TS_ART_FAILED);
  g_assert_error (later, TS_ERROR, TS_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (later->message, "quota"));
  g_assert_cmpint (ts_test_server_count (f->server, "oembed:quota"), ==, 1);
  g_assert_cmpint (ts_test_server_count (f->server, "oembed:ok1"), ==, 0);
  assert_nothing_stored (f);
}

static void
test_server_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) broken = NULL;
  g_autoptr(GError) bad_json = NULL;

  g_assert_null (fetch (f, TS_ART_SOURCE_OEMBED, "flaky", 300, TS_ART_FETCHED));
  g_assert_cmpint (ts_test_server_count (f->server, "oembed:flaky"), ==, 2);

  broken = fetch (f, TS_ART_SOURCE_OEMBED, "broken", 300, TS_ART_FAILED);
  g_assert_error (broken, TS_ERROR, TS_ERROR_HTTP);
  g_assert_nonnull (strstr (broken->message, "500"));
  g_assert_nonnull (strstr (broken->message, "127.0.0.1"));
  g_assert_cmpint (ts_test_server_count (f->server, "oembed:broken"), ==, 3);

  bad_json = fetch (f, TS_ART_SOURCE_OEMBED, "badjson", 300, TS_ART_FAILED);
  g_assert_error (bad_json, TS_ERROR, TS_ERROR_HTTP);
  g_assert_nonnull (strstr (bad_json->message, "not JSON"));
  g_assert_cmpuint (count_files (f, ".jpg"), ==, 1);
  g_assert_cmpuint (count_files (f, ".none"), ==, 0);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  set_fast_policy (f->spotify, 2);
  g_assert_null (fetch (f, TS_ART_SOURCE_OEMBED, "slowonce", 300, TS_ART_FETCHED));
  error = fetch (f, TS_ART_SOURCE_OEMBED, "slow", 300, TS_ART_FAILED);
  g_assert_error (error, TS_ERROR, TS_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "in time"));
  g_assert_cmpint (ts_test_server_count (f->server, "oembed:slow"), ==, 2);
  g_assert_cmpuint (count_files (f, ".jpg"), ==, 1);
}

static void
test_bad_images (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) truncated = NULL;
  g_autoptr(GError) html = NULL;
  g_autoptr(GError) loop = NULL;

  truncated = fetch (f, TS_ART_SOURCE_OEMBED, "truncimg", 300, TS_ART_FAILED);
  g_assert_error (truncated, TS_ERROR, TS_ERROR_NETWORK);
  html = fetch (f, TS_ART_SOURCE_OEMBED, "htmlimg", 300, TS_ART_FAILED);
  g_assert_error (html, TS_ERROR, TS_ERROR_HTTP);
  g_assert_nonnull (strstr (html->message, "not an image"));
  loop = fetch (f, TS_ART_SOURCE_OEMBED, "loopimg", 300, TS_ART_FAILED);
  g_assert_error (loop, TS_ERROR, TS_ERROR_HTTP);
  g_assert_nonnull (strstr (loop->message, "redirected"));
  assert_nothing_stored (f);
  g_assert_cmpuint (count_files (f, ".none"), ==, 0);
}

static void
test_api_tokens (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *url300 = NULL;
  g_autofree char *url640 = NULL;
  g_autofree char *url64 = NULL;

  ts_spotify_set_credentials (f->spotify, "tid", SECRET);
  g_assert_null (fetch (f, TS_ART_SOURCE_API, "ok1", 200, TS_ART_FETCHED));
  g_assert_null (fetch (f, TS_ART_SOURCE_API, "ok2", 1000, TS_ART_FETCHED));
  g_assert_null (fetch (f, TS_ART_SOURCE_API, "ok3", 50, TS_ART_FETCHED));
  url300 = ts_art_cache_dup_url (f->cache, "ok1");
  url640 = ts_art_cache_dup_url (f->cache, "ok2");
  url64 = ts_art_cache_dup_url (f->cache, "ok3");
  g_assert_true (g_str_has_suffix (url300, "?w=300"));
  g_assert_true (g_str_has_suffix (url640, "?w=640"));
  g_assert_true (g_str_has_suffix (url64, "?w=64"));
  g_assert_cmpint (ts_test_server_count (f->server, "token"), ==, 1);

  /* A 401 on a live token: one new token, one more try. */
  g_assert_null (fetch (f, TS_ART_SOURCE_API, "rejectonce", 300, TS_ART_FETCHED));
  g_assert_cmpint (ts_test_server_count (f->server, "token"), ==, 2);
  g_assert_null (fetch (f, TS_ART_SOURCE_API, "nullthumb", 300, TS_ART_MISSING));
  g_assert_cmpint (ts_test_server_count (f->server, "token"), ==, 2);
}

static void
test_api_token_expiry (Fixture       *f,
                       gconstpointer  data)
{
  ts_spotify_set_credentials (f->spotify, "tshort", SECRET);
  g_assert_null (fetch (f, TS_ART_SOURCE_API, "ok1", 300, TS_ART_FETCHED));
  g_usleep (1100 * 1000);
  g_assert_null (fetch (f, TS_ART_SOURCE_API, "ok2", 300, TS_ART_FETCHED));
  g_assert_cmpint (ts_test_server_count (f->server, "token"), ==, 2);
}

static void
test_api_bad_credentials (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) wrong = NULL;
  g_autoptr(GError) none = NULL;
  g_autoptr(GError) check = NULL;

  none = fetch (f, TS_ART_SOURCE_API, "ok1", 300, TS_ART_FAILED);
  g_assert_error (none, TS_ERROR, TS_ERROR_AUTH);

  ts_spotify_set_credentials (f->spotify, "tid", "wrong-" SECRET);
  wrong = fetch (f, TS_ART_SOURCE_API, "ok1", 300, TS_ART_FAILED);
  g_assert_error (wrong, TS_ERROR, TS_ERROR_AUTH);
  g_assert_nonnull (strstr (wrong->message, "refused"));
  g_assert_false (ts_spotify_check_credentials (f->spotify, NULL, &check));
  g_assert_error (check, TS_ERROR, TS_ERROR_AUTH);
  g_assert_null (strstr (check->message, SECRET));
  assert_nothing_stored (f);

  ts_spotify_set_credentials (f->spotify, "tid", SECRET);
  g_assert_true (ts_spotify_check_credentials (f->spotify, NULL, NULL));
}

static void
count_progress (double      fraction,
                const char *message,
                gpointer    data)
{
  guint *calls = data;

  g_assert_cmpfloat (fraction, >, 0.0);
  g_assert_cmpfloat (fraction, <=, 1.0);
  (*calls)++;
}

static void
test_fetch_many (Fixture       *f,
                 gconstpointer  data)
{
  const char *ids[] = { "ok1", "ok2", "ok3", "ok4", "ok5", "ok6", "nullthumb", "broken",
                        "bad/id", NULL };
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  guint calls = 0;
  guint counts[4] = { 0 };

  ts_spotify_set_connections (f->spotify, 3, 2);
  results = ts_art_cache_fetch_many (f->cache, f->spotify, TS_ART_SOURCE_OEMBED, ids, 300, 4,
                                     count_progress, &calls, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 9);
  g_assert_cmpuint (calls, ==, 9);
  for (guint i = 0; i < results->len; i++)
    {
      TsArtResult *r = g_ptr_array_index (results, i);

      g_assert_cmpstr (r->id, ==, ids[i]);
      counts[r->outcome]++;
    }
  g_assert_cmpuint (counts[TS_ART_FETCHED], ==, 6);
  g_assert_cmpuint (counts[TS_ART_MISSING], ==, 1);
  g_assert_cmpuint (counts[TS_ART_FAILED], ==, 2);
  g_assert_nonnull (strstr (((TsArtResult *) g_ptr_array_index (results, 8))->reason,
                            "not a Spotify track id"));
  g_clear_pointer (&results, g_ptr_array_unref);

  /* A second run finds them all on disk. */
  results = ts_art_cache_fetch_many (f->cache, f->spotify, TS_ART_SOURCE_OEMBED, ids, 300, 4,
                                     NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (((TsArtResult *) g_ptr_array_index (results, 0))->outcome, ==,
                   TS_ART_CACHED);
  g_assert_cmpint (ts_test_server_count (f->server, "img:ok"), ==, 6);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  const char *ids[] = { "ok1", "ok2", NULL };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  results = ts_art_cache_fetch_many (f->cache, f->spotify, TS_ART_SOURCE_OEMBED, ids, 300, 2,
                                     NULL, NULL, cancellable, &error);
  g_assert_null (results);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_nothing_stored (f);
}

/* Six slow lookups with room for six, but two per host: never more than
 * two reach the server at once. */
static void
test_politeness (Fixture       *f,
                 gconstpointer  data)
{
  const char *ids[] = { "lag1", "lag2", "lag3", "lag4", "lag5", "lag6", NULL };
  g_autoptr(GPtrArray) results = NULL;

  ts_spotify_set_connections (f->spotify, 6, 2);
  results = ts_art_cache_fetch_many (f->cache, f->spotify, TS_ART_SOURCE_OEMBED, ids, 300, 6,
                                     NULL, NULL, NULL, NULL);
  g_assert_nonnull (results);
  g_assert_cmpint (ts_test_server_count (f->server, "maxinflight"), ==, 2);
  g_assert_cmpuint (count_files (f, ".jpg"), ==, 6);
}

static void
fetch_lagging (Fixture *f,
               guint    first,
               guint    n)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) results = NULL;

  for (guint i = first; i < first + n; i++)
    g_ptr_array_add (ids, g_strdup_printf ("lag%u", i));
  g_ptr_array_add (ids, NULL);
  results = ts_art_cache_fetch_many (f->cache, f->spotify, TS_ART_SOURCE_OEMBED,
                                     (const char * const *) ids->pdata, 300, n, NULL, NULL, NULL,
                                     NULL);
  g_assert_nonnull (results);
}

/* Eight slow lookups at once, two covers one by one, eight more at once:
 * the eight connections stay open throughout. (libcurl's default keeps
 * four idle connections per transfer under way, so the lone requests
 * closed half of them.) */
static void
test_keep_alive (Fixture       *f,
                 gconstpointer  data)
{
  const char *lone[] = { "ok1", "ok2" };
  gint64 before;

  ts_spotify_set_connections (f->spotify, 8, 8);
  before = ts_test_server_count (f->server, "connections");
  fetch_lagging (f, 0, 8);
  for (guint i = 0; i < G_N_ELEMENTS (lone); i++)
    {
      g_autofree char *path = ts_art_cache_fetch (f->cache, f->spotify, TS_ART_SOURCE_OEMBED,
                                                  lone[i], 300, NULL, NULL, NULL, NULL);

      g_assert_nonnull (path);
    }
  fetch_lagging (f, 8, 8);
  g_assert_cmpuint (count_files (f, ".jpg"), ==, 18);
  /* Less the connection of the second /stats. */
  g_assert_cmpint (ts_test_server_count (f->server, "connections") - before - 1, ==, 8);
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (200 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

/* Cancelling a request under way ends it soon, leaving nothing behind. */
static void
test_cancel_under_way (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gint64 start = g_get_monotonic_time ();
  TsArtOutcome outcome;
  /* The cancellation comes from another thread, as from a UI. */
  GThread *canceller = g_thread_new ("canceller", cancel_later, cancellable);

  path = ts_art_cache_fetch (f->cache, f->spotify, TS_ART_SOURCE_OEMBED, "slow", 300,
                             &outcome, NULL, cancellable, &error);
  g_thread_join (canceller);
  g_assert_null (path);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1500 * 1000);
  assert_nothing_stored (f);
  g_assert_cmpuint (count_files (f, ".none"), ==, 0);
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  TsArtResult **out = data;
  g_autoptr(GError) error = NULL;

  *out = ts_art_cache_fetch_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TsArtResult) result = NULL;

  ts_art_cache_fetch_async (f->cache, f->spotify, TS_ART_SOURCE_OEMBED, "ok1", 300, NULL,
                            on_fetched, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (result->outcome, ==, TS_ART_FETCHED);
  g_assert_true (g_file_test (result->path, G_FILE_TEST_IS_REGULAR));
}

/* The cache alone */

static GBytes *
cover_bytes (Fixture *f)
{
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (f->cover_path, &contents, &length, NULL));
  return g_bytes_new_take (contents, length);
}

static void
store (Fixture    *f,
       const char *id,
       GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ts_art_cache_store (f->cache, id, "https://i.scdn.co/image/x", bytes, &error));
  g_assert_no_error (error);
  /* The LRU order is the files' mtime: keep the steps apart. */
  g_usleep (20 * 1000);
}

static gboolean
cached (Fixture    *f,
        const char *id)
{
  g_autofree char *path = ts_art_cache_lookup (f->cache, id, NULL);

  g_usleep (20 * 1000);
  return path != NULL;
}

static void
test_cache_lru (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) bytes = cover_bytes (f);
  gsize size = g_bytes_get_size (bytes);

  ts_art_cache_set_max_size (f->cache, size * 5 / 2);
  store (f, "a", bytes);
  store (f, "b", bytes);
  g_assert_true (cached (f, "a"));  /* a is now more recent than b */
  store (f, "c", bytes);
  g_assert_true (cached (f, "a"));
  g_assert_false (cached (f, "b"));
  g_assert_true (cached (f, "c"));
  g_assert_cmpuint (ts_art_cache_get_size (f->cache), ==, 2 * size);
  g_assert_cmpuint (count_files (f, ".url"), ==, 2);
  g_assert_cmpuint (count_files (f, NULL), ==, 0);

  g_assert_true (ts_art_cache_clear (f->cache, NULL));
  g_assert_cmpuint (ts_art_cache_get_size (f->cache), ==, 0);
}

static void
test_cache_corrupt (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) bytes = cover_bytes (f);
  g_autofree char *path = g_build_filename (f->cache_dir, "ok1.jpg", NULL);

  g_assert_null (fetch (f, TS_ART_SOURCE_OEMBED, "ok1", 300, TS_ART_FETCHED));
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes) / 2, NULL));
  g_assert_false (cached (f, "ok1"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (f, ".url"), ==, 0);

  g_assert_true (g_file_set_contents (path, "garbage", -1, NULL));
  g_assert_null (fetch (f, TS_ART_SOURCE_OEMBED, "ok1", 300, TS_ART_FETCHED));
  g_assert_cmpint (ts_test_server_count (f->server, "img:ok"), ==, 2);
}

/* Temporary files left by a crash go after a day; fresh ones may be a
 * write under way and stay. */
static void
test_cache_stale_temporary (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *old = g_build_filename (f->cache_dir, ".a.jpg.OLD123", NULL);
  g_autofree char *fresh = g_build_filename (f->cache_dir, ".b.jpg.NEW123", NULL);
  struct utimbuf times = { .actime = 1000000, .modtime = 1000000 };

  g_assert_true (g_file_set_contents (old, "x", -1, NULL));
  g_assert_true (g_file_set_contents (fresh, "x", -1, NULL));
  g_assert_cmpint (g_utime (old, &times), ==, 0);
  ts_art_cache_trim (f->cache);
  g_assert_false (g_file_test (old, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fresh, G_FILE_TEST_EXISTS));
}

static void
test_cache_bad_ids (Fixture       *f,
                    gconstpointer  data)
{
  gboolean missing = TRUE;

  g_assert_null (ts_art_cache_lookup (f->cache, "../etc", &missing));
  g_assert_false (missing);
  g_assert_null (ts_art_cache_dup_url (f->cache, ""));
  ts_art_cache_remove (f->cache, "a/b");
}

/* Spotify's answers with members of the wrong kind: as good as missing,
 * never a critical from json-glib's getters; a token's lifetime is kept
 * between a second and a day, so that the expiry time cannot overflow. */
static void
test_odd_answers (void)
{
  static const struct { const char *body; const char *token; gint64 expires_in; } tokens[] = {
    { "{\"access_token\": [\"t\"], \"expires_in\": 3600}", NULL, 0 },
    { "{\"access_token\": \"t\", \"expires_in\": \"soon\"}", "t", 3600 },
    { "{\"access_token\": \"t\", \"expires_in\": 9223372036854775807}", "t", 24 * 3600 },
    { "{\"access_token\": \"t\", \"expires_in\": -5}", "t", 1 },
  };
  static const char oembed[] = "{\"thumbnail_url\": {\"url\": \"https://x\"}}";
  static const char track[] =
    "{\"album\": {\"images\": [{\"url\": 5}, {\"url\": \"https://a\", \"width\": \"640\"},"
    " {\"url\": \"https://b\", \"width\": 300}]}}";
  const char *url = "https://api.example/v1";

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      g_autoptr(GBytes) body = g_bytes_new_static (tokens[i].body, strlen (tokens[i].body));
      g_autoptr(GError) error = NULL;
      gint64 expires_in = 0;
      g_autofree char *token = _ts_spotify_parse_token (url, body, &expires_in, &error);

      g_assert_cmpstr (token, ==, tokens[i].token);
      if (token == NULL)
        g_assert_error (error, TS_ERROR, TS_ERROR_HTTP);
      else
        g_assert_cmpint (expires_in, ==, tokens[i].expires_in);
    }
  {
    g_autoptr(GBytes) body = g_bytes_new_static (oembed, sizeof oembed - 1);
    g_autoptr(GError) error = NULL;
    g_autofree char *reason = NULL;

    g_assert_null (_ts_spotify_parse_oembed (url, body, &reason, &error));
    g_assert_no_error (error);
    g_assert_nonnull (reason);
  }
  {
    g_autoptr(GBytes) body = g_bytes_new_static (track, sizeof track - 1);
    g_autoptr(GError) error = NULL;
    g_autofree char *reason = NULL;
    g_autofree char *cover = _ts_spotify_parse_track (url, body, 300, &reason, &error);

    /* A width that is not a number counts as no width: the widest. */
    g_assert_no_error (error);
    g_assert_cmpstr (cover, ==, "https://b");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/art/odd-answers", test_odd_answers);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/art/oembed-ok", test_oembed_ok);
  ADD ("/art/missing", test_missing);
  ADD ("/art/rate-limit", test_rate_limit);
  ADD ("/art/quota", test_quota);
  ADD ("/art/server-errors", test_server_errors);
  ADD ("/art/timeout", test_timeout);
  ADD ("/art/bad-images", test_bad_images);
  ADD ("/art/api-tokens", test_api_tokens);
  ADD ("/art/api-token-expiry", test_api_token_expiry);
  ADD ("/art/api-bad-credentials", test_api_bad_credentials);
  ADD ("/art/fetch-many", test_fetch_many);
  ADD ("/art/cancel", test_cancel);
  ADD ("/art/async", test_async);
  ADD ("/art/politeness", test_politeness);
  ADD ("/art/keep-alive", test_keep_alive);
  ADD ("/art/cancel-under-way", test_cancel_under_way);
  ADD ("/art/cache-lru", test_cache_lru);
  ADD ("/art/cache-corrupt", test_cache_corrupt);
  ADD ("/art/cache-stale-temporary", test_cache_stale_temporary);
  ADD ("/art/cache-bad-ids", test_cache_bad_ids);
#undef ADD
  return g_test_run ();
}
