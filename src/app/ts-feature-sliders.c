/* ts-feature-sliders.c: one slider per audio feature, to steer a query
 *
 * Each slider spans the dataset's range of its feature in raw units (BPM,
 * dB, years…) and shows its value. A reference (the picked song, an
 * artist's mean, the dataset's mean) is where the sliders rest; "changed"
 * fires 250 ms after the user last moved one, never when the page moves
 * them. The sliders flow in a GtkFlowBox: four a line when wide, one when
 * narrow.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-feature-sliders"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "ts-feature-label.h"
#include "ts-feature-sliders.h"

#define DEBOUNCE_MS 250

/* The features worth steering, in the order shown, with their step in raw
 * units and how a higher or lower value reads ("but faster"). The key is
 * a category, not a quantity: no slider. */
static const struct
{
  TsFeature   feature;
  double      step;
  const char *more;
  const char *less;
} steered[] = {
  { TS_FEATURE_DANCEABILITY,     0.01, N_("more danceable"),    N_("less danceable") },
  { TS_FEATURE_ENERGY,           0.01, N_("with more energy"),  N_("with less energy") },
  { TS_FEATURE_VALENCE,          0.01, N_("happier"),           N_("sadder") },
  { TS_FEATURE_ACOUSTICNESS,     0.01, N_("more acoustic"),     N_("less acoustic") },
  { TS_FEATURE_INSTRUMENTALNESS, 0.01, N_("more instrumental"), N_("less instrumental") },
  { TS_FEATURE_SPEECHINESS,      0.01, N_("with more speech"),  N_("with less speech") },
  { TS_FEATURE_LIVENESS,         0.01, N_("more live"),         N_("less live") },
  { TS_FEATURE_TEMPO,            1.0,  N_("faster"),            N_("slower") },
  { TS_FEATURE_LOUDNESS,         0.5,  N_("louder"),            N_("quieter") },
  { TS_FEATURE_POPULARITY,       1.0,  N_("more popular"),      N_("less popular") },
  { TS_FEATURE_YEAR,             1.0,  N_("newer"),             N_("older") },
  { TS_FEATURE_DURATION_MS,      5000, N_("longer"),            N_("shorter") },
};

#define N_STEERED G_N_ELEMENTS (steered)

struct _TsFeatureSliders
{
  GtkWidget   parent_instance;

  TsDataset  *dataset;
  GtkWidget  *flow_box;
  GtkWidget  *sliders[N_STEERED];   /* the flow box's children */
  GtkRange   *scales[N_STEERED];
  GtkLabel   *value_labels[N_STEERED];
  double      reference[N_STEERED];
  gboolean    moving;       /* the page, not the user, moves the sliders */
  guint       debounce_id;
};

G_DEFINE_FINAL_TYPE (TsFeatureSliders, ts_feature_sliders, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
emit_changed_cb (gpointer user_data)
{
  TsFeatureSliders *self = user_data;

  self->debounce_id = 0;
  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
show_value (TsFeatureSliders *self,
            guint             i)
{
  g_autofree char *text = ts_feature_format_value (steered[i].feature,
                                                   gtk_range_get_value (self->scales[i]));

  gtk_label_set_text (self->value_labels[i], text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->scales[i]),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text, -1);
}

static void
on_value_changed_cb (GtkRange         *scale,
                     TsFeatureSliders *self)
{
  guint i = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (scale), "ts-index"));

  show_value (self, i);
  if (self->moving)
    return;
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (DEBOUNCE_MS, emit_changed_cb, self);
}

static GtkWidget *
slider_new (TsFeatureSliders *self,
            guint             i)
{
  const char *name = ts_feature_get_label (steered[i].feature);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *value = gtk_label_new (NULL);
  GtkWidget *scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 1, steered[i].step);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (value), 1);
  gtk_widget_add_css_class (value, "numeric");
  gtk_widget_add_css_class (value, "dim-label");
  gtk_box_append (GTK_BOX (header), label);
  gtk_box_append (GTK_BOX (header), value);
  gtk_widget_set_margin_start (header, 6);
  gtk_widget_set_margin_end (header, 6);

  gtk_scale_set_draw_value (GTK_SCALE (scale), FALSE);
  gtk_widget_set_size_request (scale, 150, -1);
  gtk_widget_set_hexpand (scale, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (scale),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data (G_OBJECT (scale), "ts-index", GUINT_TO_POINTER (i));
  g_signal_connect (scale, "value-changed", G_CALLBACK (on_value_changed_cb), self);

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), scale);
  self->scales[i] = GTK_RANGE (scale);
  self->value_labels[i] = GTK_LABEL (value);
  return box;
}

/* Moves every slider to @values, quietly. */
static void
move_sliders (TsFeatureSliders *self,
              const double     *values)
{
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->moving = TRUE;
  for (guint i = 0; i < N_STEERED; i++)
    {
      gtk_range_set_value (self->scales[i], values[i]);
      show_value (self, i);
    }
  self->moving = FALSE;
}

void
ts_feature_sliders_set_dataset (TsFeatureSliders *self,
                                TsDataset        *dataset)
{
  g_return_if_fail (TS_IS_FEATURE_SLIDERS (self));
  g_return_if_fail (dataset == NULL || TS_IS_DATASET (dataset));

  if (!g_set_object (&self->dataset, dataset))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self), dataset != NULL);
  if (dataset == NULL)
    return;
  self->moving = TRUE;
  for (guint i = 0; i < N_STEERED; i++)
    {
      double min, max;

      /* No slider for a feature the dataset lacks (popularity in the
       * 1.2M set): it would steer by a made-up 0. */
      gtk_widget_set_visible (self->sliders[i],
                              ts_dataset_has_feature (dataset, steered[i].feature));
      ts_dataset_get_feature_range (dataset, steered[i].feature, &min, &max);
      gtk_range_set_range (self->scales[i], min, MAX (max, min + steered[i].step));
    }
  self->moving = FALSE;
  ts_feature_sliders_set_reference (self, NULL, 0);
}

void
ts_feature_sliders_set_reference (TsFeatureSliders *self,
                                  const guint32    *rows,
                                  guint             n_rows)
{
  guint n;

  g_return_if_fail (TS_IS_FEATURE_SLIDERS (self));
  g_return_if_fail (self->dataset != NULL);

  n = rows != NULL ? n_rows : ts_dataset_get_n_rows (self->dataset);
  for (guint i = 0; i < N_STEERED; i++)
    {
      const double *column = ts_dataset_get_column (self->dataset, steered[i].feature);
      double sum = 0;

      for (guint k = 0; k < n; k++)
        sum += column[rows != NULL ? rows[k] : k];
      self->reference[i] = n > 0 ? sum / n : gtk_range_get_value (self->scales[i]);
    }
  move_sliders (self, self->reference);
}

void
ts_feature_sliders_reset (TsFeatureSliders *self)
{
  g_return_if_fail (TS_IS_FEATURE_SLIDERS (self));

  move_sliders (self, self->reference);
}

/* How far slider @i is from the reference, as a share of its range. */
static double
scaled_change (TsFeatureSliders *self,
               guint             i)
{
  GtkAdjustment *adjustment = gtk_range_get_adjustment (self->scales[i]);
  double span = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_lower (adjustment);
  double change = gtk_adjustment_get_value (adjustment) - self->reference[i];

  /* Less than half a step is where the slider rests, not a move. */
  if (fabs (change) < steered[i].step / 2 || span <= 0)
    return 0;
  return change / span;
}

guint
ts_feature_sliders_get_changes (TsFeatureSliders *self,
                                TsFeature        *features,
                                double           *values)
{
  guint n = 0;

  g_return_val_if_fail (TS_IS_FEATURE_SLIDERS (self), 0);

  for (guint i = 0; i < N_STEERED; i++)
    if (scaled_change (self, i) != 0)
      {
        features[n] = steered[i].feature;
        values[n] = gtk_range_get_value (self->scales[i]);
        n++;
      }
  return n;
}

guint
ts_feature_sliders_get_values (TsFeatureSliders *self,
                               TsFeature        *features,
                               double           *values)
{
  guint n = 0;

  g_return_val_if_fail (TS_IS_FEATURE_SLIDERS (self), 0);

  for (guint i = 0; i < N_STEERED; i++)
    if (gtk_widget_get_visible (self->sliders[i]))
      {
        features[n] = steered[i].feature;
        values[n] = gtk_range_get_value (self->scales[i]);
        n++;
      }
  return n;
}

static const char *
describe_change (TsFeatureSliders *self,
                 guint             i)
{
  return scaled_change (self, i) > 0 ? _(steered[i].more) : _(steered[i].less);
}

char *
ts_feature_sliders_describe_changes (TsFeatureSliders *self)
{
  int first = -1, second = -1;

  g_return_val_if_fail (TS_IS_FEATURE_SLIDERS (self), NULL);

  /* The two biggest moves, as shares of their ranges. */
  for (guint i = 0; i < N_STEERED; i++)
    {
      double change = fabs (scaled_change (self, i));

      if (change == 0)
        continue;
      if (first < 0 || change > fabs (scaled_change (self, first)))
        {
          second = first;
          first = i;
        }
      else if (second < 0 || change > fabs (scaled_change (self, second)))
        second = i;
    }
  if (first < 0)
    return NULL;
  if (second < 0)
    return g_strdup (describe_change (self, first));
  /* Translators: two changes of a song, e.g. "faster and happier" */
  return g_strdup_printf (_("%s and %s"), describe_change (self, first),
                          describe_change (self, second));
}

static void
ts_feature_sliders_dispose (GObject *object)
{
  TsFeatureSliders *self = TS_FEATURE_SLIDERS (object);

  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_clear_pointer (&self->flow_box, gtk_widget_unparent);
  g_clear_object (&self->dataset);

  G_OBJECT_CLASS (ts_feature_sliders_parent_class)->dispose (object);
}

static void
ts_feature_sliders_class_init (TsFeatureSlidersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ts_feature_sliders_dispose;

  /* The user moved a slider, and then rested 250 ms. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ts_feature_sliders_init (TsFeatureSliders *self)
{
  GtkFlowBox *flow_box = GTK_FLOW_BOX (gtk_flow_box_new ());

  gtk_flow_box_set_selection_mode (flow_box, GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (flow_box, TRUE);
  gtk_flow_box_set_min_children_per_line (flow_box, 1);
  gtk_flow_box_set_max_children_per_line (flow_box, 4);
  gtk_flow_box_set_column_spacing (flow_box, 12);
  gtk_flow_box_set_row_spacing (flow_box, 6);
  for (guint i = 0; i < N_STEERED; i++)
    {
    {
      gtk_flow_box_append (flow_box, slider_new (self, i));
      self->sliders[i] = GTK_WIDGET (gtk_flow_box_get_child_at_index (flow_box, (int) i));
    }
      /* Tab goes from slider to slider, not through the boxes around them. */
      gtk_widget_set_focusable (GTK_WIDGET (gtk_flow_box_get_child_at_index (flow_box, i)),
                                FALSE);
    }
  /* Room for the last line's knobs above the scrolled window's edge. */
  gtk_widget_set_margin_bottom (GTK_WIDGET (flow_box), 6);
  self->flow_box = GTK_WIDGET (flow_box);
  gtk_widget_set_parent (self->flow_box, GTK_WIDGET (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
}
