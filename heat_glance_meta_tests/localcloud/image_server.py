# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.
"""The local cloud's image server: files, fast or on purpose slow.

``GET /NAME`` serves a file of the directory, like ``python -m
http.server``. ``GET /slow/SECONDS/NAME`` serves the same bytes spread
over SECONDS: Glance's web-download import of it stays in progress that
long, a window in which a test can act on a stack whose image is being
imported (cancel the update, restart a service) and know the import is
still running, without racing a tiny image's sub-second import.

Run as ``python -m heat_glance_meta_tests.localcloud.image_server PORT
HOST DIRECTORY``.
"""

import functools
import http.server
import sys
import time

# Pieces a slow answer is cut into: one every SECONDS / SLOW_PIECES.
SLOW_PIECES = 64


class Handler(http.server.SimpleHTTPRequestHandler):

    def do_GET(self):
        parts = self.path.split('/')
        if len(parts) == 4 and parts[1] == 'slow':
            return self._slow(parts[2], parts[3])
        return super().do_GET()

    def _slow(self, seconds, name):
        try:
            seconds = float(seconds)
        except ValueError:
            return self.send_error(400, 'SECONDS must be a number')
        try:
            with open(self.translate_path('/' + name), 'rb') as image:
                data = image.read()
        except OSError:
            return self.send_error(404, 'No such image')
        self.send_response(200)
        self.send_header('Content-Type', 'application/octet-stream')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        step = -(-len(data) // SLOW_PIECES) or 1
        starts = range(0, len(data), step)
        began = time.monotonic()
        for number, start in enumerate(starts, 1):
            self.wfile.write(data[start:start + step])
            self.wfile.flush()
            if number < len(starts):
                # The slowness is the point of this answer: piece N is
                # sent N / pieces of the way through SECONDS.
                due = began + seconds * number / len(starts)
                time.sleep(max(0.0, due - time.monotonic()))


def main(argv=None):
    port, host, directory = (argv or sys.argv[1:])
    handler = functools.partial(Handler, directory=directory)
    server = http.server.ThreadingHTTPServer((host, int(port)), handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == '__main__':
    main()
