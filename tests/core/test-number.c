/* test-number.c: the locale-independent number parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "ts-number.h"
#include "ts-test-util.h"

typedef struct
{
  const char *text;
  double      expected;
} GoodCase;

static const GoodCase good_cases[] = {
  { "0", 0.0 },
  { "1921", 1921.0 },
  { "0.0594", 0.0594 },
  { "-20.096", -20.096 },
  { "+3.5", 3.5 },
  { "0.8190000000000001", 0.8190000000000001 },
  { "60.93600000000001", 60.93600000000001 },
  { "4.8e-05", 4.8e-05 },
  { "4.98E-05", 4.98E-05 },
  { "1e3", 1000.0 },
  { "831667", 831667.0 },
  { ".5", 0.5 },
  { "5.", 5.0 },
  { " 7.25 ", 7.25 },
  { "0.000000000000000000000000123", 1.23e-25 },
  { "123456789012345678901234567890", 123456789012345678901234567890.0 },
  { "3.14159265358979323846264338327950288", 3.14159265358979323846264338327950288 },
  { "1.7976931348623157e308", 1.7976931348623157e308 },
  { "2.2250738585072014e-308", 2.2250738585072014e-308 },
  /* Around the one-loop path's limits: 19 and 20 digits, leading zeros,
   * a mantissa past 2^53, more than 22 decimals. */
  { "1234567890123456789", 1234567890123456789.0 },
  { "12345678901234567890", 12345678901234567890.0 },
  { "0000000000000000000001.5", 1.5 },
  { "9007199254740993", 9007199254740993.0 },
  { "0.12345678901234567", 0.12345678901234567 },
  { "0.00000000000000000000001", 1e-23 },
  { "-0.0", -0.0 },
  { "-.25", -0.25 },
};

static const char *bad_cases[] = {
  "", " ", "-", "+", ".", "e5", "1e", "1e+", "nan", "NaN", "inf", "-inf", "0x1A", "1,5",
  "1.2.3", "12abc", "abc", "1 2", "1e999", "--1", "1..2",
};

static void
test_good (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (good_cases); i++)
    {
      double value = -1;

      g_test_message ("parsing '%s'", good_cases[i].text);
      g_assert_true (ts_parse_double (good_cases[i].text, strlen (good_cases[i].text), &value));
      /* Correctly rounded: exactly what the C library's strtod gives. */
      g_assert_cmpfloat (value, ==, good_cases[i].expected);
    }
}

static void
test_bad (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      double value = 42;

      g_test_message ("refusing '%s'", bad_cases[i]);
      g_assert_false (ts_parse_double (bad_cases[i], strlen (bad_cases[i]), &value));
    }
}

/* The parser reads only its slice: what follows must not leak in. */
static void
test_slice (void)
{
  const char *text = "12.5,99";
  double value;

  g_assert_true (ts_parse_double (text, 4, &value));
  g_assert_cmpfloat (value, ==, 12.5);
  g_assert_true (ts_parse_double (text + 5, 2, &value));
  g_assert_cmpfloat (value, ==, 99.0);
}

/* Random decimals of up to 17 digits against g_ascii_strtod. */
static void
test_random_round_trip (void)
{
  GRand *rand = g_rand_new_with_seed (1234);

  for (guint i = 0; i < 100000; i++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      double original = g_rand_double_range (rand, -1e6, 1e6) * pow (10, g_rand_int_range (rand, -12, 8));
      double parsed;

      g_ascii_dtostr (buf, sizeof buf, original);
      g_assert_true (ts_parse_double (buf, strlen (buf), &parsed));
      g_assert_cmpfloat (parsed, ==, g_ascii_strtod (buf, NULL));
    }
  g_rand_free (rand);
}

/* Random short decimals, the shape of nearly every cell, against
 * g_ascii_strtod: every digit count up to 22, with and without a sign. */
static void
test_random_short_decimals (void)
{
  GRand *rand = g_rand_new_with_seed (5678);

  for (guint i = 0; i < 100000; i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      int n_int = g_rand_int_range (rand, 0, 12);
      int n_frac = g_rand_int_range (rand, 0, 12);
      double parsed, expected;

      if (g_rand_boolean (rand))
        g_string_append_c (text, g_rand_boolean (rand) ? '-' : '+');
      for (int d = 0; d < n_int; d++)
        g_string_append_c (text, (char) ('0' + g_rand_int_range (rand, 0, 10)));
      if (n_frac > 0 || n_int == 0)
        g_string_append_c (text, '.');
      for (int d = 0; d < MAX (n_frac, n_int == 0); d++)
        g_string_append_c (text, (char) ('0' + g_rand_int_range (rand, 0, 10)));

      expected = g_ascii_strtod (text->str, NULL);
      g_assert_true (ts_parse_double (text->str, text->len, &parsed));
      /* Bit for bit: the sign of a zero too. */
      g_assert_cmpmem (&parsed, sizeof parsed, &expected, sizeof expected);
    }
  g_rand_free (rand);
}

/* The user's locale may use a decimal comma; data files never do. */
static void
test_german_locale (void)
{
  double value;

  if (!ts_test_set_locale ("de_DE.UTF-8"))
    return;
  g_assert_true (ts_parse_double ("0.819", 5, &value));
  g_assert_cmpfloat (value, ==, 0.819);
  g_assert_false (ts_parse_double ("0,819", 5, &value));
  setlocale (LC_ALL, "C");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Ts/Number/good", test_good);
  g_test_add_func ("/Ts/Number/bad", test_bad);
  g_test_add_func ("/Ts/Number/slice", test_slice);
  g_test_add_func ("/Ts/Number/random-round-trip", test_random_round_trip);
  g_test_add_func ("/Ts/Number/random-short-decimals", test_random_short_decimals);
  g_test_add_func ("/Ts/Number/german-locale", test_german_locale);

  return g_test_run ();
}
