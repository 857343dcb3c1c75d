/* ts-fuzz.c: what the libFuzzer harnesses share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ts-fuzz.h"

/* A critical is a broken contract (g_return_if_fail) somewhere below the
 * parser: a bug the input found, as much as a crash is. Libraries' own
 * warnings about bad input (gdk-pixbuf's loaders, say) are not ours. */
static GLogWriterOutput
fatal_writer (GLogLevelFlags   log_level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  const char *domain = "";
  gboolean ours, fatal;

  for (gsize i = 0; i < n_fields; i++)
    if (strcmp (fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].value != NULL)
      domain = fields[i].value;
  ours = g_str_has_prefix (domain, "ts-");
  fatal = (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) != 0 ||
          (ours && (log_level & G_LOG_LEVEL_WARNING) != 0);
  if (!fatal)
    return G_LOG_WRITER_HANDLED;
  g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
  abort ();
}

/* Every GLib critical, and every warning of Tunescope's own, aborts the
 * run, so that libFuzzer reports it as a crash; the rest of the log is
 * dropped, as it would only slow the runs down. */
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (fatal_writer, NULL, NULL);
  return 0;
}

TsDataset *
ts_fuzz_load_tracks (void)
{
  static const char tracks[] = TS_FUZZ_TRACKS_CSV;
  g_autoptr(GBytes) bytes = g_bytes_new_static (tracks, sizeof tracks - 1);
  g_autoptr(GError) error = NULL;
  TsDataset *dataset = ts_dataset_load_bytes (bytes, "tracks.csv", NULL, NULL, &error);

  if (dataset == NULL)
    {
      fprintf (stderr, "ts-fuzz: the built-in dataset does not load: %s\n", error->message);
      abort ();
    }
  return dataset;
}
