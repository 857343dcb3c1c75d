/* ts-cli-train.c: tunescope-cli train predictor|autoencoder|genre, train cnn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-cli"

#include "config.h"

#include <math.h>

#include "ts-cli-common.h"

typedef struct
{
  char *epochs, *batch_size, *lr, *optimizer, *loss, *activation, *hidden, *dropout, *seed;
  char *val_split, *patience, *output, *max_genres, *holdout;
} TrainArgs;

static void
train_args_clear (TrainArgs *a)
{
  char **fields[] = { &a->epochs, &a->batch_size, &a->lr, &a->optimizer, &a->loss,
                      &a->activation, &a->hidden, &a->dropout, &a->seed, &a->val_split,
                      &a->patience, &a->output, &a->max_genres, &a->holdout };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_clear_pointer (fields[i], g_free);
}

/* "a, b or c" from a name getter. */
static char *
dup_choices (const char *(*get_name) (int),
             int          n)
{
  GString *text = g_string_new (NULL);

  for (int i = 0; i < n; i++)
    g_string_append_printf (text, "%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ",
                            get_name (i));
  return g_string_free (text, FALSE);
}

static const char *optimizer_name (int i) { return ts_nn_optimizer_get_name ((TsNnOptimizer) i); }
static const char *loss_name (int i) { return ts_nn_loss_get_name ((TsNnLoss) i); }
static const char *activation_name (int i) { return ts_nn_activation_get_name ((TsNnActivation) i); }
static const char *kind_name (int i) { return ts_model_kind_get_name ((TsModelKind) i); }

static gboolean
parse_name (const char  *option,
            const char  *text,
            gboolean   (*from_name) (const char *, int *),
            const char *(*get_name) (int),
            int          n,
            int         *value)
{
  g_autofree char *choices = NULL;

  if (text == NULL || from_name (text, value))
    return TRUE;
  choices = dup_choices (get_name, n);
  ts_cli_usage_error ("train", "unknown %s “%s” (choose %s)", option, text, choices);
  return FALSE;
}

static gboolean optimizer_from (const char *s, int *v) { return ts_nn_optimizer_from_name (s, (TsNnOptimizer *) v); }
static gboolean loss_from (const char *s, int *v) { return ts_nn_loss_from_name (s, (TsNnLoss *) v); }
static gboolean activation_from (const char *s, int *v) { return ts_nn_activation_from_name (s, (TsNnActivation *) v); }

/* Applies the command line over the kind's defaults; FALSE after a usage
 * error was printed. */
static gboolean
apply_args (const TrainArgs *a,
            TsModelOptions  *o)
{
  gint64 epochs = o->epochs, batch = o->batch_size, patience = o->patience;
  gint64 max_genres = o->max_genres;
  gint64 seed = (gint64) o->seed;
  int optimizer = o->optimizer, loss = o->loss, activation = o->activation;
  g_autoptr(GError) error = NULL;

  if (!ts_cli_parse_int_option ("train", "--epochs", a->epochs, 1, 100000, &epochs)
      || !ts_cli_parse_int_option ("train", "--batch-size", a->batch_size, 1, 65536, &batch)
      || !ts_cli_parse_int_option ("train", "--patience", a->patience, 0, 100000, &patience)
      || !ts_cli_parse_int_option ("train", "--seed", a->seed, 0, G_MAXINT64, &seed)
      || !ts_cli_parse_int_option ("train", "--max-genres", a->max_genres, 2,
                                   TS_MODEL_MAX_UNITS, &max_genres)
      || !ts_cli_parse_float_option ("train", "--holdout", a->holdout, &o->holdout)
      || !ts_cli_parse_float_option ("train", "--lr", a->lr, &o->lr)
      || !ts_cli_parse_float_option ("train", "--dropout", a->dropout, &o->dropout)
      || !ts_cli_parse_float_option ("train", "--val-split", a->val_split, &o->val_split)
      || !parse_name ("optimizer", a->optimizer, optimizer_from, optimizer_name, TS_NN_N_OPTS,
                      &optimizer)
      || !parse_name ("loss", a->loss, loss_from, loss_name, TS_NN_N_LOSSES, &loss)
      || !parse_name ("activation", a->activation, activation_from, activation_name,
                      TS_NN_N_ACTS, &activation))
    return FALSE;
  o->epochs = (int) epochs;
  o->batch_size = (int) batch;
  o->patience = (int) patience;
  o->seed = (guint64) seed;
  o->max_genres = (int) max_genres;
  o->optimizer = (TsNnOptimizer) optimizer;
  o->loss = (TsNnLoss) loss;
  o->activation = (TsNnActivation) activation;

  if ((a->hidden != NULL && !ts_model_options_set_hidden (o, a->hidden, &error))
      || !ts_model_options_check (o, &error))
    {
      ts_cli_usage_error ("train", "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* ---- the run ----------------------------------------------------------- */

typedef struct
{
  TsDataset      *dataset;
  TsModelOptions  options;
} TrainJob;

typedef struct
{
  TsProgressFunc progress;
  gpointer       progress_data;
} EpochBar;

static char *
format_number (double value,
               const char *format)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, format, value));
}

/* "epoch 3/20 loss 0.016 val 0.0117 ETA 4s 76k rows/s": what matters
 * most first, as a narrow terminal cuts the end. */
static void
on_epoch (const TsNnEpochInfo *info,
          gpointer             data)
{
  EpochBar *bar = data;
  g_autofree char *loss = format_number (info->loss, "%.3g");
  g_autofree char *val = format_number (info->val_loss, "%.3g");
  g_autofree char *rate = format_number (info->samples_per_s / 1000.0, "%.0f");
  g_autofree char *eta = format_number (info->eta_s, "%.0f");
  /* --val-split 0 has no validation loss to show. */
  g_autofree char *message = g_strdup_printf ("epoch %d/%d loss %s%s%s ETA %ss %sk rows/s",
                                              info->epoch, info->epochs, loss,
                                              isfinite (info->val_loss) ? " val " : "",
                                              isfinite (info->val_loss) ? val : "", eta, rate);

  bar->progress ((double) info->epoch / MAX (info->epochs, 1), message, bar->progress_data);
}

static void
start_train (gpointer             start_data,
             TsProgressFunc       progress,
             gpointer             progress_data,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  TrainJob *job = start_data;
  EpochBar *bar = NULL;

  if (progress != NULL)
    {
      bar = g_new0 (EpochBar, 1);
      bar->progress = progress;
      bar->progress_data = progress_data;
    }
  ts_model_train_async (job->dataset, &job->options, bar ? on_epoch : NULL, bar, g_free,
                        cancellable, callback, user_data);
}

/* ---- output ------------------------------------------------------------ */

/* The report's figures, then what this run adds to them. */
static void
print_json (TsModel    *model,
            const char *path)
{
  g_autofree char *figures = ts_model_report_to_json (ts_model_get_report (model));
  g_autofree char *options = ts_model_options_to_json (ts_model_get_options (model));
  g_autoptr(JsonNode) root = json_from_string (figures, NULL);
  JsonObject *object = json_node_get_object (root);

  json_object_set_string_member (object, "model",
                                 ts_model_kind_get_name (ts_model_get_kind (model)));
  json_object_set_string_member (object, "path", path);
  json_object_set_int_member (object, "embedding_dim", ts_model_get_embedding_size (model));
  json_object_set_member (object, "options", json_from_string (options, NULL));
  ts_cli_print_json_node (root);
}

/* The held-out rows' figures; none after --val-split 0. */
static void
print_validation (TsModel *model)
{
  const TsModelReport *r = ts_model_get_report (model);
  TsModelKind kind = ts_model_get_kind (model);
  g_autofree char *val_loss = format_number (r->val_loss, "%.5g");
  g_autofree char *val_mse = format_number (r->val_mse, "%.5g");
  g_autofree char *baseline = format_number (r->baseline_mse, "%.5g");
  g_autofree char *r2 = format_number (r->r2, "%.3f");

  if (r->n_val == 0)
    {
      g_print ("  %s\n", TS_CLI_NO_VALIDATION);
      return;
    }
  g_print ("  val loss (%s):    %s  on %d held-out rows\n",
           ts_nn_loss_get_name (ts_model_get_options (model)->loss), val_loss, r->n_val);
  if (kind == TS_MODEL_PREDICTOR)
    g_print ("  val R²:            %s  (MSE %s; predicting the mean: MSE %s, R² 0)\n", r2,
             val_mse, baseline);
  else if (kind == TS_MODEL_GENRE)
    g_print ("  val R²:            %s  (genre probabilities' MSE %s; the genres' shares: %s)\n",
             r2, val_mse, baseline);
  else
    g_print ("  val R²:            %s  (reconstruction MSE %s; the mean: %s)\n", r2, val_mse,
             baseline);
}

static void
print_text (TsModel    *model,
            const char *path)
{
  const TsModelReport *r = ts_model_get_report (model);
  TsModelKind kind = ts_model_get_kind (model);
  g_autofree char *seconds = format_number (r->seconds, "%.1f");
  g_autofree char *loss = format_number (r->loss, "%.5g");
  g_autofree char *best = r->n_val > 0 ? g_strdup_printf (", best %d", r->best_epoch)
                                       : g_strdup ("");

  g_print ("Trained the %s%s on %d rows in %s s (%d epochs%s)\n", ts_model_kind_get_name (kind),
           kind == TS_MODEL_GENRE ? " model" : "", r->n_train, seconds, r->epochs_run, best);
  g_print ("  train loss (%s):  %s\n",
           ts_nn_loss_get_name (ts_model_get_options (model)->loss), loss);
  print_validation (model);
  g_print ("  embedding:         %d dimensions\n", ts_model_get_embedding_size (model));
  g_print ("Saved %s\n", path);
}

int
ts_cli_train (TsCli  *cli,
              int     argc,
              char  **argv)
{
  TrainArgs a = { 0 };
  const GOptionEntry entries[] = {
    { "epochs", 0, 0, G_OPTION_ARG_STRING, &a.epochs, "Passes over the data (20)", "N" },
    { "batch-size", 0, 0, G_OPTION_ARG_STRING, &a.batch_size, "Rows per step (256)", "N" },
    { "lr", 0, 0, G_OPTION_ARG_STRING, &a.lr, "Learning rate (0.001)", "RATE" },
    { "optimizer", 0, 0, G_OPTION_ARG_STRING, &a.optimizer,
      "sgd, momentum, nesterov, rmsprop, adam or adamw (adam)", "NAME" },
    { "loss", 0, 0, G_OPTION_ARG_STRING, &a.loss, "mse, mae or huber (mse)", "NAME" },
    { "activation", 0, 0, G_OPTION_ARG_STRING, &a.activation,
      "relu, relu6, leaky_relu, elu, gelu, tanh, sigmoid or linear (relu)", "NAME" },
    { "hidden", 0, 0, G_OPTION_ARG_STRING, &a.hidden,
      "Hidden layer sizes; the autoencoder's last is its bottleneck "
      "(predictor 64,32; autoencoder 64,32,8)", "N,N,…" },
    { "dropout", 0, 0, G_OPTION_ARG_STRING, &a.dropout,
      "Dropout rate after each hidden layer (predictor 0.1, autoencoder 0)", "RATE" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &a.seed, "Random seed (42)", "N" },
    { "val-split", 0, 0, G_OPTION_ARG_STRING, &a.val_split,
      "Fraction of rows held out for validation; 0 trains on all and keeps the last epoch "
      "(0.1)", "FRACTION" },
    { "patience", 0, 0, G_OPTION_ARG_STRING, &a.patience,
      "Stop after this many epochs without a better validation loss; 0 never (3)", "N" },
    { "max-genres", 0, 0, G_OPTION_ARG_STRING, &a.max_genres,
      "Genre model: how many of the most common artist genres it predicts (200)", "N" },
    { "holdout", 0, 0, G_OPTION_ARG_STRING, &a.holdout,
      "Genre model: the share of artists left out of training, for evaluation (0.2)",
      "FRACTION" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &a.output,
      "Where to save the model (default: $XDG_DATA_HOME/tunescope/models/KIND.safetensors)",
      "MODEL" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsDataset) dataset = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TsModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  TsModelKind kind;
  TrainJob job = { 0 };
  int status = TS_CLI_EXIT_USAGE;

  if (ts_cli_rotate_verb (argc, argv) && g_str_equal (argv[1], "cnn"))
    return ts_cli_train_cnn (cli, argc, argv);
  context = ts_cli_context_new (cli, "train", "predictor|autoencoder|genre",
                                "Train a model on the dataset and save it as safetensors.",
                                entries, TRUE);
  if (!ts_cli_parse (context, "train", &argc, &argv))
    goto out;
  if (argc < 2)
    {
      ts_cli_usage_error ("train", "which model? predictor, autoencoder or genre");
      goto out;
    }
  if (g_str_equal (argv[1], "cnn"))
    {
      /* The CNN has options of its own, so its verb must be known first. */
      ts_cli_usage_error ("train", "write “cnn” right after “train” (only --data and --json "
                          "may come between): train cnn [OPTIONS]");
      goto out;
    }
  if (argc > 2)
    {
      ts_cli_usage_error ("train", "unexpected argument “%s”", argv[2]);
      goto out;
    }
  if (!ts_model_kind_from_name (argv[1], &kind))
    {
      g_autofree char *choices = dup_choices (kind_name, TS_N_MODEL_KINDS);

      ts_cli_usage_error ("train", "unknown model “%s” (choose %s)", argv[1], choices);
      goto out;
    }
  ts_model_options_init (&job.options, kind);
  if (!apply_args (&a, &job.options))
    goto out;

  /* The destination is checked before a training that may take minutes. */
  path = a.output ? g_strdup (a.output) : ts_model_default_path (kind);
  if (!ts_model_check_path (path, &error))
    {
      status = ts_cli_report_error (error, NULL);
      goto out;
    }

  dataset = ts_cli_load_dataset (cli, &error);
  if (dataset == NULL)
    {
      status = ts_cli_report_error (error, NULL);
      goto out;
    }
  job.dataset = dataset;
  result = ts_cli_run_async ("Training", start_train, &job);
  model = ts_model_train_finish (result, &error);
  if (model == NULL || !ts_model_save (model, path, &error))
    {
      status = ts_cli_report_error (error, NULL);
      goto out;
    }

  if (cli->json)
    print_json (model, path);
  else
    print_text (model, path);
  status = TS_CLI_EXIT_OK;

out:
  train_args_clear (&a);
  return status;
}

/* ---- train cnn --------------------------------------------------------- */

/* A CNN figure: "n/a" when there is none (not finite). */
static char *
format_figure (double      value,
               const char *format)
{
  if (!isfinite (value))
    return g_strdup ("n/a");
  return format_number (value, format);
}

static void
on_cnn_epoch (const TsNnEpochInfo *info,
              gpointer             user_data)
{
  g_autofree char *loss = format_figure (info->loss, "%.4g");
  g_autofree char *val = format_figure (info->val_loss, "%.4g");
  g_autofree char *rate = format_figure (info->samples_per_s, "%.0f");

  (void) user_data;
  /* --val-split 0 has no validation loss to show. */
  g_printerr ("epoch %d/%d loss %s%s%s %s images/s\n", info->epoch, info->epochs, loss,
              isfinite (info->val_loss) ? " val " : "", isfinite (info->val_loss) ? val : "",
              rate);
}

typedef struct
{
  TsCoverManifest    *manifest;
  const TsCnnOptions *options;
  GPtrArray          *unreadable;
  TsCnn              *cnn;
} CnnJob;

static gboolean
run_cnn_training (gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  CnnJob *job = data;

  job->cnn = ts_cnn_train_covers (job->manifest, job->options, NULL, NULL,
                                  ts_cli_is_interactive () ? on_cnn_epoch : NULL, NULL,
                                  cancellable, &job->unreadable, error);
  return job->cnn != NULL;
}

/* The genre head's line: its accuracy on held-out covers against the
 * most common genre, and whether searches use it. */
static void
print_cnn_genres (const TsCnnReport *r)
{
  g_autofree char *accuracy = format_figure (r->genre_accuracy, "%.3f");
  g_autofree char *baseline = format_figure (r->genre_baseline_accuracy, "%.3f");

  if (r->n_genre_train == 0)
    {
      g_print ("  genres: no cover has a genre playlist; no genre head\n");
      return;
    }
  g_print ("  genres: %d covers trained, %d held out: accuracy %s, the most common genre "
           "alone %s; %s\n", r->n_genre_train, r->n_genre_val, accuracy, baseline,
           ts_cnn_report_genres_useful (r) ? "searches are steered by it"
           : "no better than that baseline, so searches do not use it");
}

static void
print_cnn_text (TsCnn      *cnn,
                const char *path,
                guint       n_unreadable)
{
  const TsCnnReport *r = ts_cnn_get_report (cnn);
  g_autofree char *seconds = format_figure (r->seconds, "%.1f");
  g_autofree char *val = format_figure (r->val_mse, "%.5f");
  g_autofree char *base = format_figure (r->baseline_mse, "%.5f");
  g_autofree char *loss = format_figure (r->loss, "%.5f");

  if (ts_cnn_get_backbone_kind (cnn) == TS_CNN_BACKBONE_NONE)
    g_print ("Trained the cnn from scratch on %d images (%d held out) in %s s, %d epochs",
             r->n_train, r->n_val, seconds, r->epochs_run);
  else
    g_print ("Trained the cnn's heads on the pretrained %s on %d covers (%d held out by file "
             "name) in %s s, %d epochs", ts_cnn_backbone_get_name (ts_cnn_get_backbone_kind (cnn)),
             r->n_train, r->n_val, seconds, r->epochs_run);
  if (r->best_epoch > 0 && r->best_epoch != r->epochs_run)
    g_print (" (kept epoch %d, the best on validation)", r->best_epoch);
  if (n_unreadable > 0)
    g_print ("; %u unreadable images skipped", n_unreadable);
  g_print ("\n  training loss (MSE, last epoch): %s\n", loss);
  if (r->n_val == 0)
    {
      g_print ("  %s\nSaved %s\n", TS_CLI_NO_VALIDATION, path);
      return;
    }
  g_print ("  %-18s %10s %10s %8s\n", "feature", "val MSE", "mean MSE", "ratio");
  for (int f = 0; f < TS_N_FEATURES; f++)
    {
      g_autofree char *v = format_figure (r->val_feature_mse[f], "%.5f");
      g_autofree char *b = format_figure (r->baseline_feature_mse[f], "%.5f");
      g_autofree char *ratio = format_figure (r->val_feature_mse[f] / r->baseline_feature_mse[f],
                                              "%.3f");

      g_print ("  %-18s %10s %10s %8s\n", ts_feature_get_name (f), v, b, ratio);
    }
  g_print ("  %-18s %10s %10s\n", "all", val, base);
  if (!ts_cnn_report_profile_useful (r))
    g_print ("  the predicted profile is no better than the training mean on held-out covers\n");
  if (ts_cnn_get_backbone_kind (cnn) != TS_CNN_BACKBONE_NONE)
    print_cnn_genres (r);
  g_print ("Saved %s\n", path);
}

/* train cnn's options as typed; NULL when not given. */
typedef struct
{
  char *epochs, *image_size, *blocks, *filters, *batch_size, *augment, *seed, *patience;
  char *lr, *dropout, *val_split, *backbone, *weight_decay;
} CnnArgs;

static void
cnn_args_clear (CnnArgs *a)
{
  char **fields[] = { &a->epochs, &a->image_size, &a->blocks, &a->filters, &a->batch_size,
                      &a->augment, &a->seed, &a->patience, &a->lr, &a->dropout, &a->val_split,
                      &a->backbone, &a->weight_decay };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_clear_pointer (fields[i], g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CnnArgs, cnn_args_clear)

/* The defaults of the backbone asked for; FALSE after a usage error. */
static gboolean
init_cnn_options (const CnnArgs *a,
                  TsCnnOptions  *o)
{
  TsCnnBackbone backbone = TS_CNN_BACKBONE_MOBILENETV2;

  if (a->backbone != NULL && !ts_cnn_backbone_from_name (a->backbone, &backbone))
    {
      ts_cli_usage_error ("train", "--backbone must be none or mobilenetv2, not “%s”",
                          a->backbone);
      return FALSE;
    }
  ts_cnn_options_init_for (o, backbone);
  if (backbone != TS_CNN_BACKBONE_NONE
      && (a->image_size != NULL || a->blocks != NULL || a->filters != NULL || a->augment != NULL))
    {
      ts_cli_usage_error ("train", "--image-size, --blocks, --filters and --augment shape the "
                          "CNN trained from scratch; add --backbone none");
      return FALSE;
    }
  return TRUE;
}

/* The command line over those defaults; FALSE after a usage error. */
static gboolean
apply_cnn_args (const CnnArgs *a,
                TsCnnOptions  *o)
{
  /* Whole numbers are only parsed here; ts_cnn_options_check () owns the
   * ranges. */
  struct { const char *option; const char *text; int *field; } ints[] = {
    { "--epochs", a->epochs, &o->epochs }, { "--image-size", a->image_size, &o->image_size },
    { "--blocks", a->blocks, &o->blocks }, { "--filters", a->filters, &o->filters },
    { "--batch-size", a->batch_size, &o->batch_size }, { "--augment", a->augment, &o->augment },
    { "--patience", a->patience, &o->patience },
  };
  gint64 seed = (gint64) o->seed;

  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    {
      gint64 value = *ints[i].field;

      if (!ts_cli_parse_int_option ("train", ints[i].option, ints[i].text, 0, G_MAXINT,
                                    &value))
        return FALSE;
      *ints[i].field = (int) value;
    }
  if (!ts_cli_parse_int_option ("train", "--seed", a->seed, 0, G_MAXINT64, &seed)
      || !ts_cli_parse_float_option ("train", "--lr", a->lr, &o->lr)
      || !ts_cli_parse_float_option ("train", "--dropout", a->dropout, &o->dropout)
      || !ts_cli_parse_float_option ("train", "--val-split", a->val_split, &o->val_split)
      || !ts_cli_parse_float_option ("train", "--weight-decay", a->weight_decay,
                                     &o->weight_decay))
    return FALSE;
  o->seed = (guint64) seed;
  return TRUE;
}

int
ts_cli_train_cnn (TsCli  *cli,
                  int     argc,
                  char  **argv)
{
  g_auto (CnnArgs) a = { 0 };
  g_autofree char *output = NULL;
  g_autofree char *manifest_path = NULL;
  const GOptionEntry entries[] = {
    { "backbone", 0, 0, G_OPTION_ARG_STRING, &a.backbone,
      "mobilenetv2: small heads on the pretrained MobileNetV2's image features; none: a CNN "
      "trained from scratch (mobilenetv2)", "NAME" },
    { "epochs", 0, 0, G_OPTION_ARG_STRING, &a.epochs,
      "Passes over the covers (300; 15 with --backbone none)", "N" },
    { "image-size", 0, 0, G_OPTION_ARG_STRING, &a.image_size,
      "Side of the network's input, --backbone none only (64)", "PIXELS" },
    { "blocks", 0, 0, G_OPTION_ARG_STRING, &a.blocks, "Conv blocks, --backbone none only (3)",
      "N" },
    { "filters", 0, 0, G_OPTION_ARG_STRING, &a.filters,
      "The first block's filters, --backbone none only (16)", "N" },
    { "batch-size", 0, 0, G_OPTION_ARG_STRING, &a.batch_size, "Images per step (32)", "N" },
    { "lr", 0, 0, G_OPTION_ARG_STRING, &a.lr, "Learning rate (0.001)", "RATE" },
    { "dropout", 0, 0, G_OPTION_ARG_STRING, &a.dropout, "Dropout before the output (0.3)",
      "RATE" },
    { "weight-decay", 0, 0, G_OPTION_ARG_STRING, &a.weight_decay,
      "AdamW's weight decay, --backbone mobilenetv2 (0.01)", "RATE" },
    { "augment", 0, 0, G_OPTION_ARG_STRING, &a.augment,
      "Augmented copies (flip, crop, colour jitter) of each training cover, --backbone none "
      "only (1)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &a.seed, "Random seed (42)", "N" },
    { "val-split", 0, 0, G_OPTION_ARG_STRING, &a.val_split,
      "Fraction of covers held out for validation (with the backbone: chosen by file name, "
      "the same in every run); 0 trains on all and keeps the last epoch (0.2)", "FRACTION" },
    { "patience", 0, 0, G_OPTION_ARG_STRING, &a.patience,
      "Stop after this many epochs without a better validation loss; 0 never (30; 5 with "
      "--backbone none)", "N" },
    { "manifest", 0, 0, G_OPTION_ARG_FILENAME, &manifest_path,
      "The covers (default: $XDG_CACHE_HOME/tunescope/covers/manifest.json)", "FILE" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Where to save the model (default: $XDG_DATA_HOME/tunescope/models/cnn.safetensors)",
      "MODEL" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsCoverManifest) manifest = NULL;
  g_autoptr(TsCnn) cnn = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) unreadable = NULL;
  TsCnnOptions o;
  CnnJob job;
  guint n_unreadable = 0;

  context = ts_cli_context_new (cli, "train", "cnn",
                                "Train the cover-art model on the collected covers.", entries,
                                FALSE);
  if (!ts_cli_parse (context, "train", &argc, &argv))
    return TS_CLI_EXIT_USAGE;
  if (argc > 2)
    return ts_cli_usage_error ("train", "unexpected argument “%s”", argv[2]);

  if (!init_cnn_options (&a, &o) || !apply_cnn_args (&a, &o))
    return TS_CLI_EXIT_USAGE;
  if (!ts_cnn_options_check (&o, &error))
    return ts_cli_usage_error ("train", "%s", error->message);

  path = output != NULL ? g_strdup (output) : ts_cnn_default_path ();
  if (!ts_model_check_path (path, &error))
    return ts_cli_report_error (error, NULL);
  if (manifest_path == NULL)
    manifest_path = ts_cli_covers_manifest_path ();
  manifest = ts_cover_manifest_load (manifest_path, &error);
  if (manifest == NULL)
    return ts_cli_report_error (error, NULL);
  if (ts_cover_manifest_get_n_entries (manifest) < 2)
    {
      g_printerr ("%s: error: no covers to train on in %s; collect some first with "
                  "“%s covers collect --source musicbrainz” or "
                  "“%s covers collect --source folder --dir DIR”\n", TS_CLI_NAME, manifest_path,
                  TS_CLI_NAME, TS_CLI_NAME);
      return TS_CLI_EXIT_FAILURE;
    }

  /* Ctrl+C stops the training; the previous model, if any, stays. */
  job = (CnnJob) { manifest, &o, NULL, NULL };
  if (!ts_cli_run_cancellable (run_cnn_training, &job, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_printerr ("Training stopped; %s\n", g_file_test (path, G_FILE_TEST_EXISTS)
                    ? "the previous model is kept" : "no model was saved");
      return ts_cli_report_error (error, NULL);
    }
  cnn = job.cnn;
  unreadable = job.unreadable;
  for (guint i = 0; unreadable != NULL && i < unreadable->len; i++)
    g_printerr ("%s: warning: skipping %s\n", TS_CLI_NAME, (char *) unreadable->pdata[i]);
  n_unreadable = unreadable != NULL ? unreadable->len : 0;
  if (!ts_cnn_save (cnn, path, &error))
    return ts_cli_report_error (error, NULL);

  if (cli->json)
    {
      g_autofree char *figures = ts_cnn_report_to_json (ts_cnn_get_report (cnn));
      g_autofree char *options = ts_cnn_options_to_json (ts_cnn_get_options (cnn));
      g_autoptr(JsonNode) root = json_from_string (figures, NULL);
      JsonObject *object = json_node_get_object (root);

      json_object_set_string_member (object, "model", "cnn");
      json_object_set_string_member (object, "path", path);
      json_object_set_int_member (object, "unreadable_images", n_unreadable);
      json_object_set_member (object, "options", json_from_string (options, NULL));
      ts_cli_print_json_node (root);
    }
  else
    print_cnn_text (cnn, path, n_unreadable);
  return TS_CLI_EXIT_OK;
}
