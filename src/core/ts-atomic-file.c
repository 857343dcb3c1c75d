/* ts-atomic-file.c: writing a file so that it appears whole or not at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-atomic-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ts-atomic-file.h"
#include "ts-error.h"

struct _TsAtomicFile
{
  char *dest_path;
  char *tmp_path;   /* the named temporary file; NULL while unnamed and once renamed */
  int   fd;         /* -1 once closed */
  gboolean unnamed; /* O_TMPFILE: the data has no name until commit */
  gboolean finished;
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

static void
set_folder_error (GError     **error,
                  const char  *dir,
                  int          saved_errno)
{
  g_set_error (error, TS_ERROR, TS_ERROR_IO, "Could not create a file in ‘%s’: %s", dir,
               g_strerror (saved_errno));
}

/* A process killed while writing leaves no trace of an unnamed file: the
 * kernel frees it with the last descriptor. That needs O_TMPFILE from the
 * file system and /proc to give the file its name at commit; where either
 * is missing the caller falls back to a named temporary file. */
static int
open_unnamed (const char *dir)
{
#ifdef O_TMPFILE
  if (g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR))
    return open (dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  errno = EOPNOTSUPP;
  return -1;
#else
  (void) dir;
  errno = EOPNOTSUPP;
  return -1;
#endif
}

static gboolean
unnamed_unsupported (int saved_errno)
{
  /* What open(2) answers for O_TMPFILE where the file system lacks it. */
  return saved_errno == EOPNOTSUPP || saved_errno == EISDIR || saved_errno == EINVAL;
}

static char *
hidden_name_template (const char *dest_path)
{
  g_autofree char *dir = g_path_get_dirname (dest_path);
  g_autofree char *base = g_path_get_basename (dest_path);

  return g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
}

TsAtomicFile *
ts_atomic_file_new (const char  *dest_path,
                    GError     **error)
{
  g_autofree char *dir = NULL;
  TsAtomicFile *self;

  g_return_val_if_fail (dest_path != NULL, NULL);

  dir = g_path_get_dirname (dest_path);
  self = g_new0 (TsAtomicFile, 1);
  self->dest_path = g_strdup (dest_path);
  self->durable = TRUE;
  self->fd = open_unnamed (dir);
  self->unnamed = self->fd >= 0;
  if (self->fd < 0 && unnamed_unsupported (errno))
    {
      self->tmp_path = hidden_name_template (dest_path);
      self->fd = g_mkstemp_full (self->tmp_path, O_WRONLY | O_CLOEXEC, 0644);
    }
  if (self->fd < 0)
    {
      set_folder_error (error, dir, errno);
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

  g_return_val_if_fail (self != NULL && self->fd >= 0 && !self->finished, FALSE);

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
ts_atomic_file_finish (TsAtomicFile  *self,
                       GError       **error)
{
  int saved = 0;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->finished)
    return TRUE;
  self->finished = TRUE;
  /* The data must be on disk before a rename makes it visible. */
  if (self->durable && fsync (self->fd) != 0)
    saved = errno;
  /* An unnamed file lives only as long as its descriptor: that one stays
   * open until commit gives the file a name. */
  if (!self->unnamed)
    {
      if (close (self->fd) != 0 && saved == 0)
        saved = errno;
      self->fd = -1;
    }
  if (saved == 0)
    return TRUE;
  set_io_error (error, self->dest_path, saved);
  return FALSE;
}

/* Gives the unnamed file the hidden name .NAME.saving beside its
 * destination, so that commit can rename it over the destination (link(2)
 * cannot replace a file, rename(2) can). A process killed between the two
 * leaves that name on a whole file; the next save of the same file removes
 * it, which a random name would not let it find. (Two processes saving the
 * same file in the same microseconds could remove each other's: the loser
 * reports an error and the other's file is whole.) */
static gboolean
link_unnamed (TsAtomicFile  *self,
              GError       **error)
{
  g_autofree char *proc_path = g_strdup_printf ("/proc/self/fd/%d", self->fd);
  g_autofree char *dir = g_path_get_dirname (self->dest_path);
  g_autofree char *base = g_path_get_basename (self->dest_path);
  g_autofree char *name = g_strdup_printf ("%s/.%s.saving", dir, base);
  int saved;

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      if (linkat (AT_FDCWD, proc_path, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0)
        {
          self->tmp_path = g_steal_pointer (&name);
          return TRUE;
        }
      saved = errno;
      if (saved != EEXIST)
        break;
      g_unlink (name);  /* left by a killed save */
    }
  set_io_error (error, self->dest_path, saved);
  return FALSE;
}

gboolean
ts_atomic_file_commit (TsAtomicFile  *self,
                       GError       **error)
{
  g_return_val_if_fail (self != NULL && (self->fd >= 0 || self->tmp_path != NULL), FALSE);

  if (!ts_atomic_file_finish (self, error))
    return FALSE;
  if (self->unnamed && !link_unnamed (self, error))
    return FALSE;
  if (g_rename (self->tmp_path, self->dest_path) != 0)
    {
      set_io_error (error, self->dest_path, errno);
      return FALSE;
    }
  g_clear_pointer (&self->tmp_path, g_free);
  if (self->fd >= 0)
    close (self->fd);
  self->fd = -1;
  self->unnamed = FALSE;
  return TRUE;
}

const char *
ts_atomic_file_get_path (TsAtomicFile *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->dest_path;
}

gboolean
ts_atomic_file_set_contents (const char  *dest_path,
                             const void  *data,
                             gsize        length,
                             GError     **error)
{
  g_autoptr(TsAtomicFile) file = ts_atomic_file_new (dest_path, error);

  return file != NULL && ts_atomic_file_write (file, data, length, error)
         && ts_atomic_file_commit (file, error);
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
