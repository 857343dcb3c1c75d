/* ts-drag-source.c: a drag source for the GUI tests
 *
 * ts-drag-source [--texture | --clipboard] FILE
 *
 * Shows a window titled "Drag Source" whose label offers FILE, as a GDK
 * file list (text/uri-list on the wire), to a drag that starts on it.
 * With --texture the drag offers the image FILE as image data only (a
 * texture: image/png on the wire), as a browser does. With --clipboard
 * the window, titled "Clipboard Source", puts that image data on the
 * clipboard instead and keeps it there while it runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-drag-source"

#include "config.h"

#include <gtk/gtk.h>

typedef struct
{
  GFile      *file;
  GdkTexture *texture;  /* --texture and --clipboard */
} Source;

static GdkContentProvider *
on_prepare_cb (GtkDragSource *drag,
               double         x,
               double         y,
               Source        *source)
{
  GdkFileList *files;
  GdkContentProvider *providers[2];

  if (source->texture != NULL)
    return gdk_content_provider_new_typed (GDK_TYPE_TEXTURE, source->texture);

  /* The provider keeps a copy of the list. */
  files = gdk_file_list_new_from_array (&source->file, 1);
  providers[0] = gdk_content_provider_new_typed (GDK_TYPE_FILE_LIST, files);
  g_boxed_free (GDK_TYPE_FILE_LIST, files);
  providers[1] = gdk_content_provider_new_typed (G_TYPE_FILE, source->file);
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
  Source source = { NULL, NULL };
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  const char *mode = argc == 3 ? argv[1] : NULL;
  GtkDragSource *drag;
  GtkWidget *window;
  GtkWidget *label;
  gboolean done = FALSE;

  if (!(argc == 2 || (argc == 3 && (g_str_equal (mode, "--texture") ||
                                    g_str_equal (mode, "--clipboard")))))
    {
      g_printerr ("usage: %s [--texture | --clipboard] FILE\n", argv[0]);
      return 2;
    }

  gtk_init ();
  source.file = g_file_new_for_commandline_arg (argv[argc - 1]);
  name = g_file_get_basename (source.file);
  if (mode != NULL && (source.texture = gdk_texture_new_from_file (source.file, &error)) == NULL)
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 1;
    }

  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), "Drag Source");
  gtk_window_set_default_size (GTK_WINDOW (window), 300, 200);
  label = gtk_label_new (name);
  gtk_window_set_child (GTK_WINDOW (window), label);

  drag = gtk_drag_source_new ();
  gtk_drag_source_set_actions (drag, GDK_ACTION_COPY);
  g_signal_connect (drag, "prepare", G_CALLBACK (on_prepare_cb), &source);
  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (window, "destroy", G_CALLBACK (on_destroy_cb), &done);
  gtk_window_present (GTK_WINDOW (window));

  if (mode != NULL && g_str_equal (mode, "--clipboard"))
    {
      gtk_window_set_title (GTK_WINDOW (window), "Clipboard Source");
      gdk_clipboard_set_texture (gtk_widget_get_clipboard (window), source.texture);
    }

  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&source.texture);
  g_clear_object (&source.file);
  return 0;
}
