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
"""Where the fault tests' cloud lives, and how its failures are reported."""

import subprocess
import sys
import threading
import types

import fixtures
import testtools

from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests.localcloud import fault_cloud
from heat_glance_meta_tests.localcloud import layout
from heat_glance_meta_tests import waiters


class LayoutBesideTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.root = self.useFixture(fixtures.TempDir()).path

    def test_default_ports_get_the_block_after_the_highest(self):
        lay = layout.Layout.at(self.root, ports=layout.DEFAULT_PORTS)
        side = fault_cloud.layout_beside(lay)
        self.assertEqual(lay.root / 'faults', side.root)
        base = max(layout.DEFAULT_PORTS.values()) + 1
        self.assertEqual(layout.ports_from_base(base), side.ports)
        self.assertFalse(set(side.ports.values()) &
                         set(lay.ports.values()))

    def test_a_port_base_gets_the_next_block(self):
        lay = layout.Layout.at(self.root,
                               ports=layout.ports_from_base(21000))
        side = fault_cloud.layout_beside(lay)
        self.assertEqual(21000 + len(layout.DEFAULT_PORTS),
                         min(side.ports.values()))

    def test_no_ports_left_says_what_to_do(self):
        lay = layout.Layout.at(self.root, ports=layout.ports_from_base(
            layout.PORT_BASE_RANGE[1]))
        e = self.assertRaises(errors.CloudError,
                              fault_cloud.layout_beside, lay)
        self.assertIn('lower --port-base', str(e))


class FaultCloudTest(testtools.TestCase):

    def _side(self, up):
        lay = layout.Layout.at(self.useFixture(fixtures.TempDir()).path)
        side = fault_cloud.FaultCloud(types.SimpleNamespace(lay=lay), {})
        side.say = lambda *args, **kwargs: None
        self.downs = []
        side.cloud = types.SimpleNamespace(
            up=up, lay=side.cloud.lay,
            down=lambda quiet: self.downs.append(quiet))
        return side

    def test_stop_ends_the_phase_then_stops_the_cloud(self):
        def phase(cloud, runner):
            proc = subprocess.Popen([sys.executable, '-c',
                                     'import time; time.sleep(60)'])
            runner.watch(proc)
            return proc.wait()
        side = self._side(
            lambda **options: {'cold_start_s': 1.0, 'schema': 'x'})
        side.start(phase)
        waiters.wait_until(lambda: side._proc, bool,
                           'the phase to start its process', 10)
        side.stop()
        self.assertNotEqual(0, side.result)
        self.assertEqual([True], self.downs)

    def test_the_phase_runs_on_the_started_cloud(self):
        asked = []

        def up(**options):
            asked.append(options)
            return {'cold_start_s': 1.0, 'schema': 'x'}
        side = self._side(up)
        side.start(lambda cloud, runner: ('ran on', cloud))
        self.assertEqual(('ran on', side.cloud), side.join())
        # One test at a time: one engine worker; a shorter slow image.
        self.assertEqual([{'engine_workers': 1, 'slow_image_s': 8}], asked)

    def test_a_failed_start_is_one_line_naming_the_cloud(self):
        def up(**options):
            raise errors.CloudError('glance died during start')
        side = self._side(up)
        side.start(lambda cloud, runner: self.fail('no phase without a cloud'))
        e = self.assertRaises(errors.CloudError, side.join)
        self.assertIn("the fault tests' cloud in %s: glance died"
                      % side.cloud.lay.root, str(e))

    def test_an_unexpected_error_names_the_logs(self):
        side = self._side(
            lambda **options: {'cold_start_s': 1.0, 'schema': 'x'})
        side.start(lambda cloud, runner: 1 / 0)
        e = self.assertRaises(errors.CloudError, side.join)
        self.assertIn('ZeroDivisionError', str(e))
        self.assertIn(str(side.cloud.lay.logs), str(e))

    def test_wait_up_returns_once_up_before_the_phase_ends(self):
        phase_may_end = threading.Event()
        side = self._side(
            lambda **options: {'cold_start_s': 1.0, 'schema': 'x'})
        side.start(lambda cloud, runner: phase_may_end.wait(10))
        self.assertTrue(side.wait_up(timeout=10))
        self.assertEqual({'cold_start_s': 1.0, 'schema': 'x'}, side.state)
        self.assertIsNone(side.result)  # the phase still runs
        phase_may_end.set()
        self.assertTrue(side.join())

    def test_wait_up_returns_when_the_start_fails(self):
        def up(**options):
            raise errors.CloudError('rabbitmq died during start')
        side = self._side(up)
        side.start(lambda cloud, runner: self.fail('no phase without a cloud'))
        # Returns: the error is join's to raise.
        self.assertTrue(side.wait_up(timeout=10))
        self.assertRaises(errors.CloudError, side.join)
