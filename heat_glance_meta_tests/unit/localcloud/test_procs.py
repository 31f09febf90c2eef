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
"""Process groups and ports, on real processes and sockets (no cloud)."""

import os
import pathlib
import socket
import sys
import time

import fixtures
import testtools

from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests.localcloud import procs
from heat_glance_meta_tests import waiters


class ProcsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path

    def _start_sleeper(self, ignore_term=False):
        code = ('import signal, time\n'
                + ('signal.signal(signal.SIGTERM, signal.SIG_IGN)\n'
                   if ignore_term else '')
                + 'print("ready", flush=True)\n'
                + 'while True: time.sleep(60)\n')
        pidfile = pathlib.Path(self.tmp) / 'sleeper.pid'
        log = os.path.join(self.tmp, 'sleeper.log')
        pid = procs.start([sys.executable, '-c', code], log, pidfile)
        self.addCleanup(procs.stop_group, pid, 'sleeper', 1.0)
        return pid, pidfile, log

    def test_start_records_pid_that_leads_its_own_group(self):
        pid, pidfile, _ = self._start_sleeper()
        self.assertEqual(pid, procs.read_pid(pidfile))
        self.assertEqual([pid], procs.group_members(pid))
        self.assertEqual(pid, os.getpgid(pid))

    def test_stop_group_terms_the_group(self):
        pid, _, _ = self._start_sleeper()
        self.assertTrue(procs.stop_group(pid, 'sleeper', grace=5.0))
        self.assertEqual([], procs.group_members(pid))
        self.assertFalse(procs.stop_group(pid, 'sleeper'))

    def test_stop_group_kills_what_ignores_term(self):
        pid, _, log = self._start_sleeper(ignore_term=True)
        # The handler must be installed before the TERM is sent.
        waiters.wait_until(lambda: open(log).read(), lambda t: 'ready' in t,
                           'sleeper ready', 10)
        self.assertTrue(procs.stop_group(pid, 'sleeper', grace=0.3))
        self.assertEqual([], procs.group_members(pid))

    def test_group_cpu_counts_members_and_the_children_they_reaped(self):
        # The leader burns CPU itself and in a child it waits for.
        code = ('import subprocess, sys, time\n'
                'burn = "t = time.process_time()\\n'
                'while time.process_time() - t < 0.4: pass"\n'
                'subprocess.run([sys.executable, "-c", "import time\\n"'
                ' + burn])\n'
                'exec(burn)\n'
                'print("ready", flush=True)\n'
                'time.sleep(60)\n')
        log = os.path.join(self.tmp, 'burner.log')
        pid = procs.start([sys.executable, '-c', code], log,
                          pathlib.Path(self.tmp) / 'burner.pid')
        self.addCleanup(procs.stop_group, pid, 'burner', 1.0)
        waiters.wait_until(lambda: open(log).read(), lambda t: 'ready' in t,
                           'burner ready', 30)
        self.assertGreaterEqual(procs.group_cpu_s(pid), 0.8)
        self.assertEqual(0.0, procs.group_cpu_s(2 ** 22 + 7))

    def test_start_of_missing_binary_is_one_clear_line(self):
        pidfile = pathlib.Path(self.tmp) / 'x.pid'
        e = self.assertRaises(errors.CloudError, procs.start,
                              ['/nonexistent/bin/x'],
                              os.path.join(self.tmp, 'x.log'), pidfile)
        self.assertIn('/nonexistent/bin/x not found', str(e))

    def test_port_in_use_and_listener_of(self):
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            s.listen()
            port = s.getsockname()[1]
            self.assertTrue(procs.port_in_use(port))
            self.assertTrue(procs.port_accepts(port))
            self.assertIn('pid %d' % os.getpid(), procs.listener_of(port))
        self.assertFalse(procs.port_in_use(port))
        self.assertIsNone(procs.listener_of(port))

    def test_tail_of_missing_and_real_log(self):
        self.assertEqual('(no log)', procs.tail('/nonexistent.log'))
        path = os.path.join(self.tmp, 'l.log')
        with open(path, 'w') as f:
            f.write(''.join('line %d\n' % i for i in range(20)))
        self.assertEqual('line 18\nline 19', procs.tail(path, 2))

    def test_machine_cpu_from_proc_stat(self):
        hertz = os.sysconf('SC_CLK_TCK')
        path = os.path.join(self.tmp, 'stat')
        # user nice system idle iowait irq softirq steal guest guest_nice
        with open(path, 'w') as f:
            f.write('cpu  %d %d %d %d %d %d %d %d 0 0\n'
                    % tuple(n * hertz for n in (50, 1, 20, 400, 7, 2, 3, 5)))
            f.write('cpu0 1 0 0 0 0 0 0 0 0 0\ncpu1 1 0 0 0 0 0 0 0 0 0\n'
                    'intr 12345\nctxt 678\n')
        self.assertEqual({'cores': 2, 'busy_s': 76.0, 'idle_s': 407.0,
                          'stolen_s': 5.0}, procs.machine_cpu(path))

    def test_machine_cpu_of_this_machine_grows(self):
        first = procs.machine_cpu()
        end = time.monotonic() + 0.3
        while time.monotonic() < end:
            pass
        last = procs.machine_cpu()
        self.assertEqual(os.cpu_count(), last['cores'])
        self.assertGreater(last['busy_s'], first['busy_s'])
