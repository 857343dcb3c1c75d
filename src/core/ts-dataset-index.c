/* ts-dataset-index.c: ids, duplicate songs, and search by name and artist
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-dataset"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ts-dataset-private.h"

/* Scores of how a folded name matches the folded query. */
#define SCORE_EXACT        100.0
#define SCORE_PREFIX        80.0
#define SCORE_WORD_PREFIX   60.0
#define SCORE_SUBSTRING     40.0
#define SCORE_ALL_WORDS     30.0
/* Among equal matches, popular songs and prolific artists come first. */
#define POPULARITY_BONUS    10.0
#define MAX_QUERY_WORDS     8

void
_ts_dataset_index_clear (TsDataset *self)
{
  g_clear_pointer (&self->id_index, g_hash_table_unref);
  g_clear_pointer (&self->group_of_row, g_free);
  if (self->group_folded != NULL)
    {
      for (guint g = 0; g < self->groups.n_entries; g++)
        g_free (self->group_folded[g]);
      g_clear_pointer (&self->group_folded, g_free);
    }
  _ts_csr_clear (&self->groups);
  if (self->artist_folded != NULL)
    {
      for (guint a = 0; a < self->artists.names->len; a++)
        g_free (self->artist_folded[a]);
      g_clear_pointer (&self->artist_folded, g_free);
    }
  g_clear_pointer (&self->artist_n_songs, g_free);
}

/* Duplicates */

typedef struct
{
  guint64 hash;
  guint32 row;
} RowKey;

static guint64
hash_song (TsDataset *self,
           guint      row)
{
  const guint32 *artists;
  guint n = ts_dataset_get_artists (self, row, &artists);
  guint64 h = 1469598103934665603ull;   /* FNV-1a */

  for (const guchar *p = (const guchar *) self->names[row]; *p; p++)
    h = (h ^ *p) * 1099511628211ull;
  for (guint i = 0; i < n; i++)
    h = (h ^ (artists[i] + 0x9e3779b9u)) * 1099511628211ull;
  return h;
}

static gboolean
same_song (TsDataset *self,
           guint      a,
           guint      b)
{
  return self->artist_count[a] == self->artist_count[b] &&
         strcmp (self->names[a], self->names[b]) == 0 &&
         memcmp (self->artist_refs + self->artist_first[a], self->artist_refs + self->artist_first[b],
                 self->artist_count[a] * sizeof (guint32)) == 0;
}

static int
compare_row_keys (gconstpointer a,
                  gconstpointer b)
{
  const RowKey *ka = a, *kb = b;

  if (ka->hash != kb->hash)
    return ka->hash < kb->hash ? -1 : 1;
  return (ka->row > kb->row) - (ka->row < kb->row);
}

/* Gives every row the group of the first row with its name and artists;
 * group ids follow the file's order. */
static guint
assign_groups (TsDataset *self)
{
  g_autofree RowKey *keys = g_new (RowKey, MAX (self->n_rows, 1));
  g_autofree guint32 *leader = g_new (guint32, MAX (self->n_rows, 1));
  guint n_groups = 0;

  for (guint r = 0; r < self->n_rows; r++)
    keys[r] = (RowKey) { hash_song (self, r), r };
  qsort (keys, self->n_rows, sizeof *keys, compare_row_keys);

  /* Within a run of equal hashes, rows come in file order: each row joins
   * the first earlier row it equals (a hash collision is no match). */
  for (guint i = 0; i < self->n_rows;)
    {
      guint j = i;

      while (j < self->n_rows && keys[j].hash == keys[i].hash)
        j++;
      for (guint k = i; k < j; k++)
        {
          guint row = keys[k].row;

          leader[row] = row;
          for (guint m = i; m < k; m++)
            if (leader[keys[m].row] == keys[m].row && same_song (self, keys[m].row, row))
              {
                leader[row] = keys[m].row;
                break;
              }
        }
      i = j;
    }

  self->group_of_row = g_new (guint32, MAX (self->n_rows, 1));
  for (guint r = 0; r < self->n_rows; r++)
    self->group_of_row[r] = leader[r] == r ? n_groups++ : self->group_of_row[leader[r]];
  return n_groups;
}

static int
compare_by_popularity (gconstpointer a,
                       gconstpointer b,
                       gpointer      popularity_column)
{
  const double *popularity = popularity_column;
  guint32 ra = *(const guint32 *) a, rb = *(const guint32 *) b;

  if (popularity[ra] != popularity[rb])
    return popularity[ra] > popularity[rb] ? -1 : 1;
  return (ra > rb) - (ra < rb);
}

/* Lists each group's rows, most popular first: the first is the one to
 * show for the group. */
static void
build_group_rows (TsDataset *self,
                  guint      n_groups)
{
  TsCsr *csr = &self->groups;
  g_autofree guint32 *fill = g_new0 (guint32, n_groups + 1);

  csr->n_entries = n_groups;
  csr->first = g_new0 (guint32, n_groups + 1);
  csr->items = g_new (guint32, MAX (self->n_rows, 1));
  for (guint r = 0; r < self->n_rows; r++)
    csr->first[self->group_of_row[r] + 1]++;
  for (guint g = 0; g < n_groups; g++)
    csr->first[g + 1] += csr->first[g];
  for (guint r = 0; r < self->n_rows; r++)
    {
      guint g = self->group_of_row[r];

      csr->items[csr->first[g] + fill[g]++] = r;
    }

  for (guint g = 0; g < n_groups; g++)
    if (fill[g] > 1)
      g_qsort_with_data (csr->items + csr->first[g], (gint) fill[g], sizeof (guint32),
                         compare_by_popularity,
                         (gpointer) _ts_dataset_column (self, TS_FEATURE_POPULARITY));
}

static void
build_search_text (TsDataset *self)
{
  guint n_artists = self->artists.names->len;

  self->group_folded = g_new (char *, MAX (self->groups.n_entries, 1));
  for (guint g = 0; g < self->groups.n_entries; g++)
    self->group_folded[g] = ts_fold_for_search (self->names[self->groups.items[self->groups.first[g]]]);

  self->artist_folded = g_new (char *, MAX (n_artists, 1));
  self->artist_n_songs = g_new0 (guint32, MAX (n_artists, 1));
  for (guint a = 0; a < n_artists; a++)
    self->artist_folded[a] = ts_fold_for_search (g_ptr_array_index (self->artists.names, a));
  for (guint r = 0; r < self->n_rows; r++)
    for (guint k = 0; k < self->artist_count[r]; k++)
      self->artist_n_songs[self->artist_refs[self->artist_first[r] + k]]++;
}

void
ts_dataset_ensure_index (TsDataset *self)
{
  guint n_groups;

  g_return_if_fail (TS_IS_DATASET (self));

  if (g_atomic_int_get (&self->index_ready))
    return;

  g_mutex_lock (&self->index_lock);
  if (!self->index_ready)
    {
      /* The first of repeated ids wins, as for the first row in a file. */
      self->id_index = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint r = self->n_rows; r-- > 0;)
        g_hash_table_insert (self->id_index, (gpointer) self->ids[r], GUINT_TO_POINTER (r + 1));

      n_groups = assign_groups (self);
      build_group_rows (self, n_groups);
      build_search_text (self);
      g_atomic_int_set (&self->index_ready, TRUE);
    }
  g_mutex_unlock (&self->index_lock);
}

int
ts_dataset_lookup_id (TsDataset  *self,
                      const char *id)
{
  g_return_val_if_fail (TS_IS_DATASET (self), -1);
  g_return_val_if_fail (id != NULL, -1);

  ts_dataset_ensure_index (self);
  return GPOINTER_TO_INT (g_hash_table_lookup (self->id_index, id)) - 1;
}

guint
ts_dataset_get_n_groups (TsDataset *self)
{
  g_return_val_if_fail (TS_IS_DATASET (self), 0);

  ts_dataset_ensure_index (self);
  return self->groups.n_entries;
}

guint
ts_dataset_get_group (TsDataset *self,
                      guint      row)
{
  g_return_val_if_fail (TS_IS_DATASET (self), 0);
  g_return_val_if_fail (row < self->n_rows, 0);

  ts_dataset_ensure_index (self);
  return self->group_of_row[row];
}

guint
ts_dataset_get_group_rows (TsDataset      *self,
                           guint           group,
                           const guint32 **rows)
{
  g_return_val_if_fail (TS_IS_DATASET (self), 0);

  ts_dataset_ensure_index (self);
  g_return_val_if_fail (group < self->groups.n_entries, 0);

  if (rows != NULL)
    *rows = self->groups.items + self->groups.first[group];
  return self->groups.first[group + 1] - self->groups.first[group];
}

/* Search */

static gboolean
is_word_start (const char *text,
               const char *at)
{
  return at == text || !g_unichar_isalnum (g_utf8_get_char (g_utf8_prev_char (at)));
}

/* How well @folded matches the whole query. */
static double
match_score (const char *folded,
             const char *query,
             gsize       query_len)
{
  const char *hit = strstr (folded, query);

  if (hit == NULL)
    return 0;
  if (hit == folded)
    return folded[query_len] == '\0' ? SCORE_EXACT : SCORE_PREFIX;
  for (; hit != NULL; hit = strstr (hit + 1, query))
    if (is_word_start (folded, hit))
      return SCORE_WORD_PREFIX;
  return SCORE_SUBSTRING;
}

typedef struct
{
  char  *folded;
  gsize  length;
  char  *words[MAX_QUERY_WORDS];
  guint  n_words;
} Query;

static void
query_init (Query      *query,
            const char *text)
{
  g_autofree char *folded = ts_fold_for_search (text);
  g_auto(GStrv) words = NULL;

  memset (query, 0, sizeof *query);
  query->folded = g_strdup (g_strstrip (folded));
  query->length = strlen (query->folded);
  words = g_strsplit_set (query->folded, " \t", -1);
  for (guint i = 0; words[i] != NULL && query->n_words < MAX_QUERY_WORDS; i++)
    if (*words[i] != '\0')
      query->words[query->n_words++] = g_strdup (words[i]);
}

static void
query_clear (Query *query)
{
  g_free (query->folded);
  for (guint i = 0; i < query->n_words; i++)
    g_free (query->words[i]);
}

/* "yesterday beatles": every word in the name or among the artists. */
static gboolean
words_in_song (TsDataset   *self,
               guint        group,
               const Query *query)
{
  guint row = self->groups.items[self->groups.first[group]];
  const guint32 *artists = self->artist_refs + self->artist_first[row];

  for (guint w = 0; w < query->n_words; w++)
    {
      gboolean found = strstr (self->group_folded[group], query->words[w]) != NULL;

      for (guint k = 0; !found && k < self->artist_count[row]; k++)
        found = strstr (self->artist_folded[artists[k]], query->words[w]) != NULL;
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static double
score_song (TsDataset   *self,
            guint        group,
            const Query *query)
{
  guint row = self->groups.items[self->groups.first[group]];
  double score = match_score (self->group_folded[group], query->folded, query->length);

  if (score == 0 && query->n_words > 1 && words_in_song (self, group, query))
    score = SCORE_ALL_WORDS;
  if (score == 0)
    return 0;
  return score + POPULARITY_BONUS * _ts_dataset_column (self, TS_FEATURE_POPULARITY)[row] / 100.0;
}

static double
score_artist (TsDataset   *self,
              guint        artist,
              const Query *query)
{
  double score = match_score (self->artist_folded[artist], query->folded, query->length);

  if (score == 0)
    return 0;
  /* log10 of the song count, capped: 1000 songs earn the full bonus. */
  return score + POPULARITY_BONUS * MIN (log10 (1.0 + self->artist_n_songs[artist]) / 3.0, 1.0);
}

static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const TsSearchHit *ha = a, *hb = b;

  if (ha->score != hb->score)
    return ha->score > hb->score ? -1 : 1;
  if (ha->kind != hb->kind)
    return ha->kind == TS_SEARCH_HIT_ARTIST ? -1 : 1;
  return (ha->index > hb->index) - (ha->index < hb->index);
}

/* The best @limit hits seen, as a heap whose root is the worst kept:
 * a letter typed matches most songs, and sorting all of them was most of
 * a keystroke's time (35 ms at worst on 170k songs). compare_hits is a
 * total order, so this keeps exactly what sorting and cutting kept. */
typedef struct
{
  GArray *hits;
  guint   limit;   /* 0: every hit */
} TopHits;

static void
top_hits_sift_down (TopHits *top,
                    guint    i)
{
  TsSearchHit *h = (TsSearchHit *) (gpointer) top->hits->data;
  guint n = top->hits->len;

  for (;;)
    {
      guint worst = i, left = 2 * i + 1, right = 2 * i + 2;

      if (left < n && compare_hits (&h[left], &h[worst]) > 0)
        worst = left;
      if (right < n && compare_hits (&h[right], &h[worst]) > 0)
        worst = right;
      if (worst == i)
        return;
      {
        TsSearchHit tmp = h[i];

        h[i] = h[worst];
        h[worst] = tmp;
      }
      i = worst;
    }
}

static void
top_hits_offer (TopHits           *top,
                const TsSearchHit *hit)
{
  TsSearchHit *h;

  if (top->limit == 0 || top->hits->len < top->limit)
    {
      g_array_append_val (top->hits, *hit);
      if (top->limit == 0)
        return;
      /* Sift the newcomer up. */
      h = (TsSearchHit *) (gpointer) top->hits->data;
      for (guint i = top->hits->len - 1; i > 0 && compare_hits (&h[i], &h[(i - 1) / 2]) > 0;
           i = (i - 1) / 2)
        {
          TsSearchHit tmp = h[i];

          h[i] = h[(i - 1) / 2];
          h[(i - 1) / 2] = tmp;
        }
      return;
    }
  h = (TsSearchHit *) (gpointer) top->hits->data;
  if (compare_hits (hit, &h[0]) >= 0)
    return;
  h[0] = *hit;
  top_hits_sift_down (top, 0);
}

/* Ranked songs (groups of duplicates) and artists whose names match
 * @query, ignoring case and accents: exact, then prefix, word prefix and
 * substring matches; queries of several words also match a song by its
 * name and artists together. */
GArray *
ts_dataset_search (TsDataset  *self,
                   const char *query_text,
                   guint       limit)
{
  GArray *hits = g_array_new (FALSE, FALSE, sizeof (TsSearchHit));
  TopHits top = { hits, limit };
  Query query;

  g_return_val_if_fail (TS_IS_DATASET (self), hits);
  g_return_val_if_fail (query_text != NULL, hits);

  ts_dataset_ensure_index (self);
  query_init (&query, query_text);
  if (query.length == 0)
    {
      query_clear (&query);
      return hits;
    }

  for (guint g = 0; g < self->groups.n_entries; g++)
    {
      TsSearchHit hit = { TS_SEARCH_HIT_SONG, g, score_song (self, g, &query) };

      if (hit.score > 0)
        top_hits_offer (&top, &hit);
    }
  for (guint a = 0; a < self->artists.names->len; a++)
    {
      TsSearchHit hit = { TS_SEARCH_HIT_ARTIST, a, score_artist (self, a, &query) };

      if (hit.score > 0)
        top_hits_offer (&top, &hit);
    }
  query_clear (&query);

  g_array_sort (hits, compare_hits);
  if (limit > 0 && hits->len > limit)
    g_array_set_size (hits, limit);
  return hits;
}
