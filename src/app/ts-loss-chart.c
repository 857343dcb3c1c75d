/* ts-loss-chart.c: training and validation loss per epoch, live
 *
 * A TsChartView holding a core loss chart (ts-chart-loss.c) that grows in
 * place: every epoch relays it out and updates the description, which
 * assistive technologies read as the latest figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-loss-chart"

#include "config.h"

#include <glib/gi18n.h>

#include "ts-chart-view.h"
#include "ts-loss-chart.h"

struct _TsLossChart
{
  GtkWidget    parent_instance;

  TsChartView *view;
};

G_DEFINE_FINAL_TYPE (TsLossChart, ts_loss_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DESCRIPTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static TsChart *
ts_loss_chart_get_chart (TsLossChart *self)
{
  return ts_chart_view_get_chart (self->view);
}

static void
ts_loss_chart_changed (TsLossChart *self)
{
  ts_chart_view_chart_changed (self->view);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

void
ts_loss_chart_clear (TsLossChart *self)
{
  g_return_if_fail (TS_IS_LOSS_CHART (self));

  ts_chart_loss_clear (ts_loss_chart_get_chart (self));
  ts_loss_chart_changed (self);
}

void
ts_loss_chart_set_total_epochs (TsLossChart *self,
                                int          total_epochs)
{
  g_return_if_fail (TS_IS_LOSS_CHART (self));
  g_return_if_fail (total_epochs >= 0);

  ts_chart_loss_set_total_epochs (ts_loss_chart_get_chart (self), total_epochs);
  ts_loss_chart_changed (self);
}

void
ts_loss_chart_add_epoch (TsLossChart *self,
                         int          epoch,
                         double       train_loss,
                         double       val_loss)
{
  g_return_if_fail (TS_IS_LOSS_CHART (self));
  g_return_if_fail (epoch >= 1);

  ts_chart_loss_add_epoch (ts_loss_chart_get_chart (self), epoch, train_loss, val_loss);
  ts_loss_chart_changed (self);
}

guint
ts_loss_chart_get_n_epochs (TsLossChart *self)
{
  g_return_val_if_fail (TS_IS_LOSS_CHART (self), 0);

  return ts_chart_loss_get_n_epochs (ts_loss_chart_get_chart (self));
}

const char *
ts_loss_chart_get_description (TsLossChart *self)
{
  g_return_val_if_fail (TS_IS_LOSS_CHART (self), NULL);

  return ts_chart_view_get_description (self->view);
}

static void
ts_loss_chart_dispose (GObject *object)
{
  TsLossChart *self = TS_LOSS_CHART (object);

  if (self->view != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->view));
      self->view = NULL;
    }

  G_OBJECT_CLASS (ts_loss_chart_parent_class)->dispose (object);
}

static void
ts_loss_chart_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TsLossChart *self = TS_LOSS_CHART (object);

  switch (prop_id)
    {
    case PROP_DESCRIPTION:
      g_value_set_string (value, ts_loss_chart_get_description (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ts_loss_chart_class_init (TsLossChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ts_loss_chart_dispose;
  object_class->get_property = ts_loss_chart_get_property;

  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "losschart");
}

static void
ts_loss_chart_init (TsLossChart *self)
{
  self->view = TS_CHART_VIEW (ts_chart_view_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->view), GTK_WIDGET (self));
  ts_chart_view_set_chart (self->view, ts_chart_loss_new ());
  /* The view is what assistive technologies see, with the figures as its
   * description. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Loss chart"),
                                  -1);
}

GtkWidget *
ts_loss_chart_new (void)
{
  return g_object_new (TS_TYPE_LOSS_CHART, NULL);
}
