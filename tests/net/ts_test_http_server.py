# ts_test_http_server.py: what the local stand-in servers of the tests share
#
# SPDX-License-Identifier: GPL-3.0-or-later

import http.server
import os
import socketserver
import sys
import threading


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # A client that went away mid-answer (a test killed it on purpose)
        # is not the server's failure: no traceback for it.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def exit_with_parent():
    # The test holds our stdin open: EOF means it is gone, even if it
    # crashed without stopping us.
    sys.stdin.buffer.read()
    os._exit(0)


def send_huge_json(handler, size):
    """Answers 200 with a JSON object of about @size bytes, made and sent a
    chunk at a time: with no Content-Length to warn it, a client must stop
    the answer while it arrives. A client that hangs up is not an error."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    chunk = b"x" * (1024 * 1024)
    parts = [b'{"title": "'] + [chunk] * (size // len(chunk)) + [b'"}', b""]
    try:
        for part in parts:
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
    except (BrokenPipeError, ConnectionResetError):
        pass
    handler.close_connection = True


def serve(handler):
    """Serves on 127.0.0.1 (a free port), after printing "PORT <n>"; returns 0."""
    threading.Thread(target=exit_with_parent, daemon=True).start()
    server = Server(("127.0.0.1", 0), handler)
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
