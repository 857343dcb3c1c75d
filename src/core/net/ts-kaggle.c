/* ts-kaggle.c: downloading and unpacking the Kaggle dataset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-kaggle"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ts-atomic-file.h"
#include "ts-dataset.h"
#include "ts-error.h"
#include "ts-http.h"
#include "ts-kaggle-private.h"
#include "ts-relay.h"

#define SERVICE            "Kaggle"
#define DEFAULT_BASE_URL   "https://www.kaggle.com/api/v1"
/* The 170k zip is about 17 MB and unpacks to about 60 MB, the 1.2M one
 * about 120 MB to 350 MB: generous bounds that still stop a runaway or
 * hostile answer. No file is unpacked bigger than a dataset load reads,
 * and all of them together (a main file and its companions, which
 * ts-dataset-companions.c caps far lower) to no more than twice that: a
 * zip bomb fills neither the disk nor, later, memory. */
#define MAX_ZIP_BYTES      ((guint64) 1 << 30)
#define MAX_ENTRY_BYTES    TS_DATASET_MAX_FILE_BYTES
#define MAX_TOTAL_BYTES    (2 * TS_DATASET_MAX_FILE_BYTES)
/* Share of the progress bar taken by the download; unpacking gets the rest. */
#define DOWNLOAD_SHARE     0.9

/* Each dataset: its name for people and the CLI, its Kaggle slug, the
 * folder it goes to by default, and its files as published (the main
 * one first; nothing else of the zip is unpacked, and none of them is
 * overwritten without --force). */
typedef struct
{
  const char *name;
  const char *slug;
  const char *folder;
  const char *files[6];
} Source;

static const Source sources[TS_KAGGLE_N_DATASETS] = {
  [TS_KAGGLE_DATASET_170K] = { "170k", "vatsalmavani/spotify-dataset", "dataset",
                               { "data.csv", "data_by_artist.csv", "data_by_genres.csv",
                                 "data_by_year.csv", "data_w_genres.csv", NULL } },
  [TS_KAGGLE_DATASET_600K] = { "600k", "yamaerenay/spotify-dataset-19212020-600k-tracks",
                               "dataset-600k", { "tracks.csv", "artists.csv", NULL } },
  [TS_KAGGLE_DATASET_1_2M] = { "1.2m", "rodolfofigueroa/spotify-12m-songs", "dataset-1.2m",
                               { "tracks_features.csv", NULL } },
};

static const Source *
get_source (TsKaggleDataset dataset)
{
  g_return_val_if_fail (dataset < TS_KAGGLE_N_DATASETS, &sources[0]);

  return &sources[dataset];
}

const char *
ts_kaggle_dataset_get_name (TsKaggleDataset dataset)
{
  return get_source (dataset)->name;
}

const char *
ts_kaggle_dataset_get_main_file (TsKaggleDataset dataset)
{
  return get_source (dataset)->files[0];
}

gboolean
ts_kaggle_dataset_from_name (const char      *name,
                             TsKaggleDataset *dataset)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < TS_KAGGLE_N_DATASETS; i++)
    if (g_ascii_strcasecmp (name, sources[i].name) == 0)
      {
        *dataset = i;
        return TRUE;
      }
  return FALSE;
}

char *
ts_kaggle_dataset_dup_page (TsKaggleDataset dataset)
{
  return g_strconcat ("https://www.kaggle.com/datasets/", get_source (dataset)->slug, NULL);
}

typedef struct
{
  TsProgressFunc  func;
  gpointer        data;
  double          start;
  double          span;
} ScaledProgress;

/* A file unpacked to a temporary name, waiting to be renamed into place. */
typedef struct
{
  char         *name;
  TsAtomicFile *file;
} Pending;

static void
pending_free (gpointer data)
{
  Pending *p = data;

  g_clear_pointer (&p->file, ts_atomic_file_free);
  g_free (p->name);
  g_free (p);
}

char *
ts_kaggle_get_default_dest (TsKaggleDataset dataset)
{
  return g_build_filename (g_get_user_data_dir (), "tunescope", get_source (dataset)->folder,
                           NULL);
}

char *
ts_kaggle_dup_download_url (TsKaggleDataset dataset)
{
  const char *base = g_getenv ("TUNESCOPE_KAGGLE_URL");
  g_autofree char *trimmed = NULL;

  if (base == NULL || *base == '\0')
    base = DEFAULT_BASE_URL;
  trimmed = g_strdup (base);
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';
  return g_strconcat (trimmed, "/datasets/download/", get_source (dataset)->slug, NULL);
}

static void
scaled_progress (double      fraction,
                 const char *message,
                 gpointer    data)
{
  ScaledProgress *sp = data;

  if (sp->func == NULL)
    return;
  sp->func (fraction < 0 ? -1.0 : sp->start + sp->span * fraction, message, sp->data);
}

/* The dataset's files (data.csv, data_by_*.csv and data_w_genres.csv of
 * the 170k set): nothing else of the zip is unpacked. */
static gboolean
is_dataset_file (const Source *source,
                 const char   *name)
{
  g_assert (name != NULL);

  if (strchr (name, '/') != NULL || !g_str_has_suffix (name, ".csv"))
    return FALSE;
  for (guint i = 0; source->files[i] != NULL; i++)
    if (g_str_equal (name, source->files[i]))
      return TRUE;
  return source == &sources[TS_KAGGLE_DATASET_170K] && g_str_has_prefix (name, "data_by_") &&
         strlen (name) > strlen ("data_by_.csv");
}

static gboolean
check_not_existing (const char  *dest_path,
                    GError     **error)
{
  g_assert (dest_path != NULL);

  if (!g_file_test (dest_path, G_FILE_TEST_EXISTS))
    return TRUE;
  g_set_error (error, TS_ERROR, TS_ERROR_EXISTS,
               "‘%s’ already exists; refusing to overwrite it", dest_path);
  return FALSE;
}

static gboolean
check_known_files_absent (const Source  *source,
                          const char    *dest_dir,
                          GError       **error)
{
  for (guint i = 0; source->files[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dest_dir, source->files[i], NULL);

      if (!check_not_existing (path, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- credentials ------------------------------------------------------ */

static char *
dup_credentials_path (void)
{
  const char *dir = g_getenv ("KAGGLE_CONFIG_DIR");

  if (dir != NULL && *dir != '\0')
    return g_build_filename (dir, "kaggle.json", NULL);
  return g_build_filename (g_get_home_dir (), ".kaggle", "kaggle.json", NULL);
}

static void
free_secret (char *secret)
{
  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/* Reads {"username": .., "key": ..}. Returns FALSE with no error when the
 * file does not exist. Messages name the file, never the key. */
static gboolean
read_credentials_file (const char  *path,
                       char       **username,
                       char       **key,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *obj;
  JsonNode *root;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return FALSE;
  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT, "%s: not valid JSON: %s", path,
                   local_error->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  obj = (root != NULL && JSON_NODE_HOLDS_OBJECT (root)) ? json_node_get_object (root) : NULL;
  if (obj == NULL || json_object_get_string_member_with_default (obj, "username", NULL) == NULL ||
      json_object_get_string_member_with_default (obj, "key", NULL) == NULL)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT,
                   "%s: expected an object with the strings \"username\" and \"key\"", path);
      return FALSE;
    }
  *username = g_strdup (json_object_get_string_member (obj, "username"));
  *key = g_strdup (json_object_get_string_member (obj, "key"));
  return TRUE;
}

/* KAGGLE_USERNAME + KAGGLE_KEY win over kaggle.json, as in Kaggle's own
 * client. @source says where they came from, for messages. */
static gboolean
load_credentials (char   **username,
                  char   **key,
                  char   **source,
                  GError **error)
{
  const char *env_user = g_getenv ("KAGGLE_USERNAME");
  const char *env_key = g_getenv ("KAGGLE_KEY");
  g_autofree char *path = dup_credentials_path ();

  if (env_user != NULL && *env_user != '\0' && env_key != NULL && *env_key != '\0')
    {
      *username = g_strdup (env_user);
      *key = g_strdup (env_key);
      *source = g_strdup ("KAGGLE_USERNAME and KAGGLE_KEY");
      return TRUE;
    }
  if (!read_credentials_file (path, username, key, error))
    return FALSE;
  *source = g_steal_pointer (&path);
  return TRUE;
}

static void
set_no_credentials_error (GError       **error,
                          const Source  *source,
                          const GError  *auth_error)
{
  g_autofree char *path = dup_credentials_path ();

  g_set_error (error, TS_ERROR, TS_ERROR_AUTH,
               "%s, and no Kaggle API credentials were found. Sign in on kaggle.com, open "
               "Settings → API → Create New Token and save the file as %s; or download the "
               "zip by hand from https://www.kaggle.com/datasets/%s, unpack it and open %s",
               auth_error->message, path, source->slug, source->files[0]);
}

static void
set_refused_credentials_error (GError       **error,
                               const Source  *source,
                               const GError  *auth_error,
                               const char    *from)
{
  g_set_error (error, TS_ERROR, TS_ERROR_AUTH,
               "%s with the Kaggle API credentials from %s. Create a new token on kaggle.com "
               "(Settings → API → Create New Token), or download the zip by hand from "
               "https://www.kaggle.com/datasets/%s, unpack it and open %s",
               auth_error->message, from, source->slug, source->files[0]);
}

/* ---- download --------------------------------------------------------- */

static gboolean
download_with_credentials (const Source   *src,
                           const char     *url,
                           const char     *zip_path,
                           TsHttpOptions  *options,
                           ScaledProgress *sp,
                           GCancellable   *cancellable,
                           const GError   *auth_error,
                           GError        **error)
{
  char *username = NULL;
  char *key = NULL;
  g_autofree char *source = NULL;
  g_autoptr(GError) retry_error = NULL;
  g_autoptr(GError) cred_error = NULL;
  gboolean ok;

  if (!load_credentials (&username, &key, &source, &cred_error))
    {
      if (cred_error != NULL)
        g_propagate_error (error, g_steal_pointer (&cred_error));
      else
        set_no_credentials_error (error, src, auth_error);
      return FALSE;
    }

  options->username = username;
  options->password = key;
  ok = ts_http_get_file (url, zip_path, options, scaled_progress, sp, NULL, cancellable,
                         &retry_error);
  options->username = NULL;
  options->password = NULL;
  free_secret (username);
  free_secret (key);

  if (ok)
    return TRUE;
  if (g_error_matches (retry_error, TS_ERROR, TS_ERROR_AUTH))
    set_refused_credentials_error (error, src, retry_error, source);
  else
    g_propagate_error (error, g_steal_pointer (&retry_error));
  return FALSE;
}

/* Public datasets download without an account; Kaggle may still ask for
 * one (401/403), and then the user's API token is tried. */
static gboolean
download_zip (TsKaggleDataset  dataset,
              const char      *zip_path,
              ScaledProgress  *sp,
              GCancellable    *cancellable,
              GError         **error)
{
  g_autofree char *url = ts_kaggle_dup_download_url (dataset);
  g_autoptr(GError) local_error = NULL;
  TsHttpOptions options;

  ts_http_options_init (&options, SERVICE);
  options.max_body_size = MAX_ZIP_BYTES;

  if (ts_http_get_file (url, zip_path, &options, scaled_progress, sp, NULL, cancellable,
                        &local_error))
    return TRUE;
  if (!g_error_matches (local_error, TS_ERROR, TS_ERROR_AUTH))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_debug ("Kaggle asked for credentials: %s", local_error->message);
  return download_with_credentials (get_source (dataset), url, zip_path, &options, sp,
                                    cancellable, local_error, error);
}

/* ---- unpacking -------------------------------------------------------- */

/* MAX_ENTRY_BYTES and MAX_TOTAL_BYTES, lowered by the tests. */
static guint64 max_entry_bytes = MAX_ENTRY_BYTES;
static guint64 max_total_bytes = MAX_TOTAL_BYTES;

void
_ts_kaggle_set_unpack_limits (guint64 entry_bytes,
                              guint64 total_bytes)
{
  max_entry_bytes = MIN (entry_bytes, MAX_ENTRY_BYTES);
  max_total_bytes = MIN (total_bytes, MAX_TOTAL_BYTES);
}

static void
set_bad_archive_error (GError    **error,
                       const char *what)
{
  g_set_error (error, TS_ERROR, TS_ERROR_HTTP,
               "The file downloaded from " SERVICE " is not a valid zip archive of the "
               "dataset: %s", what);
}

/* Only relative paths without ".." components: an entry must never land
 * outside the destination folder. */
static gboolean
is_safe_entry_path (const char *path)
{
  g_auto(GStrv) parts = NULL;

  if (path == NULL || *path == '\0' || g_path_is_absolute (path) || strchr (path, '\\') != NULL)
    return FALSE;
  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (g_str_equal (parts[i], ".."))
        return FALSE;
    }
  return TRUE;
}

/* What the entries unpacked so far came to. */
typedef struct
{
  guint64 total;
} Unpacked;

/* FALSE, with an error, once an entry or all of them together unpack to
 * more than the limits; checked as the bytes come, so a bomb stops at
 * the limit, not at its end. */
static gboolean
check_unpacked (Unpacked    *unpacked,
                guint64      entry,
                const char  *name,
                GError     **error)
{
  guint64 limit = entry > max_entry_bytes ? max_entry_bytes : max_total_bytes;
  g_autofree char *shown = NULL;
  g_autofree char *what = NULL;

  if (entry <= max_entry_bytes && unpacked->total <= max_total_bytes)
    return TRUE;
  shown = g_format_size_full (limit, G_FORMAT_SIZE_IEC_UNITS);
  if (entry > max_entry_bytes)
    what = g_strdup_printf ("%s unpacks to more than %s", name, shown);
  else
    what = g_strdup_printf ("its files unpack to more than %s in all", shown);
  set_bad_archive_error (error, what);
  return FALSE;
}

static gboolean
copy_entry_data (struct archive *a,
                 TsAtomicFile   *file,
                 const char     *name,
                 Unpacked       *unpacked,
                 GCancellable   *cancellable,
                 GError        **error)
{
  char buffer[64 * 1024];
  guint64 total = 0;

  for (;;)
    {
      la_ssize_t n = archive_read_data (a, buffer, sizeof buffer);

      if (n == 0)
        return TRUE;
      if (n < 0)
        {
          g_autofree char *what = g_strdup_printf ("%s: %s", name, archive_error_string (a));

          set_bad_archive_error (error, what);
          return FALSE;
        }
      total += (guint64) n;
      unpacked->total += (guint64) n;
      if (!check_unpacked (unpacked, total, name, error))
        return FALSE;
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !ts_atomic_file_write (file, buffer, (gsize) n, error))
        return FALSE;
    }
}

/* Unpacks the current entry to a temporary file beside its destination,
 * on disk but not yet in place. */
static Pending *
extract_entry (struct archive *a,
               const char     *dest_dir,
               const char     *name,
               Unpacked       *unpacked,
               GCancellable   *cancellable,
               GError        **error)
{
  g_autofree char *dest_path = g_build_filename (dest_dir, name, NULL);
  g_autoptr(TsAtomicFile) file = ts_atomic_file_new (dest_path, error);
  Pending *p;

  if (file == NULL || !copy_entry_data (a, file, name, unpacked, cancellable, error) ||
      !ts_atomic_file_finish (file, error))
    return NULL;

  p = g_new0 (Pending, 1);
  p->name = g_strdup (name);
  p->file = g_steal_pointer (&file);
  return p;
}

static Pending *
find_pending (GPtrArray  *pending,
              const char *name)
{
  for (guint i = 0; i < pending->len; i++)
    {
      Pending *p = g_ptr_array_index (pending, i);

      if (g_str_equal (p->name, name))
        return p;
    }
  return NULL;
}

static void
report_unpack (ScaledProgress *sp,
               struct archive *a,
               goffset         zip_size,
               const char     *name)
{
  g_autofree char *message = g_strdup_printf ("Unpacking %s", name);
  double fraction = zip_size > 0 ? (double) archive_filter_bytes (a, -1) / (double) zip_size : 0;

  scaled_progress (CLAMP (fraction, 0.0, 1.0), message, sp);
}

/* Handles one entry: NULL result with no error means "skipped". */
static gboolean
handle_entry (const Source         *source,
              struct archive       *a,
              struct archive_entry *entry,
              const char           *dest_dir,
              GPtrArray            *pending,
              Unpacked             *unpacked,
              GCancellable         *cancellable,
              GError              **error)
{
  const char *path = archive_entry_pathname (entry);
  g_autofree char *name = NULL;
  Pending *p;

  if (!is_safe_entry_path (path))
    {
      g_autofree char *what = g_strdup_printf ("it holds the unsafe path ‘%s’",
                                               path ? path : "");

      set_bad_archive_error (error, what);
      return FALSE;
    }
  name = g_path_get_basename (path);
  if (archive_entry_filetype (entry) != AE_IFREG || !is_dataset_file (source, name) ||
      find_pending (pending, name) != NULL)
    return TRUE;

  p = extract_entry (a, dest_dir, name, unpacked, cancellable, error);
  if (p == NULL)
    return FALSE;
  g_ptr_array_add (pending, p);
  return TRUE;
}

static gboolean
read_entries (const Source    *source,
              struct archive  *a,
              const char      *dest_dir,
              goffset          zip_size,
              GPtrArray       *pending,
              ScaledProgress  *sp,
              GCancellable    *cancellable,
              GError         **error)
{
  struct archive_entry *entry;
  Unpacked unpacked = { 0 };
  int r;

  while ((r = archive_read_next_header (a, &entry)) == ARCHIVE_OK)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      report_unpack (sp, a, zip_size, archive_entry_pathname (entry));
      if (!handle_entry (source, a, entry, dest_dir, pending, &unpacked, cancellable, error))
        return FALSE;
    }
  if (r != ARCHIVE_EOF)
    {
      set_bad_archive_error (error, archive_error_string (a) ? archive_error_string (a)
                                                             : "unreadable");
      return FALSE;
    }
  if (find_pending (pending, source->files[0]) == NULL)
    {
      g_autofree char *what = g_strdup_printf ("it has no %s", source->files[0]);

      set_bad_archive_error (error, what);
      return FALSE;
    }
  return TRUE;
}

/* Moves every unpacked file into place, the main one first in @files_out. */
static gboolean
commit_pending (const Source  *source,
                GPtrArray     *pending,
                gboolean       force,
                GPtrArray     *written,
                GError       **error)
{
  Pending *main_file = find_pending (pending, source->files[0]);
  guint index = 0;

  g_assert (main_file != NULL);
  g_assert (g_ptr_array_find (pending, main_file, &index));
  g_ptr_array_insert (pending, 0, g_ptr_array_steal_index (pending, index));

  for (guint i = 0; !force && i < pending->len; i++)
    {
      Pending *p = g_ptr_array_index (pending, i);

      if (!check_not_existing (ts_atomic_file_get_path (p->file), error))
        return FALSE;
    }
  for (guint i = 0; i < pending->len; i++)
    {
      Pending *p = g_ptr_array_index (pending, i);

      if (!ts_atomic_file_commit (p->file, error))
        return FALSE;
      g_ptr_array_add (written, g_strdup (ts_atomic_file_get_path (p->file)));
    }
  return TRUE;
}

gboolean
_ts_kaggle_unpack_data (TsKaggleDataset  dataset,
                        const void      *data,
                        gsize            length,
                        const char      *dest_dir,
                        gboolean         force,
                        GPtrArray       *written,
                        TsProgressFunc   progress,
                        gpointer         progress_data,
                        GCancellable    *cancellable,
                        GError         **error)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (pending_free);
  ScaledProgress sp = { progress, progress_data, 0.0, 1.0 };
  struct archive *a;
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (dest_dir != NULL, FALSE);
  g_return_val_if_fail (written != NULL, FALSE);

  if (g_mkdir_with_parents (dest_dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, TS_ERROR, TS_ERROR_IO, "Could not create the folder ‘%s’: %s",
                   dest_dir, g_strerror (saved));
      return FALSE;
    }

  a = archive_read_new ();
  archive_read_support_format_zip (a);
  /* An empty file maps to NULL. */
  if (archive_read_open_memory (a, data != NULL ? data : "", length) != ARCHIVE_OK)
    {
      set_bad_archive_error (error, archive_error_string (a) ? archive_error_string (a)
                                                             : "unreadable");
      archive_read_free (a);
      return FALSE;
    }
  ok = read_entries (get_source (dataset), a, dest_dir, (goffset) length, pending, &sp,
                     cancellable, error);
  archive_read_free (a);

  return ok && commit_pending (get_source (dataset), pending, force, written, error);
}

/* The downloaded zip, mapped rather than read: it may be large. */
static gboolean
unpack_zip (TsKaggleDataset  dataset,
            const char      *zip_path,
            const char      *dest_dir,
            gboolean         force,
            GPtrArray       *written,
            ScaledProgress  *sp,
            GCancellable    *cancellable,
            GError         **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local_error = NULL;

  mapped = g_mapped_file_new (zip_path, FALSE, &local_error);
  if (mapped == NULL)
    {
      set_bad_archive_error (error, local_error->message);
      return FALSE;
    }
  return _ts_kaggle_unpack_data (dataset, g_mapped_file_get_contents (mapped),
                                 g_mapped_file_get_length (mapped), dest_dir, force, written,
                                 scaled_progress, sp, cancellable, error);
}

/* ---- public API ------------------------------------------------------- */

static gboolean
make_temp_zip_path (char   **tmp_dir,
                    char   **zip_path,
                    GError **error)
{
  g_autoptr(GError) local_error = NULL;

  *tmp_dir = g_dir_make_tmp ("tunescope-kaggle-XXXXXX", &local_error);
  if (*tmp_dir == NULL)
    {
      g_set_error (error, TS_ERROR, TS_ERROR_IO, "Could not create a temporary folder: %s",
                   local_error->message);
      return FALSE;
    }
  *zip_path = g_build_filename (*tmp_dir, "spotify-dataset.zip", NULL);
  return TRUE;
}

static gboolean
fetch_and_unpack (TsKaggleDataset  dataset,
                  const char      *dest_dir,
                  gboolean         force,
                  GPtrArray       *written,
                  TsProgressFunc   progress,
                  gpointer         progress_data,
                  GCancellable    *cancellable,
                  GError         **error)
{
  ScaledProgress sp = { progress, progress_data, 0.0, DOWNLOAD_SHARE };
  g_autofree char *tmp_dir = NULL;
  g_autofree char *zip_path = NULL;
  gboolean ok;

  if (!make_temp_zip_path (&tmp_dir, &zip_path, error))
    return FALSE;

  ok = download_zip (dataset, zip_path, &sp, cancellable, error);
  if (ok)
    {
      sp.start = DOWNLOAD_SHARE;
      sp.span = 1.0 - DOWNLOAD_SHARE;
      ok = unpack_zip (dataset, zip_path, dest_dir, force, written, &sp, cancellable, error);
    }
  g_unlink (zip_path);
  g_rmdir (tmp_dir);
  if (ok)
    scaled_progress (1.0, "Done", &sp);
  return ok;
}

char *
ts_kaggle_download_full (TsKaggleDataset dataset,
                         const char     *dest_dir,
                         gboolean        force,
                         TsProgressFunc  progress,
                         gpointer        progress_data,
                         GStrv          *files_out,
                         GCancellable   *cancellable,
                         GError        **error)
{
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  char *main_path;

  g_return_val_if_fail (dest_dir != NULL && *dest_dir != '\0', NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!force && !check_known_files_absent (get_source (dataset), dest_dir, error))
    return NULL;
  if (!fetch_and_unpack (dataset, dest_dir, force, written, progress, progress_data, cancellable,
                         error))
    return NULL;

  main_path = g_strdup (g_ptr_array_index (written, 0));
  if (files_out != NULL)
    {
      g_ptr_array_add (written, NULL);
      *files_out = (GStrv) g_ptr_array_free (g_steal_pointer (&written), FALSE);
    }
  return main_path;
}

char *
ts_kaggle_download (TsKaggleDataset dataset,
                    const char     *dest_dir,
                    gboolean        force,
                    TsProgressFunc  progress,
                    gpointer        progress_data,
                    GCancellable   *cancellable,
                    GError        **error)
{
  return ts_kaggle_download_full (dataset, dest_dir, force, progress, progress_data, NULL,
                                  cancellable, error);
}

typedef struct
{
  TsKaggleDataset  dataset;
  char            *dest_dir;
  gboolean         force;
  TsRelay         *relay;
  GStrv            files;
} DownloadData;

static void
download_data_free (gpointer data)
{
  DownloadData *d = data;

  g_free (d->dest_dir);
  g_strfreev (d->files);
  g_clear_pointer (&d->relay, ts_relay_unref);
  g_free (d);
}

static void
download_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  DownloadData *d = task_data;
  GError *error = NULL;
  char *path;

  /* The task data is only read back after the task returned. */
  path = ts_kaggle_download_full (d->dataset, d->dest_dir, d->force, ts_relay_report_progress,
                                  d->relay, &d->files, cancellable, &error);
  if (path == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, path, g_free);
}

void
ts_kaggle_download_async (TsKaggleDataset      dataset,
                          const char          *dest_dir,
                          gboolean             force,
                          TsProgressFunc       progress,
                          gpointer             progress_data,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DownloadData *d;

  g_return_if_fail (dest_dir != NULL && *dest_dir != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  d = g_new0 (DownloadData, 1);
  d->dataset = dataset;
  d->dest_dir = g_strdup (dest_dir);
  d->force = force;
  d->relay = ts_relay_new_progress (progress, progress_data);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ts_kaggle_download_async);
  g_task_set_task_data (task, d, download_data_free);
  g_task_run_in_thread (task, download_thread);
}

char *
ts_kaggle_download_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ts_kaggle_download_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
ts_kaggle_download_finish_full (GAsyncResult  *result,
                                GStrv         *files_out,
                                GError       **error)
{
  DownloadData *d;
  char *path;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  path = ts_kaggle_download_finish (result, error);
  d = g_task_get_task_data (G_TASK (result));
  if (path != NULL && files_out != NULL)
    *files_out = g_steal_pointer (&d->files);
  return path;
}
