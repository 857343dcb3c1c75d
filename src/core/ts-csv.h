/* ts-csv.h: a record reader over libcsv that knows line numbers and
 * recovers from malformed records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  const char *text;    /* unquoted; NOT NUL-terminated */
  gsize       length;
} TsCsvField;

/* Problems found in a file: a count and the first few, by line. */
typedef struct
{
  guint   count;
  GArray *first;       /* of TsCsvIssue, at most TS_CSV_MAX_ISSUES */
  /* Of count, the records libcsv could not read (quoting, or too long or
   * wide once quoted): after one of those, where the next record starts
   * depends on the recovery, not only on the quotes before it. */
  guint   n_unreadable;
} TsCsvIssues;

typedef struct
{
  guint  line;
  char  *reason;
} TsCsvIssue;

#define TS_CSV_MAX_ISSUES 10

void  ts_csv_issues_init    (TsCsvIssues *issues);
void  ts_csv_issues_clear   (TsCsvIssues *issues);
void  ts_csv_issues_add     (TsCsvIssues *issues,
                             guint        line,
                             const char  *format,
                             ...) G_GNUC_PRINTF (3, 4);
/* Moves @from's issues into @into, keeping the earliest lines. */
void  ts_csv_issues_merge   (TsCsvIssues *into,
                             TsCsvIssues *from);
/* "FILE:LINE: reason" strings, NULL-terminated. */
char **ts_csv_issues_format (TsCsvIssues *issues,
                             const char  *filename);

/* Called once per record with the line it starts on. */
typedef void (*TsCsvRecordFunc) (const TsCsvField *fields,
                                 guint             n_fields,
                                 guint             line,
                                 gpointer          user_data);

/* A record longer than this, or spanning more lines, is malformed (an
 * unterminated quote, most likely); parsing resumes on its next line. */
#define TS_CSV_MAX_FIELD_BYTES   (1024 * 1024)
#define TS_CSV_MAX_RECORD_LINES  16

/* Parses @length bytes of CSV starting at line @first_line, calling @func
 * for each well-formed record and adding the malformed ones to @issues.
 * Quotes must balance within the range. Returns FALSE early when
 * @cancellable is cancelled (checked now and then; may be NULL). */
gboolean ts_csv_parse_range (const char      *data,
                             gsize            length,
                             guint            first_line,
                             TsCsvRecordFunc  func,
                             gpointer         user_data,
                             TsCsvIssues     *issues,
                             GCancellable    *cancellable);

/* Whether lines without a quote character are split at their commas
 * directly instead of through libcsv (the default; tests compare both). */
void     ts_csv_set_plain_line_shortcut (gboolean enabled);

/* Parses the first record of @data (the header). Returns its fields as a
 * NULL-terminated vector and sets @header_end to the offset of the line
 * after it, or returns NULL if it is malformed. */
char   **ts_csv_parse_header (const char *data,
                              gsize       length,
                              gsize      *header_end);

G_END_DECLS
