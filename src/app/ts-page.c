/* ts-page.c: what every page of the main window shares
 *
 * The five pages (Dataset, Explore, Discover, Image, Playlist) show one
 * dataset: the window binds its "dataset" to each page's (ts-window.ui),
 * and a page hears of a new one through its dataset_changed method, as
 * sysprof's sections hear of their session. The page base also holds
 * what pages otherwise each wrote again:
 *   - the spaces: borrowed from the dataset's TsSpaceCache, with the
 *     waits for a learnt one (cancelled when the dataset changes) and the
 *     cache's "invalidated" turned into spaces_changed;
 *   - the busy state and status line, as properties the templates bind;
 *   - toasts, over the window's one AdwToastOverlay.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ts-app-util.h"
#include "ts-page.h"
#include "ts-space-cache.h"

typedef struct
{
  TsDataset    *dataset;
  TsSpaceCache *space_cache;         /* the dataset's */
  GCancellable *space_cancellable;   /* the waits for spaces, per dataset */
  gboolean      preparing[TS_N_SPACE_KINDS];
  char         *busy_message;        /* NULL: not busy */
  char         *status;
} TsPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (TsPage, ts_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DATASET,
  PROP_BUSY,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- the dataset ---------------------------------------------------------- */

TsDataset *
ts_page_get_dataset (TsPage *self)
{
  TsPagePrivate *priv = ts_page_get_instance_private (self);

  g_return_val_if_fail (TS_IS_PAGE (self), NULL);

  return priv->dataset;
}

static void
on_spaces_invalidated_cb (TsPage *self)
{
  TsPagePrivate *priv = ts_page_get_instance_private (self);

  memset (priv->preparing, 0, sizeof priv->preparing);
  if (TS_PAGE_GET_CLASS (self)->spaces_changed != NULL)
    TS_PAGE_GET_CLASS (self)->spaces_changed (self);
}

static void
ts_page_set_space_cache (TsPage       *self,
                         TsSpaceCache *cache)
{
  TsPagePrivate *priv = ts_page_get_instance_private (self);

  ts_cancellable_renew (&priv->space_cancellable);
  memset (priv->preparing, 0, sizeof priv->preparing);
  if (priv->space_cache != NULL)
    g_signal_handlers_disconnect_by_func (priv->space_cache, on_spaces_invalidated_cb, self);
  g_set_object (&priv->space_cache, cache);
  if (cache != NULL)
    g_signal_connect_object (cache, "invalidated", G_CALLBACK (on_spaces_invalidated_cb), self,
                             G_CONNECT_SWAPPED);
}

void
ts_page_set_dataset (TsPage    *self,
                     TsDataset *dataset)
{
  TsPagePrivate *priv = ts_page_get_instance_private (self);

  g_return_if_fail (TS_IS_PAGE (self));
  g_return_if_fail (dataset == NULL || TS_IS_DATASET (dataset));

  if (!g_set_object (&priv->dataset, dataset))
    return;
  ts_page_set_space_cache (self, dataset != NULL ? ts_space_cache_get_for_dataset (dataset)
                                                 : NULL);
  if (TS_PAGE_GET_CLASS (self)->dataset_changed != NULL)
    TS_PAGE_GET_CLASS (self)->dataset_changed (self, dataset);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
}

/* ---- the spaces ----------------------------------------------------------- */

TsSpace *
ts_page_peek_space (TsPage      *self,
                    TsSpaceKind  kind)
{
  TsPagePrivate *priv = ts_page_get_instance_private (self);

  g_return_val_if_fail (TS_IS_PAGE (self), NULL);

  return priv->space_cache != NULL ? ts_space_cache_peek (priv->space_cache, kind) : NULL;
}

TsModel *
ts_page_peek_model (TsPage      *self,
                    TsSpaceKind  kind)
{
  TsPagePrivate *priv = ts_page_get_instance_private (self);

  g_return_val_if_fail (TS_IS_PAGE (self), NULL);

  return priv->space_cache != NULL ? ts_space_cache_peek_model (priv->space_cache, kind)
                                   : NULL;
}

typedef struct
{
  TsPage      *page;
  TsSpaceKind  kind;
} SpaceWait;

/* A model trained for the space but not cached (a read-only models
 * folder) still serves; the user learns it will be trained again. */
static void
tell_unsaved_model (TsPage      *self,
                    TsSpaceKind  kind)
{
  TsPagePrivate *priv = ts_page_get_instance_private (self);
  const char *reason = ts_space_cache_take_unsaved_reason (priv->space_cache, kind);
  g_autofree char *message = NULL;

  if (reason == NULL)
    return;
  message = g_strdup_printf (_("The new model is in use but not kept for next time: %s"),
                             reason);
  ts_page_show_toast (self, message, 10);
}

static void
on_space_ready_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SpaceWait *wait = user_data;
  g_autoptr(TsPage) self = wait->page;
  TsSpaceKind kind = wait->kind;
  TsPagePrivate *priv = ts_page_get_instance_private (self);
  g_autoptr(GError) error = NULL;

  g_free (wait);
  if (!ts_space_cache_prepare_finish (TS_SPACE_CACHE (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Not from an older dataset's cache: the dataset change cancelled that. */
  g_assert (TS_SPACE_CACHE (source) == priv->space_cache);
  priv->preparing[kind] = FALSE;
  if (error == NULL)
    tell_unsaved_model (self, kind);
  TS_PAGE_GET_CLASS (self)->space_ready (self, kind, error);
}

void
ts_page_prepare_space (TsPage      *self,
                       TsSpaceKind  kind)
{
  TsPagePrivate *priv = ts_page_get_instance_private (self);
  SpaceWait *wait;

  g_return_if_fail (TS_IS_PAGE (self));
  g_return_if_fail (kind < TS_N_SPACE_KINDS);
  g_return_if_fail (priv->space_cache != NULL);
  g_return_if_fail (TS_PAGE_GET_CLASS (self)->space_ready != NULL);

  if (priv->preparing[kind])
    return;
  priv->preparing[kind] = TRUE;
  wait = g_new0 (SpaceWait, 1);
  wait->page = g_object_ref (self);
  wait->kind = kind;
  ts_space_cache_prepare_async (priv->space_cache, kind, priv->space_cancellable,
                                on_space_ready_cb, wait);
}

/* ---- busy and status ------------------------------------------------------ */

/* Whether *@ptr changed to a copy of @value (g_set_str () is GLib 2.76). */
static gboolean
replace_str (char       **ptr,
             const char  *value)
{
  if (g_strcmp0 (*ptr, value) == 0)
    return FALSE;
  g_free (*ptr);
  *ptr = g_strdup (value);
  return TRUE;
}

void
ts_page_set_busy (TsPage     *self,
                  const char *message)
{
  TsPagePrivate *priv = ts_page_get_instance_private (self);
  gboolean was_busy;

  g_return_if_fail (TS_IS_PAGE (self));

  was_busy = priv->busy_message != NULL;
  if (!replace_str (&priv->busy_message, message) && was_busy == (message != NULL))
    return;
  if (was_busy != (message != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

gboolean
ts_page_get_busy (TsPage *self)
{
  TsPagePrivate *priv = ts_page_get_instance_private (self);

  g_return_val_if_fail (TS_IS_PAGE (self), FALSE);

  return priv->busy_message != NULL;
}

void
ts_page_set_status (TsPage     *self,
                    const char *status)
{
  TsPagePrivate *priv = ts_page_get_instance_private (self);

  g_return_if_fail (TS_IS_PAGE (self));

  if (replace_str (&priv->status, status) && priv->busy_message == NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

/* The status line: the busy message while busy, else the last status. */
const char *
ts_page_get_status (TsPage *self)
{
  TsPagePrivate *priv = ts_page_get_instance_private (self);

  g_return_val_if_fail (TS_IS_PAGE (self), NULL);

  if (priv->busy_message != NULL)
    return priv->busy_message;
  return priv->status != NULL ? priv->status : "";
}

/* ---- toasts --------------------------------------------------------------- */

static void
ts_page_add_toast (TsPage   *self,
                   AdwToast *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay == NULL)
    {
      /* A page outside a window (a test): the message is logged. */
      g_message ("%s", adw_toast_get_title (toast));
      g_object_unref (toast);
      return;
    }
  ts_toast_add (overlay, toast);
}

void
ts_page_show_toast (TsPage     *self,
                    const char *message,
                    guint       timeout_s)
{
  g_return_if_fail (TS_IS_PAGE (self));
  g_return_if_fail (message != NULL);

  ts_page_add_toast (self, ts_toast_new (message, timeout_s));
}

/* The toast lives in the window's overlay, outside the page, where the
 * page's actions are not found: its button asks the page itself. */
static void
on_undo_clicked_cb (AdwToast *toast,
                    TsPage   *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), g_object_get_data (G_OBJECT (toast),
                                                                     "ts-action"), NULL);
}

void
ts_page_show_undo_toast (TsPage     *self,
                         const char *message,
                         const char *action_name)
{
  AdwToast *toast;

  g_return_if_fail (TS_IS_PAGE (self));
  g_return_if_fail (message != NULL);
  g_return_if_fail (action_name != NULL);

  /* Longer than a plain toast: time to decide. */
  toast = ts_toast_new (message, 8);
  adw_toast_set_button_label (toast, _("Undo"));
  g_object_set_data_full (G_OBJECT (toast), "ts-action", g_strdup (action_name), g_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_clicked_cb), self, 0);
  ts_page_add_toast (self, toast);
}

/* ---- the class ------------------------------------------------------------ */

static void
ts_page_dispose (GObject *object)
{
  TsPage *self = TS_PAGE (object);
  TsPagePrivate *priv = ts_page_get_instance_private (self);
  GtkWidget *child;

  g_cancellable_cancel (priv->space_cancellable);
  ts_page_set_space_cache (self, NULL);
  g_clear_object (&priv->space_cancellable);
  g_clear_object (&priv->dataset);
  /* gtk_widget_dispose_template () unparents only the children bound to a
   * field: a template's unnamed top box (Explore's, Discover's) would be
   * left, and GTK warns when the page is finalized (seen on Ctrl+Q). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ts_page_parent_class)->dispose (object);
}

static void
ts_page_finalize (GObject *object)
{
  TsPagePrivate *priv = ts_page_get_instance_private (TS_PAGE (object));

  g_free (priv->busy_message);
  g_free (priv->status);

  G_OBJECT_CLASS (ts_page_parent_class)->finalize (object);
}

static void
ts_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  TsPage *self = TS_PAGE (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      g_value_set_object (value, ts_page_get_dataset (self));
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, ts_page_get_busy (self));
      break;

    case PROP_STATUS:
      g_value_set_string (value, ts_page_get_status (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ts_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  TsPage *self = TS_PAGE (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      ts_page_set_dataset (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ts_page_class_init (TsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ts_page_dispose;
  object_class->finalize = ts_page_finalize;
  object_class->get_property = ts_page_get_property;
  object_class->set_property = ts_page_set_property;

  properties[PROP_DATASET] =
    g_param_spec_object ("dataset", NULL, NULL,
                         TS_TYPE_DATASET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL,
                         "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ts_page_init (TsPage *self)
{
  TsPagePrivate *priv = ts_page_get_instance_private (self);

  priv->space_cancellable = g_cancellable_new ();
}
