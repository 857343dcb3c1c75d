/* ts-image-page-private.h: the Image page's state, shared by its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ts-chart-view.h"
#include "ts-image-match.h"
#include "ts-image-page.h"
#include "ts-loss-chart.h"
#include "ts-track-list.h"

G_BEGIN_DECLS

struct _TsImagePage
{
  TsPage                parent_instance;

  TsDataset            *dataset;        /* the page's, kept by TsPage */
  TsSimilar            *similar;        /* over the dataset's base space, made on first use */
  GCancellable         *cancellable;    /* the image being matched */
  /* An image that came while there was no model: matched once one is trained. */
  GFile                *pending_file;
  GdkTexture           *pending_texture;
  char                 *pending_texture_name;
  gboolean              has_result;
  GtkFileChooserNative *chooser;

  /* Collecting covers or training. */
  GCancellable         *work_cancellable;
  gboolean              training_shown;  /* asked for, with a model there */

  GtkStack             *stack;
  GtkButton            *open_button;
  AdwStatusPage        *model_page;
  GtkLabel             *covers_label;
  GtkWidget            *model_buttons;
  GtkButton            *train_button;
  GtkLabel             *estimate_label;
  GtkLabel             *musicbrainz_label;
  GtkWidget            *work_box;
  GtkLabel             *work_label;
  GtkProgressBar       *work_progress;
  GtkLabel             *work_detail;
  TsLossChart          *loss_chart;
  GtkWidget            *back_button;
  AdwFlap              *flap;
  GtkPicture           *picture;
  TsChartView          *profile_view;
  GtkLabel             *genres_label;
  GtkLabel             *verdict_label;
  TsTrackList          *track_list;
};

void     _ts_image_page_toast          (TsImagePage *self,
                                        const char  *message);
gboolean _ts_image_page_has_model      (void);
/* Shows the right one of the empty, model and result views. */
void     _ts_image_page_update_view    (TsImagePage *self);
/* Matches the image that waited for a model, if any. */
void     _ts_image_page_run_pending    (TsImagePage *self);

/* ts-image-page-train.c */
void     _ts_image_page_train_init     (TsImagePage      *self);
void     _ts_image_page_train_class_init (GtkWidgetClass *widget_class);
void     _ts_image_page_train_dispose  (TsImagePage      *self);
/* Refreshes the covers count, the estimate and the buttons. */
void     _ts_image_page_update_model_view (TsImagePage   *self);
gboolean _ts_image_page_is_working     (TsImagePage      *self);

G_END_DECLS
