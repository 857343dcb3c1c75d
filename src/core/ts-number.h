/* ts-number.h: locale-independent number parsing for CSV fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parses the whole of @text (@length bytes, not NUL-terminated) as a
 * decimal number such as "-12.5", "4.8e-05", "1E3" or "0.8190000000000001",
 * always with '.' as the separator whatever the locale. Leading and
 * trailing blanks are allowed. Returns FALSE for anything else, including
 * empty text, "nan", "inf" and overflow. The result is correctly rounded. */
gboolean ts_parse_double (const char *text,
                          gsize       length,
                          double     *value);

G_END_DECLS
