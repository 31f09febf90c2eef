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
"""What a run leaves to look at: the history of logs, leak attribution."""

import io

import fixtures
import testtools

from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests.localcloud import history
from heat_glance_meta_tests.localcloud import layout
from heat_glance_meta_tests.localcloud import leaks
from heat_glance_meta_tests.localcloud import tempest_run


class HistoryTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.lay = layout.Layout.at(self.useFixture(fixtures.TempDir()).path)

    def _a_cloud_ran(self, marker, size=10):
        self.lay.logs.mkdir(parents=True, exist_ok=True)
        self.lay.results.mkdir(parents=True, exist_ok=True)
        (self.lay.logs / 'heat-engine.log').write_text(marker)
        (self.lay.results / 'summary.json').write_bytes(b'x' * size)

    def test_nothing_to_keep_on_a_new_directory(self):
        self.assertIsNone(history.archive(self.lay))
        self.assertEqual([], history.entries(self.lay))

    def test_logs_and_results_move_to_history(self):
        self._a_cloud_ran('engine went down')
        target = history.archive(self.lay)
        self.assertEqual('engine went down',
                         (target / 'logs' / 'heat-engine.log').read_text())
        self.assertTrue((target / 'results' / 'summary.json').exists())
        self.assertFalse(self.lay.logs.exists())

    def test_keeps_the_newest_few(self):
        for n in range(history.KEEP + 2):
            self._a_cloud_ran('run %d' % n)
            history.archive(self.lay)
        kept = history.entries(self.lay)
        self.assertEqual(history.KEEP, len(kept))
        self.assertEqual('run %d' % (history.KEEP + 1), (
            kept[-1] / 'logs' / 'heat-engine.log').read_text())

    def test_bounded_in_size_but_the_newest_stays(self):
        for n in range(3):
            self._a_cloud_ran('run %d' % n, size=1000)
            history.archive(self.lay, max_bytes=1500)
        kept = history.entries(self.lay)
        self.assertEqual(1, len(kept))
        self._a_cloud_ran('big', size=5000)
        history.archive(self.lay, max_bytes=1500)
        self.assertEqual('big', (history.entries(self.lay)[-1] / 'logs' /
                                 'heat-engine.log').read_text())


def _leak(name, project, suite):
    return {'name': name, 'id': 'id-' + name, 'project': project,
            'suite': suite}


class LeakVerdictTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.out = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', self.out))

    def test_suite_mark_is_what_the_suite_names_things(self):
        self.assertIn(leaks.SUITE_MARK, 'tempest-hgmt-stack-123')

    def test_this_suites_leak_always_fails(self):
        leaked = {'stacks': [_leak('tempest-hgmt-stack-1', 'p1', True)],
                  'images': []}
        for allow in (False, True):
            e = tempest_run._leak_verdict(leaked, allow)
            self.assertIsInstance(e, errors.CloudError)
            self.assertIn('this suite leaked: project p1: stack '
                          'tempest-hgmt-stack-1', str(e))

    def test_foreign_leaks_are_named_by_project(self):
        leaked = {'stacks': [_leak('api-1-stack', 'demo', False),
                             _leak('api-2-envstack', 'demo', False)],
                  'images': []}
        e = tempest_run._leak_verdict(leaked, False)
        self.assertIn("not this suite's", str(e))
        self.assertIn('--allow-foreign-leaks', str(e))
        self.assertIn('project demo: stack api-1-stack (id-api-1-stack), '
                      'stack api-2-envstack', str(e))
        self.assertIsNone(tempest_run._leak_verdict(leaked, True))
        self.assertIn('left by another suite (allowed): project demo',
                      self.out.getvalue())

    def test_nothing_leaked(self):
        self.assertIsNone(tempest_run._leak_verdict(
            {'stacks': [], 'images': []}, False))
