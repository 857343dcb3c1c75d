/* ts-models-genre.c: what the genre model learns from — raw features,
 * artist genres and the artists it holds out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-models"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "ts-error.h"
#include "ts-json-private.h"
#include "ts-models-private.h"

/* Fewer training songs than this cannot make a space worth searching. */
#define MIN_TRAINING_SONGS 200

/* FNV-1a: the same on every platform and GLib version, unlike g_str_hash. */
static guint32
stable_hash (const char *text)
{
  guint32 hash = 2166136261u;

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      hash ^= *p;
      hash *= 16777619u;
    }
  return hash;
}

gboolean
ts_model_artist_is_held_out (const char *name,
                             float       holdout)
{
  g_return_val_if_fail (name != NULL, FALSE);

  return stable_hash (name) % 10000 < (guint32) (holdout * 10000.0f + 0.5f);
}

/* Per artist: 1 when held out. */
static guint8 *
dup_held_out_artists (TsDataset *dataset,
                      float      holdout)
{
  guint n_artists = ts_dataset_get_n_artists (dataset);
  guint8 *held = g_new0 (guint8, n_artists + 1);

  for (guint a = 0; a < n_artists; a++)
    held[a] = ts_model_artist_is_held_out (ts_dataset_get_artist_name (dataset, a), holdout);
  return held;
}

guint8 *
ts_model_dup_held_out_songs (TsDataset *dataset,
                             float      holdout)
{
  g_autofree guint8 *held = NULL;
  guint n;
  guint8 *songs;

  g_return_val_if_fail (TS_IS_DATASET (dataset), NULL);

  held = dup_held_out_artists (dataset, holdout);
  n = ts_dataset_get_n_rows (dataset);
  songs = g_new0 (guint8, n + 1);
  for (guint i = 0; i < n; i++)
    {
      const guint32 *artists = NULL;
      guint n_artists = ts_dataset_get_artists (dataset, i, &artists);
      gboolean all = n_artists > 0;

      for (guint a = 0; a < n_artists && all; a++)
        all = held[artists[a]];
      songs[i] = all;
    }
  return songs;
}

float *
ts_genre_dup_inputs (TsDataset *dataset)
{
  guint n = ts_dataset_get_n_rows (dataset);
  float *x = g_new (float, (gsize) n * TS_N_FEATURES + 1);

  for (guint f = 0; f < TS_N_FEATURES; f++)
    {
      const double *column = ts_dataset_get_column (dataset, f);

      for (guint i = 0; i < n; i++)
        x[(gsize) i * TS_N_FEATURES + f] = (float) column[i];
    }
  return x;
}

typedef struct
{
  guint32 genre;
  guint   count;
} GenreCount;

static int
compare_counts (const void *a,
                const void *b)
{
  const GenreCount *x = a, *y = b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return x->genre < y->genre ? -1 : x->genre > y->genre;
}

static void
genres_free (gpointer genres)
{
  if (genres != NULL)
    g_array_unref (genres);
}

/* Per song: its genres when none of its artists is held out, else NULL. */
static GPtrArray *
training_genres (TsDataset *dataset,
                 float      holdout)
{
  g_autofree guint8 *held = dup_held_out_artists (dataset, holdout);
  guint n = ts_dataset_get_n_rows (dataset);
  GPtrArray *genres = g_ptr_array_new_full (n, genres_free);

  for (guint i = 0; i < n; i++)
    {
      const guint32 *artists = NULL;
      guint n_artists = ts_dataset_get_artists (dataset, i, &artists);
      gboolean kept = TRUE;

      for (guint a = 0; a < n_artists && kept; a++)
        kept = !held[artists[a]];
      g_ptr_array_add (genres, kept ? ts_dataset_dup_song_genres (dataset, i) : NULL);
    }
  return genres;
}

/* The @max most common genres among @genres: genre id → output + 1. */
static GHashTable *
pick_vocabulary (TsDataset *dataset,
                 GPtrArray *genres,
                 int        max,
                 char     **names_json)
{
  guint n_genres = ts_dataset_get_n_genres (dataset);
  g_autofree GenreCount *counts = g_new0 (GenreCount, n_genres + 1);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  GHashTable *vocabulary = g_hash_table_new (NULL, NULL);
  guint used;

  for (guint g = 0; g < n_genres; g++)
    counts[g].genre = g;
  for (guint i = 0; i < genres->len; i++)
    {
      GArray *song = g_ptr_array_index (genres, i);

      for (guint j = 0; song != NULL && j < song->len; j++)
        counts[g_array_index (song, guint32, j)].count++;
    }
  qsort (counts, n_genres, sizeof (GenreCount), compare_counts);
  json_builder_begin_array (b);
  for (used = 0; used < n_genres && used < (guint) max && counts[used].count > 0; used++)
    {
      g_hash_table_insert (vocabulary, GUINT_TO_POINTER (counts[used].genre),
                           GUINT_TO_POINTER (used + 1));
      json_builder_add_string_value (b, ts_dataset_get_genre_name (dataset, counts[used].genre));
    }
  json_builder_end_array (b);
  *names_json = ts_json_builder_to_string (b);
  return vocabulary;
}

gboolean
ts_genre_training_set (TsDataset             *dataset,
                       const TsModelOptions  *o,
                       float                **x_out,
                       float                **y_out,
                       int                   *n_out,
                       int                   *n_genres_out,
                       char                 **names_json,
                       GError               **error)
{
  g_autoptr(GPtrArray) genres = training_genres (dataset, o->holdout);
  g_autoptr(GHashTable) vocabulary = NULL;
  g_autofree float *raw = ts_genre_dup_inputs (dataset);
  g_autofree char *names = NULL;
  g_autoptr(GArray) x = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GArray) y = g_array_new (FALSE, TRUE, sizeof (float));
  int n = 0, d;

  vocabulary = pick_vocabulary (dataset, genres, o->max_genres, &names);
  d = (int) g_hash_table_size (vocabulary);
  for (guint i = 0; i < genres->len; i++)
    {
      GArray *song = g_ptr_array_index (genres, i);
      gsize at = (gsize) n * d;
      gboolean any = FALSE;

      if (song == NULL || song->len == 0 || d == 0)
        continue;
      g_array_set_size (y, at + d);
      for (guint j = 0; j < song->len; j++)
        {
          guint slot = GPOINTER_TO_UINT (g_hash_table_lookup (
            vocabulary, GUINT_TO_POINTER (g_array_index (song, guint32, j))));

          if (slot > 0)
            {
              g_array_index (y, float, at + slot - 1) = 1.0f;
              any = TRUE;
            }
        }
      if (!any)
        {
          g_array_set_size (y, at);
          continue;
        }
      g_array_append_vals (x, raw + (gsize) i * TS_N_FEATURES, TS_N_FEATURES);
      n++;
    }
  if (n < MIN_TRAINING_SONGS)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                   "%s: only %d songs have artist genres to learn from (at least %d are "
                   "needed): the genre space needs data_w_genres.csv beside the data file",
                   ts_dataset_get_path (dataset) ? ts_dataset_get_path (dataset) : "the dataset",
                   n, MIN_TRAINING_SONGS);
      return FALSE;
    }
  *x_out = (float *) g_array_free (g_steal_pointer (&x), FALSE);
  *y_out = (float *) g_array_free (g_steal_pointer (&y), FALSE);
  *n_out = n;
  *n_genres_out = d;
  *names_json = g_steal_pointer (&names);
  return TRUE;
}
