/* test-cover-model.c: the cover-art model on the pretrained backbone —
 * cover genres, the steered search, training from painted covers, the
 * feature cache and the model file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "Tunescope-test"

#include <math.h>
#include <string.h>
#include <utime.h>
#include <cairo.h>
#include <glib/gstdio.h>

#include "tunescope-core.h"
#include "ts-test-util.h"

#define TIDY_HEADER "track_id,track_name,track_artist,track_popularity,track_album_id," \
  "track_album_name,track_album_release_date,playlist_name,playlist_id,playlist_genre," \
  "playlist_subgenre,danceability,energy,key,loudness,mode,speechiness,acousticness," \
  "instrumentalness,liveness,valence,tempo,duration_ms\n"

static void
test_genre_names (void)
{
  static const struct { const char *name; guint mask; } names[] = {
    { "rock", 1u << TS_COVER_GENRE_ROCK },
    { "dance pop", 1u << TS_COVER_GENRE_DANCE | 1u << TS_COVER_GENRE_POP },
    { "trap latino", 1u << TS_COVER_GENRE_HIP_HOP | 1u << TS_COVER_GENRE_LATIN },
    { "k-pop", 1u << TS_COVER_GENRE_POP },
    { "r&b", 1u << TS_COVER_GENRE_RNB },
    { "edm", 1u << TS_COVER_GENRE_DANCE },
    { "grape jam", 0 },        /* "rap" only as a whole word */
    { "poprock", 0 },
    { "Contemporary Country", 1u << TS_COVER_GENRE_COUNTRY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmphex (ts_cover_genres_of_name (names[i].name), ==, names[i].mask);
  g_assert_cmpint (ts_cover_genre_from_file_name ("/x/Addicted_Rock.jpg"), ==,
                   TS_COVER_GENRE_ROCK);
  g_assert_cmpint (ts_cover_genre_from_file_name ("a_b_Hip-Hop.png"), ==, TS_COVER_GENRE_HIP_HOP);
  g_assert_cmpint (ts_cover_genre_from_file_name ("Night_EDM.jpg"), ==, TS_COVER_GENRE_DANCE);
  g_assert_cmpint (ts_cover_genre_from_file_name ("Song_Vietnam.jpg"), ==, -1);
  g_assert_cmpint (ts_cover_genre_from_file_name ("Rock.jpg"), ==, -1);
  g_assert_cmpstr (ts_cover_genre_get_name (TS_COVER_GENRE_RNB), ==, "R&B");
}

/* A TidyTuesday-format file: @n rock songs (loud, energetic) and @n latin
 * songs (happy, danceable), each a little different. */
static TsDataset *
two_genre_dataset (int n)
{
  g_autoptr(GString) csv = g_string_new (TIDY_HEADER);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  TsDataset *dataset;

  for (int i = 0; i < 2 * n; i++)
    {
      gboolean rock = i < n;
      double t = (double) (i % n) / n;

      g_string_append_printf (csv, "%022d,Song %d,Artist %d,%d,alb%d,Album,2019-01-01,P,pid,"
                              "%s,sub,%.3f,%.3f,%d,%.2f,1,0.05,%.3f,0.0,0.1,%.3f,%.1f,200000\n",
                              i, i, i, 40 + i % 50, i, rock ? "rock" : "latin",
                              rock ? 0.4 + 0.1 * t : 0.8 + 0.1 * t,
                              rock ? 0.9 - 0.1 * t : 0.5 + 0.1 * t, i % 12,
                              rock ? -4.0 - t : -8.0 - t, rock ? 0.05 + 0.1 * t : 0.3 + 0.1 * t,
                              rock ? 0.3 + 0.1 * t : 0.8 + 0.1 * t, 100.0 + 20 * t);
    }
  path = ts_test_write_temp ("songs.csv", csv->str, -1);
  dataset = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return dataset;
}

static void
test_genre_masks_and_profiles (void)
{
  g_autoptr(TsDataset) dataset = two_genre_dataset (10);
  const guint16 *masks = ts_cover_genres_get_song_masks (dataset);
  float profiles[TS_COVER_N_GENRES][TS_N_FEATURES];
  guint counts[TS_COVER_N_GENRES];
  float probs[TS_COVER_N_GENRES] = { 0 };
  g_autofree float *costs = NULL;

  g_assert_cmphex (masks[0], ==, 1u << TS_COVER_GENRE_ROCK);
  g_assert_cmphex (masks[19], ==, 1u << TS_COVER_GENRE_LATIN);
  g_assert_true (masks == ts_cover_genres_get_song_masks (dataset));  /* kept */
  g_assert_true (ts_cover_genres_get_profiles (dataset, profiles, counts));
  g_assert_cmpuint (counts[TS_COVER_GENRE_ROCK], ==, 10);
  g_assert_cmpuint (counts[TS_COVER_GENRE_JAZZ], ==, 0);
  g_assert_true (isnan (profiles[TS_COVER_GENRE_JAZZ][0]));
  /* Rock is the louder genre, Latin the happier. */
  g_assert_cmpfloat (profiles[TS_COVER_GENRE_ROCK][TS_FEATURE_ENERGY], >,
                     profiles[TS_COVER_GENRE_LATIN][TS_FEATURE_ENERGY]);
  g_assert_cmpfloat (profiles[TS_COVER_GENRE_ROCK][TS_FEATURE_VALENCE], <,
                     profiles[TS_COVER_GENRE_LATIN][TS_FEATURE_VALENCE]);

  probs[TS_COVER_GENRE_ROCK] = 0.6f;
  probs[TS_COVER_GENRE_LATIN] = 0.3f;
  probs[TS_COVER_GENRE_POP] = 0.1f;
  costs = ts_cover_genres_row_costs (dataset, probs);
  g_assert_cmpfloat (costs[0], ==, 0.0f);
  g_assert_cmpfloat_with_epsilon (costs[15], logf (2.0f), 1e-6);
}

/* Among the pool of nearest songs, a lower cost wins over distance; among
 * equal costs, the nearer song; the query itself is the same. */
static void
test_steered_search (void)
{
  g_autoptr(TsDataset) dataset = two_genre_dataset (10);
  TsSimilar *similar = ts_similar_new (dataset, NULL, TS_METRIC_EUCLIDEAN);
  guint n = ts_dataset_get_n_rows (dataset);
  g_autofree float *costs = g_new0 (float, n);
  TsFeature features[2] = { TS_FEATURE_ENERGY, TS_FEATURE_VALENCE };
  double values[2] = { 0.9, 0.3 };  /* a rock song */
  g_autoptr(GArray) plain = NULL, steered = NULL, free_ride = NULL;
  g_autoptr(GError) error = NULL;

  plain = ts_similar_features (similar, -1, features, values, 2, 5, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < plain->len; i++)
    g_assert_cmpuint (g_array_index (plain, TsSimilarResult, i).row, <, 10);
  /* Costs of 0 change nothing. */
  free_ride = ts_similar_features_steered (similar, features, values, 2, costs, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (free_ride->len, ==, plain->len);
  for (guint i = 0; i < plain->len; i++)
    g_assert_cmpuint (g_array_index (free_ride, TsSimilarResult, i).row, ==,
                      g_array_index (plain, TsSimilarResult, i).row);
  /* Rock songs cost 2 (twice the pool's spread): the latin songs come
   * first, nearest first. */
  for (guint row = 0; row < 10; row++)
    costs[row] = 2.0f;
  steered = ts_similar_features_steered (similar, features, values, 2, costs, 12, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (steered->len, ==, 12);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpuint (g_array_index (steered, TsSimilarResult, i).row, >=, 10);
  for (guint i = 1; i < 10; i++)
    g_assert_cmpfloat (g_array_index (steered, TsSimilarResult, i - 1).distance, <=,
                       g_array_index (steered, TsSimilarResult, i).distance);
  g_assert_cmpuint (g_array_index (steered, TsSimilarResult, 10).row, <, 10);
  ts_similar_unref (similar);
}

/* A 48 x 48 PNG: @rgb with a diagonal stripe whose place varies with @k. */
static void
paint_cover (const char   *path,
             const double  rgb[3],
             int           k)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 48, 48);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 1 - rgb[0], 1 - rgb[1], 1 - rgb[2]);
  cairo_set_line_width (cr, 3 + k % 5);
  cairo_move_to (cr, k % 17, 0);
  cairo_line_to (cr, 48, 48 - k % 13);
  cairo_stroke (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

/* @n red "Cover i_Rock.png" and @n teal "Cover i_Latin.png". */
static char *
paint_genre_covers (int n)
{
  static const double red[3] = { 0.85, 0.1, 0.1 }, teal[3] = { 0.1, 0.7, 0.7 };
  char *dir = ts_test_make_temp_dir ();

  for (int i = 0; i < 2 * n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Cover %d_%s.png", i, i < n ? "Rock" : "Latin");
      g_autofree char *path = g_build_filename (dir, name, NULL);

      paint_cover (path, i < n ? red : teal, i);
    }
  return dir;
}

static TsCoverManifest *
collect (TsDataset  *dataset,
         const char *dir)
{
  TsCoverManifest *manifest = ts_cover_manifest_new ();
  TsCoversCollectStats stats;
  g_autoptr(GError) error = NULL;

  g_assert_true (ts_covers_collect_folder (manifest, dataset, dir, 0, NULL, NULL, NULL, &stats,
                                           &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.added, ==, stats.by_genre);
  return manifest;
}

static TsCnn *
train (TsCoverManifest *manifest,
       GPtrArray      **unreadable)
{
  TsCnnOptions options;
  g_autoptr(GError) error = NULL;
  TsCnn *cnn;

  ts_cnn_options_init (&options);
  g_assert_cmpint (options.backbone, ==, TS_CNN_BACKBONE_MOBILENETV2);
  options.epochs = 150;
  cnn = ts_cnn_train_covers (manifest, &options, NULL, NULL, NULL, NULL, NULL, unreadable,
                             &error);
  g_assert_no_error (error);
  return cnn;
}

static void
test_train_predict_search (void)
{
  g_autoptr(TsDataset) dataset = two_genre_dataset (30);
  g_autofree char *dir = paint_genre_covers (40);
  g_autoptr(TsCoverManifest) manifest = collect (dataset, dir);
  g_autoptr(GPtrArray) unreadable = NULL;
  g_autoptr(TsCnn) cnn = train (manifest, &unreadable);
  const TsCnnReport *r = ts_cnn_get_report (cnn);
  g_autofree char *red = g_build_filename (dir, "Cover 3_Rock.png", NULL);
  g_autofree char *model = g_build_filename (dir, "cnn.safetensors", NULL);
  g_autoptr(TsCnn) loaded = NULL;
  TsCnnPrediction p, q;
  TsSimilar *similar;
  g_autoptr(GArray) results = NULL;
  g_autoptr(GError) error = NULL;
  gboolean steered = FALSE;

  g_assert_cmpuint (ts_cover_manifest_get_n_entries (manifest), ==, 80);
  g_assert_cmpuint (unreadable->len, ==, 0);
  g_test_message ("%d covers trained, %d held out; genre accuracy %.3f against %.3f",
                  r->n_genre_train, r->n_genre_val, r->genre_accuracy,
                  r->genre_baseline_accuracy);
  g_assert_cmpint (r->n_train + r->n_val, ==, 80);
  g_assert_cmpint (r->n_genre_val, >=, 10);
  /* Red against teal: the genre head must tell them apart. */
  g_assert_cmpfloat (r->genre_accuracy, >, r->genre_baseline_accuracy);
  g_assert_cmpfloat (r->genre_accuracy, >=, 0.9);
  g_assert_cmpfloat (r->val_mse, <, r->baseline_mse);

  g_assert_true (ts_cnn_predict_path (cnn, red, &p, &error));
  g_assert_no_error (error);
  g_assert_true (p.has_genres);
  g_assert_cmpfloat (p.genres[TS_COVER_GENRE_ROCK], >, p.genres[TS_COVER_GENRE_LATIN]);

  /* The file gives the same answers, to the bit. */
  g_assert_true (ts_cnn_save (cnn, model, &error));
  loaded = ts_cnn_load (model, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ts_cnn_get_backbone_kind (loaded), ==, TS_CNN_BACKBONE_MOBILENETV2);
  g_assert_true (ts_cnn_predict_path (loaded, red, &q, &error));
  g_assert_cmpmem (&p, sizeof p, &q, sizeof q);
  g_assert_cmpfloat (ts_cnn_get_report (loaded)->genre_accuracy, ==, r->genre_accuracy);

  /* A red picture finds rock songs first. */
  similar = ts_similar_new (dataset, NULL, TS_METRIC_COSINE);
  results = ts_cnn_search (similar, &p, 10, &steered, &error);
  g_assert_no_error (error);
  g_assert_true (steered);
  for (guint i = 0; i < results->len; i++)
    g_assert_cmpuint (g_array_index (results, TsSimilarResult, i).row, <, 30);
  ts_similar_unref (similar);
}

/* A second run reads features from the cache: a cover whose bytes were
 * spoilt (same size and time) still trains. Without the cache it is
 * read, and named unreadable. A broken cache is ignored and rewritten. */
static void
test_feature_cache (void)
{
  g_autoptr(TsDataset) dataset = two_genre_dataset (10);
  g_autofree char *dir = paint_genre_covers (12);
  g_autoptr(TsCoverManifest) manifest = collect (dataset, dir);
  g_autofree char *covers = ts_covers_default_dir ();
  g_autofree char *cache = g_build_filename (covers, "features-mobilenetv2.safetensors", NULL);
  g_autofree char *victim = g_build_filename (dir, "Cover 5_Rock.png", NULL);
  g_autoptr(GPtrArray) first = NULL, second = NULL, third = NULL, fourth = NULL;
  g_autoptr(TsCnn) a = NULL, b = NULL, c = NULL, d = NULL;
  g_autofree char *bytes = NULL;
  gsize length;
  GStatBuf st;
  struct utimbuf times;

  g_unlink (cache);
  a = train (manifest, &first);
  g_assert_cmpuint (first->len, ==, 0);
  g_assert_true (g_file_test (cache, G_FILE_TEST_IS_REGULAR));

  g_assert_true (g_file_get_contents (victim, &bytes, &length, NULL));
  g_assert_cmpint (g_stat (victim, &st), ==, 0);
  memset (bytes, 'x', length);
  g_assert_true (g_file_set_contents (victim, bytes, length, NULL));
  times.actime = st.st_atime;
  times.modtime = st.st_mtime;
  g_assert_cmpint (utime (victim, &times), ==, 0);
  b = train (manifest, &second);
  g_assert_cmpuint (second->len, ==, 0);

  g_assert_true (g_file_set_contents (cache, "not a cache", -1, NULL));
  c = train (manifest, &third);
  g_assert_cmpuint (third->len, ==, 1);
  g_assert_nonnull (strstr (third->pdata[0], "Cover 5_Rock.png"));

  /* The rewritten cache serves the next run. */
  d = train (manifest, &fourth);
  g_assert_cmpuint (fourth->len, ==, 1);
}

static void
test_bad_model_files (void)
{
  g_autofree char *garbage = ts_test_write_temp ("cnn.safetensors", "\x10\0\0\0\0\0\0\0{}", 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsCnn) cnn = ts_cnn_load (garbage, &error);

  g_assert_null (cnn);
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "cnn.safetensors"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = g_dir_make_tmp ("ts-cover-model-XXXXXX", NULL);
  int status;

  /* The feature cache lives under $XDG_CACHE_HOME: a folder of the test's
   * own, before GLib reads the variable. */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Ts/CoverModel/genre-names", test_genre_names);
  g_test_add_func ("/Ts/CoverModel/genre-masks-and-profiles", test_genre_masks_and_profiles);
  g_test_add_func ("/Ts/CoverModel/steered-search", test_steered_search);
  g_test_add_func ("/Ts/CoverModel/train-predict-search", test_train_predict_search);
  g_test_add_func ("/Ts/CoverModel/feature-cache", test_feature_cache);
  g_test_add_func ("/Ts/CoverModel/bad-model-files", test_bad_model_files);

  status = g_test_run ();
  ts_test_remove_tree (cache);
  return status;
}
