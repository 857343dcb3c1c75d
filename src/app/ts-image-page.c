/* ts-image-page.c: the Image page (songs that sound like a picture)
 *
 * An image comes from a drop anywhere on the window (ts-window-dnd.c), a
 * paste (Ctrl+V) or the file chooser. Decoding, the CNN's prediction and
 * the search run in a worker (ts_image_match_async); the page then shows
 * the image whole, the predicted profile as a bar chart and the songs. A
 * bad image is a toast naming it, and leaves the page as it was. Without a
 * model the page offers to collect covers and train one
 * (ts-image-page-train.c); an image that came meanwhile waits for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-image-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ts-app-util.h"
#include "ts-drop.h"
#include "ts-image-page-private.h"

#define RESULT_LIMIT 50

G_DEFINE_FINAL_TYPE (TsImagePage, ts_image_page, TS_TYPE_PAGE)


void
_ts_image_page_toast (TsImagePage *self,
                      const char  *message)
{
  g_assert (TS_IS_IMAGE_PAGE (self));

  ts_page_show_toast (TS_PAGE (self), message, 8);
}

gboolean
_ts_image_page_has_model (void)
{
  g_autofree char *path = ts_cnn_default_path ();

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

void
_ts_image_page_update_view (TsImagePage *self)
{
  const char *name;

  g_assert (TS_IS_IMAGE_PAGE (self));

  if (self->training_shown || _ts_image_page_is_working (self) || !_ts_image_page_has_model ())
    name = "model";
  else if (self->has_result)
    name = "result";
  else
    name = "empty";
  if (g_str_equal (name, "model"))
    _ts_image_page_update_model_view (self);
  gtk_stack_set_visible_child_name (self->stack, name);
}

/* The spinners (the first image has no result page yet: the empty page
 * spins) and the status line follow the page's busy state; when not
 * busy, the line says what the results are about. */
static void
set_busy (TsImagePage *self,
          const char  *status)
{
  ts_page_set_busy (TS_PAGE (self), status);
}

/* ---- the results ------------------------------------------------------ */

/* "Looks like Rock 34 %, Indie 20 %, Pop 12 %": the three likeliest. */
static char *
format_genres (const TsCnnPrediction *p)
{
  int order[TS_COVER_N_GENRES];
  g_autofree char *first = NULL, *second = NULL, *third = NULL;

  ts_cnn_prediction_rank_genres (p, order);
  /* Translators: a genre and how likely the picture is of it, e.g. "Rock 34 %" */
  first = g_strdup_printf (_("%s %.0f %%"), ts_cover_genre_get_name (order[0]),
                           100.0 * p->genres[order[0]]);
  second = g_strdup_printf (_("%s %.0f %%"), ts_cover_genre_get_name (order[1]),
                            100.0 * p->genres[order[1]]);
  third = g_strdup_printf (_("%s %.0f %%"), ts_cover_genre_get_name (order[2]),
                           100.0 * p->genres[order[2]]);
  /* Translators: the three likeliest genres of a picture */
  return g_strdup_printf (_("Looks like %s, %s, %s"), first, second, third);
}

/* What the model is worth, from its held-out covers, said plainly. */
static char *
format_verdict (const TsImageMatch *match)
{
  const TsCnnReport *r = &match->report;
  gboolean profile = ts_cnn_report_profile_useful (r);
  gboolean genres = match->prediction.has_genres;
  double closer = r->baseline_mse > 0 ? 100.0 * (1.0 - r->val_mse / r->baseline_mse) : 0;
  double right = 100.0 * r->genre_accuracy, common = 100.0 * r->genre_baseline_accuracy;

  if (r->n_val == 0)
    return g_strdup (_("This model was trained without held-out covers: how good it is, "
                       "nobody knows."));
  if (profile && genres)
    return g_strdup_printf (_("On covers it never trained on, this model’s sound was %.0f %% "
                              "closer than the average song’s, and it named the genre right "
                              "%.0f %% of the time (the commonest genre alone: %.0f %%)."),
                            closer, right, common);
  if (profile)
    return g_strdup_printf (_("On covers it never trained on, this model’s sound was %.0f %% "
                              "closer than the average song’s."), closer);
  if (genres)
    return g_strdup_printf (_("On covers it never trained on, this model predicted the sound "
                              "no better than the average song, so the songs follow the genres "
                              "it sees: it named the genre right %.0f %% of the time (the "
                              "commonest genre alone: %.0f %%)."), right, common);
  return g_strdup (_("On covers it never trained on, this model did no better than guessing "
                     "the average song: take these songs as a guess."));
}

static void
show_match (TsImagePage  *self,
            TsImageMatch *match)
{
  g_autofree char *status = NULL;
  g_autofree char *verdict = format_verdict (match);

  g_assert (TS_IS_IMAGE_PAGE (self));
  g_assert (match != NULL);

  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (match->picture));
  gtk_picture_set_alternative_text (self->picture, match->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, match->name, -1);
  /* A profile no better than the mean is not shown as if it meant something. */
  ts_chart_view_set_chart (self->profile_view,
                           ts_cnn_report_profile_useful (&match->report)
                           ? ts_chart_profile_new (match->prediction.profile, match->values)
                           : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->profile_view),
                          ts_cnn_report_profile_useful (&match->report));
  gtk_widget_set_visible (GTK_WIDGET (self->genres_label), match->prediction.has_genres);
  if (match->prediction.has_genres)
    {
      g_autofree char *genres = format_genres (&match->prediction);

      gtk_label_set_text (self->genres_label, genres);
    }
  gtk_label_set_text (self->verdict_label, verdict);
  /* Translators: %s is an image's file name */
  status = g_strdup_printf (_("Songs that sound like “%s”"), match->name);
  ts_page_set_status (TS_PAGE (self), status);
  ts_track_list_set_results (self->track_list, self->dataset, match->results);
  self->has_result = TRUE;
  _ts_image_page_update_view (self);
}

static void
on_match_ready_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TsImagePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsImageMatch) match = ts_image_match_finish (result, &error);

  if (match == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, NULL);
  if (match == NULL)
    {
      /* Nothing else changes: the page keeps what it showed. */
      _ts_image_page_toast (self, error->message);
      _ts_image_page_update_view (self);
      return;
    }
  show_match (self, match);
}

static void
match_image (TsImagePage *self,
             GFile       *file,
             GdkTexture  *texture,
             const char  *texture_name)
{
  g_autofree char *cnn_path = ts_cnn_default_path ();

  g_assert (TS_IS_IMAGE_PAGE (self));
  g_assert ((file == NULL) != (texture == NULL));

  if (self->dataset == NULL)
    {
      _ts_image_page_toast (self, _("Open a dataset first: the songs come from it"));
      return;
    }
  g_clear_object (&self->pending_file);
  g_clear_object (&self->pending_texture);
  g_clear_pointer (&self->pending_texture_name, g_free);
  if (!_ts_image_page_has_model ())
    {
      /* Kept until a model is trained. */
      g_set_object (&self->pending_file, file);
      g_set_object (&self->pending_texture, texture);
      self->pending_texture_name = g_strdup (texture_name);
      _ts_image_page_toast (self, _("Train the cover-art model first; the image is kept "
                                    "until then"));
      _ts_image_page_update_view (self);
      return;
    }

  ts_cancellable_renew (&self->cancellable);
  if (self->similar == NULL)
    self->similar = ts_similar_new (self->dataset, NULL, TS_METRIC_COSINE);
  set_busy (self, _("Listening to the image…"));
  ts_image_match_async (file, texture, texture_name, cnn_path, self->dataset, self->similar, RESULT_LIMIT,
                        self->cancellable, on_match_ready_cb, g_object_ref (self));
}

void
_ts_image_page_run_pending (TsImagePage *self)
{
  g_autoptr(GFile) file = g_steal_pointer (&self->pending_file);
  g_autoptr(GdkTexture) texture = g_steal_pointer (&self->pending_texture);
  g_autofree char *texture_name = g_steal_pointer (&self->pending_texture_name);

  g_assert (TS_IS_IMAGE_PAGE (self));

  if (file != NULL || texture != NULL)
    match_image (self, file, texture, texture_name);
}

void
ts_image_page_open_file (TsImagePage *self,
                         GFile       *file)
{
  g_return_if_fail (TS_IS_IMAGE_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  match_image (self, file, NULL, NULL);
}

void
ts_image_page_open_texture (TsImagePage *self,
                            GdkTexture  *texture)
{
  g_return_if_fail (TS_IS_IMAGE_PAGE (self));
  g_return_if_fail (GDK_IS_TEXTURE (texture));

  match_image (self, NULL, texture, _("the dropped image"));
}

/* ---- paste ------------------------------------------------------------ */

static void
open_value (TsImagePage  *self,
            const GValue *value)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  g_assert (TS_IS_IMAGE_PAGE (self));

  switch (ts_drop_classify (value, &file, &texture))
    {
    case TS_DROP_IMAGE:
      match_image (self, file, texture, _("the pasted image"));
      break;
    case TS_DROP_DATASET:
      {
        g_autofree char *name = g_file_get_basename (file);
        /* Translators: %s is a file name */
        g_autofree char *message = g_strdup_printf (_("“%s” is not an image"), name);

        _ts_image_page_toast (self, message);
        break;
      }
    case TS_DROP_NOTHING:
    default:
      _ts_image_page_toast (self, _("The clipboard holds no image"));
      break;
    }
}

static void
on_clipboard_value_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(TsImagePage) self = user_data;
  g_autoptr(GError) error = NULL;
  const GValue *value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (source), result, &error);

  if (value == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot paste: %s"), error->message);

      _ts_image_page_toast (self, message);
      return;
    }
  open_value (self, value);
}

static void
ts_image_page_paste_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  TsImagePage *self = TS_IMAGE_PAGE (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  g_autoptr(GdkContentFormats) formats = NULL;
  const GType *types;
  guint n_types;

  /* What the clipboard can become, through GTK's deserializers too
   * (image/png → GdkTexture, text/uri-list → GdkFileList). */
  formats = gdk_content_formats_union_deserialize_gtypes (
    gdk_content_formats_ref (gdk_clipboard_get_formats (clipboard)));
  types = ts_drop_get_types (&n_types);
  for (guint i = 0; i < n_types; i++)
    if (gdk_content_formats_contain_gtype (formats, types[i]))
      {
        gdk_clipboard_read_value_async (clipboard, types[i], G_PRIORITY_DEFAULT, NULL,
                                        on_clipboard_value_cb, g_object_ref (self));
        return;
      }
  _ts_image_page_toast (self, _("The clipboard holds no image"));
}

/* ---- open ------------------------------------------------------------- */

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        TsImagePage     *self)
{
  g_autoptr(GFile) file = NULL;

  g_assert (TS_IS_IMAGE_PAGE (self));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    match_image (self, file, NULL, NULL);
}

static GtkFileFilter *
image_filter_new (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_pixbuf_formats (filter);
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/png");
  /* Decoded by libwebp, so offered even with no gdk-pixbuf loader for it. */
  gtk_file_filter_add_mime_type (filter, "image/webp");
  return filter;
}

static void
ts_image_page_open_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  TsImagePage *self = TS_IMAGE_PAGE (widget);
  g_autoptr(GtkFileFilter) filter = image_filter_new ();
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Open an Image"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- the dataset ------------------------------------------------------ */

static void
ts_image_page_dataset_changed (TsPage    *page,
                               TsDataset *dataset)
{
  TsImagePage *self = TS_IMAGE_PAGE (page);

  self->dataset = dataset;
  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->similar, ts_similar_unref);
  self->has_result = FALSE;
  ts_page_set_status (page, NULL);
  set_busy (self, NULL);
  gtk_picture_set_paintable (self->picture, NULL);
  ts_chart_view_set_chart (self->profile_view, NULL);
  ts_track_list_clear (self->track_list);
  _ts_image_page_update_view (self);
}

/* ---- the class -------------------------------------------------------- */

static void
ts_image_page_dispose (GObject *object)
{
  TsImagePage *self = TS_IMAGE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  _ts_image_page_train_dispose (self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), TS_TYPE_IMAGE_PAGE);
  g_clear_object (&self->pending_file);
  g_clear_object (&self->pending_texture);
  g_clear_pointer (&self->pending_texture_name, g_free);
  g_clear_pointer (&self->similar, ts_similar_unref);
  self->dataset = NULL;

  G_OBJECT_CLASS (ts_image_page_parent_class)->dispose (object);
}

/* Arriving on the page, Ctrl+V pastes: the focus must be inside it. */
static void
ts_image_page_map (GtkWidget *widget)
{
  TsImagePage *self = TS_IMAGE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  GTK_WIDGET_CLASS (ts_image_page_parent_class)->map (widget);
  _ts_image_page_update_view (self);
  if (focus == NULL || !gtk_widget_is_ancestor (focus, widget))
    gtk_widget_grab_focus (widget);
}

/* The window is going: its workers stop (a training run then saves
 * nothing), even while they still hold the page. */
static void
ts_image_page_unroot (GtkWidget *widget)
{
  TsImagePage *self = TS_IMAGE_PAGE (widget);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->work_cancellable);

  GTK_WIDGET_CLASS (ts_image_page_parent_class)->unroot (widget);
}

static void
ts_image_page_class_init (TsImagePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ts_image_page_dispose;
  widget_class->map = ts_image_page_map;
  widget_class->unroot = ts_image_page_unroot;
  TS_PAGE_CLASS (klass)->dataset_changed = ts_image_page_dataset_changed;

  gtk_widget_class_install_action (widget_class, "image.open", NULL, ts_image_page_open_action);
  gtk_widget_class_install_action (widget_class, "image.paste", NULL,
                                   ts_image_page_paste_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK,
                                       "image.paste", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "image.open", NULL);
  _ts_image_page_train_class_init (widget_class);

  g_type_ensure (TS_TYPE_CHART_VIEW);
  g_type_ensure (TS_TYPE_TRACK_LIST);
  g_type_ensure (TS_TYPE_LOSS_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ts-image-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, stack);
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, open_button);
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, model_page);
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, covers_label);
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, model_buttons);
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, train_button);
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, estimate_label);
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, musicbrainz_label);
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, work_box);
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, work_label);
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, work_progress);
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, work_detail);
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, loss_chart);
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, back_button);
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, flap);
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, picture);
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, profile_view);
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, genres_label);
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, TsImagePage, track_list);
}

static void
ts_image_page_init (TsImagePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  ts_chart_view_set_placeholder (self->profile_view, _("No image yet"));
  _ts_image_page_train_init (self);
}
