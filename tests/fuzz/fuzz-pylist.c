/* fuzz-pylist.c: the Python list literals of data.csv's artists and the
 * comma lists of data_w_genres.csv's genres
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "ts-fuzz.h"
#include "ts-pylist.h"

typedef struct
{
  const char *text;
  gsize       length;
  gsize       total;
} Items;

/* Touches every byte of an item, so that one reaching outside the text
 * or the scratch buffer is caught. */
static void
on_item (const char *item,
         gsize       length,
         gpointer    user_data)
{
  Items *items = user_data;

  for (gsize i = 0; i < length; i++)
    items->total += (guchar) item[i];
}

/* A comma list item is a trimmed, non-empty slice of the text. */
static void
on_comma_item (const char *item,
               gsize       length,
               gpointer    user_data)
{
  Items *items = user_data;

  if (length == 0 || item < items->text || item + length > items->text + items->length ||
      item[0] == ' ' || item[length - 1] == ' ')
    abort ();
  on_item (item, length, user_data);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_memdup2 (data, size);
  g_autoptr(GString) scratch = g_string_new (NULL);
  Items items = { text, size, 0 };

  ts_py_list_parse (text, size, scratch, on_item, &items);
  ts_comma_list_parse (text, size, on_comma_item, &items);
  return 0;
}
