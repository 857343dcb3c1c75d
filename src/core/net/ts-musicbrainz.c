/* ts-musicbrainz.c: training covers through MusicBrainz and the Cover Art Archive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-musicbrainz"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "ts-atomic-file.h"
#include "ts-error.h"
#include "ts-http.h"
#include "ts-image.h"
#include "ts-json-private.h"
#include "ts-musicbrainz-private.h"
#include "ts-relay.h"

#define DEFAULT_MUSICBRAINZ_URL "https://musicbrainz.org/ws/2"
#define DEFAULT_COVERART_URL    "https://coverartarchive.org"
#define USER_AGENT              "Tunescope/" PACKAGE_VERSION " ( " PACKAGE_WEBSITE " )"

/* Answers to 503 / 429 are retried this many times, waiting as asked
 * (or doubling from 2 s), but never longer than the cap per wait. */
#define MAX_RETRIES        5
#define MAX_RETRY_WAIT_S   120
/* Releases whose cover is asked for before giving up on a song. */
#define MAX_COVER_TRIES    3
#define MAX_COVER_NETWORK_FAILURES 3
#define MAX_SEARCH_BODY    (4 * 1024 * 1024)
#define MAX_IMAGE_BODY     (8 * 1024 * 1024)
#define SAVE_INTERVAL_USEC (10 * G_USEC_PER_SEC)

typedef struct
{
  const TsMusicBrainzOptions *options;
  char                       *musicbrainz_url;
  char                       *coverart_url;
  char                       *image_dir;
  guint                       interval_ms;
  gint64                      last_request_usec;  /* the last answer; 0: none yet */
  guint                       cover_network_failures;  /* in a row */
  GCancellable               *cancellable;
} Collector;

/* What came of one song. */
typedef struct
{
  TsCoverTry  status;
  char       *reason;
  char       *file;
} Outcome;

const char *
ts_musicbrainz_get_user_agent (void)
{
  return USER_AGENT;
}

void
ts_musicbrainz_options_init (TsMusicBrainzOptions *options)
{
  g_return_if_fail (options != NULL);

  *options = (TsMusicBrainzOptions) { .limit = 0, .interval_ms = 1000 };
}

static char *
dup_base_url (const char *variable,
              const char *fallback)
{
  const char *value = g_getenv (variable);
  g_autofree char *url = g_strdup (value != NULL && *value != '\0' ? value : fallback);

  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  return g_steal_pointer (&url);
}

/* The 1 s of MusicBrainz's rules holds for musicbrainz.org; a test server
 * named by $TUNESCOPE_MUSICBRAINZ_URL may ask for less. */
static guint
interval_ms (const TsMusicBrainzOptions *options)
{
  const char *url = g_getenv ("TUNESCOPE_MUSICBRAINZ_URL");
  const char *value = g_getenv ("TUNESCOPE_MUSICBRAINZ_INTERVAL_MS");
  guint64 parsed;

  if (url != NULL && *url != '\0' && value != NULL
      && g_ascii_string_to_unsigned (value, 10, 0, 60000, &parsed, NULL))
    return (guint) parsed;
  return options->interval_ms;
}

/* Sleeps @usec unless cancelled first. */
static gboolean
wait_cancellable (gint64         usec,
                  GCancellable  *cancellable,
                  GError       **error)
{
  gint64 end = g_get_monotonic_time () + usec;

  while (g_get_monotonic_time () < end)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (MIN (end - g_get_monotonic_time (), 50 * 1000));
    }
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* ---- MusicBrainz ---------------------------------------------------------- */

static void
musicbrainz_options (TsHttpOptions *o,
                     const char    *service)
{
  static const char * const headers[] = { "User-Agent: " USER_AGENT,
                                          "Accept: application/json", NULL };

  ts_http_options_init (o, service);
  o->headers = headers;
  o->timeout_ms = 60 * 1000;
  o->max_redirects = 5;
}

/* Quotes @text for a Lucene phrase: backslash before " and \. */
static void
append_phrase (GString    *query,
               const char *field,
               const char *text)
{
  g_string_append_printf (query, "%s:\"", field);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (query, '\\');
      g_string_append_c (query, *p);
    }
  g_string_append_c (query, '"');
}

/* The title without what Spotify adds to a recording's name — " - 2011
 * Remaster", " - Live", " (feat. X)", " [Radio Edit]" — which MusicBrainz
 * keeps apart: searched for, and compared with the recordings' titles
 * cut the same way. */
static char *
base_title (const char *title)
{
  g_autofree char *cut = g_strdup (title);
  const char *marks[] = { " - ", " (", " [" };

  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    {
      char *at = strstr (cut, marks[i]);

      if (at != NULL && at != cut)
        *at = '\0';
    }
  g_strstrip (cut);
  return *cut != '\0' ? g_steal_pointer (&cut) : g_strdup (title);
}

static char *
search_url (Collector  *self,
            const char *artist,
            const char *title)
{
  g_autoptr(GString) query = g_string_new (NULL);
  g_autofree char *escaped = NULL;

  append_phrase (query, "recording", title);
  if (artist != NULL)
    {
      g_string_append (query, " AND ");
      append_phrase (query, "artist", artist);
    }
  escaped = g_uri_escape_string (query->str, NULL, FALSE);
  return g_strdup_printf ("%s/recording?query=%s&fmt=json&limit=10", self->musicbrainz_url,
                          escaped);
}

/* One MusicBrainz request, paced by the interval and retried as 503 and
 * 429 ask. A FALSE return stops the whole run; an answer with another
 * status is the caller's to judge. */
static gboolean
musicbrainz_get (Collector       *self,
                 const char      *url,
                 TsHttpResponse  *response,
                 GError         **error)
{
  TsHttpOptions o;

  musicbrainz_options (&o, "MusicBrainz");
  o.max_body_size = MAX_SEARCH_BODY;
  for (int attempt = 0;; attempt++)
    {
      gint64 wait_s;
      gboolean ok;

      if (self->last_request_usec > 0)
        {
          gint64 next = self->last_request_usec + (gint64) self->interval_ms * 1000;

          if (!wait_cancellable (next - g_get_monotonic_time (), self->cancellable, error))
            return FALSE;
        }
      /* Counted from the answer, not the request: however long a request
       * takes to arrive, the next arrives at least the interval later. */
      ok = ts_http_fetch (url, &o, response, self->cancellable, error);
      self->last_request_usec = g_get_monotonic_time ();
      if (!ok)
        return FALSE;
      if (response->status != 503 && response->status != 429)
        return TRUE;

      wait_s = response->retry_after_s >= 0 ? response->retry_after_s : (gint64) 2 << attempt;
      if (attempt + 1 >= MAX_RETRIES || wait_s > MAX_RETRY_WAIT_S)
        {
          g_set_error (error, TS_ERROR, TS_ERROR_RATE_LIMITED,
                       "MusicBrainz is refusing requests (HTTP %u, wait %" G_GINT64_FORMAT
                       " s); try again later", response->status, wait_s);
          ts_http_response_clear (response);
          return FALSE;
        }
      g_debug ("MusicBrainz answered %u; waiting %" G_GINT64_FORMAT " s", response->status,
               wait_s);
      ts_http_response_clear (response);
      if (!wait_cancellable (wait_s * G_USEC_PER_SEC, self->cancellable, error))
        return FALSE;
    }
}

static gboolean
is_mbid (const char *text)
{
  if (text == NULL || strlen (text) != 36)
    return FALSE;
  for (int i = 0; i < 36; i++)
    {
      gboolean dash = i == 8 || i == 13 || i == 18 || i == 23;

      if (dash ? text[i] != '-' : !g_ascii_isxdigit (text[i]))
        return FALSE;
    }
  return TRUE;
}

static gboolean
same_folded (const char *a,
             const char *b)
{
  g_autofree char *fa = NULL, *fb = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  fa = ts_fold_for_search (a);
  fb = ts_fold_for_search (b);
  return g_str_equal (fa, fb);
}

/* Whether an "artist-credit" names one of @artists (folded). */
static gboolean
credit_matches (JsonArray          *credit,
                const char * const *artists)
{
  for (guint i = 0; credit != NULL && i < json_array_get_length (credit); i++)
    {
      JsonNode *node = json_array_get_element (credit, i);
      JsonObject *name_credit = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonObject *artist = ts_json_get_object (name_credit, "artist");
      const char *names[] = { ts_json_get_string (name_credit, "name"),
                              ts_json_get_string (artist, "name") };

      for (guint n = 0; n < G_N_ELEMENTS (names); n++)
        for (guint a = 0; names[n] != NULL && artists[a] != NULL; a++)
          if (same_folded (names[n], artists[a]))
            return TRUE;
    }
  return FALSE;
}

/* Official beats promotion or bootleg, an album beats a single, a
 * release of its own beats a compilation; a release credited to the
 * song's artist beats one credited to "Various Artists". */
static int
release_score (JsonObject         *release,
               const char * const *artists)
{
  JsonObject *group = ts_json_get_object (release, "release-group");
  JsonArray *secondary = ts_json_get_array (group, "secondary-types");
  JsonArray *credit = ts_json_get_array (release, "artist-credit");
  int score = 0;

  if (g_strcmp0 (ts_json_get_string (release, "status"), "Official") == 0)
    score += 8;
  if (g_strcmp0 (ts_json_get_string (group, "primary-type"), "Album") == 0)
    score += 4;
  if (secondary == NULL || json_array_get_length (secondary) == 0)
    score += 2;
  if (credit == NULL || credit_matches (credit, artists))
    score += 1;
  return score;
}

typedef struct
{
  int   score;
  guint order;
  char *mbid;
} Candidate;

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = a, *cb = b;

  if (ca->score != cb->score)
    return cb->score - ca->score;
  return (ca->order > cb->order) - (ca->order < cb->order);
}

static void
candidate_clear (gpointer data)
{
  g_free (((Candidate *) data)->mbid);
}

/* Ids, best first, of candidates (an array of Candidate). */
static char **
candidates_to_ids (GArray *candidates)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  g_array_sort (candidates, compare_candidates);
  for (guint i = 0; i < candidates->len; i++)
    g_strv_builder_add (ids, g_array_index (candidates, Candidate, i).mbid);
  return g_strv_builder_end (ids);
}

char **
_ts_musicbrainz_parse_search (GBytes             *body,
                              const char         *title,
                              const char * const *artists,
                              char              **reason)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  JsonNode *root;
  JsonArray *recordings;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  g_array_set_clear_func (candidates, candidate_clear);
  /* An empty answer's bytes are NULL, which json-glib refuses with a
   * critical: give it the empty text it is. */
  if (!ts_json_parser_load (parser, data != NULL ? data : "", (gssize) size, &local))
    {
      *reason = g_strdup_printf ("MusicBrainz sent malformed JSON: %s", local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  recordings = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
               ? ts_json_get_array (json_node_get_object (root), "recordings") : NULL;
  if (recordings == NULL)
    {
      *reason = g_strdup ("MusicBrainz's answer has no list of recordings");
      return NULL;
    }
  for (guint r = 0; r < json_array_get_length (recordings); r++)
    {
      JsonNode *node = json_array_get_element (recordings, r);
      JsonObject *recording = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonArray *releases = ts_json_get_array (recording, "releases");
      g_autofree char *recording_title = NULL;

      if (ts_json_get_string (recording, "title") != NULL)
        recording_title = base_title (ts_json_get_string (recording, "title"));
      if (!same_folded (recording_title, title)
          || !credit_matches (ts_json_get_array (recording, "artist-credit"), artists))
        continue;
      for (guint i = 0; releases != NULL && i < json_array_get_length (releases); i++)
        {
          JsonNode *rnode = json_array_get_element (releases, i);
          JsonObject *release = JSON_NODE_HOLDS_OBJECT (rnode) ? json_node_get_object (rnode)
                                                               : NULL;
          const char *mbid = ts_json_get_string (release, "id");
          Candidate candidate;

          /* The id goes into a URL: only a well-formed one. */
          if (!is_mbid (mbid) || g_hash_table_contains (seen, mbid))
            continue;
          g_hash_table_add (seen, (gpointer) mbid);
          candidate = (Candidate) { release_score (release, artists), candidates->len,
                                    g_ascii_strdown (mbid, -1) };
          g_array_append_val (candidates, candidate);
        }
    }
  return candidates_to_ids (candidates);
}

/* ---- Cover Art Archive ----------------------------------------------------- */

static const char *
image_extension (GBytes *bytes)
{
  gsize size;
  const guchar *data = g_bytes_get_data (bytes, &size);

  return size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0 ? ".png" : ".jpg";
}

static gboolean
save_image (GBytes      *bytes,
            const char  *path,
            GError     **error)
{
  gsize size;
  const void *data = g_bytes_get_data (bytes, &size);

  return ts_atomic_file_set_contents (path, data, size, error);
}

/* The front-250 cover of one release into IMAGE_DIR/@id.EXT. FALSE stops
 * the run; otherwise @outcome says what came of it, and @try_next whether
 * another release may have a cover. */
static gboolean
fetch_cover (Collector   *self,
             const char  *mbid,
             const char  *id,
             Outcome     *outcome,
             gboolean    *try_next,
             GError     **error)
{
  g_autofree char *url = g_strdup_printf ("%s/release/%s/front-250", self->coverart_url, mbid);
  g_autoptr(TsImage) image = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *path = NULL;
  TsHttpResponse response;
  TsHttpOptions o;

  *try_next = FALSE;
  musicbrainz_options (&o, "the Cover Art Archive");
  o.max_body_size = MAX_IMAGE_BODY;
  if (!ts_http_fetch (url, &o, &response, self->cancellable, &local))
    {
      /* A cut transfer or an oversized body is this cover's fault; so
       * many transport failures in a row, the network's. */
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || (g_error_matches (local, TS_ERROR, TS_ERROR_NETWORK)
              && ++self->cover_network_failures >= MAX_COVER_NETWORK_FAILURES))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      outcome->status = TS_COVER_TRY_FAILED;
      outcome->reason = g_strdup_printf ("the cover of release %s: %s", mbid, local->message);
      return TRUE;
    }
  self->cover_network_failures = 0;
  if (response.status == 404)
    {
      outcome->status = TS_COVER_TRY_NOT_FOUND;
      outcome->reason = g_strdup ("no front cover in the Cover Art Archive");
      *try_next = TRUE;
    }
  else if (response.status != 200)
    {
      outcome->status = TS_COVER_TRY_FAILED;
      outcome->reason = g_strdup_printf ("the Cover Art Archive answered HTTP %u for release %s",
                                         response.status, mbid);
    }
  else if ((image = ts_image_decode_bytes (response.body, url, 0, &local)) == NULL)
    {
      outcome->status = TS_COVER_TRY_FAILED;
      outcome->reason = g_strdup_printf ("the cover of release %s is not a readable image: %s",
                                         mbid, local->message);
    }
  else
    {
      g_autofree char *name = g_strconcat (id, image_extension (response.body), NULL);

      path = g_build_filename (self->image_dir, name, NULL);
      if (!save_image (response.body, path, error))
        {
          ts_http_response_clear (&response);
          return FALSE;
        }
      outcome->status = TS_COVER_TRY_FOUND;
      outcome->reason = g_strdup_printf ("release %s", mbid);
      outcome->file = g_steal_pointer (&path);
    }
  ts_http_response_clear (&response);
  return TRUE;
}

/* ---- One song -------------------------------------------------------------- */

static gboolean
collect_song (Collector          *self,
              const char         *id,
              const char         *title,
              const char * const *artists,
              Outcome            *outcome,
              GError            **error)
{
  g_autofree char *searched = base_title (title);
  g_autofree char *url = search_url (self, artists[0], searched);
  g_auto(GStrv) releases = NULL;
  TsHttpResponse response;

  if (!musicbrainz_get (self, url, &response, error))
    return FALSE;
  if (response.status != 200)
    {
      outcome->status = TS_COVER_TRY_FAILED;
      outcome->reason = g_strdup_printf ("MusicBrainz answered HTTP %u", response.status);
      ts_http_response_clear (&response);
      return TRUE;
    }
  releases = _ts_musicbrainz_parse_search (response.body, searched, artists, &outcome->reason);
  ts_http_response_clear (&response);
  if (releases == NULL)
    {
      outcome->status = TS_COVER_TRY_FAILED;
      return TRUE;
    }
  if (releases[0] == NULL)
    {
      outcome->status = TS_COVER_TRY_NOT_FOUND;
      outcome->reason = g_strdup ("no release of a matching recording on MusicBrainz");
      return TRUE;
    }
  for (guint i = 0; releases[i] != NULL && i < MAX_COVER_TRIES; i++)
    {
      gboolean try_next;

      g_clear_pointer (&outcome->reason, g_free);
      if (!fetch_cover (self, releases[i], id, outcome, &try_next, error))
        return FALSE;
      if (!try_next)
        break;
    }
  return TRUE;
}

/* ---- The run ---------------------------------------------------------------- */

static int
compare_popularity (gconstpointer a,
                    gconstpointer b,
                    gpointer      scaled)
{
  const float *s = scaled;
  guint ra = *(const guint *) a, rb = *(const guint *) b;
  float pa = s[(gsize) ra * TS_N_FEATURES + TS_FEATURE_POPULARITY];
  float pb = s[(gsize) rb * TS_N_FEATURES + TS_FEATURE_POPULARITY];

  if (pa != pb)
    return pa < pb ? 1 : -1;
  return (ra > rb) - (ra < rb);
}

/* The rows to try in this run, most popular first, one per Spotify id. */
static GArray *
rows_to_try (TsCoverManifest            *manifest,
             TsDataset                  *dataset,
             const TsMusicBrainzOptions *options,
             guint                      *skipped)
{
  guint n = ts_dataset_get_n_rows (dataset);
  g_autoptr(GArray) order = g_array_sized_new (FALSE, FALSE, sizeof (guint), n);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GArray *todo = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint row = 0; row < n; row++)
    g_array_append_val (order, row);
  g_array_sort_with_data (order, compare_popularity, (gpointer) ts_dataset_get_scaled (dataset));
  *skipped = 0;
  for (guint i = 0; i < n && (options->limit == 0 || todo->len < options->limit); i++)
    {
      guint row = g_array_index (order, guint, i);
      const char *id = ts_dataset_get_id (dataset, row);
      TsCoverTry status;

      if (id == NULL || *id == '\0' || !g_hash_table_add (seen, (gpointer) id))
        continue;
      if (ts_cover_manifest_get_tried (manifest, TS_MUSICBRAINZ_SOURCE, id, &status, NULL)
          && !(options->retry_failed && status == TS_COVER_TRY_FAILED))
        (*skipped)++;
      else
        g_array_append_val (todo, row);
    }
  return todo;
}

static gboolean
save_manifest (TsCoverManifest *manifest,
               const char      *path,
               GError         **error)
{
  return path == NULL || ts_cover_manifest_save (manifest, path, error);
}

static void
record_outcome (TsCoverManifest       *manifest,
                TsDataset             *dataset,
                guint                  row,
                Outcome               *outcome,
                TsMusicBrainzProgress *counts)
{
  const char *id = ts_dataset_get_id (dataset, row);

  if (outcome->status == TS_COVER_TRY_FOUND)
    {
      TsCoverEntry entry = { outcome->file, (char *) TS_MUSICBRAINZ_SOURCE, (char *) id, { 0 } };

      memcpy (entry.features, ts_dataset_get_scaled (dataset) + (gsize) row * TS_N_FEATURES,
              sizeof entry.features);
      ts_cover_manifest_add (manifest, &entry);
      counts->found++;
    }
  else if (outcome->status == TS_COVER_TRY_NOT_FOUND)
    counts->not_found++;
  else
    counts->failed++;
  ts_cover_manifest_set_tried (manifest, TS_MUSICBRAINZ_SOURCE, id, outcome->status,
                               outcome->reason);
}

/* The song's artists' names, NULL-terminated, borrowed from @dataset. */
static const char **
song_artists (TsDataset *dataset,
              guint      row)
{
  const guint32 *artists = NULL;
  guint n = ts_dataset_get_artists (dataset, row, &artists);
  const char **names = g_new0 (const char *, n + 1);

  for (guint a = 0; a < n; a++)
    names[a] = ts_dataset_get_artist_name (dataset, artists[a]);
  return names;
}

static gboolean
make_image_dir (Collector  *self,
                GError    **error)
{
  g_autofree char *dir = NULL;

  if (self->options->image_dir != NULL)
    dir = g_strdup (self->options->image_dir);
  else
    {
      g_autofree char *covers = ts_covers_default_dir ();

      dir = g_build_filename (covers, TS_MUSICBRAINZ_SOURCE, NULL);
    }
  self->image_dir = g_canonicalize_filename (dir, NULL);
  if (g_mkdir_with_parents (self->image_dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, TS_ERROR, TS_ERROR_IO, "cannot make the folder %s: %s",
                   self->image_dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
ts_covers_collect_musicbrainz (TsCoverManifest             *manifest,
                               TsDataset                   *dataset,
                               const TsMusicBrainzOptions  *options,
                               TsMusicBrainzProgressFunc    progress,
                               gpointer                     user_data,
                               GCancellable                *cancellable,
                               TsMusicBrainzProgress       *result,
                               GError                     **error)
{
  Collector self = { 0 };
  TsMusicBrainzOptions defaults;
  TsMusicBrainzProgress counts = { 0 };
  g_autoptr(GArray) todo = NULL;
  g_autoptr(GError) local = NULL;
  gint64 start, last_save;
  gboolean ok = TRUE;

  g_return_val_if_fail (manifest != NULL && dataset != NULL, FALSE);

  if (options == NULL)
    {
      ts_musicbrainz_options_init (&defaults);
      options = &defaults;
    }
  self.options = options;
  self.musicbrainz_url = dup_base_url ("TUNESCOPE_MUSICBRAINZ_URL", DEFAULT_MUSICBRAINZ_URL);
  self.coverart_url = dup_base_url ("TUNESCOPE_COVERART_URL", DEFAULT_COVERART_URL);
  self.interval_ms = interval_ms (options);
  self.cancellable = cancellable;

  todo = rows_to_try (manifest, dataset, options, &counts.skipped);
  counts.total = todo->len;
  counts.eta_s = -1.0;
  ok = make_image_dir (&self, &local);
  start = last_save = g_get_monotonic_time ();
  for (guint i = 0; ok && i < todo->len; i++)
    {
      guint row = g_array_index (todo, guint, i);
      g_autofree const char **artists = song_artists (dataset, row);
      const char *title = ts_dataset_get_name (dataset, row);
      Outcome outcome = { TS_COVER_TRY_FAILED, NULL, NULL };

      if (artists[0] == NULL || title == NULL || *title == '\0')
        outcome = (Outcome) { TS_COVER_TRY_NOT_FOUND, g_strdup ("no artist or title"), NULL };
      else if (!collect_song (&self, ts_dataset_get_id (dataset, row), title, artists, &outcome,
                              &local))
        {
          g_free (outcome.reason);
          g_free (outcome.file);
          ok = FALSE;
          break;
        }
      record_outcome (manifest, dataset, row, &outcome, &counts);
      g_free (outcome.reason);
      g_free (outcome.file);

      counts.done = i + 1;
      counts.eta_s = (g_get_monotonic_time () - start) / 1e6 / counts.done
                     * (counts.total - counts.done);
      counts.artist = artists[0];
      counts.title = title;
      if (progress != NULL)
        progress (&counts, user_data);
      if (g_get_monotonic_time () - last_save >= SAVE_INTERVAL_USEC)
        {
          ok = save_manifest (manifest, options->manifest_path, &local);
          last_save = g_get_monotonic_time ();
        }
    }

  /* Whatever stopped the run, what it did is kept. */
  if (!save_manifest (manifest, options->manifest_path, local == NULL ? &local : NULL))
    ok = FALSE;
  counts.artist = counts.title = NULL;
  if (result != NULL)
    *result = counts;
  g_free (self.musicbrainz_url);
  g_free (self.coverart_url);
  g_free (self.image_dir);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local));
  return ok;
}

/* ---- In a worker thread ------------------------------------------------------ */

/* A copy of one report, its strings owned. */
typedef struct
{
  TsMusicBrainzProgress  progress;
  char                  *artist;
  char                  *title;
} ProgressReport;

static void
progress_report_free (gpointer data)
{
  ProgressReport *report = data;

  g_free (report->artist);
  g_free (report->title);
  g_free (report);
}

static void
marshal_progress (GCallback func,
                  gpointer  report_data,
                  gpointer  user_data)
{
  ProgressReport *report = report_data;

  report->progress.artist = report->artist;
  report->progress.title = report->title;
  ((TsMusicBrainzProgressFunc) func) (&report->progress, user_data);
}

/* On the worker: every report goes, in order. */
static void
relay_progress (const TsMusicBrainzProgress *progress,
                gpointer                     relay)
{
  ProgressReport *report = g_new0 (ProgressReport, 1);

  report->progress = *progress;
  report->artist = g_strdup (progress->artist);
  report->title = g_strdup (progress->title);
  ts_relay_post (relay, report, progress_report_free, TRUE);
}

typedef struct
{
  TsCoverManifest       *manifest;
  TsDataset             *dataset;
  TsMusicBrainzOptions   options;
  char                  *image_dir;
  char                  *manifest_path;
  TsRelay               *relay;  /* progress to the caller */
  TsMusicBrainzProgress  counts;
} CollectJob;

static void
collect_job_free (gpointer data)
{
  CollectJob *job = data;

  g_clear_object (&job->dataset);
  g_free (job->image_dir);
  g_free (job->manifest_path);
  g_clear_pointer (&job->relay, ts_relay_unref);
  g_free (job);
}

static void
collect_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  CollectJob *job = data;
  GError *error = NULL;

  if (ts_covers_collect_musicbrainz (job->manifest, job->dataset, &job->options,
                                     relay_progress, job->relay, cancellable, &job->counts,
                                     &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ts_covers_collect_musicbrainz_async (TsCoverManifest            *manifest,
                                     TsDataset                  *dataset,
                                     const TsMusicBrainzOptions *options,
                                     TsMusicBrainzProgressFunc   progress,
                                     gpointer                    progress_data,
                                     GDestroyNotify              progress_data_free,
                                     GCancellable               *cancellable,
                                     GAsyncReadyCallback         callback,
                                     gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  CollectJob *job;

  g_return_if_fail (manifest != NULL && TS_IS_DATASET (dataset));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ts_covers_collect_musicbrainz_async);
  g_task_set_name (task, "[tunescope] ts_covers_collect_musicbrainz_async");
  job = g_new0 (CollectJob, 1);
  job->manifest = manifest;
  job->dataset = g_object_ref (dataset);
  if (options != NULL)
    job->options = *options;
  else
    ts_musicbrainz_options_init (&job->options);
  job->options.image_dir = job->image_dir = g_strdup (job->options.image_dir);
  job->options.manifest_path = job->manifest_path = g_strdup (job->options.manifest_path);
  job->relay = ts_relay_new (G_CALLBACK (progress), marshal_progress, progress_data,
                             progress_data_free, 0);
  g_task_set_task_data (task, job, collect_job_free);
  g_task_run_in_thread (task, collect_thread);
}

gboolean
ts_covers_collect_musicbrainz_finish (GAsyncResult           *result,
                                      TsMusicBrainzProgress  *counts,
                                      GError                **error)
{
  CollectJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == ts_covers_collect_musicbrainz_async, FALSE);

  job = g_task_get_task_data (G_TASK (result));
  if (counts != NULL)
    *counts = job->counts;
  return g_task_propagate_boolean (G_TASK (result), error);
}
