#!/usr/bin/python3
# kaggle-server.py: a local stand-in for Kaggle's dataset download API
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Listens on 127.0.0.1 (a free port), prints "PORT <n>" on stdout and serves
# until killed or its stdin closes. The first path segment picks the behaviour, so that a test
# sets TUNESCOPE_KAGGLE_URL=http://127.0.0.1:<n>/<mode> and the client then
# asks for /<mode>/datasets/download/vatsalmavani/spotify-dataset:
#
#   ok            200 with the dataset zip (the 600k and 1.2M sets' zips for
#                 their slugs, with a data_by_year.csv that is not theirs)
#   redirect      302 to /ok/<rest> (the way Kaggle redirects to storage)
#   loop          302 to itself, forever
#   auth          401 unless HTTP Basic tuser:tkey, then the zip
#   forbidden     403 always
#   error         500
#   truncated     announces the zip's length, sends half of it and hangs up
#   notzip        200 with an HTML page
#   evil          a zip with a ../evil entry besides data.csv
#   nodata        a zip without data.csv
#   slow          announces the zip, sends 1 KiB, then stalls for a minute
#   hang          never answers
#   big           200 with 1 MiB of zeros and a Content-Length
#   bignolength   the same without Content-Length (ends by closing)
#   ua            200 with the request's User-Agent as the body
#   authecho      200 with "yes" or "no": whether an Authorization arrived
#   otherhost     302 to http://localhost:<port>/authecho/ (another host name)

import base64
import http.server
import io
import sys
import time
import zipfile

from ts_test_http_server import serve

HEADER = ("valence,year,acousticness,artists,danceability,duration_ms,energy,explicit,id,"
          "instrumentalness,key,liveness,loudness,mode,name,popularity,release_date,"
          "speechiness,tempo\n")
ROWS = [
    "0.5,1990,0.1,['Alpha Band'],0.6,200000,0.7,0,id000000000000000000001,0.0,5,0.1,-5.0,1,"
    "Net Song,50,1990-01-01,0.05,120.0\n",
    "0.4,2001,0.2,\"['Beta', \"\"Gamma's\"\"]\",0.5,180000,0.6,1,id000000000000000000002,0.1,3,"
    "0.2,-7.5,0,Other Song,40,2001,0.04,99.5\n",
]
DATA_CSV = (HEADER + "".join(ROWS)).encode()
BY_YEAR = b"mode,year,acousticness\n1,1990,0.1\n1,2001,0.2\n"
W_GENRES = b"genres,artists\n['rock'],Alpha Band\n"


def make_zip(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
    return buf.getvalue()


GOOD_ZIP = make_zip([("data.csv", DATA_CSV), ("data_by_year.csv", BY_YEAR),
                     ("data_w_genres.csv", W_GENRES), ("README.txt", b"not unpacked\n")])
TRACKS_600K = (b"id,name,popularity,duration_ms,explicit,artists,id_artists,release_date,"
               b"danceability,energy,key,loudness,mode,speechiness,acousticness,"
               b"instrumentalness,liveness,valence,tempo,time_signature\n"
               b"35iwgR4jXetI318WEWsa1Q,Carve,6,126903,0,['Uli'],['45tIt06XoI0Iio4LBEVpls'],"
               b"1922-02-22,0.645,0.445,0,-13.338,1,0.451,0.674,0.744,0.151,0.127,104.851,3\n")
ARTISTS_600K = b"id,followers,genres,name,popularity\n45tIt06XoI0Iio4LBEVpls,14.0,[],Uli,3\n"
TRACKS_1M = (b"id,name,album,album_id,artists,artist_ids,track_number,disc_number,explicit,"
             b"danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,"
             b"liveness,valence,tempo,duration_ms,time_signature,year,release_date\n"
             b"7lmeHLHBe4nmXzuXc0HDjk,Testify,The Battle Of Los Angeles,2eia0myWFgoHuttJytCxgX,"
             b"['Rage Against The Machine'],['2d0hyoQ5ynDBnkvAbJKORj'],1,1,False,0.47,0.978,7,"
             b"-5.399,1,0.0727,0.0261,1.09e-05,0.356,0.503,117.906,210133,4.0,1999,1999-11-02\n")
ZIPS_BY_SLUG = {
    "yamaerenay/spotify-dataset-19212020-600k-tracks": make_zip(
        [("tracks.csv", TRACKS_600K), ("artists.csv", ARTISTS_600K),
         ("data_by_year.csv", BY_YEAR), ("dict_artists.json", b"{}\n")]),
    "rodolfofigueroa/spotify-12m-songs": make_zip(
        [("tracks_features.csv", TRACKS_1M), ("data_w_genres.csv", W_GENRES)]),
}
EVIL_ZIP = make_zip([("data.csv", DATA_CSV), ("../evil", b"escaped\n")])
NODATA_ZIP = make_zip([("data_by_year.csv", BY_YEAR)])
CREDENTIALS = "Basic " + base64.b64encode(b"tuser:tkey").decode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def send_body(self, status, body, content_type="application/zip", length=True):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        if not length:
            self.close_connection = True

    def send_status(self, status, extra=()):
        body = b'{"code": %d, "message": "mock"}' % status
        self.send_response(status)
        for name, value in extra:
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_partial(self, body, sent, stall):
        self.send_response(200)
        self.send_header("Content-Type", "application/zip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[:sent])
        self.wfile.flush()
        if stall:
            time.sleep(60)
        self.close_connection = True

    def do_GET(self):
        mode, _, rest = self.path.lstrip("/").partition("/")
        handler = getattr(self, "mode_" + mode, None)
        if handler is None:
            self.send_status(404)
        else:
            handler(rest)

    def mode_ok(self, rest):
        slug = rest.removeprefix("datasets/download/")
        self.send_body(200, ZIPS_BY_SLUG.get(slug, GOOD_ZIP))

    def mode_redirect(self, rest):
        self.send_status(302, [("Location", "/ok/" + rest)])

    def mode_loop(self, rest):
        self.send_status(302, [("Location", "/loop/" + rest)])

    def mode_auth(self, rest):
        if self.headers.get("Authorization") == CREDENTIALS:
            self.send_body(200, GOOD_ZIP)
        else:
            self.send_status(401, [("WWW-Authenticate", 'Basic realm="kaggle"')])

    def mode_forbidden(self, rest):
        self.send_status(403)

    def mode_error(self, rest):
        self.send_status(500)

    def mode_truncated(self, rest):
        self.send_partial(GOOD_ZIP, len(GOOD_ZIP) // 2, stall=False)

    def mode_notzip(self, rest):
        self.send_body(200, b"<html><body>Not a zip</body></html>\n", "text/html")

    def mode_evil(self, rest):
        self.send_body(200, EVIL_ZIP)

    def mode_nodata(self, rest):
        self.send_body(200, NODATA_ZIP)

    def mode_slow(self, rest):
        self.send_partial(GOOD_ZIP + bytes(64 * 1024), 1024, stall=True)

    def mode_hang(self, rest):
        time.sleep(60)
        self.close_connection = True

    def mode_big(self, rest):
        self.send_body(200, bytes(1 << 20), "application/octet-stream")

    def mode_bignolength(self, rest):
        self.send_body(200, bytes(1 << 20), "application/octet-stream", length=False)

    def mode_ua(self, rest):
        self.send_body(200, self.headers.get("User-Agent", "").encode(), "text/plain")

    def mode_otherhost(self, rest):
        port = self.server.server_address[1]
        self.send_status(302, [("Location", "http://localhost:%d/authecho/" % port)])

    def mode_authecho(self, rest):
        answer = b"yes" if self.headers.get("Authorization") else b"no"
        self.send_body(200, answer, "text/plain")


if __name__ == "__main__":
    sys.exit(serve(Handler))
