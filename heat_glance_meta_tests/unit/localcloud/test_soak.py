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
"""The soak: runs in a row, evidence of the failed ones, the summary."""

import datetime
import io
import json
import os
import pathlib
import time
import types

import fixtures
import testtools

from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests.localcloud import layout
from heat_glance_meta_tests.localcloud import soak

UTC = datetime.timezone.utc


class ErrorsDuringTest(testtools.TestCase):

    def test_only_error_lines_within_the_tests_time(self):
        logs = pathlib.Path(self.useFixture(fixtures.TempDir()).path) / 'l'
        logs.mkdir()
        (logs / 'glance.log').write_text(
            '2026-11-27 10:00:00.100 7 ERROR glance.api too early\n'
            '2026-11-27 10:00:05.100 7 ERROR glance.api in the test\n'
            '2026-11-27 10:00:05.200 7 INFO glance.api not an error\n'
            '2026-11-27 10:00:20.100 7 ERROR glance.api too late\n')
        found = soak.errors_during(
            logs, datetime.datetime(2026, 11, 27, 10, 0, 4, tzinfo=UTC),
            datetime.datetime(2026, 11, 27, 10, 0, 9, tzinfo=UTC))
        self.assertEqual(1, len(found))
        self.assertIn('glance.log: ', found[0])
        self.assertIn('in the test', found[0])


class SoakTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.lay = layout.Layout.at(self.useFixture(fixtures.TempDir()).path)
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', io.StringIO()))

    def _soak(self, rows):
        outcomes = iter(rows)

        def run_once(cloud, args, options):
            self.lay.results.mkdir(parents=True, exist_ok=True)
            (self.lay.results / 'summary.json').write_text('{}')
            return dict(next(outcomes))
        self.useFixture(fixtures.MonkeyPatch(
            'heat_glance_meta_tests.localcloud.soak._run_once', run_once))
        cloud = types.SimpleNamespace(lay=self.lay)
        return soak.soak(lambda: cloud, len(rows), [], None)

    @staticmethod
    def _row(rc, failures=()):
        return {'rc': rc, 'passed': 10, 'failed': len(failures), 'xfail': 1,
                'duration_s': 300.0, 'l1_loss_rate': '3 of 30', 'error': None,
                'failures': [{'test': t} for t in failures]}

    def test_all_green_is_success(self):
        self.assertEqual(0, self._soak([self._row(0), self._row(0)]))
        rows = json.loads((self.lay.root / 'soak' / 'summary.json')
                          .read_text())
        self.assertEqual([1, 2], [r['run'] for r in rows])
        self.assertFalse((self.lay.root / 'soak' / 'run-01').exists())

    def test_a_failed_run_keeps_its_evidence_and_fails_the_soak(self):
        self.assertEqual(1, self._soak([self._row(0),
                                        self._row(1, ['t.test_x'])]))
        kept = self.lay.root / 'soak' / 'run-02' / 'results'
        self.assertTrue((kept / 'summary.json').exists())
        text = soak.table(json.loads(
            (self.lay.root / 'soak' / 'summary.json').read_text()))
        self.assertIn('1 of 2 runs failed', text)
        self.assertIn('t.test_x: failed in run(s) 2', text)

    def test_a_run_that_never_started_reports_no_stale_results(self):
        # The previous run's results are still in D/results when a run
        # stops before ``up`` moves them away (a busy port, say).
        self.lay.results.mkdir(parents=True)
        (self.lay.results / 'summary.json').write_text(
            '{"cold_start_s": 9.9}')
        (self.lay.results / 'results.subunit').write_bytes(b'')
        old = time.time() - 60
        for name in ('summary.json', 'results.subunit'):
            os.utime(self.lay.results / name, (old, old))

        def whole_run(cloud, args, options):
            raise errors.CloudError('port 5432 (postgres) ... in use')
        self.useFixture(fixtures.MonkeyPatch(
            'heat_glance_meta_tests.localcloud.tempest_run.whole_run',
            whole_run))
        row = soak._run_once(types.SimpleNamespace(lay=self.lay), [], None)
        self.assertEqual((1, 0, 0, None), (row['rc'], row['passed'],
                                           row['failed'],
                                           row['cold_start_s']))
        self.assertIn('in use', row['error'])
