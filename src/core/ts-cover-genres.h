/* ts-cover-genres.h: the genres a cover's playlist names, and the songs in them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Covers named "TITLE_PLAYLIST.jpg" (the cover-art-sabinabains set) often
 * name a genre playlist: a coarse but real label for the picture. Ten of
 * them are cover genres here. A song belongs to a cover genre when its own
 * label (TidyTuesday's playlist_genre) or one of its artists' genres
 * (data_w_genres.csv) has one of the genre's words in it, as a whole word:
 * "dance pop" is Dance and Pop, "trap latino" Hip-Hop and Latin.
 */

#pragma once

#include "ts-dataset.h"
#include "ts-types.h"

G_BEGIN_DECLS

typedef enum
{
  TS_COVER_GENRE_ROCK,
  TS_COVER_GENRE_RNB,
  TS_COVER_GENRE_DANCE,
  TS_COVER_GENRE_HIP_HOP,
  TS_COVER_GENRE_POP,
  TS_COVER_GENRE_LATIN,
  TS_COVER_GENRE_COUNTRY,
  TS_COVER_GENRE_FOLK,
  TS_COVER_GENRE_JAZZ,
  TS_COVER_GENRE_INDIE,
  TS_COVER_N_GENRES
} TsCoverGenre;

/* "Rock", "R&B", "Dance", "Hip-Hop", ... (the playlist names). */
const char    *ts_cover_genre_get_name       (TsCoverGenre  genre);
/* The genre named exactly so (case-insensitive), or -1. */
int            ts_cover_genre_from_name      (const char   *name);
/* The genre a cover file's name gives: the part after its last '_',
 * without the extension ("Addicted_Rock.jpg" → Rock; an "_EDM" playlist
 * counts as Dance), or -1. */
int            ts_cover_genre_from_file_name (const char   *file);
/* The cover genres (a bit each) a dataset genre or label name belongs to. */
guint          ts_cover_genres_of_name       (const char   *name);

/* Each row's cover genres as bits, n_rows of them; computed once per
 * dataset and kept with it. All zero when the file knows no genres. */
const guint16 *ts_cover_genres_get_song_masks (TsDataset   *dataset);
/* The mean scaled features of each genre's songs into @profiles, and how
 * many songs that is into @counts (either may be NULL). FALSE when no song
 * has a cover genre. */
gboolean       ts_cover_genres_get_profiles  (TsDataset    *dataset,
                                              float         profiles[TS_COVER_N_GENRES][TS_N_FEATURES],
                                              guint         counts[TS_COVER_N_GENRES]);

/* Each row's cost for ts_similar_features_steered (): log (p_best / p),
 * with p the largest of @probs (a distribution over the cover genres) among
 * the row's genres, 1 / TS_COVER_N_GENRES for a row without one. NULL when
 * no row of @dataset has a cover genre. */
float         *ts_cover_genres_row_costs     (TsDataset    *dataset,
                                              const float   probs[TS_COVER_N_GENRES]);

G_END_DECLS
