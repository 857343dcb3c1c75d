/* ts-playlist.c: playlists from and to files, matched against the dataset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ts-playlist"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ts-atomic-file.h"
#include "ts-dataset.h"
#include "ts-error.h"
#include "ts-json-private.h"
#include "ts-playlist-private.h"

#define TRACK_ID_LENGTH 22
#define TUNESCOPE_FORMAT_NAME "tunescope-playlist"
/* Our own export takes about 10 JSON values a track (ts_json_count_values_bound
 * ()): room for the most tracks with a few more artists each, and json-glib
 * builds at most a few hundred MB for it. */
#define JSON_VALUES_PER_ENTRY 16

/* TS_PLAYLIST_MAX_ENTRIES, lowered by the tests. */
static guint max_entries = TS_PLAYLIST_MAX_ENTRIES;

void
_ts_playlist_set_max_entries (guint entries)
{
  max_entries = MIN (entries, TS_PLAYLIST_MAX_ENTRIES);
}

static void
entry_free (gpointer data)
{
  TsPlaylistEntry *entry = data;

  g_free (entry->track_id);
  g_free (entry->artist);
  g_free (entry->title);
  g_free (entry);
}

TsPlaylist *
ts_playlist_new (const char *name)
{
  TsPlaylist *self = g_new0 (TsPlaylist, 1);

  self->name = g_strdup (name != NULL ? name : "Playlist");
  self->rows = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->entries = g_ptr_array_new_with_free_func (entry_free);
  return self;
}

void
ts_playlist_free (TsPlaylist *self)
{
  g_return_if_fail (self != NULL);

  g_free (self->name);
  g_array_unref (self->rows);
  g_ptr_array_unref (self->entries);
  g_free (self);
}

gboolean
ts_playlist_add_row (TsPlaylist *self,
                     guint32     row)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    if (g_array_index (self->rows, guint32, i) == row)
      return FALSE;
  g_array_append_val (self->rows, row);
  return TRUE;
}

static gboolean
is_base62 (char c)
{
  return g_ascii_isalnum (c);
}

char *
ts_playlist_parse_track_id (const char *text)
{
  static const char * const prefixes[] = { "spotify:track:", "open.spotify.com/" };
  const char *p = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (prefixes) && p == NULL; i++)
    {
      p = strstr (text, prefixes[i]);
      if (p != NULL)
        p += strlen (prefixes[i]);
    }
  if (p == NULL)
    return NULL;
  /* Links may carry a locale: open.spotify.com/intl-de/track/ID?si=… */
  if (g_str_has_prefix (p, "intl-"))
    {
      p = strchr (p, '/');
      if (p == NULL)
        return NULL;
      p++;
    }
  if (p[-1] == '/' && !g_str_has_prefix (p, "track/"))
    return NULL;
  if (g_str_has_prefix (p, "track/"))
    p += strlen ("track/");
  for (guint i = 0; i < TRACK_ID_LENGTH; i++)
    if (!is_base62 (p[i]))
      return NULL;
  if (is_base62 (p[TRACK_ID_LENGTH]))
    return NULL;
  return g_strndup (p, TRACK_ID_LENGTH);
}

/* Folded, letters and digits only, words separated by one space. */
static char *
normalize (const char *text)
{
  g_autofree char *folded = ts_fold_for_search (text);
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          g_string_append_unichar (out, c);
          space = FALSE;
        }
      else
        space = TRUE;
    }
  return g_string_free (out, FALSE);
}

static char *
match_key (const char *artist,
           const char *title)
{
  g_autofree char *a = normalize (artist);
  g_autofree char *t = normalize (title);

  return g_strconcat (a, "\x1f", t, NULL);
}

/* The first of "A, B", "A; B", "A & B", "A feat. B". */
static char *
first_artist (const char *artists)
{
  static const char * const separators[] = { ";", ", ", " & ", " feat. ", " ft. ", " x " };
  const char *end = artists + strlen (artists);

  for (guint i = 0; i < G_N_ELEMENTS (separators); i++)
    {
      const char *s = strstr (artists, separators[i]);

      if (s != NULL && s < end && s > artists)
        end = s;
    }
  return g_strstrip (g_strndup (artists, end - artists));
}

typedef struct
{
  TsDataset  *dataset;
  TsPlaylist *playlist;
  const char *name;
  GHashTable *index;   /* match_key -> GArray of rows, on first use */
  GHashTable *groups;  /* groups already in the playlist */
} Importer;

static void
importer_clear (Importer *im)
{
  g_clear_pointer (&im->index, g_hash_table_unref);
  g_clear_pointer (&im->groups, g_hash_table_unref);
}

static void
index_add (GHashTable *index,
           char       *key,
           guint32     row)
{
  GArray *rows = g_hash_table_lookup (index, key);

  if (rows == NULL)
    {
      rows = g_array_new (FALSE, FALSE, sizeof (guint32));
      g_hash_table_insert (index, key, rows);
    }
  else
    g_free (key);
  g_array_append_val (rows, row);
}

/* Every song under each of its artists with its title. */
static GHashTable *
ensure_index (Importer *im)
{
  guint n = ts_dataset_get_n_rows (im->dataset);

  if (im->index != NULL)
    return im->index;
  im->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) g_array_unref);
  for (guint32 i = 0; i < n; i++)
    {
      const guint32 *artists = NULL;
      guint n_artists = ts_dataset_get_artists (im->dataset, i, &artists);
      g_autofree char *title = normalize (ts_dataset_get_name (im->dataset, i));

      for (guint a = 0; a < n_artists; a++)
        {
          g_autofree char *artist =
            normalize (ts_dataset_get_artist_name (im->dataset, artists[a]));

          index_add (im->index, g_strconcat (artist, "\x1f", title, NULL), i);
        }
    }
  return im->index;
}

static guint32
most_popular (TsDataset *dataset,
              GArray    *rows,
              guint     *n_groups)
{
  const double *popularity = ts_dataset_get_column (dataset, TS_FEATURE_POPULARITY);
  g_autoptr(GHashTable) groups = g_hash_table_new (NULL, NULL);
  guint32 best = g_array_index (rows, guint32, 0);

  for (guint i = 0; i < rows->len; i++)
    {
      guint32 row = g_array_index (rows, guint32, i);

      g_hash_table_add (groups, GUINT_TO_POINTER (ts_dataset_get_group (dataset, row) + 1));
      if (popularity[row] > popularity[best])
        best = row;
    }
  *n_groups = g_hash_table_size (groups);
  return best;
}

static void
resolve_by_name (Importer        *im,
                 TsPlaylistEntry *entry)
{
  g_autofree char *artist = NULL;
  g_autofree char *key = NULL;
  GArray *rows;
  guint n_groups = 0;

  if (entry->artist == NULL || entry->title == NULL)
    return;
  artist = first_artist (entry->artist);
  key = match_key (artist, entry->title);
  rows = g_hash_table_lookup (ensure_index (im), key);
  if (rows == NULL)
    return;
  entry->row = most_popular (im->dataset, rows, &n_groups);
  entry->n_candidates = n_groups;
  entry->status = n_groups > 1 ? TS_PLAYLIST_ENTRY_AMBIGUOUS : TS_PLAYLIST_ENTRY_MATCHED;
}

/* Takes @track_id, @artist and @title; matches and records the entry. */
static void
importer_add (Importer *im,
              guint     line,
              char     *track_id,
              char     *artist,
              char     *title)
{
  TsPlaylistEntry *entry = g_new0 (TsPlaylistEntry, 1);
  TsPlaylist *pl = im->playlist;

  entry->line = line;
  entry->track_id = track_id;
  entry->artist = artist != NULL ? g_strstrip (artist) : NULL;
  entry->title = title != NULL ? g_strstrip (title) : NULL;
  entry->row = G_MAXUINT32;
  entry->status = TS_PLAYLIST_ENTRY_UNMATCHED;
  if (track_id != NULL)
    {
      int row = ts_dataset_lookup_id (im->dataset, track_id);

      if (row >= 0)
        {
          entry->row = row;
          entry->n_candidates = 1;
          entry->status = TS_PLAYLIST_ENTRY_MATCHED;
        }
    }
  if (entry->row == G_MAXUINT32)
    resolve_by_name (im, entry);
  if (entry->row != G_MAXUINT32)
    {
      gpointer group = GUINT_TO_POINTER (ts_dataset_get_group (im->dataset, entry->row) + 1);

      if (!g_hash_table_add (im->groups, group))
        entry->status = TS_PLAYLIST_ENTRY_DUPLICATE;
      else
        g_array_append_val (pl->rows, entry->row);
    }
  switch (entry->status)
    {
    case TS_PLAYLIST_ENTRY_MATCHED: pl->n_matched++; break;
    case TS_PLAYLIST_ENTRY_AMBIGUOUS: pl->n_ambiguous++; break;
    case TS_PLAYLIST_ENTRY_UNMATCHED: pl->n_unmatched++; break;
    case TS_PLAYLIST_ENTRY_DUPLICATE: pl->n_duplicates++; break;
    default: g_assert_not_reached ();
    }
  g_ptr_array_add (pl->entries, entry);
}

static void
importer_add_text (Importer   *im,
                   guint       line,
                   const char *text)
{
  char *track_id = ts_playlist_parse_track_id (text);
  const char *dash = strstr (text, " - ");

  if (track_id == NULL && dash != NULL)
    importer_add (im, line, NULL, g_strndup (text, dash - text), g_strdup (dash + 3));
  else
    importer_add (im, line, track_id, NULL, g_strdup (text));
}

static gboolean
invalid (GError    **error,
         const char *name,
         guint       line,
         const char *format,
         ...) G_GNUC_PRINTF (4, 5);

static gboolean
invalid (GError    **error,
         const char *name,
         guint       line,
         const char *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, TS_ERROR, TS_ERROR_INVALID_INPUT, "%s:%u: %s", name, line, message);
  return FALSE;
}

/* Whether another entry fits in the playlist; FALSE, with an error naming
 * @line, when it has max_entries already. */
static gboolean
importer_has_room (Importer    *im,
                   guint        line,
                   GError     **error)
{
  if (im->playlist->entries->len < max_entries)
    return TRUE;
  return invalid (error, im->name, line, "too many tracks (Tunescope imports up to %u)",
                  max_entries);
}

/* A text's lines, one at a time and stripped: a playlist's lines are
 * never all copied at once, and each is found in one pass (g_strsplit ()
 * would search the rest of the text for every line, which sanitizers'
 * string interceptors make quadratic). */
typedef struct
{
  const char *next;    /* where the next line starts, NULL after the last */
  guint       number;  /* 1-based, of the line last read */
} LineReader;

/* The next line without its end (\n, \r\n or \r) and its blanks, or
 * NULL after the last. */
static char *
line_reader_next (LineReader *r)
{
  const char *start = r->next;
  const char *p = start;

  if (start == NULL)
    return NULL;
  while (*p != '\0' && *p != '\n' && *p != '\r')
    p++;
  if (*p == '\0')
    r->next = NULL;
  else
    r->next = p + (*p == '\r' && p[1] == '\n' ? 2 : 1);
  r->number++;
  return g_strstrip (g_strndup (start, p - start));
}

static gboolean
parse_uri_list (Importer    *im,
                const char  *text,
                GError     **error)
{
  LineReader lines = { text, 0 };
  char *next;

  while ((next = line_reader_next (&lines)) != NULL)
    {
      g_autofree char *line = next;

      if (line[0] == '\0' || line[0] == '#')
        continue;
      if (!importer_has_room (im, lines.number, error))
        return FALSE;
      importer_add_text (im, lines.number, line);
    }
  return TRUE;
}

/* "Music/Artist - Title.mp3" → "Artist - Title". */
static char *
title_of_path (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base && strlen (dot) <= 5)
    *dot = '\0';
  return g_steal_pointer (&base);
}

static gboolean
parse_m3u (Importer    *im,
           const char  *text,
           GError     **error)
{
  g_autofree char *extinf = NULL;
  guint extinf_line = 0;
  LineReader lines = { text, 0 };
  char *next;

  while ((next = line_reader_next (&lines)) != NULL)
    {
      g_autofree char *line = next;
      g_autofree char *track_id = NULL;
      guint i = lines.number - 1;

      if (line[0] == '\0')
        continue;
      if (g_ascii_strncasecmp (line, "#EXTINF:", 8) == 0)
        {
          const char *comma = strchr (line, ',');

          g_free (extinf);
          extinf = g_strdup (comma != NULL ? comma + 1 : "");
          extinf_line = i + 1;
          continue;
        }
      /* Our own exports, and other players', name the playlist there. */
      if (g_ascii_strncasecmp (line, "#PLAYLIST:", 10) == 0 && line[10] != '\0')
        {
          g_free (im->playlist->name);
          im->playlist->name = g_strstrip (g_strdup (line + 10));
          continue;
        }
      if (line[0] == '#')
        continue;
      if (!importer_has_room (im, extinf != NULL ? extinf_line : i + 1, error))
        return FALSE;
      track_id = ts_playlist_parse_track_id (line);
      if (track_id == NULL)
        {
          g_autofree char *fallback = extinf != NULL ? g_strdup (extinf) : title_of_path (line);
          const char *dash = strstr (fallback, " - ");

          if (dash != NULL)
            importer_add (im, extinf != NULL ? extinf_line : i + 1, NULL,
                          g_strndup (fallback, dash - fallback), g_strdup (dash + 3));
          else
            importer_add (im, i + 1, NULL, NULL, g_strdup (fallback));
        }
      else if (extinf != NULL)
        {
          const char *dash = strstr (extinf, " - ");

          importer_add (im, extinf_line, g_steal_pointer (&track_id),
                        dash ? g_strndup (extinf, dash - extinf) : NULL,
                        g_strdup (dash ? dash + 3 : extinf));
        }
      else
        importer_add (im, i + 1, g_steal_pointer (&track_id), NULL, NULL);
      g_clear_pointer (&extinf, g_free);
    }
  return TRUE;
}

/* One CSV record (RFC 4180: quotes, doubled quotes, line ends inside
 * quotes) from *p; advances *p and *line. */
static gboolean
next_record (const char **p,
             guint       *line,
             GPtrArray   *fields,
             const char  *name,
             GError     **error)
{
  GString *field = g_string_new (NULL);
  guint start_line = *line;
  const char *s = *p;

  g_ptr_array_set_size (fields, 0);
  for (;;)
    {
      if (*s == '"' && field->len == 0)
        {
          for (s++;; s++)
            {
              if (*s == '\0')
                {
                  g_string_free (field, TRUE);
                  return invalid (error, name, start_line, "a quoted field never ends");
                }
              if (*s == '"' && s[1] == '"')
                s++;
              else if (*s == '"')
                {
                  s++;
                  break;
                }
              else if (*s == '\n')
                (*line)++;
              g_string_append_c (field, *s);
            }
        }
      while (*s != '\0' && *s != ',' && *s != '\n' && *s != '\r')
        g_string_append_c (field, *s++);
      g_ptr_array_add (fields, g_string_free (field, FALSE));
      if (*s != ',')
        break;
      s++;
      field = g_string_new (NULL);
    }
  if (*s == '\r')
    s++;
  if (*s == '\n')
    s++;
  if (*s != '\0' || s != *p)
    (*line)++;
  *p = s;
  return TRUE;
}

typedef enum { COL_ID, COL_TITLE, COL_ARTIST, N_COLS } CsvColumn;

/* Header names vary between Exportify versions and other tools. */
static int
csv_column_kind (const char *header)
{
  static const char * const names[N_COLS][7] = {
    { "trackuri", "spotifyuri", "uri", "trackid", "spotifyid", "id", "spotifytrackid" },
    { "trackname", "name", "title", "song", "songname", "tracktitle", "track" },
    { "artistnames", "artistname", "artists", "artist", "trackartist", "artistsname", NULL },
  };
  g_autofree char *folded = g_ascii_strdown (header, -1);
  GString *key = g_string_new (NULL);
  g_autofree char *k = NULL;

  for (const char *p = folded; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (key, *p);
  k = g_string_free (key, FALSE);
  for (guint c = 0; c < N_COLS; c++)
    for (guint i = 0; i < G_N_ELEMENTS (names[c]) && names[c][i] != NULL; i++)
      if (g_str_equal (k, names[c][i]))
        return c;
  return -1;
}

static gboolean
parse_csv (Importer    *im,
           const char  *text,
           GError     **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  int columns[N_COLS] = { -1, -1, -1 };
  const char *p = text;
  guint line = 1;

  if (!next_record (&p, &line, fields, im->name, error))
    return FALSE;
  for (guint i = 0; i < fields->len; i++)
    {
      int kind = csv_column_kind (fields->pdata[i]);

      if (kind >= 0 && columns[kind] < 0)
        columns[kind] = i;
    }
  if (columns[COL_ID] < 0 && columns[COL_TITLE] < 0)
    return invalid (error, im->name, 1, "no “Track URI” or “Track Name” column in the header");
  while (*p != '\0')
    {
      guint record_line = line;
      const char *id_text, *artist, *title;

      if (!next_record (&p, &line, fields, im->name, error))
        return FALSE;
      if (fields->len == 1 && ((char *) fields->pdata[0])[0] == '\0')
        continue;
      if (!importer_has_room (im, record_line, error))
        return FALSE;
      id_text = columns[COL_ID] >= 0 && (guint) columns[COL_ID] < fields->len
                ? fields->pdata[columns[COL_ID]] : "";
      title = columns[COL_TITLE] >= 0 && (guint) columns[COL_TITLE] < fields->len
              ? fields->pdata[columns[COL_TITLE]] : NULL;
      artist = columns[COL_ARTIST] >= 0 && (guint) columns[COL_ARTIST] < fields->len
               ? fields->pdata[columns[COL_ARTIST]] : NULL;
      {
        char *track_id = ts_playlist_parse_track_id (id_text);

        /* A bare 22-character id column. */
        if (track_id == NULL && strlen (id_text) == TRACK_ID_LENGTH)
          track_id = g_strdup (id_text);
        importer_add (im, record_line, track_id, g_strdup (artist), g_strdup (title));
      }
    }
  return TRUE;
}

static guint
json_error_line (const GError *error)
{
  /* json-glib's messages start with "<data>:LINE:COLUMN: ". */
  const char *colon = error->message != NULL ? strchr (error->message, ':') : NULL;

  return colon != NULL ? (guint) g_ascii_strtoull (colon + 1, NULL, 10) : 1;
}

/* The first artist of a track, when it is a string. */
static char *
dup_first_artist (JsonObject *track)
{
  JsonArray *artists = ts_json_get_array (track, "artists");
  JsonNode *first;

  if (artists == NULL || json_array_get_length (artists) == 0)
    return NULL;
  first = json_array_get_element (artists, 0);
  if (!JSON_NODE_HOLDS_VALUE (first) || json_node_get_value_type (first) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (first));
}

static gboolean
parse_tunescope (Importer    *im,
                 const char  *text,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  JsonNode *node;
  JsonObject *root;
  JsonArray *tracks;
  const char *name;

  if (ts_json_count_values_bound (text, strlen (text)) >
      JSON_VALUES_PER_ENTRY * (gsize) max_entries)
    return invalid (error, im->name, 1, "too many values for a playlist (Tunescope imports up "
                    "to %u tracks)", max_entries);
  if (!ts_json_parser_load (parser, text, -1, &local))
    return invalid (error, im->name, json_error_line (local), "not valid JSON (%s)",
                    local->message);
  /* Empty or blank text parses, to no root at all. */
  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, im->name, 1, "not a Tunescope playlist");
  root = json_node_get_object (node);
  tracks = ts_json_get_array (root, "tracks");
  if (!json_object_has_member (root, TUNESCOPE_FORMAT_NAME) || tracks == NULL)
    return invalid (error, im->name, 1, "not a Tunescope playlist (no “%s” and “tracks”)",
                    TUNESCOPE_FORMAT_NAME);
  /* Only a string names the playlist: a number or null keeps the file's name. */
  if ((name = ts_json_get_string (root, "name")) != NULL)
    {
      g_free (im->playlist->name);
      im->playlist->name = g_strdup (name);
    }
  for (guint i = 0; i < json_array_get_length (tracks); i++)
    {
      JsonNode *element = json_array_get_element (tracks, i);
      JsonObject *track;

      if (!importer_has_room (im, 1, error))
        return FALSE;
      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, im->name, 1,
                        "track %u is not an object", i + 1);
      track = json_node_get_object (element);
      importer_add (im, i + 1, g_strdup (ts_json_get_string (track, "id")),
                    dup_first_artist (track), g_strdup (ts_json_get_string (track, "name")));
    }
  return TRUE;
}

static TsPlaylistFormat
sniff_format (const char *text,
              const char *name)
{
  TsPlaylistFormat by_name = ts_playlist_format_for_path (name);
  const char *p = text;

  while (g_ascii_isspace (*p))
    p++;
  if (g_ascii_strncasecmp (p, "#EXTM3U", 7) == 0 || g_ascii_strncasecmp (p, "#EXTINF", 7) == 0)
    return TS_PLAYLIST_FORMAT_M3U;
  if (*p == '{')
    return TS_PLAYLIST_FORMAT_TUNESCOPE;
  if (by_name != TS_PLAYLIST_FORMAT_AUTO)
    return by_name;
  {
    const char *end = strchr (p, '\n');
    g_autofree char *first = g_strndup (p, end ? (gsize) (end - p) : strlen (p));
    g_autofree char *lower = g_ascii_strdown (first, -1);
    g_autofree char *link = ts_playlist_parse_track_id (first);

    if (strchr (first, ',') != NULL && link == NULL
        && (strstr (lower, "uri") || strstr (lower, "name") || strstr (lower, "title")))
      return TS_PLAYLIST_FORMAT_CSV;
  }
  return TS_PLAYLIST_FORMAT_URI_LIST;
}

TsPlaylistFormat
ts_playlist_format_for_path (const char *path)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (path != NULL, TS_PLAYLIST_FORMAT_AUTO);

  lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".m3u") || g_str_has_suffix (lower, ".m3u8"))
    return TS_PLAYLIST_FORMAT_M3U;
  if (g_str_has_suffix (lower, ".csv"))
    return TS_PLAYLIST_FORMAT_CSV;
  if (g_str_has_suffix (lower, ".json") || g_str_has_suffix (lower, ".tunescope"))
    return TS_PLAYLIST_FORMAT_TUNESCOPE;
  if (g_str_has_suffix (lower, ".txt") || g_str_has_suffix (lower, ".uris"))
    return TS_PLAYLIST_FORMAT_URI_LIST;
  return TS_PLAYLIST_FORMAT_AUTO;
}

static gboolean
check_size (guint64      size,
            const char  *name,
            GError     **error)
{
  return ts_error_check_file_size (size, TS_PLAYLIST_MAX_FILE_BYTES, name, "imports playlists",
                                   error);
}

static gboolean
check_utf8 (const char  *text,
            gsize        length,
            const char  *name,
            GError     **error)
{
  const char *end = NULL;
  guint line = 1;

  if (g_utf8_validate_len (text, length, &end))
    return TRUE;
  for (const char *p = text; p < end; p++)
    line += *p == '\n';
  return invalid (error, name, line, "not UTF-8 text");
}

TsPlaylist *
ts_playlist_parse (TsDataset        *dataset,
                   const char       *name,
                   const char       *contents,
                   gssize            length,
                   TsPlaylistFormat  format,
                   GError          **error)
{
  g_autoptr(TsPlaylist) playlist = NULL;
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;
  Importer im = { 0 };
  gboolean ok = FALSE;
  const char *body;

  g_return_val_if_fail (TS_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (contents != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (contents);
  if (!check_size ((guint64) length, name, error))
    return NULL;
  if (memchr (contents, '\0', length) != NULL)
    {
      invalid (error, name, 1, "a binary file, not a playlist");
      return NULL;
    }
  if (!check_utf8 (contents, length, name, error))
    return NULL;
  text = g_strndup (contents, length);
  body = g_str_has_prefix (text, "\xEF\xBB\xBF") ? text + 3 : text;
  if (format == TS_PLAYLIST_FORMAT_AUTO)
    format = sniff_format (body, name);

  title = title_of_path (name);
  playlist = ts_playlist_new (title);
  playlist->format = format;
  ts_dataset_ensure_index (dataset);
  im.dataset = dataset;
  im.playlist = playlist;
  im.name = name;
  im.groups = g_hash_table_new (NULL, NULL);
  switch (format)
    {
    case TS_PLAYLIST_FORMAT_CSV:
      ok = parse_csv (&im, body, error);
      break;
    case TS_PLAYLIST_FORMAT_TUNESCOPE:
      ok = parse_tunescope (&im, body, error);
      break;
    case TS_PLAYLIST_FORMAT_M3U:
      ok = parse_m3u (&im, body, error);
      break;
    case TS_PLAYLIST_FORMAT_URI_LIST:
      ok = parse_uri_list (&im, body, error);
      break;
    case TS_PLAYLIST_FORMAT_AUTO:
    default:
      g_assert_not_reached ();
    }
  importer_clear (&im);
  return ok ? g_steal_pointer (&playlist) : NULL;
}

TsPlaylist *
ts_playlist_load (TsDataset   *dataset,
                  const char  *path,
                  GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  GStatBuf st;

  g_return_val_if_fail (TS_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Before reading it: a file too big is refused without a byte read. */
  if (g_stat (path, &st) == 0 && !check_size ((guint64) st.st_size, path, error))
    return NULL;
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return ts_playlist_parse (dataset, path, contents, length, TS_PLAYLIST_FORMAT_AUTO, error);
}

/* Export. */

static void
append_csv_field (GString    *out,
                  const char *value)
{
  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (out, value);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static char *
artists_joined (TsDataset  *dataset,
                guint32     row,
                const char *separator)
{
  const guint32 *artists = NULL;
  guint n = ts_dataset_get_artists (dataset, row, &artists);
  GString *out = g_string_new (NULL);

  for (guint a = 0; a < n; a++)
    {
      if (a > 0)
        g_string_append (out, separator);
      g_string_append (out, ts_dataset_get_artist_name (dataset, artists[a]));
    }
  return g_string_free (out, FALSE);
}

static void
append_m3u (GString    *out,
            TsDataset  *dataset,
            guint32     row)
{
  g_autofree char *artists = artists_joined (dataset, row, ", ");
  double ms = ts_dataset_get_column (dataset, TS_FEATURE_DURATION_MS)[row];

  g_string_append_printf (out, "#EXTINF:%d,%s - %s\nhttps://open.spotify.com/track/%s\n",
                          (int) (ms / 1000 + 0.5), artists, ts_dataset_get_name (dataset, row),
                          ts_dataset_get_id (dataset, row));
}

static void
append_csv (GString    *out,
            TsDataset  *dataset,
            guint32     row)
{
  g_autofree char *artists = artists_joined (dataset, row, ";");
  g_autofree char *uri = g_strconcat ("spotify:track:", ts_dataset_get_id (dataset, row), NULL);
  guint32 date = ts_dataset_get_release_date (dataset, row);

  append_csv_field (out, uri);
  g_string_append_c (out, ',');
  append_csv_field (out, ts_dataset_get_name (dataset, row));
  g_string_append_c (out, ',');
  append_csv_field (out, artists);
  g_string_append_printf (out, ",%u,%.0f,", date / 10000,
                          ts_dataset_get_column (dataset, TS_FEATURE_DURATION_MS)[row]);
  /* The 1.2M set has no popularity: an empty cell, never a made-up 0. */
  if (ts_dataset_has_feature (dataset, TS_FEATURE_POPULARITY))
    g_string_append_printf (out, "%.0f",
                            ts_dataset_get_column (dataset, TS_FEATURE_POPULARITY)[row]);
  g_string_append_c (out, '\n');
}

static char *
to_tunescope_json (TsPlaylist *self,
                   TsDataset  *dataset)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, TUNESCOPE_FORMAT_NAME);
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, self->name);
  json_builder_set_member_name (b, "tracks");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->rows->len; i++)
    {
      guint32 row = g_array_index (self->rows, guint32, i);
      const guint32 *artists = NULL;
      guint n = ts_dataset_get_artists (dataset, row, &artists);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, ts_dataset_get_id (dataset, row));
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, ts_dataset_get_name (dataset, row));
      json_builder_set_member_name (b, "artists");
      json_builder_begin_array (b);
      for (guint a = 0; a < n; a++)
        json_builder_add_string_value (b, ts_dataset_get_artist_name (dataset, artists[a]));
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

char *
ts_playlist_to_string (TsPlaylist       *self,
                       TsDataset        *dataset,
                       TsPlaylistFormat  format)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (TS_IS_DATASET (dataset), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    g_return_val_if_fail (g_array_index (self->rows, guint32, i) < ts_dataset_get_n_rows (dataset),
                          NULL);

  if (format == TS_PLAYLIST_FORMAT_TUNESCOPE)
    return to_tunescope_json (self, dataset);
  out = g_string_new (NULL);
  if (format == TS_PLAYLIST_FORMAT_CSV)
    g_string_append (out, "Track URI,Track Name,Artist Name(s),Release Year,Duration (ms),"
                          "Popularity\n");
  else if (format != TS_PLAYLIST_FORMAT_URI_LIST)
    g_string_append_printf (out, "#EXTM3U\n#PLAYLIST:%s\n", self->name);
  for (guint i = 0; i < self->rows->len; i++)
    {
      guint32 row = g_array_index (self->rows, guint32, i);

      if (format == TS_PLAYLIST_FORMAT_CSV)
        append_csv (out, dataset, row);
      else if (format == TS_PLAYLIST_FORMAT_URI_LIST)
        g_string_append_printf (out, "spotify:track:%s\n", ts_dataset_get_id (dataset, row));
      else
        append_m3u (out, dataset, row);
    }
  return g_string_free (out, FALSE);
}

gboolean
ts_playlist_save (TsPlaylist        *self,
                  TsDataset         *dataset,
                  const char        *path,
                  TsPlaylistFormat   format,
                  GError           **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (TS_IS_DATASET (dataset), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (format == TS_PLAYLIST_FORMAT_AUTO)
    format = ts_playlist_format_for_path (path);
  if (format == TS_PLAYLIST_FORMAT_AUTO)
    format = TS_PLAYLIST_FORMAT_M3U;
  text = ts_playlist_to_string (self, dataset, format);
  return ts_atomic_file_set_contents (path, text, strlen (text), error);
}
