#!/usr/bin/python3
# spotify-server.py: a local stand-in for Spotify's oEmbed, accounts, Web API and image hosts
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Listens on 127.0.0.1 (a free port), prints "PORT <n>" on stdout and serves until its stdin
# closes. Tests point TUNESCOPE_OEMBED_URL at /oembed, TUNESCOPE_SPOTIFY_ACCOUNTS_URL at
# /accounts and TUNESCOPE_SPOTIFY_API_URL at /api. argv[1] is the JPEG served as a cover.
#
# The track id picks the behaviour, for oEmbed and /api/tracks alike:
#   ok*          a cover (/img/ok; the API lists 640, 300 and 64 px variants)
#   nullthumb    thumbnail_url null (API: no album images)
#   unknown      404
#   ratelimited  429 with Retry-After: 1 the first time, then as ok
#   longwait     429 with Retry-After: 7200
#   quota        429 with "reason": "QUOTA_EXCEEDED"
#   flaky        500 the first time, then as ok
#   broken*      500 always
#   slowonce     answers after 3 s the first time, then as ok
#   slow         answers after 3 s always
#   badjson      200 with malformed JSON
#   hugejson     200 with 100 MB of valid JSON, sent chunked (no Content-Length)
#   truncimg     a cover whose download is cut in half
#   htmlimg      a "cover" that is an HTML page
#   loopimg      a cover that redirects to itself forever
#   rejectonce   (API) 401 the first time whatever the token
#   lag*         as ok, after 0.3 s (the stats count the most requests at once: "maxinflight")
# The stats also count the connections accepted ("connections"), the /stats ones included.
# Tokens: POST /accounts/api/token with Basic tid:s3cr3t-XYZ (expires_in 3600) or
# tshort:s3cr3t-XYZ (expires_in 1). GET /stats answers the request counts as JSON.

import base64
import http.server
import json
import sys
import threading
import time
import urllib.parse

from ts_test_http_server import send_huge_json, serve

SECRET = "s3cr3t-XYZ"
COVER = open(sys.argv[1], "rb").read()
LOCK = threading.Lock()
COUNTS = {}
TOKENS = set()
IN_FLIGHT = [0]


def count(key):
    with LOCK:
        COUNTS[key] = COUNTS.get(key, 0) + 1
        return COUNTS[key]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def setup(self):
        count("connections")
        super().setup()

    def send_body(self, status, body, content_type="application/json", extra=()):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        for name, value in extra:
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, status, value, extra=()):
        self.send_body(status, json.dumps(value), extra=extra)

    def base(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    # Shared behaviours; True when the request was answered.
    def common(self, kind, track):
        n = count(kind + ":" + track)
        if track == "unknown":
            self.send_json(404, {"error": {"status": 404, "message": "Not found"}})
        elif track == "ratelimited" and n == 1:
            self.send_json(429, {"error": {"status": 429}}, [("Retry-After", "1")])
        elif track == "longwait":
            self.send_json(429, {"error": {"status": 429}}, [("Retry-After", "7200")])
        elif track == "quota":
            self.send_json(429, {"error": {"status": 429, "message": "Quota exceeded",
                                           "reason": "QUOTA_EXCEEDED"}},
                           [("Retry-After", "86400")])
        elif (track == "flaky" and n == 1) or track.startswith("broken"):
            self.send_json(500, {"error": {"status": 500}})
        elif track == "badjson":
            self.send_body(200, "{not json")
        elif track == "hugejson":
            send_huge_json(self, 100 * 1024 * 1024)
        else:
            if track == "slow" or (track == "slowonce" and n == 1):
                time.sleep(3)
            elif track.startswith("lag"):
                with LOCK:
                    IN_FLIGHT[0] += 1
                    COUNTS["maxinflight"] = max(COUNTS.get("maxinflight", 0), IN_FLIGHT[0])
                time.sleep(0.3)
                with LOCK:
                    IN_FLIGHT[0] -= 1
            return False
        return True

    def cover_path(self, track):
        for name in ("trunc", "html", "loop"):
            if track == name + "img":
                return "/img/" + name
        return "/img/ok"

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/oembed":
            self.oembed(urllib.parse.parse_qs(url.query).get("url", [""])[0])
        elif url.path.startswith("/api/tracks/"):
            self.track(url.path[len("/api/tracks/"):])
        elif url.path.startswith("/img/"):
            self.image(url.path[len("/img/"):])
        elif url.path == "/stats":
            with LOCK:
                self.send_json(200, COUNTS)
        else:
            self.send_json(404, {})

    def oembed(self, track_url):
        prefix = "https://open.spotify.com/track/"
        if not track_url.startswith(prefix):
            self.send_json(400, {"error": "bad url"})
            return
        track = track_url[len(prefix):]
        if self.common("oembed", track):
            return
        thumbnail = None if track == "nullthumb" else self.base() + self.cover_path(track)
        self.send_json(200, {"html": "<iframe></iframe>", "width": 456, "height": 152,
                             "version": "1.0", "provider_name": "Spotify",
                             "provider_url": "https://spotify.com", "type": "rich",
                             "title": "Song " + track, "thumbnail_url": thumbnail,
                             "thumbnail_width": 300, "thumbnail_height": 300})

    def track(self, track):
        auth = self.headers.get("Authorization", "")
        valid = auth.startswith("Bearer ") and auth[7:] in TOKENS
        if track == "rejectonce" and count("reject:" + track) == 1:
            valid = False
        if not valid:
            self.send_json(401, {"error": {"status": 401, "message": "Invalid access token"}})
            return
        if self.common("api", track):
            return
        path = self.base() + self.cover_path(track)
        images = [] if track == "nullthumb" else [
            {"url": path + "?w=640", "height": 640, "width": 640},
            {"url": path + "?w=300", "height": 300, "width": 300},
            {"url": path + "?w=64", "height": 64, "width": 64},
        ]
        self.send_json(200, {"id": track, "name": "Song " + track, "type": "track",
                             "album": {"name": "Album", "images": images}})

    def image(self, name):
        count("img:" + name)
        if name.startswith("ok"):
            self.send_body(200, COVER, "image/jpeg")
        elif name.startswith("trunc"):
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(COVER)))
            self.end_headers()
            self.wfile.write(COVER[:len(COVER) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif name.startswith("html"):
            self.send_body(200, "<html><body>Not a cover</body></html>", "text/html")
        elif name.startswith("loop"):
            self.send_body(302, "", "text/plain", [("Location", "/img/" + name)])
        else:
            self.send_json(404, {})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode()
        if self.path != "/accounts/api/token":
            self.send_json(404, {})
            return
        n = count("token")
        auth = self.headers.get("Authorization", "")
        users = {}
        for user, lifetime in (("tid", 3600), ("tshort", 1)):
            users["Basic " + base64.b64encode((user + ":" + SECRET).encode()).decode()] = lifetime
        if body != "grant_type=client_credentials" or auth not in users:
            self.send_json(400 if auth in users else 401,
                           {"error": "invalid_client", "error_description": "Invalid client"})
            return
        token = "token%d" % n
        with LOCK:
            TOKENS.add(token)
        self.send_json(200, {"access_token": token, "token_type": "Bearer",
                             "expires_in": users[auth]})


if __name__ == "__main__":
    sys.exit(serve(Handler))
