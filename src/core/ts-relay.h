/* ts-relay.h: the one way reports travel from a worker thread to the UI thread
 *
 * Long work runs in a GTask thread and reports as it goes (progress, an
 * epoch, a cover found). A TsRelay, made on the thread that will show the
 * reports, captures that thread's main context; ts_relay_post () from
 * any thread queues the report there, in order, at G_PRIORITY_DEFAULT:
 * the priority of the GTask's completion, so that every report arrives
 * before the task's callback. The relay and each queued report hold a
 * reference, so a report may still arrive after the task completed and
 * the caller's data must outlive it (user_data_free runs at the end).
 *
 * Typed fronts cover the two report shapes of the core: TsProgressFunc
 * (fraction and message) and TsNnEpochFunc (a training epoch).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ts-types.h"
#include "nn/ts-nn-model.h"

G_BEGIN_DECLS

typedef struct _TsRelay TsRelay;

/* Runs on the relay's thread with one report: the plain shape. */
typedef void (*TsRelayFunc)    (gpointer  report,
                                gpointer  user_data);
/* Calls @func, of whatever shape the caller's reports take, with one
 * report: so that any callback type travels without a wrapper struct. */
typedef void (*TsRelayMarshal) (GCallback func,
                                gpointer  report,
                                gpointer  user_data);

/* @marshal NULL: @func is a TsRelayFunc. @func NULL: reports are dropped,
 * so that an _async wrapper needs no special case for "no progress".
 * @min_interval_usec thins the reports out (0: every one passes): a tight
 * worker loop cannot flood the main loop. @user_data_free runs when the
 * last reference goes, after the last report. */
TsRelay *ts_relay_new             (GCallback       func,
                                   TsRelayMarshal  marshal,
                                   gpointer        user_data,
                                   GDestroyNotify  user_data_free,
                                   gint64          min_interval_usec);
TsRelay *ts_relay_ref             (TsRelay        *self);
void     ts_relay_unref           (TsRelay        *self);
/* From any thread: takes @report (freed with @report_free once delivered
 * or dropped). A report comes through unless it follows the last one
 * within the minimum interval; the first and @urgent ones always do. */
void     ts_relay_post            (TsRelay        *self,
                                   gpointer        report,
                                   GDestroyNotify  report_free,
                                   gboolean        urgent);

/* Progress: @func gets (fraction, message); at most 20 reports a second,
 * the first and the final (fraction 1) always. @func may be NULL. */
TsRelay *ts_relay_new_progress    (TsProgressFunc  func,
                                   gpointer        user_data);
/* A TsProgressFunc for the worker: pass the relay as its user data. */
void     ts_relay_report_progress (double          fraction,
                                   const char     *message,
                                   gpointer        relay);

/* Training epochs: every one reaches @func (which may be NULL). */
TsRelay *ts_relay_new_epochs      (TsNnEpochFunc   func,
                                   gpointer        user_data,
                                   GDestroyNotify  user_data_free);
/* A TsNnEpochFunc for the worker: pass the relay as its user data. */
void     ts_relay_report_epoch    (const TsNnEpochInfo *info,
                                   gpointer             relay);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsRelay, ts_relay_unref)

G_END_DECLS
