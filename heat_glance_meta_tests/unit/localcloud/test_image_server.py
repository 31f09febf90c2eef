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
"""The image server answers fast, slow and bad requests as documented."""

import functools
import http.server
import tempfile
import threading
import unittest
import urllib.error
import urllib.request

from heat_glance_meta_tests.localcloud import image_server

DATA = bytes(range(256)) * 40


class ImageServerTest(unittest.TestCase):

    def setUp(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        with open(directory.name + '/tiny.img', 'wb') as image:
            image.write(DATA)
        handler = functools.partial(image_server.Handler,
                                    directory=directory.name)
        handler.log_message = lambda *args: None
        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        self.base = 'http://127.0.0.1:%d' % server.server_address[1]

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=30) as answer:
            return answer.headers['Content-Length'], answer.read()

    def status(self, path):
        with self.assertRaises(urllib.error.HTTPError) as caught:
            self.get(path)
        return caught.exception.code

    def test_plain_file(self):
        self.assertEqual((str(len(DATA)), DATA), self.get('/tiny.img'))

    def test_slow_answer_has_the_same_bytes(self):
        self.assertEqual((str(len(DATA)), DATA),
                         self.get('/slow/0.05/tiny.img'))

    def test_bad_seconds(self):
        self.assertEqual(400, self.status('/slow/soon/tiny.img'))

    def test_missing_image(self):
        self.assertEqual(404, self.status('/slow/1/missing.img'))
        self.assertEqual(404, self.status('/missing.img'))

    def test_no_way_out_of_the_directory(self):
        self.assertEqual(404, self.status('/slow/1/..%2f..%2fetc%2fpasswd'))
