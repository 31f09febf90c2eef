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
"""RabbitMQ (and its epmd), on loopback: Heat's RPC between API and engine.

Both are started directly, not through Debian's wrapper (which switches
user), with every path inside the cloud directory.
"""

from heat_glance_meta_tests.localcloud import layout
from heat_glance_meta_tests.localcloud import procs
from heat_glance_meta_tests.localcloud.services import base


SCHEDULER_ARGS = '+sbwt none +sbwtdcpu none +sbwtdio none'


class Epmd(base.Service):
    """Erlang's port mapper, started by the cloud so it owns the pid."""

    name = 'epmd'
    ports = ('epmd',)
    ready_what = 'listening'

    def start(self, cloud):
        cloud.start_process(self.name, [
            cloud.bins['epmd'], '-address', layout.HOST,
            '-port', str(cloud.lay.ports['epmd'])])

    def ready(self, cloud):
        return procs.port_accepts(cloud.lay.ports['epmd'])


class RabbitMQ(base.Service):
    name = 'rabbitmq'
    ports = ('rabbitmq', 'rabbitmq-dist')
    restartable = True
    ready_what = 'listening'

    def init(self, cloud):
        (cloud.lay.data / 'rabbitmq').mkdir()
        (cloud.lay.etc / 'rabbitmq' / 'enabled_plugins').write_text('[].\n')

    def start(self, cloud):
        home = cloud.lay.data / 'rabbitmq'
        ports = cloud.lay.ports
        erl_args = '-kernel inet_dist_use_interface {%s}' % (
            layout.HOST.replace('.', ','))
        # Idle schedulers sleep instead of spinning (RabbitMQ's advice for
        # shared hosts): on 2 cores the spin is CPU the rest of the cloud
        # needs; measured, a boot costs 5.6 CPU-s instead of 6.6.
        server_args = erl_args + ' ' + SCHEDULER_ARGS
        cloud.start_process(self.name, [cloud.bins['rabbitmq-server']], env={
            'HOME': str(home),
            'RABBITMQ_NODENAME': 'rabbit@localhost',
            'RABBITMQ_NODE_IP_ADDRESS': layout.HOST,
            'RABBITMQ_NODE_PORT': str(ports['rabbitmq']),
            'RABBITMQ_DIST_PORT': str(ports['rabbitmq-dist']),
            'RABBITMQ_CONFIG_FILE': str(cloud.lay.etc / 'rabbitmq' /
                                        'rabbitmq.conf'),
            'RABBITMQ_ENABLED_PLUGINS_FILE': str(cloud.lay.etc / 'rabbitmq' /
                                                 'enabled_plugins'),
            'RABBITMQ_MNESIA_BASE': str(home / 'mnesia'),
            'RABBITMQ_LOG_BASE': str(cloud.lay.logs),
            'RABBITMQ_LOGS': '-',
            # Not our pid file: rabbit writes the beam pid there.
            'RABBITMQ_PID_FILE': str(home / 'beam.pid'),
            'RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS': server_args,
            'RABBITMQ_CTL_ERL_ARGS': erl_args,
            'ERL_EPMD_ADDRESS': layout.HOST,
            'ERL_EPMD_PORT': str(ports['epmd']),
        })

    def ready(self, cloud):
        return procs.port_accepts(cloud.lay.ports['rabbitmq'])


def amqp_url(cloud):
    return 'amqp://guest:guest@%s:%d//' % (
        layout.HOST, cloud.lay.ports['rabbitmq'])
