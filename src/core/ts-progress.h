/* ts-progress.h: carrying progress from a worker thread to the UI thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ts-types.h"

G_BEGIN_DECLS

typedef struct _TsProgressRelay TsProgressRelay;

/* Captures the caller's thread-default main context; reports passed to
 * ts_progress_relay_report() from any thread reach @func there, thinned
 * out to a few per second. @func may be NULL (reports are dropped). */
TsProgressRelay *ts_progress_relay_new    (TsProgressFunc   func,
                                           gpointer         user_data);
TsProgressRelay *ts_progress_relay_ref    (TsProgressRelay *self);
void             ts_progress_relay_unref  (TsProgressRelay *self);
/* A TsProgressFunc: pass the relay as its user data. */
void             ts_progress_relay_report (double           fraction,
                                           const char      *message,
                                           gpointer         relay);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsProgressRelay, ts_progress_relay_unref)

G_END_DECLS
