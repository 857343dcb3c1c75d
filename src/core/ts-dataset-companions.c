/* ts-dataset-companions.c: data_by_year, data_by_artist, data_by_genres
 * and data_w_genres beside data.csv, or the same derived from it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-dataset"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "ts-dataset-private.h"
#include "ts-number.h"
#include "ts-pylist.h"

#define W_GENRES_FILE  "data_w_genres.csv"
#define ARTISTS_FILE   "artists.csv"     /* beside the 600k set's tracks.csv */
#define BY_YEAR_FILE   "data_by_year.csv"
#define BY_ARTIST_FILE "data_by_artist.csv"
#define BY_GENRES_FILE "data_by_genres.csv"

/* Companions are read whole: data_w_genres.csv is 4 MB for 28,000
 * artists, the 600k set's artists.csv about 80 MB for 1.1 million. A
 * bigger one than this is not a companion of any dataset we know and is
 * ignored rather than read into memory. */
#define MAX_COMPANION_BYTES (256 * 1024 * 1024)

/* A companion file, read whole: they are a few megabytes at most. */
typedef struct
{
  char       *path;
  char       *filename;
  char       *owned;       /* the contents when read from the file */
  const char *contents;
  gsize       length;
  gsize       body_start;
  guint       body_line;
  char      **header;
} CompanionFile;

static void
companion_file_clear (CompanionFile *file)
{
  g_clear_pointer (&file->path, g_free);
  g_clear_pointer (&file->filename, g_free);
  g_clear_pointer (&file->owned, g_free);
  g_clear_pointer (&file->header, g_strfreev);
}

/* Takes @length bytes at @data (which must outlive @file) as the file's
 * contents when they look like a CSV file: its header read, its body
 * found. */
static gboolean
companion_file_set_contents (CompanionFile *file,
                             const char    *data,
                             gsize          length)
{
  gsize header_length;

  file->contents = data;
  file->length = length;
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    file->body_start = 3;
  if (memchr (data, '\0', length) != NULL ||
      (file->header = ts_csv_parse_header (data + file->body_start, length - file->body_start,
                                           &header_length)) == NULL)
    {
      g_debug ("Ignoring %s: not a CSV file", file->path);
      return FALSE;
    }
  file->body_line = 2;
  for (gsize i = file->body_start; i < file->body_start + header_length; i++)
    file->body_line += data[i] == '\n';
  file->body_line--;
  file->body_start += header_length;
  return TRUE;
}

/* Opens dir/basename when it exists and looks like a CSV file; a broken
 * companion is only a note in the log, since everything in it can be
 * derived from data.csv or done without. */
static gboolean
companion_file_open (CompanionFile *file,
                     const char    *dir,
                     const char    *basename)
{
  g_autoptr(GError) error = NULL;
  gsize length;
  GStatBuf st;

  memset (file, 0, sizeof *file);
  file->path = g_build_filename (dir, basename, NULL);
  file->filename = g_strdup (basename);
  if (g_stat (file->path, &st) != 0 || !S_ISREG (st.st_mode))
    return FALSE;
  if (st.st_size > MAX_COMPANION_BYTES)
    {
      g_debug ("Ignoring %s: larger than %d MiB", file->path, MAX_COMPANION_BYTES >> 20);
      return FALSE;
    }
  if (!g_file_get_contents (file->path, &file->owned, &length, &error))
    {
      g_debug ("Ignoring %s: %s", file->path, error->message);
      return FALSE;
    }
  return companion_file_set_contents (file, file->owned, length);
}

static int
find_column (char       **header,
             const char  *name)
{
  for (guint i = 0; header[i] != NULL; i++)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (header[i]));
      g_autofree char *folded = g_ascii_strdown (trimmed, -1);

      if (strcmp (folded, name) == 0)
        return (int) i;
    }
  return -1;
}

static void
companion_file_parse (CompanionFile   *file,
                      TsCsvRecordFunc  func,
                      gpointer         user_data,
                      GCancellable    *cancellable)
{
  TsCsvIssues issues;

  ts_csv_issues_init (&issues);
  ts_csv_parse_range (file->contents + file->body_start, file->length - file->body_start,
                      file->body_line, func, user_data, &issues, cancellable);
  if (issues.count > 0)
    g_debug ("%s: skipped %u malformed rows", file->filename, issues.count);
  ts_csv_issues_clear (&issues);
}

/* data_w_genres.csv: artist -> genres */

typedef struct
{
  TsDataset *dataset;
  int        artist_col;
  int        genres_col;
  guint      n_columns;
  GArray    *pairs;      /* of guint32[2]: artist, genre */
  guint32    artist;
  GString   *scratch;
} GenresReader;

static void
add_genre (const char *name,
           gsize       length,
           gpointer    user_data)
{
  GenresReader *reader = user_data;
  guint32 pair[2];

  if (length == 0 || !g_utf8_validate_len (name, length, NULL))
    return;
  pair[0] = reader->artist;
  pair[1] = _ts_name_pool_intern (&reader->dataset->genres, name, length);
  g_array_append_vals (reader->pairs, pair, 1);
}

static void
on_genres_record (const TsCsvField *fields,
                  guint             n_fields,
                  guint             line,
                  gpointer          user_data)
{
  GenresReader *reader = user_data;
  g_autofree char *name = NULL;
  const TsCsvField *genres;
  int artist;

  if (n_fields != reader->n_columns)
    return;
  /* Only artists of this dataset matter; the others have no songs here. */
  name = g_strndup (fields[reader->artist_col].text, fields[reader->artist_col].length);
  artist = _ts_name_pool_lookup (&reader->dataset->artists, name);
  if (artist < 0)
    return;
  reader->artist = (guint32) artist;
  genres = &fields[reader->genres_col];

  /* The original writes ['a', 'b']; copies saved by spreadsheets "a, b". */
  if (genres->length > 0 && genres->text[0] == '[')
    ts_py_list_parse (genres->text, genres->length, reader->scratch, add_genre, reader);
  else
    ts_comma_list_parse (genres->text, genres->length, add_genre, reader);
}

/* Turns (artist, genre) pairs into per-artist lists, each genre once. */
static void
build_artist_genres (TsDataset *self,
                     GArray    *pairs)
{
  TsCsr *csr = &self->artist_genres;
  guint n_artists = self->artists.names->len;
  g_autofree guint32 *fill = g_new0 (guint32, n_artists + 1);

  csr->n_entries = n_artists;
  csr->first = g_new0 (guint32, n_artists + 1);
  for (guint i = 0; i < pairs->len; i++)
    csr->first[g_array_index (pairs, guint32, 2 * i) + 1]++;
  for (guint a = 0; a < n_artists; a++)
    csr->first[a + 1] += csr->first[a];
  csr->items = g_new (guint32, MAX (pairs->len, 1));

  for (guint i = 0; i < pairs->len; i++)
    {
      guint32 artist = g_array_index (pairs, guint32, 2 * i);
      guint32 genre = g_array_index (pairs, guint32, 2 * i + 1);
      guint32 *list = csr->items + csr->first[artist];
      gboolean seen = FALSE;

      for (guint k = 0; k < fill[artist] && !seen; k++)
        seen = list[k] == genre;
      if (!seen)
        list[fill[artist]++] = genre;
    }

  /* Squeeze out the room that repeated genres left. */
  {
    guint32 out = 0;

    for (guint a = 0; a < n_artists; a++)
      {
        guint32 begin = csr->first[a];

        csr->first[a] = out;
        memmove (csr->items + out, csr->items + begin, fill[a] * sizeof (guint32));
        out += fill[a];
      }
    csr->first[n_artists] = out;
  }
}

static gboolean
read_artist_genres_from (TsDataset     *self,
                         CompanionFile *file,
                         GCancellable  *cancellable)
{
  GenresReader reader = { self };

  reader.artist_col = find_column (file->header, "artists");
  reader.genres_col = find_column (file->header, "genres");
  reader.n_columns = g_strv_length (file->header);
  if (reader.artist_col < 0 || reader.genres_col < 0)
    return FALSE;
  reader.pairs = g_array_new (FALSE, FALSE, 2 * sizeof (guint32));
  reader.scratch = g_string_new (NULL);
  companion_file_parse (file, on_genres_record, &reader, cancellable);
  _ts_csr_clear (&self->artist_genres);
  build_artist_genres (self, reader.pairs);
  g_array_unref (reader.pairs);
  g_string_free (reader.scratch, TRUE);
  return TRUE;
}

/* artists.csv: Spotify artist id -> genres, joined on the ids the songs
 * give (id_artists). */

typedef struct
{
  GenresReader  genres;
  int           id_col;
  GHashTable   *artist_of_id;   /* Spotify id -> artist + 1 */
} ArtistsReader;

static void
on_artists_record (const TsCsvField *fields,
                   guint             n_fields,
                   guint             line,
                   gpointer          user_data)
{
  ArtistsReader *reader = user_data;
  const TsCsvField *id = &fields[reader->id_col];
  const TsCsvField *genres = &fields[reader->genres.genres_col];
  g_autofree char *key = NULL;
  guint artist_plus_1;

  if (n_fields != reader->genres.n_columns || genres->length < 2 || genres->text[0] != '[')
    return;
  /* Only artists of this dataset matter; most of the file's have no
   * song in it. */
  key = g_strndup (id->text, id->length);
  artist_plus_1 = GPOINTER_TO_UINT (g_hash_table_lookup (reader->artist_of_id, key));
  if (artist_plus_1 == 0)
    return;
  reader->genres.artist = artist_plus_1 - 1;
  ts_py_list_parse (genres->text, genres->length, reader->genres.scratch, add_genre,
                    &reader->genres);
}

static gboolean
read_artists_file_from (TsDataset     *self,
                        CompanionFile *file,
                        GCancellable  *cancellable)
{
  ArtistsReader reader = { { self } };

  reader.id_col = find_column (file->header, "id");
  reader.genres.genres_col = find_column (file->header, "genres");
  reader.genres.n_columns = g_strv_length (file->header);
  if (reader.id_col < 0 || reader.genres.genres_col < 0 || self->artist_ids == NULL)
    return FALSE;
  reader.artist_of_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint a = 0; a < self->artist_ids->len; a++)
    if (g_ptr_array_index (self->artist_ids, a) != NULL)
      g_hash_table_insert (reader.artist_of_id, g_ptr_array_index (self->artist_ids, a),
                           GUINT_TO_POINTER (a + 1));
  reader.genres.pairs = g_array_new (FALSE, FALSE, 2 * sizeof (guint32));
  reader.genres.scratch = g_string_new (NULL);
  companion_file_parse (file, on_artists_record, &reader, cancellable);
  _ts_csr_clear (&self->artist_genres);
  build_artist_genres (self, reader.genres.pairs);
  g_array_unref (reader.genres.pairs);
  g_string_free (reader.genres.scratch, TRUE);
  g_hash_table_unref (reader.artist_of_id);
  return TRUE;
}

/* The artists' genres: from artists.csv by artist id when the songs have
 * ids and it is there, else from data_w_genres.csv by name. Returns the
 * file used, or NULL. */
static const char *
read_artist_genres (TsDataset    *self,
                    const char   *dir,
                    GCancellable *cancellable)
{
  CompanionFile file = { 0 };
  const char *used = NULL;

  if (self->artist_ids != NULL && companion_file_open (&file, dir, ARTISTS_FILE) &&
      read_artists_file_from (self, &file, cancellable))
    used = ARTISTS_FILE;
  companion_file_clear (&file);
  if (used == NULL && companion_file_open (&file, dir, W_GENRES_FILE) &&
      read_artist_genres_from (self, &file, cancellable))
    used = W_GENRES_FILE;
  companion_file_clear (&file);
  return used;
}

/* Group tables: one growing table while reading or deriving */

typedef struct
{
  GPtrArray  *names;
  GArray     *counts;     /* double */
  GArray     *means;      /* double, TS_N_FEATURES per group */
  GHashTable *by_name;    /* name -> index + 1 */
} GroupBuilder;

static void
group_builder_init (GroupBuilder *builder)
{
  builder->names = g_ptr_array_new ();
  builder->counts = g_array_new (FALSE, TRUE, sizeof (double));
  builder->means = g_array_new (FALSE, TRUE, sizeof (double));
  builder->by_name = g_hash_table_new (g_str_hash, g_str_equal);
}

/* Finds or adds a group with zero sums. */
static guint
group_builder_get (GroupBuilder *builder,
                   const char   *name)
{
  gpointer found = g_hash_table_lookup (builder->by_name, name);
  char *copy;

  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;
  copy = g_strdup (name);
  g_ptr_array_add (builder->names, copy);
  g_array_set_size (builder->counts, builder->names->len);
  g_array_set_size (builder->means, builder->names->len * TS_N_FEATURES);
  g_hash_table_insert (builder->by_name, copy, GUINT_TO_POINTER (builder->names->len));
  return builder->names->len - 1;
}

static TsGroupTable *
group_builder_end (GroupBuilder *builder,
                   const char   *source,
                   guint         feature_mask)
{
  guint n = builder->names->len;
  TsGroupTable *table;

  g_hash_table_unref (builder->by_name);
  table = _ts_group_table_new (source, n, (char **) g_ptr_array_free (builder->names, FALSE),
                               (double *) (gpointer) g_array_free (builder->counts, FALSE),
                               (double *) (gpointer) g_array_free (builder->means, FALSE),
                               feature_mask);
  return table;
}

/* Companion group files: a key column, feature means, maybe a count */

typedef struct
{
  GroupBuilder builder;
  guint        n_columns;
  int          key_col;
  int          count_col;
  int          feature_col[TS_N_FEATURES];
} GroupFileReader;

static void
on_group_record (const TsCsvField *fields,
                 guint             n_fields,
                 guint             line,
                 gpointer          user_data)
{
  GroupFileReader *reader = user_data;
  g_autofree char *key = NULL;
  double values[TS_N_FEATURES];
  double count = NAN;
  double *means;
  guint group;

  if (n_fields != reader->n_columns || fields[reader->key_col].length == 0 ||
      !g_utf8_validate_len (fields[reader->key_col].text, fields[reader->key_col].length, NULL))
    return;
  for (guint f = 0; f < TS_N_FEATURES; f++)
    {
      int c = reader->feature_col[f];

      values[f] = NAN;
      if (c >= 0 && !ts_parse_double (fields[c].text, fields[c].length, &values[f]))
        return;
    }
  if (reader->count_col >= 0 &&
      !ts_parse_double (fields[reader->count_col].text, fields[reader->count_col].length, &count))
    return;

  /* A repeated key keeps its first row. */
  key = g_strndup (fields[reader->key_col].text, fields[reader->key_col].length);
  if (g_hash_table_contains (reader->builder.by_name, key))
    return;
  group = group_builder_get (&reader->builder, key);
  g_array_index (reader->builder.counts, double, group) = count;
  means = &g_array_index (reader->builder.means, double, (gsize) group * TS_N_FEATURES);
  memcpy (means, values, sizeof values);
}

static TsGroupTable *
read_group_file_from (CompanionFile *file,
                      const char    *key_name,
                      GCancellable  *cancellable)
{
  GroupFileReader reader;
  guint mask = 0;

  reader.n_columns = g_strv_length (file->header);
  reader.key_col = find_column (file->header, key_name);
  reader.count_col = find_column (file->header, "count");
  for (guint f = 0; f < TS_N_FEATURES; f++)
    {
      reader.feature_col[f] = find_column (file->header, ts_feature_get_name (f));
      if (reader.feature_col[f] >= 0)
        mask |= 1u << f;
    }
  /* The key of by-year is also a feature: its mean is the year itself. */
  if (reader.key_col < 0)
    {
      g_debug ("Ignoring %s: no '%s' column", file->path, key_name);
      return NULL;
    }
  group_builder_init (&reader.builder);
  companion_file_parse (file, on_group_record, &reader, cancellable);
  return group_builder_end (&reader.builder, file->filename, mask);
}

static TsGroupTable *
read_group_file (const char   *dir,
                 const char   *basename,
                 const char   *key_name,
                 GCancellable *cancellable)
{
  CompanionFile file;
  TsGroupTable *table = NULL;

  if (companion_file_open (&file, dir, basename))
    table = read_group_file_from (&file, key_name, cancellable);
  companion_file_clear (&file);
  return table;
}

/* Deriving from the songs */

/* Means of each group from per-song membership; @group_of gives the
 * groups of a row (several for artists and genres). */
typedef guint (*RowGroupsFunc) (TsDataset     *self,
                                guint          row,
                                GroupBuilder  *builder,
                                guint         *groups,
                                guint          max_groups);

#define MAX_ROW_GROUPS 64

/* Adds the rows' features to the groups @builder may already hold. */
static TsGroupTable *
derive_groups (TsDataset     *self,
               GroupBuilder  *builder_in,
               RowGroupsFunc  groups_of_row)
{
  GroupBuilder builder = *builder_in;
  guint groups[MAX_ROW_GROUPS];

  for (guint row = 0; row < self->n_rows; row++)
    {
      guint n = groups_of_row (self, row, &builder, groups, MAX_ROW_GROUPS);

      for (guint k = 0; k < n; k++)
        {
          double *sums = &g_array_index (builder.means, double, (gsize) groups[k] * TS_N_FEATURES);

          g_array_index (builder.counts, double, groups[k]) += 1;
          for (guint f = 0; f < TS_N_FEATURES; f++)
            sums[f] += _ts_dataset_column (self, f)[row];
        }
    }
  for (guint g = 0; g < builder.names->len; g++)
    {
      double count = g_array_index (builder.counts, double, g);

      for (guint f = 0; f < TS_N_FEATURES; f++)
        g_array_index (builder.means, double, (gsize) g * TS_N_FEATURES + f) /= count;
    }
  return group_builder_end (&builder, "data.csv", (1u << TS_N_FEATURES) - 1);
}

static guint
artists_of_row (TsDataset    *self,
                guint         row,
                GroupBuilder *builder,
                guint        *groups,
                guint         max_groups)
{
  const guint32 *artists;
  guint n = MIN (ts_dataset_get_artists (self, row, &artists), max_groups);

  for (guint k = 0; k < n; k++)
    groups[k] = group_builder_get (builder, ts_dataset_get_artist_name (self, artists[k]));
  return n;
}

/* A song's genres are its artists' genres (data_w_genres), each once. */
static guint
genres_of_row (TsDataset    *self,
               guint         row,
               GroupBuilder *builder,
               guint        *groups,
               guint         max_groups)
{
  g_autoptr(GArray) genres = ts_dataset_dup_song_genres (self, row);
  guint n = MIN (genres->len, max_groups);

  for (guint k = 0; k < n; k++)
    groups[k] = group_builder_get (builder,
                                   ts_dataset_get_genre_name (self,
                                                              g_array_index (genres, guint32, k)));
  return n;
}

/* Years in ascending order, each year that has songs; years are small
 * integers, so they index arrays directly. */
static TsGroupTable *
derive_years (TsDataset *self)
{
  const double *years = _ts_dataset_column (self, TS_FEATURE_YEAR);
  int min_year = (int) self->feature_min[TS_FEATURE_YEAR];
  guint span = (guint) ((int) self->feature_max[TS_FEATURE_YEAR] - min_year + 1);
  g_autofree double *counts = g_new0 (double, span);
  g_autofree double *sums = g_new0 (double, (gsize) span * TS_N_FEATURES);
  GroupBuilder builder;

  for (guint row = 0; row < self->n_rows; row++)
    {
      guint y = (guint) ((int) years[row] - min_year);

      counts[y] += 1;
      for (guint f = 0; f < TS_N_FEATURES; f++)
        sums[(gsize) y * TS_N_FEATURES + f] += _ts_dataset_column (self, f)[row];
    }

  group_builder_init (&builder);
  for (guint y = 0; y < span; y++)
    {
      char key[16];
      guint g;

      if (counts[y] == 0)
        continue;
      g_snprintf (key, sizeof key, "%d", min_year + (int) y);
      g = group_builder_get (&builder, key);
      g_array_index (builder.counts, double, g) = counts[y];
      for (guint f = 0; f < TS_N_FEATURES; f++)
        g_array_index (builder.means, double, (gsize) g * TS_N_FEATURES + f) =
          sums[(gsize) y * TS_N_FEATURES + f] / counts[y];
    }
  return group_builder_end (&builder, "data.csv", (1u << TS_N_FEATURES) - 1);
}

static TsGroupTable *
derive_artists (TsDataset *self)
{
  GroupBuilder builder;

  group_builder_init (&builder);
  return derive_groups (self, &builder, artists_of_row);
}

static TsGroupTable *
derive_genres (TsDataset *self)
{
  GroupBuilder builder;

  group_builder_init (&builder);
  return derive_groups (self, &builder, genres_of_row);
}

/* Companion files carry no song counts for years and genres: count the
 * songs behind each group here, so a thin group can be shown as such. */
static void
fill_missing_counts (TsDataset    *self,
                     TsGroupTable *table,
                     TsGroupTable *derived)
{
  for (guint g = 0; g < ts_group_table_get_n_groups (table); g++)
    {
      double *count = (double *) _ts_group_table_counts (table) + g;
      int d;

      if (!isnan (*count))
        continue;
      d = ts_group_table_lookup (derived, ts_group_table_get_name (table, g));
      *count = d >= 0 ? ts_group_table_get_count (derived, (guint) d) : 0;
    }
}

static TsGroupTable *
count_genre_songs (TsDataset *self)
{
  GroupBuilder builder;

  group_builder_init (&builder);
  for (guint row = 0; row < self->n_rows; row++)
    {
      g_autoptr(GArray) genres = ts_dataset_dup_song_genres (self, row);

      for (guint k = 0; k < genres->len; k++)
        {
          const char *name = ts_dataset_get_genre_name (self, g_array_index (genres, guint32, k));
          guint group = group_builder_get (&builder, name);  /* may grow counts */

          g_array_index (builder.counts, double, group) += 1;
        }
    }
  return group_builder_end (&builder, "data.csv", 0);
}

typedef struct
{
  const char    *dir;
  GCancellable  *cancellable;
  TsGroupTable  *by_year;
  TsGroupTable  *by_artist;
  TsGroupTable  *by_genre;
} GroupFiles;

/* The three group files need nothing from the songs: a second thread
 * reads them while this one matches data_w_genres to the artists. */
static gpointer
read_group_files (gpointer data)
{
  GroupFiles *files = data;

  files->by_year = read_group_file (files->dir, BY_YEAR_FILE, "year", files->cancellable);
  files->by_artist = read_group_file (files->dir, BY_ARTIST_FILE, "artists", files->cancellable);
  files->by_genre = read_group_file (files->dir, BY_GENRES_FILE, "genres", files->cancellable);
  return NULL;
}

void
_ts_dataset_read_companions (TsDataset    *self,
                             GCancellable *cancellable)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autoptr(GStrvBuilder) used = g_strv_builder_new ();
  GroupFiles files = { dir, cancellable };
  GThread *thread = NULL;
  const char *genres_file;

  g_assert (TS_IS_DATASET (self));

  /* data_by_*.csv summarise the Kaggle data.csv alone: beside another
   * file they would describe other songs. */
  if (self->schema == TS_DATASET_SCHEMA_KAGGLE)
    thread = g_thread_new ("ts-companions", read_group_files, &files);
  genres_file = read_artist_genres (self, dir, cancellable);
  if (thread != NULL)
    g_thread_join (thread);

  if (genres_file != NULL)
    g_strv_builder_add (used, genres_file);
  if ((self->by_year = files.by_year))
    g_strv_builder_add (used, BY_YEAR_FILE);
  if ((self->by_artist = files.by_artist))
    g_strv_builder_add (used, BY_ARTIST_FILE);
  if ((self->by_genre = files.by_genre))
    g_strv_builder_add (used, BY_GENRES_FILE);
  self->companions = g_strv_builder_end (used);
}

/* One companion from memory, as if it sat beside the main file: the
 * same readers, for the fuzzing harness. */
gboolean
_ts_dataset_read_companion_data (TsDataset  *self,
                                 const char *basename,
                                 const char *data,
                                 gsize       length)
{
  static const struct { const char *basename, *key; gsize table; } group_files[] = {
    { BY_YEAR_FILE, "year", G_STRUCT_OFFSET (TsDataset, by_year) },
    { BY_ARTIST_FILE, "artists", G_STRUCT_OFFSET (TsDataset, by_artist) },
    { BY_GENRES_FILE, "genres", G_STRUCT_OFFSET (TsDataset, by_genre) },
  };
  CompanionFile file = { 0 };
  gboolean ok = FALSE;

  g_return_val_if_fail (TS_IS_DATASET (self), FALSE);
  g_return_val_if_fail (basename != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (!self->aggregates_ready, FALSE);

  file.path = g_strdup (basename);
  file.filename = g_strdup (basename);
  if (companion_file_set_contents (&file, data != NULL ? data : "", length))
    {
      if (g_str_equal (basename, W_GENRES_FILE))
        ok = read_artist_genres_from (self, &file, NULL);
      if (g_str_equal (basename, ARTISTS_FILE))
        ok = read_artists_file_from (self, &file, NULL);
      for (guint i = 0; i < G_N_ELEMENTS (group_files); i++)
        if (g_str_equal (basename, group_files[i].basename))
          {
            TsGroupTable **table = G_STRUCT_MEMBER_P (self, group_files[i].table);

            g_clear_pointer (table, ts_group_table_unref);
            *table = read_group_file_from (&file, group_files[i].key, NULL);
            ok = *table != NULL;
          }
    }
  companion_file_clear (&file);
  return ok;
}

static void
derive_aggregates (TsDataset *self)
{
  g_autoptr(TsGroupTable) derived_years = derive_years (self);

  if (self->by_year != NULL)
    fill_missing_counts (self, self->by_year, derived_years);
  else
    self->by_year = ts_group_table_ref (derived_years);

  if (self->by_artist == NULL)
    self->by_artist = derive_artists (self);

  /* Without data_by_genres the means come through artist -> genres;
   * without data_w_genres no song has a genre: there is no table, and a
   * companion table's counts stay NAN, unknown rather than a misleading
   * zero. */
  if (self->by_genre == NULL && self->artist_genres.first != NULL)
    self->by_genre = derive_genres (self);
  else if (self->by_genre != NULL && self->artist_genres.first != NULL)
    {
      g_autoptr(TsGroupTable) genre_counts = count_genre_songs (self);

      fill_missing_counts (self, self->by_genre, genre_counts);
    }
}

/* Deriving takes tens of milliseconds on the full dataset: done on first
 * use, so that a load is only a parse. */
void
_ts_dataset_ensure_aggregates (TsDataset *self)
{
  g_assert (TS_IS_DATASET (self));

  if (g_atomic_int_get (&self->aggregates_ready))
    return;
  g_mutex_lock (&self->lazy_lock);
  if (!self->aggregates_ready)
    {
      derive_aggregates (self);
      g_atomic_int_set (&self->aggregates_ready, TRUE);
    }
  g_mutex_unlock (&self->lazy_lock);
}
