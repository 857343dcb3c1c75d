/* ts-track-list.c: a scrolling list of songs with their covers
 *
 * A GtkListView over a GListStore of light items (a dataset row, and for
 * query results the TsSimilarResult), so that thousands of songs scroll
 * fast: the labels are filled when a row is bound, and a row asks the
 * app's TsCoverLoader for its cover then, cancelling the load when it is
 * recycled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-track-list"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ts-cover-loader.h"
#include "ts-feature-label.h"
#include "ts-track-list.h"

#define COVER_SIZE     64
/* Decoded at twice the size: sharp on HiDPI screens too. */
#define COVER_DECODE   (2 * COVER_SIZE)
/* The match bar runs from 1 (the nearest result) down to this (the furthest). */
#define MATCH_FLOOR    0.3
#define ADD_ACTION     "win.add-to-playlist"

/* ---- one song --------------------------------------------------------- */

#define TS_TYPE_TRACK_ITEM (ts_track_item_get_type ())
G_DECLARE_FINAL_TYPE (TsTrackItem, ts_track_item, TS, TRACK_ITEM, GObject)

struct _TsTrackItem
{
  GObject          parent_instance;

  TsDataset       *dataset;
  guint            row;
  gboolean         has_result;
  TsSimilarResult  result;   /* when has_result */
  double           match;    /* 0…1 for the bar */
};

G_DEFINE_FINAL_TYPE (TsTrackItem, ts_track_item, G_TYPE_OBJECT)

static void
ts_track_item_finalize (GObject *object)
{
  TsTrackItem *self = TS_TRACK_ITEM (object);

  g_clear_object (&self->dataset);

  G_OBJECT_CLASS (ts_track_item_parent_class)->finalize (object);
}

static void
ts_track_item_class_init (TsTrackItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ts_track_item_finalize;
}

static void
ts_track_item_init (TsTrackItem *self)
{
}

static TsTrackItem *
ts_track_item_new (TsDataset *dataset,
                   guint      row)
{
  TsTrackItem *self = g_object_new (TS_TYPE_TRACK_ITEM, NULL);

  g_assert (TS_IS_DATASET (dataset));
  g_assert (row < ts_dataset_get_n_rows (dataset));

  self->dataset = g_object_ref (dataset);
  self->row = row;
  return self;
}

static const char *
ts_track_item_get_id (TsTrackItem *self)
{
  return ts_dataset_get_id (self->dataset, self->row);
}

static const char *
ts_track_item_get_title (TsTrackItem *self)
{
  return ts_dataset_get_name (self->dataset, self->row);
}

/* ---- the list --------------------------------------------------------- */

struct _TsTrackList
{
  GtkWidget        parent_instance;

  GListStore      *items;
  gboolean         show_add_button;
  char            *list_label;
  /* The per-row button, when not "Add to playlist" (see set_row_action). */
  char            *row_action;
  char            *row_icon;
  char            *row_label;

  GtkWidget       *scrolled;
  GtkListView     *list_view;
};

G_DEFINE_FINAL_TYPE (TsTrackList, ts_track_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SHOW_ADD_BUTTON,
  PROP_LIST_LABEL,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The widgets of one row, kept on its box. */
typedef struct
{
  GtkWidget    *picture;
  GtkWidget    *placeholder;
  GtkWidget    *credit;
  GtkWidget    *title;
  GtkWidget    *artists;
  GtkWidget    *year;
  GtkWidget    *bar;
  GtkWidget    *why;
  GtkWidget    *why_labels[2][TS_EXPLAIN_N];
  GtkWidget    *add;
  TsTrackItem  *item;          /* bound; the list item owns it */
  GCancellable *cancellable;   /* the cover load under way */
} TrackRow;

static void
track_row_free (TrackRow *parts)
{
  g_cancellable_cancel (parts->cancellable);
  g_clear_object (&parts->cancellable);
  g_free (parts);
}

static TrackRow *
track_row_get (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "ts-track-row");
}

/* ---- covers ----------------------------------------------------------- */

/* The placeholder, or the cover (named for screen readers) once loaded. */
static void
row_show_cover (TrackRow   *parts,
                GdkTexture *cover)
{
  GtkAccessible *picture = GTK_ACCESSIBLE (parts->picture);

  gtk_picture_set_paintable (GTK_PICTURE (parts->picture), GDK_PAINTABLE (cover));
  gtk_widget_set_visible (parts->picture, cover != NULL);
  gtk_widget_set_visible (parts->placeholder, cover == NULL);
  gtk_widget_set_visible (parts->credit, cover != NULL);
  if (cover != NULL && parts->item != NULL)
    {
      /* Translators: the accessible name of a song's album cover */
      g_autofree char *label = g_strdup_printf (_("Cover of %s"),
                                                ts_track_item_get_title (parts->item));

      gtk_accessible_update_property (picture, GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }
  else
    gtk_accessible_reset_property (picture, GTK_ACCESSIBLE_PROPERTY_LABEL);
}

typedef struct
{
  GtkWidget   *row;    /* weak */
  TsTrackItem *item;
} CoverLoad;

static void
cover_load_free (CoverLoad *load)
{
  g_clear_weak_pointer (&load->row);
  g_clear_object (&load->item);
  g_free (load);
}

static void
on_cover_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CoverLoad *load = user_data;
  g_autoptr(GdkTexture) cover = ts_cover_loader_load_finish (TS_COVER_LOADER (source), result,
                                                             NULL);

  /* A failure leaves the placeholder: the loader tells the window about
   * service trouble once, never per row. */
  if (cover != NULL && load->row != NULL && track_row_get (load->row)->item == load->item)
    row_show_cover (track_row_get (load->row), cover);
  cover_load_free (load);
}

static void
row_load_cover (TrackRow    *parts,
                GtkWidget   *row,
                TsTrackItem *item)
{
  TsCoverLoader *loader = ts_cover_loader_get_default ();
  const char *id = ts_track_item_get_id (item);
  GdkTexture *cover;
  CoverLoad *load;

  if (loader == NULL || !ts_spotify_is_track_id (id))
    return;
  if ((cover = ts_cover_loader_lookup (loader, id, COVER_DECODE)) != NULL)
    {
      row_show_cover (parts, cover);
      return;
    }
  parts->cancellable = g_cancellable_new ();
  load = g_new0 (CoverLoad, 1);
  g_set_weak_pointer (&load->row, row);
  load->item = g_object_ref (item);
  ts_cover_loader_load_async (loader, id, COVER_DECODE, parts->cancellable, on_cover_loaded_cb,
                              load);
}

/* ---- the "Why?" popover ----------------------------------------------- */

static char *
format_delta (const TsFeatureDelta *delta)
{
  g_autofree char *query = ts_feature_format_value (delta->feature, delta->query_value);
  g_autofree char *result = ts_feature_format_value (delta->feature, delta->result_value);

  /* Translators: a feature, this song's value and the searched song's */
  return g_strdup_printf (_("%s: %s (yours %s)"), ts_feature_get_label (delta->feature),
                          result, query);
}

static GtkWidget *
label_new (const char *css_class,
           gboolean    ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (ellipsize)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
why_popover_new (TrackRow *parts)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

  for (guint side = 0; side < 2; side++)
    {
      GtkWidget *heading = label_new ("heading", FALSE);

      gtk_label_set_text (GTK_LABEL (heading), side == 0 ? _("Closest features")
                                                         : _("Most different features"));
      if (side == 1)
        gtk_widget_set_margin_top (heading, 8);
      gtk_box_append (GTK_BOX (box), heading);
      for (guint i = 0; i < TS_EXPLAIN_N; i++)
        {
          parts->why_labels[side][i] = label_new (NULL, FALSE);
          gtk_box_append (GTK_BOX (box), parts->why_labels[side][i]);
        }
    }
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  return popover;
}

static void
bind_why (TrackRow          *parts,
          const TsTrackItem *item)
{
  for (guint side = 0; side < 2; side++)
    for (guint i = 0; i < TS_EXPLAIN_N; i++)
      {
        const TsFeatureDelta *delta = side == 0 ? &item->result.close[i]
                                                : &item->result.differ[i];
        g_autofree char *text = format_delta (delta);

        gtk_label_set_text (GTK_LABEL (parts->why_labels[side][i]), text);
      }
}

/* ---- rows ------------------------------------------------------------- */

static GtkWidget *
cover_box_new (TrackRow *parts)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *frame = gtk_overlay_new ();

  parts->placeholder = gtk_image_new_from_icon_name ("audio-x-generic-symbolic");
  parts->picture = gtk_picture_new ();
  parts->credit = label_new ("caption", FALSE);

  gtk_widget_set_size_request (frame, COVER_SIZE, COVER_SIZE);
  gtk_image_set_pixel_size (GTK_IMAGE (parts->placeholder), COVER_SIZE / 2);
  gtk_widget_add_css_class (parts->placeholder, "dim-label");
  gtk_accessible_update_property (GTK_ACCESSIBLE (parts->placeholder),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Album art not loaded"), -1);
  gtk_overlay_set_child (GTK_OVERLAY (frame), parts->placeholder);
  /* Whole covers, letterboxed if not square: never cropped. */
  gtk_picture_set_content_fit (GTK_PICTURE (parts->picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_picture_set_can_shrink (GTK_PICTURE (parts->picture), TRUE);
  gtk_overlay_add_overlay (GTK_OVERLAY (frame), parts->picture);
  gtk_label_set_text (GTK_LABEL (parts->credit), "Spotify");
  gtk_label_set_xalign (GTK_LABEL (parts->credit), 0.5);
  gtk_widget_add_css_class (parts->credit, "dim-label");
  gtk_widget_set_tooltip_text (parts->credit, _("Cover from Spotify"));
  gtk_box_append (GTK_BOX (box), frame);
  gtk_box_append (GTK_BOX (box), parts->credit);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  return box;
}

static void
on_open_clicked_cb (GtkButton *button,
                    TrackRow  *parts)
{
  g_autofree char *uri = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));

  if (parts->item == NULL)
    return;
  uri = g_strconcat ("https://open.spotify.com/track/", ts_track_item_get_id (parts->item), NULL);
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static GtkWidget *
icon_button_new (const char *icon_name,
                 const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

static GtkWidget *
text_box_new (TrackRow *parts)
{
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

  parts->title = label_new ("heading", TRUE);
  parts->artists = label_new (NULL, TRUE);
  parts->year = label_new ("dim-label", FALSE);
  parts->bar = gtk_level_bar_new_for_interval (0, 1);

  gtk_accessible_update_property (GTK_ACCESSIBLE (parts->title),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Song title"), -1);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (text), parts->title);
  gtk_box_append (GTK_BOX (text), parts->artists);
  gtk_widget_set_size_request (parts->bar, 60, -1);
  gtk_widget_set_hexpand (parts->bar, TRUE);
  gtk_widget_set_valign (parts->bar, GTK_ALIGN_CENTER);
  gtk_level_bar_set_mode (GTK_LEVEL_BAR (parts->bar), GTK_LEVEL_BAR_MODE_CONTINUOUS);
  gtk_accessible_update_property (GTK_ACCESSIBLE (parts->bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Match"), -1);
  gtk_box_append (GTK_BOX (line), parts->year);
  gtk_box_append (GTK_BOX (line), parts->bar);
  gtk_box_append (GTK_BOX (text), line);
  return text;
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              TsTrackList              *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  TrackRow *parts = g_new0 (TrackRow, 1);
  GtkWidget *open;

  gtk_widget_set_margin_start (row, 12);
  gtk_widget_set_margin_end (row, 12);
  gtk_widget_set_margin_top (row, 6);
  gtk_widget_set_margin_bottom (row, 6);
  gtk_box_append (GTK_BOX (row), cover_box_new (parts));
  gtk_box_append (GTK_BOX (row), text_box_new (parts));

  parts->why = gtk_menu_button_new ();
  gtk_menu_button_set_label (GTK_MENU_BUTTON (parts->why), _("Why?"));
  gtk_widget_set_tooltip_text (parts->why, _("Why this song is similar"));
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (parts->why), why_popover_new (parts));
  gtk_widget_set_valign (parts->why, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (row), parts->why);

  /* A disabled action leaves it insensitive; a missing one, hidden (bind). */
  parts->add = icon_button_new (self->row_icon != NULL ? self->row_icon : "list-add-symbolic",
                                self->row_label != NULL ? self->row_label : _("Add to playlist"));
  /* A target of the action's type before the action: rows are set up in
   * the tree, where a target-less "s" action warns. Bind sets the id. */
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (parts->add), g_variant_new_string (""));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (parts->add),
                                  self->row_action != NULL ? self->row_action : ADD_ACTION);
  gtk_box_append (GTK_BOX (row), parts->add);

  open = icon_button_new ("adw-external-link-symbolic", _("Open in Spotify"));
  g_signal_connect (open, "clicked", G_CALLBACK (on_open_clicked_cb), parts);
  gtk_box_append (GTK_BOX (row), open);

  g_object_set_data_full (G_OBJECT (row), "ts-track-row", parts, (GDestroyNotify) track_row_free);
  gtk_list_item_set_child (list_item, row);
  gtk_list_item_set_activatable (list_item, FALSE);
}

/* Whether the window of @widget has @name ("win.x"), as a class action
 * or in its action map. */
static gboolean
root_has_action (GtkWidget  *widget,
                 const char *name)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GType owner;
  const char *action_name;
  const GVariantType *parameter_type;
  const char *property_name;

  g_assert (g_str_has_prefix (name, "win."));

  if (root == NULL)
    return FALSE;
  /* GTK 4.8 fills every out argument: none may be NULL. */
  for (guint i = 0;
       gtk_widget_class_query_action (GTK_WIDGET_GET_CLASS (root), i, &owner, &action_name,
                                      &parameter_type, &property_name);
       i++)
    if (g_str_equal (action_name, name))
      return TRUE;
  return GTK_IS_APPLICATION_WINDOW (root) &&
         g_action_map_lookup_action (G_ACTION_MAP (root), name + strlen ("win.")) != NULL;
}

static void
bind_match (TrackRow          *parts,
            const TsTrackItem *item)
{
  g_autofree char *distance = NULL;

  gtk_widget_set_visible (parts->bar, item->has_result);
  gtk_widget_set_visible (parts->why, item->has_result);
  if (!item->has_result)
    return;
  distance = g_strdup_printf (_("Distance %.3f"), item->result.distance);
  gtk_level_bar_set_value (GTK_LEVEL_BAR (parts->bar), item->match);
  gtk_widget_set_tooltip_text (parts->bar, distance);
  gtk_accessible_update_property (GTK_ACCESSIBLE (parts->bar),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, distance, -1);
  bind_why (parts, item);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             TsTrackList              *self)
{
  GtkWidget *row = gtk_list_item_get_child (list_item);
  TrackRow *parts = track_row_get (row);
  TsTrackItem *item = gtk_list_item_get_item (list_item);
  int year = (int) (ts_dataset_get_release_date (item->dataset, item->row) / 10000);
  g_autofree char *year_text = year > 0 ? g_strdup_printf ("%d", year) : g_strdup ("");
  g_autofree char *artists = ts_dataset_dup_artists_label (item->dataset, item->row);

  parts->item = item;
  gtk_label_set_text (GTK_LABEL (parts->title), ts_track_item_get_title (item));
  gtk_label_set_text (GTK_LABEL (parts->artists), artists);
  gtk_label_set_text (GTK_LABEL (parts->year), year_text);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (parts->add),
                                          g_variant_new_string (ts_track_item_get_id (item)));
  /* Another row action belongs to the list's owner, which has it. */
  gtk_widget_set_visible (parts->add, self->show_add_button &&
                          (self->row_action != NULL || root_has_action (row, ADD_ACTION)));
  bind_match (parts, item);
  row_show_cover (parts, NULL);
  row_load_cover (parts, row, item);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               TsTrackList              *self)
{
  TrackRow *parts = track_row_get (gtk_list_item_get_child (list_item));

  g_cancellable_cancel (parts->cancellable);
  g_clear_object (&parts->cancellable);
  parts->item = NULL;
  row_show_cover (parts, NULL);
}

/* ---- the API ---------------------------------------------------------- */

GtkWidget *
ts_track_list_new (void)
{
  return g_object_new (TS_TYPE_TRACK_LIST, NULL);
}

static void
replace_items (TsTrackList *self,
               GPtrArray   *items)
{
  guint before = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (self->scrolled);

  g_list_store_splice (self->items, 0, before, items != NULL ? items->pdata : NULL,
                       items != NULL ? items->len : 0);
  /* A new list starts at its top. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (scrolled), 0);
  if (before != (items != NULL ? items->len : 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

void
ts_track_list_set_results (TsTrackList *self,
                           TsDataset   *dataset,
                           GArray      *results)
{
  g_autoptr(GPtrArray) items = NULL;
  double lo = 0, hi = 0;

  g_return_if_fail (TS_IS_TRACK_LIST (self));
  g_return_if_fail (TS_IS_DATASET (dataset));
  g_return_if_fail (results != NULL);

  items = g_ptr_array_new_full (results->len, g_object_unref);
  if (results->len > 0)
    {
      lo = g_array_index (results, TsSimilarResult, 0).distance;
      hi = g_array_index (results, TsSimilarResult, results->len - 1).distance;
    }
  for (guint i = 0; i < results->len; i++)
    {
      const TsSimilarResult *result = &g_array_index (results, TsSimilarResult, i);
      TsTrackItem *item = ts_track_item_new (dataset, result->row);

      item->has_result = TRUE;
      item->result = *result;
      item->match = hi > lo ? 1 - (1 - MATCH_FLOOR) * (result->distance - lo) / (hi - lo) : 1;
      g_ptr_array_add (items, item);
    }
  replace_items (self, items);
}

void
ts_track_list_set_rows (TsTrackList *self,
                        TsDataset   *dataset,
                        const guint *rows,
                        guint        n_rows)
{
  g_autoptr(GPtrArray) items = NULL;
  guint n_dataset_rows;

  g_return_if_fail (TS_IS_TRACK_LIST (self));
  g_return_if_fail (TS_IS_DATASET (dataset));
  g_return_if_fail (rows != NULL || n_rows == 0);

  n_dataset_rows = ts_dataset_get_n_rows (dataset);
  items = g_ptr_array_new_full (n_rows, g_object_unref);
  for (guint i = 0; i < n_rows; i++)
    {
      g_return_if_fail (rows[i] < n_dataset_rows);
      g_ptr_array_add (items, ts_track_item_new (dataset, rows[i]));
    }
  replace_items (self, items);
}

void
ts_track_list_clear (TsTrackList *self)
{
  g_return_if_fail (TS_IS_TRACK_LIST (self));

  replace_items (self, NULL);
}

guint
ts_track_list_get_n_items (TsTrackList *self)
{
  g_return_val_if_fail (TS_IS_TRACK_LIST (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->items));
}

gboolean
ts_track_list_get_show_add_button (TsTrackList *self)
{
  g_return_val_if_fail (TS_IS_TRACK_LIST (self), FALSE);

  return self->show_add_button;
}

void
ts_track_list_set_show_add_button (TsTrackList *self,
                                   gboolean     show_add_button)
{
  g_return_if_fail (TS_IS_TRACK_LIST (self));

  show_add_button = !!show_add_button;
  if (self->show_add_button == show_add_button)
    return;
  self->show_add_button = show_add_button;
  /* Bound rows pick it up when bound again. */
  g_list_model_items_changed (G_LIST_MODEL (self->items), 0, ts_track_list_get_n_items (self),
                              ts_track_list_get_n_items (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_ADD_BUTTON]);
}

void
ts_track_list_set_row_action (TsTrackList *self,
                              const char  *action_name,
                              const char  *icon_name,
                              const char  *label)
{
  g_return_if_fail (TS_IS_TRACK_LIST (self));
  g_return_if_fail (action_name != NULL && icon_name != NULL && label != NULL);
  g_return_if_fail (ts_track_list_get_n_items (self) == 0);

  g_free (self->row_action);
  self->row_action = g_strdup (action_name);
  g_free (self->row_icon);
  self->row_icon = g_strdup (icon_name);
  g_free (self->row_label);
  self->row_label = g_strdup (label);
}

const char *
ts_track_list_get_list_label (TsTrackList *self)
{
  g_return_val_if_fail (TS_IS_TRACK_LIST (self), NULL);

  return self->list_label;
}

void
ts_track_list_set_list_label (TsTrackList *self,
                              const char  *list_label)
{
  g_return_if_fail (TS_IS_TRACK_LIST (self));

  if (g_strcmp0 (self->list_label, list_label) == 0)
    return;
  g_free (self->list_label);
  self->list_label = g_strdup (list_label);
  if (list_label != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, list_label, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->list_view),
                                   GTK_ACCESSIBLE_PROPERTY_LABEL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIST_LABEL]);
}

/* ---- the class -------------------------------------------------------- */

static void
ts_track_list_dispose (GObject *object)
{
  TsTrackList *self = TS_TRACK_LIST (object);

  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  g_clear_object (&self->items);

  G_OBJECT_CLASS (ts_track_list_parent_class)->dispose (object);
}

static void
ts_track_list_finalize (GObject *object)
{
  TsTrackList *self = TS_TRACK_LIST (object);

  g_free (self->list_label);
  g_free (self->row_action);
  g_free (self->row_icon);
  g_free (self->row_label);

  G_OBJECT_CLASS (ts_track_list_parent_class)->finalize (object);
}

static void
ts_track_list_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TsTrackList *self = TS_TRACK_LIST (object);

  switch (prop_id)
    {
    case PROP_SHOW_ADD_BUTTON:
      g_value_set_boolean (value, self->show_add_button);
      break;

    case PROP_LIST_LABEL:
      g_value_set_string (value, self->list_label);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, ts_track_list_get_n_items (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ts_track_list_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TsTrackList *self = TS_TRACK_LIST (object);

  switch (prop_id)
    {
    case PROP_SHOW_ADD_BUTTON:
      ts_track_list_set_show_add_button (self, g_value_get_boolean (value));
      break;

    case PROP_LIST_LABEL:
      ts_track_list_set_list_label (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ts_track_list_class_init (TsTrackListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ts_track_list_dispose;
  object_class->finalize = ts_track_list_finalize;
  object_class->get_property = ts_track_list_get_property;
  object_class->set_property = ts_track_list_set_property;

  properties[PROP_SHOW_ADD_BUTTON] =
    g_param_spec_boolean ("show-add-button", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIST_LABEL] =
    g_param_spec_string ("list-label", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tstracklist");
}

static void
ts_track_list_init (TsTrackList *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkNoSelection *selection;
  GtkWidget *clamp = adw_clamp_scrollable_new ();

  self->show_add_button = TRUE;
  self->items = g_list_store_new (TS_TYPE_TRACK_ITEM);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->items)));
  self->list_view = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (selection), factory));
  gtk_list_view_set_show_separators (self->list_view, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list_view), "ts-track-list");

  adw_clamp_scrollable_set_maximum_size (ADW_CLAMP_SCROLLABLE (clamp), 900);
  adw_clamp_scrollable_set_child (ADW_CLAMP_SCROLLABLE (clamp), GTK_WIDGET (self->list_view));
  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), clamp);
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));
}
