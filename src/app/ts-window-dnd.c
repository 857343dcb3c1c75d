/* ts-window-dnd.c: files and images dropped on the window
 *
 * One drop target covers every page: an image (a file or image data)
 * opens the Image page with it, any other file is loaded as the dataset
 * (ts-drop.c decides). A second target on the Image page would swallow
 * the CSV files dropped there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-window-dnd"

#include "config.h"

#include <glib/gi18n.h>

#include "ts-drop.h"
#include "ts-window-private.h"

/* Opens an image on the Image page, which needs a dataset for its songs. */
static gboolean
ts_window_open_image (TsWindow   *self,
                      GFile      *file,
                      GdkTexture *texture)
{
  g_assert (TS_IS_WINDOW (self));

  if (self->dataset == NULL)
    {
      _ts_window_toast (self, _("Open a dataset first: the songs for an image come from it"));
      return FALSE;
    }
  adw_view_stack_set_visible_child_name (self->view_stack, "image");
  if (file != NULL)
    ts_image_page_open_file (self->image_page, file);
  else
    ts_image_page_open_texture (self->image_page, texture);
  return TRUE;
}

gboolean
_ts_window_handle_drop (TsWindow     *self,
                        const GValue *value)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  g_return_val_if_fail (TS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_VALUE (value), FALSE);

  switch (ts_drop_classify (value, &file, &texture))
    {
    case TS_DROP_IMAGE:
      return ts_window_open_image (self, file, texture);
    case TS_DROP_DATASET:
      ts_window_open_file (self, file);
      return TRUE;
    case TS_DROP_NOTHING:
    default:
      _ts_window_toast (self, _("Only files and images can be dropped here"));
      return FALSE;
    }
}

static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            TsWindow      *self)
{
  return _ts_window_handle_drop (self, value);
}

void
_ts_window_init_dnd (TsWindow *self)
{
  GtkDropTarget *target;
  const GType *types;
  guint n_types;

  g_assert (TS_IS_WINDOW (self));

  types = ts_drop_get_types (&n_types);
  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, (GType *) types, n_types);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}
