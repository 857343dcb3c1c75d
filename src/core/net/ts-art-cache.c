/* ts-art-cache.c: album covers on disk, fetched from Spotify when missing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-art-cache"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "ts-art-cache.h"
#include "ts-atomic-file.h"
#include "ts-error.h"
#include "ts-http.h"
#include "ts-image.h"
#include "ts-relay.h"

#define DEFAULT_MAX_SIZE     (256 * 1024 * 1024)
#define DEFAULT_MISSING_TTL  (7 * 24 * 3600)
/* Decoding at this size is enough to prove a cover whole, and cheap. */
#define CHECK_SIZE           32

struct _TsArtCache
{
  gatomicrefcount  ref_count;
  char            *dir;
  /* Guards the settings and the size count, and serializes eviction. */
  GMutex           lock;
  guint64          max_size;
  gint64           missing_ttl;
  /* The covers' size as last counted plus what was stored since, or -1:
   * spares listing the folder after every store. */
  gint64           known_size;
};

const char *
ts_art_outcome_get_name (TsArtOutcome outcome)
{
  switch (outcome)
    {
    case TS_ART_FETCHED: return "fetched";
    case TS_ART_CACHED:  return "cached";
    case TS_ART_MISSING: return "missing";
    case TS_ART_FAILED:  return "failed";
    default:             g_return_val_if_reached ("failed");
    }
}

void
ts_art_result_free (TsArtResult *result)
{
  if (result == NULL)
    return;
  g_free (result->id);
  g_free (result->path);
  g_free (result->reason);
  g_free (result);
}

char *
ts_art_cache_dup_default_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "tunescope", "art", NULL);
}

TsArtCache *
ts_art_cache_new (const char *dir)
{
  TsArtCache *self = g_new0 (TsArtCache, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->dir = dir != NULL ? g_strdup (dir) : ts_art_cache_dup_default_dir ();
  g_mutex_init (&self->lock);
  self->max_size = DEFAULT_MAX_SIZE;
  self->missing_ttl = DEFAULT_MISSING_TTL;
  self->known_size = -1;
  return self;
}

TsArtCache *
ts_art_cache_ref (TsArtCache *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
ts_art_cache_unref (TsArtCache *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_mutex_clear (&self->lock);
  g_free (self->dir);
  g_free (self);
}

const char *
ts_art_cache_get_dir (TsArtCache *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->dir;
}

void
ts_art_cache_set_max_size (TsArtCache *self,
                           guint64     max_size)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  self->max_size = max_size;
  g_mutex_unlock (&self->lock);
  ts_art_cache_trim (self);
}

void
ts_art_cache_set_missing_ttl (TsArtCache *self,
                              gint64      seconds)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (seconds >= 0);

  g_mutex_lock (&self->lock);
  self->missing_ttl = seconds;
  g_mutex_unlock (&self->lock);
}

static char *
entry_path (TsArtCache *self,
            const char *id,
            const char *suffix)
{
  g_autofree char *name = g_strconcat (id, suffix, NULL);

  g_assert (ts_spotify_is_track_id (id));
  return g_build_filename (self->dir, name, NULL);
}

static void
remove_entry (TsArtCache *self,
              const char *id)
{
  static const char * const suffixes[] = { ".jpg", ".url", ".none" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = entry_path (self, id, suffixes[i]);

      if (g_unlink (path) != 0 && errno != ENOENT)
        g_debug ("Could not remove %s: %s", path, g_strerror (errno));
    }
}

/* Marks the file used now: the LRU order is the files' mtime. */
static void
touch (const char *path)
{
  if (utimensat (AT_FDCWD, path, NULL, 0) != 0)
    g_debug ("Could not touch %s: %s", path, g_strerror (errno));
}

static gboolean
missing_is_fresh (TsArtCache *self,
                  const char *id)
{
  g_autofree char *path = entry_path (self, id, ".none");
  GStatBuf st;
  gint64 ttl;

  if (g_stat (path, &st) != 0)
    return FALSE;
  g_mutex_lock (&self->lock);
  ttl = self->missing_ttl;
  g_mutex_unlock (&self->lock);
  if (g_get_real_time () / G_USEC_PER_SEC - (gint64) st.st_mtime < ttl)
    return TRUE;
  g_unlink (path);
  return FALSE;
}

char *
ts_art_cache_lookup (TsArtCache *self,
                     const char *id,
                     gboolean   *missing)
{
  g_autofree char *path = NULL;
  g_autoptr(TsImage) image = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (missing != NULL)
    *missing = FALSE;
  if (!ts_spotify_is_track_id (id))
    return NULL;

  path = entry_path (self, id, ".jpg");
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      if (missing != NULL)
        *missing = missing_is_fresh (self, id);
      return NULL;
    }
  image = ts_image_load_file (path, CHECK_SIZE, &error);
  if (image == NULL)
    {
      g_debug ("Dropping the cached cover of %s: %s", id, error->message);
      g_mutex_lock (&self->lock);
      remove_entry (self, id);
      g_mutex_unlock (&self->lock);
      return NULL;
    }
  touch (path);
  return g_steal_pointer (&path);
}

char *
ts_art_cache_dup_url (TsArtCache *self,
                      const char *id)
{
  g_autofree char *path = NULL;
  char *url = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!ts_spotify_is_track_id (id))
    return NULL;
  path = entry_path (self, id, ".url");
  if (!g_file_get_contents (path, &url, NULL, NULL))
    return NULL;
  /* Empty after a power failure (the files are not synced). */
  if (*g_strchomp (url) == '\0')
    g_clear_pointer (&url, g_free);
  return url;
}

static gboolean
ensure_dir (TsArtCache  *self,
            GError     **error)
{
  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, TS_ERROR, TS_ERROR_IO, "Could not create the cover cache “%s”: %s",
                   self->dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_atomically (const char  *path,
                  const void  *data,
                  gsize        length,
                  GError     **error)
{
  g_autoptr(TsAtomicFile) file = ts_atomic_file_new (path, error);

  if (file == NULL)
    return FALSE;
  /* No fsync: a cover is decoded before it is used and fetched again when
   * it fails, so one cut short by a power failure costs a download, while
   * two fsyncs per cover cost ~3 ms of waiting and the journal's CPU. */
  ts_atomic_file_set_durable (file, FALSE);
  return ts_atomic_file_write (file, data, length, error) && ts_atomic_file_commit (file, error);
}

gboolean
ts_art_cache_store (TsArtCache  *self,
                    const char  *id,
                    const char  *url,
                    GBytes      *image,
                    GError     **error)
{
  g_autofree char *image_path = NULL;
  g_autofree char *url_path = NULL;
  g_autofree char *none_path = NULL;
  g_autofree char *url_line = NULL;
  gsize size = 0;
  const void *data;
  gboolean need_trim;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (ts_spotify_is_track_id (id), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);
  g_return_val_if_fail (image != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  image_path = entry_path (self, id, ".jpg");
  url_path = entry_path (self, id, ".url");
  none_path = entry_path (self, id, ".none");
  url_line = g_strconcat (url, "\n", NULL);
  data = g_bytes_get_data (image, &size);

  /* The writes need no lock, each being atomic, and go without it: they
   * wait for the disk (fsync), and under the lock concurrent fetches
   * stored their covers one at a time. */
  if (!ensure_dir (self, error) ||
      !write_atomically (url_path, url_line, strlen (url_line), error) ||
      !write_atomically (image_path, data, size, error))
    return FALSE;

  g_mutex_lock (&self->lock);
  g_unlink (none_path);
  /* A replaced cover counts twice until the next listing: harmless. */
  if (self->known_size >= 0)
    self->known_size += (gint64) size;
  need_trim = self->known_size < 0 ||
              (self->max_size > 0 && (guint64) self->known_size > self->max_size);
  g_mutex_unlock (&self->lock);
  if (need_trim)
    ts_art_cache_trim (self);
  return TRUE;
}

gboolean
ts_art_cache_store_missing (TsArtCache  *self,
                            const char  *id,
                            GError     **error)
{
  g_autofree char *path = NULL;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (ts_spotify_is_track_id (id), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = entry_path (self, id, ".none");
  g_mutex_lock (&self->lock);
  ok = ensure_dir (self, error) && write_atomically (path, "", 0, error);
  g_mutex_unlock (&self->lock);
  return ok;
}

void
ts_art_cache_remove (TsArtCache *self,
                     const char *id)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (id != NULL);

  if (!ts_spotify_is_track_id (id))
    return;
  g_mutex_lock (&self->lock);
  remove_entry (self, id);
  g_mutex_unlock (&self->lock);
}

typedef struct
{
  char    *id;
  guint64  size;
  gint64   mtime_ns;
} Entry;

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->id);
  g_free (entry);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *ea = *(const Entry * const *) a;
  const Entry *eb = *(const Entry * const *) b;

  if (ea->mtime_ns != eb->mtime_ns)
    return ea->mtime_ns < eb->mtime_ns ? -1 : 1;
  return g_strcmp0 (ea->id, eb->id);
}

/* The covers on disk (ID.jpg plus its ID.url), oldest use first. */
static GPtrArray *
list_entries (TsArtCache *self,
              guint64    *total)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func (entry_free);
  g_autoptr(GDir) dir = g_dir_open (self->dir, 0, NULL);
  const char *name;

  *total = 0;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      struct stat st;
      Entry *entry;

      path = g_build_filename (self->dir, name, NULL);
      if (stat (path, &st) != 0)
        continue;
      /* Temporary files of writes cut short by a crash, a day old. */
      if (name[0] == '.' && (gint64) st.st_mtime < g_get_real_time () / G_USEC_PER_SEC - 86400)
        g_unlink (path);
      if (name[0] == '.' || !g_str_has_suffix (name, ".jpg"))
        continue;
      entry = g_new0 (Entry, 1);
      entry->id = g_strndup (name, strlen (name) - 4);
      entry->size = (guint64) st.st_size;
      entry->mtime_ns = (gint64) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
      *total += entry->size;
      g_ptr_array_add (entries, entry);
    }
  g_ptr_array_sort (entries, compare_entries);
  return entries;
}

guint64
ts_art_cache_get_size (TsArtCache *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  guint64 total;

  g_return_val_if_fail (self != NULL, 0);

  entries = list_entries (self, &total);
  return total;
}

void
ts_art_cache_trim (TsArtCache *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  guint64 total;

  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  entries = list_entries (self, &total);
  for (guint i = 0; self->max_size > 0 && total > self->max_size && i < entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (entries, i);

      if (!ts_spotify_is_track_id (entry->id))
        continue;
      g_debug ("Evicting the cover of %s", entry->id);
      remove_entry (self, entry->id);
      total -= entry->size;
    }
  self->known_size = (gint64) total;
  g_mutex_unlock (&self->lock);
}

gboolean
ts_art_cache_clear (TsArtCache  *self,
                    GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  dir = g_dir_open (self->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->dir, name, NULL);

      if ((g_str_has_suffix (name, ".jpg") || g_str_has_suffix (name, ".url") ||
           g_str_has_suffix (name, ".none")) && g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, TS_ERROR, TS_ERROR_IO, "Could not remove “%s”: %s", path,
                       g_strerror (saved));
          self->known_size = -1;
          g_mutex_unlock (&self->lock);
          return FALSE;
        }
    }
  self->known_size = 0;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* Fetching */

static char *
download_and_store (TsArtCache    *self,
                    TsSpotify     *spotify,
                    const char    *id,
                    const char    *url,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GBytes) bytes = ts_spotify_download_image (spotify, url, cancellable, error);
  g_autoptr(TsImage) image = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;

  if (bytes == NULL)
    return NULL;
  name = g_strdup_printf ("cover of %s", id);
  image = ts_image_decode_bytes (bytes, name, CHECK_SIZE, &local_error);
  if (image == NULL)
    {
      g_autofree char *host = ts_http_dup_host (url);

      g_set_error (error, TS_ERROR, TS_ERROR_HTTP, "%s sent a broken cover: %s", host,
                   local_error->message);
      return NULL;
    }
  if (!ts_art_cache_store (self, id, url, bytes, error))
    return NULL;
  return entry_path (self, id, ".jpg");
}

char *
ts_art_cache_fetch (TsArtCache    *self,
                    TsSpotify     *spotify,
                    TsArtSource    source,
                    const char    *id,
                    guint          size,
                    TsArtOutcome  *outcome,
                    char         **reason,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *why = NULL;
  gboolean missing = FALSE;
  GError *local_error = NULL;
  TsArtOutcome result = TS_ART_FAILED;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (spotify != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ts_spotify_is_track_id (id))
    g_set_error (&local_error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                 "“%s” is not a Spotify track id", id);
  else if ((path = ts_art_cache_lookup (self, id, &missing)) != NULL)
    result = TS_ART_CACHED;
  else if (missing)
    {
      result = TS_ART_MISSING;
      why = g_strdup ("no cover (remembered from an earlier try)");
    }
  else if ((url = ts_spotify_lookup_cover_url (spotify, source, id, size, &why, cancellable,
                                               &local_error)) != NULL)
    {
      path = download_and_store (self, spotify, id, url, cancellable, &local_error);
      if (path != NULL)
        result = TS_ART_FETCHED;
    }
  else if (local_error == NULL)
    {
      result = TS_ART_MISSING;
      if (!ts_art_cache_store_missing (self, id, &local_error))
        result = TS_ART_FAILED;
    }

  if (outcome != NULL)
    *outcome = result;
  if (reason != NULL)
    *reason = result == TS_ART_MISSING ? g_steal_pointer (&why) : NULL;
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return g_steal_pointer (&path);
}

/* Async: one cover */

typedef struct
{
  TsArtCache  *cache;
  TsSpotify   *spotify;
  TsArtSource  source;
  char        *id;
  guint        size;
  /* fetch_many only */
  char       **ids;
  guint        jobs;
  TsRelay         *relay;
} FetchData;

static void
fetch_data_free (gpointer data)
{
  FetchData *d = data;

  ts_art_cache_unref (d->cache);
  ts_spotify_unref (d->spotify);
  g_free (d->id);
  g_strfreev (d->ids);
  g_clear_pointer (&d->relay, ts_relay_unref);
  g_free (d);
}

static FetchData *
fetch_data_new (TsArtCache  *cache,
                TsSpotify   *spotify,
                TsArtSource  source,
                guint        size)
{
  FetchData *d = g_new0 (FetchData, 1);

  d->cache = ts_art_cache_ref (cache);
  d->spotify = ts_spotify_ref (spotify);
  d->source = source;
  d->size = size;
  return d;
}

/* Runs @func on a GTask that owns @d. */
static void
run_in_thread (FetchData           *d,
               gpointer             source_tag,
               GTaskThreadFunc      func,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, d, fetch_data_free);
  g_task_run_in_thread (task, func);
}

static TsArtResult *
fetch_one (FetchData    *d,
           const char   *id,
           GCancellable *cancellable)
{
  TsArtResult *result = g_new0 (TsArtResult, 1);
  g_autoptr(GError) error = NULL;

  result->id = g_strdup (id);
  result->path = ts_art_cache_fetch (d->cache, d->spotify, d->source, id, d->size,
                                     &result->outcome, &result->reason, cancellable, &error);
  if (error != NULL)
    result->reason = g_strdup (error->message);
  return result;
}

static void
fetch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  FetchData *d = task_data;
  TsArtResult *result = fetch_one (d, d->id, cancellable);

  if (g_task_return_error_if_cancelled (task))
    ts_art_result_free (result);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) ts_art_result_free);
}

void
ts_art_cache_fetch_async (TsArtCache          *self,
                          TsSpotify           *spotify,
                          TsArtSource          source,
                          const char          *id,
                          guint                size,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  FetchData *d;

  g_return_if_fail (self != NULL);
  g_return_if_fail (spotify != NULL);
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  d = fetch_data_new (self, spotify, source, size);
  d->id = g_strdup (id);
  run_in_thread (d, ts_art_cache_fetch_async, fetch_thread, cancellable, callback, user_data);
}

TsArtResult *
ts_art_cache_fetch_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ts_art_cache_fetch_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Many covers: @jobs workers take the next id until none is left. */

typedef struct
{
  FetchData      *data;
  const char * const *ids;
  guint           n_ids;
  TsArtResult   **results;
  gint            next;   /* atomic */
  gint            done;   /* atomic */
  TsProgressFunc  progress;
  gpointer        progress_data;
  GMutex          progress_lock;
  GCancellable   *cancellable;
} Batch;

static gpointer
batch_worker (gpointer data)
{
  Batch *batch = data;
  int i;

  while ((i = g_atomic_int_add (&batch->next, 1)) < (int) batch->n_ids)
    {
      TsArtResult *result;
      int done;

      if (g_cancellable_is_cancelled (batch->cancellable))
        break;
      result = fetch_one (batch->data, batch->ids[i], batch->cancellable);
      batch->results[i] = result;
      done = g_atomic_int_add (&batch->done, 1) + 1;
      if (batch->progress != NULL)
        {
          g_autofree char *message = g_strdup_printf ("Covers: %d of %u (%s %s)", done,
                                                      batch->n_ids, result->id,
                                                      ts_art_outcome_get_name (result->outcome));

          g_mutex_lock (&batch->progress_lock);
          batch->progress ((double) done / batch->n_ids, message, batch->progress_data);
          g_mutex_unlock (&batch->progress_lock);
        }
    }
  return NULL;
}

static GPtrArray *
fetch_many (FetchData           *d,
            const char * const  *ids,
            TsProgressFunc       progress,
            gpointer             progress_data,
            GCancellable        *cancellable,
            GError             **error)
{
  Batch batch = {
    .data = d,
    .ids = ids,
    .n_ids = g_strv_length ((char **) ids),
    .progress = progress,
    .progress_data = progress_data,
    .cancellable = cancellable,
  };
  guint n_workers = CLAMP (d->jobs, 1, MAX (batch.n_ids, 1));
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  GPtrArray *results;

  batch.results = g_new0 (TsArtResult *, batch.n_ids + 1);
  g_mutex_init (&batch.progress_lock);
  for (guint i = 0; i < n_workers; i++)
    g_ptr_array_add (threads, g_thread_new ("ts-art", batch_worker, &batch));
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
  g_mutex_clear (&batch.progress_lock);

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) ts_art_result_free);
  for (guint i = 0; i < batch.n_ids; i++)
    g_ptr_array_add (results, batch.results[i]);
  g_free (batch.results);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_ptr_array_unref (results);
      return NULL;
    }
  return results;
}

GPtrArray *
ts_art_cache_fetch_many (TsArtCache         *self,
                         TsSpotify          *spotify,
                         TsArtSource         source,
                         const char * const *ids,
                         guint               size,
                         guint               jobs,
                         TsProgressFunc      progress,
                         gpointer            progress_data,
                         GCancellable       *cancellable,
                         GError            **error)
{
  FetchData *d;
  GPtrArray *results;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (spotify != NULL, NULL);
  g_return_val_if_fail (ids != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  d = fetch_data_new (self, spotify, source, size);
  d->jobs = jobs;
  results = fetch_many (d, ids, progress, progress_data, cancellable, error);
  fetch_data_free (d);
  return results;
}

static void
fetch_many_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  FetchData *d = task_data;
  GError *error = NULL;
  GPtrArray *results = fetch_many (d, (const char * const *) d->ids, ts_relay_report_progress,
                                   d->relay, cancellable, &error);

  if (results == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, results, (GDestroyNotify) g_ptr_array_unref);
}

void
ts_art_cache_fetch_many_async (TsArtCache          *self,
                               TsSpotify           *spotify,
                               TsArtSource          source,
                               const char * const  *ids,
                               guint                size,
                               guint                jobs,
                               TsProgressFunc       progress,
                               gpointer             progress_data,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  FetchData *d;

  g_return_if_fail (self != NULL);
  g_return_if_fail (spotify != NULL);
  g_return_if_fail (ids != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  d = fetch_data_new (self, spotify, source, size);
  d->ids = g_strdupv ((char **) ids);
  d->jobs = jobs;
  d->relay = ts_relay_new_progress (progress, progress_data);
  run_in_thread (d, ts_art_cache_fetch_many_async, fetch_many_thread, cancellable, callback,
                 user_data);
}

GPtrArray *
ts_art_cache_fetch_many_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        ts_art_cache_fetch_many_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
