/* ts-cover-loader.c: album covers for the whole app, loaded off the main thread
 *
 * One art cache and one TsSpotify for every window. A load waits in a
 * queue (newest first: the rows just scrolled to) until one of the
 * art-downloads workers is free; the worker fetches the cover through the
 * disk cache and decodes it into a GdkMemoryTexture, so the main thread
 * never touches the network, the disk or libjpeg. Decoded covers stay in
 * a small in-memory LRU for rows that come back into view.
 *
 * Network trouble is reported once per burst through ::trouble; after an
 * unreachable service or a rate limit, loads use the disk cache only for a
 * while instead of hammering it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-cover-loader"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ts-app-util.h"
#include "ts-cover-loader.h"

/* The size asked from Spotify; the cache keeps one cover per track. */
#define FETCH_SIZE        300
/* Decoded covers kept in memory. */
#define MEMORY_COVERS     256
/* After a report, more trouble within this many seconds is the same burst. */
#define TROUBLE_BURST_S   60
/* After an unreachable service or a rate limit, no network for this long. */
#define COOLDOWN_S        30
#define MIB               (1024 * 1024)

struct _TsCoverLoader
{
  GObject       parent_instance;

  GSettings    *settings;
  TsArtCache   *art_cache;
  TsSpotify    *spotify;
  TsArtSource   source;
  guint         max_running;
  guint         running;
  GQueue        pending;          /* of GTask, newest first */
  guint         credentials_generation;
  GCancellable *cancellable;

  /* Memory: "id@size" → GdkTexture, and the keys in use order. */
  GHashTable   *textures;
  GQueue        texture_order;
  GHashTable   *missing;          /* ids without a cover */

  gint64        last_trouble_us;  /* 0: none reported in this burst */
  gint64        cooldown_until_us;
  gboolean      fallback_reported;
};

G_DEFINE_FINAL_TYPE (TsCoverLoader, ts_cover_loader, G_TYPE_OBJECT)

enum {
  TROUBLE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void pump (TsCoverLoader *self);

/* ---- trouble ---------------------------------------------------------- */

static void
report_trouble (TsCoverLoader *self,
                const char    *message)
{
  gint64 now = g_get_monotonic_time ();

  if (self->last_trouble_us != 0 &&
      now - self->last_trouble_us < TROUBLE_BURST_S * G_USEC_PER_SEC)
    {
      self->last_trouble_us = now;
      return;
    }
  self->last_trouble_us = now;
  g_debug ("Reported cover trouble: %s", message);
  g_signal_emit (self, signals[TROUBLE], 0, message);
}

/* The errors that say the service, not this one cover, is in trouble. */
static gboolean
is_service_trouble (const GError *error)
{
  return g_error_matches (error, TS_ERROR, TS_ERROR_NETWORK) ||
         g_error_matches (error, TS_ERROR, TS_ERROR_HTTP) ||
         g_error_matches (error, TS_ERROR, TS_ERROR_AUTH) ||
         g_error_matches (error, TS_ERROR, TS_ERROR_RATE_LIMITED);
}

static void
note_failure (TsCoverLoader *self,
              const GError  *error)
{
  g_autofree char *message = NULL;

  if (!is_service_trouble (error))
    return;
  if (g_error_matches (error, TS_ERROR, TS_ERROR_NETWORK) ||
      g_error_matches (error, TS_ERROR, TS_ERROR_RATE_LIMITED))
    self->cooldown_until_us = g_get_monotonic_time () + COOLDOWN_S * G_USEC_PER_SEC;
  /* Translators: %s is the service's reason */
  message = g_strdup_printf (_("Covers could not be loaded: %s"), error->message);
  report_trouble (self, message);
}

/* A new source or new credentials start afresh. */
static void
forget_trouble (TsCoverLoader *self)
{
  self->last_trouble_us = 0;
  self->cooldown_until_us = 0;
  g_hash_table_remove_all (self->missing);
}

/* ---- decoded covers in memory ----------------------------------------- */

static char *
texture_key (const char *track_id,
             guint       size)
{
  return g_strdup_printf ("%s@%u", track_id, size);
}

static void
remember_texture (TsCoverLoader *self,
                  char          *key,
                  GdkTexture    *texture)
{
  if (g_hash_table_contains (self->textures, key))
    {
      g_free (key);
      return;
    }
  g_queue_push_head (&self->texture_order, key);
  g_hash_table_insert (self->textures, key, g_object_ref (texture));
  while (self->texture_order.length > MEMORY_COVERS)
    g_hash_table_remove (self->textures, g_queue_pop_tail (&self->texture_order));
}

GdkTexture *
ts_cover_loader_lookup (TsCoverLoader *self,
                        const char    *track_id,
                        guint          size)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (TS_IS_COVER_LOADER (self), NULL);
  g_return_val_if_fail (track_id != NULL, NULL);

  key = texture_key (track_id, size);
  return g_hash_table_lookup (self->textures, key);
}

/* ---- the worker ------------------------------------------------------- */

typedef struct
{
  TsArtCache   *cache;
  TsSpotify    *spotify;
  TsArtSource   source;
  char         *id;
  guint         size;
  gboolean      cache_only;
} LoadJob;

static void
load_job_free (LoadJob *job)
{
  ts_art_cache_unref (job->cache);
  ts_spotify_unref (job->spotify);
  g_free (job->id);
  g_free (job);
}

static char *
job_find_file (LoadJob       *job,
               GCancellable  *cancellable,
               GError       **error)
{
  gboolean missing = FALSE;
  char *path;

  if (!job->cache_only)
    return ts_art_cache_fetch (job->cache, job->spotify, job->source, job->id, FETCH_SIZE,
                               NULL, NULL, cancellable, error);
  path = ts_art_cache_lookup (job->cache, job->id, &missing);
  if (path == NULL && !missing)
    g_set_error (error, TS_ERROR, TS_ERROR_NETWORK,
                 "Spotify was unreachable moments ago; trying again soon");
  return path;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = job_find_file (job, cancellable, &error);
  g_autoptr(TsImage) image = NULL;

  if (path == NULL && error == NULL)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "The track %s has no cover",
                 job->id);
  if (path == NULL || g_task_return_error_if_cancelled (task))
    {
      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  image = ts_image_load_file (path, job->size, &error);
  if (image == NULL)
    {
      /* A damaged file: dropped, so that the next load fetches it again. */
      ts_art_cache_remove (job->cache, job->id);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s", error->message);
      return;
    }
  g_task_return_pointer (task, ts_texture_new_from_image (image), g_object_unref);
}

/* ---- the queue -------------------------------------------------------- */

typedef struct
{
  char  *id;
  guint  size;
} Request;

static void
request_free (Request *request)
{
  g_free (request->id);
  g_free (request);
}

static void
on_worker_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TsCoverLoader *self = TS_COVER_LOADER (source);
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);

  g_assert (self->running > 0);
  self->running--;
  if (texture != NULL)
    {
      remember_texture (self, texture_key (request->id, request->size), texture);
      g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
    }
  else
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_hash_table_add (self->missing, g_strdup (request->id));
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("No cover for %s: %s", request->id, error->message);
          note_failure (self, error);
        }
      g_task_return_error (task, g_steal_pointer (&error));
    }
  pump (self);
}

static void
start_worker (TsCoverLoader *self,
              GTask         *task)
{
  Request *request = g_task_get_task_data (task);
  g_autoptr(GTask) worker = g_task_new (self, g_task_get_cancellable (task), on_worker_done_cb,
                                        task);
  LoadJob *job = g_new0 (LoadJob, 1);

  job->cache = ts_art_cache_ref (self->art_cache);
  job->spotify = ts_spotify_ref (self->spotify);
  job->source = self->source;
  job->id = g_strdup (request->id);
  job->size = request->size;
  job->cache_only = g_get_monotonic_time () < self->cooldown_until_us;
  g_task_set_source_tag (worker, start_worker);
  g_task_set_task_data (worker, job, (GDestroyNotify) load_job_free);
  self->running++;
  g_task_run_in_thread (worker, load_thread);
}

/* Starts waiting loads while workers are free; cancelled ones end here. */
static void
pump (TsCoverLoader *self)
{
  GTask *task;

  while (self->running < self->max_running &&
         (task = g_queue_pop_head (&self->pending)) != NULL)
    {
      if (g_task_return_error_if_cancelled (task))
        g_object_unref (task);
      else
        start_worker (self, task);   /* takes the reference */
    }
}

void
ts_cover_loader_load_async (TsCoverLoader       *self,
                            const char          *track_id,
                            guint                size,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GdkTexture *texture;
  Request *request;

  g_return_if_fail (TS_IS_COVER_LOADER (self));
  g_return_if_fail (track_id != NULL);
  g_return_if_fail (size > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ts_cover_loader_load_async);
  if ((texture = ts_cover_loader_lookup (self, track_id, size)) != NULL)
    {
      g_task_return_pointer (task, g_object_ref (texture), g_object_unref);
      return;
    }
  if (!ts_spotify_is_track_id (track_id) || g_hash_table_contains (self->missing, track_id))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               "The track %s has no cover", track_id);
      return;
    }
  request = g_new0 (Request, 1);
  request->id = g_strdup (track_id);
  request->size = size;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  g_queue_push_head (&self->pending, g_steal_pointer (&task));
  pump (self);
}

GdkTexture *
ts_cover_loader_load_finish (TsCoverLoader  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (TS_IS_COVER_LOADER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ts_cover_loader_load_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- settings --------------------------------------------------------- */

static void
use_spotify (TsCoverLoader *self,
             TsArtSource    source,
             const char    *client_id,
             const char    *client_secret)
{
  TsSpotify *spotify = ts_spotify_new ();

  /* Workers under way keep the old client; new loads take this one. */
  ts_spotify_set_connections (spotify, self->max_running, self->max_running);
  if (client_id != NULL && client_secret != NULL)
    ts_spotify_set_credentials (spotify, client_id, client_secret);
  g_clear_pointer (&self->spotify, ts_spotify_unref);
  self->spotify = spotify;
  self->source = source;
  forget_trouble (self);
}

static void
fall_back_to_oembed (TsCoverLoader *self,
                     const char    *message)
{
  use_spotify (self, TS_ART_SOURCE_OEMBED, NULL, NULL);
  if (self->fallback_reported)
    return;
  self->fallback_reported = TRUE;
  g_debug ("Reported cover trouble: %s", message);
  g_signal_emit (self, signals[TROUBLE], 0, message);
}

typedef struct
{
  TsCoverLoader *self;
  guint          generation;
} CredentialsLookup;

static void
on_credentials_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CredentialsLookup *lookup = user_data;
  g_autoptr(TsCoverLoader) self = lookup->self;
  guint generation = lookup->generation;
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *client_secret = NULL;
  gboolean found;

  g_free (lookup);
  found = ts_secret_lookup_spotify_finish (result, &client_id, &client_secret, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      generation != self->credentials_generation)
    ;
  else if (!found)
    {
      g_debug ("No keyring: %s", error->message);
      fall_back_to_oembed (self, _("No keyring is available: covers come from Spotify’s "
                                   "public oEmbed service"));
    }
  else if (client_id == NULL || *client_id == '\0' || client_secret == NULL ||
           *client_secret == '\0')
    fall_back_to_oembed (self, _("No Spotify client id and secret in the keyring: covers "
                                 "come from Spotify’s public oEmbed service"));
  else
    use_spotify (self, TS_ART_SOURCE_API, client_id, client_secret);

  if (client_secret != NULL)
    explicit_bzero (client_secret, strlen (client_secret));
}

static void
lookup_credentials (TsCoverLoader *self)
{
  CredentialsLookup *lookup = g_new0 (CredentialsLookup, 1);

  lookup->self = g_object_ref (self);
  lookup->generation = ++self->credentials_generation;
  ts_secret_lookup_spotify_async (self->cancellable, on_credentials_cb, lookup);
}

static void
on_source_changed_cb (TsCoverLoader *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "art-source");
  TsArtSource source = TS_ART_SOURCE_OEMBED;

  if (!ts_art_source_from_name (name, &source))
    source = TS_ART_SOURCE_OEMBED;
  /* Until the keyring answers, oEmbed; a stale answer is ignored. */
  self->credentials_generation++;
  use_spotify (self, TS_ART_SOURCE_OEMBED, NULL, NULL);
  if (source == TS_ART_SOURCE_API)
    {
      self->fallback_reported = FALSE;
      lookup_credentials (self);
    }
}

static void
on_downloads_changed_cb (TsCoverLoader *self)
{
  self->max_running = (guint) CLAMP (g_settings_get_int (self->settings, "art-downloads"), 1, 16);
  ts_spotify_set_connections (self->spotify, self->max_running, self->max_running);
  pump (self);
}

typedef struct
{
  TsArtCache *cache;
  guint64     max_size;
} TrimJob;

static void
trim_job_free (TrimJob *job)
{
  ts_art_cache_unref (job->cache);
  g_free (job);
}

static void
trim_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TrimJob *job = task_data;

  /* Setting the size trims at once: in a worker, as the folder may be big. */
  ts_art_cache_set_max_size (job->cache, job->max_size);
  g_task_return_boolean (task, TRUE);
}

static void
on_cache_size_changed_cb (TsCoverLoader *self)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  TrimJob *job = g_new0 (TrimJob, 1);

  job->cache = ts_art_cache_ref (self->art_cache);
  job->max_size = (guint64) MAX (g_settings_get_int (self->settings, "art-cache-size"), 0) * MIB;
  g_task_set_source_tag (task, on_cache_size_changed_cb);
  g_task_set_task_data (task, job, (GDestroyNotify) trim_job_free);
  g_task_run_in_thread (task, trim_thread);
}

/* ---- the rest of the API ---------------------------------------------- */

void
ts_cover_loader_reload_credentials (TsCoverLoader *self)
{
  g_return_if_fail (TS_IS_COVER_LOADER (self));

  on_source_changed_cb (self);
}

TsArtSource
ts_cover_loader_get_source (TsCoverLoader *self)
{
  g_return_val_if_fail (TS_IS_COVER_LOADER (self), TS_ART_SOURCE_OEMBED);

  return self->source;
}

TsArtCache *
ts_cover_loader_get_art_cache (TsCoverLoader *self)
{
  g_return_val_if_fail (TS_IS_COVER_LOADER (self), NULL);

  return self->art_cache;
}

/* Main thread only, like every use of the loader. */
static TsCoverLoader *default_loader;

TsCoverLoader *
ts_cover_loader_get_default (void)
{
  return default_loader;
}

void
ts_cover_loader_set_default (TsCoverLoader *loader)
{
  g_return_if_fail (loader == NULL || TS_IS_COVER_LOADER (loader));

  g_set_object (&default_loader, loader);
}

TsCoverLoader *
ts_cover_loader_new (GSettings  *settings,
                     const char *cache_dir)
{
  TsCoverLoader *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (TS_TYPE_COVER_LOADER, NULL);
  self->settings = g_object_ref (settings);
  self->art_cache = ts_art_cache_new (cache_dir);
  self->max_running = (guint) CLAMP (g_settings_get_int (settings, "art-downloads"), 1, 16);
  g_signal_connect_object (settings, "changed::art-source", G_CALLBACK (on_source_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::art-downloads",
                           G_CALLBACK (on_downloads_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::art-cache-size",
                           G_CALLBACK (on_cache_size_changed_cb), self, G_CONNECT_SWAPPED);
  on_cache_size_changed_cb (self);
  on_source_changed_cb (self);
  return self;
}

static void
ts_cover_loader_dispose (GObject *object)
{
  TsCoverLoader *self = TS_COVER_LOADER (object);
  GTask *task;

  g_cancellable_cancel (self->cancellable);
  while ((task = g_queue_pop_head (&self->pending)) != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The app is closing");
      g_object_unref (task);
    }
  g_hash_table_remove_all (self->textures);
  g_queue_clear (&self->texture_order);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ts_cover_loader_parent_class)->dispose (object);
}

static void
ts_cover_loader_finalize (GObject *object)
{
  TsCoverLoader *self = TS_COVER_LOADER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->textures, g_hash_table_unref);
  g_clear_pointer (&self->missing, g_hash_table_unref);
  g_clear_pointer (&self->art_cache, ts_art_cache_unref);
  g_clear_pointer (&self->spotify, ts_spotify_unref);

  G_OBJECT_CLASS (ts_cover_loader_parent_class)->finalize (object);
}

static void
ts_cover_loader_class_init (TsCoverLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ts_cover_loader_dispose;
  object_class->finalize = ts_cover_loader_finalize;

  /**
   * TsCoverLoader::trouble:
   * @message: a sentence for the user
   *
   * Covers cannot come as asked: the service failed (once per burst), or
   * the API source fell back to oEmbed (once).
   */
  signals[TROUBLE] =
    g_signal_new ("trouble",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ts_cover_loader_init (TsCoverLoader *self)
{
  self->cancellable = g_cancellable_new ();
  self->max_running = 4;
  /* The table owns the keys; texture_order borrows them. */
  self->textures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->missing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->pending);
  g_queue_init (&self->texture_order);
}
