/* ts-suggest.h: the closest valid names to a mistyped one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Up to @max names of @candidates (@n_candidates of them) closest to
 * @wanted: case- and accent-insensitive edit distance, with names that
 * contain @wanted (or are contained in it) counted as close. Names too far
 * away to be a plausible typo are left out, so the result may be empty.
 * Returns a NULL-terminated array of copies. */
char **ts_suggest_names (const char         *wanted,
                         const char * const *candidates,
                         gsize               n_candidates,
                         guint               max);

G_END_DECLS
