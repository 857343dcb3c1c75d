/* ts-atomic-file.h: writing a file so that it appears whole or not at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The data goes to a hidden temporary file beside @dest_path; commit
 * flushes it to disk and renames it over @dest_path. Freeing an
 * uncommitted file removes the temporary file. Errors are TS_ERROR_IO. */
typedef struct _TsAtomicFile TsAtomicFile;

TsAtomicFile *ts_atomic_file_new       (const char    *dest_path,
                                        GError       **error);
/* Whether close waits for the data to reach the disk (the default). Turn
 * it off only for files that are checked when read and can be made again,
 * like cached downloads: after a power cut such a file may be empty or
 * short, never a mix of old and new, and readers never see it half
 * written. */
void          ts_atomic_file_set_durable (TsAtomicFile *self,
                                          gboolean      durable);
gboolean      ts_atomic_file_write     (TsAtomicFile  *self,
                                        const void    *data,
                                        gsize          length,
                                        GError       **error);
/* Flushes and closes: the data is on disk (when durable), not yet at
 * @dest_path. */
gboolean      ts_atomic_file_close     (TsAtomicFile  *self,
                                        GError       **error);
/* Closes if needed, then renames into place. */
gboolean      ts_atomic_file_commit    (TsAtomicFile  *self,
                                        GError       **error);
const char   *ts_atomic_file_get_path  (TsAtomicFile  *self);
void          ts_atomic_file_free      (TsAtomicFile  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsAtomicFile, ts_atomic_file_free)

G_END_DECLS
