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
"""Glance under uWSGI, with a file store and the import staging stores."""

from heat_glance_meta_tests.localcloud import identity
from heat_glance_meta_tests.localcloud.services import base


class Glance(base.Service):
    name = 'glance'
    ports = ('glance',)
    restartable = True
    ready_what = 'answering an image list'

    def init(self, cloud):
        for sub in ('images', 'staging', 'tasks'):
            (cloud.lay.data / 'glance' / sub).mkdir(parents=True)
        if cloud.restoring:
            return
        cloud.run_tool('glance-setup', [
            str(cloud.bin / 'glance-manage'), '--config-dir',
            str(cloud.lay.etc / 'glance'), 'db_sync'])
        cloud.mark('glance migrated')

    def start(self, cloud):
        base.uwsgi(cloud, self.name, cloud.lay.etc / 'glance' / 'uwsgi.ini')

    def ready(self, cloud):
        return identity.image_list(cloud.demo_session()) is not None
