/* ts-atomic-file.c: writing a file so that it appears whole or not at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-atomic-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ts-atomic-file.h"
#include "ts-error.h"

struct _TsAtomicFile
{
  char *dest_path;
  char *tmp_path;   /* NULL once renamed */
  int   fd;         /* -1 once closed */
  gboolean durable;
};

static void
set_io_error (GError     **error,
              const char  *path,
              int          saved_errno)
{
  g_set_error (error, TS_ERROR, TS_ERROR_IO, "Could not write ‘%s’: %s", path,
               g_strerror (saved_errno));
}

TsAtomicFile *
ts_atomic_file_new (const char  *dest_path,
                    GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  TsAtomicFile *self;

  g_return_val_if_fail (dest_path != NULL, NULL);

  dir = g_path_get_dirname (dest_path);
  base = g_path_get_basename (dest_path);
  self = g_new0 (TsAtomicFile, 1);
  self->dest_path = g_strdup (dest_path);
  self->durable = TRUE;
  self->tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  self->fd = g_mkstemp_full (self->tmp_path, O_WRONLY | O_CLOEXEC, 0644);
  if (self->fd < 0)
    {
      int saved = errno;

      g_set_error (error, TS_ERROR, TS_ERROR_IO, "Could not create a file in ‘%s’: %s", dir,
                   g_strerror (saved));
      g_clear_pointer (&self->tmp_path, g_free);
      ts_atomic_file_free (self);
      return NULL;
    }
  return self;
}

void
ts_atomic_file_set_durable (TsAtomicFile *self,
                            gboolean      durable)
{
  g_return_if_fail (self != NULL);

  self->durable = durable;
}

gboolean
ts_atomic_file_write (TsAtomicFile  *self,
                      const void    *data,
                      gsize          length,
                      GError       **error)
{
  const char *p = data;

  g_return_val_if_fail (self != NULL && self->fd >= 0, FALSE);

  while (length > 0)
    {
      gssize n = write (self->fd, p, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_io_error (error, self->dest_path, errno);
          return FALSE;
        }
      p += n;
      length -= (gsize) n;
    }
  return TRUE;
}

gboolean
ts_atomic_file_close (TsAtomicFile  *self,
                      GError       **error)
{
  int saved = 0;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->fd < 0)
    return TRUE;
  /* The data must be on disk before a rename makes it visible. */
  if (self->durable && fsync (self->fd) != 0)
    saved = errno;
  if (close (self->fd) != 0 && saved == 0)
    saved = errno;
  self->fd = -1;
  if (saved == 0)
    return TRUE;
  set_io_error (error, self->dest_path, saved);
  return FALSE;
}

gboolean
ts_atomic_file_commit (TsAtomicFile  *self,
                       GError       **error)
{
  g_return_val_if_fail (self != NULL && self->tmp_path != NULL, FALSE);

  if (!ts_atomic_file_close (self, error))
    return FALSE;
  if (g_rename (self->tmp_path, self->dest_path) != 0)
    {
      set_io_error (error, self->dest_path, errno);
      return FALSE;
    }
  g_clear_pointer (&self->tmp_path, g_free);
  return TRUE;
}

const char *
ts_atomic_file_get_path (TsAtomicFile *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->dest_path;
}

void
ts_atomic_file_free (TsAtomicFile *self)
{
  if (self == NULL)
    return;
  if (self->fd >= 0)
    close (self->fd);
  if (self->tmp_path != NULL)
    g_unlink (self->tmp_path);
  g_free (self->tmp_path);
  g_free (self->dest_path);
  g_free (self);
}
