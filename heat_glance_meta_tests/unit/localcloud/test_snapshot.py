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
"""The cluster cache: its key, what a restore copies, what pruning keeps."""

import os
import pathlib
import stat
from unittest import mock

import fixtures
import testtools

from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests.localcloud import identity
from heat_glance_meta_tests.localcloud import snapshot

PORTS = {'postgres': 5432, 'keystone': 5000}


class SnapshotTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.cache = pathlib.Path(self.useFixture(fixtures.TempDir()).path)
        self.useFixture(fixtures.EnvironmentVariable('XDG_CACHE_HOME',
                                                     str(self.cache)))
        self.cloud = pathlib.Path(self.useFixture(fixtures.TempDir()).path)

    def entry(self):
        """A complete entry, as ``save`` leaves it, without PostgreSQL."""
        snap = snapshot.Snapshot('/usr/lib/postgresql/15/bin/postgres', PORTS)
        (snap.cluster / 'base').mkdir(parents=True)
        (snap.cluster / 'base' / '1').write_text('rows')
        (snap.cluster / 'PG_VERSION').write_text('15\n')
        snap.secrets_file().write_text('{"db_password": "x"}')
        for key_dir in snapshot.KEY_DIRS:
            (snap.path / key_dir).mkdir()
            (snap.path / key_dir / '0').write_text('key')
        (snap.path / 'done').write_text('ok\n')
        return snap

    def test_key_follows_ports_release_and_format(self):
        pg = '/usr/lib/postgresql/15/bin/postgres'
        base = snapshot.key(pg, PORTS)
        self.assertEqual(base, snapshot.key(pg, dict(PORTS)))
        self.assertNotEqual(base, snapshot.key(pg, dict(PORTS,
                                                        postgres=5433)))
        self.assertNotEqual(base, snapshot.key(pg, PORTS, extra='/r/bin'))
        with mock.patch.object(snapshot, 'FORMAT', 'dumps-0'):
            self.assertNotEqual(base, snapshot.key(pg, PORTS))
        # Tempest's accounts are in the cluster: other accounts, other key.
        with mock.patch.object(identity, 'MEMBERS_PER_WORKER',
                               identity.MEMBERS_PER_WORKER + 1):
            self.assertNotEqual(base, snapshot.key(pg, PORTS))

    def test_incomplete_entry_is_not_restored(self):
        snap = self.entry()
        self.assertTrue(snap.complete)
        (snap.path / 'done').unlink()
        self.assertFalse(snap.complete)

    def test_restore_copies_the_cluster_private(self):
        snap = self.entry()
        pgdata = self.cloud / 'data' / 'pg'
        pgdata.parent.mkdir()
        snap.restore_cluster(pgdata)
        self.assertEqual('rows', (pgdata / 'base' / '1').read_text())
        self.assertEqual(0o700, stat.S_IMODE(os.stat(pgdata).st_mode))
        # A copy: the running cluster writes there, never into the cache.
        (pgdata / 'base' / '1').write_text('changed')
        self.assertEqual('rows', (snap.cluster / 'base' / '1').read_text())

    def test_restore_files_brings_secrets_and_private_keys(self):
        snap = self.entry()
        secrets = self.cloud / 'etc' / 'secrets.json'
        snap.restore_files(secrets, self.cloud / 'keystone')
        self.assertEqual('{"db_password": "x"}', secrets.read_text())
        for key_dir in snapshot.KEY_DIRS:
            path = self.cloud / 'keystone' / key_dir
            self.assertEqual('key', (path / '0').read_text())
            self.assertEqual(0o700, stat.S_IMODE(os.stat(path).st_mode))

    def test_prune_keeps_the_most_recently_used(self):
        for age, name in enumerate(['schema-new', 'schema-mid', 'schema-old',
                                    'schema-oldest']):
            path = self.cache / 'heat-glance-meta-tests' / name
            path.mkdir(parents=True)
            os.utime(path, (1000 - age, 1000 - age))
        other = self.cache / 'heat-glance-meta-tests' / 'releases'
        other.mkdir()
        os.utime(other, (1, 1))
        removed = snapshot.prune(keep=2)
        self.assertEqual(['schema-old', 'schema-oldest'],
                         [p.name for p in removed])
        self.assertEqual(
            ['releases', 'schema-mid', 'schema-new'],
            sorted(os.listdir(self.cache / 'heat-glance-meta-tests')))

    def test_a_restore_counts_as_use(self):
        snap = self.entry()
        os.utime(snap.path, (1, 1))
        newer = snapshot.cache_root() / 'schema-newer'
        newer.mkdir()
        os.utime(newer, (100, 100))  # newer, but used before the restore
        snap.restore_files(self.cloud / 'secrets.json', self.cloud / 'ks')
        removed = snapshot.prune(keep=1)
        self.assertEqual([newer], removed)

    def test_a_cache_that_cannot_be_written_is_one_line_and_no_entry(self):
        snap = snapshot.Snapshot('/usr/lib/postgresql/15/bin/postgres', PORTS)
        problem = snap.save('/nonexistent/pg_basebackup', '127.0.0.1', 5432,
                            self.cloud / 'secrets.json', self.cloud / 'ks')
        self.assertIn('could not cache the migrated cluster in %s'
                      % snap.path, problem)
        self.assertIn('the next start migrates again', problem)
        self.assertNotIn('\n', problem)
        self.assertFalse(snap.path.exists())

    def test_a_failed_tool_names_itself_and_its_last_line(self):
        snap = snapshot.Snapshot('/usr/lib/postgresql/15/bin/postgres', PORTS)
        failing = self.cloud / 'pg_basebackup'
        failing.write_text('#!/bin/sh\necho "connection refused" >&2\n'
                           'exit 1\n')
        failing.chmod(0o755)
        problem = snap.save(str(failing), '127.0.0.1', 5432,
                            self.cloud / 'secrets.json', self.cloud / 'ks')
        self.assertIn('exit 1: connection refused', problem)
        self.assertFalse(snap.path.exists())

    def test_a_cluster_that_cannot_be_copied_says_what_to_do(self):
        snap = self.entry()
        e = self.assertRaises(errors.CloudError, snap.restore_cluster,
                              self.cloud / 'missing' / 'pg')
        self.assertIn('cannot copy the cached cluster from %s' % snap.path,
                      str(e))
        self.assertIn('up --fresh-schema', str(e))
