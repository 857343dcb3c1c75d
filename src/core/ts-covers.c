/* ts-covers.c: the CNN's training pairs and their manifest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-covers"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "ts-atomic-file.h"
#include "ts-covers.h"
#include "ts-cover-genres.h"
#include "ts-error.h"

#define MANIFEST_VERSION 1

struct _TsCoverManifest
{
  GArray     *entries;  /* TsCoverEntry */
  GHashTable *files;    /* file → index + 1 */
  GHashTable *tried;    /* source → (id → Tried) */
};

typedef struct
{
  TsCoverTry  status;
  char       *reason;
} Tried;

static const char * const try_names[] = { "found", "not-found", "failed" };

static void
tried_free (gpointer data)
{
  Tried *tried = data;

  g_free (tried->reason);
  g_free (tried);
}

static void
entry_clear (gpointer data)
{
  TsCoverEntry *entry = data;

  g_free (entry->file);
  g_free (entry->source);
  g_free (entry->id);
  g_free (entry->genre);
}

char *
ts_covers_default_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "tunescope", "covers", NULL);
}

TsCoverManifest *
ts_cover_manifest_new (void)
{
  TsCoverManifest *self = g_new0 (TsCoverManifest, 1);

  self->entries = g_array_new (FALSE, TRUE, sizeof (TsCoverEntry));
  g_array_set_clear_func (self->entries, entry_clear);
  self->files = g_hash_table_new (g_str_hash, g_str_equal);
  self->tried = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_hash_table_unref);
  return self;
}

void
ts_cover_manifest_free (TsCoverManifest *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->files);
  g_hash_table_unref (self->tried);
  g_array_unref (self->entries);
  g_free (self);
}

guint
ts_cover_manifest_get_n_entries (TsCoverManifest *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->entries->len;
}

const TsCoverEntry *
ts_cover_manifest_get_entry (TsCoverManifest *self,
                             guint            index)
{
  g_return_val_if_fail (self != NULL && index < self->entries->len, NULL);
  return &g_array_index (self->entries, TsCoverEntry, index);
}

gboolean
ts_cover_manifest_has_file (TsCoverManifest *self,
                            const char      *file)
{
  g_return_val_if_fail (self != NULL && file != NULL, FALSE);
  return g_hash_table_contains (self->files, file);
}

static void
rebuild_index (TsCoverManifest *self)
{
  g_hash_table_remove_all (self->files);
  for (guint i = 0; i < self->entries->len; i++)
    g_hash_table_insert (self->files, g_array_index (self->entries, TsCoverEntry, i).file,
                         GUINT_TO_POINTER (i + 1));
}

void
ts_cover_manifest_add (TsCoverManifest    *self,
                       const TsCoverEntry *entry)
{
  TsCoverEntry copy;

  g_return_if_fail (self != NULL && entry != NULL && entry->file != NULL);

  if (g_hash_table_contains (self->files, entry->file))
    return;
  copy = *entry;
  copy.file = g_strdup (entry->file);
  copy.source = g_strdup (entry->source != NULL ? entry->source : "folder");
  copy.id = g_strdup (entry->id);
  copy.genre = g_strdup (entry->genre);
  g_array_append_val (self->entries, copy);
  /* The array may have moved: the keys point into it. */
  rebuild_index (self);
}

const char *
ts_cover_try_get_name (TsCoverTry status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (try_names), NULL);
  return try_names[status];
}

static gboolean
try_from_name (const char *name,
               TsCoverTry *status)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (try_names); i++)
    if (g_str_equal (name, try_names[i]))
      {
        *status = (TsCoverTry) i;
        return TRUE;
      }
  return FALSE;
}

void
ts_cover_manifest_set_tried (TsCoverManifest *self,
                             const char      *source,
                             const char      *id,
                             TsCoverTry       status,
                             const char      *reason)
{
  GHashTable *ids;
  Tried *tried;

  g_return_if_fail (self != NULL && source != NULL && id != NULL);
  g_return_if_fail ((guint) status < G_N_ELEMENTS (try_names));

  ids = g_hash_table_lookup (self->tried, source);
  if (ids == NULL)
    {
      ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, tried_free);
      g_hash_table_insert (self->tried, g_strdup (source), ids);
    }
  tried = g_new0 (Tried, 1);
  tried->status = status;
  tried->reason = g_strdup (reason);
  g_hash_table_replace (ids, g_strdup (id), tried);
}

gboolean
ts_cover_manifest_get_tried (TsCoverManifest  *self,
                             const char       *source,
                             const char       *id,
                             TsCoverTry       *status,
                             const char      **reason)
{
  GHashTable *ids;
  Tried *tried;

  g_return_val_if_fail (self != NULL && source != NULL && id != NULL, FALSE);

  ids = g_hash_table_lookup (self->tried, source);
  tried = ids != NULL ? g_hash_table_lookup (ids, id) : NULL;
  if (tried == NULL)
    return FALSE;
  if (status != NULL)
    *status = tried->status;
  if (reason != NULL)
    *reason = tried->reason;
  return TRUE;
}

guint
ts_cover_manifest_count_tried (TsCoverManifest *self,
                               const char      *source,
                               TsCoverTry       status)
{
  GHashTable *ids;
  GHashTableIter iter;
  gpointer value;
  guint count = 0;

  g_return_val_if_fail (self != NULL && source != NULL, 0);

  ids = g_hash_table_lookup (self->tried, source);
  if (ids == NULL)
    return 0;
  g_hash_table_iter_init (&iter, ids);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    count += ((Tried *) value)->status == status;
  return count;
}

static gboolean
invalid (GError    **error,
         const char *path,
         const char *what)
{
  g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT, "the cover manifest %s is broken: %s",
               path, what);
  return FALSE;
}

/* "tried": {"SOURCE": {"ID": {"status": "found", "reason": "…"}}} */
static gboolean
load_tried (TsCoverManifest *self,
            JsonObject      *object,
            const char      *path,
            GError         **error)
{
  JsonNode *node = json_object_get_member (object, "tried");
  g_autoptr(GList) sources = NULL;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, path, "“tried” is not an object");
  sources = json_object_get_members (json_node_get_object (node));
  for (GList *s = sources; s != NULL; s = s->next)
    {
      JsonNode *ids_node = json_object_get_member (json_node_get_object (node), s->data);
      g_autoptr(GList) ids = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (ids_node))
        return invalid (error, path, "a “tried” source that is not an object");
      ids = json_object_get_members (json_node_get_object (ids_node));
      for (GList *i = ids; i != NULL; i = i->next)
        {
          JsonNode *t = json_object_get_member (json_node_get_object (ids_node), i->data);
          TsCoverTry status;

          if (!JSON_NODE_HOLDS_OBJECT (t)
              || !try_from_name (json_object_get_string_member_with_default (
                                   json_node_get_object (t), "status", NULL), &status))
            return invalid (error, path, "a “tried” song without a known status");
          ts_cover_manifest_set_tried (self, s->data, i->data, status,
                                       json_object_get_string_member_with_default (
                                         json_node_get_object (t), "reason", NULL));
        }
    }
  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* Sorted by source and id, so that the file changes little between saves. */
static void
save_tried (TsCoverManifest *self,
            JsonBuilder     *b)
{
  g_autofree gpointer *sources = NULL;
  guint n_sources = 0;

  if (g_hash_table_size (self->tried) == 0)
    return;
  json_builder_set_member_name (b, "tried");
  json_builder_begin_object (b);
  sources = g_hash_table_get_keys_as_array (self->tried, &n_sources);
  qsort (sources, n_sources, sizeof (gpointer), compare_strings);
  for (guint s = 0; s < n_sources; s++)
    {
      GHashTable *ids = g_hash_table_lookup (self->tried, sources[s]);
      g_autofree gpointer *keys = NULL;
      guint n_keys = 0;

      json_builder_set_member_name (b, sources[s]);
      json_builder_begin_object (b);
      keys = g_hash_table_get_keys_as_array (ids, &n_keys);
      qsort (keys, n_keys, sizeof (gpointer), compare_strings);
      for (guint k = 0; k < n_keys; k++)
        {
          const Tried *tried = g_hash_table_lookup (ids, keys[k]);

          json_builder_set_member_name (b, keys[k]);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "status");
          json_builder_add_string_value (b, try_names[tried->status]);
          if (tried->reason != NULL)
            {
              json_builder_set_member_name (b, "reason");
              json_builder_add_string_value (b, tried->reason);
            }
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

TsCoverManifest *
ts_cover_manifest_load (const char  *path,
                        GError     **error)
{
  g_autoptr(TsCoverManifest) self = ts_cover_manifest_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonArray *entries;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&self);
  if (!json_parser_load_from_file (parser, path, &local))
    {
      invalid (error, path, local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      invalid (error, path, "not a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);
  if (json_object_get_int_member_with_default (object, "version", 0) != MANIFEST_VERSION
      || !json_object_has_member (object, "entries")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "entries")))
    {
      invalid (error, path, "no version 1 entries");
      return NULL;
    }
  entries = json_object_get_array_member (object, "entries");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonNode *node = json_array_get_element (entries, i);
      JsonObject *e;
      JsonArray *features;
      TsCoverEntry entry = { 0 };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      e = json_node_get_object (node);
      entry.file = (char *) json_object_get_string_member_with_default (e, "file", NULL);
      entry.source = (char *) json_object_get_string_member_with_default (e, "source", "folder");
      entry.id = (char *) json_object_get_string_member_with_default (e, "id", NULL);
      entry.genre = (char *) json_object_get_string_member_with_default (e, "genre", NULL);
      if (entry.genre != NULL && ts_cover_genre_from_name (entry.genre) < 0)
        {
          invalid (error, path, "an entry with an unknown genre");
          return NULL;
        }
      if (entry.file == NULL || !json_object_has_member (e, "features")
          || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (e, "features")))
        {
          invalid (error, path, "an entry without a file or features");
          return NULL;
        }
      features = json_object_get_array_member (e, "features");
      if (json_array_get_length (features) != TS_N_FEATURES)
        {
          invalid (error, path, "an entry without 13 features");
          return NULL;
        }
      for (int f = 0; f < TS_N_FEATURES; f++)
        {
          double v = json_array_get_double_element (features, f);

          if (!isfinite (v) || v < 0.0 || v > 1.0)
            {
              invalid (error, path, "a feature outside [0, 1]");
              return NULL;
            }
          entry.features[f] = (float) v;
        }
      ts_cover_manifest_add (self, &entry);
    }
  if (!load_tried (self, object, path, error))
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
ts_cover_manifest_save (TsCoverManifest  *self,
                        const char       *path,
                        GError          **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;

  g_return_val_if_fail (self != NULL && path != NULL, FALSE);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, MANIFEST_VERSION);
  json_builder_set_member_name (b, "features");
  json_builder_begin_array (b);
  for (int f = 0; f < TS_N_FEATURES; f++)
    json_builder_add_string_value (b, ts_feature_get_name (f));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "entries");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->entries->len; i++)
    {
      const TsCoverEntry *e = &g_array_index (self->entries, TsCoverEntry, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, e->file);
      json_builder_set_member_name (b, "source");
      json_builder_add_string_value (b, e->source);
      if (e->id != NULL)
        {
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, e->id);
        }
      if (e->genre != NULL)
        {
          json_builder_set_member_name (b, "genre");
          json_builder_add_string_value (b, e->genre);
        }
      json_builder_set_member_name (b, "features");
      json_builder_begin_array (b);
      for (int f = 0; f < TS_N_FEATURES; f++)
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          g_ascii_formatd (buffer, sizeof buffer, "%.7g", e->features[f]);
          json_builder_add_double_value (b, g_ascii_strtod (buffer, NULL));
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  save_tried (self, b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, TS_ERROR, TS_ERROR_IO, "cannot make the folder %s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  return ts_atomic_file_set_contents (path, text, length, error);
}

/* ---- Matching ------------------------------------------------------------ */

struct _TsCoverMatcher
{
  TsDataset  *dataset;
  GHashTable *titles;  /* folded title → the most popular row + 1 */
};

TsCoverMatcher *
ts_cover_matcher_new (TsDataset *dataset)
{
  TsCoverMatcher *self = g_new0 (TsCoverMatcher, 1);
  const float *scaled = ts_dataset_get_scaled (dataset);
  guint n = ts_dataset_get_n_rows (dataset);

  self->dataset = g_object_ref (dataset);
  self->titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint row = 0; row < n; row++)
    {
      char *title = ts_fold_for_search (ts_dataset_get_name (dataset, row));
      gpointer old = g_hash_table_lookup (self->titles, title);

      if (old == NULL
          || scaled[(gsize) row * TS_N_FEATURES + TS_FEATURE_POPULARITY]
             > scaled[(gsize) (GPOINTER_TO_UINT (old) - 1) * TS_N_FEATURES + TS_FEATURE_POPULARITY])
        g_hash_table_replace (self->titles, title, GUINT_TO_POINTER (row + 1));
      else
        g_free (title);
    }
  return self;
}

void
ts_cover_matcher_free (TsCoverMatcher *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->titles);
  g_object_unref (self->dataset);
  g_free (self);
}

/* The rows titled @title (folded) whose artists include @artist (folded):
 * the search index finds them, then the names are compared exactly. */
static int
match_artist_title (TsCoverMatcher *self,
                    const char     *artist,
                    const char     *title)
{
  g_autofree char *folded_artist = ts_fold_for_search (artist);
  g_autofree char *folded_title = ts_fold_for_search (title);
  int best = -1;
  g_autoptr(GArray) hits = NULL;

  hits = ts_dataset_search (self->dataset, title, 50);
  for (guint i = 0; i < hits->len && best < 0; i++)
    {
      const TsSearchHit *hit = &g_array_index (hits, TsSearchHit, i);
      const guint32 *rows = NULL;
      guint n_rows;

      if (hit->kind != TS_SEARCH_HIT_SONG)
        continue;
      n_rows = ts_dataset_get_group_rows (self->dataset, hit->index, &rows);
      for (guint r = 0; r < n_rows && best < 0; r++)
        {
          g_autofree char *name = ts_fold_for_search (ts_dataset_get_name (self->dataset, rows[r]));
          const guint32 *artists = NULL;
          guint n_artists;

          if (!g_str_equal (name, folded_title))
            continue;
          n_artists = ts_dataset_get_artists (self->dataset, rows[r], &artists);
          for (guint a = 0; a < n_artists; a++)
            {
              g_autofree char *other =
                ts_fold_for_search (ts_dataset_get_artist_name (self->dataset, artists[a]));

              if (g_str_equal (other, folded_artist))
                {
                  best = (int) rows[r];
                  break;
                }
            }
        }
    }
  return best;
}

int
ts_cover_matcher_match (TsCoverMatcher *self,
                        const char     *basename)
{
  g_autofree char *stem = NULL;
  const char *dot, *dash, *underscore;
  int row;

  g_return_val_if_fail (self != NULL && basename != NULL, -1);

  dot = strrchr (basename, '.');
  stem = dot != NULL && dot != basename ? g_strndup (basename, dot - basename)
                                        : g_strdup (basename);
  row = ts_dataset_lookup_id (self->dataset, stem);
  if (row >= 0)
    return row;
  dash = strstr (stem, " - ");
  if (dash != NULL)
    {
      g_autofree char *artist = g_strndup (stem, dash - stem);

      row = match_artist_title (self, artist, dash + 3);
      if (row >= 0)
        return row;
    }
  underscore = strrchr (stem, '_');
  if (underscore != NULL && underscore != stem)
    {
      g_autofree char *title = g_strndup (stem, underscore - stem);
      g_autofree char *folded = ts_fold_for_search (title);
      gpointer found = g_hash_table_lookup (self->titles, folded);

      if (found != NULL)
        return (int) GPOINTER_TO_UINT (found) - 1;
    }
  return -1;
}

/* ---- Collecting from a folder ---------------------------------------------- */

static gboolean
is_image_name (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  return name[0] != '.' && (g_str_has_suffix (lower, ".jpg") || g_str_has_suffix (lower, ".jpeg")
                            || g_str_has_suffix (lower, ".png"));
}

gboolean
ts_covers_collect_folder (TsCoverManifest       *manifest,
                          TsDataset             *dataset,
                          const char            *dir,
                          guint                  limit,
                          TsCoversProgressFunc   progress,
                          gpointer               user_data,
                          GCancellable          *cancellable,
                          TsCoversCollectStats  *stats,
                          GError               **error)
{
  g_autoptr(GDir) handle = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TsCoverMatcher) matcher = NULL;
  g_autofree char *absolute = NULL;
  TsCoversCollectStats local = { 0 };
  const char *name;
  const float *scaled;
  float profiles[TS_COVER_N_GENRES][TS_N_FEATURES];
  guint counts[TS_COVER_N_GENRES];

  g_return_val_if_fail (manifest != NULL && dataset != NULL && dir != NULL, FALSE);

  handle = g_dir_open (dir, 0, error);
  if (handle == NULL)
    return FALSE;
  while ((name = g_dir_read_name (handle)) != NULL)
    if (is_image_name (name))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);

  absolute = g_canonicalize_filename (dir, NULL);
  matcher = ts_cover_matcher_new (dataset);
  scaled = ts_dataset_get_scaled (dataset);
  ts_cover_genres_get_profiles (dataset, profiles, counts);
  for (guint i = 0; i < names->len; i++)
    {
      const char *base = g_ptr_array_index (names, i);
      g_autofree char *file = g_build_filename (absolute, base, NULL);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (limit > 0 && local.added >= limit)
        break;
      local.seen++;
      if (ts_cover_manifest_has_file (manifest, file))
        local.skipped++;
      else
        {
          int row = ts_cover_matcher_match (matcher, base);
          int genre = ts_cover_genre_from_file_name (base);
          TsCoverEntry entry = { file, (char *) "folder",
                                 row >= 0 ? (char *) ts_dataset_get_id (dataset, row) : NULL };

          if (genre >= 0 && counts[genre] > 0)
            {
              entry.genre = (char *) ts_cover_genre_get_name (genre);
              memcpy (entry.features, profiles[genre], sizeof entry.features);
              local.by_genre++;
            }
          else if (row >= 0)
            memcpy (entry.features, scaled + (gsize) row * TS_N_FEATURES, sizeof entry.features);
          if (row < 0 && entry.genre == NULL)
            local.unmatched++;
          else
            {
              ts_cover_manifest_add (manifest, &entry);
              local.added++;
            }
        }
      if (progress != NULL)
        progress (i + 1, names->len, local.added, base, user_data);
    }
  if (stats != NULL)
    *stats = local;
  return TRUE;
}
