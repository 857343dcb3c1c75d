/* fuzz-dataset.c: the main CSV file of a dataset, both schemas
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is data.csv (Kaggle's columns) or spotify_songs.csv
 * (TidyTuesday's): loaded once cut in chunks and once whole, which must
 * agree (the chunks are parsed separately, cut where the quotes say a
 * record starts); then everything a page asks of a fresh dataset.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ts-fuzz.h"

static TsDataset *
load (GBytes *bytes,
      gsize   min_chunk_bytes)
{
  /* One thread: up to two chunks, parsed one after the other. */
  TsDatasetLoadOptions options = { .n_threads = 1, .min_chunk_bytes = min_chunk_bytes };
  g_autoptr(GError) error = NULL;
  TsDataset *dataset = ts_dataset_load_bytes (bytes, "data.csv", &options, NULL, &error);

  if ((dataset == NULL) == (error == NULL))
    abort ();
  return dataset;
}

static void
assert_same_rows (TsDataset *a,
                  TsDataset *b)
{
  if ((a == NULL) != (b == NULL))
    abort ();
  if (a == NULL)
    return;
  if (ts_dataset_get_n_rows (a) != ts_dataset_get_n_rows (b) ||
      ts_dataset_get_n_skipped (a) != ts_dataset_get_n_skipped (b))
    abort ();
  for (guint row = 0; row < ts_dataset_get_n_rows (a); row++)
    if (strcmp (ts_dataset_get_id (a, row), ts_dataset_get_id (b, row)) != 0 ||
        strcmp (ts_dataset_get_name (a, row), ts_dataset_get_name (b, row)) != 0)
      abort ();
}

/* What the Dataset and Explore pages and the search ask first. */
static void
use (TsDataset *dataset)
{
  g_autoptr(GArray) hits = NULL;
  g_autofree char *label = NULL;

  ts_dataset_get_scaled (dataset);
  ts_dataset_get_by_year (dataset);
  ts_dataset_get_by_artist (dataset);
  ts_dataset_get_by_genre (dataset);
  ts_dataset_ensure_index (dataset);
  hits = ts_dataset_search (dataset, "a", 10);
  label = ts_dataset_dup_artists_label (dataset, 0);
  ts_dataset_lookup_id (dataset, ts_dataset_get_id (dataset, 0));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(TsDataset) chunked = load (bytes, 16);
  g_autoptr(TsDataset) whole = load (bytes, 0);

  assert_same_rows (chunked, whole);
  if (chunked != NULL)
    use (chunked);
  return 0;
}
