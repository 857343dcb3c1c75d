/* ts-cli-similar.c: tunescope-cli similar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-cli"

#include "config.h"

#include <math.h>

#include "ts-cli-common.h"

#define DEFAULT_LIMIT   10
#define MAX_LIMIT       1000
#define N_SUGGESTIONS   5

typedef struct
{
  char      *song;
  char      *artist;
  char      *playlist;
  char      *features;
  char      *space;
  char      *metric;
  char      *mode;
  char      *output;
  char      *image;
  int        limit;
  gboolean   one_per_album;
  TsCnnPrediction prediction;         /* --image: the model's, profile scaled */
  gboolean   profile_useful;          /* --image: the profile beat the mean when trained */
} Options;

static void
options_clear (Options *o)
{
  g_free (o->song);
  g_free (o->artist);
  g_free (o->playlist);
  g_free (o->features);
  g_free (o->space);
  g_free (o->metric);
  g_free (o->mode);
  g_free (o->output);
  g_free (o->image);
}

static char *
dup_song_label (TsDataset *dataset,
                guint      row)
{
  g_autofree char *artists = ts_dataset_dup_artists_label (dataset, row);

  return g_strdup_printf ("%s — %s (%u)", ts_dataset_get_name (dataset, row), artists,
                          ts_dataset_get_release_date (dataset, row) / 10000);
}

static int
not_found (TsDataset       *dataset,
           const char      *what,
           const char      *text,
           TsSearchHitKind  kind)
{
  g_autoptr(GArray) hits = ts_dataset_search (dataset, text, 50);
  g_autoptr(GString) message = g_string_new (NULL);
  glong length = g_utf8_strlen (text, -1);
  guint shown = 0;

  /* A typo at the end ("Clockss"): try shorter prefixes. */
  for (glong cut = length - 1; hits->len == 0 && cut >= MAX (3, length / 2); cut--)
    {
      g_autofree char *prefix = g_utf8_substring (text, 0, cut);

      g_array_unref (hits);
      hits = ts_dataset_search (dataset, prefix, 50);
    }

  g_string_printf (message, "no %s named “%s”", what, text);
  for (guint i = 0; i < hits->len && shown < N_SUGGESTIONS; i++)
    {
      const TsSearchHit *hit = &g_array_index (hits, TsSearchHit, i);
      g_autofree char *label = NULL;

      if (hit->kind != kind)
        continue;
      if (kind == TS_SEARCH_HIT_SONG)
        {
          const guint32 *rows = NULL;

          ts_dataset_get_group_rows (dataset, hit->index, &rows);
          label = dup_song_label (dataset, rows[0]);
        }
      else
        label = g_strdup (ts_dataset_get_artist_name (dataset, hit->index));
      g_string_append_printf (message, "%s“%s”", shown == 0 ? "; did you mean " : ", ", label);
      shown++;
    }
  return ts_cli_usage_error ("similar", "%s", message->str);
}

/* The best search hit of @kind whose name is @text, ignoring case and
 * accents (search ranks the most popular first), or -1. */
static int
find_exact_hit (TsDataset       *dataset,
                const char      *text,
                TsSearchHitKind  kind)
{
  g_autofree char *folded = ts_fold_for_search (text);
  g_autoptr(GArray) hits = ts_dataset_search (dataset, text, 50);

  for (guint i = 0; i < hits->len; i++)
    {
      const TsSearchHit *hit = &g_array_index (hits, TsSearchHit, i);
      const guint32 *rows = NULL;
      g_autofree char *name = NULL;

      if (hit->kind != kind)
        continue;
      if (kind == TS_SEARCH_HIT_SONG)
        {
          ts_dataset_get_group_rows (dataset, hit->index, &rows);
          name = ts_fold_for_search (ts_dataset_get_name (dataset, rows[0]));
        }
      else
        name = ts_fold_for_search (ts_dataset_get_artist_name (dataset, hit->index));
      if (g_str_equal (name, folded))
        return kind == TS_SEARCH_HIT_SONG ? (int) rows[0] : (int) hit->index;
    }
  return -1;
}

/* An id, a Spotify link, or a name. */
static gboolean
resolve_song (TsDataset  *dataset,
              const char *text,
              guint      *row,
              int        *status)
{
  g_autofree char *link_id = ts_playlist_parse_track_id (text);
  int found = ts_dataset_lookup_id (dataset, link_id != NULL ? link_id : text);

  if (found < 0)
    found = find_exact_hit (dataset, text, TS_SEARCH_HIT_SONG);
  if (found < 0)
    {
      *status = not_found (dataset, "song", text, TS_SEARCH_HIT_SONG);
      return FALSE;
    }
  *row = found;
  return TRUE;
}

static gboolean
resolve_artist (TsDataset  *dataset,
                const char *text,
                guint32    *artist,
                int        *status)
{
  int found = ts_dataset_lookup_artist (dataset, text);

  if (found < 0)
    found = find_exact_hit (dataset, text, TS_SEARCH_HIT_ARTIST);
  if (found < 0)
    {
      *status = not_found (dataset, "artist", text, TS_SEARCH_HIT_ARTIST);
      return FALSE;
    }
  *artist = found;
  return TRUE;
}

/* Output. */

static void
add_artists_json (JsonBuilder *b,
                  TsDataset   *dataset,
                  guint        row)
{
  const guint32 *artists = NULL;
  guint n = ts_dataset_get_artists (dataset, row, &artists);

  json_builder_set_member_name (b, "artists");
  json_builder_begin_array (b);
  for (guint a = 0; a < n; a++)
    json_builder_add_string_value (b, ts_dataset_get_artist_name (dataset, artists[a]));
  json_builder_end_array (b);
}

static void
add_song_json (JsonBuilder *b,
               TsDataset   *dataset,
               guint        row)
{
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, ts_dataset_get_id (dataset, row));
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, ts_dataset_get_name (dataset, row));
  add_artists_json (b, dataset, row);
  json_builder_set_member_name (b, "year");
  json_builder_add_int_value (b, ts_dataset_get_release_date (dataset, row) / 10000);
  if (ts_dataset_get_album (dataset, row) >= 0)
    {
      json_builder_set_member_name (b, "album");
      json_builder_add_string_value (b, ts_dataset_get_album_name (dataset,
                                                                   ts_dataset_get_album (dataset, row)));
    }
}

static void
add_genres_json (JsonBuilder *b,
                 TsDataset   *dataset,
                 guint        row)
{
  g_autoptr(GArray) genres = ts_dataset_dup_song_genres (dataset, row);
  gint32 label = ts_dataset_get_label (dataset, row);

  json_builder_set_member_name (b, "genres");
  json_builder_begin_array (b);
  if (label >= 0)
    json_builder_add_string_value (b, ts_dataset_get_genre_name (dataset, label));
  for (guint i = 0; i < genres->len; i++)
    {
      guint32 genre = g_array_index (genres, guint32, i);

      if ((gint32) genre != label)
        json_builder_add_string_value (b, ts_dataset_get_genre_name (dataset, genre));
    }
  json_builder_end_array (b);
}

static void
add_deltas_json (JsonBuilder          *b,
                 const char           *member,
                 const TsFeatureDelta *deltas)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; i < TS_EXPLAIN_N; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "feature");
      json_builder_add_string_value (b, ts_feature_get_name (deltas[i].feature));
      json_builder_set_member_name (b, "query");
      json_builder_add_double_value (b, deltas[i].query_value);
      json_builder_set_member_name (b, "result");
      json_builder_add_double_value (b, deltas[i].result_value);
      json_builder_set_member_name (b, "difference");
      json_builder_add_double_value (b, deltas[i].difference);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_results_json (JsonBuilder *b,
                  TsDataset   *dataset,
                  GArray      *results,
                  gboolean     votes)
{
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < results->len; i++)
    {
      const TsSimilarResult *r = &g_array_index (results, TsSimilarResult, i);

      json_builder_begin_object (b);
      add_song_json (b, dataset, r->row);
      json_builder_set_member_name (b, "distance");
      json_builder_add_double_value (b, r->distance);
      if (votes)
        {
          json_builder_set_member_name (b, "votes");
          json_builder_add_int_value (b, r->votes);
        }
      add_genres_json (b, dataset, r->row);
      json_builder_set_member_name (b, "explanation");
      json_builder_begin_object (b);
      add_deltas_json (b, "close", r->close);
      add_deltas_json (b, "differ", r->differ);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_similar_artists_json (JsonBuilder *b,
                          TsDataset   *dataset,
                          GArray      *artists)
{
  json_builder_set_member_name (b, "similar_artists");
  json_builder_begin_array (b);
  for (guint i = 0; i < artists->len; i++)
    {
      const TsSimilarArtist *a = &g_array_index (artists, TsSimilarArtist, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, ts_dataset_get_artist_name (dataset, a->artist));
      json_builder_set_member_name (b, "distance");
      json_builder_add_double_value (b, a->distance);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
print_deltas (const TsFeatureDelta *deltas,
              guint                 n,
              gboolean              signs)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *diff = ts_cli_format_double (deltas[i].difference, 2);

      g_print ("%s%s", i == 0 ? "" : ", ", ts_feature_get_name (deltas[i].feature));
      if (signs)
        g_print (" %s%s", deltas[i].difference >= 0 ? "+" : "", diff);
    }
}

static void
print_results (TsDataset  *dataset,
               GArray     *results)
{
  if (results->len == 0)
    g_print ("No results.\n");
  for (guint i = 0; i < results->len; i++)
    {
      const TsSimilarResult *r = &g_array_index (results, TsSimilarResult, i);
      g_autofree char *label = dup_song_label (dataset, r->row);
      g_autofree char *distance = ts_cli_format_double (r->distance, 4);

      g_print ("%2u. %8s  %s  %s\n      alike: ", i + 1, distance, label,
               ts_dataset_get_id (dataset, r->row));
      print_deltas (r->close, 2, FALSE);
      g_print ("; differs: ");
      print_deltas (r->differ, 2, TRUE);
      g_print ("\n");
    }
}

typedef struct
{
  TsCli       *cli;
  TsDataset   *dataset;
  TsSimilar   *similar;
  Options     *o;
  JsonBuilder *b;       /* the query object is open when --json */
  GString     *title;   /* the text heading */
  GArray      *results;
  GArray      *artists;
  gboolean     votes;
} Run;

static const char *
entry_status_name (TsPlaylistEntryStatus status)
{
  switch (status)
    {
    case TS_PLAYLIST_ENTRY_MATCHED: return "matched";
    case TS_PLAYLIST_ENTRY_AMBIGUOUS: return "ambiguous";
    case TS_PLAYLIST_ENTRY_UNMATCHED: return "unmatched";
    case TS_PLAYLIST_ENTRY_DUPLICATE: return "duplicate";
    default: g_assert_not_reached ();
    }
}

/* What the file named, as a person would read it. */
static char *
dup_entry_text (const TsPlaylistEntry *entry)
{
  if (entry->artist != NULL && entry->title != NULL)
    return g_strdup_printf ("%s - %s", entry->artist, entry->title);
  if (entry->title != NULL && entry->title[0] != '\0')
    return g_strdup (entry->title);
  return g_strdup (entry->track_id != NULL ? entry->track_id : "");
}

/* The entries that were not simply matched: on stderr as notes, and in
 * the JSON query as "report". */
static void
report_playlist (Run        *r,
                 TsPlaylist *playlist)
{
  json_builder_set_member_name (r->b, "report");
  json_builder_begin_array (r->b);
  for (guint i = 0; i < playlist->entries->len; i++)
    {
      const TsPlaylistEntry *entry = g_ptr_array_index (playlist->entries, i);
      g_autofree char *text = NULL;

      if (entry->status == TS_PLAYLIST_ENTRY_MATCHED)
        continue;
      text = dup_entry_text (entry);
      if (!r->cli->json)
        g_printerr (TS_CLI_NAME ": note: %s:%u: %s: %s\n", r->o->playlist, entry->line,
                    entry_status_name (entry->status), text);
      json_builder_begin_object (r->b);
      json_builder_set_member_name (r->b, "line");
      json_builder_add_int_value (r->b, entry->line);
      json_builder_set_member_name (r->b, "status");
      json_builder_add_string_value (r->b, entry_status_name (entry->status));
      json_builder_set_member_name (r->b, "text");
      json_builder_add_string_value (r->b, text);
      if (entry->row != G_MAXUINT32)
        {
          json_builder_set_member_name (r->b, "id");
          json_builder_add_string_value (r->b, ts_dataset_get_id (r->dataset, entry->row));
        }
      json_builder_end_object (r->b);
    }
  json_builder_end_array (r->b);
}

/* Train mode, on a terminal: the classifier's loss as it trains. */
static void
print_epoch (const TsNnEpochInfo *info,
             gpointer             user_data)
{
  g_autofree char *loss = ts_cli_format_double (info->loss, 4);

  (void) user_data;
  g_printerr ("\rTraining on the playlist: epoch %d/%d, loss %s", info->epoch, info->epochs,
              loss);
  if (info->epoch == info->epochs)
    g_printerr ("\n");
}

static int
run_playlist (Run *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsPlaylist) playlist = ts_playlist_load (r->dataset, r->o->playlist, &error);
  TsPlaylistMode mode = TS_PLAYLIST_MODE_CENTROID;

  if (playlist == NULL)
    return ts_cli_report_error (error, NULL);
  if (r->o->mode != NULL)
    ts_playlist_mode_from_name (r->o->mode, &mode);
  if (playlist->rows->len == 0)
    return ts_cli_usage_error ("similar", "%s: none of its %u tracks is in the dataset",
                               r->o->playlist, playlist->entries->len);
  json_builder_set_member_name (r->b, "kind");
  json_builder_add_string_value (r->b, "playlist");
  json_builder_set_member_name (r->b, "file");
  json_builder_add_string_value (r->b, r->o->playlist);
  json_builder_set_member_name (r->b, "mode");
  json_builder_add_string_value (r->b, ts_playlist_mode_get_name (mode));
  json_builder_set_member_name (r->b, "songs");
  json_builder_add_int_value (r->b, playlist->rows->len);
  json_builder_set_member_name (r->b, "unmatched");
  json_builder_add_int_value (r->b, playlist->n_unmatched);
  json_builder_set_member_name (r->b, "ambiguous");
  json_builder_add_int_value (r->b, playlist->n_ambiguous);
  json_builder_set_member_name (r->b, "duplicates");
  json_builder_add_int_value (r->b, playlist->n_duplicates);
  report_playlist (r, playlist);
  g_string_printf (r->title, "Songs near the playlist %s (%u songs; %u unmatched, %u ambiguous, "
                   "%u duplicates; %s mode)", r->o->playlist, playlist->rows->len,
                   playlist->n_unmatched, playlist->n_ambiguous, playlist->n_duplicates,
                   ts_playlist_mode_get_name (mode));
  r->votes = mode == TS_PLAYLIST_MODE_VOTE;
  if (mode == TS_PLAYLIST_MODE_TRAIN)
    {
      r->results = ts_similar_playlist_train (r->similar, (const guint32 *) playlist->rows->data,
                                              playlist->rows->len, r->o->limit,
                                              ts_cli_is_interactive () ? print_epoch : NULL,
                                              NULL, NULL, &error);
      return r->results != NULL ? TS_CLI_EXIT_OK : ts_cli_report_error (error, NULL);
    }
  r->results = ts_similar_playlist (r->similar, (const guint32 *) playlist->rows->data,
                                    playlist->rows->len, mode, r->o->limit);
  return TS_CLI_EXIT_OK;
}

static int
run_features (Run *r,
              int  row)
{
  g_autoptr(GArray) features = g_array_new (FALSE, FALSE, sizeof (TsFeature));
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;

  if (!ts_similar_parse_features (r->o->features, features, values, &error))
    return ts_cli_usage_error ("similar", "--features: %s", error->message);
  r->results = ts_similar_features (r->similar, row, (const TsFeature *) features->data,
                                    (const double *) values->data, features->len, r->o->limit,
                                    &error);
  if (r->results == NULL)
    return ts_cli_report_error (error, NULL);
  json_builder_set_member_name (r->b, "kind");
  json_builder_add_string_value (r->b, "features");
  if (row >= 0)
    {
      json_builder_set_member_name (r->b, "song");
      json_builder_begin_object (r->b);
      add_song_json (r->b, r->dataset, row);
      json_builder_end_object (r->b);
    }
  json_builder_set_member_name (r->b, "values");
  json_builder_begin_object (r->b);
  for (guint i = 0; i < features->len; i++)
    {
      json_builder_set_member_name (r->b,
                                    ts_feature_get_name (g_array_index (features, TsFeature, i)));
      json_builder_add_double_value (r->b, g_array_index (values, double, i));
    }
  json_builder_end_object (r->b);
  g_string_printf (r->title, "Songs like %s with %s",
                   row >= 0 ? ts_dataset_get_name (r->dataset, row) : "the average song",
                   r->o->features);
  return TS_CLI_EXIT_OK;
}

static void
print_image_profile (Run          *r,
                     const double *values,
                     gboolean      steered)
{
  const TsCnnPrediction *p = &r->o->prediction;

  g_print ("Predicted profile of %s:\n", r->o->image);
  for (int f = 0; f < TS_N_FEATURES; f++)
    {
      g_autofree char *scaled = NULL;
      g_autofree char *value = NULL;
      int bar;

      if (isnan (values[f]))
        continue;   /* a feature the dataset lacks */
      scaled = ts_cli_format_double (p->profile[f], 2);
      value = ts_cli_format_double (values[f], 3);
      bar = (int) lrintf (p->profile[f] * 20.0f);

      g_print ("  %-17s %s  %-20.*s  %s\n", ts_feature_get_name (f), scaled, bar,
               "####################", value);
    }
  if (!r->o->profile_useful)
    g_print ("  (this model predicts the sound no better than the average song on covers it "
             "did not train on)\n");
  if (p->has_genres)
    {
      int order[TS_COVER_N_GENRES];

      ts_cnn_prediction_rank_genres (p, order);
      g_print ("Looks like: %s %.0f%%, %s %.0f%%, %s %.0f%%%s\n",
               ts_cover_genre_get_name (order[0]), 100.0 * p->genres[order[0]],
               ts_cover_genre_get_name (order[1]), 100.0 * p->genres[order[1]],
               ts_cover_genre_get_name (order[2]), 100.0 * p->genres[order[2]],
               steered ? "; the songs of the likelier genres come first"
                       : " (this dataset has no genres to steer by)");
    }
}

/* The model's profile of the image, searched as 13 feature values and
 * steered by the genres it sees. */
static int
run_image (Run *r)
{
  const TsCnnPrediction *p = &r->o->prediction;
  double values[TS_N_FEATURES];
  g_autoptr(GError) error = NULL;
  gboolean steered = FALSE;

  for (int f = 0; f < TS_N_FEATURES; f++)
    {
      double min, max;

      ts_dataset_get_feature_range (r->dataset, f, &min, &max);
      values[f] = ts_dataset_has_feature (r->dataset, f) ? min + p->profile[f] * (max - min) : NAN;
    }
  r->results = ts_cnn_search (r->similar, p, r->o->limit, &steered, &error);
  if (r->results == NULL)
    return ts_cli_report_error (error, NULL);
  json_builder_set_member_name (r->b, "kind");
  json_builder_add_string_value (r->b, "image");
  json_builder_set_member_name (r->b, "image");
  json_builder_add_string_value (r->b, r->o->image);
  json_builder_set_member_name (r->b, "profile");
  json_builder_begin_object (r->b);
  for (int f = 0; f < TS_N_FEATURES; f++)
    {
      if (isnan (values[f]))
        continue;   /* a feature the dataset lacks has no value to give */
      json_builder_set_member_name (r->b, ts_feature_get_name (f));
      json_builder_begin_object (r->b);
      json_builder_set_member_name (r->b, "scaled");
      json_builder_add_double_value (r->b, p->profile[f]);
      json_builder_set_member_name (r->b, "value");
      json_builder_add_double_value (r->b, values[f]);
      json_builder_end_object (r->b);
    }
  json_builder_end_object (r->b);
  json_builder_set_member_name (r->b, "genres");
  if (p->has_genres)
    {
      json_builder_begin_object (r->b);
      for (int g = 0; g < TS_COVER_N_GENRES; g++)
        {
          json_builder_set_member_name (r->b, ts_cover_genre_get_name (g));
          json_builder_add_double_value (r->b, p->genres[g]);
        }
      json_builder_end_object (r->b);
    }
  else
    json_builder_add_null_value (r->b);
  json_builder_set_member_name (r->b, "steered");
  json_builder_add_boolean_value (r->b, steered);
  json_builder_set_member_name (r->b, "profile_beats_mean");
  json_builder_add_boolean_value (r->b, r->o->profile_useful);
  if (!r->cli->json)
    print_image_profile (r, values, steered);
  g_string_printf (r->title, "Songs that sound like %s", r->o->image);
  return TS_CLI_EXIT_OK;
}

/* Loads the CNN and predicts the image before the dataset is read, so
 * that a bad image or a missing model fails at once. */
static int
predict_image (Options *o)
{
  g_autofree char *path = ts_cnn_default_path ();
  g_autoptr(TsCnn) cnn = NULL;
  g_autoptr(GError) error = NULL;

  cnn = ts_cnn_load (path, &error);
  if (cnn == NULL)
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_printerr ("%s: error: there is no cover-art model at %s yet; train one with "
                    "“%s covers collect --source folder --dir DIR” then “%s train cnn”\n",
                    TS_CLI_NAME, path, TS_CLI_NAME, TS_CLI_NAME);
      else
        g_printerr ("%s: error: %s\n", TS_CLI_NAME, error->message);
      return TS_CLI_EXIT_FAILURE;
    }
  o->profile_useful = ts_cnn_report_profile_useful (ts_cnn_get_report (cnn));
  if (!ts_cnn_predict_path (cnn, o->image, &o->prediction, &error))
    {
      g_printerr ("%s: error: %s: %s\n", TS_CLI_NAME, o->image, error->message);
      return TS_CLI_EXIT_USAGE;
    }
  return TS_CLI_EXIT_OK;
}

static int
run_query (Run *r)
{
  int status = TS_CLI_EXIT_OK;
  guint row = 0;
  guint32 artist = 0;

  if (r->o->image != NULL)
    return run_image (r);
  if (r->o->playlist != NULL)
    return run_playlist (r);
  if (r->o->song != NULL && !resolve_song (r->dataset, r->o->song, &row, &status))
    return status;
  if (r->o->features != NULL)
    return run_features (r, r->o->song != NULL ? (int) row : -1);
  if (r->o->song != NULL)
    {
      g_autofree char *label = dup_song_label (r->dataset, row);

      json_builder_set_member_name (r->b, "kind");
      json_builder_add_string_value (r->b, "song");
      add_song_json (r->b, r->dataset, row);
      g_string_printf (r->title, "Songs like %s", label);
      r->results = ts_similar_song (r->similar, row, r->o->limit);
      return TS_CLI_EXIT_OK;
    }
  if (!resolve_artist (r->dataset, r->o->artist, &artist, &status))
    return status;
  json_builder_set_member_name (r->b, "kind");
  json_builder_add_string_value (r->b, "artist");
  json_builder_set_member_name (r->b, "name");
  json_builder_add_string_value (r->b, ts_dataset_get_artist_name (r->dataset, artist));
  g_string_printf (r->title, "Songs like %s's", ts_dataset_get_artist_name (r->dataset, artist));
  r->results = ts_similar_artist (r->similar, artist, r->o->limit, &r->artists);
  return TS_CLI_EXIT_OK;
}

static void
print_output (Run      *r,
              TsMetric  metric)
{
  if (r->cli->json)
    {
      json_builder_set_member_name (r->b, "space");
      json_builder_add_string_value (r->b, ts_space_get_name (ts_similar_get_space (r->similar)));
      json_builder_set_member_name (r->b, "metric");
      json_builder_add_string_value (r->b, ts_metric_get_name (metric));
      if (r->artists != NULL)
        add_similar_artists_json (r->b, r->dataset, r->artists);
      add_results_json (r->b, r->dataset, r->results, r->votes);
      json_builder_end_object (r->b);
      ts_cli_print_json (r->b);
      return;
    }
  g_print ("%s (%s space, %s):\n", r->title->str,
           ts_space_get_name (ts_similar_get_space (r->similar)), ts_metric_get_name (metric));
  if (r->artists != NULL)
    {
      g_print ("Similar artists:");
      for (guint i = 0; i < r->artists->len; i++)
        g_print ("%s%s", i == 0 ? " " : ", ", ts_dataset_get_artist_name (
                   r->dataset, g_array_index (r->artists, TsSimilarArtist, i).artist));
      g_print ("\n");
    }
  print_results (r->dataset, r->results);
}

/* The results as a playlist file, in the format its extension names. */
static int
save_results (Run *r)
{
  g_autoptr(TsPlaylist) playlist = ts_playlist_new (r->title->str);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < r->results->len; i++)
    ts_playlist_add_row (playlist, g_array_index (r->results, TsSimilarResult, i).row);
  if (!ts_playlist_save (playlist, r->dataset, r->o->output, TS_PLAYLIST_FORMAT_AUTO, &error))
    return ts_cli_report_error (error, NULL);
  return TS_CLI_EXIT_OK;
}

static int
check_options (Options  *o,
               TsMetric *metric)
{
  guint n_kinds = (o->song != NULL) + (o->artist != NULL) + (o->playlist != NULL)
                  + (o->image != NULL);

  if (n_kinds > 1 || (n_kinds == 0 && o->features == NULL))
    return ts_cli_usage_error ("similar", "give one of --song, --artist, --playlist, --image "
                               "or --features (--features may refine --song)");
  if (o->features != NULL && o->image != NULL)
    return ts_cli_usage_error ("similar", "--features refines --song or the average song");
  if (o->image != NULL && o->space != NULL && !g_str_equal (o->space, "base"))
    return ts_cli_usage_error ("similar", "--image searches the base space");
  if (o->features != NULL && (o->artist != NULL || o->playlist != NULL))
    return ts_cli_usage_error ("similar", "--features refines --song or the average song");
  if (o->limit < 1 || o->limit > MAX_LIMIT)
    return ts_cli_usage_error ("similar", "--limit must be between 1 and %d", MAX_LIMIT);
  if (o->metric != NULL && !ts_metric_from_name (o->metric, metric))
    return ts_cli_usage_error ("similar", "unknown metric “%s” (cosine, euclidean, manhattan "
                               "or dot)", o->metric);
  if (o->mode != NULL && !ts_playlist_mode_from_name (o->mode, NULL))
    return ts_cli_usage_error ("similar", "unknown mode “%s” (centroid, vote or train)",
                               o->mode);
  if (o->mode != NULL && o->playlist == NULL)
    return ts_cli_usage_error ("similar", "--mode applies to --playlist");
  return TS_CLI_EXIT_OK;
}

int
ts_cli_similar (TsCli  *cli,
                int     argc,
                char  **argv)
{
  Options o = { .limit = DEFAULT_LIMIT };
  const GOptionEntry entries[] = {
    { "song", 0, 0, G_OPTION_ARG_STRING, &o.song, "Songs like this one (id, link or name)",
      "ID|NAME" },
    { "artist", 0, 0, G_OPTION_ARG_STRING, &o.artist, "Songs and artists like this artist",
      "NAME" },
    { "playlist", 0, 0, G_OPTION_ARG_FILENAME, &o.playlist,
      "Songs near a playlist (Exportify CSV, M3U, URI list, Tunescope JSON)", "FILE" },
    { "image", 0, 0, G_OPTION_ARG_FILENAME, &o.image,
      "Songs that sound the way this picture looks (the cover-art CNN)", "FILE" },
    { "features", 0, 0, G_OPTION_ARG_STRING, &o.features,
      "Feature values in raw units, e.g. danceability=0.9,tempo=128", "K=V,…" },
    { "space", 0, 0, G_OPTION_ARG_STRING, &o.space,
      "base (default), predictor, autoencoder or genre",
      "SPACE" },
    { "metric", 0, 0, G_OPTION_ARG_STRING, &o.metric,
      "cosine (default), euclidean, manhattan or dot", "METRIC" },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &o.mode,
      "Playlists: centroid (default), vote or train (a classifier of the playlist)",
      "MODE" },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &o.limit, "At most N results (default 10)", "N" },
    { "one-per-album", 0, 0, G_OPTION_ARG_NONE, &o.one_per_album,
      "Each album once, by its nearest song (files with albums: the 1.2M set)", NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output,
      "Also save the results as a playlist: .m3u8, .csv, .txt (Spotify URIs) or .json", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsDataset) dataset = NULL;
  g_autoptr(TsSpace) space = NULL;
  g_autoptr(TsSimilar) similar = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GString) title = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  TsMetric metric = TS_METRIC_COSINE;
  Run r = { 0 };
  int status;

  context = ts_cli_context_new (cli, "similar", NULL,
                                "Find the songs (and artists) nearest a song, an artist, a "
                                "playlist or feature values, with what makes them close.",
                                entries, TRUE);
  if (!ts_cli_parse (context, "similar", &argc, &argv))
    {
      options_clear (&o);
      return TS_CLI_EXIT_USAGE;
    }
  status = argc > 1 ? ts_cli_usage_error ("similar", "unexpected argument “%s”", argv[1])
                    : check_options (&o, &metric);
  if (status == TS_CLI_EXIT_OK && o.image != NULL)
    status = predict_image (&o);
  if (status == TS_CLI_EXIT_OK)
    {
      dataset = ts_cli_load_dataset (cli, &error);
      if (dataset == NULL)
        status = ts_cli_report_error (error, NULL);
    }
  if (status == TS_CLI_EXIT_OK)
    space = ts_cli_open_space (dataset, o.space, "similar", &status);
  if (space != NULL)
    {
      similar = ts_similar_new (dataset, space, metric);
      if (o.one_per_album && !ts_similar_set_one_per_album (similar, TRUE))
        g_printerr ("%s: %s names no albums: --one-per-album keeps every song\n", TS_CLI_NAME,
                    ts_dataset_get_path (dataset));
      r = (Run) { cli, dataset, similar, &o, b, title, NULL, NULL, FALSE };
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "query");
      json_builder_begin_object (b);
      status = run_query (&r);
      json_builder_end_object (b);
      if (status == TS_CLI_EXIT_OK && o.output != NULL)
        status = save_results (&r);
      if (status == TS_CLI_EXIT_OK)
        print_output (&r, metric);
    }
  g_clear_pointer (&r.results, g_array_unref);
  g_clear_pointer (&r.artists, g_array_unref);
  options_clear (&o);
  return status;
}
