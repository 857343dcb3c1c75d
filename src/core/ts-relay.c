/* ts-relay.c: the one way reports travel from a worker thread to the UI thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-relay"

#include "config.h"

#include "ts-relay.h"

#define PROGRESS_MIN_INTERVAL_USEC (G_USEC_PER_SEC / 20)

struct _TsRelay
{
  GMainContext   *context;
  GCallback       func;
  TsRelayMarshal  marshal;
  gpointer        user_data;
  GDestroyNotify  user_data_free;
  gint64          min_interval_usec;
  GMutex          mutex;
  gint64          last_post_usec;  /* 0 before the first */
};

typedef struct
{
  TsRelay        *relay;
  gpointer        report;
  GDestroyNotify  report_free;
} Delivery;

static void
ts_relay_finalize (gpointer data)
{
  TsRelay *self = data;

  if (self->user_data_free != NULL)
    self->user_data_free (self->user_data);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->mutex);
}

static void
marshal_plain (GCallback func,
               gpointer  report,
               gpointer  user_data)
{
  ((TsRelayFunc) func) (report, user_data);
}

TsRelay *
ts_relay_new (GCallback       func,
              TsRelayMarshal  marshal,
              gpointer        user_data,
              GDestroyNotify  user_data_free,
              gint64          min_interval_usec)
{
  TsRelay *self;

  g_return_val_if_fail (min_interval_usec >= 0, NULL);

  self = g_atomic_rc_box_new0 (TsRelay);
  self->context = g_main_context_ref_thread_default ();
  self->func = func;
  self->marshal = marshal != NULL ? marshal : marshal_plain;
  self->user_data = user_data;
  self->user_data_free = user_data_free;
  self->min_interval_usec = min_interval_usec;
  g_mutex_init (&self->mutex);
  return self;
}

TsRelay *
ts_relay_ref (TsRelay *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
ts_relay_unref (TsRelay *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, ts_relay_finalize);
}

/* Whether a report posted now comes through; a passing one restarts the
 * interval. */
static gboolean
ts_relay_admit (TsRelay  *self,
                gboolean  urgent)
{
  gint64 now = g_get_monotonic_time ();
  gboolean admit;

  g_mutex_lock (&self->mutex);
  admit = urgent || self->min_interval_usec == 0 || self->last_post_usec == 0 ||
          now - self->last_post_usec >= self->min_interval_usec;
  if (admit)
    self->last_post_usec = now;
  g_mutex_unlock (&self->mutex);
  return admit;
}

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  if (delivery->report_free != NULL)
    delivery->report_free (delivery->report);
  ts_relay_unref (delivery->relay);
  g_free (delivery);
}

static gboolean
delivery_dispatch (gpointer data)
{
  Delivery *delivery = data;

  TsRelay *relay = delivery->relay;

  relay->marshal (relay->func, delivery->report, relay->user_data);
  return G_SOURCE_REMOVE;
}

void
ts_relay_post (TsRelay        *self,
               gpointer        report,
               GDestroyNotify  report_free,
               gboolean        urgent)
{
  Delivery *delivery;
  GSource *source;

  g_return_if_fail (self != NULL);

  if (self->func == NULL || !ts_relay_admit (self, urgent))
    {
      if (report_free != NULL)
        report_free (report);
      return;
    }
  delivery = g_new0 (Delivery, 1);
  delivery->relay = ts_relay_ref (self);
  delivery->report = report;
  delivery->report_free = report_free;
  /* Always through a source, never g_main_context_invoke (): that runs
   * the callback at once, on this worker thread, whenever nobody owns the
   * context at this moment. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, delivery_dispatch, delivery, delivery_free);
  g_source_set_static_name (source, "[tunescope] relay");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

/* ---- progress ------------------------------------------------------------ */

typedef struct
{
  double  fraction;
  char   *message;
} ProgressReport;

static void
progress_report_free (gpointer data)
{
  ProgressReport *report = data;

  g_free (report->message);
  g_free (report);
}

static void
marshal_progress (GCallback func,
                  gpointer  report_data,
                  gpointer  user_data)
{
  ProgressReport *report = report_data;

  ((TsProgressFunc) func) (report->fraction, report->message, user_data);
}

TsRelay *
ts_relay_new_progress (TsProgressFunc func,
                       gpointer       user_data)
{
  return ts_relay_new (G_CALLBACK (func), marshal_progress, user_data, NULL,
                       PROGRESS_MIN_INTERVAL_USEC);
}

void
ts_relay_report_progress (double      fraction,
                          const char *message,
                          gpointer    relay)
{
  TsRelay *self = relay;
  ProgressReport *report;

  g_return_if_fail (self != NULL);

  if (self->func == NULL)
    return;
  report = g_new0 (ProgressReport, 1);
  report->fraction = fraction;
  report->message = g_strdup (message);
  ts_relay_post (self, report, progress_report_free, fraction >= 1.0);
}

/* ---- training epochs ----------------------------------------------------- */

static void
marshal_epoch (GCallback func,
               gpointer  report,
               gpointer  user_data)
{
  ((TsNnEpochFunc) func) (report, user_data);
}

TsRelay *
ts_relay_new_epochs (TsNnEpochFunc  func,
                     gpointer       user_data,
                     GDestroyNotify user_data_free)
{
  return ts_relay_new (G_CALLBACK (func), marshal_epoch, user_data, user_data_free, 0);
}

void
ts_relay_report_epoch (const TsNnEpochInfo *info,
                       gpointer             relay)
{
  TsRelay *self = relay;

  g_return_if_fail (info != NULL);
  g_return_if_fail (self != NULL);

  if (self->func == NULL)
    return;
  ts_relay_post (self, g_memdup2 (info, sizeof *info), g_free, TRUE);
}
