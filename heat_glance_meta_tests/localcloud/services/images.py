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
"""The image server: small raw images Glance's web-download fetches.

See image_server for the slow answers.
"""

import sys

from heat_glance_meta_tests.localcloud import layout
from heat_glance_meta_tests.localcloud import procs
from heat_glance_meta_tests.localcloud.services import base

IMAGES = {
    # name -> (size, byte): raw images Glance's format inspection accepts.
    'tiny.img': (64 * 1024, b'\0'),
    'tiny-b.img': (128 * 1024, b'\0'),
}


class Images(base.Service):
    name = 'images'
    ports = ('images',)
    restartable = True
    ready_what = 'listening'

    def init(self, cloud):
        for image, (size, byte) in IMAGES.items():
            (cloud.lay.images / image).write_bytes(byte * size)

    def start(self, cloud):
        cloud.start_process(self.name, [
            sys.executable, '-m',
            'heat_glance_meta_tests.localcloud.image_server',
            str(cloud.lay.ports['images']), layout.HOST,
            str(cloud.lay.images)])

    def ready(self, cloud):
        return procs.port_accepts(cloud.lay.ports['images'])
