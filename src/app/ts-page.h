/* ts-page.h: what every page of the main window shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tunescope-core.h"

G_BEGIN_DECLS

#define TS_TYPE_PAGE (ts_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (TsPage, ts_page, TS, PAGE, GtkWidget)

struct _TsPageClass
{
  GtkWidgetClass parent_class;

  /* The page's dataset was replaced (NULL: none): reset what belonged to
   * the old one. Runs before "dataset" is notified. */
  void (*dataset_changed) (TsPage       *self,
                           TsDataset    *dataset);
  /* The space asked for with ts_page_prepare_space () is ready (@error
   * NULL) or could not be made. Not called when the wait was cancelled
   * (the dataset changed, or the models did: see spaces_changed). */
  void (*space_ready)     (TsPage       *self,
                           TsSpaceKind   kind,
                           const GError *error);
  /* The dataset's learnt spaces were dropped (a model was trained again):
   * what was found in them is stale. */
  void (*spaces_changed)  (TsPage       *self);
};

TsDataset  *ts_page_get_dataset     (TsPage      *self);
void        ts_page_set_dataset     (TsPage      *self,
                                     TsDataset   *dataset);

/* The space of @kind when it is ready for this page's dataset, else NULL
 * (the base space always is; needs a dataset). (transfer none) */
TsSpace    *ts_page_peek_space      (TsPage      *self,
                                     TsSpaceKind  kind);
/* Its model, for a ready learnt space. (transfer none) */
TsModel    *ts_page_peek_model      (TsPage      *self,
                                     TsSpaceKind  kind);
/* Makes the space of @kind ready in a worker, once per page however often
 * asked; then space_ready. */
void        ts_page_prepare_space   (TsPage      *self,
                                     TsSpaceKind  kind);

/* The busy state: a spinner and its message, bound from the page's
 * template to the "busy" and "status" properties. @message NULL: idle,
 * and "status" shows the last ts_page_set_status () again. */
void        ts_page_set_busy        (TsPage      *self,
                                     const char  *message);
gboolean    ts_page_get_busy        (TsPage      *self);
/* What the status line says when the page is not busy ("" or NULL: nothing). */
void        ts_page_set_status      (TsPage      *self,
                                     const char  *status);
const char *ts_page_get_status      (TsPage      *self);

/* A toast over the window, for @timeout_s seconds; @message is plain text. */
void        ts_page_show_toast      (TsPage      *self,
                                     const char  *message,
                                     guint        timeout_s);
/* A toast whose Undo button activates @action_name, one of the page's
 * actions. */
void        ts_page_show_undo_toast (TsPage      *self,
                                     const char  *message,
                                     const char  *action_name);

G_END_DECLS
