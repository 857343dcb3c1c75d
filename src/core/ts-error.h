/* ts-error.h: the core's error domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TS_ERROR (ts_error_quark ())

/* Errors of the core. INVALID_INPUT is the user's data or arguments being
 * wrong (the CLI exits 2); the others are run-time failures (exit 1). */
typedef enum
{
  TS_ERROR_INVALID_INPUT,
  TS_ERROR_EXISTS,
  TS_ERROR_NETWORK,
  TS_ERROR_HTTP,
  TS_ERROR_AUTH,
  TS_ERROR_IO,
  /* A service asks to wait longer than we block for, or its quota is spent. */
  TS_ERROR_RATE_LIMITED,
} TsError;

GQuark   ts_error_quark           (void);
gboolean ts_error_is_bad_input    (const GError *error);
/* Sets a TS_ERROR_INVALID_INPUT error; returns FALSE. */
gboolean ts_error_set_invalid     (GError      **error,
                                   const char   *format,
                                   ...) G_GNUC_PRINTF (2, 3);
/* TRUE when @size is at most @limit; else sets an invalid-input error
 * "NAME: the file is too large (SIZE; Tunescope WHAT up to LIMIT)" and
 * returns FALSE. @what says what Tunescope does with such files ("reads",
 * "imports playlists"). */
gboolean ts_error_check_file_size (guint64       size,
                                   guint64       limit,
                                   const char   *name,
                                   const char   *what,
                                   GError      **error);

G_END_DECLS
