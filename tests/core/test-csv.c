/* test-csv.c: the line-aware CSV reader and the list literals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ts-csv.h"
#include "ts-pylist.h"

typedef struct
{
  GPtrArray *records;  /* of "line|field|field..." */
} Collected;

static void
collect (const TsCsvField *fields,
         guint             n_fields,
         guint             line,
         gpointer          user_data)
{
  Collected *c = user_data;
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%u", line);
  for (guint i = 0; i < n_fields; i++)
    g_string_append_printf (s, "|%.*s", (int) fields[i].length, fields[i].text);
  g_ptr_array_add (c->records, g_string_free (s, FALSE));
}

/* Parses @text and returns its records joined by newlines, and the issues
 * formatted as "LINE: reason" joined by newlines. */
static char *
parse (const char  *text,
       char       **issues_out)
{
  Collected c = { g_ptr_array_new_with_free_func (g_free) };
  TsCsvIssues issues;
  g_autoptr(GString) issue_text = g_string_new (NULL);
  char *joined;

  ts_csv_issues_init (&issues);
  g_assert_true (ts_csv_parse_range (text, strlen (text), 1, collect, &c, &issues, NULL));
  for (guint i = 0; i < issues.first->len; i++)
    {
      TsCsvIssue *issue = &g_array_index (issues.first, TsCsvIssue, i);

      g_string_append_printf (issue_text, "%s%u: %s", i ? "\n" : "", issue->line, issue->reason);
    }
  g_assert_cmpuint (issues.count, ==, issues.first->len);
  ts_csv_issues_clear (&issues);
  g_ptr_array_add (c.records, NULL);
  joined = g_strjoinv ("\n", (char **) c.records->pdata);
  g_ptr_array_unref (c.records);
  if (issues_out != NULL)
    *issues_out = g_string_free (g_steal_pointer (&issue_text), FALSE);
  return joined;
}

typedef struct
{
  const char *name;
  const char *input;
  const char *records;
  const char *issues;
} CsvCase;

static const CsvCase csv_cases[] = {
  { "plain", "a,b\nc,d\n", "1|a|b\n2|c|d", "" },
  { "no-final-newline", "a,b\nc,d", "1|a|b\n2|c|d", "" },
  { "crlf", "a,b\r\nc,d\r\n", "1|a|b\n2|c|d", "" },
  { "quoted-comma", "\"x, y\",z\n", "1|x, y|z", "" },
  { "doubled-quote", "\"say \"\"hi\"\"\",z\n", "1|say \"hi\"|z", "" },
  { "quoted-newline", "\"two\nlines\",z\nnext,row\n", "1|two\nlines|z\n3|next|row", "" },
  { "quoted-crlf", "\"two\r\nlines\",z\r\nnext,row\r\n", "1|two\r\nlines|z\n3|next|row", "" },
  { "empty-fields", ",,\n", "1|||", "" },
  { "blank-lines", "a\n\n\nb\n", "1|a\n4|b", "" },
  { "blank-with-spaces", "a\n  \t \nb\n", "1|a\n3|b", "" },
  { "trimmed", " a , b\t,\tc \n", "1|a|b|c", "" },
  { "trailing-comma", "a,b,\n", "1|a|b|", "" },
  { "lone-cr", "a,b\rc,d\n", "1|a|b\n1|c|d", "" },
  { "unicode", "Beyoncé,Sigur Rós,日本\n", "1|Beyoncé|Sigur Rós|日本", "" },
  { "stray-quote", "ok,1\nbad\"x,2\nfine,3\n", "1|ok|1\n3|fine|3",
    "2: malformed quoting (a stray or unescaped '\"')" },
  { "junk-after-quote", "\"a\"b,1\nfine,2\n", "2|fine|2",
    "1: malformed quoting (a stray or unescaped '\"')" },
  { "unterminated-at-end", "ok,1\n\"never closed,2\n", "1|ok|1", "2: unterminated quote" },
  /* Quoted fields on one line, which the shortcut splits too. */
  { "quoted-spaces-kept", "\" a \",b\n", "1| a |b", "" },
  { "empty-quoted", "\"\",x,\"\"\n", "1||x|", "" },
  { "only-doubled", "\"\"\"\",x\n", "1|\"|x", "" },
  { "doubled-at-ends", "\"\"\"a\"\"\",x\n", "1|\"a\"|x", "" },
  { "blank-before-quote", "a, \t\"b\",c\n", "1|a|b|c", "" },
  { "quoted-last", "a,\"b, c\"\r\nd,\"e\"", "1|a|b, c\n2|d|e", "" },
  { "python-list", "1,\"['Sergei', \"\"Rock'n Roll\"\"]\",2\n",
    "1|1|['Sergei', \"Rock'n Roll\"]|2", "" },
  { "quoted-then-multiline", "\"a\",\"two\nlines\"\n\"b\",c\n", "1|a|two\nlines\n3|b|c", "" },
  { "blank-after-quote", "\"b\" ,c\n", "1|b|c", "" },
  { "quote-in-unquoted", "\"a\",b\"c\nfine,1\n", "2|fine|1",
    "1: malformed quoting (a stray or unescaped '\"')" },
  { "junk-after-doubled", "\"a\"\"\"x,1\nfine,2\n", "2|fine|2",
    "1: malformed quoting (a stray or unescaped '\"')" },
};

/* Each case twice: plain lines split directly, then everything through
 * libcsv; the two must agree to the byte. */
static void
test_csv_case (gconstpointer data)
{
  const CsvCase *tc = data;

  for (int shortcut = 1; shortcut >= 0; shortcut--)
    {
      g_autofree char *issues = NULL;
      g_autofree char *records = NULL;

      ts_csv_set_plain_line_shortcut (shortcut);
      records = parse (tc->input, &issues);
      g_assert_cmpstr (records, ==, tc->records);
      g_assert_cmpstr (issues, ==, tc->issues);
    }
  ts_csv_set_plain_line_shortcut (TRUE);
}

/* An unterminated quote in the middle costs its own line only: the
 * reader gives up after TS_CSV_MAX_RECORD_LINES and resumes below it. */
static void
test_unterminated_middle (void)
{
  g_autoptr(GString) text = g_string_new ("first,1\n\"open,2\n");
  g_autofree char *issues = NULL;
  g_autofree char *records = NULL;
  g_auto(GStrv) lines = NULL;

  for (guint i = 0; i < 40; i++)
    g_string_append_printf (text, "row%u,%u\n", i, i);
  records = parse (text->str, &issues);
  lines = g_strsplit (records, "\n", -1);
  g_assert_cmpstr (issues, ==, "2: unterminated quote");
  g_assert_cmpstr (lines[0], ==, "1|first|1");
  g_assert_cmpstr (lines[1], ==, "3|row0|0");
  g_assert_cmpuint (g_strv_length (lines), ==, 41);
}

/* A field over the cap is refused without growing without bound, and its
 * length named as its fault, quoted or not, on either path (the
 * shortcut sees a line too long, libcsv a field); the next line is
 * read. */
static void
test_huge_field (void)
{
  static const struct { const char *quote; const char *issue; } cases[] = {
    { "", NULL },
    { "\"", "2: field too long" },
  };
  gsize huge = TS_CSV_MAX_FIELD_BYTES + 64 * 1024;

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    for (int shortcut = 1; shortcut >= 0; shortcut--)
      {
        g_autoptr(GString) text = g_string_new ("a,1\n");
        g_autofree char *issues = NULL;
        g_autofree char *records = NULL;

        g_string_append (text, cases[c].quote);
        g_string_set_size (text, text->len + huge);
        memset (text->str + text->len - huge, 'x', huge);
        g_string_append_printf (text, "%s,2\nb,3\n", cases[c].quote);
        ts_csv_set_plain_line_shortcut (shortcut);
        records = parse (text->str, &issues);
        g_assert_cmpstr (records, ==, "1|a|1\n3|b|3");
        if (cases[c].issue != NULL)
          g_assert_cmpstr (issues, ==, cases[c].issue);
        else
          g_assert_true (g_str_equal (issues, "2: record too long") ||
                         g_str_equal (issues, "2: field too long"));
      }
  ts_csv_set_plain_line_shortcut (TRUE);
}

static void
test_many_issues_keep_earliest (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  TsCsvIssues issues, other;
  g_auto(GStrv) formatted = NULL;

  ts_csv_issues_init (&issues);
  ts_csv_issues_init (&other);
  for (guint i = 30; i > 0; i--)
    ts_csv_issues_add (&issues, i, "reason %u", i);
  ts_csv_issues_add (&other, 100, "late");
  ts_csv_issues_merge (&issues, &other);
  g_assert_cmpuint (issues.count, ==, 31);
  formatted = ts_csv_issues_format (&issues, "data.csv");
  g_assert_cmpuint (g_strv_length (formatted), ==, TS_CSV_MAX_ISSUES);
  g_assert_cmpstr (formatted[0], ==, "data.csv:1: reason 1");
  g_assert_cmpstr (formatted[9], ==, "data.csv:10: reason 10");
  ts_csv_issues_clear (&issues);
  ts_csv_issues_clear (&other);
}

static void
test_header (void)
{
  const char *text = "\"a\",b,\"c,d\"\nrow\n";
  gsize end = 0;
  g_auto(GStrv) header = ts_csv_parse_header (text, strlen (text), &end);

  g_assert_nonnull (header);
  g_assert_cmpuint (g_strv_length (header), ==, 3);
  g_assert_cmpstr (header[2], ==, "c,d");
  g_assert_cmpuint (end, ==, 12);
  g_assert_null (ts_csv_parse_header ("\"never", 6, &end));
}

/* Python list literals */

static void
join_item (const char *item,
           gsize       length,
           gpointer    user_data)
{
  GString *out = user_data;

  g_string_append_printf (out, "<%.*s>", (int) length, item);
}

typedef struct
{
  const char *literal;
  const char *items;   /* NULL: malformed */
} ListCase;

static const ListCase list_cases[] = {
  { "['Sergei Rachmaninoff', 'James Levine', 'Berliner Philharmoniker']",
    "<Sergei Rachmaninoff><James Levine><Berliner Philharmoniker>" },
  { "[\"Guns N' Roses\"]", "<Guns N' Roses>" },
  { "['A', \"B's\"]", "<A><B's>" },
  { "['It\\'s', 'back\\\\slash']", "<It's><back\\slash>" },
  { "['caf\\xe9', '\\u65e5']", "<café><日>" },
  { "['Beyoncé']", "<Beyoncé>" },
  { "[]", "" },
  { " [ 'a' , 'b' ] ", "<a><b>" },
  { "['a, b']", "<a, b>" },
  { "", NULL },
  { "Dennis Day", NULL },
  { "['unclosed]", NULL },
  { "['a' 'b']", NULL },
  { "['a',]", NULL },
  { "['a'] trailing", NULL },
  { "['bad\\q']", NULL },
  { "['\\x0']", NULL },
  { "[a]", NULL },
};

static void
test_py_lists (void)
{
  GString *scratch = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (list_cases); i++)
    {
      GString *out = g_string_new (NULL);
      const char *literal = list_cases[i].literal;
      gboolean ok = ts_py_list_parse (literal, strlen (literal), scratch, join_item, out);

      g_test_message ("list %s", literal);
      if (list_cases[i].items == NULL)
        g_assert_false (ok);
      else
        {
          g_assert_true (ok);
          g_assert_cmpstr (out->str, ==, list_cases[i].items);
        }
      g_string_free (out, TRUE);
    }
  g_string_free (scratch, TRUE);
}

static void
test_comma_lists (void)
{
  GString *out = g_string_new (NULL);
  const char *text = "comedy rock, comic,parody , ,";

  ts_comma_list_parse (text, strlen (text), join_item, out);
  g_assert_cmpstr (out->str, ==, "<comedy rock><comic><parody>");
  g_string_free (out, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (csv_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/Ts/Csv/%s", csv_cases[i].name);

      g_test_add_data_func (path, &csv_cases[i], test_csv_case);
    }
  g_test_add_func ("/Ts/Csv/unterminated-middle", test_unterminated_middle);
  g_test_add_func ("/Ts/Csv/huge-field", test_huge_field);
  g_test_add_func ("/Ts/Csv/issues-keep-earliest", test_many_issues_keep_earliest);
  g_test_add_func ("/Ts/Csv/header", test_header);
  g_test_add_func ("/Ts/PyList/literals", test_py_lists);
  g_test_add_func ("/Ts/PyList/comma-lists", test_comma_lists);

  return g_test_run ();
}
