/* ts-test-util.h: helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "tunescope-core.h"

G_BEGIN_DECLS

/* The path of @relative under ../shared (TS_SHARED_DIR), or NULL after
 * marking the current test skipped with a visible message. Under CI=true a
 * missing ../shared fails the test instead: CI always has it. */
char *ts_test_shared_path  (const char *relative);
/* The path of a committed fixture under tests/fixtures. */
char *ts_test_fixture_path (const char *name);
/* The dataset at @relative under ../shared, loaded (asserting no error), or
 * NULL after marking the test skipped as ts_test_shared_path() does. */
TsDataset *ts_test_load_shared_dataset (const char *relative);
/* Writes @contents (of @length bytes, -1 for a string) to a new file in a
 * fresh temporary folder and returns its path. The folder and the files
 * in it are removed when the current test ends. */
char *ts_test_write_temp   (const char *basename,
                            const char *contents,
                            gssize      length);
/* Removes @path and, for a folder, everything under it. */
void  ts_test_remove_tree  (const char *path);
/* A fresh temporary folder, removed with the files in it when the
 * current test ends. */
char *ts_test_make_temp_dir (void);

/* Switches LC_ALL to @locale; if it is not installed, marks the test
 * skipped (failed under CI=true, where build-aux/ensure-deps.sh makes
 * it) and returns FALSE. */
gboolean ts_test_set_locale (const char *locale);

G_END_DECLS
