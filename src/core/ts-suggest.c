/* ts-suggest.c: the closest valid names to a mistyped one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-suggest"

#include "config.h"

#include <string.h>

#include "ts-dataset.h"
#include "ts-suggest.h"

/* Levenshtein distance over Unicode characters, giving up (returning
 * @limit + 1) once every path is longer than @limit. */
static guint
edit_distance (const gunichar *a,
               glong           n_a,
               const gunichar *b,
               glong           n_b,
               guint           limit)
{
  g_autofree guint *prev = g_new (guint, n_b + 1);
  g_autofree guint *cur = g_new (guint, n_b + 1);

  if ((guint) ABS (n_a - n_b) > limit)
    return limit + 1;
  for (glong j = 0; j <= n_b; j++)
    prev[j] = (guint) j;
  for (glong i = 1; i <= n_a; i++)
    {
      guint row_min;

      cur[0] = (guint) i;
      row_min = cur[0];
      for (glong j = 1; j <= n_b; j++)
        {
          guint cost = a[i - 1] == b[j - 1] ? 0 : 1;

          cur[j] = MIN (MIN (prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
          row_min = MIN (row_min, cur[j]);
        }
      if (row_min > limit)
        return limit + 1;
      memcpy (prev, cur, (n_b + 1) * sizeof (guint));
    }
  return prev[n_b];
}

typedef struct
{
  guint       score;     /* twice the edit distance, or less for a part */
  guint       distance;
  gsize       index;
} Candidate;

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = a, *cb = b;

  if (ca->score != cb->score)
    return ca->score < cb->score ? -1 : 1;
  if (ca->distance != cb->distance)
    return ca->distance < cb->distance ? -1 : 1;
  return ca->index < cb->index ? -1 : ca->index > cb->index;
}

char **
ts_suggest_names (const char         *wanted,
                  const char * const *candidates,
                  gsize               n_candidates,
                  guint               max)
{
  g_autofree char *folded = NULL;
  g_autofree gunichar *wanted_chars = NULL;
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Candidate));
  g_autoptr(GStrvBuilder) result = g_strv_builder_new ();
  glong n_wanted;
  guint limit;

  g_return_val_if_fail (wanted != NULL, NULL);

  folded = ts_fold_for_search (wanted);
  wanted_chars = g_utf8_to_ucs4_fast (folded, -1, &n_wanted);
  /* A typo or two in a short name, about one in three in a long one. */
  limit = MAX (2, (guint) n_wanted / 3);

  for (gsize i = 0; i < n_candidates; i++)
    {
      g_autofree char *name = ts_fold_for_search (candidates[i]);
      g_autofree gunichar *chars = NULL;
      glong n_chars;
      Candidate c = { G_MAXUINT, 0, i };

      chars = g_utf8_to_ucs4_fast (name, -1, &n_chars);
      c.distance = edit_distance (wanted_chars, n_wanted, chars, n_chars, limit);
      if (c.distance <= limit)
        c.score = 2 * c.distance;
      if (n_wanted > 0 && (strstr (name, folded) != NULL ||
                           (name[0] != '\0' && strstr (folded, name) != NULL)))
        {
          /* A part of the name: close, and the nearer in length the closer. */
          c.score = MIN (c.score,
                         2 + (guint) ABS ((glong) strlen (name) - (glong) strlen (folded)) / 3);
        }
      if (c.score != G_MAXUINT)
        g_array_append_val (found, c);
    }

  g_array_sort (found, compare_candidates);
  /* Only the best and those nearly as close: a list of five where one
   * fits would only make the reader search. */
  for (guint i = 0; i < found->len && i < max &&
                    g_array_index (found, Candidate, i).score <=
                    g_array_index (found, Candidate, 0).score + 1; i++)
    g_strv_builder_add (result, candidates[g_array_index (found, Candidate, i).index]);
  return g_strv_builder_end (result);
}
