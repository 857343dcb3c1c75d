/* ts-chart-view.c: a core chart on screen, with hover tooltips and the
 * theme of the desktop
 *
 * The chart is prepared by its owner and handed over whole; the view lays
 * it out when its size changes (size_allocate) and only paints it in
 * snapshot(). Tooltips come from the chart's own hit testing, so what is
 * named is what is under the pointer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-chart-view"

#include "config.h"

#include <glib/gi18n.h>

#include "ts-chart-view.h"

struct _TsChartView
{
  GtkWidget  parent_instance;

  TsChart   *chart;
  char      *description;
  char      *placeholder;  /* the description without a chart */
  TsTheme    theme;
  int        laid_out_width;
  int        laid_out_height;
};

G_DEFINE_FINAL_TYPE (TsChartView, ts_chart_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DESCRIPTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Smaller than the chart's natural size, so that a narrow window still
 * shows the whole chart rather than scrolling it. */
#define MIN_WIDTH   280
#define MIN_HEIGHT  240
#define NAT_WIDTH   720
#define NAT_HEIGHT  480

static void
ts_chart_view_relayout (TsChartView *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  g_assert (TS_IS_CHART_VIEW (self));

  if (self->chart == NULL || width <= 0 || height <= 0)
    return;
  ts_chart_layout (self->chart, width, height);
  self->laid_out_width = width;
  self->laid_out_height = height;
}

static void
ts_chart_view_update_theme (TsChartView *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  g_assert (TS_IS_CHART_VIEW (self));

  self->theme = adw_style_manager_get_dark (manager) ? TS_THEME_DARK : TS_THEME_LIGHT;
  if (self->chart != NULL)
    ts_chart_set_theme (self->chart, self->theme);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_dark_changed_cb (AdwStyleManager *manager,
                    GParamSpec      *pspec,
                    TsChartView     *self)
{
  ts_chart_view_update_theme (self);
}

static void
ts_chart_view_update_description (TsChartView *self)
{
  g_autofree char *description = NULL;

  g_assert (TS_IS_CHART_VIEW (self));

  description = self->chart != NULL ? ts_chart_describe (self->chart)
                                     : g_strdup (self->placeholder ? self->placeholder : "");
  if (g_strcmp0 (description, self->description) == 0)
    return;
  g_free (self->description);
  self->description = g_steal_pointer (&description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

void
ts_chart_view_set_chart (TsChartView *self,
                         TsChart     *chart)
{
  g_return_if_fail (TS_IS_CHART_VIEW (self));

  if (self->chart == chart)
    return;
  g_clear_pointer (&self->chart, ts_chart_free);
  self->chart = chart;
  self->laid_out_width = self->laid_out_height = 0;
  if (chart != NULL)
    {
      ts_chart_set_theme (chart, self->theme);
      ts_chart_set_background (chart, FALSE);
      ts_chart_view_relayout (self);
    }
  ts_chart_view_update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  /* A tooltip showing names an item of the old chart. */
  gtk_widget_trigger_tooltip_query (GTK_WIDGET (self));
}

void
ts_chart_view_set_placeholder (TsChartView *self,
                               const char  *text)
{
  g_return_if_fail (TS_IS_CHART_VIEW (self));

  if (g_strcmp0 (self->placeholder, text) == 0)
    return;
  g_free (self->placeholder);
  self->placeholder = g_strdup (text);
  ts_chart_view_update_description (self);
}

TsChart *
ts_chart_view_get_chart (TsChartView *self)
{
  g_return_val_if_fail (TS_IS_CHART_VIEW (self), NULL);

  return self->chart;
}

void
ts_chart_view_chart_changed (TsChartView *self)
{
  g_return_if_fail (TS_IS_CHART_VIEW (self));

  ts_chart_view_relayout (self);
  ts_chart_view_update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

TsTheme
ts_chart_view_get_theme (TsChartView *self)
{
  g_return_val_if_fail (TS_IS_CHART_VIEW (self), TS_THEME_LIGHT);

  return self->theme;
}

const char *
ts_chart_view_get_description (TsChartView *self)
{
  g_return_val_if_fail (TS_IS_CHART_VIEW (self), NULL);

  return self->description;
}

gboolean
ts_chart_view_export (TsChartView  *self,
                      const char   *path,
                      double        width,
                      double        height,
                      GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (TS_IS_CHART_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->chart == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("No chart to export"));
      return FALSE;
    }
  /* The same chart, laid out for the file and then again for the screen. */
  ts_chart_set_background (self->chart, TRUE);
  ok = ts_chart_export (self->chart, path, width, height, error);
  ts_chart_set_background (self->chart, FALSE);
  ts_chart_view_relayout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return ok;
}

static gboolean
on_query_tooltip_cb (GtkWidget   *widget,
                     int          x,
                     int          y,
                     gboolean     keyboard_mode,
                     GtkTooltip  *tooltip,
                     gpointer     user_data)
{
  TsChartView *self = TS_CHART_VIEW (widget);
  g_autofree char *text = NULL;
  TsChartItem item;

  if (self->chart == NULL || keyboard_mode)
    return FALSE;
  if (!ts_chart_hit_test (self->chart, x, y, &item))
    return FALSE;
  text = ts_chart_describe_item (self->chart, &item);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  /* A small area around the pointer: moving on asks again, so the tooltip
   * follows from item to item instead of staying where it first showed. */
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { x - 2, y - 2, 4, 4 });
  return TRUE;
}

static void
ts_chart_view_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_WIDTH;
      *natural = NAT_WIDTH;
    }
  else
    {
      *minimum = MIN_HEIGHT;
      *natural = NAT_HEIGHT;
    }
}

static void
ts_chart_view_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  TsChartView *self = TS_CHART_VIEW (widget);

  if (width != self->laid_out_width || height != self->laid_out_height)
    ts_chart_view_relayout (self);
}

static void
ts_chart_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  TsChartView *self = TS_CHART_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (self->chart == NULL || width <= 0 || height <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  ts_chart_draw (self->chart, cr, width, height);
  cairo_destroy (cr);
}

static void
ts_chart_view_dispose (GObject *object)
{
  TsChartView *self = TS_CHART_VIEW (object);

  g_signal_handlers_disconnect_by_func (adw_style_manager_get_default (), on_dark_changed_cb,
                                        self);
  g_clear_pointer (&self->chart, ts_chart_free);

  G_OBJECT_CLASS (ts_chart_view_parent_class)->dispose (object);
}

static void
ts_chart_view_finalize (GObject *object)
{
  TsChartView *self = TS_CHART_VIEW (object);

  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->placeholder, g_free);

  G_OBJECT_CLASS (ts_chart_view_parent_class)->finalize (object);
}

static void
ts_chart_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TsChartView *self = TS_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ts_chart_view_class_init (TsChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ts_chart_view_dispose;
  object_class->finalize = ts_chart_view_finalize;
  object_class->get_property = ts_chart_view_get_property;
  widget_class->measure = ts_chart_view_measure;
  widget_class->size_allocate = ts_chart_view_size_allocate;
  widget_class->snapshot = ts_chart_view_snapshot;

  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "chartview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ts_chart_view_init (TsChartView *self)
{
  self->description = g_strdup ("");
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip_cb), NULL);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed_cb), self, 0);
  ts_chart_view_update_theme (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Chart"),
                                  -1);
}

GtkWidget *
ts_chart_view_new (void)
{
  return g_object_new (TS_TYPE_CHART_VIEW, NULL);
}
