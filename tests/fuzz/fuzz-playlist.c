/* fuzz-playlist.c: playlist import (Exportify CSV, M3U/M3U8, link lists,
 * Tunescope's JSON) against a small dataset, and export of what it found
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every input is read in each format in turn, and as a file the format is
 * guessed for; each playlist read is written out again in every format.
 */

#include "config.h"

#include <stdlib.h>

#include "ts-fuzz.h"

static void
check_playlist (TsDataset  *dataset,
                TsPlaylist *playlist)
{
  guint n_rows = ts_dataset_get_n_rows (dataset);

  if (playlist->n_matched + playlist->n_ambiguous + playlist->n_unmatched +
      playlist->n_duplicates != playlist->entries->len)
    abort ();
  for (guint i = 0; i < playlist->rows->len; i++)
    if (g_array_index (playlist->rows, guint32, i) >= n_rows)
      abort ();
  for (TsPlaylistFormat f = TS_PLAYLIST_FORMAT_CSV; f <= TS_PLAYLIST_FORMAT_TUNESCOPE; f++)
    g_free (ts_playlist_to_string (playlist, dataset, f));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* Loaded once, for every input. */
  static TsDataset *dataset;

  if (dataset == NULL)
    dataset = ts_fuzz_load_tracks ();
  for (TsPlaylistFormat f = TS_PLAYLIST_FORMAT_AUTO; f <= TS_PLAYLIST_FORMAT_TUNESCOPE; f++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TsPlaylist) playlist = NULL;

      playlist = ts_playlist_parse (dataset, "playlist", (const char *) data, (gssize) size, f,
                                    &error);
      if ((playlist == NULL) == (error == NULL))
        abort ();
      if (playlist != NULL)
        check_playlist (dataset, playlist);
    }
  return 0;
}
