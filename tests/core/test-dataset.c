/* test-dataset.c: loading, bad input, companions, duplicates and search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "tunescope-core.h"
#include "ts-csv.h"
#include "ts-dataset-private.h"
#include "ts-test-util.h"

#define HEADER "valence,year,acousticness,artists,danceability,duration_ms,energy,explicit,id," \
               "instrumentalness,key,liveness,loudness,mode,name,popularity,release_date," \
               "speechiness,tempo\n"
#define ROW_RACHMANINOFF "0.0594,1921,0.982,\"['Sergei Rachmaninoff', 'James Levine', " \
                         "'Berliner Philharmoniker']\",0.279,831667,0.211,0," \
                         "4BJqT0PrAfrxzMOxytFOIz,0.878,10,0.665,-20.096,1,\"Piano Concerto No. 3 " \
                         "in D Minor, Op. 30: III. Finale. Alla breve\",4,1921,0.0366,80.954\n"
#define ROW_DENNIS "0.963,1921,0.732,['Dennis Day'],0.8190000000000001,180533,0.341,0," \
                   "7xPhfUan2yNtyFG0cUWkt8,0.0,7,0.16,-12.441,1,Clancy Lowered the Boom,5,1921," \
                   "0.415,60.93600000000001\n"

/* A row with the given id, name, artists literal, year and popularity;
 * the other features fixed. */
static char *
make_row (const char *id,
          const char *name,
          const char *artists,
          int         year,
          int         popularity)
{
  return g_strdup_printf ("0.5,%d,0.25,\"%s\",0.75,200000,0.5,0,%s,0.0,5,0.1,-8.5,1,\"%s\",%d,%d,"
                          "0.05,120.0\n", year, artists, id, name, popularity, year);
}

static TsDataset *
load_text (const char  *text,
           gssize       length,
           GError     **error)
{
  g_autofree char *path = ts_test_write_temp ("data.csv", text, length);

  return ts_dataset_load (path, NULL, NULL, NULL, NULL, error);
}

static TsDataset *
load_text_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  TsDataset *ds = load_text (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ds);
  return ds;
}

static void
test_basic (void)
{
  g_autoptr(TsDataset) ds = load_text_ok (HEADER ROW_RACHMANINOFF ROW_DENNIS);
  const guint32 *artists;
  int min_year, max_year;

  g_assert_cmpuint (ts_dataset_get_n_rows (ds), ==, 2);
  g_assert_cmpuint (ts_dataset_get_n_skipped (ds), ==, 0);
  g_assert_cmpint (ts_dataset_get_schema (ds), ==, TS_DATASET_SCHEMA_KAGGLE);
  g_assert_cmpuint (g_strv_length ((char **) ts_dataset_get_columns (ds)), ==, 19);
  g_assert_cmpstr (ts_dataset_get_id (ds, 0), ==, "4BJqT0PrAfrxzMOxytFOIz");
  g_assert_cmpstr (ts_dataset_get_name (ds, 0), ==,
                   "Piano Concerto No. 3 in D Minor, Op. 30: III. Finale. Alla breve");
  g_assert_cmpuint (ts_dataset_get_artists (ds, 0, &artists), ==, 3);
  g_assert_cmpstr (ts_dataset_get_artist_name (ds, artists[1]), ==, "James Levine");
  g_assert_cmpfloat (ts_dataset_get_column (ds, TS_FEATURE_DANCEABILITY)[1], ==, 0.8190000000000001);
  g_assert_cmpfloat (ts_dataset_get_column (ds, TS_FEATURE_TEMPO)[1], ==, 60.93600000000001);
  g_assert_cmpfloat (ts_dataset_get_column (ds, TS_FEATURE_LOUDNESS)[0], ==, -20.096);
  g_assert_cmpfloat (ts_dataset_get_column (ds, TS_FEATURE_DURATION_MS)[0], ==, 831667);
  g_assert_cmpfloat (ts_dataset_get_column (ds, TS_COLUMN_MODE)[0], ==, 1);
  g_assert_cmpuint (ts_dataset_get_release_date (ds, 0), ==, 19210000);
  ts_dataset_get_year_range (ds, &min_year, &max_year);
  g_assert_cmpint (min_year, ==, 1921);
  g_assert_cmpint (max_year, ==, 1921);
  g_assert_cmpint (ts_dataset_lookup_id (ds, "7xPhfUan2yNtyFG0cUWkt8"), ==, 1);
  g_assert_cmpint (ts_dataset_lookup_id (ds, "nope"), ==, -1);
  g_assert_cmpint (ts_dataset_lookup_artist (ds, "Dennis Day"), >=, 0);
}

static void
assert_same_two_rows (TsDataset *ds)
{
  g_autofree char *label = NULL;

  g_assert_cmpuint (ts_dataset_get_n_rows (ds), ==, 2);
  g_assert_cmpuint (ts_dataset_get_n_skipped (ds), ==, 0);
  g_assert_cmpstr (ts_dataset_get_id (ds, 1), ==, "7xPhfUan2yNtyFG0cUWkt8");
  g_assert_cmpstr (ts_dataset_get_name (ds, 1), ==, "Clancy Lowered the Boom");
  g_assert_cmpfloat (ts_dataset_get_column (ds, TS_FEATURE_TEMPO)[1], ==, 60.93600000000001);
  label = ts_dataset_dup_artists_label (ds, 0);
  g_assert_cmpstr (label, ==, "Sergei Rachmaninoff, James Levine, Berliner Philharmoniker");
}

static void
test_bom_crlf (void)
{
  g_autofree char *crlf = NULL;
  g_auto(GStrv) lines = g_strsplit ("\xEF\xBB\xBF" HEADER ROW_RACHMANINOFF ROW_DENNIS, "\n", -1);
  g_autoptr(TsDataset) ds = NULL;

  crlf = g_strjoinv ("\r\n", lines);
  ds = load_text_ok (crlf);
  assert_same_two_rows (ds);
  g_assert_cmpstr (ts_dataset_get_columns (ds)[0], ==, "valence");
}

/* Columns in another order, an unknown one among them, and upper case. */
static void
test_reordered_columns (void)
{
  const char *text =
    "ID,name,extra,artists,tempo,speechiness,release_date,popularity,mode,loudness,liveness,key,"
    "instrumentalness,explicit,energy,duration_ms,danceability,acousticness,year,valence\n"
    "4BJqT0PrAfrxzMOxytFOIz,\"Piano Concerto No. 3 in D Minor, Op. 30: III. Finale. Alla breve\","
    "ignored,\"['Sergei Rachmaninoff', 'James Levine', 'Berliner Philharmoniker']\",80.954,0.0366,"
    "1921,4,1,-20.096,0.665,10,0.878,0,0.211,831667,0.279,0.982,1921,0.0594\n"
    "7xPhfUan2yNtyFG0cUWkt8,Clancy Lowered the Boom,\"x,y\",['Dennis Day'],60.93600000000001,0.415,"
    "1921,5,1,-12.441,0.16,7,0.0,0,0.341,180533,0.8190000000000001,0.732,1921,0.963\n";
  g_autoptr(TsDataset) ds = load_text_ok (text);

  assert_same_two_rows (ds);
  g_assert_cmpfloat (ts_dataset_get_column (ds, TS_FEATURE_VALENCE)[0], ==, 0.0594);
}

static void
test_quoted_fields (void)
{
  const char *text =
    HEADER
    "0.5,1990,0.2,\"[\"\"Guns N' Roses\"\"]\",0.5,300000,0.9,1,id1,0,4,0.1,-5,1,"
    "\"Sweet Child O' Mine, \"\"Live\"\"\",80,1990-05,0.05,125\n"
    "0.5,1990,0.2,\"['A', \"\"B's\"\"]\",0.5,300000,0.9,0,id2,0,4,0.1,-5,0,"
    "\"Two\nLines\",10,1990-05-17,0.05,125\n"
    "oops,1990,0.2,['A'],0.5,300000,0.9,0,id3,0,4,0.1,-5,0,Bad,10,1990,0.05,125\n";
  g_autoptr(TsDataset) ds = load_text_ok (text);
  const guint32 *artists;

  g_assert_cmpuint (ts_dataset_get_n_rows (ds), ==, 2);
  g_assert_cmpstr (ts_dataset_get_name (ds, 0), ==, "Sweet Child O' Mine, \"Live\"");
  g_assert_cmpuint (ts_dataset_get_artists (ds, 0, &artists), ==, 1);
  g_assert_cmpstr (ts_dataset_get_artist_name (ds, artists[0]), ==, "Guns N' Roses");
  g_assert_cmpuint (ts_dataset_get_artists (ds, 1, &artists), ==, 2);
  g_assert_cmpstr (ts_dataset_get_artist_name (ds, artists[1]), ==, "B's");
  g_assert_cmpstr (ts_dataset_get_name (ds, 1), ==, "Two\nLines");
  g_assert_cmpuint (ts_dataset_get_release_date (ds, 0), ==, 19900500);
  g_assert_cmpuint (ts_dataset_get_release_date (ds, 1), ==, 19900517);
  /* The bad row is on line 5: the quoted newline took a line. */
  g_assert_cmpuint (ts_dataset_get_n_skipped (ds), ==, 1);
  g_assert_cmpstr (ts_dataset_get_skipped_reasons (ds)[0], ==,
                   "data.csv:5: valence is not a number: 'oops'");
}

static void
test_unicode (void)
{
  g_autofree char *row1 = make_row ("u1", "Halo – Déjà vu", "['Beyoncé', 'Sigur Rós']", 2008, 70);
  g_autofree char *row2 = make_row ("u2", "夜に駆ける", "['YOASOBI']", 2019, 75);
  g_autofree char *text = g_strconcat (HEADER, row1, row2, NULL);
  g_autoptr(TsDataset) ds = load_text_ok (text);
  const guint32 *artists;

  g_assert_cmpuint (ts_dataset_get_n_rows (ds), ==, 2);
  g_assert_cmpstr (ts_dataset_get_name (ds, 0), ==, "Halo – Déjà vu");
  g_assert_cmpstr (ts_dataset_get_name (ds, 1), ==, "夜に駆ける");
  ts_dataset_get_artists (ds, 0, &artists);
  g_assert_cmpstr (ts_dataset_get_artist_name (ds, artists[0]), ==, "Beyoncé");
}

typedef struct
{
  const char *name;
  const char *row;        /* replaces the second of three rows */
  const char *reason;     /* expected after "data.csv:3: " */
} BadRow;

static const BadRow bad_rows[] = {
  { "too-few-fields", "0.5,1990\n", "expected 19 fields, found 2" },
  { "too-many-fields", "0.5,1990,0.2,['A'],0.5,300000,0.9,0,x,0,4,0.1,-5,1,N,10,1990,0.05,125,9\n",
    "expected 19 fields, found 20" },
  { "not-a-number", "0.5,1990,0.2,['A'],high,300000,0.9,0,x,0,4,0.1,-5,1,N,10,1990,0.05,125\n",
    "danceability is not a number: 'high'" },
  { "empty-number", "0.5,1990,0.2,['A'],0.5,,0.9,0,x,0,4,0.1,-5,1,N,10,1990,0.05,125\n",
    "duration_ms is not a number: ''" },
  { "nan", "0.5,1990,0.2,['A'],0.5,300000,NaN,0,x,0,4,0.1,-5,1,N,10,1990,0.05,125\n",
    "energy is not a number: 'NaN'" },
  { "out-of-range", "1.5,1990,0.2,['A'],0.5,300000,0.9,0,x,0,4,0.1,-5,1,N,10,1990,0.05,125\n",
    "valence 1.5 is out of range" },
  { "key-out-of-range", "0.5,1990,0.2,['A'],0.5,300000,0.9,0,x,0,12,0.1,-5,1,N,10,1990,0.05,125\n",
    "key 12 is out of range" },
  { "explicit-not-boolean", "0.5,1990,0.2,['A'],0.5,300000,0.9,2,x,0,4,0.1,-5,1,N,10,1990,0.05,125\n",
    "explicit 2 is out of range" },
  { "bad-date", "0.5,1990,0.2,['A'],0.5,300000,0.9,0,x,0,4,0.1,-5,1,N,10,1990/05/01,0.05,125\n",
    "release_date '1990/05/01' is not YYYY, YYYY-MM or YYYY-MM-DD" },
  { "bad-artists", "0.5,1990,0.2,Just A Name,0.5,300000,0.9,0,x,0,4,0.1,-5,1,N,10,1990,0.05,125\n",
    "artists is not a list of quoted names: 'Just A Name'" },
  { "stray-quote", "0.5,1990,0.2,['A'],0.5,300000,0.9,0,x,0,4,0.1,-5,1,N\"ame,10,1990,0.05,125\n",
    "malformed quoting (a stray or unescaped '\"')" },
  { "unterminated-quote", "0.5,1990,0.2,['A'],0.5,300000,0.9,0,x,0,4,0.1,-5,1,\"Name,10,1990\n",
    "unterminated quote" },
  { "invalid-utf8", "0.5,1990,0.2,['A'],0.5,300000,0.9,0,x,0,4,0.1,-5,1,Caf\xe9,10,1990,0.05,125\n",
    "invalid UTF-8 in name" },
  { "invalid-utf8-artist", "0.5,1990,0.2,['\xff'],0.5,300000,0.9,0,x,0,4,0.1,-5,1,N,10,1990,0.05,"
    "125\n", "invalid UTF-8 in artists" },
  { "long-excerpt", "0.5,1990,0.2,['A'],0.5,300000,0.9,0,x,0,4,0.1,-5,1,N,10,1990,0.05,"
    "ééééééééééééééééééééééééééééééééééééééééééééééé\n",
    "tempo is not a number: 'éééééééééééééééééééééééééééééééééééééééé…'" },
};

static void
test_bad_row (gconstpointer data)
{
  const BadRow *bad = data;
  g_autofree char *first = make_row ("good1", "First", "['A']", 1990, 10);
  g_autofree char *last = make_row ("good2", "Last", "['B']", 1991, 20);
  g_autofree char *text = g_strconcat (HEADER, first, bad->row, last, NULL);
  g_autoptr(TsDataset) ds = load_text_ok (text);
  g_autofree char *expected = g_strdup_printf ("data.csv:3: %s", bad->reason);

  g_assert_cmpuint (ts_dataset_get_n_rows (ds), ==, 2);
  g_assert_cmpuint (ts_dataset_get_n_skipped (ds), ==, 1);
  g_assert_cmpstr (ts_dataset_get_skipped_reasons (ds)[0], ==, expected);
  g_assert_cmpstr (ts_dataset_get_id (ds, 0), ==, "good1");
  g_assert_cmpstr (ts_dataset_get_id (ds, 1), ==, "good2");
}

static void
test_many_bad_rows_report_first (void)
{
  g_autoptr(GString) text = g_string_new (HEADER);
  g_autoptr(TsDataset) ds = NULL;
  const char * const *reasons;

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *row = make_row ("ok", "Fine", "['A']", 2000, 1);

      g_string_append (text, i % 2 ? row : "broken,row\n");
    }
  ds = load_text_ok (text->str);
  reasons = ts_dataset_get_skipped_reasons (ds);
  g_assert_cmpuint (ts_dataset_get_n_rows (ds), ==, 25);
  g_assert_cmpuint (ts_dataset_get_n_skipped (ds), ==, 25);
  g_assert_cmpuint (g_strv_length ((char **) reasons), ==, TS_DATASET_MAX_REASONS);
  g_assert_cmpstr (reasons[0], ==, "data.csv:2: expected 19 fields, found 2");
  g_assert_cmpstr (reasons[1], ==, "data.csv:4: expected 19 fields, found 2");
}

typedef struct
{
  const char *name;
  const char *contents;
  gssize      length;
  const char *message_part;
} Refused;

static const Refused refused_files[] = {
  { "empty", "", 0, "data.csv: the file is empty" },
  { "bom-only", "\xEF\xBB\xBF", 3, "data.csv: the file is empty" },
  { "blank", "\n\n  \r\n", -1, "data.csv: the file is empty" },
  { "binary", "PK\x03\x04\0\0\x14\0binary", 14, "data.csv: not a CSV file (it holds binary data)" },
  { "header-only", HEADER, -1, "data.csv: the file holds no tracks" },
  { "missing-column", "valence,year,artists,id,name\n0.5,1990,['A'],x,N\n", -1,
    "data.csv: not a Spotify audio-feature file: missing columns acousticness, danceability" },
  { "one-missing-column",
    "year,acousticness,artists,danceability,duration_ms,energy,explicit,id,instrumentalness,key,"
    "liveness,loudness,mode,name,popularity,release_date,speechiness,tempo\n", -1,
    "data.csv: not a Spotify audio-feature file: missing column valence" },
  { "semicolons", "valence;year;acousticness;artists\n0.5;1990;0.1;['A']\n", -1,
    "data.csv: the columns are separated by ';'" },
  { "tabs", "valence\tyear\tacousticness\n0.5\t1990\t0.1\n", -1,
    "data.csv: the columns are separated by tabs" },
  { "bad-header-quote", "\"valence,year\n", -1, "data.csv:1: cannot read the header line" },
  { "no-valid-rows", HEADER "1,2,3\n4,5,6\n", -1,
    "data.csv: no valid tracks (2 rows skipped; the first: data.csv:2: expected 19 fields, "
    "found 3)" },
  { "not-utf8-header", "val\xffnce,\xfe\n1,2\n", -1, "data.csv: not a Spotify audio-feature file" },
};

static void
test_refused (gconstpointer data)
{
  const Refused *tc = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsDataset) ds = load_text (tc->contents, tc->length, &error);

  g_assert_null (ds);
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  g_test_message ("message: %s", error->message);
  g_assert_true (g_str_has_prefix (error->message, tc->message_part));
  g_assert_true (ts_error_is_bad_input (error));
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tunescope-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "nowhere.csv", NULL);
  g_autoptr(TsDataset) ds = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);

  g_assert_null (ds);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_true (g_str_has_prefix (error->message, "nowhere.csv: "));
  g_assert_true (ts_error_is_bad_input (error));

  g_clear_error (&error);
  ds = ts_dataset_load (dir, NULL, NULL, NULL, NULL, &error);
  g_assert_null (ds);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR);
  g_rmdir (dir);
}

/* Garbage must end in a clear error or skipped rows, never a crash or a
 * hang: random bytes, one giant line, and odd delimiters. */
static void
test_garbage_never_crashes (void)
{
  GRand *rand = g_rand_new_with_seed (42);
  static const char alphabet[] = "\",\n\r'[]\\ab01.-\xc3\xa9\xff;\t";

  for (guint round = 0; round < 200; round++)
    {
      g_autoptr(GString) text = g_string_new (round % 2 ? HEADER : "");
      g_autoptr(GError) error = NULL;
      g_autoptr(TsDataset) ds = NULL;
      guint length = g_rand_int_range (rand, 0, 4000);

      for (guint i = 0; i < length; i++)
        g_string_append_c (text, alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)]);
      ds = load_text (text->str, (gssize) text->len, &error);
      g_assert_true ((ds == NULL) != (error == NULL));
      if (ds != NULL)
        g_assert_cmpuint (ts_dataset_get_n_rows (ds), >, 0);
    }
  g_rand_free (rand);
}

static void
test_giant_line (void)
{
  g_autoptr(GString) text = g_string_new (HEADER);
  g_autofree char *row = make_row ("after", "After", "['A']", 2000, 1);
  g_autoptr(TsDataset) ds = NULL;

  /* 8 MiB in one quoted field that never closes, then a good row. */
  g_string_append (text, "0.5,1990,0.2,['A'],0.5,300000,0.9,0,x,0,4,0.1,-5,1,\"");
  for (guint i = 0; i < 8 * 1024 * 1024; i++)
    g_string_append_c (text, 'z');
  g_string_append_c (text, '\n');
  g_string_append (text, row);
  ds = load_text_ok (text->str);
  g_assert_cmpuint (ts_dataset_get_n_rows (ds), ==, 1);
  g_assert_cmpstr (ts_dataset_get_id (ds, 0), ==, "after");
  g_assert_cmpuint (ts_dataset_get_n_skipped (ds), ==, 1);
}

/* A file over TS_DATASET_MAX_FILE_BYTES is refused from its size, before
 * a byte is read: a sparse file (a header, then a hole) shows it cheaply. */
static void
test_too_large_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = ts_test_write_temp ("huge.csv", HEADER ROW_DENNIS, -1);
  g_autoptr(TsDataset) ds = NULL;

  g_assert_cmpint (truncate (path, (off_t) TS_DATASET_MAX_FILE_BYTES * 2), ==, 0);
  ds = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_null (ds);
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, "huge.csv: the file is too large "
                   "(2.0\u00a0GiB; Tunescope reads up to 1.0\u00a0GiB)");
  g_assert_true (_ts_dataset_check_size (TS_DATASET_MAX_FILE_BYTES, "x", NULL));
  g_unlink (path);
}

/* More lines than the row cap are refused before a row is allocated;
 * as many as the cap load. The cap is lowered for the test. */
static void
test_too_many_rows (void)
{
  g_autoptr(GString) text = g_string_new (HEADER);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsDataset) ds = NULL;

  for (guint i = 0; i < 5; i++)
    g_string_append (text, ROW_DENNIS);
  _ts_dataset_set_max_rows (5);
  ds = load_text_ok (text->str);
  g_assert_cmpuint (ts_dataset_get_n_rows (ds), ==, 5);
  g_clear_object (&ds);

  g_string_append (text, ROW_DENNIS);
  ds = load_text (text->str, -1, &error);
  _ts_dataset_set_max_rows (TS_DATASET_MAX_ROWS);
  g_assert_null (ds);
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==,
                   "data.csv: too many rows (6 lines; Tunescope reads up to 5 songs)");
}

/* A random file with quoted commas, quotes and newlines, some bad rows. */
static char *
make_random_file (guint n_rows,
                  guint seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  GString *text = g_string_new (HEADER);

  for (guint i = 0; i < n_rows; i++)
    {
      g_autofree char *id = g_strdup_printf ("id%05u", i);
      const char *names[] = { "Plain", "With, comma", "With \"\"quotes\"\"", "Multi\nline",
                              "Crlf\r\nline" };
      const char *name = names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))];
      g_autofree char *row = make_row (id, name, i % 3 ? "['Solo']" : "['Duo A', \"\"B's\"\"]",
                                       1921 + (int) (i % 100), g_rand_int_range (rand, 0, 101));

      g_string_append (text, g_rand_int_range (rand, 0, 50) == 0 ? "short,row\n" : row);
    }
  g_rand_free (rand);
  return g_string_free (text, FALSE);
}

static void
assert_datasets_equal (TsDataset *a,
                       TsDataset *b)
{
  const char * const *ra = ts_dataset_get_skipped_reasons (a);
  const char * const *rb = ts_dataset_get_skipped_reasons (b);

  g_assert_cmpuint (ts_dataset_get_n_rows (a), ==, ts_dataset_get_n_rows (b));
  g_assert_cmpuint (ts_dataset_get_n_skipped (a), ==, ts_dataset_get_n_skipped (b));
  g_assert_cmpuint (ts_dataset_get_n_artists (a), ==, ts_dataset_get_n_artists (b));
  for (guint i = 0; ra[i] || rb[i]; i++)
    g_assert_cmpstr (ra[i], ==, rb[i]);
  for (guint f = 0; f < TS_N_FEATURES; f++)
    {
      double min_a, max_a, min_b, max_b;

      ts_dataset_get_feature_range (a, f, &min_a, &max_a);
      ts_dataset_get_feature_range (b, f, &min_b, &max_b);
      g_assert_cmpmem (&min_a, sizeof min_a, &min_b, sizeof min_b);
      g_assert_cmpmem (&max_a, sizeof max_a, &max_b, sizeof max_b);
    }
  for (guint r = 0; r < ts_dataset_get_n_rows (a); r++)
    {
      g_autofree char *la = ts_dataset_dup_artists_label (a, r);
      g_autofree char *lb = ts_dataset_dup_artists_label (b, r);
      const guint32 *aa, *ab;

      g_assert_cmpstr (ts_dataset_get_id (a, r), ==, ts_dataset_get_id (b, r));
      g_assert_cmpstr (ts_dataset_get_name (a, r), ==, ts_dataset_get_name (b, r));
      g_assert_cmpstr (la, ==, lb);
      g_assert_cmpuint (ts_dataset_get_artists (a, r, &aa), ==, ts_dataset_get_artists (b, r, &ab));
      for (guint k = 0; k < ts_dataset_get_artists (a, r, NULL); k++)
        g_assert_cmpuint (aa[k], ==, ab[k]);
      for (guint c = 0; c < TS_N_COLUMNS; c++)
        g_assert_cmpfloat (ts_dataset_get_column (a, c)[r], ==, ts_dataset_get_column (b, c)[r]);
    }
}

/* @text written to a temporary data.csv (its path in @path) and loaded on
 * one thread: what the chunked loads are held to. */
static TsDataset *
load_on_one_thread (const char  *text,
                    char       **path)
{
  TsDatasetLoadOptions single = { .n_threads = 1 };
  g_autoptr(GError) error = NULL;
  TsDataset *ds;

  *path = ts_test_write_temp ("data.csv", text, -1);
  ds = ts_dataset_load (*path, &single, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return ds;
}

/* @path loaded cut in chunks on 2 to 7 threads gives @reference. */
static void
assert_chunked_loads_equal (const char *path,
                            TsDataset  *reference)
{
  for (guint n_threads = 2; n_threads <= 7; n_threads++)
    {
      TsDatasetLoadOptions chunked = { .n_threads = n_threads, .min_chunk_bytes = 1 };
      g_autoptr(GError) error = NULL;
      g_autoptr(TsDataset) ds = ts_dataset_load (path, &chunked, NULL, NULL, NULL, &error);

      g_assert_no_error (error);
      assert_datasets_equal (reference, ds);
    }
}

/* Splitting across threads changes nothing: rows, order, artist ids,
 * and the line numbers of skipped rows. */
static void
test_chunked_equals_single (void)
{
  g_autofree char *text = make_random_file (3000, 7);
  g_autofree char *path = NULL;
  TsDatasetLoadOptions single = { .n_threads = 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TsDataset) reference = load_on_one_thread (text, &path);

  g_assert_cmpuint (ts_dataset_get_n_skipped (reference), >, 0);

  /* Everything through libcsv gives the same dataset. */
  {
    g_autoptr(TsDataset) libcsv_only = NULL;

    ts_csv_set_plain_line_shortcut (FALSE);
    libcsv_only = ts_dataset_load (path, &single, NULL, NULL, NULL, &error);
    ts_csv_set_plain_line_shortcut (TRUE);
    g_assert_no_error (error);
    assert_datasets_equal (reference, libcsv_only);
  }
  assert_chunked_loads_equal (path, reference);
}

/* Lone carriage returns end records too, so a chunk may hold more records
 * than lines: the load then reads the file as one thread would. */
static void
test_lone_cr_chunked (void)
{
  g_autoptr(GString) text = g_string_new (HEADER);
  g_autofree char *path = NULL;
  g_autoptr(TsDataset) reference = NULL;

  for (guint i = 0; i < 400; i++)
    {
      g_autofree char *id = g_strdup_printf ("cr%04u", i);
      g_autofree char *row = make_row (id, "Song", "['Solo']", 1950, (int) (i % 100));

      /* Every fifth row ends with a lone CR: it shares a line with the next. */
      if (i % 5 == 0)
        row[strlen (row) - 1] = '\r';
      g_string_append (text, row);
    }
  reference = load_on_one_thread (text->str, &path);
  g_assert_cmpuint (ts_dataset_get_n_rows (reference), >, 300);

  assert_chunked_loads_equal (path, reference);
}

/* The chunks are cut by counting quotes, which a stray quote throws off:
 * a chunk could start inside a record that one pass reads whole, and the
 * dataset then depended on the thread count (found by fuzz-dataset,
 * tests/fuzz/corpus/dataset/crash-unbalanced-quote). Such a file is read
 * as one thread would. */
static void
test_unbalanced_quote_chunked (void)
{
  g_autoptr(GString) text = g_string_new (HEADER);
  g_autofree char *path = NULL;
  g_autoptr(TsDataset) reference = NULL;

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *id = g_strdup_printf ("q%04u", i);
      /* Row 120's name spans two lines, as a quoted field may. */
      g_autofree char *row = make_row (id, i == 120 ? "Part 1\nPart 2" : "Song", "['Solo']",
                                       1950, (int) (i % 100));

      /* Row 50 opens a quote that never closes. */
      if (i == 50)
        g_string_append (text, "0.5,1950,0.25,\"['Unterminated],0.75,200000,0.5,0,q0050,0.0,5,"
                               "0.1,-8.5,1,Song,50,1950,0.05,120.0\n");
      else
        g_string_append (text, row);
    }
  reference = load_on_one_thread (text->str, &path);
  g_assert_cmpuint (ts_dataset_get_n_skipped (reference), >, 0);
  g_assert_cmpint (ts_dataset_lookup_id (reference, "q0120"), >=, 0);

  assert_chunked_loads_equal (path, reference);
}

static void
test_german_locale (void)
{
  g_autoptr(TsDataset) ds = NULL;

  if (!ts_test_set_locale ("de_DE.UTF-8"))
    return;
  ds = load_text_ok (HEADER ROW_RACHMANINOFF ROW_DENNIS);
  setlocale (LC_ALL, "C");
  assert_same_two_rows (ds);
  g_assert_cmpfloat (ts_dataset_get_column (ds, TS_FEATURE_VALENCE)[0], ==, 0.0594);
}

static void
test_scaled (void)
{
  g_autofree char *row1 = make_row ("a", "A", "['X']", 1950, 0);
  g_autofree char *row2 = make_row ("b", "B", "['X']", 2000, 50);
  g_autofree char *row3 = make_row ("c", "C", "['X']", 1975, 100);
  g_autofree char *text = g_strconcat (HEADER, row1, row2, row3, NULL);
  g_autoptr(TsDataset) ds = load_text_ok (text);
  const float *scaled = ts_dataset_get_scaled (ds);
  double min, max;

  g_assert_cmpfloat (scaled[0 * TS_N_FEATURES + TS_FEATURE_YEAR], ==, 0.0f);
  g_assert_cmpfloat (scaled[1 * TS_N_FEATURES + TS_FEATURE_YEAR], ==, 1.0f);
  g_assert_cmpfloat (scaled[2 * TS_N_FEATURES + TS_FEATURE_YEAR], ==, 0.5f);
  g_assert_cmpfloat (scaled[2 * TS_N_FEATURES + TS_FEATURE_POPULARITY], ==, 1.0f);
  /* Tempo is the same in every row: scaled to 0, not divided by zero. */
  for (guint r = 0; r < 3; r++)
    g_assert_cmpfloat (scaled[r * TS_N_FEATURES + TS_FEATURE_TEMPO], ==, 0.0f);
  ts_dataset_get_feature_range (ds, TS_FEATURE_YEAR, &min, &max);
  g_assert_cmpfloat (min, ==, 1950);
  g_assert_cmpfloat (max, ==, 2000);
}

/* Companions */

static char *
write_dataset_dir (const char *data_csv)
{
  g_autofree char *path = ts_test_write_temp ("data.csv", data_csv, -1);

  return g_path_get_dirname (path);
}

static void
write_companion (const char *dir,
                 const char *name,
                 const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static TsDataset *
load_dir (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "data.csv", NULL);
  g_autoptr(GError) error = NULL;
  TsDataset *ds = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return ds;
}

static char *
three_song_file (void)
{
  g_autofree char *row1 = make_row ("a", "A", "['X', 'Y']", 1950, 10);
  g_autofree char *row2 = make_row ("b", "B", "['X']", 1950, 30);
  g_autofree char *row3 = make_row ("c", "C", "['Z']", 1960, 50);

  return g_strconcat (HEADER, row1, row2, row3, NULL);
}

static void
test_companions_derived (void)
{
  g_autofree char *text = three_song_file ();
  g_autofree char *dir = write_dataset_dir (text);
  g_autoptr(TsDataset) ds = load_dir (dir);
  TsGroupTable *years = ts_dataset_get_by_year (ds);
  TsGroupTable *artists = ts_dataset_get_by_artist (ds);
  int x;

  g_assert_cmpuint (g_strv_length ((char **) ts_dataset_get_companions (ds)), ==, 0);
  g_assert_null (ts_dataset_get_by_genre (ds));
  g_assert_cmpstr (ts_group_table_get_source (years), ==, "data.csv");
  g_assert_cmpuint (ts_group_table_get_n_groups (years), ==, 2);
  g_assert_cmpstr (ts_group_table_get_name (years, 0), ==, "1950");
  g_assert_cmpstr (ts_group_table_get_name (years, 1), ==, "1960");
  g_assert_cmpfloat (ts_group_table_get_count (years, 0), ==, 2);
  g_assert_cmpfloat (ts_group_table_get_mean (years, 0, TS_FEATURE_POPULARITY), ==, 20);
  g_assert_cmpfloat (ts_group_table_get_mean (years, 1, TS_FEATURE_YEAR), ==, 1960);

  /* Artists: each song counts for each of its artists. */
  x = ts_group_table_lookup (artists, "X");
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpfloat (ts_group_table_get_count (artists, x), ==, 2);
  g_assert_cmpfloat (ts_group_table_get_mean (artists, x, TS_FEATURE_POPULARITY), ==, 20);
  g_assert_cmpfloat (ts_group_table_get_count (artists, ts_group_table_lookup (artists, "Y")), ==, 1);
  g_assert_true (ts_group_table_has_feature (artists, TS_FEATURE_TEMPO));
}

static void
test_companions_read (void)
{
  g_autofree char *text = three_song_file ();
  g_autofree char *dir = write_dataset_dir (text);
  g_autoptr(TsDataset) ds = NULL;
  g_autoptr(GArray) genres = NULL;
  TsGroupTable *by_genre, *by_year;
  int rock;

  /* Both forms of the genres column: the original's list literal and the
   * "a, b" of copies saved by spreadsheets; and an artist not in data.csv. */
  write_companion (dir, "data_w_genres.csv",
                   "genres,artists,count\r\n"
                   "\"['rock', 'blues']\",X,2\r\n"
                   "\"rock, pop\",Y,1\r\n"
                   "[],Z,1\r\n"
                   "['jazz'],Nobody,3\r\n");
  write_companion (dir, "data_by_genres.csv",
                   "mode,genres,acousticness,danceability,duration_ms,energy,instrumentalness,"
                   "liveness,loudness,speechiness,tempo,valence,popularity,key\n"
                   "1,rock,0.1,0.5,200000,0.8,0.0,0.1,-6,0.05,120,0.5,42.5,5\n"
                   "1,jazz,0.9,0.5,200000,0.3,0.5,0.1,-12,0.05,100,0.5,30,5\n");
  write_companion (dir, "data_by_year.csv",
                   "mode,year,acousticness,danceability,duration_ms,energy,instrumentalness,"
                   "liveness,loudness,speechiness,tempo,valence,popularity,key\n"
                   "1,1950,0.5,0.5,200000,0.5,0.1,0.1,-10,0.05,110,0.5,20,5\n"
                   "1,1960,0.5,0.5,200000,0.5,0.1,0.1,-10,0.05,110,0.5,50,5\n");
  ds = load_dir (dir);

  g_assert_cmpuint (g_strv_length ((char **) ts_dataset_get_companions (ds)), ==, 3);
  g_assert_cmpstr (ts_dataset_get_companions (ds)[0], ==, "data_w_genres.csv");
  g_assert_cmpuint (ts_dataset_get_n_genred_artists (ds), ==, 2);

  /* Song a is by X and Y: rock, blues, pop, each once. */
  genres = ts_dataset_dup_song_genres (ds, 0);
  g_assert_cmpuint (genres->len, ==, 3);
  rock = ts_dataset_lookup_genre (ds, "rock");
  g_assert_cmpint (rock, >=, 0);
  g_assert_cmpuint (g_array_index (genres, guint32, 0), ==, (guint32) rock);

  by_genre = ts_dataset_get_by_genre (ds);
  g_assert_cmpstr (ts_group_table_get_source (by_genre), ==, "data_by_genres.csv");
  g_assert_cmpfloat (ts_group_table_get_mean (by_genre, 0, TS_FEATURE_POPULARITY), ==, 42.5);
  g_assert_false (ts_group_table_has_feature (by_genre, TS_FEATURE_YEAR));
  g_assert_true (isnan (ts_group_table_get_mean (by_genre, 0, TS_FEATURE_YEAR)));
  /* Counted through the artists: songs a and b are rock; nobody's jazz. */
  g_assert_cmpfloat (ts_group_table_get_count (by_genre, 0), ==, 2);
  g_assert_cmpfloat (ts_group_table_get_count (by_genre, 1), ==, 0);

  by_year = ts_dataset_get_by_year (ds);
  g_assert_cmpstr (ts_group_table_get_source (by_year), ==, "data_by_year.csv");
  g_assert_cmpfloat (ts_group_table_get_count (by_year, 0), ==, 2);
  g_assert_cmpfloat (ts_group_table_get_mean (by_year, 1, TS_FEATURE_POPULARITY), ==, 50);
  /* No data_by_artist.csv: derived. */
  g_assert_cmpstr (ts_group_table_get_source (ts_dataset_get_by_artist (ds)), ==, "data.csv");
}

/* No data_by_genres.csv: genre means come through artist -> genres. */
static void
test_companions_genres_derived (void)
{
  g_autofree char *text = three_song_file ();
  g_autofree char *dir = write_dataset_dir (text);
  g_autoptr(TsDataset) ds = NULL;
  TsGroupTable *by_genre;
  int rock, pop;

  write_companion (dir, "data_w_genres.csv",
                   "genres,artists,count\n"
                   "\"['rock', 'blues']\",X,2\n"
                   "\"['rock', 'pop']\",Y,1\n"
                   "[],Z,1\n"
                   "['jazz'],Nobody,3\n");
  ds = load_dir (dir);

  by_genre = ts_dataset_get_by_genre (ds);
  g_assert_nonnull (by_genre);
  g_assert_cmpstr (ts_group_table_get_source (by_genre), ==, "data.csv");
  g_assert_cmpuint (ts_group_table_get_n_groups (by_genre), ==, 3);
  g_assert_true (ts_group_table_has_feature (by_genre, TS_FEATURE_TEMPO));
  /* Songs a (X and Y) and b (X) are rock, each once; c (Z) has none. */
  rock = ts_group_table_lookup (by_genre, "rock");
  g_assert_cmpint (rock, >=, 0);
  g_assert_cmpfloat (ts_group_table_get_count (by_genre, rock), ==, 2);
  g_assert_cmpfloat (ts_group_table_get_mean (by_genre, rock, TS_FEATURE_POPULARITY), ==, 20);
  pop = ts_group_table_lookup (by_genre, "pop");
  g_assert_cmpint (pop, >=, 0);
  g_assert_cmpfloat (ts_group_table_get_count (by_genre, pop), ==, 1);
  g_assert_cmpfloat (ts_group_table_get_mean (by_genre, pop, TS_FEATURE_POPULARITY), ==, 10);
  g_assert_cmpfloat (ts_group_table_get_mean (by_genre, pop, TS_FEATURE_YEAR), ==, 1950);
  g_assert_cmpint (ts_group_table_lookup (by_genre, "blues"), >=, 0);
  /* Nobody has no songs here: no jazz group. */
  g_assert_cmpint (ts_group_table_lookup (by_genre, "jazz"), <, 0);
}

/* A broken companion is ignored, never fatal. */
static void
test_broken_companion (void)
{
  g_autofree char *text = three_song_file ();
  g_autofree char *dir = write_dataset_dir (text);
  g_autoptr(TsDataset) ds = NULL;

  write_companion (dir, "data_by_year.csv", "\"unterminated\n");
  write_companion (dir, "data_w_genres.csv", "no,useful,columns\n1,2,3\n");
  ds = load_dir (dir);
  g_assert_cmpuint (g_strv_length ((char **) ts_dataset_get_companions (ds)), ==, 0);
  g_assert_cmpstr (ts_group_table_get_source (ts_dataset_get_by_year (ds)), ==, "data.csv");
}

/* Duplicates and search */

static TsDataset *
search_fixture (void)
{
  const struct { const char *id, *name, *artists; int popularity; } songs[] = {
    { "s0", "Yesterday", "['The Beatles']", 70 },
    { "s1", "Yesterday", "['The Beatles']", 80 },
    { "s2", "Yesterday", "['Ray Charles']", 40 },
    { "s3", "Yesterday Once More", "['Carpenters']", 60 },
    { "s4", "Here Comes the Sun", "['The Beatles']", 75 },
    { "s5", "Halo", "['Beyoncé']", 72 },
    { "s6", "Forever Yesterday", "['Someone']", 10 },
    { "s7", "Doyesterdayo", "['Someone']", 90 },
    { "s8", "Yesterday", "['The Beatles']", 20 },
  };
  g_autoptr(GString) text = g_string_new (HEADER);

  for (guint i = 0; i < G_N_ELEMENTS (songs); i++)
    {
      g_autofree char *row = make_row (songs[i].id, songs[i].name, songs[i].artists, 1965,
                                       songs[i].popularity);

      g_string_append (text, row);
    }
  return load_text_ok (text->str);
}

static void
test_duplicates (void)
{
  g_autoptr(TsDataset) ds = search_fixture ();
  const guint32 *rows;
  guint beatles = ts_dataset_get_group (ds, 0);

  g_assert_cmpuint (ts_dataset_get_n_groups (ds), ==, 7);
  g_assert_cmpuint (ts_dataset_get_group (ds, 1), ==, beatles);
  g_assert_cmpuint (ts_dataset_get_group (ds, 8), ==, beatles);
  g_assert_cmpuint (ts_dataset_get_group (ds, 2), !=, beatles);
  /* Most popular first: s1 (80), s0 (70), s8 (20). */
  g_assert_cmpuint (ts_dataset_get_group_rows (ds, beatles, &rows), ==, 3);
  g_assert_cmpuint (rows[0], ==, 1);
  g_assert_cmpuint (rows[1], ==, 0);
  g_assert_cmpuint (rows[2], ==, 8);
}

static const char *
hit_label (TsDataset         *ds,
           const TsSearchHit *hit)
{
  const guint32 *rows;

  if (hit->kind == TS_SEARCH_HIT_ARTIST)
    return ts_dataset_get_artist_name (ds, hit->index);
  ts_dataset_get_group_rows (ds, hit->index, &rows);
  return ts_dataset_get_id (ds, rows[0]);
}

static void
test_search_ranking (void)
{
  g_autoptr(TsDataset) ds = search_fixture ();
  g_autoptr(GArray) hits = ts_dataset_search (ds, "yesterday", 10);
  const char *expected[] = { "s1", "s2", "s3", "s6", "s7" };

  /* Exact (popular first), prefix, word prefix, then substring. */
  g_assert_cmpuint (hits->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (hit_label (ds, &g_array_index (hits, TsSearchHit, i)), ==, expected[i]);
}

static void
test_search_folding (void)
{
  g_autoptr(TsDataset) ds = search_fixture ();
  g_autoptr(GArray) accent = ts_dataset_search (ds, "BEYONCE", 10);
  g_autoptr(GArray) words = ts_dataset_search (ds, "sun beatles", 10);
  g_autoptr(GArray) limited = ts_dataset_search (ds, "e", 2);
  g_autoptr(GArray) empty = ts_dataset_search (ds, "   ", 10);
  g_autoptr(GArray) none = ts_dataset_search (ds, "zzzz", 10);
  const TsSearchHit *first = &g_array_index (accent, TsSearchHit, 0);

  g_assert_cmpuint (accent->len, ==, 1);
  g_assert_cmpint (first->kind, ==, TS_SEARCH_HIT_ARTIST);
  g_assert_cmpstr (hit_label (ds, first), ==, "Beyoncé");
  /* Words across the name and the artists. */
  g_assert_cmpuint (words->len, ==, 1);
  g_assert_cmpstr (hit_label (ds, &g_array_index (words, TsSearchHit, 0)), ==, "s4");
  g_assert_cmpuint (limited->len, ==, 2);
  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpuint (none->len, ==, 0);
}

/* What the index answers, as text: every row's group, the groups' rows,
 * id lookups and a search. */
static char *
describe_index (TsDataset *ds)
{
  GString *text = g_string_new (NULL);
  g_autoptr(GArray) hits = ts_dataset_search (ds, "with", 0);
  guint n_groups = ts_dataset_get_n_groups (ds);

  for (guint r = 0; r < ts_dataset_get_n_rows (ds); r++)
    g_string_append_printf (text, "%u:%u:%d ", r, ts_dataset_get_group (ds, r),
                            ts_dataset_lookup_id (ds, ts_dataset_get_id (ds, r)));
  for (guint g = 0; g < n_groups; g++)
    {
      const guint32 *rows;
      guint n = ts_dataset_get_group_rows (ds, g, &rows);

      for (guint k = 0; k < n; k++)
        g_string_append_printf (text, "%s%u", k ? "," : "\ng:", rows[k]);
    }
  for (guint i = 0; i < hits->len; i++)
    {
      const TsSearchHit *hit = &g_array_index (hits, TsSearchHit, i);

      g_string_append_printf (text, "\nhit %d %u %.17g", hit->kind, hit->index, hit->score);
    }
  g_string_append_printf (text, "\nmissing %d", ts_dataset_lookup_id (ds, "no-such-id"));
  return g_string_free (text, FALSE);
}

typedef struct
{
  TsDataset *ds;
  gint      *go;
  char      *answer;
} IndexReader;

static gpointer
read_index_at_once (gpointer data)
{
  IndexReader *reader = data;

  /* Both threads start together, so that both find the index missing. */
  while (!g_atomic_int_get (reader->go))
    ;
  reader->answer = describe_index (reader->ds);
  return NULL;
}

/* Loading builds no index unless asked to; the first use builds it, and
 * two threads asking at once get the same answers as an index built at
 * load time. */
static void
test_index_lazy (void)
{
  g_autofree char *text = make_random_file (3000, 11);
  g_autofree char *path = ts_test_write_temp ("data.csv", text, -1);
  TsDatasetLoadOptions eager_options = { .build_index = TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(TsDataset) eager = ts_dataset_load (path, &eager_options, NULL, NULL, NULL, &error);
  g_autofree char *expected = NULL;

  g_assert_no_error (error);
  g_assert_true (g_atomic_int_get (&eager->index_ready));
  expected = describe_index (eager);

  for (guint round = 0; round < 5; round++)
    {
      g_autoptr(TsDataset) lazy = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);
      IndexReader readers[2];
      GThread *threads[2];
      gint go = FALSE;

      g_assert_no_error (error);
      g_assert_false (g_atomic_int_get (&lazy->index_ready));
      for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
        {
          readers[i] = (IndexReader) { lazy, &go, NULL };
          threads[i] = g_thread_new ("index-reader", read_index_at_once, &readers[i]);
        }
      g_atomic_int_set (&go, TRUE);
      for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
        {
          g_thread_join (threads[i]);
          g_assert_cmpstr (readers[i].answer, ==, expected);
          g_free (readers[i].answer);
        }
    }
}

static void
test_fold (void)
{
  g_autofree char *a = ts_fold_for_search ("Beyoncé Knowles");
  g_autofree char *b = ts_fold_for_search ("SIGUR RÓS");
  g_autofree char *c = ts_fold_for_search ("Mötley Crüe");

  g_assert_cmpstr (a, ==, "beyonce knowles");
  g_assert_cmpstr (b, ==, "sigur ros");
  g_assert_cmpstr (c, ==, "motley crue");
}

/* Async, progress and cancellation */

typedef struct
{
  GMainLoop *loop;
  TsDataset *dataset;
  GError    *error;
  guint      n_progress;
  GThread   *main_thread;
} AsyncState;

static void
on_progress (double      fraction,
             const char *message,
             gpointer    user_data)
{
  AsyncState *state = user_data;

  g_assert_true (g_thread_self () == state->main_thread);
  g_assert_cmpfloat (fraction, <=, 1.0);
  state->n_progress++;
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncState *state = user_data;

  state->dataset = ts_dataset_load_finish (result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
test_async (void)
{
  g_autofree char *text = make_random_file (2000, 3);
  g_autofree char *path = ts_test_write_temp ("data.csv", text, -1);
  AsyncState state = { g_main_loop_new (NULL, FALSE), NULL, NULL, 0, g_thread_self () };

  ts_dataset_load_async (path, &(TsDatasetLoadOptions) { .build_index = TRUE }, on_progress, &state,
                         NULL, on_loaded, &state);
  g_main_loop_run (state.loop);
  g_assert_no_error (state.error);
  g_assert_nonnull (state.dataset);
  g_assert_cmpuint (state.n_progress, >=, 1);
  /* The index was built in the worker, as asked. */
  g_assert_true (g_atomic_int_get (&state.dataset->index_ready));
  g_assert_cmpuint (ts_dataset_get_n_groups (state.dataset), >, 0);
  g_clear_object (&state.dataset);

  /* Without options, no index until first use. */
  ts_dataset_load_async (path, NULL, NULL, NULL, NULL, on_loaded, &state);
  g_main_loop_run (state.loop);
  g_assert_no_error (state.error);
  g_assert_false (g_atomic_int_get (&state.dataset->index_ready));
  g_object_unref (state.dataset);

  state.dataset = NULL;
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    ts_dataset_load_async (path, NULL, NULL, NULL, cancellable, on_loaded, &state);
    g_main_loop_run (state.loop);
    g_assert_null (state.dataset);
    g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&state.error);
  }
  g_main_loop_unref (state.loop);
}

/* The real data in ../shared */

static void
test_real_subset (void)
{
  g_autofree char *path = ts_test_shared_path ("data/spotify/real-subset/data.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsDataset) ds = NULL;
  g_autoptr(GArray) hits = NULL;
  int min_year, max_year;

  if (path == NULL)
    return;
  ds = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ts_dataset_get_n_rows (ds), ==, 25309);
  g_assert_cmpuint (ts_dataset_get_n_skipped (ds), ==, 0);
  g_assert_cmpuint (g_strv_length ((char **) ts_dataset_get_companions (ds)), ==, 4);
  ts_dataset_get_year_range (ds, &min_year, &max_year);
  g_assert_cmpint (min_year, ==, 1921);
  g_assert_cmpint (max_year, ==, 2020);
  g_assert_cmpstr (ts_dataset_get_id (ds, 0), ==, "4BJqT0PrAfrxzMOxytFOIz");
  g_assert_cmpfloat (ts_dataset_get_column (ds, TS_FEATURE_DANCEABILITY)[1], ==, 0.8190000000000001);
  g_assert_cmpuint (ts_group_table_get_n_groups (ts_dataset_get_by_year (ds)), ==, 100);
  g_assert_cmpuint (ts_group_table_get_n_groups (ts_dataset_get_by_genre (ds)), ==, 2973);
  g_assert_cmpuint (ts_dataset_get_n_genred_artists (ds), >, 0);

  hits = ts_dataset_search (ds, "rachmaninoff", 5);
  g_assert_cmpuint (hits->len, >, 0);
  g_assert_cmpint (g_array_index (hits, TsSearchHit, 0).kind, ==, TS_SEARCH_HIT_ARTIST);
  g_assert_cmpstr (hit_label (ds, &g_array_index (hits, TsSearchHit, 0)), ==, "Sergei Rachmaninoff");
}

static void
test_real_chunked (void)
{
  g_autofree char *path = ts_test_shared_path ("data/spotify/data.csv");
  TsDatasetLoadOptions single = { .n_threads = 1, .skip_companions = TRUE };
  TsDatasetLoadOptions chunked = { .n_threads = 5, .min_chunk_bytes = 1, .skip_companions = TRUE };
  g_autoptr(TsDataset) a = NULL;
  g_autoptr(TsDataset) b = NULL;

  if (path == NULL)
    return;
  a = ts_dataset_load (path, &single, NULL, NULL, NULL, NULL);
  b = ts_dataset_load (path, &chunked, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (ts_dataset_get_n_rows (a), ==, 4998);
  assert_datasets_equal (a, b);
}

static void
test_tidytuesday (void)
{
  g_autofree char *path = ts_test_shared_path ("data/spotify/extras/tidytuesday-2020-01-21/"
                                               "spotify_songs.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsDataset) ds = NULL;
  int pop;

  if (path == NULL)
    return;
  ds = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ts_dataset_get_schema (ds), ==, TS_DATASET_SCHEMA_TIDYTUESDAY);
  g_assert_cmpuint (ts_dataset_get_n_rows (ds) + ts_dataset_get_n_skipped (ds), ==, 32833);
  g_assert_cmpuint (ts_dataset_get_n_rows (ds), >, 32800);
  g_assert_cmpstr (ts_dataset_get_id (ds, 0), ==, "6f807x0ima9a1j3VPbc7VN");
  g_assert_cmpuint (ts_dataset_get_release_date (ds, 0), ==, 20190614);
  pop = ts_dataset_lookup_genre (ds, "pop");
  g_assert_cmpint (pop, >=, 0);
  g_assert_cmpint (ts_dataset_get_label (ds, 0), ==, pop);
  /* edm, latin, pop, r&b, rap, rock */
  g_assert_cmpuint (ts_dataset_get_n_genres (ds), ==, 6);
}

/* The 600k set's tracks.csv: no year column (release_date gives it),
 * artist ids, and genres joined from artists.csv by id, not by name. */
static void
test_tracks_600k (void)
{
  g_autofree char *path = ts_test_fixture_path ("catalogues/600k/tracks.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsDataset) ds = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);
  g_autoptr(GArray) genres = NULL;
  const char * const *companions;
  int uli, haymes, corsini;

  g_assert_no_error (error);
  g_assert_cmpint (ts_dataset_get_schema (ds), ==, TS_DATASET_SCHEMA_TRACKS_600K);
  g_assert_cmpuint (ts_dataset_get_n_rows (ds), ==, 8);
  g_assert_cmpuint (ts_dataset_get_n_skipped (ds), ==, 0);
  g_assert_cmphex (ts_dataset_get_feature_mask (ds), ==, (1u << TS_N_FEATURES) - 1);
  g_assert_cmpfloat (ts_dataset_get_column (ds, TS_FEATURE_YEAR)[0], ==, 1922);
  g_assert_cmpfloat (ts_dataset_get_column (ds, TS_FEATURE_POPULARITY)[5], ==, 21);
  g_assert_cmpfloat (ts_dataset_get_column (ds, TS_COLUMN_EXPLICIT)[6], ==, 1);
  g_assert_cmpint (ts_dataset_get_album (ds, 0), ==, -1);
  g_assert_cmpuint (ts_dataset_get_n_albums (ds), ==, 0);

  uli = ts_dataset_lookup_artist (ds, "Uli");
  haymes = ts_dataset_lookup_artist (ds, "Dick Haymes");
  corsini = ts_dataset_lookup_artist (ds, "Ignacio Corsini");
  g_assert_cmpint (uli, >=, 0);
  g_assert_cmpstr (ts_dataset_get_artist_id (ds, (guint32) uli), ==, "45tIt06XoI0Iio4LBEVpls");
  g_assert_cmpstr (ts_dataset_get_artist_id (ds, (guint32) ts_dataset_lookup_artist (ds, "Lawrence Brown")),
                   ==, "0RxwqeRGUHDb1oJQBi4ZdM");
  /* The row whose id list is broken still loads, with no id. */
  g_assert_null (ts_dataset_get_artist_id (ds, (guint32) ts_dataset_lookup_artist (ds, "Nameless")));

  companions = ts_dataset_get_companions (ds);
  g_assert_true (g_strv_contains (companions, "artists.csv"));
  g_assert_cmpuint (ts_dataset_get_n_genred_artists (ds), ==, 5);
  /* Joined by id: artists.csv names this id "Someone Else Entirely". */
  g_assert_cmpuint (ts_dataset_get_artist_genres (ds, (guint32) haymes, NULL), ==, 2);
  g_assert_cmpuint (ts_dataset_get_artist_genres (ds, (guint32) corsini, NULL), ==, 2);
  genres = ts_dataset_dup_song_genres (ds, 6);   /* Dunkelbunt and Uli */
  g_assert_cmpuint (genres->len, ==, 3);
  g_assert_nonnull (ts_dataset_get_by_genre (ds));
}

/* The 1.2M set's tracks_features.csv: no popularity, albums, explicit as
 * True/False, a year of 0 refused as out of range. */
static void
test_tracks_1m (void)
{
  g_autofree char *path = ts_test_fixture_path ("catalogues/1m/tracks_features.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsDataset) ds = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);
  const char * const *reasons;
  const float *scaled;
  gint32 album;

  g_assert_no_error (error);
  g_assert_cmpint (ts_dataset_get_schema (ds), ==, TS_DATASET_SCHEMA_TRACKS_1M);
  g_assert_cmpuint (ts_dataset_get_n_rows (ds), ==, 7);
  g_assert_cmpuint (ts_dataset_get_n_skipped (ds), ==, 1);
  reasons = ts_dataset_get_skipped_reasons (ds);
  g_assert_nonnull (strstr (reasons[0], "tracks_features.csv:9"));
  g_assert_nonnull (strstr (reasons[0], "year"));

  g_assert_false (ts_dataset_has_feature (ds, TS_FEATURE_POPULARITY));
  g_assert_true (ts_dataset_has_feature (ds, TS_FEATURE_ENERGY));
  g_assert_true (ts_dataset_has_feature (ds, TS_FEATURE_YEAR));
  g_assert_false (g_strv_contains (ts_dataset_get_columns (ds), "popularity"));
  scaled = ts_dataset_get_scaled (ds);
  for (guint r = 0; r < 7; r++)
    g_assert_cmpfloat (scaled[r * TS_N_FEATURES + TS_FEATURE_POPULARITY], ==, 0.0f);

  g_assert_cmpfloat (ts_dataset_get_column (ds, TS_COLUMN_EXPLICIT)[0], ==, 0);
  g_assert_cmpfloat (ts_dataset_get_column (ds, TS_COLUMN_EXPLICIT)[1], ==, 1);
  g_assert_cmpfloat (ts_dataset_get_column (ds, TS_FEATURE_INSTRUMENTALNESS)[0], ==, 1.09e-05);
  g_assert_cmpuint (ts_dataset_get_release_date (ds, 6), ==, 19560000);
  g_assert_cmpstr (ts_dataset_get_name (ds, 6), ==, "Song, With \"Quotes\"");

  g_assert_cmpuint (ts_dataset_get_n_albums (ds), ==, 3);
  album = ts_dataset_get_album (ds, 0);
  g_assert_cmpint (album, >=, 0);
  for (guint r = 1; r < 5; r++)
    g_assert_cmpint (ts_dataset_get_album (ds, r), ==, album);
  g_assert_cmpint (ts_dataset_get_album (ds, 5), !=, album);
  g_assert_cmpstr (ts_dataset_get_album_name (ds, (guint32) album), ==, "The Battle Of Los Angeles");
  g_assert_cmpstr (ts_dataset_get_album_id (ds, (guint32) album), ==, "2eia0myWFgoHuttJytCxgX");
  g_assert_cmpstr (ts_dataset_get_artist_id (ds, (guint32) ts_dataset_lookup_artist (ds, "Coldplay")),
                   ==, "4gzpq5DPGxSnKTe4SA8HAU");
  /* No artists.csv beside it: no genres, and no companion. */
  g_assert_cmpuint (g_strv_length ((char **) ts_dataset_get_companions (ds)), ==, 0);
  g_assert_null (ts_dataset_get_by_genre (ds));
}

/* The same rows parsed in many chunks: albums and artist ids merge in
 * file order. */
static void
test_tracks_1m_chunked (void)
{
  g_autofree char *path = ts_test_fixture_path ("catalogues/1m/tracks_features.csv");
  TsDatasetLoadOptions single = { .n_threads = 1, .skip_companions = TRUE };
  TsDatasetLoadOptions chunked = { .n_threads = 5, .min_chunk_bytes = 1, .skip_companions = TRUE };
  g_autoptr(TsDataset) a = ts_dataset_load (path, &single, NULL, NULL, NULL, NULL);
  g_autoptr(TsDataset) b = ts_dataset_load (path, &chunked, NULL, NULL, NULL, NULL);

  assert_datasets_equal (a, b);
  g_assert_cmpuint (ts_dataset_get_n_albums (a), ==, ts_dataset_get_n_albums (b));
  for (guint r = 0; r < ts_dataset_get_n_rows (a); r++)
    {
      g_assert_cmpint (ts_dataset_get_album (a, r), ==, ts_dataset_get_album (b, r));
      if (ts_dataset_get_album (a, r) >= 0)
        g_assert_cmpstr (ts_dataset_get_album_name (a, (guint32) ts_dataset_get_album (a, r)), ==,
                         ts_dataset_get_album_name (b, (guint32) ts_dataset_get_album (b, r)));
    }
  for (guint k = 0; k < ts_dataset_get_n_artists (a); k++)
    g_assert_cmpstr (ts_dataset_get_artist_id (a, k), ==, ts_dataset_get_artist_id (b, k));
}

/* data_by_year.csv beside a file that is not Kaggle's data.csv describes
 * other songs: it is not read. */
static void
test_tracks_ignore_kaggle_companions (void)
{
  g_autofree char *source = ts_test_fixture_path ("catalogues/1m/tracks_features.csv");
  g_autofree char *dir = ts_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "tracks_features.csv", NULL);
  g_autofree char *by_year = g_build_filename (dir, "data_by_year.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(TsDataset) ds = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));
  g_assert_true (g_file_set_contents (by_year, "mode,year,acousticness\n1,1921,0.5\n", -1, NULL));
  ds = ts_dataset_load (path, NULL, NULL, NULL, NULL, NULL);
  g_assert_nonnull (ds);
  g_assert_cmpuint (g_strv_length ((char **) ts_dataset_get_companions (ds)), ==, 0);
  /* derived from the songs: 1956, 1999, 2002 */
  g_assert_cmpuint (ts_group_table_get_n_groups (ts_dataset_get_by_year (ds)), ==, 3);
  ts_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Ts/Dataset/basic", test_basic);
  g_test_add_func ("/Ts/Dataset/bom-crlf", test_bom_crlf);
  g_test_add_func ("/Ts/Dataset/reordered-columns", test_reordered_columns);
  g_test_add_func ("/Ts/Dataset/quoted-fields", test_quoted_fields);
  g_test_add_func ("/Ts/Dataset/unicode", test_unicode);
  for (guint i = 0; i < G_N_ELEMENTS (bad_rows); i++)
    {
      g_autofree char *name = g_strdup_printf ("/Ts/Dataset/bad-row/%s", bad_rows[i].name);

      g_test_add_data_func (name, &bad_rows[i], test_bad_row);
    }
  g_test_add_func ("/Ts/Dataset/many-bad-rows", test_many_bad_rows_report_first);
  for (guint i = 0; i < G_N_ELEMENTS (refused_files); i++)
    {
      g_autofree char *name = g_strdup_printf ("/Ts/Dataset/refused/%s", refused_files[i].name);

      g_test_add_data_func (name, &refused_files[i], test_refused);
    }
  g_test_add_func ("/Ts/Dataset/missing-file", test_missing_file);
  g_test_add_func ("/Ts/Dataset/garbage", test_garbage_never_crashes);
  g_test_add_func ("/Ts/Dataset/giant-line", test_giant_line);
  g_test_add_func ("/Ts/Dataset/too-large-file", test_too_large_file);
  g_test_add_func ("/Ts/Dataset/too-many-rows", test_too_many_rows);
  g_test_add_func ("/Ts/Dataset/chunked-equals-single", test_chunked_equals_single);
  g_test_add_func ("/Ts/Dataset/lone-cr-chunked", test_lone_cr_chunked);
  g_test_add_func ("/Ts/Dataset/unbalanced-quote-chunked", test_unbalanced_quote_chunked);
  g_test_add_func ("/Ts/Dataset/german-locale", test_german_locale);
  g_test_add_func ("/Ts/Dataset/scaled", test_scaled);
  g_test_add_func ("/Ts/Dataset/companions-derived", test_companions_derived);
  g_test_add_func ("/Ts/Dataset/companions-read", test_companions_read);
  g_test_add_func ("/Ts/Dataset/companions-genres-derived", test_companions_genres_derived);
  g_test_add_func ("/Ts/Dataset/broken-companion", test_broken_companion);
  g_test_add_func ("/Ts/Dataset/duplicates", test_duplicates);
  g_test_add_func ("/Ts/Dataset/search-ranking", test_search_ranking);
  g_test_add_func ("/Ts/Dataset/search-folding", test_search_folding);
  g_test_add_func ("/Ts/Dataset/index-lazy", test_index_lazy);
  g_test_add_func ("/Ts/Dataset/fold", test_fold);
  g_test_add_func ("/Ts/Dataset/async", test_async);
  g_test_add_func ("/Ts/Dataset/real-subset", test_real_subset);
  g_test_add_func ("/Ts/Dataset/real-chunked", test_real_chunked);
  g_test_add_func ("/Ts/Dataset/tidytuesday", test_tidytuesday);
  g_test_add_func ("/Ts/Dataset/tracks-600k", test_tracks_600k);
  g_test_add_func ("/Ts/Dataset/tracks-1m", test_tracks_1m);
  g_test_add_func ("/Ts/Dataset/tracks-1m-chunked", test_tracks_1m_chunked);
  g_test_add_func ("/Ts/Dataset/tracks-ignore-kaggle-companions", test_tracks_ignore_kaggle_companions);

  return g_test_run ();
}
