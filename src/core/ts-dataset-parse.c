/* ts-dataset-parse.c: data.csv parsed on every core into the dataset's
 * columns
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The header maps the file's columns to ours (Layout); the body is cut at
 * record boundaries into chunks, which threads from a work queue parse
 * into row slots of one huge-page block (Chunk), each with its own name
 * pools; the chunks are then merged in file order, so ids and ranges do
 * not depend on the thread count. ts-dataset.c calls it through
 * _ts_dataset_load_main_file().
 */

#define G_LOG_DOMAIN "ts-dataset"

#include "config.h"

#include <string.h>
#include <sys/mman.h>

#include "ts-dataset-private.h"
#include "ts-error.h"
#include "ts-number.h"
#include "ts-pylist.h"

/* Files smaller than this parse on one thread: threads cost more than
 * they save. */
#define DEFAULT_MIN_CHUNK_BYTES (1024 * 1024)
#define MAX_CHUNKS              16
#define CHUNKS_PER_THREAD       2
/* Bytes inspected for NUL when deciding whether a file is text. */
#define BINARY_SNIFF_BYTES      (64 * 1024)
#define REPORT_EVERY_ROWS       8192
/* The size and alignment of a transparent huge page on x86-64 and most
 * arm64 kernels; elsewhere only an alignment that does no harm. */
#define HUGE_PAGE_BYTES         (2 * 1024 * 1024)

/* What a column of the file is to us. */
typedef enum
{
  FIELD_IGNORED = -1,
  /* 0 .. TS_N_COLUMNS - 1: the numeric columns, by TsFeature / TsColumn */
  FIELD_ID = TS_N_COLUMNS,
  FIELD_NAME,
  FIELD_ARTISTS,
  FIELD_RELEASE_DATE,
  FIELD_LABEL,
  FIELD_ARTIST_IDS,
  FIELD_ALBUM_ID,
  FIELD_ALBUM,
  N_FIELDS
} Field;

/* A numeric column's field is its TsFeature / TsColumn index. */
#define COLUMN(index) ((Field) (index))

typedef struct
{
  const char *header;
  Field       field;
} HeaderName;

/* Kaggle's names, then TidyTuesday's (spotify_songs.csv), then those the
 * 600k set (tracks.csv) and the 1.2M set (tracks_features.csv) add. */
static const HeaderName header_names[] = {
  { "valence", COLUMN (TS_FEATURE_VALENCE) },
  { "year", COLUMN (TS_FEATURE_YEAR) },
  { "acousticness", COLUMN (TS_FEATURE_ACOUSTICNESS) },
  { "danceability", COLUMN (TS_FEATURE_DANCEABILITY) },
  { "duration_ms", COLUMN (TS_FEATURE_DURATION_MS) },
  { "energy", COLUMN (TS_FEATURE_ENERGY) },
  { "instrumentalness", COLUMN (TS_FEATURE_INSTRUMENTALNESS) },
  { "key", COLUMN (TS_FEATURE_KEY) },
  { "liveness", COLUMN (TS_FEATURE_LIVENESS) },
  { "loudness", COLUMN (TS_FEATURE_LOUDNESS) },
  { "popularity", COLUMN (TS_FEATURE_POPULARITY) },
  { "speechiness", COLUMN (TS_FEATURE_SPEECHINESS) },
  { "tempo", COLUMN (TS_FEATURE_TEMPO) },
  { "explicit", COLUMN (TS_COLUMN_EXPLICIT) },
  { "mode", COLUMN (TS_COLUMN_MODE) },
  { "id", FIELD_ID },
  { "name", FIELD_NAME },
  { "artists", FIELD_ARTISTS },
  { "release_date", FIELD_RELEASE_DATE },
  { "track_id", FIELD_ID },
  { "track_name", FIELD_NAME },
  { "track_artist", FIELD_ARTISTS },
  { "track_popularity", COLUMN (TS_FEATURE_POPULARITY) },
  { "track_album_release_date", FIELD_RELEASE_DATE },
  { "playlist_genre", FIELD_LABEL },
  { "track_album_id", FIELD_ALBUM_ID },
  { "track_album_name", FIELD_ALBUM },
  { "id_artists", FIELD_ARTIST_IDS },
  { "artist_ids", FIELD_ARTIST_IDS },
  { "album_id", FIELD_ALBUM_ID },
  { "album", FIELD_ALBUM },
};

/* TS_DATASET_MAX_ROWS, lowered by the tests (_ts_dataset_set_max_rows). */
static gint max_rows = TS_DATASET_MAX_ROWS;

void
_ts_dataset_set_max_rows (guint rows)
{
  g_atomic_int_set (&max_rows, (gint) MIN (rows, TS_DATASET_MAX_ROWS));
}

/* How the file's columns map to ours. */
typedef struct
{
  TsDatasetSchema  schema;
  guint            n_columns;
  Field           *field_of_column;      /* n_columns */
  int              column_of_field[N_FIELDS];
  double           min[TS_N_COLUMNS];    /* what a row may hold */
  double           max[TS_N_COLUMNS];
} Layout;

/* One slice of the file, parsed by one thread into the dataset's arrays
 * from row slot first_slot on. */
typedef struct
{
  TsDataset       *dataset;
  const Layout    *layout;
  const char      *filename;
  const char      *data;
  gsize            length;
  guint            first_line;
  guint            first_slot;
  guint            n_slots;
  gboolean         tight;            /* a slot per newline, none spare */
  gboolean         out_of_slots;
  guint            n_rows;
  double           min[TS_N_FEATURES];  /* of its rows, when it has any */
  double           max[TS_N_FEATURES];
  /* Ids and names, NUL-terminated, back to back in one huge-page block of
   * the chunk's length: a row's id and name with their NULs are shorter
   * than its line (which has 18 commas at least). The rare rest, if the
   * estimate were ever wrong, goes to strings. */
  char            *block;
  gsize            block_used;
  gsize            block_size;
  GStringChunk    *strings;
  TsNamePool       artists;          /* local ids, remapped when merged */
  TsNamePool       labels;
  TsNamePool       albums;           /* by album id */
  GPtrArray       *album_names;      /* local album -> name */
  GPtrArray       *artist_ids;       /* local artist -> Spotify id or NULL;
                                      * NULL when the file has no ids */
  GArray          *artist_refs;      /* guint32, local ids */
  GString         *scratch;
  TsCsvIssues      issues;
  GCancellable    *cancellable;
  /* Rows done by all chunks, reported by the loading thread alone. */
  gint            *rows_done;
  guint            total_slots;
  GThread         *reporter;
  TsProgressFunc   progress;
  gpointer         progress_data;
} Chunk;

/* The header */

static Field
field_for_header (const char *header)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (header));
  g_autofree char *name = g_ascii_strdown (trimmed, -1);

  for (guint i = 0; i < G_N_ELEMENTS (header_names); i++)
    if (strcmp (name, header_names[i].header) == 0)
      return header_names[i].field;
  return FIELD_IGNORED;
}

static const char *
field_display_name (Field field)
{
  for (guint i = 0; i < G_N_ELEMENTS (header_names); i++)
    if (header_names[i].field == field)
      return header_names[i].header;
  return "?";
}

/* A file whose header is one field holding ';' or tabs was written with
 * another separator; saying so beats listing every column as missing. */
static const char *
guess_other_delimiter (char **header)
{
  if (g_strv_length (header) != 1)
    return NULL;
  if (strchr (header[0], ';') != NULL)
    return "';'";
  if (strchr (header[0], '\t') != NULL)
    return "tabs";
  if (strchr (header[0], '|') != NULL)
    return "'|'";
  return NULL;
}

/* The schemas differ in the columns beyond the features: TidyTuesday has
 * playlist genres, the 1.2M set albums and artist ids, the 600k set
 * artist ids alone. */
static TsDatasetSchema
detect_schema (const Layout *layout)
{
  if (layout->column_of_field[FIELD_LABEL] >= 0)
    return TS_DATASET_SCHEMA_TIDYTUESDAY;
  if (layout->column_of_field[FIELD_ARTIST_IDS] >= 0)
    return layout->column_of_field[FIELD_ALBUM_ID] >= 0 ? TS_DATASET_SCHEMA_TRACKS_1M
                                                        : TS_DATASET_SCHEMA_TRACKS_600K;
  return TS_DATASET_SCHEMA_KAGGLE;
}

static gboolean
layout_init (Layout      *layout,
             char       **header,
             const char  *filename,
             GError     **error)
{
  g_autoptr(GString) missing = g_string_new (NULL);
  const char *delimiter;

  memset (layout, 0, sizeof *layout);
  layout->n_columns = g_strv_length (header);
  layout->field_of_column = g_new (Field, layout->n_columns);
  for (guint f = 0; f < N_FIELDS; f++)
    layout->column_of_field[f] = -1;

  for (guint c = 0; c < layout->n_columns; c++)
    {
      Field field = field_for_header (header[c]);

      /* The first of two same-named columns wins; the other is ignored. */
      if (field != FIELD_IGNORED && layout->column_of_field[field] >= 0)
        field = FIELD_IGNORED;
      layout->field_of_column[c] = field;
      if (field != FIELD_IGNORED)
        layout->column_of_field[field] = (int) c;
    }

  for (guint col = 0; col < TS_N_COLUMNS; col++)
    {
      if (col < TS_N_FEATURES)
        ts_feature_get_bounds (col, &layout->min[col], &layout->max[col]);
      else
        layout->min[col] = 0, layout->max[col] = 1;   /* explicit and mode */
    }

  layout->schema = detect_schema (layout);

  for (guint f = 0; f < N_FIELDS; f++)
    {
      /* Popularity is missing from the 1.2M set: the songs still load,
       * and the dataset says the feature is absent. */
      gboolean optional = f == TS_COLUMN_EXPLICIT || f == TS_COLUMN_MODE ||
                          f == TS_FEATURE_POPULARITY || f == FIELD_LABEL ||
                          f == FIELD_RELEASE_DATE || f == FIELD_ARTIST_IDS ||
                          f == FIELD_ALBUM_ID || f == FIELD_ALBUM ||
                          (f == TS_FEATURE_YEAR && layout->column_of_field[FIELD_RELEASE_DATE] >= 0);

      if (!optional && layout->column_of_field[f] < 0)
        g_string_append_printf (missing, "%s%s", missing->len ? ", " : "", field_display_name (f));
    }
  if (missing->len == 0)
    return TRUE;

  delimiter = guess_other_delimiter (header);
  if (delimiter != NULL)
    g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                 "%s: the columns are separated by %s; Tunescope reads comma-separated files",
                 filename, delimiter);
  else
    g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                 "%s: not a Spotify audio-feature file: missing column%s %s", filename,
                 strchr (missing->str, ',') ? "s" : "", missing->str);
  return FALSE;
}

static void
layout_clear (Layout *layout)
{
  g_clear_pointer (&layout->field_of_column, g_free);
}

/* 1 << f for each feature the file has; the year counts when it comes
 * from release_date. */
static guint32
layout_feature_mask (const Layout *layout)
{
  guint32 mask = 0;

  for (guint f = 0; f < TS_N_FEATURES; f++)
    if (layout->column_of_field[f] >= 0 ||
        (f == TS_FEATURE_YEAR && layout->column_of_field[FIELD_RELEASE_DATE] >= 0))
      mask |= 1u << f;
  return mask;
}

/* The columns read, as the file names them (artist_ids or id_artists),
 * in our order. */
static char **
layout_columns_found (const Layout  *layout,
                      char         **header)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint f = 0; f < N_FIELDS; f++)
    if (layout->column_of_field[f] >= 0)
      {
        g_autofree char *name = g_strstrip (g_strdup (header[layout->column_of_field[f]]));

        g_strv_builder_add (builder, name);
      }
  return g_strv_builder_end (builder);
}

/* Rows */

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD", packed as YYYYMMDD with zeros for
 * what is missing. */
static gboolean
parse_release_date (const char *text,
                    gsize       length,
                    guint32    *packed)
{
  guint year = 0, month = 0, day = 0;

  if (length != 4 && length != 7 && length != 10)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      year = year * 10 + (guint) (text[i] - '0');
    }
  if (length >= 7)
    {
      if (text[4] != '-' || !g_ascii_isdigit (text[5]) || !g_ascii_isdigit (text[6]))
        return FALSE;
      month = (guint) (text[5] - '0') * 10 + (guint) (text[6] - '0');
      if (month < 1 || month > 12)
        return FALSE;
    }
  if (length == 10)
    {
      if (text[7] != '-' || !g_ascii_isdigit (text[8]) || !g_ascii_isdigit (text[9]))
        return FALSE;
      day = (guint) (text[8] - '0') * 10 + (guint) (text[9] - '0');
      if (day < 1 || day > 31)
        return FALSE;
    }
  *packed = year * 10000 + month * 100 + day;
  return TRUE;
}

typedef struct
{
  Chunk       *chunk;
  gboolean     bad;
} ArtistCollector;

static void
collect_artist (const char *name,
                gsize       length,
                gpointer    user_data)
{
  ArtistCollector *collector = user_data;
  guint32 id;

  if (collector->bad)
    return;
  /* The cell was checked to be UTF-8, and unescaping keeps it so. */
  if (length == 0)
    {
      collector->bad = TRUE;
      return;
    }
  id = _ts_name_pool_intern (&collector->chunk->artists, name, length);
  g_array_append_val (collector->chunk->artist_refs, id);
}

/* Parses the artists cell into chunk->artist_refs; FALSE if malformed. */
static gboolean
parse_artists (Chunk            *chunk,
               const TsCsvField *cell)
{
  ArtistCollector collector = { chunk, FALSE };

  if (chunk->layout->schema == TS_DATASET_SCHEMA_TIDYTUESDAY)
    {
      /* A plain name; TidyTuesday leaves a few blank, which we keep. */
      if (cell->length > 0)
        collect_artist (cell->text, cell->length, &collector);
      return !collector.bad;
    }
  if (!ts_py_list_parse (cell->text, cell->length, chunk->scratch, collect_artist, &collector))
    return FALSE;
  return !collector.bad;
}

typedef struct
{
  Chunk   *chunk;
  guint    artist_start;   /* the row's artists in chunk->artist_refs */
  guint    n_artists;
  guint    next;
} ArtistIdCollector;

static void
collect_artist_id (const char *id,
                   gsize       length,
                   gpointer    user_data)
{
  ArtistIdCollector *collector = user_data;
  Chunk *chunk = collector->chunk;
  guint k = collector->next++;
  guint32 artist;

  if (k >= collector->n_artists || length == 0 || !g_utf8_validate_len (id, length, NULL))
    return;
  artist = g_array_index (chunk->artist_refs, guint32, collector->artist_start + k);
  if (artist >= chunk->artist_ids->len)
    g_ptr_array_set_size (chunk->artist_ids, (guint) artist + 1);
  if (g_ptr_array_index (chunk->artist_ids, artist) == NULL)
    g_ptr_array_index (chunk->artist_ids, artist) =
      g_string_chunk_insert_len (chunk->strings, id, (gssize) length);
}

/* The k-th id of id_artists / artist_ids is the k-th artist's: each
 * artist keeps the first id seen, which artists.csv is joined on. A
 * malformed id list costs the row nothing but its ids. */
static void
parse_artist_ids (Chunk            *chunk,
                  const TsCsvField *cell,
                  guint             artist_start)
{
  ArtistIdCollector collector = { chunk, artist_start, chunk->artist_refs->len - artist_start, 0 };

  ts_py_list_parse (cell->text, cell->length, chunk->scratch, collect_artist_id, &collector);
}

/* At most 40 characters of a cell for a message, valid UTF-8 whatever
 * the cell held, so that reasons can go into JSON and the UI. */
static char *
excerpt (const TsCsvField *cell)
{
  g_autofree char *valid = g_utf8_make_valid (cell->text, (gssize) cell->length);
  const char *end = valid;

  for (guint n = 0; n < 40 && *end; n++)
    end = g_utf8_next_char (end);
  if (*end == '\0')
    return g_steal_pointer (&valid);
  return g_strdup_printf ("%.*s…", (int) (end - valid), valid);
}

/* The 1.2M set writes explicit as Python's True and False. */
static gboolean
parse_boolean (const TsCsvField *cell,
               double           *value)
{
  if (cell->length == 4 && g_ascii_strncasecmp (cell->text, "true", 4) == 0)
    *value = 1.0;
  else if (cell->length == 5 && g_ascii_strncasecmp (cell->text, "false", 5) == 0)
    *value = 0.0;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_numbers (Chunk            *chunk,
               const TsCsvField *fields,
               guint             line,
               double           *values)
{
  const Layout *layout = chunk->layout;

  for (guint col = 0; col < TS_N_COLUMNS; col++)
    {
      int c = layout->column_of_field[col];
      const TsCsvField *cell;

      values[col] = 0.0;
      if (c < 0)
        continue;
      cell = &fields[c];
      if (!ts_parse_plain_decimal (cell->text, cell->length, &values[col]) &&
          !ts_parse_double (cell->text, cell->length, &values[col]) &&
          !(col == TS_COLUMN_EXPLICIT && parse_boolean (cell, &values[col])))
        {
          g_autofree char *shown = excerpt (cell);

          ts_csv_issues_add (&chunk->issues, line, "%s is not a number: '%s'",
                             field_display_name (col), shown);
          return FALSE;
        }
      if (values[col] < layout->min[col] || values[col] > layout->max[col])
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          ts_csv_issues_add (&chunk->issues, line, "%s %s is out of range", field_display_name (col),
                             g_ascii_dtostr (buf, sizeof buf, values[col]));
          return FALSE;
        }
    }
  return TRUE;
}

/* Most cells are ASCII: a byte scan settles them before full UTF-8
 * validation, which is several times slower. */
static gboolean
is_valid_text (const char *text,
               gsize       length)
{
  guchar high = 0;

  for (gsize i = 0; i < length; i++)
    high |= (guchar) text[i];
  return (high & 0x80) == 0 || g_utf8_validate_len (text, length, NULL);
}

static gboolean
check_text (Chunk            *chunk,
            const TsCsvField *cell,
            Field             field,
            guint             line)
{
  if (is_valid_text (cell->text, cell->length))
    return TRUE;
  ts_csv_issues_add (&chunk->issues, line, "invalid UTF-8 in %s", field_display_name (field));
  return FALSE;
}

static gboolean
check_optional_text (Chunk            *chunk,
                     const TsCsvField *fields,
                     Field             field,
                     guint             line)
{
  int c = chunk->layout->column_of_field[field];

  return c < 0 || check_text (chunk, &fields[c], field, line);
}

/* Everything but the artists; FALSE (with the issue added) if the row is
 * malformed. */
static gboolean
parse_row_scalars (Chunk            *chunk,
                   const TsCsvField *fields,
                   guint             line,
                   double           *values,
                   guint32          *release)
{
  const Layout *layout = chunk->layout;
  int date_col = layout->column_of_field[FIELD_RELEASE_DATE];

  if (!parse_numbers (chunk, fields, line, values))
    return FALSE;

  *release = 0;
  if (date_col >= 0 && !parse_release_date (fields[date_col].text, fields[date_col].length, release))
    {
      g_autofree char *shown = excerpt (&fields[date_col]);

      ts_csv_issues_add (&chunk->issues, line,
                         "release_date '%s' is not YYYY, YYYY-MM or YYYY-MM-DD", shown);
      return FALSE;
    }
  if (layout->column_of_field[TS_FEATURE_YEAR] < 0)
    values[TS_FEATURE_YEAR] = *release / 10000;

  return check_text (chunk, &fields[layout->column_of_field[FIELD_ID]], FIELD_ID, line) &&
         check_text (chunk, &fields[layout->column_of_field[FIELD_NAME]], FIELD_NAME, line) &&
         check_text (chunk, &fields[layout->column_of_field[FIELD_ARTISTS]], FIELD_ARTISTS, line) &&
         check_optional_text (chunk, fields, FIELD_LABEL, line) &&
         check_optional_text (chunk, fields, FIELD_ALBUM_ID, line) &&
         check_optional_text (chunk, fields, FIELD_ALBUM, line);
}

/* A NUL-terminated copy of @cell in the chunk's string block, or, should
 * it ever be full, in its overflow. */
static const char *
store_string (Chunk            *chunk,
              const TsCsvField *cell)
{
  char *copy;

  if (G_UNLIKELY (cell->length + 1 > chunk->block_size - chunk->block_used))
    return g_string_chunk_insert_len (chunk->strings, cell->text, (gssize) cell->length);
  copy = chunk->block + chunk->block_used;
  memcpy (copy, cell->text, cell->length);
  copy[cell->length] = '\0';
  chunk->block_used += cell->length + 1;
  return copy;
}

/* The row's album in the chunk's pool (by album id; the first name seen
 * is the album's), or -1. */
static gint32
store_album (Chunk            *chunk,
             const TsCsvField *fields)
{
  int id_col = chunk->layout->column_of_field[FIELD_ALBUM_ID];
  int name_col = chunk->layout->column_of_field[FIELD_ALBUM];
  guint n_before = chunk->albums.names->len;
  guint32 album;

  if (id_col < 0 || fields[id_col].length == 0)
    return -1;
  album = _ts_name_pool_intern (&chunk->albums, fields[id_col].text, fields[id_col].length);
  if (album == n_before)
    g_ptr_array_add (chunk->album_names,
                     (gpointer) (name_col >= 0 ? store_string (chunk, &fields[name_col]) : ""));
  return (gint32) album;
}

static void
store_row (Chunk            *chunk,
           const TsCsvField *fields,
           const double     *values,
           guint32           release,
           guint             artist_start)
{
  TsDataset *ds = chunk->dataset;
  const Layout *layout = chunk->layout;
  guint slot = chunk->first_slot + chunk->n_rows;
  const TsCsvField *id = &fields[layout->column_of_field[FIELD_ID]];
  const TsCsvField *name = &fields[layout->column_of_field[FIELD_NAME]];
  int label_col = layout->column_of_field[FIELD_LABEL];

  for (guint col = 0; col < TS_N_COLUMNS; col++)
    _ts_dataset_column (ds, col)[slot] = values[col];
  ds->ids[slot] = store_string (chunk, id);
  ds->names[slot] = store_string (chunk, name);
  ds->release_dates[slot] = release;
  ds->artist_first[slot] = artist_start;
  ds->artist_count[slot] = (guint16) (chunk->artist_refs->len - artist_start);
  ds->labels[slot] = -1;
  if (label_col >= 0 && fields[label_col].length > 0)
    ds->labels[slot] = (gint32) _ts_name_pool_intern (&chunk->labels, fields[label_col].text,
                                                      fields[label_col].length);
  ds->albums[slot] = store_album (chunk, fields);
  chunk->n_rows++;
}

static void
report_chunk_progress (Chunk *chunk)
{
  guint done;

  if (chunk->n_rows % REPORT_EVERY_ROWS != 0)
    return;
  done = (guint) g_atomic_int_add (chunk->rows_done, REPORT_EVERY_ROWS) + REPORT_EVERY_ROWS;
  if (chunk->progress != NULL && g_thread_self () == chunk->reporter)
    chunk->progress ((double) MIN (done, chunk->total_slots) / MAX (chunk->total_slots, 1) * 0.9,
                     NULL, chunk->progress_data);
}

static void
on_song_record (const TsCsvField *fields,
                guint             n_fields,
                guint             line,
                gpointer          user_data)
{
  Chunk *chunk = user_data;
  const Layout *layout = chunk->layout;
  double values[TS_N_COLUMNS];
  guint32 release;
  guint artist_start = chunk->artist_refs->len;

  if (n_fields != layout->n_columns)
    {
      ts_csv_issues_add (&chunk->issues, line, "expected %u fields, found %u", layout->n_columns,
                         n_fields);
      return;
    }
  if (chunk->n_rows >= chunk->n_slots)
    {
      /* Only lone carriage returns make more records than lines. A tight
       * chunk gives up, and the load starts over on one thread; otherwise
       * refuse, never overrun. */
      if (chunk->tight)
        chunk->out_of_slots = TRUE;
      else
        ts_csv_issues_add (&chunk->issues, line, "more records than lines");
      return;
    }
  if (!parse_row_scalars (chunk, fields, line, values, &release))
    return;
  if (!parse_artists (chunk, &fields[layout->column_of_field[FIELD_ARTISTS]]))
    {
      g_autofree char *shown = excerpt (&fields[layout->column_of_field[FIELD_ARTISTS]]);

      g_array_set_size (chunk->artist_refs, artist_start);
      ts_csv_issues_add (&chunk->issues, line, "artists is not a list of quoted names: '%s'",
                         shown);
      return;
    }
  if (chunk->artist_ids != NULL)
    parse_artist_ids (chunk, &fields[layout->column_of_field[FIELD_ARTIST_IDS]], artist_start);
  store_row (chunk, fields, values, release, artist_start);
  report_chunk_progress (chunk);
}

/* The chunk's feature ranges, on its own thread: merged in file order
 * they are what one scan of all the rows gives (ties too: the first
 * value wins, which only matters for 0 and -0). */
static void
compute_chunk_ranges (Chunk *chunk)
{
  guint first = chunk->first_slot, end = chunk->first_slot + chunk->n_rows;

  if (chunk->n_rows == 0)
    return;
  for (guint f = 0; f < TS_N_FEATURES; f++)
    {
      const double *col = _ts_dataset_column (chunk->dataset, f);
      double min = col[first], max = col[first];

      for (guint r = first + 1; r < end; r++)
        {
          if (col[r] < min)
            min = col[r];
          if (col[r] > max)
            max = col[r];
        }
      chunk->min[f] = min;
      chunk->max[f] = max;
    }
}

static gpointer
parse_chunk (gpointer data)
{
  Chunk *chunk = data;

  ts_csv_parse_range (chunk->data, chunk->length, chunk->first_line, on_song_record, chunk,
                      &chunk->issues, chunk->cancellable);
  compute_chunk_ranges (chunk);
  return NULL;
}

/* Splitting the file */

typedef struct
{
  const char *data;
  gsize       length;
  gsize       quotes;
  gsize       newlines;
} CountJob;

static gsize
count_byte (const char *data,
            gsize       length,
            char        byte)
{
  const char *end = data + length;
  gsize n = 0;

  /* memchr is vectorised; a plain loop over every byte is several times
   * slower, and this pass is on the critical path of every load. */
  for (const char *p = data; (p = memchr (p, byte, (gsize) (end - p))) != NULL; p++)
    n++;
  return n;
}

static gpointer
count_quotes_and_newlines (gpointer data)
{
  CountJob *job = data;

  job->quotes = count_byte (job->data, job->length, '"');
  job->newlines = count_byte (job->data, job->length, '\n');
  return NULL;
}

typedef struct
{
  GThreadFunc  func;
  char        *items;
  gsize        item_size;
  guint        n_items;
  gint         next;
} WorkQueue;

static gpointer
work_queue_run (gpointer data)
{
  WorkQueue *queue = data;
  guint i;

  while ((i = (guint) g_atomic_int_add (&queue->next, 1)) < queue->n_items)
    queue->func (queue->items + i * queue->item_size);
  return NULL;
}

/* Runs @func on each of @n_items items on @n_workers threads, the calling
 * one among them, each taking the next item when done with one: a thread
 * slowed by other work on its core takes fewer items instead of holding
 * the others up, which with one item per thread it did (on a shared
 * 2-core machine a load took twice as long while a build ran). */
static void
run_work_queue (GThreadFunc func,
                gpointer    items,
                gsize       item_size,
                guint       n_items,
                guint       n_workers)
{
  WorkQueue queue = { func, items, item_size, n_items, 0 };
  GThread *threads[MAX_CHUNKS] = { NULL };

  n_workers = CLAMP (n_workers, 1, MIN (n_items, MAX_CHUNKS));
  for (guint i = 1; i < n_workers; i++)
    threads[i] = g_thread_new ("ts-load", work_queue_run, &queue);
  work_queue_run (&queue);
  for (guint i = 1; i < n_workers; i++)
    g_thread_join (threads[i]);
}

/* From @pos, where the quote parity is @inside_quotes, finds the start of
 * the next line that begins outside quotes; counts the newlines passed. */
static gsize
next_record_boundary (const char *data,
                      gsize       length,
                      gsize       pos,
                      gboolean    inside_quotes,
                      gsize      *newlines_passed)
{
  *newlines_passed = 0;
  for (; pos < length; pos++)
    {
      if (data[pos] == '"')
        inside_quotes = !inside_quotes;
      else if (data[pos] == '\n')
        {
          (*newlines_passed)++;
          if (!inside_quotes)
            return pos + 1;
        }
    }
  return length;
}

/* Cuts the body into @n_chunks ranges that start at record boundaries:
 * a newline outside quotes, known from the parity of the quotes before
 * it. Fills starts[0..n_chunks] and the line each range starts on. */
static void
split_body (const char *body,
            gsize       length,
            guint       first_line,
            guint       n_chunks,
            guint       n_workers,
            gsize      *starts,
            guint      *lines,
            gsize      *newlines)
{
  CountJob jobs[MAX_CHUNKS];
  gsize quotes_before = 0, newlines_before = 0;

  for (guint i = 0; i < n_chunks; i++)
    {
      gsize begin = length / n_chunks * i;
      gsize end = i + 1 == n_chunks ? length : length / n_chunks * (i + 1);

      jobs[i] = (CountJob) { body + begin, end - begin, 0, 0 };
    }
  run_work_queue (count_quotes_and_newlines, jobs, sizeof *jobs, n_chunks, n_workers);

  starts[0] = 0;
  lines[0] = first_line;
  for (guint i = 1; i < n_chunks; i++)
    {
      gsize raw = (gsize) (jobs[i].data - body);
      gsize passed;

      quotes_before += jobs[i - 1].quotes;
      newlines_before += jobs[i - 1].newlines;
      starts[i] = next_record_boundary (body, length, raw, quotes_before % 2 == 1, &passed);
      /* A long quoted field may push a boundary past the next one. */
      if (starts[i] < starts[i - 1])
        starts[i] = starts[i - 1];
      lines[i] = first_line + (guint) (newlines_before + passed);
      if (lines[i] < lines[i - 1])
        lines[i] = lines[i - 1];
    }
  starts[n_chunks] = length;
  lines[n_chunks] = first_line + (guint) (newlines_before + jobs[n_chunks - 1].newlines);
  for (guint i = 0; i < n_chunks; i++)
    newlines[i] = lines[i + 1] - lines[i];
}

/* Storage */

/* What a row takes in the per-row arrays. */
#define ROW_BYTES (TS_N_COLUMNS * sizeof (double) + 2 * sizeof (const char *) + \
                   4 * sizeof (guint32) + sizeof (guint16))

/* A block for what a load writes once into fresh memory: aligned for
 * huge pages and marked for them, so that where the kernel has
 * transparent huge pages ("madvise" or "always") its first touch costs a
 * page fault per 2 MiB instead of one per 4 KiB; elsewhere the advice is
 * ignored. A block smaller than a huge page gains nothing from that
 * alignment, which costs a mapping of its own (under AddressSanitizer,
 * most of the time of a small file's load). Free with g_aligned_free(). */
static char *
alloc_huge (gsize bytes)
{
  gsize alignment = bytes >= HUGE_PAGE_BYTES ? HUGE_PAGE_BYTES : 64;
  char *block = g_aligned_alloc (1, MAX (bytes, 1), alignment);

#ifdef MADV_HUGEPAGE
  if (bytes >= HUGE_PAGE_BYTES)
    madvise (block, bytes / HUGE_PAGE_BYTES * HUGE_PAGE_BYTES, MADV_HUGEPAGE);
#endif
  return block;
}

/* Carves @n bytes, aligned for @align, out of @block at *@offset. */
static gpointer
carve (char  *block,
       gsize *offset,
       gsize  n,
       gsize  align)
{
  gpointer view;

  *offset = (*offset + align - 1) / align * align;
  view = block + *offset;
  *offset += n;
  return view;
}

/* The per-row arrays are views into one huge-page block. A load writes
 * about 150 bytes a row into fresh memory, and the first touch of each
 * 4 KiB page is a page fault: on a 170k-row file those were 6,500 of a
 * load's 9,400 faults, a sixth of its time (perf). */
static void
allocate_rows (TsDataset *self,
               gsize      n_slots)
{
  gsize stride = MAX (n_slots, 1);
  gsize bytes = stride * ROW_BYTES + 64;
  gsize offset = 0;
  char *block = alloc_huge (bytes);

  self->row_block = block;
  self->stride = stride;
  /* Widest first; nothing here needs zeroing, every used slot is written. */
  self->columns = carve (block, &offset, stride * TS_N_COLUMNS * sizeof (double), sizeof (double));
  self->ids = carve (block, &offset, stride * sizeof (const char *), sizeof (const char *));
  self->names = carve (block, &offset, stride * sizeof (const char *), sizeof (const char *));
  self->release_dates = carve (block, &offset, stride * sizeof (guint32), sizeof (guint32));
  self->labels = carve (block, &offset, stride * sizeof (gint32), sizeof (gint32));
  self->albums = carve (block, &offset, stride * sizeof (gint32), sizeof (gint32));
  self->artist_first = carve (block, &offset, stride * sizeof (guint32), sizeof (guint32));
  self->artist_count = carve (block, &offset, stride * sizeof (guint16), sizeof (guint16));
  g_assert (offset <= bytes);
}

/* Closes the gaps chunks left: slots are per line, rows are fewer. */
static void
move_rows (TsDataset *self,
           guint      to,
           guint      from,
           guint      n)
{
  if (to == from || n == 0)
    return;
  for (guint col = 0; col < TS_N_COLUMNS; col++)
    memmove (_ts_dataset_column (self, col) + to, _ts_dataset_column (self, col) + from,
             n * sizeof (double));
  memmove (self->ids + to, self->ids + from, n * sizeof *self->ids);
  memmove (self->names + to, self->names + from, n * sizeof *self->names);
  memmove (self->release_dates + to, self->release_dates + from, n * sizeof *self->release_dates);
  memmove (self->labels + to, self->labels + from, n * sizeof *self->labels);
  memmove (self->albums + to, self->albums + from, n * sizeof *self->albums);
  memmove (self->artist_first + to, self->artist_first + from, n * sizeof *self->artist_first);
  memmove (self->artist_count + to, self->artist_count + from, n * sizeof *self->artist_count);
}

/* Interns a chunk's local names into @pool; returns local -> global. */
static guint32 *
remap_names (TsNamePool *pool,
             TsNamePool *local)
{
  guint32 *map = g_new (guint32, MAX (local->names->len, 1));

  for (guint i = 0; i < local->names->len; i++)
    {
      const char *name = g_ptr_array_index (local->names, i);

      map[i] = _ts_name_pool_intern (pool, name, strlen (name));
    }
  return map;
}

/* The chunk's albums into the dataset's; returns local -> global. */
static guint32 *
merge_albums (TsDataset *self,
              Chunk     *chunk)
{
  guint32 *map = remap_names (&self->albums_by_id, &chunk->albums);

  for (guint i = 0; i < chunk->albums.names->len; i++)
    if (map[i] == self->album_names->len)
      g_ptr_array_add (self->album_names, g_ptr_array_index (chunk->album_names, i));
  return map;
}

/* Each artist keeps the first Spotify id any chunk saw for it. */
static void
merge_artist_ids (TsDataset     *self,
                  Chunk         *chunk,
                  const guint32 *artist_map)
{
  if (chunk->artist_ids == NULL)
    return;
  if (self->artist_ids == NULL)
    self->artist_ids = g_ptr_array_new ();
  g_ptr_array_set_size (self->artist_ids, self->artists.names->len);
  for (guint i = 0; i < chunk->artist_ids->len; i++)
    {
      gpointer id = g_ptr_array_index (chunk->artist_ids, i);

      if (id != NULL && g_ptr_array_index (self->artist_ids, artist_map[i]) == NULL)
        g_ptr_array_index (self->artist_ids, artist_map[i]) = id;
    }
}

/* Moves the chunks' rows together and their names into the dataset's
 * pools, in file order, so ids do not depend on the thread count. */
static void
merge_chunks (TsDataset   *self,
              Chunk       *chunks,
              guint        n_chunks,
              TsCsvIssues *issues)
{
  gsize total_refs = 0;
  guint row = 0;
  guint32 ref_base = 0;

  for (guint i = 0; i < n_chunks; i++)
    total_refs += chunks[i].artist_refs->len;
  self->artist_refs = g_new (guint32, MAX (total_refs, 1));

  for (guint i = 0; i < n_chunks; i++)
    {
      Chunk *chunk = &chunks[i];
      g_autofree guint32 *artist_map = remap_names (&self->artists, &chunk->artists);
      g_autofree guint32 *label_map = remap_names (&self->genres, &chunk->labels);
      g_autofree guint32 *album_map = merge_albums (self, chunk);
      const guint32 *refs = (const guint32 *) (gpointer) chunk->artist_refs->data;

      merge_artist_ids (self, chunk, artist_map);
      move_rows (self, row, chunk->first_slot, chunk->n_rows);
      for (guint r = row; r < row + chunk->n_rows; r++)
        {
          self->artist_first[r] += ref_base;
          if (self->labels[r] >= 0)
            self->labels[r] = (gint32) label_map[self->labels[r]];
          if (self->albums[r] >= 0)
            self->albums[r] = (gint32) album_map[self->albums[r]];
        }
      for (guint k = 0; k < chunk->artist_refs->len; k++)
        self->artist_refs[ref_base + k] = artist_map[refs[k]];

      for (guint f = 0; chunk->n_rows > 0 && f < TS_N_FEATURES; f++)
        {
          if (row == 0 || chunk->min[f] < self->feature_min[f])
            self->feature_min[f] = chunk->min[f];
          if (row == 0 || chunk->max[f] > self->feature_max[f])
            self->feature_max[f] = chunk->max[f];
        }
      ref_base += chunk->artist_refs->len;
      row += chunk->n_rows;
      g_ptr_array_add (self->string_chunks, g_steal_pointer (&chunk->strings));
      g_ptr_array_add (self->string_blocks, g_steal_pointer (&chunk->block));
      ts_csv_issues_merge (issues, &chunk->issues);
    }
  self->n_rows = row;
}

static void
chunk_clear (Chunk *chunk)
{
  g_clear_pointer (&chunk->strings, g_string_chunk_free);
  g_clear_pointer (&chunk->block, g_aligned_free);
  _ts_name_pool_clear (&chunk->artists);
  _ts_name_pool_clear (&chunk->labels);
  _ts_name_pool_clear (&chunk->albums);
  g_clear_pointer (&chunk->album_names, g_ptr_array_unref);
  g_clear_pointer (&chunk->artist_ids, g_ptr_array_unref);
  g_clear_pointer (&chunk->artist_refs, g_array_unref);
  if (chunk->scratch != NULL)
    g_string_free (g_steal_pointer (&chunk->scratch), TRUE);
  ts_csv_issues_clear (&chunk->issues);
}

static guint
choose_thread_count (const TsDatasetLoadOptions *options)
{
  return options && options->n_threads ? options->n_threads : g_get_num_processors ();
}

/* Several chunks a thread, for the threads to share out (run_work_queue). */
static guint
choose_chunk_count (gsize                       length,
                    const TsDatasetLoadOptions *options)
{
  gsize min_bytes = options && options->min_chunk_bytes ? options->min_chunk_bytes
                                                        : DEFAULT_MIN_CHUNK_BYTES;
  gsize by_size = length / min_bytes;

  return (guint) CLAMP (MIN ((gsize) choose_thread_count (options) * CHUNKS_PER_THREAD, by_size),
                        1, MAX_CHUNKS);
}

typedef enum
{
  PARSE_DONE,
  PARSE_START_OVER,    /* on one thread: see parse_body () */
  PARSE_TOO_MANY_ROWS,
} ParseOutcome;

/* Parses the body in n_chunks chunks on n_workers threads. Each chunk
 * has a row slot per newline, and the last one more (the file may not
 * end with a newline); a body with more newlines than max_rows is
 * refused before any slot is allocated (PARSE_TOO_MANY_ROWS, the count
 * in @n_lines).
 * with no slot to spare between chunks, their rows need no moving
 * together, which on a 170k-row file was 13 MB of memmove on one thread.
 * Returns PARSE_START_OVER, with nothing merged, if a chunk ran out of slots: only
 * lone carriage returns make more records than lines, and one chunk,
 * which has a slot to spare, reads such a file as one thread would.
 * The same when a chunk met a record libcsv could not read (a stray or
 * unterminated quote): the cuts were made by counting quotes, which such
 * a record throws off, so a later chunk may start inside a record that
 * one pass reads whole; one chunk reads the file as one pass does (the
 * fuzzer found such a file, tests/fuzz/corpus/dataset/crash-*). Where
 * every record reads, each chunk ends on a record's end, so the next
 * starts where one pass would be. */
static ParseOutcome
parse_body (TsDataset      *self,
            const Layout   *layout,
            const char     *filename,
            const char     *body,
            gsize           length,
            guint           first_line,
            guint           n_chunks,
            guint           n_workers,
            TsProgressFunc  progress,
            gpointer        progress_data,
            GCancellable   *cancellable,
            TsCsvIssues    *issues,
            gsize          *n_lines)
{
  gsize starts[MAX_CHUNKS + 1];
  guint lines[MAX_CHUNKS + 1];
  gsize newlines[MAX_CHUNKS];
  Chunk chunks[MAX_CHUNKS];
  gsize slots = 0, total_slots;
  gint rows_done = 0;
  gboolean start_over = FALSE;

  split_body (body, length, first_line, n_chunks, n_workers, starts, lines, newlines);
  for (guint i = 0; i < n_chunks; i++)
    slots += newlines[i];
  *n_lines = slots;
  if (slots > (gsize) g_atomic_int_get (&max_rows))
    return PARSE_TOO_MANY_ROWS;
  total_slots = slots + 1;
  allocate_rows (self, total_slots);

  slots = 0;
  for (guint i = 0; i < n_chunks; i++)
    {
      Chunk *chunk = &chunks[i];

      memset (chunk, 0, sizeof *chunk);
      chunk->dataset = self;
      chunk->layout = layout;
      chunk->filename = filename;
      chunk->data = body + starts[i];
      chunk->length = starts[i + 1] - starts[i];
      chunk->first_line = lines[i];
      chunk->first_slot = (guint) slots;
      chunk->tight = i + 1 < n_chunks;
      chunk->n_slots = (guint) newlines[i] + !chunk->tight;
      chunk->block_size = chunk->length + 1;
      chunk->block = alloc_huge (chunk->block_size);
      chunk->strings = g_string_chunk_new (4096);
      _ts_name_pool_init (&chunk->artists);
      _ts_name_pool_init (&chunk->labels);
      _ts_name_pool_init (&chunk->albums);
      chunk->album_names = g_ptr_array_new ();
      if (layout->column_of_field[FIELD_ARTIST_IDS] >= 0)
        chunk->artist_ids = g_ptr_array_new ();
      chunk->artist_refs = g_array_sized_new (FALSE, FALSE, sizeof (guint32), chunk->n_slots * 2);
      chunk->scratch = g_string_new (NULL);
      ts_csv_issues_init (&chunk->issues);
      chunk->cancellable = cancellable;
      chunk->rows_done = &rows_done;
      chunk->total_slots = (guint) total_slots;
      chunk->reporter = g_thread_self ();
      chunk->progress = progress;
      chunk->progress_data = progress_data;
      slots += chunk->n_slots;
    }

  run_work_queue (parse_chunk, chunks, sizeof *chunks, n_chunks, n_workers);

  for (guint i = 0; i < n_chunks; i++)
    start_over |= chunks[i].out_of_slots ||
                  (n_chunks > 1 && chunks[i].issues.n_unreadable > 0);
  if (!start_over)
    merge_chunks (self, chunks, n_chunks, issues);
  for (guint i = 0; i < n_chunks; i++)
    chunk_clear (&chunks[i]);
  return start_over ? PARSE_START_OVER : PARSE_DONE;
}

/* The whole file */

gboolean
_ts_dataset_check_size (guint64      size,
                        const char  *filename,
                        GError     **error)
{
  return ts_error_check_file_size (size, TS_DATASET_MAX_FILE_BYTES, filename, "reads", error);
}

static gboolean
check_is_text (const char  *data,
               gsize        length,
               const char  *filename,
               GError     **error)
{
  if (length == 0)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT, "%s: the file is empty", filename);
      return FALSE;
    }
  if (!_ts_dataset_check_size (length, filename, error))
    return FALSE;
  if (memchr (data, '\0', MIN (length, BINARY_SNIFF_BYTES)) != NULL)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                   "%s: not a CSV file (it holds binary data)", filename);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_blank_text (const char *data,
               gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;
  return TRUE;
}

/* The header usually takes one line, but a quoted name may hold more. */
static guint
count_lines (const char *data,
             gsize       length)
{
  guint n = 0;

  for (gsize i = 0; i < length; i++)
    n += data[i] == '\n';
  return n;
}

gboolean
_ts_dataset_load_main_file (TsDataset                  *self,
                            const char                 *data,
                            gsize                       length,
                            const char                 *filename,
                            const TsDatasetLoadOptions *options,
                            TsProgressFunc              progress,
                            gpointer                    progress_data,
                            GCancellable               *cancellable,
                            GError                    **error)
{
  g_auto(GStrv) header = NULL;
  Layout layout;
  TsCsvIssues issues;
  gsize header_end = 0;
  const char *body;
  gsize body_length;
  guint body_line;
  ParseOutcome outcome;
  gsize n_lines = 0;
  gboolean ok;

  if (!check_is_text (data, length, filename, error))
    return FALSE;
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    data += 3, length -= 3;
  if (is_blank_text (data, length))
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT, "%s: the file is empty", filename);
      return FALSE;
    }

  header = ts_csv_parse_header (data, length, &header_end);
  if (header == NULL)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT, "%s:1: cannot read the header line",
                   filename);
      return FALSE;
    }
  if (!layout_init (&layout, header, filename, error))
    {
      layout_clear (&layout);
      return FALSE;
    }

  self->schema = layout.schema;
  self->feature_mask = layout_feature_mask (&layout);
  self->columns_found = layout_columns_found (&layout, header);
  ts_csv_issues_init (&issues);
  body = data + header_end;
  body_length = length - header_end;
  body_line = count_lines (data, header_end) + 1;
  outcome = parse_body (self, &layout, filename, body, body_length, body_line,
                        choose_chunk_count (body_length, options), choose_thread_count (options),
                        progress, progress_data, cancellable, &issues, &n_lines);
  if (outcome == PARSE_START_OVER)
    {
      g_clear_pointer (&self->row_block, g_aligned_free);
      parse_body (self, &layout, filename, body, body_length, body_line, 1, 1, progress,
                  progress_data, cancellable, &issues, &n_lines);
    }
  ok = !g_cancellable_is_cancelled (cancellable);
  layout_clear (&layout);
  if (outcome == PARSE_TOO_MANY_ROWS)
    {
      ts_csv_issues_clear (&issues);
      return ts_error_set_invalid (error, "%s: too many rows (%" G_GSIZE_FORMAT " lines; "
                                   "Tunescope reads up to %d songs)", filename, n_lines,
                                   g_atomic_int_get (&max_rows));
    }

  self->n_skipped = issues.count;
  self->skipped_reasons = ts_csv_issues_format (&issues, filename);
  ts_csv_issues_clear (&issues);

  if (!ok)
    return !g_cancellable_set_error_if_cancelled (cancellable, error);
  if (self->n_rows == 0)
    {
      if (self->n_skipped > 0)
        g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                     "%s: no valid tracks (%u rows skipped; the first: %s)", filename,
                     self->n_skipped, self->skipped_reasons[0]);
      else
        g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT, "%s: the file holds no tracks",
                     filename);
      return FALSE;
    }
  return TRUE;
}
