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
"""The launcher's answers to bad situations: one line, non-zero exit."""

import io
import json
import os
import socket
import sys

import fixtures
import testtools

from heat_glance_meta_tests.localcloud import cli
from heat_glance_meta_tests.localcloud import cloud as cloud_mod
from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests.localcloud import layout
from heat_glance_meta_tests.localcloud import procs
from heat_glance_meta_tests.localcloud import services
from heat_glance_meta_tests.localcloud.services import base as service_base
from heat_glance_meta_tests.localcloud import system

REAL_BINARIES = system.binaries


class CliTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.dir = self.useFixture(fixtures.TempDir()).path
        self.stderr = io.StringIO()
        self.stdout = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', self.stderr))
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', self.stdout))
        # Pretend every system binary is there unless a test says not.
        self.useFixture(fixtures.MonkeyPatch(
            'heat_glance_meta_tests.localcloud.system.binaries',
            lambda: {}))

    def _main(self, *argv):
        return cli.main(list(argv) + ['--dir', self.dir])

    def _one_line(self):
        lines = self.stderr.getvalue().strip().splitlines()
        self.assertEqual(1, len(lines), self.stderr.getvalue())
        self.assertNotIn('Traceback', lines[0])
        return lines[0]

    def test_down_when_nothing_runs(self):
        self.assertEqual(1, self._main('down'))
        self.assertIn('no cloud is running', self._one_line())

    def test_test_when_nothing_runs(self):
        self.assertEqual(1, self._main('test'))
        self.assertIn('heat-glance-meta-cloud up', self._one_line())

    def test_restart_when_nothing_runs(self):
        self.assertEqual(1, self._main('restart', 'heat-engine'))
        self.assertIn('no cloud is running', self._one_line())

    def _cloud_with_dead(self, dead):
        cloud = cloud_mod.Cloud(layout.Layout.at(self.dir))
        for name, value in (('state', {'ports': {}}),
                            ('running_services', ['keystone'])):
            self.useFixture(fixtures.MockPatchObject(
                cloud, name, lambda value=value: value))
        self.useFixture(fixtures.MockPatchObject(
            cloud, 'alive', lambda name: name != dead))
        self.useFixture(fixtures.MockPatchObject(
            cloud_mod.render, 'secrets_for', lambda lay: {}))
        return cloud

    def test_a_dead_service_damages_the_cloud(self):
        cloud = self._cloud_with_dead('heat-engine')
        error = self.assertRaises(errors.CloudError, cloud.require_running)
        self.assertIn('damaged: heat-engine not running', str(error))

    def test_restart_may_bring_back_the_dead_service_it_names(self):
        # A heat-engine killed by a broken edit of Heat is restarted, not
        # refused as damage; any other dead service still is.
        cloud = self._cloud_with_dead('heat-engine')
        cloud.require_running(may_be_down=('heat-engine',))
        error = self.assertRaises(errors.CloudError, cloud.require_running,
                                  may_be_down=('glance',))
        self.assertIn('heat-engine not running', str(error))

    def test_up_on_a_running_cloud(self):
        lay = layout.Layout.at(self.dir)
        lay.run.mkdir(parents=True)
        pid = procs.start([sys.executable, '-c', 'import time; '
                           'time.sleep(60)'], lay.root / 'x.log',
                          lay.pidfile('keystone'))
        self.addCleanup(procs.stop_group, pid, 'fake keystone', 1.0)
        self.assertEqual(1, self._main('up'))
        line = self._one_line()
        self.assertIn('already running', line)
        self.assertIn('keystone', line)

    def test_missing_system_package_says_apt_command(self):
        self.useFixture(fixtures.MonkeyPatch(
            'heat_glance_meta_tests.localcloud.system.binaries',
            REAL_BINARIES))
        self.useFixture(fixtures.MonkeyPatch(
            'heat_glance_meta_tests.localcloud.system._paths',
            lambda: {'initdb': '', 'rabbitmq-server': '/nonexistent'}))
        self.assertEqual(1, self._main('up'))
        line = self._one_line()
        self.assertIn('initdb, rabbitmq-server not installed', line)
        self.assertIn('apt-get install -y postgresql rabbitmq-server', line)

    def test_service_died_during_start_names_it_and_its_log(self):
        lay = layout.Layout.at(self.dir)
        lay.logs.mkdir(parents=True)
        lay.run.mkdir(parents=True)
        cloud = cloud_mod.Cloud(lay)
        procs.start([sys.executable, '-c', 'print("bad config line 3")'],
                    lay.log('glance'), lay.pidfile('glance'))

        class NeverReady(service_base.Service):
            name = 'glance'

            def ready(self, cloud):
                return False
        e = self.assertRaises(errors.CloudError, cloud.wait_ready,
                              NeverReady(), timeout=10)
        self.assertIn('glance died during start', str(e))
        self.assertIn('bad config line 3', str(e))
        self.assertIn(str(lay.log('glance')), str(e))

    def test_test_on_a_damaged_cloud_names_the_dead_service(self):
        lay = layout.Layout.at(self.dir)
        lay.run.mkdir(parents=True)
        lay.state_file.write_text('{}')
        pid = procs.start([sys.executable, '-c', 'import time; '
                           'time.sleep(60)'], lay.root / 'x.log',
                          lay.pidfile('postgres'))
        self.addCleanup(procs.stop_group, pid, 'fake postgres', 1.0)
        lay.pidfile('heat-engine').write_text('999999\n')
        self.assertEqual(1, self._main('test'))
        line = self._one_line()
        self.assertIn('is damaged', line)
        self.assertIn('heat-engine', line)

    def test_status_json_lists_every_service_down(self):
        self.assertEqual(3, self._main('status', '--json'))
        rows = json.loads(self.stdout.getvalue())
        self.assertEqual(services.NAMES, [r['service'] for r in rows])
        self.assertEqual({'down'}, {r['state'] for r in rows})


class ArgumentsTest(testtools.TestCase):
    """What ``run`` and ``test`` hand to ``tempest run``, and what not."""

    def _parse(self, *argv):
        return cli.parse(list(argv))

    def test_tox_posargs_without_double_dash_go_to_tempest(self):
        # tox -e localcloud -- --regex X runs `run --regex X`.
        for command in ('run', 'test'):
            args = self._parse(command, '--regex', 'heat_tempest_plugin',
                               '--concurrency', '4')
            self.assertEqual(['--regex', 'heat_tempest_plugin',
                              '--concurrency', '4'], args.tempest_args)
            self.assertEqual(layout.DEFAULT_DIR, args.dir)

    def test_after_double_dash_everything_goes_to_tempest(self):
        for command in ('run', 'test'):
            args = self._parse(command, '--dir', 'd', '--', '--regex', 'x',
                               '--dir', 'not-ours')
            self.assertEqual('d', args.dir)
            self.assertEqual(['--regex', 'x', '--dir', 'not-ours'],
                             args.tempest_args)

    def test_launcher_options_mixed_with_tempest_options(self):
        args = self._parse('run', '--regex', 'x', '--port-base', '20000',
                           '--allow-foreign-leaks', '--serial',
                           '--tempest-config', 'discover')
        self.assertEqual(['--regex', 'x', '--serial'], args.tempest_args)
        self.assertEqual(20000, args.port_base)
        self.assertTrue(args.allow_foreign_leaks)
        self.assertEqual('discover', args.tempest_config)

    def test_engine_is_chosen_at_up_and_run(self):
        for command in ('up', 'run', 'soak'):
            self.assertEqual('convergence', self._parse(command).engine)
            self.assertEqual('legacy',
                             self._parse(command, '--engine', 'legacy').engine)
        stderr = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', stderr))
        self.assertRaises(SystemExit, self._parse, 'up', '--engine', 'old')
        self.assertIn("invalid choice: 'old'", stderr.getvalue())

    def test_soak_takes_runs_and_passes_the_rest_on(self):
        args = self._parse('soak', '--runs', '3', '--regex', 'lifecycle')
        self.assertEqual(3, args.runs)
        self.assertEqual(['--regex', 'lifecycle'], args.tempest_args)
        self.assertEqual(10, self._parse('soak').runs)
        stderr = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', stderr))
        self.assertRaises(SystemExit, self._parse, 'soak', '--runs', '0')

    def test_no_arguments_no_tempest_arguments(self):
        self.assertEqual([], self._parse('run').tempest_args)
        self.assertEqual([], self._parse('test', '--').tempest_args)

    def test_launcher_options_are_not_abbreviated(self):
        # --d must not be taken for --dir: it is tempest's business.
        args = self._parse('test', '--d', 'x')
        self.assertEqual(['--d', 'x'], args.tempest_args)

    def test_other_commands_refuse_unknown_arguments(self):
        stderr = self.useFixture(fixtures.MonkeyPatch('sys.stderr',
                                                      io.StringIO()))
        del stderr
        for argv in (['up', '--regex', 'x'], ['down', '--', 'x']):
            e = self.assertRaises(SystemExit, self._parse, *argv)
            self.assertEqual(2, e.code)

    def test_port_base_from_the_environment(self):
        self.useFixture(fixtures.EnvironmentVariable(layout.PORT_BASE_ENV,
                                                     '31000'))
        self.assertEqual(31000, self._parse('up').port_base)
        self.assertEqual(32000, self._parse('up', '--port-base',
                                            '32000').port_base)


class PortsTest(CliTest):

    def test_port_base_moves_every_listener(self):
        ports = layout.ports_from_base(20000)
        self.assertEqual(set(layout.DEFAULT_PORTS), set(ports))
        self.assertEqual(list(range(20000, 20000 + len(ports))),
                         sorted(ports.values()))

    def test_ports_are_recorded_and_read_back_per_directory(self):
        lay = layout.Layout.at(self.dir, ports=layout.ports_from_base(21000))
        lay.record_ports()
        self.assertEqual(21000, layout.Layout.at(self.dir).ports['postgres'])
        self.assertEqual('http://127.0.0.1:21004/v3',
                         layout.Layout.at(self.dir).keystone_url)
        other = self.useFixture(fixtures.TempDir()).path
        self.assertEqual(layout.DEFAULT_PORTS,
                         layout.Layout.at(other).ports)

    def test_port_base_out_of_range_is_one_line(self):
        self.assertEqual(1, self._main('up', '--port-base', '80'))
        line = self._one_line()
        self.assertIn('outside', line)
        self.assertIn('--port-base', line)

    def test_busy_port_names_the_option(self):
        s = socket.socket()
        self.addCleanup(s.close)
        s.bind(('127.0.0.1', 0))
        s.listen()
        busy = s.getsockname()[1]
        base = busy - 2
        if base < layout.PORT_BASE_RANGE[0]:
            self.skipTest('ephemeral port too low: %d' % busy)
        for port in layout.ports_from_base(base).values():
            if port != busy and procs.port_in_use(port):
                self.skipTest('port %d busy on this machine' % port)
        self.assertEqual(1, self._main('up', '--port-base', str(base)))
        line = self._one_line()
        self.assertIn('port %d (rabbitmq) on 127.0.0.1 is already in use by '
                      'pid %d' % (busy, os.getpid()), line)
        self.assertIn('--port-base N', line)
        self.assertIn(layout.PORT_BASE_ENV, line)


class AccountTest(testtools.TestCase):
    """Only the package install needs root; the cloud runs as its user."""

    def test_postgres_runs_as_the_caller_when_not_root(self):
        self.useFixture(fixtures.MonkeyPatch('os.geteuid', lambda: 1000))
        self.assertIsNone(system.postgres_account())

    def test_postgres_runs_as_its_package_account_under_root(self):
        self.useFixture(fixtures.MonkeyPatch('os.geteuid', lambda: 0))
        self.assertEqual('postgres', system.postgres_account())

    def test_setup_without_root_and_packages_says_the_command(self):
        self.useFixture(fixtures.MonkeyPatch('os.geteuid', lambda: 1000))
        self.useFixture(fixtures.MonkeyPatch(
            'heat_glance_meta_tests.localcloud.system.missing_binaries',
            lambda: ['initdb']))
        e = self.assertRaises(errors.CloudError, system.setup)
        self.assertIn('sudo sh -c "apt-get update && apt-get install -y '
                      'postgresql rabbitmq-server"', str(e))
        self.assertEqual(1, len(str(e).splitlines()))

    def test_setup_without_root_succeeds_when_packages_are_there(self):
        self.useFixture(fixtures.MonkeyPatch('os.geteuid', lambda: 1000))
        self.useFixture(fixtures.MonkeyPatch(
            'heat_glance_meta_tests.localcloud.system.missing_binaries',
            lambda: []))
        self.assertIn('present', system.setup())


class IsolationTest(testtools.TestCase):
    """The cloud keeps its passwords off command lines, its files inside."""

    def test_keystone_bootstrap_takes_the_password_from_the_environment(self):
        lay = layout.Layout.at(self.useFixture(fixtures.TempDir()).path)
        cloud = cloud_mod.Cloud(lay)
        cloud.values = {'admin_password': '-starts-like-an-option'}
        calls = []
        self.useFixture(fixtures.MonkeyPatch(
            'heat_glance_meta_tests.localcloud.cloud.Cloud.run_tool',
            lambda self, name, argv, user=None, env=None: calls.append(
                (argv, env))))
        services.BY_NAME['keystone'].init(cloud)
        for argv, env in calls:
            self.assertNotIn('-starts-like-an-option', ' '.join(argv))
        self.assertIn({'OS_BOOTSTRAP_PASSWORD': '-starts-like-an-option'},
                      [env for _, env in calls])

    def test_processes_of_the_cloud_keep_temporary_files_inside_it(self):
        # Tempest's lock directory defaults to /tmp/tempest-lock, shared by
        # every user of the machine: one user's run locked out the next.
        lay = layout.Layout.at(self.useFixture(fixtures.TempDir()).path)
        env = lay.environ(EXTRA='1')
        self.assertEqual(str(lay.root / 'tmp'), env['TMPDIR'])
        self.assertTrue(lay.tmp.is_dir())
        self.assertEqual('1', env['EXTRA'])


class ExtraTest(CliTest):

    def test_without_the_extra_says_how_to_install_it(self):
        self.useFixture(fixtures.MonkeyPatch(
            'heat_glance_meta_tests.localcloud.cli.MISSING',
            ImportError("No module named 'keystoneclient'")))
        self.assertEqual(1, self._main('up'))
        line = self._one_line()
        self.assertIn("No module named 'keystoneclient'", line)
        self.assertIn('pip install "heat-glance-meta-tests[localcloud]"',
                      line)
