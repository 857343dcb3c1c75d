/* ts-cover-genres.c: the genres a cover's playlist names, and the songs in them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-covers"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ts-cover-genres.h"

typedef struct
{
  const char *name;           /* the playlist's own spelling */
  const char *words[8];       /* whole words of genre names that mean it, lower case */
} GenreInfo;

static const GenreInfo genres[TS_COVER_N_GENRES] = {
  [TS_COVER_GENRE_ROCK]    = { "Rock",    { "rock" } },
  [TS_COVER_GENRE_RNB]     = { "R&B",     { "r&b", "rnb" } },
  [TS_COVER_GENRE_DANCE]   = { "Dance",   { "dance", "edm", "house", "electro", "techno",
                                            "trance", "dubstep" } },
  [TS_COVER_GENRE_HIP_HOP] = { "Hip-Hop", { "hip hop", "hip-hop", "rap", "trap" } },
  [TS_COVER_GENRE_POP]     = { "Pop",     { "pop" } },
  [TS_COVER_GENRE_LATIN]   = { "Latin",   { "latin", "latino", "reggaeton" } },
  [TS_COVER_GENRE_COUNTRY] = { "Country", { "country" } },
  [TS_COVER_GENRE_FOLK]    = { "Folk",    { "folk" } },
  [TS_COVER_GENRE_JAZZ]    = { "Jazz",    { "jazz" } },
  [TS_COVER_GENRE_INDIE]   = { "Indie",   { "indie" } },
};

/* Playlists that are a genre under another name. */
static const struct { const char *playlist; TsCoverGenre genre; } aliases[] = {
  { "EDM", TS_COVER_GENRE_DANCE },
};

const char *
ts_cover_genre_get_name (TsCoverGenre genre)
{
  g_return_val_if_fail (genre < TS_COVER_N_GENRES, NULL);

  return genres[genre].name;
}

int
ts_cover_genre_from_name (const char *name)
{
  g_return_val_if_fail (name != NULL, -1);

  for (int g = 0; g < TS_COVER_N_GENRES; g++)
    if (g_ascii_strcasecmp (name, genres[g].name) == 0)
      return g;
  for (guint a = 0; a < G_N_ELEMENTS (aliases); a++)
    if (g_ascii_strcasecmp (name, aliases[a].playlist) == 0)
      return aliases[a].genre;
  return -1;
}

int
ts_cover_genre_from_file_name (const char *file)
{
  g_autofree char *base = NULL;
  const char *underscore;
  char *dot;

  g_return_val_if_fail (file != NULL, -1);

  base = g_path_get_basename (file);
  dot = strrchr (base, '.');
  if (dot != NULL)
    *dot = '\0';
  underscore = strrchr (base, '_');
  return underscore != NULL ? ts_cover_genre_from_name (underscore + 1) : -1;
}

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c);
}

/* @word in @text (both lower case) with no letter or digit on either side. */
static gboolean
has_word (const char *text,
          const char *word)
{
  gsize n = strlen (word);

  for (const char *at = strstr (text, word); at != NULL; at = strstr (at + 1, word))
    if ((at == text || !is_word_char (at[-1])) && !is_word_char (at[n]))
      return TRUE;
  return FALSE;
}

guint
ts_cover_genres_of_name (const char *name)
{
  g_autofree char *lower = NULL;
  guint mask = 0;

  g_return_val_if_fail (name != NULL, 0);

  lower = g_ascii_strdown (name, -1);
  for (int g = 0; g < TS_COVER_N_GENRES; g++)
    for (guint w = 0; w < G_N_ELEMENTS (genres[g].words) && genres[g].words[w] != NULL; w++)
      if (has_word (lower, genres[g].words[w]))
        mask |= 1u << g;
  return mask;
}

#define MASKS_KEY "ts-cover-genre-masks"

static guint16 *
compute_song_masks (TsDataset *dataset)
{
  guint n_rows = ts_dataset_get_n_rows (dataset);
  guint n_names = ts_dataset_get_n_genres (dataset);
  g_autofree guint16 *of_name = g_new (guint16, MAX (n_names, 1));
  guint16 *masks = g_new0 (guint16, MAX (n_rows, 1));

  for (guint i = 0; i < n_names; i++)
    of_name[i] = (guint16) ts_cover_genres_of_name (ts_dataset_get_genre_name (dataset, i));
  for (guint row = 0; row < n_rows; row++)
    {
      gint32 label = ts_dataset_get_label (dataset, row);
      g_autoptr(GArray) song = NULL;

      if (label >= 0)
        {
          masks[row] = of_name[label];
          continue;
        }
      song = ts_dataset_dup_song_genres (dataset, row);
      for (guint k = 0; song != NULL && k < song->len; k++)
        masks[row] |= of_name[g_array_index (song, guint32, k)];
    }
  return masks;
}

const guint16 *
ts_cover_genres_get_song_masks (TsDataset *dataset)
{
  static GMutex lock;
  g_autoptr(GMutexLocker) locker = NULL;
  guint16 *masks;

  g_return_val_if_fail (TS_IS_DATASET (dataset), NULL);

  /* Several threads may search one dataset: the first computes, the
   * others wait for it. */
  locker = g_mutex_locker_new (&lock);
  masks = g_object_get_data (G_OBJECT (dataset), MASKS_KEY);
  if (masks == NULL)
    {
      masks = compute_song_masks (dataset);
      g_object_set_data_full (G_OBJECT (dataset), MASKS_KEY, masks, g_free);
    }
  return masks;
}

gboolean
ts_cover_genres_get_profiles (TsDataset *dataset,
                              float      profiles[TS_COVER_N_GENRES][TS_N_FEATURES],
                              guint      counts[TS_COVER_N_GENRES])
{
  const guint16 *masks = ts_cover_genres_get_song_masks (dataset);
  const float *scaled = ts_dataset_get_scaled (dataset);
  guint n_rows = ts_dataset_get_n_rows (dataset);
  double sums[TS_COVER_N_GENRES][TS_N_FEATURES] = { { 0 } };
  guint n[TS_COVER_N_GENRES] = { 0 };
  gboolean any = FALSE;

  for (guint row = 0; row < n_rows; row++)
    for (int g = 0; g < TS_COVER_N_GENRES; g++)
      if (masks[row] & (1u << g))
        {
          n[g]++;
          for (int f = 0; f < TS_N_FEATURES; f++)
            sums[g][f] += scaled[(gsize) row * TS_N_FEATURES + f];
        }
  for (int g = 0; g < TS_COVER_N_GENRES; g++)
    {
      any |= n[g] > 0;
      if (counts != NULL)
        counts[g] = n[g];
      for (int f = 0; profiles != NULL && f < TS_N_FEATURES; f++)
        profiles[g][f] = n[g] > 0 ? (float) (sums[g][f] / n[g]) : NAN;
    }
  return any;
}

float *
ts_cover_genres_row_costs (TsDataset   *dataset,
                           const float  probs[TS_COVER_N_GENRES])
{
  const guint16 *masks = ts_cover_genres_get_song_masks (dataset);
  guint n_rows = ts_dataset_get_n_rows (dataset);
  float best = 1.0f / TS_COVER_N_GENRES;
  g_autofree float *costs = g_new (float, MAX (n_rows, 1));
  gboolean any = FALSE;

  g_return_val_if_fail (probs != NULL, NULL);

  for (int g = 0; g < TS_COVER_N_GENRES; g++)
    best = MAX (best, probs[g]);
  for (guint row = 0; row < n_rows; row++)
    {
      float p = masks[row] != 0 ? 0.0f : 1.0f / TS_COVER_N_GENRES;

      for (int g = 0; g < TS_COVER_N_GENRES; g++)
        if (masks[row] & (1u << g))
          p = MAX (p, probs[g]);
      any |= masks[row] != 0;
      costs[row] = logf (best / MAX (p, 1e-6f));
    }
  return any ? g_steal_pointer (&costs) : NULL;
}
