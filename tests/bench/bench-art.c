/* bench-art.c: how fast covers arrive through the art cache, and how fast a cached one opens
 *
 * Usage: bench-art [--covers N] [--latency-ms MS] [--connections N] [--lookups N]
 * Starts a stand-in for Spotify's oEmbed and image hosts on 127.0.0.1 (this
 * program again, with --serve, in its own process) that waits --latency-ms
 * before every answer, as a distant server would (three times that on a
 * new connection, for the TCP and TLS handshakes), and answers each
 * connection from its own thread. Then fetches --covers distinct covers
 * into an empty cache with --connections connections, and again with one,
 * then times a lookup plus a full decode of a cached 300 px cover.
 * Prints one JSON object: covers/s for both runs, the resident memory
 * after 500 covers and after all of them, the lookup median, and the CPU
 * time the server used (it must not be the bottleneck).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <turbojpeg.h>

#include "tunescope-core.h"

#define COVER_SIDE     300
#define MEMORY_SAMPLE  500

static int
compare_doubles (const void *a,
                 const void *b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return (da > db) - (da < db);
}

/* The server */

typedef struct
{
  GBytes *cover;
  guint   latency_ms;
  guint16 port;
  gint    connections;  /* accepted so far (atomic) */
} Server;

/* The track id of "/oembed?url=https%3A%2F%2Fopen.spotify.com%2Ftrack%2FID". */
static char *
dup_oembed_track (const char *target)
{
  const char *query = strstr (target, "?url=");
  g_autofree char *url = query != NULL ? g_uri_unescape_string (query + 5, NULL) : NULL;
  const char *slash = url != NULL ? strrchr (url, '/') : NULL;

  return slash != NULL && ts_spotify_is_track_id (slash + 1) ? g_strdup (slash + 1) : NULL;
}

/* Headers and body in one write: two small writes would meet Nagle's
 * algorithm and the client's delayed ACK, and measure those instead. */
static gboolean
send_answer (GOutputStream *out,
             guint          status,
             const char    *content_type,
             const void    *body,
             gsize          length)
{
  g_autoptr(GByteArray) answer = g_byte_array_sized_new ((guint) length + 256);
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: %s\r\n"
                                           "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                           "Cache-Control: max-age=86400\r\n\r\n",
                                           status, status == 200 ? "OK" : "Not Found",
                                           content_type, length);

  g_byte_array_append (answer, (const guint8 *) head, (guint) strlen (head));
  g_byte_array_append (answer, body, (guint) length);
  return g_output_stream_write_all (out, answer->data, answer->len, NULL, NULL, NULL);
}

static gboolean
answer (Server        *server,
        GOutputStream *out,
        const char    *target)
{
  g_autofree char *track = NULL;

  if (g_str_equal (target, "/stats"))
    {
      g_autofree char *json = g_strdup_printf ("{\"connections\": %d}",
                                               g_atomic_int_get (&server->connections));

      return send_answer (out, 200, "application/json", json, strlen (json));
    }
  if (g_str_has_prefix (target, "/img/"))
    {
      gsize size = 0;
      const void *data = g_bytes_get_data (server->cover, &size);

      return send_answer (out, 200, "image/jpeg", data, size);
    }
  if (g_str_has_prefix (target, "/oembed?") && (track = dup_oembed_track (target)) != NULL)
    {
      /* The shape and size of Spotify's answer (about 700 bytes). */
      g_autofree char *json = g_strdup_printf (
        "{\"html\":\"<iframe style=\\\"border-radius: 12px\\\" width=\\\"100%%\\\" "
        "height=\\\"152\\\" title=\\\"Spotify Embed: Bench %s\\\" frameborder=\\\"0\\\" "
        "allowfullscreen allow=\\\"autoplay; clipboard-write; encrypted-media; fullscreen; "
        "picture-in-picture\\\" loading=\\\"lazy\\\" src=\\\"https://open.spotify.com/embed/"
        "track/%s?utm_source=oembed\\\"></iframe>\",\"iframe_url\":\"https://open.spotify.com/"
        "embed/track/%s?utm_source=oembed\",\"width\":456,\"height\":152,\"version\":\"1.0\","
        "\"provider_name\":\"Spotify\",\"provider_url\":\"https://spotify.com\",\"type\":\"rich\","
        "\"title\":\"Bench %s\",\"thumbnail_url\":\"http://127.0.0.1:%u/img/%s\","
        "\"thumbnail_width\":300,\"thumbnail_height\":300}",
        track, track, track, track, server->port, track);

      return send_answer (out, 200, "application/json", json, strlen (json));
    }
  return send_answer (out, 404, "application/json", "{}", 2);
}

/* One connection, kept alive for as many requests as the client sends. */
static gboolean
on_run (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source_object,
        gpointer                user_data)
{
  Server *server = user_data;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GDataInputStream) in =
    g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));

  /* A new connection's first answer comes two round trips later still:
   * the TCP and TLS handshakes a real server would need first. */
  guint round_trips = 3;

  g_atomic_int_inc (&server->connections);
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  for (;;)
    {
      g_autofree char *request_line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
      g_auto(GStrv) parts = NULL;

      if (request_line == NULL)
        break;
      for (;;)
        {
          g_autofree char *header = g_data_input_stream_read_line (in, NULL, NULL, NULL);

          if (header == NULL)
            return TRUE;
          if (*header == '\0')
            break;
        }
      parts = g_strsplit (request_line, " ", 3);
      if (g_strv_length (parts) != 3)
        break;
      /* The latency stands for the network and the CDN, not for the
       * benchmark's own questions. */
      if (!g_str_equal (parts[1], "/stats"))
        g_usleep ((gulong) server->latency_ms * round_trips * 1000);
      round_trips = 1;
      if (!answer (server, out, parts[1]))
        break;
    }
  return TRUE;
}

/* The test side holds our stdin: its end is ours, even after a crash. */
static gpointer
exit_with_parent (gpointer data)
{
  char buffer[64];

  while (read (STDIN_FILENO, buffer, sizeof buffer) > 0)
    ;
  _exit (0);
  return NULL;
}

static int
serve (const char *cover_path,
       guint       latency_ms)
{
  Server server = { .latency_ms = latency_ms };
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (256);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (cover_path, &contents, &length, &error) ||
      !g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &effective, &error))
    {
      g_printerr ("bench-art --serve: %s\n", error->message);
      return 1;
    }
  server.cover = g_bytes_new_take (g_steal_pointer (&contents), length);
  server.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (service, "run", G_CALLBACK (on_run), &server);
  g_socket_service_start (service);
  g_thread_unref (g_thread_new ("stdin", exit_with_parent, NULL));
  printf ("PORT %u\n", server.port);
  fflush (stdout);
  g_main_loop_run (loop);
  return 0;
}

/* The client */

/* A 300 px cover of about the size Spotify's are (some 25 KB): soft
 * gradients with grain, quality 85. */
static GBytes *
make_cover (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autofree guint8 *pixels = g_malloc ((gsize) COVER_SIDE * COVER_SIDE * 3);
  tjhandle handle = tjInitCompress ();
  unsigned char *jpeg = NULL;
  unsigned long size = 0;
  GBytes *bytes;

  for (guint y = 0; y < COVER_SIDE; y++)
    for (guint x = 0; x < COVER_SIDE; x++)
      {
        guint8 *p = pixels + ((gsize) y * COVER_SIDE + x) * 3;
        int grain = g_rand_int_range (rand, -14, 15);

        p[0] = (guint8) CLAMP ((int) (x * 255 / COVER_SIDE) + grain, 0, 255);
        p[1] = (guint8) CLAMP ((int) (y * 200 / COVER_SIDE) + 30 + grain, 0, 255);
        p[2] = (guint8) CLAMP ((int) (((x + y) % 150) * 255 / 150) + grain, 0, 255);
      }
  if (handle == NULL ||
      tjCompress2 (handle, pixels, COVER_SIDE, 0, COVER_SIDE, TJPF_RGB, &jpeg, &size, TJSAMP_420,
                   85, 0) != 0)
    g_error ("bench-art: could not make the cover: %s", tjGetErrorStr2 (handle));
  bytes = g_bytes_new (jpeg, size);
  tjFree (jpeg);
  tjDestroy (handle);
  return bytes;
}

typedef struct
{
  GSubprocess *process;
  guint16      port;
} Child;

static Child *
start_server (const char *cover_path,
              guint       latency_ms)
{
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *latency = g_strdup_printf ("%u", latency_ms);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  Child *child = g_new0 (Child, 1);

  child->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                     G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self_path,
                                     "--serve", cover_path, "--latency-ms", latency, NULL);
  if (child->process == NULL)
    g_error ("bench-art: could not start the server: %s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "PORT "))
    g_error ("bench-art: the server did not start");
  child->port = (guint16) g_ascii_strtoull (line + 5, NULL, 10);
  return child;
}

static void
stop_server (Child *child)
{
  g_output_stream_close (g_subprocess_get_stdin_pipe (child->process), NULL, NULL);
  g_subprocess_wait (child->process, NULL, NULL);
  g_object_unref (child->process);
  g_free (child);
}

/* Connections the server accepted so far: with keep-alive, about one
 * per connection allowed, not one per request. */
static int
server_connections (guint16 port)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/stats", port);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  TsHttpOptions options;
  const char *number;

  ts_http_options_init (&options, "the bench server");
  body = ts_http_get_bytes (url, &options, NULL, NULL, NULL, NULL, &error);
  if (body == NULL)
    g_error ("bench-art: %s", error->message);
  json = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  number = strchr (json, ':');
  if (number == NULL)
    g_error ("bench-art: the server's stats make no sense: %s", json);
  return (int) g_ascii_strtoll (number + 1, NULL, 10);
}

/* CPU seconds a process used so far (user plus system). */
static double
cpu_seconds (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after_name = strrchr (stat, ')')) == NULL)
    return 0.0;
  /* Fields 14 and 15 of the line, counted from the state (field 3). */
  fields = g_strsplit (after_name + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return 0.0;
  return (double) (g_ascii_strtoull (fields[11], NULL, 10) + g_ascii_strtoull (fields[12], NULL, 10))
         / (double) sysconf (_SC_CLK_TCK);
}

/* A "VmHWM" or "VmRSS" line of /proc/self/status, in KiB. */
static guint64
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, field)) == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen (field) + 1, NULL, 10);
}

typedef struct
{
  guint   done;
  guint64 hwm_kib_at_sample;
  guint64 rss_kib_at_sample;
} Progress;

static void
on_progress (double      fraction,
             const char *message,
             gpointer    data)
{
  Progress *progress = data;

  if (++progress->done == MEMORY_SAMPLE)
    {
      progress->hwm_kib_at_sample = status_kib ("VmHWM:");
      progress->rss_kib_at_sample = status_kib ("VmRSS:");
    }
}

typedef struct
{
  double  covers_per_s;
  int     connections;
  double  server_cpu_s;
  double  client_cpu_s;
  guint64 hwm_kib_at_sample;
  guint64 rss_kib_at_sample;
  guint64 hwm_kib_at_end;
  guint64 rss_kib_at_end;
} FetchRun;

/* Fetches every id into the empty cache @dir with @connections at once. */
static FetchRun
fetch_all (const char         *dir,
           Child              *server,
           const char * const *ids,
           guint               connections)
{
  g_autofree char *oembed_url = g_strdup_printf ("http://127.0.0.1:%u/oembed", server->port);
  const char *server_pid = g_subprocess_get_identifier (server->process);
  int accepted = server_connections (server->port);
  g_autoptr(TsArtCache) cache = ts_art_cache_new (dir);
  g_autoptr(TsSpotify) spotify = ts_spotify_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress = { 0 };
  FetchRun run = { 0 };
  double server_cpu = cpu_seconds (server_pid);
  double client_cpu = cpu_seconds ("self");
  gint64 start;
  double seconds;

  ts_art_cache_set_max_size (cache, 0);
  ts_spotify_set_base_urls (spotify, NULL, NULL, oembed_url);
  ts_spotify_set_connections (spotify, connections, connections);
  start = g_get_monotonic_time ();
  results = ts_art_cache_fetch_many (cache, spotify, TS_ART_SOURCE_OEMBED, ids, COVER_SIDE,
                                     connections, on_progress, &progress, NULL, &error);
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  if (results == NULL)
    g_error ("bench-art: %s", error->message);
  for (guint i = 0; i < results->len; i++)
    {
      TsArtResult *result = g_ptr_array_index (results, i);

      if (result->outcome != TS_ART_FETCHED)
        g_error ("bench-art: %s was %s: %s", result->id, ts_art_outcome_get_name (result->outcome),
                 result->reason ? result->reason : "");
    }
  run.covers_per_s = results->len / seconds;
  /* Less the one /stats itself opened. */
  run.connections = server_connections (server->port) - accepted - 1;
  run.server_cpu_s = cpu_seconds (server_pid) - server_cpu;
  run.client_cpu_s = cpu_seconds ("self") - client_cpu;
  run.hwm_kib_at_sample = progress.hwm_kib_at_sample;
  run.rss_kib_at_sample = progress.rss_kib_at_sample;
  run.hwm_kib_at_end = status_kib ("VmHWM:");
  run.rss_kib_at_end = status_kib ("VmRSS:");
  return run;
}

/* Median ms of a warm lookup plus a full-size decode, over @n of @ids. */
static double
time_lookups (const char         *dir,
              const char * const *ids,
              guint               n_ids,
              guint               n,
              double             *decode_ms)
{
  g_autoptr(TsArtCache) cache = ts_art_cache_new (dir);
  g_autofree double *times = g_new (double, n);
  g_autofree double *decodes = g_new (double, n);

  for (guint i = 0; i < n; i++)
    {
      const char *id = ids[(i * 7919u) % n_ids];
      gint64 start = g_get_monotonic_time ();
      g_autofree char *path = ts_art_cache_lookup (cache, id, NULL);
      g_autoptr(TsImage) image = NULL;
      g_autoptr(GError) error = NULL;
      gint64 looked_up = g_get_monotonic_time ();

      if (path == NULL || (image = ts_image_load_file (path, COVER_SIDE, &error)) == NULL ||
          ts_image_get_width (image) != COVER_SIDE)
        g_error ("bench-art: the cached cover of %s does not open", id);
      times[i] = (double) (g_get_monotonic_time () - start) / 1000.0;
      decodes[i] = (double) (g_get_monotonic_time () - looked_up) / 1000.0;
    }
  qsort (times, n, sizeof *times, compare_doubles);
  qsort (decodes, n, sizeof *decodes, compare_doubles);
  *decode_ms = decodes[n / 2];
  return times[n / 2];
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static void
print_run (const char     *name,
           const FetchRun *run)
{
  printf ("\"%s\": {\"covers_per_s\": %.1f, \"connections\": %d, \"server_cpu_s\": %.2f, \"client_cpu_s\": %.2f, "
          "\"hwm_kib_at_%u\": %" G_GUINT64_FORMAT ", \"rss_kib_at_%u\": %" G_GUINT64_FORMAT ", "
          "\"hwm_kib_at_end\": %" G_GUINT64_FORMAT ", \"rss_kib_at_end\": %" G_GUINT64_FORMAT "}",
          name, run->covers_per_s, run->connections, run->server_cpu_s, run->client_cpu_s, MEMORY_SAMPLE,
          run->hwm_kib_at_sample, MEMORY_SAMPLE, run->rss_kib_at_sample, run->hwm_kib_at_end,
          run->rss_kib_at_end);
}

int
main (int   argc,
      char *argv[])
{
  int covers = 2000, latency_ms = 10, connections = 8, lookups = 2000;
  char *serve_cover = NULL;
  const GOptionEntry entries[] = {
    { "covers", 0, 0, G_OPTION_ARG_INT, &covers, "Distinct covers to fetch", "N" },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &latency_ms, "Server wait per request", "MS" },
    { "connections", 0, 0, G_OPTION_ARG_INT, &connections, "Connections of the fast run", "N" },
    { "lookups", 0, 0, G_OPTION_ARG_INT, &lookups, "Warm lookups to time", "N" },
    { "serve", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &serve_cover, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) cover = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *work = NULL;
  g_autofree char *cover_path = NULL;
  g_autofree char *many_dir = NULL;
  g_autofree char *one_dir = NULL;
  FetchRun many, one;
  double lookup_ms, decode_ms;
  Child *server;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 1 || covers < 1 ||
      latency_ms < 0 || connections < 1 || lookups < 1)
    {
      g_printerr ("usage: bench-art [--covers N] [--latency-ms MS] [--connections N] "
                  "[--lookups N]\n");
      return 2;
    }
  if (serve_cover != NULL)
    return serve (serve_cover, (guint) latency_ms);

  /* The caches live where the user's does, in $XDG_CACHE_HOME. */
  work = g_build_filename (g_get_user_cache_dir (), "tunescope-bench-art-XXXXXX", NULL);
  if (g_mkdir_with_parents (g_get_user_cache_dir (), 0700) != 0 || g_mkdtemp (work) == NULL)
    g_error ("bench-art: could not make a folder in %s", g_get_user_cache_dir ());
  cover = make_cover ();
  cover_path = g_build_filename (work, "cover.jpg", NULL);
  if (!g_file_set_contents (cover_path, g_bytes_get_data (cover, NULL),
                            (gssize) g_bytes_get_size (cover), &error))
    g_error ("bench-art: %s", error->message);
  for (int i = 0; i < covers; i++)
    g_ptr_array_add (ids, g_strdup_printf ("4bench%016d", i));
  g_ptr_array_add (ids, NULL);

  server = start_server (cover_path, (guint) latency_ms);
  many_dir = g_build_filename (work, "many", NULL);
  one_dir = g_build_filename (work, "one", NULL);
  /* The fast run first, so that the memory figures are its own. */
  many = fetch_all (many_dir, server, (const char * const *) ids->pdata, (guint) connections);
  one = fetch_all (one_dir, server, (const char * const *) ids->pdata, 1);
  stop_server (server);
  lookup_ms = time_lookups (many_dir, (const char * const *) ids->pdata, (guint) covers,
                            (guint) lookups, &decode_ms);
  remove_tree (work);

  printf ("{\"covers\": %d, \"cover_bytes\": %" G_GSIZE_FORMAT ", \"latency_ms\": %d, "
          "\"connections\": %d, ", covers, g_bytes_get_size (cover), latency_ms, connections);
  print_run ("many", &many);
  printf (", ");
  print_run ("one", &one);
  printf (", \"lookup_median_ms\": %.3f, \"decode_median_ms\": %.3f}\n", lookup_ms, decode_ms);
  return 0;
}
