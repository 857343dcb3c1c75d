/* ts-loss-chart.h: training and validation loss per epoch, live
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TS_TYPE_LOSS_CHART (ts_loss_chart_get_type ())

G_DECLARE_FINAL_TYPE (TsLossChart, ts_loss_chart, TS, LOSS_CHART, GtkWidget)

GtkWidget  *ts_loss_chart_new              (void);
/* Forgets every epoch (and the planned count). */
void        ts_loss_chart_clear            (TsLossChart *self);
/* The epochs the run will have, so the x axis spans it from the start. */
void        ts_loss_chart_set_total_epochs (TsLossChart *self,
                                            int          total_epochs);
/* @val_loss is NAN when there is none. */
void        ts_loss_chart_add_epoch        (TsLossChart *self,
                                            int          epoch,
                                            double       train_loss,
                                            double       val_loss);
guint       ts_loss_chart_get_n_epochs     (TsLossChart *self);
/* The latest figures, as the accessible description says them. */
const char *ts_loss_chart_get_description  (TsLossChart *self);

G_END_DECLS
