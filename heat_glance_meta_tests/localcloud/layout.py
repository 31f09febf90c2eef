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
"""Where the local cloud keeps things: one directory, everything below it.

``D/etc`` rendered configs, ``D/data`` databases and keys, ``D/logs`` one log
per service, ``D/run`` pid files, ``D/images`` what the image server serves,
``D/tempest`` the Tempest workspace, ``D/results`` what a test run produced,
``D/history`` the logs and results of the last few clouds and ``D/tmp`` the
temporary files and locks of everything the cloud runs (Tempest's among
them: its default, /tmp/tempest-lock, is shared by every user).

The ports of a cloud are chosen by ``up`` (the default set, or a block from
``--port-base``) and recorded in ``D/ports.json``; every later command on
the same directory reads them from there, so clouds in two directories can
run side by side.
"""

import dataclasses
import json
import os
import pathlib

HOST = '127.0.0.1'

# One port per listener the cloud opens, all bound to HOST only; the order
# is the order of a ``--port-base`` block (base, base + 1, ...).
# Heat's two engines: convergence (the default) and the legacy one
# (convergence_engine = false), chosen at ``up``.
ENGINES = ('convergence', 'legacy')

DEFAULT_PORTS = {
    'postgres': 5432,
    'epmd': 4369,
    'rabbitmq': 5672,
    'rabbitmq-dist': 25672,
    'keystone': 5000,
    'glance': 9292,
    'heat-api': 8004,
    'images': 8099,
}
PORT_BASE_RANGE = (1024, 65535 - len(DEFAULT_PORTS))
PORT_BASE_ENV = 'HGMT_PORT_BASE'

DEFAULT_DIR = '.localcloud'


def ports_from_base(base):
    """The cloud's ports as one block from ``base``; None: the default set."""
    if base is None:
        return dict(DEFAULT_PORTS)
    low, high = PORT_BASE_RANGE
    if not low <= base <= high:
        raise ValueError('port base %d is outside %d-%d' % (base, low, high))
    return {name: base + i for i, name in enumerate(DEFAULT_PORTS)}


@dataclasses.dataclass(frozen=True)
class Layout:
    root: pathlib.Path
    ports: dict = dataclasses.field(
        default_factory=lambda: dict(DEFAULT_PORTS), compare=False)

    @classmethod
    def at(cls, directory, ports=None):
        """The layout of ``directory``, with its recorded ports by default."""
        root = pathlib.Path(directory).resolve()
        if ports is None:
            try:
                ports = json.loads((root / 'ports.json').read_text())
            except (OSError, ValueError):
                ports = dict(DEFAULT_PORTS)
        return cls(root, dict(ports))

    def record_ports(self):
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / 'ports.json').write_text(json.dumps(self.ports,
                                                         indent=1))

    def url(self, service, path=''):
        return 'http://%s:%d%s' % (HOST, self.ports[service], path)

    @property
    def keystone_url(self):
        return self.url('keystone', '/v3')

    @property
    def etc(self):
        return self.root / 'etc'

    @property
    def data(self):
        return self.root / 'data'

    @property
    def logs(self):
        return self.root / 'logs'

    @property
    def run(self):
        return self.root / 'run'

    @property
    def images(self):
        return self.root / 'images'

    @property
    def tempest(self):
        return self.root / 'tempest'

    @property
    def results(self):
        return self.root / 'results'

    @property
    def history(self):
        return self.root / 'history'

    @property
    def tmp(self):
        return self.root / 'tmp'

    def environ(self, **extra):
        """The environment for the cloud's processes: TMPDIR in the cloud."""
        self.tmp.mkdir(parents=True, exist_ok=True)
        return dict(os.environ, TMPDIR=str(self.tmp), **extra)

    @property
    def state_file(self):
        """Written when ``up`` finished; its presence means "a cloud runs"."""
        return self.run / 'cloud.json'

    def pidfile(self, service):
        return self.run / ('%s.pid' % service)

    def log(self, service):
        return self.logs / ('%s.log' % service)
