/* fuzz-companion.c: the companion files beside data.csv
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte of the input picks the file (data_w_genres.csv,
 * data_by_year.csv, data_by_artist.csv or data_by_genres.csv), the rest
 * is its contents; it is read beside a small dataset by the readers the
 * load uses, and the aggregates it feeds are then made.
 */

#include "config.h"

#include "ts-dataset-private.h"
#include "ts-fuzz.h"

static const char * const companions[] = {
  "data_w_genres.csv",
  "data_by_year.csv",
  "data_by_artist.csv",
  "data_by_genres.csv",
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TsDataset) dataset = NULL;
  TsGroupTable *tables[3];

  if (size < 1)
    return 0;
  dataset = ts_fuzz_load_tracks ();
  _ts_dataset_read_companion_data (dataset, companions[data[0] % G_N_ELEMENTS (companions)],
                                   (const char *) data + 1, size - 1);

  tables[0] = ts_dataset_get_by_year (dataset);
  tables[1] = ts_dataset_get_by_artist (dataset);
  tables[2] = ts_dataset_get_by_genre (dataset);
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (guint g = 0; tables[t] != NULL && g < ts_group_table_get_n_groups (tables[t]); g++)
      ts_group_table_lookup (tables[t], ts_group_table_get_name (tables[t], g));
  for (guint row = 0; row < ts_dataset_get_n_rows (dataset); row++)
    g_array_unref (ts_dataset_dup_song_genres (dataset, row));
  return 0;
}
