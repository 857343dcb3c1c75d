/* ts-models.h: the predictor and the autoencoder, built, trained, saved
 * and turned into song embeddings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both models read the dataset's min-max scaled features (ts-types.h
 * order):
 *   predictor    the 12 features but popularity → popularity;
 *                Normalization → [Dense → act → Dropout] × hidden → Dense(1);
 *                the last hidden activation is the "predictor" embedding.
 *   autoencoder  all 13 features → the same 13;
 *                Normalization → [Dense → act → Dropout] × hidden[..-1]
 *                → Dense(bottleneck) → [Dense → act] mirrored → Dense(13);
 *                the linear bottleneck is the "autoencoder" embedding.
 *   genre        the 13 features in raw units (so that one model serves
 *                any file, whatever its ranges) → the song's artist genres
 *                (multi-hot over the most common ones, from
 *                data_w_genres.csv); Normalization → [Dense → act →
 *                Dropout] × hidden → Dense(genres) → sigmoid, trained with
 *                binary cross-entropy on the songs of the artists it does
 *                not hold out (see ts_model_artist_is_held_out ()); the
 *                last hidden activation is the "genre" embedding, a space
 *                learned for similarity.
 * A file keeps, in __metadata__ beside the architecture: "model" (the
 * kind), "embedding_layer", "inputs" and "outputs" (feature names, JSON),
 * "training" (the options, JSON), "dataset" (path, rows, bytes, mtime,
 * sha256, JSON) and "validation" (the final figures, JSON).
 */

#pragma once

#include <gio/gio.h>

#include "ts-dataset.h"
#include "nn/ts-nn-model.h"

G_BEGIN_DECLS

typedef enum
{
  TS_MODEL_PREDICTOR,
  TS_MODEL_AUTOENCODER,
  TS_MODEL_GENRE,
  TS_N_MODEL_KINDS
} TsModelKind;

#define TS_MODEL_MAX_HIDDEN 8
#define TS_MODEL_MAX_UNITS  4096

typedef struct
{
  TsModelKind    kind;
  int            epochs;
  int            batch_size;
  float          lr;
  TsNnOptimizer  optimizer;
  TsNnLoss       loss;
  TsNnActivation activation;
  int            hidden[TS_MODEL_MAX_HIDDEN];
  int            n_hidden;
  float          dropout;     /* after each hidden activation; 0: no Dropout layers */
  guint64        seed;
  float          val_split;   /* in [0, 1); 0: no validation, so no early stopping or R² */
  int            patience;    /* early stopping; 0: never */
  int            n_threads;   /* OpenBLAS threads; 0: leave as is */
  int            max_genres;  /* genre: the most common genres it predicts */
  float          holdout;     /* genre: the share of artists left out of training */
} TsModelOptions;

/* The figures of a finished training, on the validation rows. */
typedef struct
{
  int    epochs_run;
  int    best_epoch;     /* whose weights were kept; 0 without validation (the last) */
  int    n_train;
  int    n_val;          /* 0 with --val-split 0: the val_ figures and r2 are NaN */
  double loss;           /* last epoch's training loss (the chosen loss) */
  double val_loss;       /* the kept (best) epoch's validation loss; NaN without one */
  double val_mse;        /* mean squared error over every output */
  double baseline_mse;   /* the same for the training targets' mean */
  double r2;             /* 1 - val_mse / baseline_mse */
  double seconds;        /* training alone */
} TsModelReport;

typedef struct _TsModel TsModel;

const char *ts_model_kind_get_name     (TsModelKind            kind);
gboolean    ts_model_kind_from_name    (const char            *name,
                                        TsModelKind           *kind);

/* The defaults of @kind (a good model in seconds on 170k rows). */
void        ts_model_options_init      (TsModelOptions        *options,
                                        TsModelKind            kind);
/* Parses "64,32" into options->hidden. Errors are TS_ERROR_INVALID_INPUT. */
gboolean    ts_model_options_set_hidden (TsModelOptions       *options,
                                        const char            *text,
                                        GError               **error);
/* "64,32" */
char       *ts_model_options_dup_hidden (const TsModelOptions *options);
/* Every value in range; errors are TS_ERROR_INVALID_INPUT, naming the
 * option as the CLI spells it (--epochs, --hidden, ...). */
gboolean    ts_model_options_check     (const TsModelOptions  *options,
                                        GError               **error);
/* {"epochs":20,"batch_size":256,...} */
char       *ts_model_options_to_json   (const TsModelOptions  *options);

/* {"epochs_run":20,"best_epoch":20,"train_rows":..,"val_rows":..,"loss":..,
 * "val_loss":..,"val_mse":..,"baseline_mse":..,"r2":..,"seconds":..};
 * a figure that is not finite is null, and so is every validation figure
 * (best_epoch included) when there were no validation rows. */
char       *ts_model_report_to_json    (const TsModelReport   *report);

/* The untrained network of @options, initialised from its seed. */
TsNnModel  *ts_model_build_network     (const TsModelOptions  *options,
                                        GError               **error);

/* The model's input (n, in) and target (n, out) rows from the dataset's
 * scaled (n, TS_N_FEATURES) rows (predictor and autoencoder; the genre
 * model's output size depends on the dataset: 0 here). */
int         ts_model_kind_get_input_size  (TsModelKind         kind);
int         ts_model_kind_get_output_size (TsModelKind         kind);
float      *ts_model_kind_dup_inputs      (TsModelKind         kind,
                                           const float        *scaled,
                                           int                 n);
float      *ts_model_kind_dup_targets     (TsModelKind         kind,
                                           const float        *scaled,
                                           int                 n);

/* Whether @dataset can train a model of @kind: the predictor learns
 * popularity, which the 1.2M set lacks (TS_ERROR_INVALID_INPUT, naming
 * the file). */
gboolean    ts_model_kind_check_dataset (TsModelKind          kind,
                                        TsDataset            *dataset,
                                        GError              **error);

/* Trains on the dataset's rows (blocking). @callback gets every epoch on
 * this thread. Cancellation yields G_IO_ERROR_CANCELLED. */
TsModel    *ts_model_train             (TsDataset             *dataset,
                                        const TsModelOptions  *options,
                                        TsNnEpochFunc          callback,
                                        gpointer               user_data,
                                        GCancellable          *cancellable,
                                        GError               **error);
/* The same on a worker thread. Each epoch's report reaches @epoch_func in
 * the caller's thread-default main context, all of them before @callback. */
void        ts_model_train_async       (TsDataset             *dataset,
                                        const TsModelOptions  *options,
                                        TsNnEpochFunc          epoch_func,
                                        gpointer               epoch_data,
                                        GDestroyNotify         epoch_data_free,
                                        GCancellable          *cancellable,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data);
/* Finishes ts_model_train_async and ts_model_retrain_async. */
TsModel    *ts_model_train_finish      (GAsyncResult          *result,
                                        GError               **error);

/* $XDG_DATA_HOME/tunescope/models/<kind>.safetensors */
char       *ts_model_default_path      (TsModelKind            kind);
/* Whether a model could be written at @path, checked before a long
 * training: a folder, or a path under a file, is TS_ERROR_INVALID_INPUT;
 * a folder that cannot be made or written to (tried with a file created
 * and removed) is TS_ERROR_IO. Creates the missing folders. */
gboolean    ts_model_check_path        (const char            *path,
                                        GError               **error);
/* Atomic: the file appears whole or not at all. */
gboolean    ts_model_save              (TsModel               *self,
                                        const char            *path,
                                        GError               **error);
/* Refuses a file that is not one of our two models. */
TsModel    *ts_model_load              (const char            *path,
                                        GError               **error);
void        ts_model_free              (TsModel               *self);

TsModelKind          ts_model_get_kind    (TsModel             *self);
TsNnModel           *ts_model_get_network (TsModel             *self);
/* The options it was trained with; after a load, what the file's
 * "training" says over the kind's defaults. */
const TsModelOptions *ts_model_get_options (TsModel            *self);
/* After a load, the file's "validation" (zeroes and NaNs where missing). */
const TsModelReport *ts_model_get_report  (TsModel             *self);
/* Why the model ts_model_ensure () trained is in memory only (its cache
 * file could not be written, e.g. a read-only folder), or NULL. */
const char          *ts_model_get_unsaved_reason (TsModel      *self);
/* The __metadata__ it was loaded with or will be saved with. */
GHashTable          *ts_model_get_metadata (TsModel            *self);
int                  ts_model_get_embedding_layer (TsModel     *self);
int                  ts_model_get_embedding_size  (TsModel     *self);

/* The embedding of every song of @dataset: (n_rows, *dim) floats. The
 * genre model's is centred on the dataset's mean. */
float      *ts_model_embed             (TsModel               *self,
                                        TsDataset             *dataset,
                                        int                   *dim,
                                        GError               **error);
/* The same for @n scaled rows (n, TS_N_FEATURES); not for the genre
 * model, which reads raw values (TS_ERROR_INVALID_INPUT). */
float      *ts_model_embed_scaled      (TsModel               *self,
                                        const float           *scaled,
                                        int                    n,
                                        int                   *dim,
                                        GError               **error);

gboolean    ts_model_matches_dataset   (TsModel               *self,
                                        TsDataset             *dataset);
/* The model of @kind for @dataset from the models folder: the user's
 * own if trained on this dataset, else one cached by the dataset's
 * checksum, trained and saved first when missing (@trained says so; may
 * be NULL). A model that cannot be saved is still returned, with
 * ts_model_get_unsaved_reason () saying why. Blocking: seconds on 170k
 * rows. */
TsModel    *ts_model_ensure            (TsDataset             *dataset,
                                        TsModelKind            kind,
                                        gboolean              *trained,
                                        GCancellable          *cancellable,
                                        GError               **error);

/* Trains a model of @options and only then saves it atomically to @path
 * (checked first): a cancelled or failed run leaves what @path held
 * untouched. Blocking; @callback gets every epoch on this thread. */
TsModel    *ts_model_retrain           (TsDataset             *dataset,
                                        const TsModelOptions  *options,
                                        const char            *path,
                                        TsNnEpochFunc          callback,
                                        gpointer               user_data,
                                        GCancellable          *cancellable,
                                        GError               **error);

/* The same on a worker thread, epochs reported as ts_model_train_async
 * does; finish with ts_model_train_finish. */
void        ts_model_retrain_async     (TsDataset             *dataset,
                                        const TsModelOptions  *options,
                                        const char            *path,
                                        TsNnEpochFunc          epoch_func,
                                        gpointer               epoch_data,
                                        GDestroyNotify         epoch_data_free,
                                        GCancellable          *cancellable,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data);

/* ---- the models folder ---- */

/* One .safetensors file of the models folder, whatever model it holds. */
typedef struct
{
  char       *path;
  char       *name;      /* the file's name */
  char       *kind;      /* __metadata__["model"]: "predictor", "cnn", ...; NULL when unreadable */
  char       *error;     /* why it could not be read, else NULL */
  gint64      size;      /* bytes */
  gint64      mtime;     /* seconds since the epoch, UTC */
  GHashTable *metadata;  /* string -> string, empty when unreadable */
} TsModelFile;

/* $XDG_DATA_HOME/tunescope/models */
char       *ts_model_folder            (void);
/* Every *.safetensors in @folder, by name; a file that cannot be read is
 * listed with its error rather than left out. A missing folder is an
 * empty list; one that cannot be read is TS_ERROR_IO. */
GPtrArray  *ts_model_list_folder       (const char            *folder,
                                        GError               **error);
void        ts_model_file_free         (TsModelFile           *file);
/* The JSON object under @key of the file's metadata ("training",
 * "validation", ...) as "name value, name value" for people: numbers
 * with 4 significant digits whatever the locale, integer arrays as
 * "64,32", other nested values and nulls left out, and the members named
 * in @skip (NULL-terminated, may be NULL). NULL when the key is missing or
 * not an object. */
char       *ts_model_file_summarize    (const TsModelFile     *file,
                                        const char            *key,
                                        const char * const    *skip);
/* Whether the file's model was validated on held-out rows or images;
 * FALSE for one trained on every row (--val-split 0), or without figures. */
gboolean    ts_model_file_has_validation (const TsModelFile   *file);

/* Whether the genre model leaves the artist named @name out of its
 * training: a stable hash of the name puts @holdout of all artists
 * aside, so that evaluation can ask about songs it never saw. */
gboolean    ts_model_artist_is_held_out (const char           *name,
                                        float                  holdout);
/* One flag per row of @dataset: 1 when every artist of the song is held
 * out (an honest query for a genre model trained with @holdout). */
guint8     *ts_model_dup_held_out_songs (TsDataset            *dataset,
                                        float                  holdout);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsModel, ts_model_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsModelFile, ts_model_file_free)

G_END_DECLS
