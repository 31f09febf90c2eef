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
"""PostgreSQL: one server, on loopback, for Keystone, Glance and Heat."""

import shutil
import signal
import subprocess

from heat_glance_meta_tests.localcloud import layout
from heat_glance_meta_tests.localcloud.services import base
from heat_glance_meta_tests.localcloud import system

DATABASES = ('keystone', 'glance', 'heat')


class Postgres(base.Service):
    name = 'postgres'
    ports = ('postgres',)
    restartable = True
    # Fast shutdown: SIGTERM waits for every client to disconnect, and a
    # SIGKILL after it leaves a lock file the next start trips over.
    stop_signal = signal.SIGINT
    ready_what = 'accepting connections'

    def init(self, cloud):
        pgdata = cloud.lay.data / 'pg'
        if cloud.restoring:
            cloud.snapshot.restore_cluster(pgdata,
                                           owner=system.postgres_account())
            cloud.mark('cluster restored')
            return
        pgdata.mkdir(mode=0o700)
        # PostgreSQL refuses to run as root: under root it runs as the
        # Debian package's account, otherwise as whoever started the cloud.
        account = system.postgres_account()
        if account:
            shutil.chown(pgdata, account, account)
        cloud.lay.log(self.name).touch()
        cloud.run_tool(self.name, [
            cloud.bins['initdb'], '-D', str(pgdata), '--auth=trust',
            '-U', 'postgres', '--no-sync', '-E', 'UTF8',
            # 1 MiB WAL segments, not 16: the cached copy of the cluster
            # (snapshot.py) carries one.
            '--wal-segsize=1'], user=account)

    def start(self, cloud):
        cloud.start_process(self.name, [
            cloud.bins['postgres'], '-D', str(cloud.lay.data / 'pg'),
            '-c', 'listen_addresses=%s' % layout.HOST,
            '-c', 'port=%d' % cloud.lay.ports['postgres'],
            '-c', 'unix_socket_directories=',
            # A throwaway cloud: durability buys nothing, speed does.
            '-c', 'fsync=off', '-c', 'synchronous_commit=off',
            '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
            user=system.postgres_account())

    def ready(self, cloud):
        psql(cloud, 'SELECT 1')
        return True


def psql(cloud, sql, database='postgres'):
    """Run ``sql`` in ``database``; the rows it returns, as string tuples.

    For values without tabs or newlines (ids, names, timestamps).
    """
    done = subprocess.run(
        [cloud.bins['psql'], '-h', layout.HOST,
         '-p', str(cloud.lay.ports['postgres']), '-U', 'postgres',
         '-d', database, '-q', '-A', '-t', '-F', '\t',
         '-v', 'ON_ERROR_STOP=1', '-c', sql],
        check=True, capture_output=True, text=True)
    return [tuple(line.split('\t')) for line in done.stdout.splitlines()
            if line]


def create_databases(cloud):
    """A database and an owner role for each service."""
    for db in DATABASES:
        psql(cloud, "CREATE ROLE %s LOGIN PASSWORD '%s'"
             % (db, cloud.values['db_password']))
        psql(cloud, 'CREATE DATABASE %s OWNER %s' % (db, db))
