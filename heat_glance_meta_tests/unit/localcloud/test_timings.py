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
"""Timings kept across runs: per release and engine, robust to outliers."""

from dbm import dumb
import pathlib

import fixtures
import testtools

from heat_glance_meta_tests.localcloud import timings

TEST = 'pkg.mod.Class.test_x'


def ran(seconds, test_id=TEST + '[id-1,negative]', status='success'):
    return {'id': test_id, 'status': status, 'duration': seconds}


class TimingsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.EnvironmentVariable(
            'XDG_CACHE_HOME', self.useFixture(fixtures.TempDir()).path))

    def workspace(self):
        return pathlib.Path(self.useFixture(fixtures.TempDir()).path)

    def stestr_times(self, workspace):
        db = dumb.open(str(workspace / '.stestr' / 'times.dbm'), 'r')
        try:
            return {k.decode() if isinstance(k, bytes) else k: float(db[k])
                    for k in db.keys()}
        finally:
            db.close()

    def test_a_new_workspace_gets_the_kept_timings_by_stestr_id(self):
        timings.save('2026.2', 'convergence', [ran(2.0)])
        new = self.workspace()
        timings.restore(new, '2026.2', 'convergence')
        # stestr looks the id up without its [attributes].
        self.assertEqual({TEST: 2.0}, self.stestr_times(new))
        # An empty stestr repository around them.
        self.assertEqual('1\n', (new / '.stestr' / 'format').read_text())
        self.assertEqual('0\n', (new / '.stestr' / 'next-stream').read_text())

    def test_one_outlier_does_not_set_the_estimate(self):
        for seconds in (2.0, 377.0, 1.8):
            timings.save('2026.2', 'convergence', [ran(seconds)])
        self.assertEqual({TEST: 2.0},
                         timings.estimates('2026.2', 'convergence'))
        timings.save('2026.2', 'convergence', [ran(364.0)])
        # Two slow runs of four: the lower median still says 2 s.
        self.assertEqual({TEST: 2.0},
                         timings.estimates('2026.2', 'convergence'))

    def test_only_the_last_runs_count(self):
        for seconds in (100.0, 100.0, 100.0, 3.0, 3.0, 3.0, 3.0, 3.0):
            timings.save('2026.2', 'convergence', [ran(seconds)])
        self.assertEqual({TEST: 3.0},
                         timings.estimates('2026.2', 'convergence'))

    def test_releases_and_engines_keep_their_own(self):
        timings.save('2024.2', 'convergence', [ran(9.0)])
        timings.save('2026.2', 'legacy', [ran(4.0)])
        self.assertEqual({}, timings.estimates('2026.2', 'convergence'))
        self.assertEqual({TEST: 9.0},
                         timings.estimates('2024.2', 'convergence'))
        self.assertEqual({TEST: 4.0}, timings.estimates('2026.2', 'legacy'))

    def test_skips_are_not_timings(self):
        timings.save('2026.2', 'convergence', [ran(0.01, status='skip')])
        self.assertEqual({}, timings.estimates('2026.2', 'convergence'))

    def test_a_workspace_with_timings_of_its_own_keeps_them(self):
        timings.save('2026.2', 'convergence', [ran(2.0)])
        new = self.workspace()
        (new / '.stestr').mkdir()
        db = dumb.open(str(new / '.stestr' / 'times.dbm'), 'c')
        db[TEST] = '7.0'
        db.close()
        timings.restore(new, '2026.2', 'convergence')
        self.assertEqual({TEST: 7.0}, self.stestr_times(new))

    def test_nothing_kept_leaves_stestr_to_make_its_repository(self):
        new = self.workspace()
        timings.restore(new, '2026.2', 'convergence')
        self.assertFalse((new / '.stestr').exists())

    def test_a_damaged_file_counts_as_none(self):
        path = timings.history_file('2026.2', 'convergence')
        path.parent.mkdir(parents=True)
        path.write_text('{not json')
        self.assertEqual({}, timings.estimates('2026.2', 'convergence'))
        timings.save('2026.2', 'convergence', [ran(2.0)])
        self.assertEqual({TEST: 2.0},
                         timings.estimates('2026.2', 'convergence'))
