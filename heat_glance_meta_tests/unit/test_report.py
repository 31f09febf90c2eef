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
"""summary.json's state machine entries and their saved reproducers."""

import pathlib

import fixtures
import testtools

from heat_glance_meta_tests.localcloud import report

MACHINE = ('heat_glance_meta_tests.tests.model.test_state_machine.'
           'StateMachineTest.test_random_update_sequences_match_the_model')


def machine_test(status, **kept):
    return {'id': MACHINE + '[id-c80e8d59,slow]', 'status': status,
            'kept': kept}


class StateMachinesTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.results = pathlib.Path(self.useFixture(
            fixtures.TempDir()).path)

    def test_a_passing_machine_gives_its_steps_and_outcomes(self):
        machines = report.state_machines([
            machine_test('success', **{
                'model-steps': '51', 'model-create-races': '2',
                'model-outcomes': '{"in place": 40, "failed D2": 1}'}),
            {'id': 'other.Test.test_x', 'status': 'success', 'kept': {}},
        ], self.results)
        self.assertEqual({MACHINE: {
            'status': 'success', 'steps': 51, 'create_races': 2,
            'outcomes': {'in place': 40, 'failed D2': 1}}}, machines)
        self.assertEqual([], list(self.results.iterdir()))

    def test_a_failed_machine_saves_its_reproducer(self):
        stale = self.results / 'old.reproducer.yaml'
        stale.write_text('from an earlier run')
        machines = report.state_machines([machine_test('fail', **{
            'model-steps': '7', 'model-reproducer': '- template: {}\n'})],
            self.results)
        name = 'test_random_update_sequences_match_the_model.reproducer.yaml'
        self.assertEqual(name, machines[MACHINE]['reproducer'])
        self.assertEqual('- template: {}\n',
                         (self.results / name).read_text())
        self.assertFalse(stale.exists())
