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
"""Heat: heat-api under uWSGI and heat-engine (4 workers), over RabbitMQ.

heat-engine is ready once it consumes its RPC queue (read from RabbitMQ,
so the first request is never dropped); heat-api once a stack list makes
the round trip through the engine.
"""

from heat_glance_meta_tests.localcloud import identity
from heat_glance_meta_tests.localcloud.services import base
from heat_glance_meta_tests.localcloud.services import rabbitmq


class HeatApi(base.Service):
    name = 'heat-api'
    ports = ('heat-api',)
    restartable = True
    ready_what = 'answering a stack list through heat-engine'

    def init(self, cloud):
        """Heat's database, for both heat-api and heat-engine."""
        if cloud.restoring:
            return
        cloud.run_tool('heat-setup', [
            str(cloud.bin / 'heat-manage'), '--config-file',
            str(cloud.lay.etc / 'heat' / 'heat.conf'), 'db_sync'])
        cloud.mark('heat migrated')

    def start(self, cloud):
        base.uwsgi(cloud, self.name, cloud.lay.etc / 'heat' / 'uwsgi.ini')

    def ready(self, cloud):
        return identity.stack_list(cloud.demo_session()) is not None


class HeatEngine(base.Service):
    name = 'heat-engine'
    restartable = True
    # It ignores SIGTERM for long when the broker is unreachable.
    stop_grace = 30.0
    ready_what = 'consuming its RPC queue'

    def start(self, cloud):
        cloud.start_process(self.name, [
            str(cloud.bin / 'heat-engine'), '--config-file',
            str(cloud.lay.etc / 'heat' / 'heat.conf')])

    def ready(self, cloud):
        import kombu  # only the launcher needs it; heat brings it
        with kombu.Connection(rabbitmq.amqp_url(cloud),
                              connect_timeout=1) as conn:
            channel = conn.channel()
            try:
                _, _, consumers = channel.queue_declare('engine',
                                                        passive=True)
            finally:
                channel.close()
        return consumers > 0
