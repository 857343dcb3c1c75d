/* test-atomic-file.c: a file written through TsAtomicFile appears whole or
 * not at all, and an abandoned one leaves nothing behind
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <sys/mount.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ts-atomic-file.h"
#include "ts-test-util.h"

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The names in @dir, sorted and joined by spaces: hidden ones included,
 * since that is where a temporary file would show. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
assert_contents (const char *path,
                 const char *expected)
{
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, expected);
}

static void
test_commit_replaces (void)
{
  g_autofree char *path = ts_test_write_temp ("list.m3u", "old\n", -1);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(TsAtomicFile) file = NULL;
  g_autofree char *listing = NULL;
  GError *error = NULL;

  file = ts_atomic_file_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (ts_atomic_file_write (file, "new, ", 5, &error));
  g_assert_true (ts_atomic_file_write (file, "whole\n", 6, &error));
  g_assert_no_error (error);
  /* Before commit, readers see the old file and nothing else. */
  assert_contents (path, "old\n");
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "list.m3u");

  g_assert_true (ts_atomic_file_commit (file, &error));
  g_assert_no_error (error);
  assert_contents (path, "new, whole\n");
  g_clear_pointer (&listing, g_free);
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "list.m3u");
}

static void
test_abandoned_leaves_nothing (void)
{
  g_autofree char *path = ts_test_write_temp ("model.safetensors", "old", -1);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *listing = NULL;
  TsAtomicFile *file;
  GError *error = NULL;

  file = ts_atomic_file_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (ts_atomic_file_write (file, "half", 4, &error));
  g_assert_true (ts_atomic_file_finish (file, &error));
  g_assert_no_error (error);
  ts_atomic_file_free (file);
  assert_contents (path, "old");
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "model.safetensors");
}

/* A save killed between naming its file and renaming it leaves
 * .NAME.saving, whole; the next save of the same file clears it. */
static void
test_killed_save_cleared (void)
{
  g_autofree char *path = ts_test_write_temp ("list.m3u", "old\n", -1);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *left = g_build_filename (dir, ".list.m3u.saving", NULL);
  g_autofree char *listing = NULL;
  GError *error = NULL;

  g_assert_true (g_file_set_contents (left, "whole, from a killed save\n", -1, NULL));
  g_assert_true (ts_atomic_file_set_contents (path, "new\n", 4, &error));
  g_assert_no_error (error);
  assert_contents (path, "new\n");
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "list.m3u");
}

static void
test_set_contents_new_file (void)
{
  g_autofree char *dir = ts_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "manifest.json", NULL);
  GError *error = NULL;

  g_assert_true (ts_atomic_file_set_contents (path, "{}", 2, &error));
  g_assert_no_error (error);
  assert_contents (path, "{}");
}

static void
test_missing_folder (void)
{
  g_autofree char *dir = ts_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "gone", "chart.png", NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  GError *error = NULL;

  g_assert_false (ts_atomic_file_set_contents (path, "x", 1, &error));
  g_assert_error (error, TS_ERROR, TS_ERROR_IO);
  g_assert_nonnull (strstr (error->message, parent));
  g_assert_nonnull (strstr (error->message, g_strerror (ENOENT)));
  g_clear_error (&error);
}

static void
unmount (gpointer dir)
{
  umount2 (dir, MNT_DETACH);
  g_free (dir);
}

/* A full disk: the write fails with a message naming the file, and the old
 * file is whole. Needs a 64 KiB tmpfs, so root; skipped visibly otherwise. */
static void
test_disk_full (void)
{
  g_autofree char *dir = ts_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "list.m3u", NULL);
  g_autofree char *listing = NULL;
  g_autofree char *big = NULL;
  GError *error = NULL;
  gsize size = 256 * 1024;

  if (mount ("tmpfs", dir, "tmpfs", 0, "size=64k") != 0)
    {
      g_autofree char *why = g_strdup_printf ("cannot mount a small tmpfs here (%s): needs root",
                                              g_strerror (errno));

      g_test_skip (why);
      return;
    }
  /* Queued after the folder's removal, so run before it: even when an
   * assertion below fails. */
  g_test_queue_destroy (unmount, g_strdup (dir));
  g_assert_true (ts_atomic_file_set_contents (path, "old\n", 4, &error));
  g_assert_no_error (error);
  big = g_malloc0 (size);
  g_assert_false (ts_atomic_file_set_contents (path, big, size, &error));
  g_assert_error (error, TS_ERROR, TS_ERROR_IO);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, g_strerror (ENOSPC)));
  g_clear_error (&error);
  assert_contents (path, "old\n");
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "list.m3u");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/atomic-file/commit-replaces", test_commit_replaces);
  g_test_add_func ("/atomic-file/abandoned-leaves-nothing", test_abandoned_leaves_nothing);
  g_test_add_func ("/atomic-file/killed-save-cleared", test_killed_save_cleared);
  g_test_add_func ("/atomic-file/set-contents-new-file", test_set_contents_new_file);
  g_test_add_func ("/atomic-file/missing-folder", test_missing_folder);
  g_test_add_func ("/atomic-file/disk-full", test_disk_full);
  return g_test_run ();
}
