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
"""A cache of the migrated, bootstrapped cluster, to skip migrations on ``up``.

Migrating Keystone, Glance and Heat is most of a cold start. The first
``up`` with a given set of service releases copies the whole PostgreSQL
cluster (``pg_basebackup``) once the three databases are migrated and
Keystone's accounts and catalog are made, before heat-engine first writes
to its database, together with Keystone's key repositories and the cloud's
secrets; later ``up`` runs copy those files back and start PostgreSQL on
them, so no ``initdb``, role, database or restore step is left on the way.
The cache lives in ``$XDG_CACHE_HOME/heat-glance-meta-tests`` (``~/.cache``
by default), keyed by the installed versions, the config templates and the
cloud's ports (the catalog names them), so an upgrade, a template change or
another ``--port-base`` makes a new one; only the newest ``KEEP`` entries
stay. ``up --fresh-schema`` ignores it.
"""

import hashlib
import importlib.metadata
import json
import os
import pathlib
import shutil
import subprocess

from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests.localcloud import identity
from heat_glance_meta_tests import resources

KEY_DIRS = ('fernet-keys', 'credential-keys')
PACKAGES = ('keystone', 'glance', 'openstack-heat', 'SQLAlchemy', 'alembic')
# What an entry holds; a new layout makes new keys, not unreadable entries.
FORMAT = 'cluster-3'  # 2: 1 MiB WAL segments; 3: Tempest's accounts
PREFIX = 'schema-'
# Both clouds of a run (the fault tests' has its own ports) for each of the
# six releases a matrix runs.
KEEP = 12


def cache_root():
    base = os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache')
    return pathlib.Path(base) / 'heat-glance-meta-tests'


def key(postgres_bin, ports, extra=None):
    """What the cached schema depends on, hashed.

    ``extra``: the environment of another release's services, whose
    versions this interpreter cannot read.
    """
    digest = hashlib.sha256(json.dumps(ports, sort_keys=True).encode())
    digest.update(FORMAT.encode())
    # The accounts the cluster holds: more workers' worth is a new entry.
    digest.update(json.dumps(identity.test_accounts()).encode())
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
        self.path = cache_root() / (PREFIX + key(postgres_bin, ports, extra))

    @property
    def complete(self):
        return (self.path / 'done').exists()

    @property
    def cluster(self):
        return self.path / 'pg'

    def secrets_file(self):
        return self.path / 'secrets.json'

    def save(self, pg_basebackup, host, port, secrets_path, keystone_data):
        """Copy the running cluster and the files that go with it; seal.

        A fresh copy (``-c fast``: no wait for a scheduled checkpoint) with
        the WAL it needs, so PostgreSQL starts on it without the original.
        The cache only saves time: if it cannot be written, None of it
        stays and the reason is returned (one line), else None.
        """
        try:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path.mkdir(parents=True)
            os.chmod(self.path, 0o700)
            _run([pg_basebackup, '-h', host, '-p', str(port), '-U',
                  'postgres', '-D', str(self.cluster), '-X', 'fetch', '-c',
                  'fast', '--no-manifest'])
            shutil.copy2(secrets_path, self.secrets_file())
            for key_dir in KEY_DIRS:
                shutil.copytree(keystone_data / key_dir, self.path / key_dir)
            (self.path / 'done').write_text('ok\n')
        except (OSError, RuntimeError) as e:
            shutil.rmtree(self.path, ignore_errors=True)
            return 'could not cache the migrated cluster in %s (%s): the ' \
                'next start migrates again' % (self.path, e)
        prune(keep=KEEP)
        return None

    def restore_files(self, secrets_path, keystone_data):
        """The cloud's secrets and Keystone's key repositories."""
        os.utime(self.path)  # used: the last to be pruned
        secrets_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(self.secrets_file(), secrets_path)
        for key_dir in KEY_DIRS:
            shutil.copytree(self.path / key_dir, keystone_data / key_dir)
            os.chmod(keystone_data / key_dir, 0o700)

    def restore_cluster(self, pgdata, owner=None):
        """The cluster into ``pgdata``, owned by ``owner`` if given.

        cp and chown, not shutil: a quarter of the time for its 2000 files.
        """
        try:
            _run(['cp', '-a', str(self.cluster), str(pgdata)])
            os.chmod(pgdata, 0o700)
            if owner:
                _run(['chown', '-R', '%s:%s' % (owner, owner), str(pgdata)])
        except (OSError, RuntimeError) as e:
            raise errors.CloudError(
                'cannot copy the cached cluster from %s (%s): free the space '
                'or remove that directory, or start with `up --fresh-schema`'
                % (self.path, e))


def _run(argv):
    """Run a tool; RuntimeError with its last line of output if it fails."""
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:]
        raise RuntimeError('`%s` exit %d: %s' % (
            ' '.join(argv[:2]), done.returncode, ' '.join(last)))


def prune(keep=KEEP, root=None):
    """Remove all but the ``keep`` most recently used cache entries."""
    root = root or cache_root()
    entries = sorted((p for p in root.glob(PREFIX + '*') if p.is_dir()),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        shutil.rmtree(old, ignore_errors=True)
    return entries[keep:]
