/* test-similar-train.c: "Train on this playlist" — ranking by a small
 * classifier, progress, cancellation, tiny and empty playlists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "tunescope-core.h"
#include "ts-test-util.h"

#define TIDYTUESDAY "data/spotify/extras/tidytuesday-2020-01-21/spotify_songs.csv"
#define N_PLAYLIST  150
#define N_TOP       50

/* Every @step-th song labelled @label, up to @max. */
static GArray *
rows_with_label (TsDataset *dataset,
                 gint32     label,
                 guint      step,
                 guint      max)
{
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint seen = 0;

  for (guint32 i = 0; i < ts_dataset_get_n_rows (dataset) && rows->len < max; i++)
    if (ts_dataset_get_label (dataset, i) == label && seen++ % step == 0)
      g_array_append_val (rows, i);
  return rows;
}

static gboolean
results_have (GArray  *results,
              guint32  row)
{
  for (guint i = 0; i < results->len; i++)
    if (g_array_index (results, TsSimilarResult, i).row == row)
      return TRUE;
  return FALSE;
}

static void
count_epoch (const TsNnEpochInfo *info,
             gpointer             user_data)
{
  int *epochs = user_data;

  g_assert_cmpint (info->epoch, ==, *epochs + 1);
  g_assert_true (isfinite (info->loss));
  *epochs = info->epoch;
}

/* A playlist of one genre: the top results share it far more often than
 * the genre's share of the file; none is in the playlist or repeated. */
static void
test_one_genre (void)
{
  g_autoptr(TsDataset) dataset = ts_test_load_shared_dataset (TIDYTUESDAY);
  g_autoptr(TsSimilar) similar = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GArray) results = NULL;
  g_autoptr(GHashTable) groups = g_hash_table_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  int label, epochs = 0;
  guint n_label = 0, n_shared = 0, n;
  double base_rate, hit_rate;

  if (dataset == NULL)
    return;
  label = ts_dataset_lookup_genre (dataset, "rock");
  g_assert_cmpint (label, >=, 0);
  n = ts_dataset_get_n_rows (dataset);
  for (guint i = 0; i < n; i++)
    n_label += ts_dataset_get_label (dataset, i) == label;
  base_rate = (double) n_label / n;

  rows = rows_with_label (dataset, label, 7, N_PLAYLIST);
  g_assert_cmpuint (rows->len, ==, N_PLAYLIST);
  similar = ts_similar_new (dataset, NULL, TS_METRIC_COSINE);
  results = ts_similar_playlist_train (similar, (const guint32 *) rows->data, rows->len, N_TOP,
                                       count_epoch, &epochs, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (epochs, >, 1);
  g_assert_cmpuint (results->len, ==, N_TOP);
  for (guint i = 0; i < results->len; i++)
    {
      const TsSimilarResult *r = &g_array_index (results, TsSimilarResult, i);
      gpointer group = GUINT_TO_POINTER (ts_dataset_get_group (dataset, r->row) + 1);

      for (guint p = 0; p < rows->len; p++)
        g_assert_cmpuint (ts_dataset_get_group (dataset, r->row), !=,
                          ts_dataset_get_group (dataset, g_array_index (rows, guint32, p)));
      g_assert_false (g_hash_table_contains (groups, group));
      g_hash_table_add (groups, group);
      g_assert_cmpfloat (r->distance, >=, 0.0);
      g_assert_cmpfloat (r->distance, <=, 1.0);
      if (i > 0)
        g_assert_cmpfloat (r->distance, >=,
                           g_array_index (results, TsSimilarResult, i - 1).distance);
      g_assert_cmpint (r->close[0].feature, <, TS_N_FEATURES);
      g_assert_cmpfloat (fabs (r->close[0].difference), <=, fabs (r->differ[0].difference));
      n_shared += ts_dataset_get_label (dataset, r->row) == label;
    }
  hit_rate = (double) n_shared / results->len;
  g_test_message ("rock: %.2f of the top %u against %.2f of the file", hit_rate, N_TOP,
                  base_rate);
  g_assert_cmpfloat (hit_rate, >, 2.5 * base_rate);
}

/* The small cases search the base space. */
static TsSimilar *
similar_for (TsDataset *dataset)
{
  return ts_similar_new (dataset, NULL, TS_METRIC_EUCLIDEAN);
}

/* One song gives results without it; none is an error; the mode
 * through ts_similar_playlist ranks as the direct call does. */
static void
test_small_playlists (void)
{
  g_autoptr(TsDataset) dataset = ts_test_load_shared_dataset (TIDYTUESDAY);
  g_autoptr(TsSimilar) similar = NULL;
  g_autoptr(GArray) one = NULL;
  g_autoptr(GArray) none = NULL;
  g_autoptr(GArray) through_mode = NULL;
  g_autoptr(GError) error = NULL;
  const guint32 row = 42;

  if (dataset == NULL)
    return;
  similar = similar_for (dataset);
  one = ts_similar_playlist_train (similar, &row, 1, 10, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (one->len, ==, 10);
  g_assert_false (results_have (one, row));

  none = ts_similar_playlist_train (similar, NULL, 0, 10, NULL, NULL, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT);

  /* The mode through the plain call ranks the same way. */
  through_mode = ts_similar_playlist (similar, &row, 1, TS_PLAYLIST_MODE_TRAIN, 10);
  g_assert_cmpuint (through_mode->len, ==, one->len);
  for (guint i = 0; i < one->len; i++)
    g_assert_cmpuint (g_array_index (through_mode, TsSimilarResult, i).row, ==,
                      g_array_index (one, TsSimilarResult, i).row);
}

static void
cancel_at_third (const TsNnEpochInfo *info,
                 gpointer             user_data)
{
  GCancellable *cancellable = user_data;
  int *epochs = g_object_get_data (G_OBJECT (cancellable), "epochs");

  *epochs = info->epoch;
  if (info->epoch == 3)
    g_cancellable_cancel (cancellable);
}

/* Cancelled during training: no results, G_IO_ERROR_CANCELLED, no
 * epoch after the one that cancelled. */
static void
test_cancel (void)
{
  g_autoptr(TsDataset) dataset = ts_test_load_shared_dataset (TIDYTUESDAY);
  g_autoptr(TsSimilar) similar = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GArray) results = NULL;
  g_autoptr(GError) error = NULL;
  const guint32 rows[] = { 1, 2, 3, 4, 5 };
  int epochs = 0;

  if (dataset == NULL)
    return;
  similar = similar_for (dataset);
  g_object_set_data (G_OBJECT (cancellable), "epochs", &epochs);
  results = ts_similar_playlist_train (similar, rows, G_N_ELEMENTS (rows), 10, cancel_at_third,
                                       cancellable, cancellable, &error);
  g_assert_null (results);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (epochs, ==, 3);
}

typedef struct
{
  int           epochs;
  gboolean      done_after_epochs;
  GAsyncResult *result;
} AsyncState;

static void
async_epoch (const TsNnEpochInfo *info,
             gpointer             user_data)
{
  AsyncState *state = user_data;

  g_assert_null (state->result);
  state->epochs = info->epoch;
}

static void
on_train_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncState *state = user_data;

  g_assert_null (source);
  state->done_after_epochs = state->epochs > 0;
  state->result = g_object_ref (result);
}

/* The asynchronous form: every epoch reaches this thread before the
 * result, which matches the synchronous one; a query of the TRAIN mode
 * through ts_similar_query_async honours a cancelled cancellable. */
static void
test_async (void)
{
  g_autoptr(TsDataset) dataset = ts_test_load_shared_dataset (TIDYTUESDAY);
  g_autoptr(TsSimilar) similar = NULL;
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GArray) results = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  const guint32 rows[] = { 10, 20, 30, 40 };
  AsyncState state = { 0 };
  TsSimilarQuery query = { .kind = TS_QUERY_PLAYLIST, .rows = rows, .n_rows = 4,
                           .mode = TS_PLAYLIST_MODE_TRAIN, .limit = 8 };

  if (dataset == NULL)
    return;
  similar = similar_for (dataset);
  expected = ts_similar_playlist_train (similar, rows, 4, 8, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  ts_similar_playlist_train_async (similar, rows, 4, 8, async_epoch, &state, NULL, NULL,
                                   on_train_done, &state);
  while (state.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  results = ts_similar_playlist_train_finish (similar, state.result, &error);
  g_assert_no_error (error);
  g_assert_true (state.done_after_epochs);
  g_assert_cmpint (state.epochs, >, 1);
  g_assert_cmpuint (results->len, ==, expected->len);
  for (guint i = 0; i < results->len; i++)
    g_assert_cmpuint (g_array_index (results, TsSimilarResult, i).row, ==,
                      g_array_index (expected, TsSimilarResult, i).row);
  g_clear_object (&state.result);
  g_clear_pointer (&results, g_array_unref);

  g_cancellable_cancel (cancelled);
  ts_similar_query_async (similar, &query, cancelled, on_train_done, &state);
  while (state.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  results = ts_similar_query_finish (similar, state.result, NULL, &error);
  g_assert_null (results);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&state.result);
}

static void
test_mode_names (void)
{
  TsPlaylistMode mode = TS_PLAYLIST_MODE_CENTROID;

  g_assert_true (ts_playlist_mode_from_name ("Train", &mode));
  g_assert_cmpint (mode, ==, TS_PLAYLIST_MODE_TRAIN);
  g_assert_cmpstr (ts_playlist_mode_get_name (TS_PLAYLIST_MODE_VOTE), ==, "vote");
  g_assert_false (ts_playlist_mode_from_name ("knn", &mode));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Ts/Similar/train/mode-names", test_mode_names);
  g_test_add_func ("/Ts/Similar/train/one-genre", test_one_genre);
  g_test_add_func ("/Ts/Similar/train/small-playlists", test_small_playlists);
  g_test_add_func ("/Ts/Similar/train/cancel", test_cancel);
  g_test_add_func ("/Ts/Similar/train/async", test_async);

  return g_test_run ();
}
