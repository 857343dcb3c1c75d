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

/* A name is tried this many times before linking an unnamed file gives up:
 * each try draws a fresh random name, so a clash twice running is already
 * a sign of something else. */
#define LINK_NAME_TRIES 100

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

/* Gives the unnamed file a hidden name beside its destination (link(2)
 * cannot replace a file, rename(2) can), so that commit can rename it. */
static gboolean
link_unnamed (TsAtomicFile  *self,
              GError       **error)
{
  g_autofree char *proc_path = g_strdup_printf ("/proc/self/fd/%d", self->fd);
  g_autofree char *template = hidden_name_template (self->dest_path);
  gsize suffix = strlen (template) - 6;

  for (guint i = 0; i < LINK_NAME_TRIES; i++)
    {
      g_autofree char *candidate = g_strdup (template);

      g_snprintf (candidate + suffix, 7, "%06x", g_random_int () & 0xffffff);
      if (linkat (AT_FDCWD, proc_path, AT_FDCWD, candidate, AT_SYMLINK_FOLLOW) == 0)
        {
          self->tmp_path = g_steal_pointer (&candidate);
          return TRUE;
        }
      if (errno != EEXIST)
        break;
    }
  set_io_error (error, self->dest_path, errno);
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
