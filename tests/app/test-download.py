# SPDX-License-Identifier: GPL-3.0-or-later
#
# Starts tunescope without a dataset against a Kaggle stand-in on
# 127.0.0.1 (TUNESCOPE_KAGGLE_URL): the first click on "Download from
# Kaggle" meets a 401 and must show the core's message; the second gets the
# zip and must end on the summary of the data.csv inside.

import argparse
import http.server
import io
import os
import shutil
import sys
import tempfile
import threading
import zipfile

import tsgui

EXPECTED_TRACKS = 5
DOWNLOAD_PATH = '/datasets/download/vatsalmavani/spotify-dataset'


class Kaggle(http.server.BaseHTTPRequestHandler):
    zip_bytes = b''
    authorized = False
    requests = []

    def do_GET(self):
        Kaggle.requests.append(self.path)
        if not self.path.startswith(DOWNLOAD_PATH):
            self.send_error(404)
        elif not Kaggle.authorized:
            body = b'{"code": 401, "message": "Unauthenticated"}'
            self.send_response(401)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(200)
            self.send_header('Content-Type', 'application/zip')
            self.send_header('Content-Length', str(len(Kaggle.zip_bytes)))
            self.end_headers()
            self.wfile.write(Kaggle.zip_bytes)

    def log_message(self, format, *args):
        tsgui.log('kaggle stand-in: ' + format % args)


def make_zip(csv_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as archive:
        archive.write(csv_path, 'data.csv')
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', required=True)
    parser.add_argument('--csv', required=True)
    args = parser.parse_args()

    Kaggle.zip_bytes = make_zip(args.csv)
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Kaggle)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    env = dict(os.environ)
    env['TUNESCOPE_KAGGLE_URL'] = f'http://127.0.0.1:{server.server_port}'
    # No real credentials may leak in from the machine running the tests.
    for name in ('KAGGLE_USERNAME', 'KAGGLE_KEY'):
        env.pop(name, None)
    # ... nor from a kaggle.json in the real home.
    home = tempfile.mkdtemp(prefix='tunescope-home-')
    env['HOME'] = home
    env['KAGGLE_CONFIG_DIR'] = os.path.join(home, '.kaggle')

    app = tsgui.App([args.app], env)
    try:
        try:
            app.find('the first-run page', name='No Dataset Yet')
            tsgui.click(app.find('the download button', name='Download from Kaggle',
                                 role='push button'))
            app.find('the download error page', name='Download Failed', role='label')
            message = app.value_beside('Download Failed', pattern=r'\S')
            tsgui.log(f'the error page says: {message}')
            if not message:
                raise tsgui.Failure('the error page shows no message from the core')
            tsgui.log(f'requests so far: {Kaggle.requests}')

            Kaggle.authorized = True
            # GTK 4.8 keeps hidden stack pages in the tree and sets no SHOWING
            # state: the error page's button is the last one, after the
            # first-run page's.
            buttons = tsgui.find_all(app.root, name='Download from Kaggle', role='push button')
            if len(buttons) < 2:
                raise tsgui.Failure('no "Download from Kaggle" button on the error page')
            tsgui.click(buttons[-1])

            tracks = tsgui.wait_for_track_count(app)
            tsgui.log(f'the summary shows {tracks} tracks')
            if tracks != EXPECTED_TRACKS:
                raise tsgui.Failure(f'expected {EXPECTED_TRACKS} tracks, the summary shows {tracks}')
        except tsgui.Failure:
            tsgui.log(f'requests: {Kaggle.requests}')
            app.dump()
            raise
    finally:
        app.stop()
        server.shutdown()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(tsgui.run(main))
