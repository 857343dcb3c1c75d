/* ts-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "ts-test-util.h"

static gboolean
running_in_ci (void)
{
  const char *ci = g_getenv ("CI");

  return ci != NULL && g_ascii_strcasecmp (ci, "true") == 0;
}

char *
ts_test_shared_path (const char *relative)
{
  const char *shared = g_getenv ("TS_SHARED_DIR");
  g_autofree char *path = NULL;

  g_assert_nonnull (relative);

  if (shared != NULL)
    path = g_build_filename (shared, relative, NULL);
  if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&path);

  if (running_in_ci ())
    {
      g_test_message ("CI=true but the shared data file %s is missing",
                      path ? path : relative);
      g_test_fail ();
    }
  else
    {
      g_autofree char *msg = g_strdup_printf ("needs ../shared/%s, which this checkout "
                                              "does not have", relative);
      g_printerr ("SKIP: %s\n", msg);
      g_test_skip (msg);
    }
  return NULL;
}

char *
ts_test_fixture_path (const char *name)
{
  const char *dir = g_getenv ("TS_FIXTURES_DIR");

  g_assert_nonnull (dir);
  return g_build_filename (dir, name, NULL);
}

TsDataset *
ts_test_load_shared_dataset (const char *relative)
{
  g_autofree char *path = ts_test_shared_path (relative);
  g_autoptr(GError) error = NULL;
  TsDataset *dataset;

  if (path == NULL)
    return NULL;
  dataset = ts_dataset_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return dataset;
}

void
ts_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        ts_test_remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
remove_tree_later (gpointer data)
{
  g_autofree char *dir = data;

  ts_test_remove_tree (dir);
}

char *
ts_test_write_temp (const char *basename,
                    const char *contents,
                    gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = ts_test_make_temp_dir ();
  char *path;

  path = g_build_filename (dir, basename, NULL);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

char *
ts_test_make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tunescope-test-XXXXXX", &error);

  g_assert_no_error (error);
  /* Gone when the test ends, with whatever else the test put in it. */
  g_test_queue_destroy (remove_tree_later, g_strdup (dir));
  return dir;
}

gboolean
ts_test_set_locale (const char *locale)
{
  g_assert_nonnull (locale);

  if (setlocale (LC_ALL, locale) != NULL)
    return TRUE;
  if (running_in_ci ())
    {
      g_test_message ("CI=true but the %s locale is missing", locale);
      g_test_fail ();
    }
  else
    {
      g_autofree char *msg = g_strdup_printf ("the %s locale is not installed", locale);

      g_printerr ("SKIP: %s\n", msg);
      g_test_skip (msg);
    }
  return FALSE;
}
