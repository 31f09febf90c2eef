"""The launcher's answers to bad situations: one line, non-zero exit."""

import io
import json
import os
import socket
import sys

import fixtures
import testtools

from heat_glance_meta_tests.localcloud import cli
from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests.localcloud import layout
from heat_glance_meta_tests.localcloud import procs
from heat_glance_meta_tests.localcloud import services
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

    def test_up_with_a_busy_port_names_port_and_process(self):
        s = socket.socket()
        self.addCleanup(s.close)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(('127.0.0.1', layout.PORTS['images']))
        except OSError:
            self.skipTest('port %d busy on this machine'
                          % layout.PORTS['images'])
        s.listen()
        for name, port in layout.PORTS.items():
            if name != 'images' and procs.port_in_use(port):
                self.skipTest('port %d busy on this machine' % port)
        self.assertEqual(1, self._main('up'))
        line = self._one_line()
        self.assertIn('port %d (images)' % layout.PORTS['images'], line)
        self.assertIn('pid %d' % os.getpid(), line)

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
        cloud = services.Cloud(lay)
        procs.start([sys.executable, '-c', 'print("bad config line 3")'],
                    lay.log('glance'), lay.pidfile('glance'))
        e = self.assertRaises(errors.CloudError, cloud.wait_ready, 'glance',
                              lambda: False, 'answering', timeout=10)
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
        self.assertEqual(services.ORDER, [r['service'] for r in rows])
        self.assertEqual({'down'}, {r['state'] for r in rows})

    def test_tempest_args_after_double_dash(self):
        args = cli.parser().parse_args(['run', '--', '--regex', 'x'])
        self.assertEqual(['--', '--regex', 'x'], args.tempest_args)
