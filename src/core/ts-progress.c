/* ts-progress.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-progress"

#include "config.h"

#include "ts-progress.h"

/* At most this many reports a second reach the UI thread, so that a tight
 * worker loop cannot flood the main loop. */
#define MIN_INTERVAL_USEC (G_USEC_PER_SEC / 20)

struct _TsProgressRelay
{
  GMainContext   *context;
  TsProgressFunc  func;
  gpointer        user_data;
  GMutex          mutex;
  gint64          last_report_usec;
};

typedef struct
{
  TsProgressRelay *relay;
  double           fraction;
  char            *message;
} Report;

static void
ts_progress_relay_finalize (gpointer data)
{
  TsProgressRelay *self = data;

  g_main_context_unref (self->context);
  g_mutex_clear (&self->mutex);
}

TsProgressRelay *
ts_progress_relay_new (TsProgressFunc func,
                       gpointer       user_data)
{
  TsProgressRelay *self = g_atomic_rc_box_new0 (TsProgressRelay);

  self->context = g_main_context_ref_thread_default ();
  self->func = func;
  self->user_data = user_data;
  g_mutex_init (&self->mutex);
  return self;
}

TsProgressRelay *
ts_progress_relay_ref (TsProgressRelay *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
ts_progress_relay_unref (TsProgressRelay *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, ts_progress_relay_finalize);
}

static void
report_free (gpointer data)
{
  Report *report = data;

  ts_progress_relay_unref (report->relay);
  g_free (report->message);
  g_free (report);
}

static gboolean
report_dispatch (gpointer data)
{
  Report *report = data;

  report->relay->func (report->fraction, report->message, report->relay->user_data);
  return G_SOURCE_REMOVE;
}

/* Whether enough time passed since the last forwarded report; the first
 * and the final (fraction 1) reports always pass. */
static gboolean
should_forward (TsProgressRelay *self,
                double           fraction)
{
  gint64 now = g_get_monotonic_time ();
  gboolean forward;

  g_mutex_lock (&self->mutex);
  forward = fraction >= 1.0 || self->last_report_usec == 0 ||
            now - self->last_report_usec >= MIN_INTERVAL_USEC;
  if (forward)
    self->last_report_usec = now;
  g_mutex_unlock (&self->mutex);
  return forward;
}

void
ts_progress_relay_report (double      fraction,
                          const char *message,
                          gpointer    relay)
{
  TsProgressRelay *self = relay;
  Report *report;

  g_return_if_fail (self != NULL);

  if (self->func == NULL || !should_forward (self, fraction))
    return;

  report = g_new0 (Report, 1);
  report->relay = ts_progress_relay_ref (self);
  report->fraction = fraction;
  report->message = g_strdup (message);
  /* Always through a source, never g_main_context_invoke(): that runs the
   * callback at once, on this worker thread, whenever nobody owns the
   * context at this moment. */
  {
    GSource *source = g_idle_source_new ();

    g_source_set_priority (source, G_PRIORITY_DEFAULT);
    g_source_set_callback (source, report_dispatch, report, report_free);
    g_source_set_static_name (source, "[tunescope] progress");
    g_source_attach (source, self->context);
    g_source_unref (source);
  }
}
