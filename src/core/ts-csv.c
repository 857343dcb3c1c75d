/* ts-csv.c: libcsv, fed one line at a time so that every record knows its
 * line and a malformed one costs only itself
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-csv"

#include "config.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "ts-csv.h"

/* libcsv's parser states (libcsv.c); pstate 0 is "between records". */
#define CSV_ROW_NOT_BEGUN 0
#define CSV_FIELD_BEGUN   2

/* A record with more fields than this is garbage, not data. */
#define MAX_FIELDS 4096

/* What libcsv adds to a field's buffer when it is full. */
#define FIELD_GROWTH_BYTES (16 * 1024)

/* Check for cancellation once per this many lines. */
#define CANCEL_CHECK_LINES 4096

typedef struct
{
  struct csv_parser  parser;
  char              *buf;         /* the record's fields, each NUL-terminated */
  gsize              buf_len;
  gsize              buf_cap;
  gsize             *offsets;     /* MAX_FIELDS of them */
  TsCsvField        *fields;
  guint              n_fields;
  gboolean           overflow;    /* too long or too many fields */
  guint              record_line;
  guint              n_records;
  TsCsvRecordFunc    func;
  gpointer           user_data;
} Reader;

/* libcsv grows its field buffer through this: refusing to grow past the
 * cap turns a runaway field into a parse error instead of eating memory. */
static void *
capped_realloc (void   *ptr,
                size_t  size)
{
  if (size > TS_CSV_MAX_FIELD_BYTES + 4096)
    return NULL;
  return realloc (ptr, size);
}

static void
on_field (void   *text,
          size_t  length,
          void   *data)
{
  Reader *r = data;

  if (r->overflow)
    return;
  if (r->n_fields >= MAX_FIELDS || r->buf_len + length + 1 > TS_CSV_MAX_FIELD_BYTES)
    {
      r->overflow = TRUE;
      return;
    }
  if (r->buf_len + length + 1 > r->buf_cap)
    {
      r->buf_cap = MAX (r->buf_cap * 2, r->buf_len + length + 1);
      r->buf = g_realloc (r->buf, r->buf_cap);
    }
  if (length > 0)
    memcpy (r->buf + r->buf_len, text, length);
  r->buf[r->buf_len + length] = '\0';
  r->offsets[r->n_fields] = r->buf_len;
  r->fields[r->n_fields].length = length;
  r->n_fields++;
  r->buf_len += length + 1;
}

static void
on_record (int   terminator,
           void *data)
{
  Reader *r = data;

  if (!r->overflow)
    {
      for (guint i = 0; i < r->n_fields; i++)
        r->fields[i].text = r->buf + r->offsets[i];
      r->func (r->fields, r->n_fields, r->record_line, r->user_data);
      r->n_records++;
    }
  /* An overflowing record is reported by the caller, which sees the flag. */
  if (!r->overflow)
    {
      r->buf_len = 0;
      r->n_fields = 0;
    }
}

static void
reader_init (Reader          *r,
             TsCsvRecordFunc  func,
             gpointer         user_data)
{
  memset (r, 0, sizeof *r);
  csv_init (&r->parser, CSV_STRICT);
  csv_set_realloc_func (&r->parser, capped_realloc);
  /* libcsv grows a field 128 bytes at a time by default: 8,000 reallocs
   * to reach the cap, each a stack walk under AddressSanitizer (a test of
   * the cap took a minute). */
  csv_set_blk_size (&r->parser, FIELD_GROWTH_BYTES);
  r->buf_cap = 4096;
  r->buf = g_malloc (r->buf_cap);
  r->offsets = g_new (gsize, MAX_FIELDS);
  r->fields = g_new (TsCsvField, MAX_FIELDS);
  r->func = func;
  r->user_data = user_data;
}

static void
reader_clear (Reader *r)
{
  csv_free (&r->parser);
  g_free (r->buf);
  g_free (r->offsets);
  g_free (r->fields);
}

/* Forgets the record in progress. */
static void
reader_reset (Reader *r)
{
  csv_fini (&r->parser, NULL, NULL, NULL);
  r->buf_len = 0;
  r->n_fields = 0;
  r->overflow = FALSE;
}

static inline gboolean
between_records (Reader *r)
{
  return r->parser.pstate == CSV_ROW_NOT_BEGUN;
}

/* @spans_lines: the record ran past its first line, which for a failed
 * record means a quote opened there never closed as it should. */
static const char *
describe_failure (Reader  *r,
                  gboolean spans_lines)
{
  int code = csv_error (&r->parser);

  if (r->overflow)
    return r->n_fields >= MAX_FIELDS ? "too many fields" : "record too long";
  /* Before the quotes: a quoted field that outgrew capped_realloc () is
   * still open when libcsv stops, but its fault is its length. */
  if (code == CSV_ENOMEM || code == CSV_ETOOBIG)
    return "field too long";
  if (spans_lines || (r->parser.quoted && r->parser.pstate == CSV_FIELD_BEGUN))
    return "unterminated quote";
  return "malformed quoting (a stray or unescaped '\"')";
}

typedef struct
{
  gsize pos;
  guint line;
} Cursor;

static gint plain_line_shortcut = TRUE;

void
ts_csv_set_plain_line_shortcut (gboolean enabled)
{
  g_atomic_int_set (&plain_line_shortcut, enabled);
}

static inline gboolean
is_csv_space (char c)
{
  return c == ' ' || c == '\t';
}

/* Finding the commas of a line 8 bytes at a time (SWAR): fields are a
 * few bytes long, so a memchr() call per field costs more in calls than
 * in scanning. */
#define BYTES_LOW7 G_GUINT64_CONSTANT (0x7F7F7F7F7F7F7F7F)
#define BYTES_HIGH G_GUINT64_CONSTANT (0x8080808080808080)
#define BYTES_COMMA G_GUINT64_CONSTANT (0x2C2C2C2C2C2C2C2C)

/* The high bit of every byte of @word that is a comma, exactly: the sum
 * cannot carry from one byte into the next, unlike the classic
 * "has a zero byte" trick, so later hits are not false. */
static inline guint64
comma_mask (guint64 word)
{
  guint64 x = word ^ BYTES_COMMA;

  return ~(((x & BYTES_LOW7) + BYTES_LOW7) | x) & BYTES_HIGH;
}

/* The next 8 bytes at @p as a word whose low byte is *p. */
static inline guint64
load_word (const char *p)
{
  guint64 word;

  memcpy (&word, p, sizeof word);
  return GUINT64_FROM_LE (word);
}

static inline const char *
find_comma (const char *p,
            const char *end)
{
  for (; end - p >= 8; p += 8)
    {
      guint64 mask = comma_mask (load_word (p));

      if (mask != 0)
        return p + (__builtin_ctzll (mask) >> 3);
    }
  for (; p < end; p++)
    if (*p == ',')
      return p;
  return NULL;
}

/* Fills @field with [p, q) less the blanks around it, as libcsv trims an
 * unquoted field. */
static inline void
set_unquoted_field (TsCsvField *field,
                    const char *p,
                    const char *q)
{
  if (G_UNLIKELY (p < q && (is_csv_space (*p) || is_csv_space (q[-1]))))
    {
      while (p < q && is_csv_space (*p))
        p++;
      while (q > p && is_csv_space (q[-1]))
        q--;
    }
  field->text = p;
  field->length = (gsize) (q - p);
}

/* A line without quotes, the usual case: every comma ends a field, so
 * the commas of each word are taken in turn and no byte is read twice.
 * Returns the number of fields, or 0 if there are more than MAX_FIELDS. */
static guint
split_unquoted_line (Reader     *r,
                     const char *line,
                     const char *end)
{
  const char *field = line;
  const char *p = line;
  guint n = 0;

  for (; end - p >= 8; p += 8)
    {
      guint64 mask = comma_mask (load_word (p));

      for (; mask != 0; mask &= mask - 1)
        {
          const char *comma = p + (__builtin_ctzll (mask) >> 3);

          if (n + 1 >= MAX_FIELDS)
            return 0;
          set_unquoted_field (&r->fields[n++], field, comma);
          field = comma + 1;
        }
    }
  for (; p < end; p++)
    if (*p == ',')
      {
        if (n + 1 >= MAX_FIELDS)
          return 0;
        set_unquoted_field (&r->fields[n++], field, p);
        field = p + 1;
      }
  set_unquoted_field (&r->fields[n++], field, end);
  return n;
}

/* A quoted field from @p (its opening quote) to its closing quote, which
 * must end the line or come right before a comma. Doubled quotes are
 * unescaped into @out when there are any. Returns where the field ends
 * (after the closing quote), or NULL when it is anything else. */
static const char *
take_quoted_field (const char *p,
                   const char *end,
                   char       *out,
                   TsCsvField *field)
{
  const char *q = p + 1;
  const char *close = memchr (q, '"', (gsize) (end - q));
  char *o = out;

  if (close == NULL)
    return NULL;
  if (close + 1 == end || close[1] != '"')
    {
      field->text = q;
      field->length = (gsize) (close - q);
    }
  else
    {
      for (;;)
        {
          memcpy (o, q, (gsize) (close - q));
          o += close - q;
          if (close + 1 == end || close[1] != '"')
            break;
          *o++ = '"';
          q = close + 2;
          close = memchr (q, '"', (gsize) (end - q));
          if (close == NULL)
            return NULL;
        }
      field->text = out;
      field->length = (gsize) (o - out);
    }
  close++;
  return close == end || *close == ',' ? close : NULL;
}

/* Most lines are simple: no carriage return but the last, and quotes
 * only around whole fields, closing right before a comma or the end of
 * the line. By the CSV grammar such a line is its fields: split it in
 * place (unescaping doubled quotes into the reader's buffer), trimming
 * blanks around unquoted fields as libcsv does, and skip libcsv's
 * per-byte state machine, which would otherwise be most of the cost of a
 * load. Returns FALSE, having reported nothing, for any other line: a
 * field spanning lines, a stray quote, blanks after a closing quote.
 * libcsv reads those and reports what is wrong with them. */
static gboolean
split_plain_line (Reader      *r,
                  const char  *line,
                  gsize        length,
                  guint        line_number,
                  TsCsvIssues *issues)
{
  const char *end = line + length;
  const char *p = line;
  gboolean has_quote;
  gsize out_used = 0;
  guint n = 0;

  if (length > 0 && end[-1] == '\r')
    end--;
  if (memchr (line, '\r', (gsize) (end - line)) != NULL)
    return FALSE;
  has_quote = memchr (line, '"', (gsize) (end - line)) != NULL;

  while (p < end && is_csv_space (*p))
    p++;
  if (p == end)
    return TRUE;   /* a blank line, which libcsv skips too */
  if (length > TS_CSV_MAX_FIELD_BYTES)
    {
      if (has_quote)
        return FALSE;
      ts_csv_issues_add (issues, line_number, "record too long");
      return TRUE;
    }
  if (!has_quote)
    {
      n = split_unquoted_line (r, line, end);
      if (n == 0)
        {
          ts_csv_issues_add (issues, line_number, "too many fields");
          return TRUE;
        }
      r->func (r->fields, n, line_number, r->user_data);
      r->n_records++;
      return TRUE;
    }

  /* Unescaped fields are never longer than the line. */
  if (r->buf_cap < length)
    {
      r->buf_cap = length;
      r->buf = g_realloc (r->buf, r->buf_cap);
    }
  for (p = line;; n++)
    {
      const char *comma;
      const char *stop;

      if (n >= MAX_FIELDS)
        return FALSE;
      while (p < end && is_csv_space (*p))
        p++;
      if (p < end && *p == '"')
        {
          stop = take_quoted_field (p, end, r->buf + out_used, &r->fields[n]);
          if (stop == NULL)
            return FALSE;
          if (r->fields[n].text == r->buf + out_used)
            out_used += r->fields[n].length;
          if (stop == end)
            break;
          p = stop + 1;
          continue;
        }

      comma = find_comma (p, end);
      stop = comma ? comma : end;
      if (memchr (p, '"', (gsize) (stop - p)) != NULL)
        return FALSE;
      set_unquoted_field (&r->fields[n], p, stop);
      if (comma == NULL)
        break;
      p = comma + 1;
    }
  r->func (r->fields, n + 1, line_number, r->user_data);
  r->n_records++;
  return TRUE;
}

/* Drops the record that started at @start and resumes on the line after
 * its first line, so that a bad quote costs one line, not the file. */
static Cursor
recover (Reader      *r,
         const char  *data,
         gsize        length,
         Cursor       start,
         const char  *reason,
         TsCsvIssues *issues)
{
  const char *nl = memchr (data + start.pos, '\n', length - start.pos);
  Cursor next = { nl ? (gsize) (nl - data) + 1 : length, start.line + 1 };

  issues->n_unreadable++;
  ts_csv_issues_add (issues, start.line, "%s", reason);
  reader_reset (r);
  return next;
}

/* The core loop; stops after @max_records records (0: no limit) and
 * returns the position reached. */
static gsize
parse_lines (Reader      *r,
             const char  *data,
             gsize        length,
             guint        first_line,
             guint        max_records,
             TsCsvIssues *issues,
             GCancellable *cancellable,
             gboolean    *was_cancelled)
{
  Cursor cur = { 0, first_line };
  Cursor start = cur;

  *was_cancelled = FALSE;
  while (cur.pos < length)
    {
      const char *nl;
      gsize seg_end;
      size_t n;

      if ((cur.line % CANCEL_CHECK_LINES) == 0 && g_cancellable_is_cancelled (cancellable))
        {
          *was_cancelled = TRUE;
          return cur.pos;
        }

      nl = memchr (data + cur.pos, '\n', length - cur.pos);
      seg_end = nl ? (gsize) (nl - data) + 1 : length;
      if (between_records (r))
        {
          start = cur;
          r->record_line = cur.line;
          if (g_atomic_int_get (&plain_line_shortcut) &&
              split_plain_line (r, data + cur.pos, (nl ? seg_end - 1 : seg_end) - cur.pos,
                                cur.line, issues))
            {
              cur.pos = seg_end;
              cur.line++;
              if (max_records > 0 && r->n_records >= max_records)
                return cur.pos;
              continue;
            }
        }

      n = csv_parse (&r->parser, data + cur.pos, seg_end - cur.pos, on_field, on_record, r);
      if (n != seg_end - cur.pos || r->overflow)
        {
          cur = recover (r, data, length, start, describe_failure (r, cur.line > start.line),
                         issues);
          continue;
        }
      cur.pos = seg_end;
      cur.line++;

      if (!between_records (r) && cur.line - start.line >= TS_CSV_MAX_RECORD_LINES)
        cur = recover (r, data, length, start, describe_failure (r, TRUE), issues);
      else if (max_records > 0 && r->n_records >= max_records && between_records (r))
        return cur.pos;

      /* The last record may lack its newline, or its closing quote. */
      if (cur.pos >= length && !between_records (r))
        {
          if (r->parser.quoted && r->parser.pstate == CSV_FIELD_BEGUN)
            cur = recover (r, data, length, start, describe_failure (r, FALSE), issues);
          else
            csv_fini (&r->parser, on_field, on_record, r);
          if (r->overflow)
            cur = recover (r, data, length, start, describe_failure (r, FALSE), issues);
        }
    }
  return cur.pos;
}

gboolean
ts_csv_parse_range (const char      *data,
                    gsize            length,
                    guint            first_line,
                    TsCsvRecordFunc  func,
                    gpointer         user_data,
                    TsCsvIssues     *issues,
                    GCancellable    *cancellable)
{
  Reader r;
  gboolean was_cancelled;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (issues != NULL, FALSE);

  reader_init (&r, func, user_data);
  parse_lines (&r, data, length, first_line, 0, issues, cancellable, &was_cancelled);
  reader_clear (&r);
  return !was_cancelled;
}

static void
collect_header (const TsCsvField *fields,
                guint             n_fields,
                guint             line,
                gpointer          user_data)
{
  GStrvBuilder *builder = user_data;

  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *name = g_strndup (fields[i].text, fields[i].length);

      g_strv_builder_add (builder, name);
    }
}

char **
ts_csv_parse_header (const char *data,
                     gsize       length,
                     gsize      *header_end)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  TsCsvIssues issues;
  Reader r;
  gboolean was_cancelled;
  gsize end;
  guint n_records;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  ts_csv_issues_init (&issues);
  reader_init (&r, collect_header, builder);
  end = parse_lines (&r, data, length, 1, 1, &issues, NULL, &was_cancelled);
  n_records = r.n_records;
  reader_clear (&r);

  /* The header must be the very first record: no skipped lines before it. */
  if (n_records != 1 || issues.count > 0)
    {
      ts_csv_issues_clear (&issues);
      return NULL;
    }
  ts_csv_issues_clear (&issues);
  if (header_end != NULL)
    *header_end = end;
  return g_strv_builder_end (builder);
}

void
ts_csv_issues_init (TsCsvIssues *issues)
{
  g_return_if_fail (issues != NULL);

  issues->count = 0;
  issues->n_unreadable = 0;
  issues->first = g_array_new (FALSE, FALSE, sizeof (TsCsvIssue));
}

void
ts_csv_issues_clear (TsCsvIssues *issues)
{
  g_return_if_fail (issues != NULL);

  if (issues->first != NULL)
    {
      for (guint i = 0; i < issues->first->len; i++)
        g_free (g_array_index (issues->first, TsCsvIssue, i).reason);
      g_clear_pointer (&issues->first, g_array_unref);
    }
  issues->count = 0;
  issues->n_unreadable = 0;
}

static int
compare_issue_lines (gconstpointer a,
                     gconstpointer b)
{
  const TsCsvIssue *ia = a;
  const TsCsvIssue *ib = b;

  return (ia->line > ib->line) - (ia->line < ib->line);
}

/* Keeps the TS_CSV_MAX_ISSUES earliest by line. */
static void
keep_earliest (TsCsvIssues *issues)
{
  g_array_sort (issues->first, compare_issue_lines);
  while (issues->first->len > TS_CSV_MAX_ISSUES)
    {
      g_free (g_array_index (issues->first, TsCsvIssue, issues->first->len - 1).reason);
      g_array_set_size (issues->first, issues->first->len - 1);
    }
}

void
ts_csv_issues_add (TsCsvIssues *issues,
                   guint        line,
                   const char  *format,
                   ...)
{
  TsCsvIssue issue;
  va_list args;

  g_return_if_fail (issues != NULL);
  g_return_if_fail (format != NULL);

  issues->count++;
  if (issues->first->len >= TS_CSV_MAX_ISSUES &&
      g_array_index (issues->first, TsCsvIssue, issues->first->len - 1).line <= line)
    return;

  va_start (args, format);
  issue.line = line;
  issue.reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_array_append_val (issues->first, issue);
  keep_earliest (issues);
}

void
ts_csv_issues_merge (TsCsvIssues *into,
                     TsCsvIssues *from)
{
  g_return_if_fail (into != NULL);
  g_return_if_fail (from != NULL);

  into->count += from->count;
  into->n_unreadable += from->n_unreadable;
  g_array_append_vals (into->first, from->first->data, from->first->len);
  g_array_set_size (from->first, 0);
  from->count = 0;
  from->n_unreadable = 0;
  keep_earliest (into);
}

char **
ts_csv_issues_format (TsCsvIssues *issues,
                      const char  *filename)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (issues != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);

  for (guint i = 0; i < issues->first->len; i++)
    {
      const TsCsvIssue *issue = &g_array_index (issues->first, TsCsvIssue, i);

      g_autofree char *text = g_strdup_printf ("%s:%u: %s", filename, issue->line, issue->reason);

      g_strv_builder_add (builder, text);
    }
  return g_strv_builder_end (builder);
}
