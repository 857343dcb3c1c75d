/* ts-image-page-train.c: collecting covers and training the CNN from the
 * Image page
 *
 * Both run in a worker and report to the page through a TsRelay, so the
 * window never waits on them. Training
 * writes the model only when it completes (ts_cnn_save is atomic): a
 * cancelled run leaves the previous model, or none, exactly as it was.
 * The covers' manifest is the CLI's (ts_cli_covers_manifest_path), so
 * `tunescope-cli covers collect` and the app add to the same collection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-image-page"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ts-image-page-private.h"

/* Training throughput with the default options (64 × 64, batch 32) on a
 * 2-core machine: tests/bench (README, "train CNN … 412 images/s").
 * Decoding a cover for training takes about this long. */
#define ESTIMATE_IMAGES_PER_S 400.0
#define ESTIMATE_DECODE_S     0.004
/* The backbone's features of a cover not seen before (decode included),
 * and the heads' training, on a 2-core machine; seen covers are cached. */
#define ESTIMATE_FEATURES_S   0.06
#define ESTIMATE_HEADS_S      15.0
/* Songs a Cover Art Archive run tries: about as many seconds (MusicBrainz
 * allows one request a second). Each run continues where the last one
 * stopped. */
#define MUSICBRAINZ_BATCH     500
/* Progress from a worker reaches the page at most this often. */
#define PROGRESS_INTERVAL_US  (100 * G_TIME_SPAN_MILLISECOND)

typedef enum
{
  WORK_COLLECT,
  WORK_MUSICBRAINZ,
  WORK_TRAIN,
} WorkKind;

/* One collection or training run, shared by the worker and the page. */
typedef struct
{
  TsImagePage     *page;
  WorkKind         kind;
  GCancellable    *cancellable;
  TsDataset       *dataset;
  char            *dir;
  TsRelay         *relay;      /* reports from the worker to the page */
  TsCnnOptions     options;
  guint            n_covers;   /* the manifest's, once done */
  guint            added;
  guint            tried;      /* Cover Art Archive: songs looked up */
  guint            unreadable;
  gboolean         had_model;
  TsCnnReport      report;     /* the trained model's */
} Work;

static void
work_free (Work *work)
{
  g_clear_object (&work->page);
  g_clear_object (&work->cancellable);
  g_clear_object (&work->dataset);
  g_free (work->dir);
  g_clear_pointer (&work->relay, ts_relay_unref);
  g_free (work);
}

/* A report from the worker, delivered on the main context: progress, or
 * a training epoch. */
typedef struct
{
  Work          *work;   /* the GTask keeps it alive until after this runs */
  GTask         *task;
  double         fraction;
  char          *text;
  gboolean       is_epoch;
  TsNnEpochInfo  epoch;
} Report;

static char *
manifest_path (void)
{
  g_autofree char *dir = ts_covers_default_dir ();

  return g_build_filename (dir, "manifest.json", NULL);
}

/* The cover manifest at @path, or NULL once @task returned the error. */
static TsCoverManifest *
load_manifest_for_task (GTask      *task,
                        const char *path)
{
  GError *error = NULL;
  TsCoverManifest *manifest = ts_cover_manifest_load (path, &error);

  if (manifest == NULL)
    g_task_return_error (task, error);
  return manifest;
}

/* Ends a worker's @task with @ok, or with @error (taken) when not @ok. */
static void
return_work_result (GTask    *task,
                    gboolean  ok,
                    GError   *error)
{
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static char *
format_duration (double seconds)
{
  if (seconds < 60)
    return g_strdup (_("less than a minute"));
  if (seconds < 3600)
    {
      int minutes = (int) ceil (seconds / 60);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %d minute",
                                           "about %d minutes", minutes), minutes);
    }
  return g_strdup_printf (_("about %.1f hours"), seconds / 3600);
}

static double
estimate_training_s (guint               n_covers,
                     const TsCnnOptions *o)
{
  double n_train = ceil (n_covers * (1.0 - o->val_split));
  double per_px = (64.0 * 64.0) / ((double) o->image_size * o->image_size);

  if (o->backbone != TS_CNN_BACKBONE_NONE)
    return n_covers * ESTIMATE_FEATURES_S + ESTIMATE_HEADS_S;
  return n_covers * ESTIMATE_DECODE_S
         + n_train * (1 + o->augment) * o->epochs / (ESTIMATE_IMAGES_PER_S * per_px);
}

static guint
count_covers (void)
{
  g_autofree char *path = manifest_path ();
  g_autoptr(TsCoverManifest) manifest = ts_cover_manifest_load (path, NULL);

  return manifest != NULL ? ts_cover_manifest_get_n_entries (manifest) : 0;
}

gboolean
_ts_image_page_is_working (TsImagePage *self)
{
  g_assert (TS_IS_IMAGE_PAGE (self));

  return self->work_cancellable != NULL;
}

/* The manifest is read here, on the main thread: it is a small JSON file
 * read when the page shows this view, not on every frame. */
void
_ts_image_page_update_model_view (TsImagePage *self)
{
  gboolean working = _ts_image_page_is_working (self);
  gboolean has_model = _ts_image_page_has_model ();
  guint n = count_covers ();
  g_autofree char *covers = NULL;
  g_autofree char *estimate = NULL;
  TsCnnOptions options;

  g_assert (TS_IS_IMAGE_PAGE (self));

  adw_status_page_set_title (self->model_page, has_model ? _("Cover-Art Model")
                                                         : _("No Cover-Art Model Yet"));
  adw_status_page_set_description (self->model_page,
    _("Tunescope learns how songs sound from how their covers look. Collect covers of the "
      "dataset's songs, from a folder of images named after them or from the Cover Art "
      "Archive, then train the model on this computer."));
  if (n == 0)
    covers = g_strdup (_("No covers collected yet"));
  else
    covers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u cover collected",
                                           "%u covers collected", n), n);
  gtk_label_set_text (self->covers_label, covers);

  ts_cnn_options_init (&options);
  if (n < 2)
    estimate = g_strdup (_("Training needs at least 2 covers"));
  else
    {
      g_autofree char *time = format_duration (estimate_training_s (n, &options));

      /* Translators: %s is a duration, e.g. "about 3 minutes" */
      estimate = g_strdup_printf (_("Training takes %s"), time);
    }
  gtk_label_set_text (self->estimate_label, estimate);
  {
    g_autofree char *batch = format_duration (MUSICBRAINZ_BATCH);
    /* Translators: %u is a number of songs, %s a duration ("about 9 minutes") */
    g_autofree char *text = g_strdup_printf (_("About a song a second: %u songs take %s; each run "
                                               "goes on where the last one stopped"),
                                             MUSICBRAINZ_BATCH, batch);

    gtk_label_set_text (self->musicbrainz_label, text);
  }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.train",
                                 !working && n >= 2 && self->dataset != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.collect-folder",
                                 !working && self->dataset != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.collect-musicbrainz",
                                 !working && self->dataset != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.cancel", working);
  gtk_widget_set_visible (self->model_buttons, !working);
  gtk_widget_set_visible (self->work_box, working);
  gtk_widget_set_visible (self->back_button, has_model && !working);
}

/* ---- reports from the worker ------------------------------------------ */

static gboolean
work_is_current (Work *work)
{
  return work->page->work_cancellable == work->cancellable &&
         !g_cancellable_is_cancelled (work->cancellable);
}

static void
show_progress (TsImagePage  *self,
               const Report *report)
{
  if (report->fraction >= 0)
    gtk_progress_bar_set_fraction (self->work_progress, report->fraction);
  else
    gtk_progress_bar_pulse (self->work_progress);
  if (report->text != NULL)
    gtk_label_set_text (self->work_detail, report->text);
}

static void show_epoch (TsImagePage         *self,
                        const TsNnEpochInfo *info);

/* The relay's function, on the main thread. */
static void
deliver_report (gpointer data,
                gpointer user_data)
{
  Report *report = data;
  TsImagePage *self = report->work->page;

  if (!work_is_current (report->work))
    return;
  if (report->is_epoch)
    show_epoch (self, &report->epoch);
  else
    show_progress (self, report);
}

static void
report_free (gpointer data)
{
  Report *report = data;

  g_clear_object (&report->task);
  g_free (report->text);
  g_free (report);
}

/* From the worker: shows @text and @fraction, at most every
 * PROGRESS_INTERVAL_US unless @force. */
static void
post_report (GTask      *task,
             double      fraction,
             char       *text,
             gboolean    force)
{
  Work *work = g_task_get_task_data (task);
  Report *report = g_new0 (Report, 1);

  report->work = work;
  report->task = g_object_ref (task);
  report->fraction = fraction;
  report->text = text;
  ts_relay_post (work->relay, report, report_free, force);
}

/* ---- collecting ------------------------------------------------------- */

static void
on_collect_progress (guint       done,
                     guint       total,
                     guint       added,
                     const char *file,
                     gpointer    user_data)
{
  GTask *task = user_data;

  post_report (task, total > 0 ? (double) done / total : -1,
               g_strdup_printf (_("%u of %u images looked at, %u added"), done, total, added),
               done == total);
}

static void
collect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Work *work = task_data;
  g_autofree char *path = manifest_path ();
  g_autoptr(TsCoverManifest) manifest = NULL;
  TsCoversCollectStats stats = { 0 };
  GError *error = NULL;
  gboolean ok;

  manifest = load_manifest_for_task (task, path);
  if (manifest == NULL)
    return;
  ok = ts_covers_collect_folder (manifest, work->dataset, work->dir, 0, on_collect_progress,
                                 task, cancellable, &stats, &error);
  /* What was added before a cancel is kept: collecting resumes. */
  if ((ok || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) && stats.added > 0)
    {
      g_autoptr(GError) save_error = NULL;

      if (!ts_cover_manifest_save (manifest, path, &save_error) && ok)
        {
          ok = FALSE;
          error = g_steal_pointer (&save_error);
        }
    }
  work->added = stats.added;
  work->n_covers = ts_cover_manifest_get_n_entries (manifest);
  return_work_result (task, ok, error);
}

static void
on_musicbrainz_progress (const TsMusicBrainzProgress *p,
                         gpointer                     user_data)
{
  GTask *task = user_data;
  g_autofree char *left = p->eta_s >= 0 ? format_duration (p->eta_s) : NULL;
  char *text;

  if (left != NULL)
    /* Translators: the last %s is a duration ("about 2 minutes") */
    text = g_strdup_printf (_("%u of %u songs looked up, %u covers found · %s left"), p->done,
                            p->total, p->found, left);
  else
    text = g_strdup_printf (_("%u of %u songs looked up, %u covers found"), p->done, p->total,
                            p->found);
  post_report (task, p->total > 0 ? (double) p->done / p->total : -1, text,
               p->done == p->total);
}

static void
musicbrainz_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Work *work = task_data;
  g_autofree char *path = manifest_path ();
  g_autoptr(TsCoverManifest) manifest = NULL;
  TsMusicBrainzOptions options;
  TsMusicBrainzProgress result = { 0 };
  GError *error = NULL;
  gboolean ok;

  manifest = load_manifest_for_task (task, path);
  if (manifest == NULL)
    return;
  ts_musicbrainz_options_init (&options);
  options.limit = MUSICBRAINZ_BATCH;
  /* Saved as it goes, and when cancelled: nothing found is lost. */
  options.manifest_path = path;
  ok = ts_covers_collect_musicbrainz (manifest, work->dataset, &options,
                                      on_musicbrainz_progress, task, cancellable, &result,
                                      &error);
  work->added = result.found;
  work->tried = result.done;
  work->n_covers = ts_cover_manifest_get_n_entries (manifest);
  return_work_result (task, ok, error);
}

/* ---- training --------------------------------------------------------- */

static void
on_read_progress (double      fraction,
                  const char *file,
                  gpointer    user_data)
{
  GTask *task = user_data;
  Work *work = g_task_get_task_data (task);

  post_report (task, fraction,
               g_strdup_printf (_("Reading covers: %u of %u"),
                                (guint) lround (fraction * work->n_covers), work->n_covers),
               fraction >= 1);
}

static void
show_epoch (TsImagePage         *self,
            const TsNnEpochInfo *info)
{
  g_autofree char *left = format_duration (info->eta_s);
  g_autofree char *loss = g_strdup_printf ("%.4f", info->loss);
  g_autofree char *val = g_strdup_printf ("%.4f", info->val_loss);
  g_autofree char *text = NULL;

  ts_loss_chart_add_epoch (self->loss_chart, info->epoch, info->loss, info->val_loss);
  gtk_progress_bar_set_fraction (self->work_progress, (double) info->epoch / info->epochs);
  /* No validation loss without held-out covers (too few of them). */
  if (isfinite (info->val_loss))
    /* Translators: training progress; the last %s is a duration ("about 2 minutes") */
    text = g_strdup_printf (_("Epoch %d of %d · loss %s · validation %s · %s left"), info->epoch,
                            info->epochs, loss, val, left);
  else
    /* Translators: training progress; the last %s is a duration ("about 2 minutes") */
    text = g_strdup_printf (_("Epoch %d of %d · loss %s · %s left"), info->epoch, info->epochs,
                            loss, left);
  gtk_label_set_text (self->work_detail, text);
}

static void
on_epoch (const TsNnEpochInfo *info,
          gpointer             user_data)
{
  GTask *task = user_data;
  Work *work = g_task_get_task_data (task);
  Report *report = g_new0 (Report, 1);

  report->work = work;
  report->task = g_object_ref (task);
  report->is_epoch = TRUE;
  report->epoch = *info;
  ts_relay_post (work->relay, report, report_free, TRUE);
}

static void
train_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Work *work = task_data;
  g_autofree char *path = manifest_path ();
  g_autofree char *model_path = ts_cnn_default_path ();
  g_autoptr(TsCoverManifest) manifest = NULL;
  g_autoptr(GPtrArray) unreadable = NULL;
  g_autoptr(TsCnn) cnn = NULL;
  GError *error = NULL;

  manifest = load_manifest_for_task (task, path);
  if (manifest == NULL)
    return;
  work->n_covers = ts_cover_manifest_get_n_entries (manifest);
  if (!ts_model_check_path (model_path, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  cnn = ts_cnn_train_covers (manifest, &work->options, on_read_progress, task, on_epoch, task,
                             cancellable, &unreadable, &error);
  work->unreadable = unreadable != NULL ? unreadable->len : 0;
  for (guint i = 0; unreadable != NULL && i < unreadable->len; i++)
    g_debug ("Skipping %s", (char *) unreadable->pdata[i]);
  /* Saved only whole, only when not cancelled. */
  if (cnn == NULL || !ts_cnn_save (cnn, model_path, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  work->report = *ts_cnn_get_report (cnn);
  g_task_return_boolean (task, TRUE);
}

/* ---- starting and ending ---------------------------------------------- */

static void
on_work_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TsImagePage *self = TS_IMAGE_PAGE (source);
  Work *work = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (work->cancellable != self->work_cancellable)
    return;  /* the page was disposed or the run superseded */
  g_clear_object (&self->work_cancellable);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    message = g_strdup (work->kind != WORK_TRAIN
                        ? _("Collecting stopped; the covers found so far are kept")
                        : work->had_model ? _("Training cancelled; the previous model is kept")
                                          : _("Training cancelled"));
  else if (!ok)
    message = g_strdup (error->message);
  else if (work->kind == WORK_MUSICBRAINZ)
    /* Translators: both are counts */
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Found %u cover for %u songs looked up",
                                            "Found %u covers for %u songs looked up", work->added),
                               work->added, work->tried);
  else if (work->kind == WORK_COLLECT)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Added %u cover", "Added %u covers",
                                            work->added), work->added);
  else if (ts_cnn_report_profile_useful (&work->report) || work->report.n_val == 0)
    {
      g_autofree char *val = g_strdup_printf ("%.4f", work->report.val_mse);
      g_autofree char *mean = g_strdup_printf ("%.4f", work->report.baseline_mse);

      /* Translators: the figures are mean squared errors on held-out covers */
      message = g_strdup_printf (_("The cover-art model is ready: validation error %s, against "
                                   "%s for always guessing the average"), val, mean);
      self->training_shown = FALSE;
    }
  else if (ts_cnn_report_genres_useful (&work->report))
    {
      /* Translators: percentages of held-out covers */
      message = g_strdup_printf (_("The cover-art model is ready. Its sound is no better than "
                                   "the average song’s, but it names the genre right %.0f %% of "
                                   "the time (the commonest genre: %.0f %%)"),
                                 100.0 * work->report.genre_accuracy,
                                 100.0 * work->report.genre_baseline_accuracy);
      self->training_shown = FALSE;
    }
  else
    {
      message = g_strdup (_("The cover-art model is ready, but on covers it did not train on it "
                            "does no better than guessing the average song"));
      self->training_shown = FALSE;
    }
  _ts_image_page_toast (self, message);
  _ts_image_page_update_view (self);
  if (ok && work->kind == WORK_TRAIN)
    _ts_image_page_run_pending (self);
}

static void
start_work (TsImagePage     *self,
            WorkKind         kind,
            const char      *title,
            GTaskThreadFunc  thread,
            char            *dir)
{
  g_autoptr(GTask) task = NULL;
  Work *work;

  g_assert (TS_IS_IMAGE_PAGE (self));

  if (_ts_image_page_is_working (self) || self->dataset == NULL)
    {
      g_free (dir);
      return;
    }
  self->work_cancellable = g_cancellable_new ();
  work = g_new0 (Work, 1);
  work->page = g_object_ref (self);
  work->kind = kind;
  work->cancellable = g_object_ref (self->work_cancellable);
  work->dataset = g_object_ref (self->dataset);
  work->dir = dir;
  work->relay = ts_relay_new (G_CALLBACK (deliver_report), NULL, NULL, NULL,
                              PROGRESS_INTERVAL_US);
  work->had_model = _ts_image_page_has_model ();
  ts_cnn_options_init (&work->options);

  gtk_label_set_text (self->work_label, title);
  ts_loss_chart_clear (self->loss_chart);
  ts_loss_chart_set_total_epochs (self->loss_chart, work->options.epochs);
  gtk_widget_set_visible (GTK_WIDGET (self->loss_chart), kind == WORK_TRAIN);
  gtk_progress_bar_set_fraction (self->work_progress, 0);
  gtk_label_set_text (self->work_detail, _("Starting…"));
  _ts_image_page_update_view (self);

  task = g_task_new (self, self->work_cancellable, on_work_done_cb, NULL);
  g_task_set_source_tag (task, start_work);
  g_task_set_task_data (task, work, (GDestroyNotify) work_free);
  g_task_run_in_thread (task, thread);
}

static void
ts_image_page_train_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  start_work (TS_IMAGE_PAGE (widget), WORK_TRAIN, _("Training the Cover-Art Model"),
              train_thread, NULL);
}

static void
on_folder_response_cb (GtkNativeDialog *chooser,
                       int              response,
                       TsImagePage     *self)
{
  g_autoptr(GFile) folder = NULL;
  char *dir;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  if (folder == NULL)
    return;
  dir = g_file_get_path (folder);
  if (dir == NULL)
    {
      _ts_image_page_toast (self, _("Only folders on this computer can be used"));
      return;
    }
  start_work (self, WORK_COLLECT, _("Collecting Covers"), collect_thread, dir);
}

static void
ts_image_page_collect_folder_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  TsImagePage *self = TS_IMAGE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Choose a Folder of Covers"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Collect"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_folder_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
ts_image_page_collect_musicbrainz_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter)
{
  start_work (TS_IMAGE_PAGE (widget), WORK_MUSICBRAINZ,
              _("Collecting Covers from the Cover Art Archive"), musicbrainz_thread, NULL);
}

static void
ts_image_page_cancel_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  TsImagePage *self = TS_IMAGE_PAGE (widget);

  /* The page updates when the worker has stopped (on_work_done_cb). */
  g_cancellable_cancel (self->work_cancellable);
  gtk_label_set_text (self->work_detail, _("Stopping…"));
  gtk_widget_action_set_enabled (widget, "image.cancel", FALSE);
}

static void
ts_image_page_show_training_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  TsImagePage *self = TS_IMAGE_PAGE (widget);

  self->training_shown = g_str_equal (action_name, "image.show-training");
  _ts_image_page_update_view (self);
}

void
_ts_image_page_train_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "image.train", NULL,
                                   ts_image_page_train_action);
  gtk_widget_class_install_action (widget_class, "image.collect-folder", NULL,
                                   ts_image_page_collect_folder_action);
  gtk_widget_class_install_action (widget_class, "image.collect-musicbrainz", NULL,
                                   ts_image_page_collect_musicbrainz_action);
  gtk_widget_class_install_action (widget_class, "image.cancel", NULL,
                                   ts_image_page_cancel_action);
  gtk_widget_class_install_action (widget_class, "image.show-training", NULL,
                                   ts_image_page_show_training_action);
  gtk_widget_class_install_action (widget_class, "image.hide-training", NULL,
                                   ts_image_page_show_training_action);
}

void
_ts_image_page_train_init (TsImagePage *self)
{
  g_assert (TS_IS_IMAGE_PAGE (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.cancel", FALSE);
}

void
_ts_image_page_train_dispose (TsImagePage *self)
{
  g_assert (TS_IS_IMAGE_PAGE (self));

  g_cancellable_cancel (self->work_cancellable);
  g_clear_object (&self->work_cancellable);
}
