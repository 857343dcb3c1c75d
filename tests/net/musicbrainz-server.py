#!/usr/bin/python3
# musicbrainz-server.py: a local stand-in for the MusicBrainz search and the Cover Art Archive
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Listens on 127.0.0.1 (a free port), prints "PORT <n>" on stdout and serves until its stdin
# closes. Tests point TUNESCOPE_MUSICBRAINZ_URL at /ws/2 and TUNESCOPE_COVERART_URL at /caa.
# argv[1] is a JSON catalog: {"covers": DIR, "songs": [{"title", "artist", "mbid", "kind"}]};
# DIR holds MBID.jpg, the front cover of the release MBID.
#
#   GET /ws/2/recording?query=recording:"T" AND artist:"A"&fmt=json   a search, by kind:
#     ok           decoys (another title; a live bootleg), then the recording on a
#                  compilation and on its album MBID
#     busy         503 with Retry-After: 1 the first time, then as ok
#     badjson      200 with malformed JSON
#     hugejson     200 with 100 MB of valid JSON, sent chunked (no Content-Length)
#     html         200 with an HTML page
#     norecording  no recordings
#     nocover      as ok, but the Cover Art Archive has no cover (404)
#     truncimg     as ok; the cover is a JPEG cut in half (a whole transfer)
#     cutimg       as ok; the transfer of the cover stops half way
#   GET /caa/release/MBID/front-250   302 to /img/MBID.jpg (404 without the file)
#   GET /stats   {"searches": [{"time", "user_agent", "title"}], "covers": [MBID]}

import http.server
import json
import os
import re
import sys
import threading
import time
import urllib.parse

from ts_test_http_server import send_huge_json, serve

CATALOG = json.load(open(sys.argv[1]))
SONGS = {song["title"]: song for song in CATALOG["songs"]}
LOCK = threading.Lock()
SEARCHES = []
COVERS = []


def phrase(query, field):
    match = re.search(field + r':"((?:[^"\\]|\\.)*)"', query)
    return re.sub(r"\\(.)", r"\1", match.group(1)) if match else None


def release(mbid, title, status, secondary, artist):
    return {"id": mbid, "title": title, "status": status,
            "artist-credit": [{"name": artist, "artist": {"id": "a", "name": artist}}],
            "release-group": {"id": "g", "primary-type": "Album",
                              "secondary-types": secondary}}


def recordings(song):
    credit = [{"name": song["artist"], "artist": {"id": "a", "name": song["artist"]}}]
    mbid = song["mbid"]
    decoy = "dec0dec0" + mbid[8:]
    other = "dec0dec1" + mbid[8:]
    compilation = "c0111111" + mbid[8:]
    return [
        {"id": "r0", "score": 100, "title": song["title"] + " Reprise", "artist-credit": credit,
         "releases": [release(other, "Album", "Official", [], song["artist"])]},
        {"id": "r1", "score": 100, "title": song["title"] + " (Live)", "artist-credit": credit,
         "releases": [release(decoy, "Live", "Bootleg", [], song["artist"])]},
        {"id": "r2", "score": 98, "title": song["title"], "artist-credit": credit,
         "releases": [release(compilation, "Hits", "Official", ["Compilation"],
                              "Various Artists"),
                      release(mbid, "Album", "Official", [], song["artist"])]},
    ]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def send_body(self, status, body, content_type="application/json", extra=(), length=None):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        for name, value in extra:
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def search(self, query):
        title = phrase(query, "recording")
        song = SONGS.get(title)
        with LOCK:
            SEARCHES.append({"time": time.monotonic(), "title": title,
                             "user_agent": self.headers.get("User-Agent", "")})
            n = sum(1 for s in SEARCHES if s["title"] == title)
        kind = song["kind"] if song else "norecording"
        if kind == "busy" and n == 1:
            self.send_body(503, '{"error": "busy"}', extra=[("Retry-After", "1")])
        elif kind == "badjson":
            self.send_body(200, '{"created": "2026", "recordings": [{"id": ')
        elif kind == "hugejson":
            send_huge_json(self, 100 * 1024 * 1024)
        elif kind == "html":
            self.send_body(200, "<html><body>Service unavailable</body></html>", "text/html")
        elif kind == "norecording" or phrase(query, "artist") != song["artist"]:
            self.send_body(200, json.dumps({"count": 0, "offset": 0, "recordings": []}))
        else:
            self.send_body(200, json.dumps({"count": 2, "offset": 0,
                                            "recordings": recordings(song)}))

    def image(self, mbid):
        path = os.path.join(CATALOG["covers"], mbid + ".jpg")
        song = next((s for s in CATALOG["songs"] if s["mbid"] == mbid), None)
        if song is None or song["kind"] == "nocover" or not os.path.exists(path):
            self.send_body(404, "Not Found", "text/plain")
            return
        data = open(path, "rb").read()
        if song["kind"] == "truncimg":
            self.send_body(200, data[:len(data) // 2], "image/jpeg")
        elif song["kind"] == "cutimg":
            self.send_body(200, data[:len(data) // 2], "image/jpeg", length=len(data))
            self.close_connection = True
        else:
            self.send_body(200, data, "image/jpeg")

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        cover = re.fullmatch(r"/caa/release/([0-9a-f-]{36})/front-250", url.path)
        if url.path == "/ws/2/recording":
            self.search(urllib.parse.parse_qs(url.query).get("query", [""])[0])
        elif cover:
            with LOCK:
                COVERS.append(cover.group(1))
            self.send_body(302, "", "text/plain",
                           [("Location", "http://127.0.0.1:%d/img/%s.jpg"
                             % (self.server.server_address[1], cover.group(1)))])
        elif url.path.startswith("/img/") and url.path.endswith(".jpg"):
            self.image(url.path[len("/img/"):-len(".jpg")])
        elif url.path == "/stats":
            with LOCK:
                self.send_body(200, json.dumps({"searches": SEARCHES, "covers": COVERS}))
        else:
            self.send_body(404, "Not Found", "text/plain")


if __name__ == "__main__":
    sys.exit(serve(Handler))
