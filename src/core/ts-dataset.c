/* ts-dataset.c: loading data.csv into columns, on every core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The object, its name pools, the load (blocking and async) and the
 * accessors; the parser itself, on every core, is ts-dataset-parse.c.
 */

#define G_LOG_DOMAIN "ts-dataset"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ts-dataset-private.h"
#include "ts-relay.h"

G_DEFINE_FINAL_TYPE (TsDataset, ts_dataset, G_TYPE_OBJECT)

static void
ts_dataset_finalize (GObject *object)
{
  TsDataset *self = (TsDataset *) object;

  _ts_dataset_index_clear (self);
  g_mutex_clear (&self->index_lock);
  g_mutex_clear (&self->lazy_lock);
  g_clear_pointer (&self->by_year, ts_group_table_unref);
  g_clear_pointer (&self->by_artist, ts_group_table_unref);
  g_clear_pointer (&self->by_genre, ts_group_table_unref);
  _ts_csr_clear (&self->artist_genres);
  _ts_name_pool_clear (&self->artists);
  _ts_name_pool_clear (&self->genres);
  _ts_name_pool_clear (&self->albums_by_id);
  g_clear_pointer (&self->album_names, g_ptr_array_unref);
  g_clear_pointer (&self->artist_ids, g_ptr_array_unref);
  g_clear_pointer (&self->string_chunks, g_ptr_array_unref);
  g_clear_pointer (&self->string_blocks, g_ptr_array_unref);
  /* columns, ids, names, release_dates, labels, albums, artist_first
   * and artist_count are views into it. */
  g_aligned_free (self->row_block);
  g_free (self->scaled);
  g_free (self->artist_refs);
  g_strfreev (self->skipped_reasons);
  g_strfreev (self->columns_found);
  g_strfreev (self->companions);
  g_free (self->path);

  G_OBJECT_CLASS (ts_dataset_parent_class)->finalize (object);
}

static void
ts_dataset_class_init (TsDatasetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ts_dataset_finalize;
}

static void
ts_dataset_init (TsDataset *self)
{
  g_mutex_init (&self->index_lock);
  g_mutex_init (&self->lazy_lock);
  self->string_chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_string_chunk_free);
  self->string_blocks = g_ptr_array_new_with_free_func (g_aligned_free);
  _ts_name_pool_init (&self->artists);
  _ts_name_pool_init (&self->genres);
  _ts_name_pool_init (&self->albums_by_id);
  self->album_names = g_ptr_array_new ();
}

/* Name pools */

/* Every artist of every row is interned, 185,000 times for data.csv: a
 * GHashTable wanted each slice copied to a NUL-terminated key, hashed it
 * a byte at a time and probed three arrays, a tenth of a load (perf).
 * Here slices are hashed 8 bytes at a time, the table holds the hashes
 * (8 bytes a slot, a few KiB in all) and a name is compared only when
 * its hash matches. */
#define NAME_POOL_MIN_SLOTS 1024

static inline guint32
hash_name (const char *name,
           gsize       length)
{
  guint64 h = G_GUINT64_CONSTANT (0x9E3779B97F4A7C15) ^ length;
  guint64 word;

  for (; length >= sizeof word; name += sizeof word, length -= sizeof word)
    {
      memcpy (&word, name, sizeof word);
      h = (h ^ word) * G_GUINT64_CONSTANT (0xFF51AFD7ED558CCD);
      h ^= h >> 32;
    }
  if (length > 0)
    {
      word = 0;
      memcpy (&word, name, length);
      h = (h ^ word) * G_GUINT64_CONSTANT (0xFF51AFD7ED558CCD);
      h ^= h >> 32;
    }
  return (guint32) h;
}

/* The slot holding @name, or the empty slot where it would go. */
static TsNameSlot *
find_slot (TsNamePool *pool,
           const char *name,
           gsize       length,
           guint32     hash)
{
  guint mask = pool->n_slots - 1;

  for (guint i = hash & mask;; i = (i + 1) & mask)
    {
      TsNameSlot *slot = &pool->slots[i];
      const char *stored;

      if (slot->id_plus_1 == 0)
        return slot;
      if (slot->hash != hash)
        continue;
      stored = g_ptr_array_index (pool->names, slot->id_plus_1 - 1);
      /* strncmp stops at the end of a shorter stored name; @name holds no NUL. */
      if (strncmp (stored, name, length) == 0 && stored[length] == '\0')
        return slot;
    }
}

/* Doubles the table once it is half full. */
static void
grow_slots (TsNamePool *pool)
{
  g_autofree TsNameSlot *old = g_steal_pointer (&pool->slots);
  guint n_old = pool->n_slots;

  pool->n_slots *= 2;
  pool->slots = g_new0 (TsNameSlot, pool->n_slots);
  for (guint i = 0; i < n_old; i++)
    if (old[i].id_plus_1 != 0)
      {
        guint mask = pool->n_slots - 1;
        guint j = old[i].hash & mask;

        while (pool->slots[j].id_plus_1 != 0)
          j = (j + 1) & mask;
        pool->slots[j] = old[i];
      }
}

void
_ts_name_pool_init (TsNamePool *pool)
{
  pool->names = g_ptr_array_new ();
  pool->n_slots = NAME_POOL_MIN_SLOTS;
  pool->slots = g_new0 (TsNameSlot, pool->n_slots);
  pool->strings = g_string_chunk_new (64 * 1024);
}

void
_ts_name_pool_clear (TsNamePool *pool)
{
  g_clear_pointer (&pool->names, g_ptr_array_unref);
  g_clear_pointer (&pool->slots, g_free);
  g_clear_pointer (&pool->strings, g_string_chunk_free);
}

guint32
_ts_name_pool_intern (TsNamePool *pool,
                      const char *name,
                      gsize       length)
{
  const char *nul = memchr (name, '\0', length);
  TsNameSlot *slot;
  guint32 hash;

  /* A name is the C string it is stored as: up to a NUL, if it has one. */
  if (G_UNLIKELY (nul != NULL))
    length = (gsize) (nul - name);
  hash = hash_name (name, length);
  slot = find_slot (pool, name, length, hash);
  if (slot->id_plus_1 != 0)
    return slot->id_plus_1 - 1;

  g_ptr_array_add (pool->names, g_string_chunk_insert_len (pool->strings, name, (gssize) length));
  *slot = (TsNameSlot) { hash, pool->names->len };
  if (pool->names->len * 2 > pool->n_slots)
    grow_slots (pool);
  return pool->names->len - 1;
}

int
_ts_name_pool_lookup (TsNamePool *pool,
                      const char *name)
{
  gsize length = strlen (name);

  return (int) find_slot (pool, name, length, hash_name (name, length))->id_plus_1 - 1;
}

void
_ts_csr_clear (TsCsr *csr)
{
  g_clear_pointer (&csr->first, g_free);
  g_clear_pointer (&csr->items, g_free);
  csr->n_entries = 0;
}

/* Scaling */

static float *
compute_scaled (TsDataset *self)
{
  float *scaled = g_new (float, (gsize) self->n_rows * TS_N_FEATURES);

  for (guint f = 0; f < TS_N_FEATURES; f++)
    {
      const double *col = _ts_dataset_column (self, f);
      double min = self->feature_min[f];
      /* A constant feature scales to 0 rather than dividing by zero. */
      double inverse = self->feature_max[f] > min ? 1.0 / (self->feature_max[f] - min) : 0.0;

      for (guint r = 0; r < self->n_rows; r++)
        scaled[(gsize) r * TS_N_FEATURES + f] = (float) ((col[r] - min) * inverse);
    }
  return scaled;
}

/* What follows the rows, whichever way they came. */
static gboolean
finish_load (TsDataset                  *self,
             const char                 *filename,
             gint64                      start,
             const TsDatasetLoadOptions *options,
             TsProgressFunc              progress,
             gpointer                    progress_data,
             GCancellable               *cancellable,
             GError                    **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  self->load_ms = (double) (g_get_monotonic_time () - start) / 1000.0;
  if (progress != NULL)
    progress (1.0, filename, progress_data);
  /* After the load time: that is the time to read the file. */
  if (options && options->build_index)
    ts_dataset_ensure_index (self);
  return TRUE;
}

TsDataset *
ts_dataset_load (const char                 *path,
                 const TsDatasetLoadOptions *options,
                 TsProgressFunc              progress,
                 gpointer                    progress_data,
                 GCancellable               *cancellable,
                 GError                    **error)
{
  g_autoptr(TsDataset) self = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *filename = NULL;
  gint64 start = g_get_monotonic_time ();
  GStatBuf st;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  filename = g_filename_display_basename (path);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR, "%s: is a folder, not a CSV file",
                   filename);
      return NULL;
    }
  /* Before mapping it: a file too big is refused without a page read. */
  if (g_stat (path, &st) == 0 && !_ts_dataset_check_size ((guint64) st.st_size, filename, error))
    return NULL;
  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code, "%s: %s", filename,
                   local_error->message);
      return NULL;
    }

  self = g_object_new (TS_TYPE_DATASET, NULL);
  self->path = g_strdup (path);
  if (progress != NULL)
    progress (0.0, filename, progress_data);
  if (!_ts_dataset_load_main_file (self, g_mapped_file_get_contents (mapped),
                                   g_mapped_file_get_length (mapped), filename, options, progress,
                                   progress_data, cancellable, error))
    return NULL;
  /* The rows are copied out; give the file's pages back before the rest. */
  g_clear_pointer (&mapped, g_mapped_file_unref);

  if (!(options && options->skip_companions))
    _ts_dataset_read_companions (self, cancellable);
  else
    self->companions = g_new0 (char *, 1);
  if (!finish_load (self, filename, start, options, progress, progress_data, cancellable, error))
    return NULL;
  return g_steal_pointer (&self);
}

TsDataset *
ts_dataset_load_bytes (GBytes                     *contents,
                       const char                 *name,
                       const TsDatasetLoadOptions *options,
                       GCancellable               *cancellable,
                       GError                    **error)
{
  g_autoptr(TsDataset) self = NULL;
  gint64 start = g_get_monotonic_time ();
  gsize length = 0;
  const char *data;

  g_return_val_if_fail (contents != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (contents, &length);
  self = g_object_new (TS_TYPE_DATASET, NULL);
  self->path = g_strdup (name);
  if (!_ts_dataset_load_main_file (self, data != NULL ? data : "", length, name, options, NULL,
                                   NULL, cancellable, error))
    return NULL;
  /* No folder, so no companions beside it. */
  self->companions = g_new0 (char *, 1);
  if (!finish_load (self, name, start, options, NULL, NULL, cancellable, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* Async */

typedef struct
{
  char                 *path;
  TsDatasetLoadOptions  options;
  TsRelay              *relay;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_free (load->path);
  g_clear_pointer (&load->relay, ts_relay_unref);
  g_free (load);
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  LoadData *load = task_data;
  g_autoptr(GError) error = NULL;
  TsDataset *dataset;

  dataset = ts_dataset_load (load->path, &load->options, ts_relay_report_progress, load->relay,
                             cancellable, &error);
  if (dataset == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, dataset, g_object_unref);
}

void
ts_dataset_load_async (const char                 *path,
                       const TsDatasetLoadOptions *options,
                       TsProgressFunc              progress,
                       gpointer                    progress_data,
                       GCancellable               *cancellable,
                       GAsyncReadyCallback         callback,
                       gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  g_return_if_fail (path != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  load = g_new0 (LoadData, 1);
  load->path = g_strdup (path);
  if (options != NULL)
    load->options = *options;
  load->relay = ts_relay_new_progress (progress, progress_data);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ts_dataset_load_async);
  g_task_set_task_data (task, load, load_data_free);
  g_task_run_in_thread (task, load_in_thread);
}

TsDataset *
ts_dataset_load_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Accessors */

const char *
ts_dataset_get_path (TsDataset *self)
{
  g_return_val_if_fail (TS_IS_DATASET (self), NULL);

  return self->path;
}

TsDatasetSchema
ts_dataset_get_schema (TsDataset *self)
{
  g_return_val_if_fail (TS_IS_DATASET (self), 0);

  return self->schema;
}

guint
ts_dataset_get_n_rows (TsDataset *self)
{
  g_return_val_if_fail (TS_IS_DATASET (self), 0);

  return self->n_rows;
}

guint
ts_dataset_get_n_skipped (TsDataset *self)
{
  g_return_val_if_fail (TS_IS_DATASET (self), 0);

  return self->n_skipped;
}

const char * const *
ts_dataset_get_skipped_reasons (TsDataset *self)
{
  g_return_val_if_fail (TS_IS_DATASET (self), NULL);

  return (const char * const *) self->skipped_reasons;
}

const char * const *
ts_dataset_get_columns (TsDataset *self)
{
  g_return_val_if_fail (TS_IS_DATASET (self), NULL);

  return (const char * const *) self->columns_found;
}

gboolean
ts_dataset_has_feature (TsDataset *self,
                        TsFeature  feature)
{
  g_return_val_if_fail (TS_IS_DATASET (self), FALSE);
  g_return_val_if_fail (feature < TS_N_FEATURES, FALSE);

  return (self->feature_mask & (1u << feature)) != 0;
}

guint32
ts_dataset_get_feature_mask (TsDataset *self)
{
  g_return_val_if_fail (TS_IS_DATASET (self), 0);

  return self->feature_mask;
}

const char * const *
ts_dataset_get_companions (TsDataset *self)
{
  g_return_val_if_fail (TS_IS_DATASET (self), NULL);

  return (const char * const *) self->companions;
}

double
ts_dataset_get_load_ms (TsDataset *self)
{
  g_return_val_if_fail (TS_IS_DATASET (self), 0);

  return self->load_ms;
}

void
ts_dataset_get_year_range (TsDataset *self,
                           int       *min_year,
                           int       *max_year)
{
  g_return_if_fail (TS_IS_DATASET (self));

  if (min_year != NULL)
    *min_year = (int) self->feature_min[TS_FEATURE_YEAR];
  if (max_year != NULL)
    *max_year = (int) self->feature_max[TS_FEATURE_YEAR];
}

const double *
ts_dataset_get_column (TsDataset *self,
                       guint      column)
{
  g_return_val_if_fail (TS_IS_DATASET (self), NULL);
  g_return_val_if_fail (column < TS_N_COLUMNS, NULL);

  return _ts_dataset_column (self, column);
}

/* Made on first use: loading stays as fast as parsing, and a dataset
 * only charted never pays for it. */
const float *
ts_dataset_get_scaled (TsDataset *self)
{
  g_return_val_if_fail (TS_IS_DATASET (self), NULL);

  if (g_atomic_pointer_get (&self->scaled) == NULL)
    {
      g_mutex_lock (&self->lazy_lock);
      if (self->scaled == NULL)
        g_atomic_pointer_set (&self->scaled, compute_scaled (self));
      g_mutex_unlock (&self->lazy_lock);
    }
  return self->scaled;
}

void
ts_dataset_get_feature_range (TsDataset *self,
                              TsFeature  feature,
                              double    *min,
                              double    *max)
{
  g_return_if_fail (TS_IS_DATASET (self));
  g_return_if_fail (feature < TS_N_FEATURES);

  if (min != NULL)
    *min = self->feature_min[feature];
  if (max != NULL)
    *max = self->feature_max[feature];
}

const char *
ts_dataset_get_id (TsDataset *self,
                   guint      row)
{
  g_return_val_if_fail (TS_IS_DATASET (self), NULL);
  g_return_val_if_fail (row < self->n_rows, NULL);

  return self->ids[row];
}

const char *
ts_dataset_get_name (TsDataset *self,
                     guint      row)
{
  g_return_val_if_fail (TS_IS_DATASET (self), NULL);
  g_return_val_if_fail (row < self->n_rows, NULL);

  return self->names[row];
}

guint32
ts_dataset_get_release_date (TsDataset *self,
                             guint      row)
{
  g_return_val_if_fail (TS_IS_DATASET (self), 0);
  g_return_val_if_fail (row < self->n_rows, 0);

  return self->release_dates[row];
}

guint
ts_dataset_get_artists (TsDataset      *self,
                        guint           row,
                        const guint32 **artists)
{
  g_return_val_if_fail (TS_IS_DATASET (self), 0);
  g_return_val_if_fail (row < self->n_rows, 0);

  if (artists != NULL)
    *artists = self->artist_refs + self->artist_first[row];
  return self->artist_count[row];
}

char *
ts_dataset_dup_artists_label (TsDataset *self,
                              guint      row)
{
  g_autoptr(GString) label = g_string_new (NULL);
  const guint32 *artists;
  guint n;

  g_return_val_if_fail (TS_IS_DATASET (self), NULL);
  g_return_val_if_fail (row < self->n_rows, NULL);

  n = ts_dataset_get_artists (self, row, &artists);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (label, "%s%s", i ? ", " : "",
                            ts_dataset_get_artist_name (self, artists[i]));
  return g_string_free (g_steal_pointer (&label), FALSE);
}

gint32
ts_dataset_get_label (TsDataset *self,
                      guint      row)
{
  g_return_val_if_fail (TS_IS_DATASET (self), -1);
  g_return_val_if_fail (row < self->n_rows, -1);

  return self->labels[row];
}

gint32
ts_dataset_get_album (TsDataset *self,
                      guint      row)
{
  g_return_val_if_fail (TS_IS_DATASET (self), -1);
  g_return_val_if_fail (row < self->n_rows, -1);

  return self->albums[row];
}

guint
ts_dataset_get_n_albums (TsDataset *self)
{
  g_return_val_if_fail (TS_IS_DATASET (self), 0);

  return self->album_names->len;
}

const char *
ts_dataset_get_album_id (TsDataset *self,
                         guint32    album)
{
  g_return_val_if_fail (TS_IS_DATASET (self), NULL);
  g_return_val_if_fail (album < self->album_names->len, NULL);

  return g_ptr_array_index (self->albums_by_id.names, album);
}

const char *
ts_dataset_get_album_name (TsDataset *self,
                           guint32    album)
{
  g_return_val_if_fail (TS_IS_DATASET (self), NULL);
  g_return_val_if_fail (album < self->album_names->len, NULL);

  return g_ptr_array_index (self->album_names, album);
}

guint
ts_dataset_get_n_artists (TsDataset *self)
{
  g_return_val_if_fail (TS_IS_DATASET (self), 0);

  return self->artists.names->len;
}

const char *
ts_dataset_get_artist_name (TsDataset *self,
                            guint32    artist)
{
  g_return_val_if_fail (TS_IS_DATASET (self), NULL);
  g_return_val_if_fail (artist < self->artists.names->len, NULL);

  return g_ptr_array_index (self->artists.names, artist);
}

int
ts_dataset_lookup_artist (TsDataset  *self,
                          const char *name)
{
  g_return_val_if_fail (TS_IS_DATASET (self), -1);
  g_return_val_if_fail (name != NULL, -1);

  return _ts_name_pool_lookup (&self->artists, name);
}

const char *
ts_dataset_get_artist_id (TsDataset *self,
                          guint32    artist)
{
  g_return_val_if_fail (TS_IS_DATASET (self), NULL);
  g_return_val_if_fail (artist < self->artists.names->len, NULL);

  if (self->artist_ids == NULL || artist >= self->artist_ids->len)
    return NULL;
  return g_ptr_array_index (self->artist_ids, artist);
}

guint
ts_dataset_get_artist_genres (TsDataset      *self,
                              guint32         artist,
                              const guint32 **genres)
{
  const TsCsr *csr;

  g_return_val_if_fail (TS_IS_DATASET (self), 0);
  g_return_val_if_fail (artist < self->artists.names->len, 0);

  csr = &self->artist_genres;
  if (csr->first == NULL || artist >= csr->n_entries)
    return 0;
  if (genres != NULL)
    *genres = csr->items + csr->first[artist];
  return csr->first[artist + 1] - csr->first[artist];
}

guint
ts_dataset_get_n_genres (TsDataset *self)
{
  g_return_val_if_fail (TS_IS_DATASET (self), 0);

  return self->genres.names->len;
}

const char *
ts_dataset_get_genre_name (TsDataset *self,
                           guint32    genre)
{
  g_return_val_if_fail (TS_IS_DATASET (self), NULL);
  g_return_val_if_fail (genre < self->genres.names->len, NULL);

  return g_ptr_array_index (self->genres.names, genre);
}

int
ts_dataset_lookup_genre (TsDataset  *self,
                         const char *name)
{
  g_return_val_if_fail (TS_IS_DATASET (self), -1);
  g_return_val_if_fail (name != NULL, -1);

  return _ts_name_pool_lookup (&self->genres, name);
}

GArray *
ts_dataset_dup_song_genres (TsDataset *self,
                            guint      row)
{
  GArray *genres = g_array_new (FALSE, FALSE, sizeof (guint32));
  const guint32 *artists;
  guint n_artists;

  g_return_val_if_fail (TS_IS_DATASET (self), NULL);
  g_return_val_if_fail (row < self->n_rows, NULL);

  n_artists = ts_dataset_get_artists (self, row, &artists);
  for (guint a = 0; a < n_artists; a++)
    {
      const guint32 *artist_genres;
      guint n = ts_dataset_get_artist_genres (self, artists[a], &artist_genres);

      for (guint g = 0; g < n; g++)
        {
          gboolean seen = FALSE;

          for (guint k = 0; k < genres->len && !seen; k++)
            seen = g_array_index (genres, guint32, k) == artist_genres[g];
          if (!seen)
            g_array_append_val (genres, artist_genres[g]);
        }
    }
  return genres;
}

guint
ts_dataset_get_n_genred_artists (TsDataset *self)
{
  const TsCsr *csr;
  guint n = 0;

  g_return_val_if_fail (TS_IS_DATASET (self), 0);

  csr = &self->artist_genres;
  for (guint a = 0; csr->first != NULL && a < csr->n_entries; a++)
    n += csr->first[a + 1] > csr->first[a];
  return n;
}

TsGroupTable *
ts_dataset_get_by_year (TsDataset *self)
{
  g_return_val_if_fail (TS_IS_DATASET (self), NULL);

  _ts_dataset_ensure_aggregates (self);
  return self->by_year;
}

TsGroupTable *
ts_dataset_get_by_artist (TsDataset *self)
{
  g_return_val_if_fail (TS_IS_DATASET (self), NULL);

  _ts_dataset_ensure_aggregates (self);
  return self->by_artist;
}

TsGroupTable *
ts_dataset_get_by_genre (TsDataset *self)
{
  g_return_val_if_fail (TS_IS_DATASET (self), NULL);

  _ts_dataset_ensure_aggregates (self);
  return self->by_genre;
}
