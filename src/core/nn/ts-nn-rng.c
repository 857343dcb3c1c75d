/* ts-nn-rng.c: the engine's explicit random state and name lookups
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "ts-nn"

#include <math.h>

#include "ts-nn.h"

void
ts_nn_rng_init (TsNnRng *rng,
                guint64  seed)
{
  g_return_if_fail (rng != NULL);

  rng->state = seed;
}

/* splitmix64: tiny state, good enough mixing for shuffles and masks. */
guint64
ts_nn_rng_next (TsNnRng *rng)
{
  guint64 z;

  g_assert (rng != NULL);

  z = (rng->state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

float
ts_nn_rng_uniform (TsNnRng *rng)
{
  /* The top 24 bits: every value exactly representable, never 1.0. */
  return (float) (ts_nn_rng_next (rng) >> 40) * (1.0f / 16777216.0f);
}

float
ts_nn_rng_normal (TsNnRng *rng)
{
  double u1 = ((double) (ts_nn_rng_next (rng) >> 11) + 1.0) * (1.0 / 9007199254740993.0);
  double u2 = (double) (ts_nn_rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);

  return (float) (sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2));
}

guint
ts_nn_rng_below (TsNnRng *rng,
                 guint    n)
{
  g_assert (n > 0);

  /* Multiply-shift: the bias is below 2^-32 for any n we use. */
  return (guint) (((ts_nn_rng_next (rng) >> 32) * (guint64) n) >> 32);
}

void
ts_nn_rng_shuffle (TsNnRng *rng,
                   guint   *idx,
                   guint    n)
{
  g_return_if_fail (rng != NULL);
  g_return_if_fail (idx != NULL || n == 0);

  for (guint i = n; i > 1; i--)
    {
      guint j = ts_nn_rng_below (rng, i);
      guint t = idx[i - 1];

      idx[i - 1] = idx[j];
      idx[j] = t;
    }
}

int
ts_nn_lookup_name (const char * const *names,
                   int                 n_names,
                   const char         *name)
{
  g_return_val_if_fail (names != NULL && name != NULL, -1);

  for (int i = 0; i < n_names; i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      return i;
  return -1;
}
