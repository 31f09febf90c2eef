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
"""A cache of migrated, bootstrapped databases, to skip migrations on ``up``.

Migrating Keystone, Glance and Heat is most of a cold start. The first
``up`` with a given set of service releases dumps the three databases right
after their migrations (Keystone's after its accounts and catalog are made)
together with Keystone's key repositories and the cloud's secrets; later
``up`` runs restore them instead. The cache lives in
``$XDG_CACHE_HOME/heat-glance-meta-tests`` (``~/.cache`` by default), keyed
by the installed versions, the config templates and the cloud's ports (the
catalog in Keystone's dump names them), so an upgrade, a template change or
another ``--port-base`` makes a new one. ``up --fresh-schema`` ignores it.
"""

import hashlib
import importlib.metadata
import json
import os
import pathlib
import shutil
import subprocess

from heat_glance_meta_tests import resources

DATABASES = ('keystone', 'glance', 'heat')
KEY_DIRS = ('fernet-keys', 'credential-keys')
PACKAGES = ('keystone', 'glance', 'openstack-heat', 'SQLAlchemy', 'alembic')


def cache_root():
    base = os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache')
    return pathlib.Path(base) / 'heat-glance-meta-tests'


def key(postgres_bin, ports, extra=None):
    """What the cached schema depends on, hashed.

    ``extra``: the environment of another release's services, whose
    versions this interpreter cannot read.
    """
    digest = hashlib.sha256(json.dumps(ports, sort_keys=True).encode())
    if extra:
        digest.update(extra.encode())
    for package in PACKAGES:
        try:
            version = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            version = 'none'
        digest.update(('%s=%s\n' % (package, version)).encode())
    digest.update(postgres_bin.encode())
    templates = resources.localcloud_templates()
    for name in sorted(os.listdir(templates)):
        digest.update(name.encode() + (templates / name).read_bytes())
    return digest.hexdigest()[:16]


class Snapshot:
    """One cache entry: a directory that is complete once ``done`` exists."""

    def __init__(self, postgres_bin, ports, extra=None):
        self.path = cache_root() / ('schema-' + key(postgres_bin, ports,
                                                    extra))

    @property
    def complete(self):
        return (self.path / 'done').exists()

    def secrets_file(self):
        return self.path / 'secrets.json'

    def dump(self, pg_dump, database, host, port):
        self.path.mkdir(parents=True, exist_ok=True)
        os.chmod(self.path, 0o700)
        subprocess.run([pg_dump, '-h', host, '-p', str(port), '-U',
                        'postgres', '-Fc', '-f',
                        str(self.path / ('%s.dump' % database)), database],
                       check=True, capture_output=True)

    def save_files(self, secrets_path, keystone_data):
        self.path.mkdir(parents=True, exist_ok=True)
        shutil.copy2(secrets_path, self.secrets_file())
        for key_dir in KEY_DIRS:
            target = self.path / key_dir
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(keystone_data / key_dir, target)

    def seal(self):
        """Mark complete; only then will ``up`` restore from it."""
        if all((self.path / ('%s.dump' % db)).exists() for db in DATABASES):
            (self.path / 'done').write_text('ok\n')

    def restore_files(self, secrets_path, keystone_data):
        secrets_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(self.secrets_file(), secrets_path)
        for key_dir in KEY_DIRS:
            shutil.copytree(self.path / key_dir, keystone_data / key_dir)
            os.chmod(keystone_data / key_dir, 0o700)

    def restore_command(self, pg_restore, database, host, port):
        return [pg_restore, '-h', host, '-p', str(port), '-U', 'postgres',
                '--no-owner', '--role', database, '-d', database,
                str(self.path / ('%s.dump' % database))]
