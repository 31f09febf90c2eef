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
"""The interface every service of the local cloud offers to the Cloud."""

import signal


class Service:
    """One process of the cloud; subclasses fill in what differs."""

    name = None
    # Listener names (keys of layout.DEFAULT_PORTS) the service opens.
    ports = ()
    # ``restart`` may stop and start it alone while the others run (the
    # fault tests do so to PostgreSQL and RabbitMQ too: their clients
    # must reconnect). epmd is never restarted: RabbitMQ needs it.
    restartable = False
    # The signal that stops it, and the seconds before SIGKILL follows.
    stop_signal = signal.SIGTERM
    stop_grace = 10.0
    # What ready() waits for, in the timeout message.
    ready_what = 'answering'

    def init(self, cloud):
        """One-time work before the first start (nothing by default)."""

    def start(self, cloud):
        raise NotImplementedError

    def ready(self, cloud):
        """Truthy once the service answers; may raise while it does not."""
        raise NotImplementedError


def uwsgi(cloud, name, ini):
    """Start a WSGI service under uWSGI, as devstack does."""
    cloud.start_process(name, [str(cloud.bin / 'uwsgi'), '--ini', str(ini)])
