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
"""The fault hook: a restart command's seconds, and its failures in a line."""

import sys
import types

import fixtures
import testtools

from heat_glance_meta_tests.common import faults


class RestartTest(testtools.TestCase):

    def _command(self, command, timeout=30.0):
        self.useFixture(fixtures.MockPatch(
            'heat_glance_meta_tests.common.faults.CONF',
            types.SimpleNamespace(heat_glance_meta_faults=types.
                                  SimpleNamespace(restart_glance=command,
                                                  restart_timeout=timeout))))

    def _python(self, code):
        return '%s -c "%s"' % (sys.executable, code)

    def test_returns_the_seconds_the_command_took(self):
        self._command(self._python('import time; time.sleep(0.3)'))
        self.assertGreaterEqual(faults.restart('glance'), 0.3)

    def test_a_failed_command_names_itself_and_its_last_words(self):
        # The words are computed: the message also quotes the command.
        self._command(self._python(
            'import sys; sys.exit(\'glance: %d down\' % (6 * 7))'))
        e = self.assertRaises(AssertionError, faults.restart, 'glance')
        self.assertIn('restarting glance failed (exit 1)', str(e))
        self.assertIn('glance: 42 down', str(e))

    def test_an_overrun_names_the_option(self):
        self._command(self._python('import time; time.sleep(5)'),
                      timeout=0.2)
        e = self.assertRaises(AssertionError, faults.restart, 'glance')
        self.assertIn('restart_timeout', str(e))
