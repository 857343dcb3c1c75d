/* test-stats.c: correlation matrices against hand-checked cases, a naive
 * O(n^2) tau-b, and scipy's values on the real subset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "tunescope-core.h"
#include "ts-test-util.h"

#define SCIPY_TOLERANCE 1e-9

static double
corr2 (const double *x,
       const double *y,
       gsize         n,
       TsCorrMethod  method,
       gboolean     *defined)
{
  const double *columns[2] = { x, y };
  double values[4];
  gboolean ok[4];

  ts_corr_compute (columns, 2, n, method, 1, values, ok);
  g_assert_cmpfloat (values[1], ==, values[2]);
  g_assert_true (!isnan (values[1]));
  if (defined != NULL)
    *defined = ok[1];
  return values[1];
}

static void
test_method_names (void)
{
  TsCorrMethod method;

  for (guint m = 0; m < TS_N_CORR_METHODS; m++)
    {
      g_assert_true (ts_corr_method_from_name (ts_corr_method_get_name (m), &method));
      g_assert_cmpint (method, ==, m);
    }
  g_assert_true (ts_corr_method_from_name ("Kendall", &method));
  g_assert_cmpint (method, ==, TS_CORR_KENDALL);
  g_assert_false (ts_corr_method_from_name ("kendal", &method));
}

/* x = 1 2 3, y = 1 3 2: two concordant pairs, one discordant. */
static void
test_small (void)
{
  const double x[] = { 1, 2, 3 }, y[] = { 1, 3, 2 };

  g_assert_cmpfloat_with_epsilon (corr2 (x, y, 3, TS_CORR_PEARSON, NULL), 0.5, 1e-15);
  g_assert_cmpfloat_with_epsilon (corr2 (x, y, 3, TS_CORR_SPEARMAN, NULL), 0.5, 1e-15);
  g_assert_cmpfloat_with_epsilon (corr2 (x, y, 3, TS_CORR_KENDALL, NULL), 1.0 / 3.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (corr2 (x, x, 3, TS_CORR_KENDALL, NULL), 1.0, 1e-15);
}

/* x = 1 1 2 3, y = 1 2 2 3: C = 4, D = 0, one tie in x, one in y, none
 * joint: tau-b = 4 / sqrt (5 * 5). Average ranks 1.5 1.5 3 4 and
 * 1 2.5 2.5 4 give Spearman 3.75 / 4.5; Pearson is 2 / sqrt (2.75 * 2). */
static void
test_ties (void)
{
  const double x[] = { 1, 1, 2, 3 }, y[] = { 1, 2, 2, 3 };

  g_assert_cmpfloat_with_epsilon (corr2 (x, y, 4, TS_CORR_KENDALL, NULL), 0.8, 1e-15);
  g_assert_cmpfloat_with_epsilon (corr2 (x, y, 4, TS_CORR_SPEARMAN, NULL), 5.0 / 6.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (corr2 (x, y, 4, TS_CORR_PEARSON, NULL), 2.0 / sqrt (5.5), 1e-15);
}

/* tau-b by its definition: pairs tied in both count nowhere. */
static double
naive_tau_b (const double *x,
             const double *y,
             gsize         n)
{
  double conc = 0, disc = 0, tx = 0, ty = 0;

  for (gsize i = 0; i < n; i++)
    for (gsize j = i + 1; j < n; j++)
      {
        double dx = x[i] - x[j], dy = y[i] - y[j];

        if (dx == 0 && dy == 0)
          continue;
        else if (dx == 0)
          tx++;
        else if (dy == 0)
          ty++;
        else if ((dx > 0) == (dy > 0))
          conc++;
        else
          disc++;
      }
  return (conc - disc) / sqrt ((conc + disc + tx) * (conc + disc + ty));
}

/* Many ties, joint ties and negative zeros, on enough rows to use threads
 * and the merge passes: the matrix matches a naive O(n^2) tau-b. */
static void
test_kendall_naive (void)
{
  const gsize n = 5000;
  g_autofree double *data = g_new (double, 3 * n);
  const double *columns[3] = { data, data + n, data + 2 * n };
  double values[9];
  gboolean defined[9];
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (gsize i = 0; i < n; i++)
    {
      data[i] = g_rand_int_range (rand, -5, 6) * 0.5;
      if (data[i] == 0.0 && (i & 1))
        data[i] = -0.0;
      data[n + i] = data[i] + g_rand_int_range (rand, 0, 4);
      data[2 * n + i] = g_rand_double (rand) - data[i];
    }
  ts_corr_compute (columns, 3, n, TS_CORR_KENDALL, 2, values, defined);
  for (guint a = 0; a < 3; a++)
    for (guint b = 0; b < 3; b++)
      {
        double expected = a == b ? 1.0 : naive_tau_b (columns[a], columns[b], n);

        g_assert_true (defined[a * 3 + b]);
        g_assert_cmpfloat_with_epsilon (values[a * 3 + b], expected, 1e-12);
      }
}

/* A constant column is reported, never divided by: 0.0 and undefined. */
static void
test_constant (void)
{
  const double x[] = { 1, 2, 3, 4 }, z[] = { 5, 5, 5, 5 }, w[] = { 1, NAN, 2, 3 };
  const double *columns[3] = { x, z, w };
  double values[9];
  gboolean defined[9];

  for (guint m = 0; m < TS_N_CORR_METHODS; m++)
    {
      ts_corr_compute (columns, 3, 4, m, 0, values, defined);
      for (guint i = 0; i < 9; i++)
        {
          g_assert_false (isnan (values[i]));
          g_assert_cmpint (defined[i], ==, i == 0);
          g_assert_cmpfloat (values[i], ==, i == 0 ? 1.0 : 0.0);
        }
    }
  /* One row is not enough either. */
  ts_corr_compute (columns, 1, 1, TS_CORR_PEARSON, 0, values, defined);
  g_assert_false (defined[0]);
}

static void
test_matrix_object (void)
{
  const TsFeature features[] = { TS_FEATURE_ENERGY, TS_FEATURE_LOUDNESS };
  const double values[] = { 1.0, -0.75, -0.75, NAN };
  g_autoptr(TsCorrMatrix) m =
    ts_corr_matrix_new_from_values (TS_CORR_SPEARMAN, 10, features, 2, values, NULL);
  guint row, col;

  g_assert_cmpuint (ts_corr_matrix_get_size (m), ==, 2);
  g_assert_cmpint (ts_corr_matrix_get_feature (m, 1), ==, TS_FEATURE_LOUDNESS);
  g_assert_cmpfloat (ts_corr_matrix_get (m, 0, 1), ==, -0.75);
  g_assert_false (ts_corr_matrix_is_defined (m, 1, 1));
  g_assert_cmpfloat (ts_corr_matrix_get (m, 1, 1), ==, 0.0);
  g_assert_true (ts_corr_matrix_get_strongest (m, &row, &col));
  g_assert_cmpuint (row, ==, 0);
  g_assert_cmpuint (col, ==, 1);
}

static JsonObject *
load_reference (JsonParser *parser)
{
  g_autofree char *path = ts_test_fixture_path ("corr-real-subset.json");
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_real_subset (gconstpointer data)
{
  TsCorrMethod method = GPOINTER_TO_UINT (data);
  g_autofree char *path = ts_test_shared_path ("data/spotify/real-subset/data.csv");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(TsDataset) ds = NULL;
  g_autoptr(TsCorrMatrix) m = NULL;
  g_autoptr(GError) error = NULL;
  TsDatasetLoadOptions options = { .skip_companions = TRUE };
  JsonObject *ref;
  JsonArray *rows, *features;
  double worst = 0.0;

  if (path == NULL)
    return;
  ds = ts_dataset_load (path, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  ref = load_reference (parser);
  g_assert_cmpint (json_object_get_int_member (ref, "n"), ==, ts_dataset_get_n_rows (ds));
  features = json_object_get_array_member (ref, "features");
  for (guint f = 0; f < TS_N_FEATURES; f++)
    g_assert_cmpstr (json_array_get_string_element (features, f), ==, ts_feature_get_name (f));

  m = ts_corr_matrix_new (ds, method, NULL, 0, 0);
  g_assert_cmpuint (ts_corr_matrix_get_n_rows (m), ==, ts_dataset_get_n_rows (ds));
  rows = json_object_get_array_member (ref, ts_corr_method_get_name (method));
  for (guint a = 0; a < TS_N_FEATURES; a++)
    {
      JsonArray *row = json_array_get_array_element (rows, a);

      for (guint b = 0; b < TS_N_FEATURES; b++)
        {
          double want = json_array_get_double_element (row, b);

          g_assert_true (ts_corr_matrix_is_defined (m, a, b));
          worst = MAX (worst, fabs (ts_corr_matrix_get (m, a, b) - want));
        }
    }
  g_test_message ("%s: max |ours - scipy| = %.3g", ts_corr_method_get_name (method), worst);
  g_assert_cmpfloat (worst, <, SCIPY_TOLERANCE);
}

/* A subset of features, in the caller's order, matches the full matrix. */
static void
test_subset_order (void)
{
  const double a[] = { 3, 1, 4, 1, 5, 9, 2, 6 }, b[] = { 2, 7, 1, 8, 2, 8, 1, 8 };
  const double c[] = { 1, 1, 2, 3, 5, 8, 13, 21 };
  const double *cols[3] = { a, b, c }, *swapped[2] = { c, a };
  double full[9], part[4];

  ts_corr_compute (cols, 3, 8, TS_CORR_SPEARMAN, 0, full, NULL);
  ts_corr_compute (swapped, 2, 8, TS_CORR_SPEARMAN, 0, part, NULL);
  g_assert_cmpfloat (part[1], ==, full[2 * 3 + 0]);
}

static void
test_group_selection (void)
{
  g_autofree char *path = ts_test_shared_path ("data/spotify/real-subset/data.csv");
  const TsFeature features[] = { TS_FEATURE_ENERGY, TS_FEATURE_TEMPO };
  const char *genres[] = { "rock", "no such genre", "jazz", NULL };
  g_autoptr(TsDataset) ds = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsGroupSelection) sel = NULL;
  g_autoptr(GPtrArray) unknown = NULL;
  TsGroupTable *table;
  int rock;

  if (path == NULL)
    return;
  ds = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  table = ts_dataset_get_by_genre (ds);
  sel = ts_group_selection_new (table, genres, features, 2, &unknown);
  g_assert_cmpuint (sel->n_groups, ==, 2);
  g_assert_cmpuint (unknown->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (unknown, 0), ==, "no such genre");
  g_assert_cmpstr (sel->names[1], ==, "jazz");
  g_assert_null (sel->names[2]);
  rock = ts_group_table_lookup (table, "rock");
  g_assert_cmpfloat (sel->means[1], ==, ts_group_table_get_mean (table, rock, TS_FEATURE_TEMPO));
  g_assert_cmpfloat (sel->counts[0], ==, ts_group_table_get_count (table, rock));
}

static void
test_suggest (void)
{
  const char *features[] = { "valence", "year", "acousticness", "danceability", "energy",
                             "tempo", "key" };
  const char *genres[] = { "rock", "hard rock", "jazz", "hip hop", "classical", "k-pop" };
  g_auto(GStrv) typo = ts_suggest_names ("valance", features, G_N_ELEMENTS (features), 3);
  g_auto(GStrv) caps = ts_suggest_names ("DANCEABILITY", features, G_N_ELEMENTS (features), 3);
  g_auto(GStrv) part = ts_suggest_names ("rok", genres, G_N_ELEMENTS (genres), 3);
  g_auto(GStrv) sub = ts_suggest_names ("hiphop", genres, G_N_ELEMENTS (genres), 3);
  g_auto(GStrv) none = ts_suggest_names ("zzzzzzzz", genres, G_N_ELEMENTS (genres), 3);

  g_assert_cmpstr (typo[0], ==, "valence");
  g_assert_cmpstr (caps[0], ==, "danceability");
  g_assert_cmpstr (part[0], ==, "rock");
  g_assert_cmpstr (sub[0], ==, "hip hop");
  g_assert_cmpuint (g_strv_length (none), ==, 0);
}

static void
test_pick_defaults (void)
{
  g_autoptr(TsDataset) ds = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) picked = NULL;
  const char *preferred[] = { "nothing-like-it", NULL };
  TsGroupTable *years;

  path = ts_test_write_temp ("data.csv",
                             "valence,year,acousticness,artists,danceability,duration_ms,energy,"
                             "explicit,id,instrumentalness,key,liveness,loudness,mode,name,"
                             "popularity,release_date,speechiness,tempo\n"
                             "0.5,1950,0.2,['A'],0.5,1000,0.5,0,a,0,1,0.1,-5,1,x,1,1950,0.1,100\n"
                             "0.5,1960,0.2,['A'],0.5,1000,0.5,0,b,0,1,0.1,-5,1,y,1,1960,0.1,100\n"
                             "0.5,1960,0.2,['B'],0.5,1000,0.5,0,c,0,1,0.1,-5,1,z,1,1960,0.1,100\n",
                             -1);
  ds = ts_dataset_load (path, NULL, NULL, NULL, NULL, NULL);
  g_assert_nonnull (ds);
  years = ts_dataset_get_by_year (ds);
  picked = ts_group_table_pick_defaults (years, preferred, 1);
  g_assert_cmpuint (g_strv_length (picked), ==, 1);
  g_assert_cmpstr (picked[0], ==, "1960");
  g_clear_pointer (&picked, g_strfreev);
  preferred[0] = "1950";
  picked = ts_group_table_pick_defaults (years, preferred, 5);
  g_assert_cmpuint (g_strv_length (picked), ==, 2);
  g_assert_cmpstr (picked[0], ==, "1950");
  g_assert_cmpstr (picked[1], ==, "1960");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Ts/Stats/method-names", test_method_names);
  g_test_add_func ("/Ts/Stats/small", test_small);
  g_test_add_func ("/Ts/Stats/ties", test_ties);
  g_test_add_func ("/Ts/Stats/kendall-naive", test_kendall_naive);
  g_test_add_func ("/Ts/Stats/constant-column", test_constant);
  g_test_add_func ("/Ts/Stats/subset-order", test_subset_order);
  g_test_add_func ("/Ts/Stats/matrix-object", test_matrix_object);
  g_test_add_data_func ("/Ts/Stats/scipy/pearson", GUINT_TO_POINTER (TS_CORR_PEARSON),
                        test_real_subset);
  g_test_add_data_func ("/Ts/Stats/scipy/spearman", GUINT_TO_POINTER (TS_CORR_SPEARMAN),
                        test_real_subset);
  g_test_add_data_func ("/Ts/Stats/scipy/kendall", GUINT_TO_POINTER (TS_CORR_KENDALL),
                        test_real_subset);
  g_test_add_func ("/Ts/Stats/group-selection", test_group_selection);
  g_test_add_func ("/Ts/Stats/suggest", test_suggest);
  g_test_add_func ("/Ts/Stats/pick-defaults", test_pick_defaults);

  return g_test_run ();
}
