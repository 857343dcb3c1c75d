/* ts-atomic-file.h: writing a file so that it appears whole or not at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The data goes to an unnamed file in @dest_path's folder (O_TMPFILE; a
 * hidden temporary file beside @dest_path where the file system lacks
 * that); commit flushes it to disk and renames it over @dest_path. Freeing
 * an uncommitted file, or the process being killed, leaves nothing behind
 * (an unnamed file; a named one is removed on free). A kill between
 * commit's naming of the file (.NAME.saving) and its rename leaves that
 * whole file, which the next save of NAME removes. Errors are TS_ERROR_IO. */
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
/* Ends the writing: the data is on disk (when durable), not yet at
 * @dest_path. */
gboolean      ts_atomic_file_finish    (TsAtomicFile  *self,
                                        GError       **error);
/* Finishes if needed, then puts the file in place. */
gboolean      ts_atomic_file_commit    (TsAtomicFile  *self,
                                        GError       **error);
const char   *ts_atomic_file_get_path  (TsAtomicFile  *self);
/* The whole file at once, durable: new, write, commit. */
gboolean      ts_atomic_file_set_contents (const char  *dest_path,
                                           const void  *data,
                                           gsize        length,
                                           GError     **error);
void          ts_atomic_file_free      (TsAtomicFile  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsAtomicFile, ts_atomic_file_free)

G_END_DECLS
