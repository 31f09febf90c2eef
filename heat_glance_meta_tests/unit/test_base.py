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
"""Which stack states end a wait for another state at once."""

import testtools

from heat_glance_meta_tests.tests import base


class TerminalElsewhereTest(testtools.TestCase):

    def assertFinal(self, current, target, final=True):
        self.assertIs(final, base.terminal_elsewhere(current, target),
                      '%s while waiting for %s' % (current, target))

    def test_the_awaited_action_ending_otherwise_is_final(self):
        self.assertFinal('UPDATE_FAILED', 'UPDATE_COMPLETE')
        self.assertFinal('CREATE_FAILED', 'CREATE_COMPLETE')
        self.assertFinal('SNAPSHOT_FAILED', 'SNAPSHOT_COMPLETE')
        self.assertFinal('CREATE_COMPLETE', 'CREATE_FAILED')

    def test_a_rollback_ends_a_create_or_update(self):
        self.assertFinal('ROLLBACK_COMPLETE', 'UPDATE_COMPLETE')
        self.assertFinal('ROLLBACK_FAILED', 'CREATE_COMPLETE')

    def test_the_state_before_an_action_is_not_final(self):
        # Heat answers a snapshot before the stack leaves UPDATE_COMPLETE.
        self.assertFinal('UPDATE_COMPLETE', 'SNAPSHOT_COMPLETE', False)
        self.assertFinal('UPDATE_COMPLETE', 'RESTORE_COMPLETE', False)
        self.assertFinal('CREATE_COMPLETE', 'CHECK_COMPLETE', False)

    def test_a_rollback_passes_through_the_failed_action(self):
        self.assertFinal('UPDATE_FAILED', 'ROLLBACK_COMPLETE', False)
        self.assertFinal('CREATE_FAILED', 'ROLLBACK_COMPLETE', False)

    def test_in_progress_and_the_target_itself_are_not(self):
        self.assertFinal('UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE', False)
        self.assertFinal('SNAPSHOT_COMPLETE', 'SNAPSHOT_COMPLETE', False)
