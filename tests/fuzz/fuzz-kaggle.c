/* fuzz-kaggle.c: unpacking the dataset's zip from Kaggle (libarchive:
 * ".." and absolute paths, links, duplicate names, huge declared sizes,
 * zip bombs)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is unpacked into an empty folder on a RAM disk when there is
 * one; afterwards the folder must hold only what the unpack reported it
 * wrote, and is emptied for the next input.
 */

#include "config.h"

#include <stdlib.h>
#include <glib/gstdio.h>

#include "net/ts-kaggle-private.h"
#include "ts-fuzz.h"

static char *dest_dir;

static void
empty_dest_dir (void)
{
  g_autoptr(GDir) dir = g_dir_open (dest_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dest_dir, name, NULL);

      if (g_remove (path) != 0)
        abort ();
    }
}

static void
remove_dest_dir (void)
{
  empty_dest_dir ();
  g_rmdir (dest_dir);
}

/* Made on the first input, removed at exit. */
static void
make_dest_dir (void)
{
  const char *base = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm"
                                                                  : g_get_tmp_dir ();

  dest_dir = g_build_filename (base, "tunescope-fuzz-kaggle-XXXXXX", NULL);
  if (g_mkdtemp (dest_dir) == NULL)
    abort ();
  atexit (remove_dest_dir);
}

/* Nothing but the reported files, each directly in the folder. */
static void
check_dest_dir (GPtrArray *written)
{
  g_autoptr(GDir) dir = g_dir_open (dest_dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dest_dir, name, NULL);
      gboolean reported = FALSE;

      for (guint i = 0; i < written->len; i++)
        reported |= g_str_equal (g_ptr_array_index (written, i), path);
      if (!reported || !g_file_test (path, G_FILE_TEST_IS_REGULAR) ||
          g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        abort ();
      n++;
    }
  if (n != written->len)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (dest_dir == NULL)
    make_dest_dir ();
  ok = _ts_kaggle_unpack_data (TS_KAGGLE_DATASET_170K, data, size, dest_dir, FALSE, written, NULL, NULL, NULL, &error);
  if (ok == (error != NULL))
    abort ();
  check_dest_dir (written);
  empty_dest_dir ();
  return 0;
}
