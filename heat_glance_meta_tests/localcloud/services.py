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
"""The local cloud's services: how each starts, is known ready, and stops.

``up`` goes from an empty directory to a cloud that answered a real
authenticated round trip; ``down`` stops what the pid files name, in reverse
order; ``restart`` swaps one service. Work that does not depend on each other
runs at the same time: PostgreSQL, RabbitMQ and the image server start
together, and the three database migrations run in parallel.
"""

import concurrent.futures
import json
import pathlib
import shutil
import subprocess
import sys
import time

from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests.localcloud import history
from heat_glance_meta_tests.localcloud import identity
from heat_glance_meta_tests.localcloud import layout as layout_mod
from heat_glance_meta_tests.localcloud import procs
from heat_glance_meta_tests.localcloud import render
from heat_glance_meta_tests.localcloud import snapshot as snapshot_mod
from heat_glance_meta_tests.localcloud import system
from heat_glance_meta_tests import waiters

HOST = layout_mod.HOST
BIN = pathlib.Path(sys.executable).parent

# Start order; ``down`` stops in the reverse order.
ORDER = ['postgres', 'epmd', 'rabbitmq', 'images', 'keystone', 'glance',
         'heat-api', 'heat-engine']
# Which ports each service listens on, for status and the leftover check.
LISTENS = {
    'postgres': ['postgres'], 'epmd': ['epmd'],
    'rabbitmq': ['rabbitmq', 'rabbitmq-dist'], 'images': ['images'],
    'keystone': ['keystone'], 'glance': ['glance'],
    'heat-api': ['heat-api'], 'heat-engine': [],
}
START_TIMEOUT = 90.0
STOP_GRACE = {'heat-engine': 30.0}

IMAGES = {
    # name -> (size, byte): raw images Glance's format inspection accepts.
    'tiny.img': (64 * 1024, b'\0'),
    'tiny-b.img': (128 * 1024, b'\0'),
}

# --- starting -------------------------------------------------------------


class Cloud:
    """One cloud directory and the services running from it."""

    def __init__(self, lay):
        self.lay = lay
        self.values = None
        self.bins = None
        self.steps = {}
        self._t0 = time.monotonic()
        self.snapshot = None
        self.restoring = False

    def _mark(self, step):
        """Record when a start step finished (seconds since ``up`` began)."""
        self.steps[step] = round(time.monotonic() - self._t0, 2)

    # Small helpers -------------------------------------------------------

    def _start(self, name, argv, env=None, user=None):
        return procs.start(argv, self.lay.log(name), self.lay.pidfile(name),
                           env=self.lay.environ(**(env or {})), user=user)

    def pid(self, name):
        return procs.read_pid(self.lay.pidfile(name))

    def alive(self, name):
        pid = self.pid(name)
        return bool(pid and procs.group_members(pid))

    def _died(self, name):
        return errors.CloudError(
            '%s died during start; last lines of %s:\n%s'
            % (name, self.lay.log(name), procs.tail(self.lay.log(name))))

    def wait_ready(self, name, check, what, timeout=START_TIMEOUT):
        """Poll ``check()`` (truthy when ready) while ``name`` stays alive."""
        def probe():
            try:
                return bool(check()), None
            except Exception as e:  # any failure to answer means not yet
                return False, '%s: %s' % (type(e).__name__, e)

        def failed(observation):
            return None if self.alive(name) else 'process exited'
        try:
            waiters.wait_until(probe, lambda o: o[0], '%s %s' % (name, what),
                               timeout, failed=failed,
                               describe=lambda o: o[1] or 'not ready')
        except waiters.WaitFailed:
            raise self._died(name)
        except waiters.WaitTimeout as e:
            raise errors.CloudError('%s; see %s' % (e, self.lay.log(name)))

    def _run_tool(self, name, argv, user=None, env=None):
        """Run a one-shot setup command, its output appended to a log."""
        with open(self.lay.log(name), 'ab') as log:
            rc = subprocess.call(argv, stdin=subprocess.DEVNULL, stdout=log,
                                 stderr=subprocess.STDOUT, user=user,
                                 group=user,
                                 env=self.lay.environ(**(env or {})))
        if rc != 0:
            raise errors.CloudError(
                '`%s` failed (exit %d); last lines of %s:\n%s'
                % (' '.join(argv[:3]), rc, self.lay.log(name),
                   procs.tail(self.lay.log(name))))

    # Pre-flight ----------------------------------------------------------

    def running_services(self):
        return [name for name in ORDER if self.alive(name)]

    def preflight(self):
        self.bins = system.binaries()
        running = self.running_services()
        if running:
            raise errors.CloudError(
                'a cloud is already running from %s (%s): use it, or run '
                '`heat-glance-meta-cloud down --dir %s` first'
                % (self.lay.root, ', '.join(running), self.lay.root))
        for service, port in self.lay.ports.items():
            if procs.port_in_use(port):
                who = procs.listener_of(port) or 'another process'
                raise errors.CloudError(
                    'port %d (%s) on %s is already in use by %s: stop it, '
                    'or give this cloud other ports with `--port-base N` '
                    '(or %s=N; it uses N to N+%d)'
                    % (port, service, HOST, who, layout_mod.PORT_BASE_ENV,
                       len(self.lay.ports) - 1))

    def _fresh_directories(self):
        # The last clouds' logs and results go to D/history; everything else
        # starts from nothing.
        history.archive(self.lay)
        for sub in (self.lay.etc, self.lay.data, self.lay.logs, self.lay.run,
                    self.lay.images, self.lay.tempest, self.lay.tmp):
            shutil.rmtree(sub, ignore_errors=True)
        (self.lay.root / 'tempest-workspaces.yaml').unlink(missing_ok=True)
        for sub in (self.lay.etc, self.lay.data, self.lay.logs, self.lay.run,
                    self.lay.images, self.lay.results):
            sub.mkdir(parents=True, exist_ok=True)
        for name, (size, byte) in IMAGES.items():
            (self.lay.images / name).write_bytes(byte * size)

    # The services ----------------------------------------------------------

    def start_postgres(self):
        pgdata = self.lay.data / 'pg'
        pgdata.mkdir(mode=0o700)
        # PostgreSQL refuses to run as root: under root it runs as the
        # Debian package's account, otherwise as whoever started the cloud.
        account = system.postgres_account()
        if account:
            shutil.chown(pgdata, account, account)
        self.lay.log('postgres').touch()
        self._run_tool('postgres', [self.bins['initdb'], '-D', str(pgdata),
                                    '--auth=trust', '-U', 'postgres',
                                    '--no-sync', '-E', 'UTF8'],
                       user=account)
        self._start('postgres', [
            self.bins['postgres'], '-D', str(pgdata),
            '-c', 'listen_addresses=%s' % HOST,
            '-c', 'port=%d' % self.lay.ports['postgres'],
            '-c', 'unix_socket_directories=',
            # A throwaway cloud: durability buys nothing, speed does.
            '-c', 'fsync=off', '-c', 'synchronous_commit=off',
            '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
            user=account)

    def _psql(self, sql):
        subprocess.run([self.bins['psql'], '-h', HOST,
                        '-p', str(self.lay.ports['postgres']),
                        '-U', 'postgres', '-q', '-v', 'ON_ERROR_STOP=1',
                        '-c', sql],
                       check=True, capture_output=True)

    def create_databases(self):
        self.wait_ready('postgres', lambda: self._psql('SELECT 1') or True,
                        'accepting connections')
        for db in ('keystone', 'glance', 'heat'):
            self._psql("CREATE ROLE %s LOGIN PASSWORD '%s'"
                       % (db, self.values['db_password']))
            self._psql('CREATE DATABASE %s OWNER %s' % (db, db))

    def start_rabbitmq(self):
        ports = self.lay.ports
        self._start('epmd', [self.bins['epmd'], '-address', HOST,
                             '-port', str(ports['epmd'])])
        self.wait_ready('epmd', lambda: procs.port_accepts(ports['epmd']),
                        'listening')
        home = self.lay.data / 'rabbitmq'
        home.mkdir()
        plugins = self.lay.etc / 'rabbitmq' / 'enabled_plugins'
        plugins.write_text('[].\n')
        erl_args = '-kernel inet_dist_use_interface {%s}' % HOST.replace(
            '.', ',')
        self._start('rabbitmq', [self.bins['rabbitmq-server']], env={
            'HOME': str(home),
            'RABBITMQ_NODENAME': 'rabbit@localhost',
            'RABBITMQ_NODE_IP_ADDRESS': HOST,
            'RABBITMQ_NODE_PORT': str(ports['rabbitmq']),
            'RABBITMQ_DIST_PORT': str(ports['rabbitmq-dist']),
            'RABBITMQ_CONFIG_FILE': str(self.lay.etc / 'rabbitmq' /
                                        'rabbitmq.conf'),
            'RABBITMQ_ENABLED_PLUGINS_FILE': str(plugins),
            'RABBITMQ_MNESIA_BASE': str(home / 'mnesia'),
            'RABBITMQ_LOG_BASE': str(self.lay.logs),
            'RABBITMQ_LOGS': '-',
            # Not our pid file: rabbit writes the beam pid there.
            'RABBITMQ_PID_FILE': str(home / 'beam.pid'),
            'RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS': erl_args,
            'RABBITMQ_CTL_ERL_ARGS': erl_args,
            'ERL_EPMD_ADDRESS': HOST,
            'ERL_EPMD_PORT': str(ports['epmd']),
        })

    def start_images(self):
        self._start('images', [sys.executable, '-m', 'http.server',
                               str(self.lay.ports['images']), '--bind', HOST,
                               '--directory', str(self.lay.images)])

    def _uwsgi(self, name, ini):
        self._start(name, [str(BIN / 'uwsgi'), '--ini', str(ini)])

    def _restore(self, database):
        self._run_tool('%s-setup' % database, self.snapshot.restore_command(
            self.bins['pg_restore'], database, HOST,
            self.lay.ports['postgres']))
        self._mark('%s restored' % database)

    def _dump(self, database):
        if self.snapshot is not None:
            self.snapshot.dump(self.bins['pg_dump'], database, HOST,
                               self.lay.ports['postgres'])

    def _setup_keystone(self):
        if self.restoring:
            self._restore('keystone')
        else:
            self._migrate_keystone()
        self._uwsgi('keystone', self.lay.etc / 'keystone' / 'uwsgi.ini')

    def _migrate_keystone(self):
        conf = str(self.lay.etc / 'keystone' / 'keystone.conf')
        manage = [str(BIN / 'keystone-manage'), '--config-file', conf]
        for key_dir in ('fernet-keys', 'credential-keys'):
            path = self.lay.data / 'keystone' / key_dir
            path.mkdir(parents=True)
            path.chmod(0o700)
        owner = ['--keystone-user', system.current_account()[0],
                 '--keystone-group', system.current_account()[1]]
        self._run_tool('keystone-setup', manage + ['db_sync'])
        self._run_tool('keystone-setup', manage + ['fernet_setup'] + owner)
        self._run_tool('keystone-setup',
                       manage + ['credential_setup'] + owner)
        # The password goes by environment: not on a command line anyone
        # can read, and not parsed as an option when it starts with "-".
        self._run_tool('keystone-setup', manage + [
            'bootstrap',
            '--bootstrap-region-id', identity.REGION,
            '--bootstrap-admin-url', self.lay.keystone_url,
            '--bootstrap-internal-url', self.lay.keystone_url,
            '--bootstrap-public-url', self.lay.keystone_url],
            env={'OS_BOOTSTRAP_PASSWORD': self.values['admin_password']})
        self._mark('keystone migrated and bootstrapped')

    def _setup_glance(self):
        for sub in ('images', 'staging', 'tasks'):
            (self.lay.data / 'glance' / sub).mkdir(parents=True)
        if self.restoring:
            self._restore('glance')
        else:
            self._run_tool('glance-setup', [
                str(BIN / 'glance-manage'), '--config-dir',
                str(self.lay.etc / 'glance'), 'db_sync'])
            self._mark('glance migrated')
            self._dump('glance')
        self._uwsgi('glance', self.lay.etc / 'glance' / 'uwsgi.ini')

    def _heat_engine(self):
        self._start('heat-engine', [
            str(BIN / 'heat-engine'), '--config-file',
            str(self.lay.etc / 'heat' / 'heat.conf')])

    def _setup_heat(self):
        if self.restoring:
            self._restore('heat')
        else:
            self._run_tool('heat-setup', [
                str(BIN / 'heat-manage'), '--config-file',
                str(self.lay.etc / 'heat' / 'heat.conf'), 'db_sync'])
            self._mark('heat migrated')
            # Before heat-engine starts: its service record is not cached.
            self._dump('heat')
        self._uwsgi('heat-api', self.lay.etc / 'heat' / 'uwsgi.ini')
        self._heat_engine()

    # Readiness -------------------------------------------------------------

    def _engine_consuming(self):
        """True once heat-engine consumes its RPC queue on RabbitMQ."""
        import kombu  # only the launcher needs it; heat brings it
        url = 'amqp://guest:guest@%s:%d//' % (HOST,
                                              self.lay.ports['rabbitmq'])
        with kombu.Connection(url, connect_timeout=1) as conn:
            channel = conn.channel()
            try:
                _, _, consumers = channel.queue_declare('engine',
                                                        passive=True)
            finally:
                channel.close()
        return consumers > 0

    def wait_heat_engine(self):
        self.wait_ready('heat-engine', self._engine_consuming,
                        'consuming its RPC queue')

    def wait_round_trip(self):
        """An authenticated image list and stack list (heat-api -> engine)."""
        demo = identity.session_for(self.lay, self.values, 'demo')
        self.wait_ready('images',
                        lambda: procs.port_accepts(self.lay.ports['images']),
                        'listening')
        self.wait_ready('glance',
                        lambda: identity.image_list(demo) is not None,
                        'answering an image list')
        self.wait_ready('heat-api',
                        lambda: identity.stack_list(demo) is not None,
                        'answering a stack list through heat-engine')

    # The whole start -------------------------------------------------------

    def up(self, heat_source=None, fresh_schema=False):
        self.preflight()
        started = self._t0 = time.monotonic()
        self._fresh_directories()
        self.lay.record_ports()
        self.snapshot = (None if fresh_schema else
                         snapshot_mod.Snapshot(self.bins['postgres'],
                                               self.lay.ports))
        self.restoring = bool(self.snapshot and self.snapshot.complete)
        if self.restoring:
            self.snapshot.restore_files(self.lay.etc / 'secrets.json',
                                        self.lay.data / 'keystone')
        self.values = render.render_all(self.lay)
        try:
            self.start_postgres()
            self._mark('postgres started')
            self.start_rabbitmq()
            self.start_images()
            self._mark('rabbitmq and images started')
            self.create_databases()
            self._mark('databases created')
            with concurrent.futures.ThreadPoolExecutor(3) as pool:
                jobs = [pool.submit(self._setup_keystone),
                        pool.submit(self._setup_glance),
                        pool.submit(self._setup_heat)]
                for job in jobs:
                    job.result()
            self._mark('migrations done')
            self.wait_ready('keystone',
                            lambda: identity.keystone_answers(self.lay),
                            'answering on %s' % self.lay.keystone_url)
            self._mark('keystone answering')
            if not self.restoring:
                identity.populate(self.lay, self.values)
                self._mark('accounts and catalog')
                if self.snapshot is not None:
                    self._dump('keystone')
                    self.snapshot.save_files(self.lay.etc / 'secrets.json',
                                             self.lay.data / 'keystone')
                    self.snapshot.seal()
            self.wait_ready(
                'rabbitmq',
                lambda: procs.port_accepts(self.lay.ports['rabbitmq']),
                'listening')
            self._mark('rabbitmq listening')
            self.wait_heat_engine()
            self._mark('heat-engine consuming')
            self.wait_round_trip()
            self._mark('round trip')
        except BaseException:
            # Leave nothing running behind a failed start; logs stay.
            self.down(quiet=True)
            raise
        cold_start = time.monotonic() - started
        state = {'cold_start_s': round(cold_start, 2),
                 'started_at': time.time(),
                 'heat_source': heat_source,
                 'ports': self.lay.ports,
                 'schema': ('restored from %s' % self.snapshot.path
                            if self.restoring else 'migrated'),
                 'steps': self.steps}
        self.lay.state_file.write_text(json.dumps(state))
        return state

    def state(self):
        try:
            return json.loads(self.lay.state_file.read_text())
        except (OSError, ValueError):
            return None

    def require_running(self):
        """Load the running cloud's values, or say how to start one."""
        if self.state() is None or not self.running_services():
            raise errors.CloudError(
                'no cloud is running from %s: start one with '
                '`heat-glance-meta-cloud up --dir %s`'
                % (self.lay.root, self.lay.root))
        self.values = render.secrets_for(self.lay)
        down = [n for n in ORDER if not self.alive(n)]
        if down:
            raise errors.CloudError(
                'the cloud in %s is damaged: %s not running (logs in %s); '
                'run `heat-glance-meta-cloud down` then `up`'
                % (self.lay.root, ', '.join(down), self.lay.logs))

    # Stopping --------------------------------------------------------------

    def stop_service(self, name):
        pid = self.pid(name)
        stopped = False
        if pid:
            stopped = procs.stop_group(pid, name,
                                       grace=STOP_GRACE.get(name, 10.0))
        self.lay.pidfile(name).unlink(missing_ok=True)
        return stopped

    def down(self, quiet=False):
        """Stop every recorded service; return the names that were running."""
        pidfiles = [n for n in ORDER if self.lay.pidfile(n).exists()]
        if not pidfiles and not quiet:
            raise errors.CloudError('no cloud is running from %s: nothing to '
                                    'stop' % self.lay.root)
        stopped = [n for n in reversed(ORDER) if self.stop_service(n)]
        self.lay.state_file.unlink(missing_ok=True)
        ports = self.lay.ports
        leftovers = ['%d (%s)' % (ports[p], procs.listener_of(ports[p]))
                     for n in ORDER for p in LISTENS[n]
                     if procs.listener_of(ports[p])]
        if leftovers and not quiet:
            raise errors.CloudError('stopped %s, but ports are still '
                                    'listening: %s' % (', '.join(stopped),
                                                       ', '.join(leftovers)))
        return stopped

    def restart(self, name):
        self.require_running()
        if name not in ('heat-engine', 'heat-api', 'glance', 'keystone',
                        'images'):
            raise errors.CloudError('cannot restart %s alone: choose one of '
                                    'heat-engine, heat-api, glance, keystone,'
                                    ' images' % name)
        self.stop_service(name)
        started = time.monotonic()
        self.bins = system.binaries()
        if name == 'heat-engine':
            self._heat_engine()
            self.wait_heat_engine()
        elif name == 'images':
            self.start_images()
            self._mark('rabbitmq and images started')
        else:
            self._uwsgi(name, self.lay.etc / {
                'keystone': 'keystone', 'glance': 'glance',
                'heat-api': 'heat'}[name] / 'uwsgi.ini')
        self.wait_round_trip()
        return time.monotonic() - started

    def status(self):
        rows = []
        for name in ORDER:
            pid = self.pid(name)
            rows.append({
                'service': name,
                'state': 'up' if self.alive(name) else 'down',
                'pid': pid,
                'ports': [self.lay.ports[p] for p in LISTENS[name]],
                'log': str(self.lay.log(name)),
            })
        return rows
