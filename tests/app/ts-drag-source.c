/* ts-drag-source.c: a drag source for the GUI tests
 *
 * Shows a window titled "Drag Source" whose label offers FILE, as a GDK
 * file list (text/uri-list on the wire), to a drag that starts on it.
 * With --clipboard, it puts the image FILE on the clipboard instead, as
 * image data (a texture), and keeps it there while it runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-drag-source"

#include "config.h"

#include <gtk/gtk.h>

static GdkContentProvider *
on_prepare_cb (GtkDragSource *source,
               double         x,
               double         y,
               GFile         *file)
{
  GdkFileList *files = gdk_file_list_new_from_array (&file, 1);
  GdkContentProvider *providers[2];

  /* The provider keeps a copy of the list. */
  providers[0] = gdk_content_provider_new_typed (GDK_TYPE_FILE_LIST, files);
  g_boxed_free (GDK_TYPE_FILE_LIST, files);
  providers[1] = gdk_content_provider_new_typed (G_TYPE_FILE, file);
  return gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));
}

static void
on_destroy_cb (GtkWidget *window,
               gboolean  *done)
{
  *done = TRUE;
  g_main_context_wakeup (NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = NULL;
  GtkDragSource *source;
  GtkWidget *window;
  GtkWidget *label;
  gboolean done = FALSE;

  gboolean clipboard = argc == 3 && g_str_equal (argv[1], "--clipboard");

  if (argc != 2 && !clipboard)
    {
      g_printerr ("usage: %s [--clipboard] FILE\n", argv[0]);
      return 2;
    }

  gtk_init ();
  file = g_file_new_for_commandline_arg (argv[argc - 1]);
  name = g_file_get_basename (file);

  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), "Drag Source");
  gtk_window_set_default_size (GTK_WINDOW (window), 300, 200);
  label = gtk_label_new (name);
  gtk_window_set_child (GTK_WINDOW (window), label);

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (on_prepare_cb), file);
  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (source));

  g_signal_connect (window, "destroy", G_CALLBACK (on_destroy_cb), &done);
  gtk_window_present (GTK_WINDOW (window));

  if (clipboard)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_file (file, &error);

      if (texture == NULL)
        {
          g_printerr ("%s: %s\n", argv[0], error->message);
          return 1;
        }
      gtk_window_set_title (GTK_WINDOW (window), "Clipboard Source");
      gdk_clipboard_set_texture (gtk_widget_get_clipboard (window), texture);
    }

  while (!done)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}
