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
"""One cloud directory and the services running from it.

``up`` goes from an empty directory to a cloud that answered a real
authenticated round trip; ``down`` stops what the pid files name, in
reverse order; ``restart`` swaps one service; ``status`` reports each. The
services themselves are in services/, one module each. Work that does not
depend on each other runs at the same time: PostgreSQL, RabbitMQ and the
image server start together; the three databases are migrated in
parallel, or the whole migrated cluster is copied from the cache
(snapshot.py) before PostgreSQL starts, and every service starts at once.
"""

import concurrent.futures
import json
import pathlib
import shutil
import sys
import time

from heat_glance_meta_tests.localcloud import benchmark
from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests.localcloud import history
from heat_glance_meta_tests.localcloud import identity
from heat_glance_meta_tests.localcloud import layout
from heat_glance_meta_tests.localcloud import procs
from heat_glance_meta_tests.localcloud import releases
from heat_glance_meta_tests.localcloud import render
from heat_glance_meta_tests.localcloud import services
from heat_glance_meta_tests.localcloud.services import keystone
from heat_glance_meta_tests.localcloud.services import postgres
from heat_glance_meta_tests.localcloud import snapshot as snapshot_mod
from heat_glance_meta_tests.localcloud import system
from heat_glance_meta_tests import waiters

START_TIMEOUT = 90.0
# An authenticated image list and a stack list through heat-engine: the
# cloud answers as a whole.
ROUND_TRIP = ('images', 'glance', 'heat-engine', 'heat-api')
# What ``up`` waits for, in order: Keystone and Glance are checked while the
# broker, the longest to start, still boots; then the broker and its users.
UP_READY = ('keystone',) + ROUND_TRIP[:2] + ('rabbitmq',) + ROUND_TRIP[2:]


class Cloud:
    """The cloud in one directory (``lay``): what services see of it."""

    bin = pathlib.Path(sys.executable).parent

    def __init__(self, lay):
        self.lay = lay
        self.values = None
        self.bins = None
        self.steps = {}
        self._t0 = time.monotonic()
        self.snapshot = None
        self.restoring = False

    # What services use -----------------------------------------------------

    def mark(self, step):
        """Record when a start step finished (seconds since ``up`` began)."""
        self.steps[step] = round(time.monotonic() - self._t0, 2)

    def start_process(self, name, argv, env=None, user=None):
        return procs.start(argv, self.lay.log(name), self.lay.pidfile(name),
                           env=self.lay.environ(**(env or {})), user=user)

    def run_tool(self, log_name, argv, user=None, env=None):
        """Run a one-shot setup command, its output appended to a log."""
        rc = procs.run_logged(argv, self.lay.log(log_name), user=user,
                              env=self.lay.environ(**(env or {})))
        if rc != 0:
            raise errors.CloudError(
                '`%s` failed (exit %d); last lines of %s:\n%s'
                % (' '.join(argv[:3]), rc, self.lay.log(log_name),
                   procs.tail(self.lay.log(log_name))))

    def demo_session(self):
        return identity.session_for(self.lay, self.values, 'demo')

    # Processes -------------------------------------------------------------

    def pid(self, name):
        return procs.read_pid(self.lay.pidfile(name))

    def alive(self, name):
        pid = self.pid(name)
        return bool(pid and procs.group_members(pid))

    def cpu_seconds(self):
        """{service: CPU seconds its running processes used so far}."""
        out = {}
        for name in services.NAMES:
            pid = self.pid(name)
            if pid:
                out[name] = round(procs.group_cpu_s(pid), 1)
        return out

    def running_services(self):
        return [name for name in services.NAMES if self.alive(name)]

    def wait_ready(self, service, timeout=START_TIMEOUT):
        """Poll ``service.ready`` while its process stays alive."""
        name = service.name

        def probe():
            try:
                return bool(service.ready(self)), None
            except Exception as e:  # any failure to answer means not yet
                return False, '%s: %s' % (type(e).__name__, e)

        def failed(observation):
            return None if self.alive(name) else 'process exited'
        try:
            waiters.wait_until(probe, lambda o: o[0],
                               '%s %s' % (name, service.ready_what),
                               timeout, failed=failed,
                               describe=lambda o: o[1] or 'not ready')
        except waiters.WaitFailed:
            raise errors.CloudError(
                '%s died during start; last lines of %s:\n%s'
                % (name, self.lay.log(name), procs.tail(self.lay.log(name))))
        except waiters.WaitTimeout as e:
            raise errors.CloudError('%s; see %s' % (e, self.lay.log(name)))
        self.mark('%s ready' % name)

    # Up ----------------------------------------------------------------

    def preflight(self):
        self.bins = system.binaries()
        running = self.running_services()
        if running:
            raise errors.CloudError(
                'a cloud is already running from %s (%s): use it, or run '
                '`heat-glance-meta-cloud down --dir %s` first'
                % (self.lay.root, ', '.join(running), self.lay.root))
        for listener, port in self.lay.ports.items():
            if procs.port_in_use(port):
                who = procs.listener_of(port) or 'another process'
                raise errors.CloudError(
                    'port %d (%s) on %s is already in use by %s: stop it, '
                    'or give this cloud other ports with `--port-base N` '
                    '(or %s=N; it uses N to N+%d)'
                    % (port, listener, layout.HOST, who,
                       layout.PORT_BASE_ENV, len(self.lay.ports) - 1))

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

    def _init_and_start(self, *names):
        for name in names:
            services.BY_NAME[name].init(self)
        for name in names:
            services.BY_NAME[name].start(self)

    def _migrate(self):
        """A new cluster: databases, migrations, accounts; then cache it.

        The cache is taken before heat-engine first starts, so that no
        engine's service record is in it.
        """
        postgres.create_databases(self)
        self.mark('databases created')
        with concurrent.futures.ThreadPoolExecutor(3) as pool:
            jobs = [pool.submit(self._init_and_start, name)
                    for name in ('keystone', 'glance', 'heat-api')]
            for job in jobs:
                job.result()
        self.mark('migrations done')
        self.wait_ready(services.BY_NAME['keystone'])
        keystone.populate(self)
        if self.snapshot is not None:
            problem = self.snapshot.save(
                self.bins['pg_basebackup'], layout.HOST,
                self.lay.ports['postgres'], self.lay.etc / 'secrets.json',
                self.lay.data / 'keystone')
            if problem:
                print(problem, file=sys.stderr, flush=True)
            else:
                self.mark('cluster cached')
        self._init_and_start('heat-engine')

    def up(self, heat_source=None, fresh_schema=False,
           engine='convergence', release=None, defects='defaults',
           fixed=(), engine_workers=render.ENGINE_WORKERS,
           slow_image_s=render.SLOW_IMAGE_S):
        """Start the cloud from nothing; its state (also in D/state).

        ``release``: a releases.Release (None: the current one), whose
        services run from its own environment; ``defects``: how
        tempest.conf sets the known-defect options (releases.DEFECT_MODES);
        ``fixed``: defect ids declared fixed there whatever it says;
        ``engine_workers``: heat-engine's workers; ``slow_image_s``: the
        seconds slow_image_url takes (render.variables).
        """
        release = release or releases.current()
        self.preflight()
        self.bin, installed_s = releases.services_bin(release)
        started = self._t0 = time.monotonic()
        machine_at_start = procs.machine_cpu()
        self._fresh_directories()
        self.lay.record_ports()
        self.snapshot = (None if fresh_schema else
                         snapshot_mod.Snapshot(
                             self.bins['postgres'], self.lay.ports,
                             extra=None if release.current else str(self.bin)))
        self.restoring = bool(self.snapshot and self.snapshot.complete)
        if self.restoring:
            self.snapshot.restore_files(self.lay.etc / 'secrets.json',
                                        self.lay.data / 'keystone')
        self.values = render.render_all(
            self.lay, engine, prefix=self.bin.parent,
            glance_workers=release.glance_workers,
            engine_workers=engine_workers, slow_image_s=slow_image_s)
        by_name = services.BY_NAME
        try:
            # The cluster's copy before RabbitMQ's boot, which would slow it
            # threefold; then the broker, the longest single chain of work.
            by_name['postgres'].init(self)
            self._init_and_start('epmd')
            self.wait_ready(by_name['epmd'])
            self._init_and_start('rabbitmq')
            by_name['postgres'].start(self)
            self._init_and_start('images')
            self.wait_ready(by_name['postgres'])
            if self.restoring:
                self._init_and_start('keystone', 'glance', 'heat-api',
                                     'heat-engine')
            else:
                self._migrate()
            for name in UP_READY:
                self.wait_ready(by_name[name])
            self.mark('round trip')
        except BaseException:
            # Leave nothing running behind a failed start; logs stay.
            self.down(quiet=True)
            raise
        state = {'cold_start_s': round(time.monotonic() - started, 2),
                 # How busy the machine's cores were meanwhile: a start
                 # close to its cpu_floor_s is bound by CPU.
                 'start_machine': benchmark.machine_use(
                     machine_at_start, procs.machine_cpu()),
                 'started_at': time.time(),
                 'heat_source': heat_source,
                 'engine': engine,
                 'engine_workers': engine_workers,
                 'slow_image_s': slow_image_s,
                 'release': release.name,
                 'services_bin': str(self.bin),
                 'release_installed_s': installed_s,
                 'defects': defects,
                 'fixed': list(fixed),
                 'ports': self.lay.ports,
                 'schema': ('restored from %s' % self.snapshot.path
                            if self.restoring else 'migrated'),
                 'steps': self.steps}
        self.lay.state_file.write_text(json.dumps(state))
        return state

    # The running cloud -------------------------------------------------

    def state(self):
        try:
            return json.loads(self.lay.state_file.read_text())
        except (OSError, ValueError):
            return None

    def require_running(self, may_be_down=()):
        """Load the running cloud's values, or say how to start one.

        ``may_be_down``: services that need not be running (the one a
        restart brings back, e.g. a heat-engine that died on a broken edit).
        """
        if self.state() is None or not self.running_services():
            raise errors.CloudError(
                'no cloud is running from %s: start one with '
                '`heat-glance-meta-cloud up --dir %s`'
                % (self.lay.root, self.lay.root))
        self.values = render.secrets_for(self.lay)
        self.bin = pathlib.Path(self.state().get('services_bin') or self.bin)
        down = [n for n in services.NAMES
                if not self.alive(n) and n not in may_be_down]
        if down:
            raise errors.CloudError(
                'the cloud in %s is damaged: %s not running (logs in %s); '
                'run `heat-glance-meta-cloud down` then `up`'
                % (self.lay.root, ', '.join(down), self.lay.logs))

    def restart(self, name):
        if name not in services.RESTARTABLE:
            raise errors.CloudError('cannot restart %s alone: choose one of '
                                    '%s' % (name,
                                            ', '.join(services.RESTARTABLE)))
        self.require_running(may_be_down=(name,))
        service = services.BY_NAME[name]
        self.stop_service(service)
        started = time.monotonic()
        self.bins = system.binaries()
        service.start(self)
        self.wait_ready(service)
        for other in ROUND_TRIP:
            self.wait_ready(services.BY_NAME[other])
        return time.monotonic() - started

    def status(self):
        return [{'service': s.name,
                 'state': 'up' if self.alive(s.name) else 'down',
                 'pid': self.pid(s.name),
                 'ports': [self.lay.ports[p] for p in s.ports],
                 'log': str(self.lay.log(s.name))}
                for s in services.ORDER]

    # Down --------------------------------------------------------------

    def stop_service(self, service):
        pid = self.pid(service.name)
        stopped = False
        if pid:
            stopped = procs.stop_group(pid, service.name,
                                       grace=service.stop_grace,
                                       sig=service.stop_signal)
        self.lay.pidfile(service.name).unlink(missing_ok=True)
        return stopped

    def down(self, quiet=False):
        """Stop every recorded service; return the names that were running."""
        recorded = [s for s in services.ORDER
                    if self.lay.pidfile(s.name).exists()]
        if not recorded and not quiet:
            raise errors.CloudError('no cloud is running from %s: nothing to '
                                    'stop' % self.lay.root)
        stopped = []
        for wave in services.STOP_WAVES:
            with concurrent.futures.ThreadPoolExecutor(len(wave)) as pool:
                were_running = list(pool.map(self.stop_service, wave))
            stopped += [s.name for s, ran in zip(wave, were_running) if ran]
        self.lay.state_file.unlink(missing_ok=True)
        ports = self.lay.ports
        leftovers = ['%d (%s)' % (ports[p], procs.listener_of(ports[p]))
                     for s in services.ORDER for p in s.ports
                     if procs.listener_of(ports[p])]
        if leftovers and not quiet:
            raise errors.CloudError('stopped %s, but ports are still '
                                    'listening: %s' % (', '.join(stopped),
                                                       ', '.join(leftovers)))
        return stopped
