/* ts-window-dnd.c: opening a CSV dropped on the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-window-dnd"

#include "config.h"

#include <glib/gi18n.h>

#include "ts-window-private.h"

/* The first file of a drop: a file list from another app, or a single
 * GFile as the Flatpak FileTransfer portal hands it over. */
static GFile *
get_dropped_file (const GValue *value)
{
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);

      return files != NULL ? files->data : NULL;
    }
  if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    return g_value_get_object (value);
  return NULL;
}

static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            TsWindow      *self)
{
  GFile *file;

  g_assert (TS_IS_WINDOW (self));

  file = get_dropped_file (value);
  if (file == NULL)
    {
      _ts_window_toast (self, _("Only files can be dropped here"));
      return FALSE;
    }
  ts_window_open_file (self, file);
  return TRUE;
}

void
_ts_window_init_dnd (TsWindow *self)
{
  GtkDropTarget *target;
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  g_assert (TS_IS_WINDOW (self));

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}
