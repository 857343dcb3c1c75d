/* ts-dataset-private.h: the dataset's storage, shared by its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ts-csv.h"
#include "ts-dataset.h"
#include "ts-group-table-private.h"

G_BEGIN_DECLS

/* A slot of a name pool's table: a name's hash and its id + 1 (0: empty). */
typedef struct
{
  guint32 hash;
  guint32 id_plus_1;
} TsNameSlot;

/* An interned pool of names: artists, or genres and labels. Ids follow
 * the order names were first interned. */
typedef struct
{
  GPtrArray    *names;    /* borrowed from strings */
  TsNameSlot   *slots;    /* open addressing, n_slots a power of two */
  guint         n_slots;
  GStringChunk *strings;
} TsNamePool;

void     _ts_name_pool_init   (TsNamePool *pool);
void     _ts_name_pool_clear  (TsNamePool *pool);
guint32  _ts_name_pool_intern (TsNamePool *pool,
                               const char *name,
                               gsize       length);
int      _ts_name_pool_lookup (TsNamePool *pool,
                               const char *name);

/* Compressed rows: the items of entry i are items[first[i] .. first[i+1]). */
typedef struct
{
  guint32 *first;       /* n_entries + 1 */
  guint32 *items;
  guint    n_entries;
} TsCsr;

void     _ts_csr_clear        (TsCsr      *csr);

struct _TsDataset
{
  GObject          parent_instance;

  char            *path;
  TsDatasetSchema  schema;
  guint            n_rows;

  /* The per-row arrays (columns to artist_count) are views into one block
   * of row_block, allocated with g_aligned_alloc(). */
  gpointer         row_block;
  /* Column c of the numeric columns is columns + c * stride. */
  double          *columns;
  gsize            stride;
  double           feature_min[TS_N_FEATURES];
  double           feature_max[TS_N_FEATURES];
  float           *scaled;           /* n_rows x TS_N_FEATURES */

  const char     **ids;              /* into string_blocks or string_chunks */
  const char     **names;
  guint32         *release_dates;
  gint32          *labels;
  gint32          *albums;           /* -1: none */
  guint32         *artist_first;     /* row -> offset in artist_refs */
  guint16         *artist_count;
  guint32         *artist_refs;
  GPtrArray       *string_blocks;    /* of g_aligned_alloc() blocks */
  GPtrArray       *string_chunks;    /* of GStringChunk */

  TsNamePool       artists;
  TsNamePool       genres;           /* genres and labels */
  GPtrArray       *artist_ids;       /* artist -> Spotify id, or NULL items;
                                      * NULL when the file has none */
  TsNamePool       albums_by_id;     /* album ids */
  GPtrArray       *album_names;      /* album -> name */
  guint32          feature_mask;     /* 1 << TsFeature for each the file has */
  TsCsr            artist_genres;    /* artist -> genres */

  guint            n_skipped;
  char           **skipped_reasons;
  char           **columns_found;
  char           **companions;
  double           load_ms;

  /* Made on first use, under lazy_lock. */
  GMutex           lazy_lock;
  gboolean         aggregates_ready;
  TsGroupTable    *by_year;
  TsGroupTable    *by_artist;
  TsGroupTable    *by_genre;

  /* Built by ts_dataset_ensure_index(). */
  GMutex           index_lock;
  gboolean         index_ready;
  GHashTable      *id_index;         /* id -> row + 1 */
  guint32         *group_of_row;
  TsCsr            groups;           /* group -> rows, most popular first */
  char           **group_folded;     /* group -> folded "name" */
  char           **artist_folded;    /* artist -> folded name */
  guint32         *artist_n_songs;
};

static inline double *
_ts_dataset_column (TsDataset *self,
                    guint      column)
{
  return self->columns + (gsize) column * self->stride;
}

/* ts-dataset-parse.c: parses the main file, @data (@length bytes, named
 * @filename in messages), into @self's rows, schema, columns_found and
 * skipped rows; FALSE with @error set when it holds no dataset or the
 * load was cancelled. */
gboolean _ts_dataset_load_main_file (TsDataset                  *self,
                                     const char                 *data,
                                     gsize                       length,
                                     const char                 *filename,
                                     const TsDatasetLoadOptions *options,
                                     TsProgressFunc              progress,
                                     gpointer                    progress_data,
                                     GCancellable               *cancellable,
                                     GError                    **error);

/* FALSE, with an error naming @filename, when a main file of @size bytes
 * is over TS_DATASET_MAX_FILE_BYTES: checked before it is mapped. */
gboolean _ts_dataset_check_size     (guint64                     size,
                                     const char                 *filename,
                                     GError                    **error);
/* Lowers TS_DATASET_MAX_ROWS for the process (tests: a small file can
 * then show the cap); never raises it above. */
void     _ts_dataset_set_max_rows   (guint                       rows);

/* ts-dataset-companions.c: reads what sits beside the main file, and
 * on first use derives what is missing. */
void     _ts_dataset_read_companions  (TsDataset    *self,
                                       GCancellable *cancellable);
void     _ts_dataset_ensure_aggregates (TsDataset   *self);
/* One companion file (by its basename, e.g. "data_by_year.csv") from
 * memory, before the aggregates are first used; FALSE if it was not
 * usable. */
gboolean _ts_dataset_read_companion_data (TsDataset  *self,
                                          const char *basename,
                                          const char *data,
                                          gsize       length);

/* ts-dataset-index.c */
void     _ts_dataset_index_clear     (TsDataset    *self);

G_END_DECLS
