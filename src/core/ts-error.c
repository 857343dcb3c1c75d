/* ts-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-error"

#include "config.h"

#include "ts-error.h"

G_DEFINE_QUARK (ts-error-quark, ts_error)

/* Whether @error is the user's input being wrong rather than the machine
 * failing: a missing or unreadable file given by the user counts as input. */
gboolean
ts_error_is_bad_input (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  if (error->domain == TS_ERROR)
    return error->code == TS_ERROR_INVALID_INPUT || error->code == TS_ERROR_EXISTS;
  if (error->domain == G_FILE_ERROR)
    return error->code == G_FILE_ERROR_NOENT || error->code == G_FILE_ERROR_ISDIR ||
           error->code == G_FILE_ERROR_ACCES || error->code == G_FILE_ERROR_NOTDIR;
  if (error->domain == G_IO_ERROR)
    return error->code == G_IO_ERROR_NOT_FOUND || error->code == G_IO_ERROR_IS_DIRECTORY ||
           error->code == G_IO_ERROR_PERMISSION_DENIED || error->code == G_IO_ERROR_EXISTS;
  return FALSE;
}

gboolean
ts_error_set_invalid (GError     **error,
                      const char  *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, TS_ERROR, TS_ERROR_INVALID_INPUT, message);
  return FALSE;
}

gboolean
ts_error_check_file_size (guint64       size,
                          guint64       limit,
                          const char   *name,
                          const char   *what,
                          GError      **error)
{
  g_autofree char *shown = NULL;
  g_autofree char *most = NULL;

  if (size <= limit)
    return TRUE;
  shown = g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);
  most = g_format_size_full (limit, G_FORMAT_SIZE_IEC_UNITS);
  return ts_error_set_invalid (error, "%s: the file is too large (%s; Tunescope %s up to %s)",
                               name, shown, what, most);
}
