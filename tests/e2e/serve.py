"""Serves a folder on 127.0.0.1 as a static host would, for the end-to-end tests and the benchmark.

    python3 tests/e2e/serve.py PORT FOLDER [--plain]

Sends the two headers that make the page cross-origin isolated, as the README asks of a host
(Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy: the page then hands a search's
answer over through shared memory), unless --plain: a host that sends no headers, where the app
works as well, its answers coming as messages.
"""

import functools
import http.server
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    isolated = True

    def end_headers(self):
        if self.isolated:
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()

    def log_message(self, format, *args):
        pass


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    Handler.isolated = "--plain" not in sys.argv[3:]
    handler = functools.partial(Handler, directory=folder)
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
