/* ts-application.c: the Tunescope application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-application"

#include "config.h"

#include <glib/gi18n.h>

#include "ts-application.h"
#include "ts-cover-loader.h"
#include "ts-preferences-window.h"
#include "ts-window.h"

struct _TsApplication
{
  AdwApplication  parent_instance;
};

G_DEFINE_FINAL_TYPE (TsApplication, ts_application, ADW_TYPE_APPLICATION)

#define DATASET_URL "https://www.kaggle.com/datasets/vatsalmavani/spotify-dataset"

TsApplication *
ts_application_new (void)
{
  return g_object_new (TS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       /* The .Devel profile shares the release profile's resources. */
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

/* An idle window (no dataset, nothing loading) is reused, so that
 * `tunescope FILE` after a plain start does not leave an empty window. */
static TsWindow *
ts_application_get_idle_window (TsApplication *self)
{
  GtkWindow *window;

  g_assert (TS_IS_APPLICATION (self));

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (TS_IS_WINDOW (window) && ts_window_is_idle (TS_WINDOW (window)))
    return TS_WINDOW (window);
  return NULL;
}

static void
ts_application_activate (GApplication *app)
{
  TsApplication *self = TS_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      window = GTK_WINDOW (ts_window_new (GTK_APPLICATION (self)));
      ts_window_restore_dataset (TS_WINDOW (window));
    }
  gtk_window_present (window);
}

static void
ts_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  TsApplication *self = TS_APPLICATION (app);
  TsWindow *window;

  g_assert (n_files > 0);

  /* One dataset per window: open each file in a window of its own. */
  for (int i = 0; i < n_files; i++)
    {
      window = (i == 0) ? ts_application_get_idle_window (self) : NULL;
      if (window == NULL)
        window = ts_window_new (GTK_APPLICATION (self));
      ts_window_open_file (window, files[i]);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
ts_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  TsApplication *self = user_data;
  static const char *developers[] = { "The Tunescope developers", NULL };
  static const char *dataset_credits[] = {
    "Vatsal Mavani " DATASET_URL,
    "Yamaç Eren Ay https://www.kaggle.com/datasets/yamaerenay/spotify-dataset-19212020-600k-tracks",
    NULL
  };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Tunescope"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Tunescope developers"),
                        "version", PACKAGE_VERSION,
                        "website", PACKAGE_WEBSITE,
                        "issue-url", PACKAGE_WEBSITE "/issues",
                        "copyright", _("© The Tunescope developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: replace with your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  adw_about_window_add_credit_section (ADW_ABOUT_WINDOW (about), _("Spotify Dataset"),
                                       dataset_credits);
  /* The image search's pretrained network ships inside the program. */
  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about),
                                      _("MobileNetV2 Image Network (nsfwjs 4.4.0)"),
                                      "Copyright © 2019 Infinite Red, Inc.",
                                      GTK_LICENSE_MIT_X11, NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
ts_application_preferences_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  TsApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (ts_preferences_window_new (parent)));
}

static void
ts_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  TsApplication *self = user_data;
  GList *windows = g_list_copy_deep (gtk_application_get_windows (GTK_APPLICATION (self)),
                                     (GCopyFunc) g_object_ref, NULL);

  /* Closing (not destroying) lets each window cancel its work and save its
   * size; the application ends with its last window. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free_full (windows, g_object_unref);
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = ts_application_about_action },
  { .name = "preferences", .activate = ts_application_preferences_action },
  { .name = "quit", .activate = ts_application_quit_action },
};

static void
ts_application_set_accels (TsApplication *self)
{
  static const struct {
    const char *action;
    const char *accels[2];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.models", { "<Control>m", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);
}

static void
ts_application_startup (GApplication *app)
{
  TsApplication *self = TS_APPLICATION (app);
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(TsCoverLoader) loader = NULL;

  G_APPLICATION_CLASS (ts_application_parent_class)->startup (app);

  /* AdwStyleManager's default scheme already follows the system's dark
   * style preference; nothing to force here. */
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  ts_application_set_accels (self);
  settings = g_settings_new (BASE_ID);
  /* One art cache and Spotify client for every window. */
  loader = ts_cover_loader_new (settings, NULL);
  ts_cover_loader_set_default (loader);
}

static void
ts_application_shutdown (GApplication *app)
{
  ts_cover_loader_set_default (NULL);

  G_APPLICATION_CLASS (ts_application_parent_class)->shutdown (app);
}

static void
ts_application_class_init (TsApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = ts_application_startup;
  app_class->shutdown = ts_application_shutdown;
  app_class->activate = ts_application_activate;
  app_class->open = ts_application_open;
}

static void
ts_application_init (TsApplication *self)
{
}
