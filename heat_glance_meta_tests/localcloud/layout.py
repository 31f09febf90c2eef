"""Where the local cloud keeps things: one directory, everything below it.

``D/etc`` rendered configs, ``D/data`` databases and keys, ``D/logs`` one log
per service (kept after a failure), ``D/run`` pid files, ``D/images`` what
the image server serves, ``D/tempest`` the Tempest workspace and
``D/results`` what a test run produced.
"""

import dataclasses
import pathlib

HOST = '127.0.0.1'

# One port per listener the cloud opens; all bound to HOST only.
PORTS = {
    'postgres': 5432,
    'epmd': 4369,
    'rabbitmq': 5672,
    'rabbitmq-dist': 25672,
    'keystone': 5000,
    'glance': 9292,
    'heat-api': 8004,
    'images': 8099,
}

DEFAULT_DIR = '.localcloud'


@dataclasses.dataclass(frozen=True)
class Layout:
    root: pathlib.Path

    @classmethod
    def at(cls, directory):
        return cls(pathlib.Path(directory).resolve())

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
    def state_file(self):
        """Written when ``up`` finished; its presence means "a cloud runs"."""
        return self.run / 'cloud.json'

    def pidfile(self, service):
        return self.run / ('%s.pid' % service)

    def log(self, service):
        return self.logs / ('%s.log' % service)


def url(service, path=''):
    return 'http://%s:%d%s' % (HOST, PORTS[service], path)
