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
"""The releases table, their environments and the matrix's verdicts."""

import pathlib
import sys

import fixtures
import testtools

from heat_glance_meta_tests import known_defects
from heat_glance_meta_tests.localcloud import cli
from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests.localcloud import matrix
from heat_glance_meta_tests.localcloud import releases

DEFECTS = list(known_defects.DEFECTS)


CELL = {'release': '2024.1', 'engine': 'convergence',
        'defects': {d: 'present' for d in DEFECTS},
        'tests': {'passed': 3, 'failed': 0, 'xfail': 1, 'uxsuccess': 0,
                  'skipped': 0},
        'leaked': {'stacks': 0, 'images': 0}, 'install_s': 0,
        'cold_start_s': 9.5, 'tests_s': 100, 'wall_s': 120,
        'results': '/x', 'exit': 0}


def outcome(status, details=''):
    return {'id': 't', 'status': status, 'details': details}


def observed(defect_id):
    return outcome('xfail', '%s; observed: boom' % known_defects.describe(
        defect_id))


def not_reproduced(defect_id):
    return outcome('uxsuccess', '%s did not reproduce: the cloud seems to '
                   'have the fix' % known_defects.describe(defect_id))


class ReleasesTest(testtools.TestCase):

    def test_glance_workers_default_and_per_release(self):
        by_name = {r.name: r for r in releases.load()}
        self.assertEqual(releases.GLANCE_WORKERS,
                         by_name['2026.2'].glance_workers)
        # G5: Glance 28 (2024.1) is not thread-safe with protections on.
        self.assertEqual({'processes': 4, 'threads': 1},
                         by_name['2024.1'].glance_workers)

    def test_every_release_names_its_services_and_an_existing_file(self):
        known = releases.load()
        self.assertEqual(1, sum(r.current for r in known))
        for release in known:
            self.assertTrue(release.constraints.is_file(), release)
            self.assertEqual(set(releases.SERVICES), set(release.versions))
            if not release.current:
                # Copied unchanged, with where it came from on top.
                head = release.constraints.read_text().splitlines()[0]
                self.assertIn('openstack/requirements', head)

    def test_the_current_release_uses_the_launchers_environment(self):
        path, seconds = releases.services_bin(releases.current())
        self.assertEqual(pathlib.Path(sys.executable).parent, path)
        self.assertEqual(0.0, seconds)

    def test_each_other_release_has_an_environment_of_its_own(self):
        self.useFixture(fixtures.EnvironmentVariable(
            'XDG_CACHE_HOME', self.useFixture(fixtures.TempDir()).path))
        paths = [r.environment() for r in releases.load() if not r.current]
        self.assertEqual(len(paths), len(set(paths)))
        # Keyed by what goes in: the same release, the same place.
        self.assertEqual(paths, [r.environment() for r in releases.load()
                                 if not r.current])

    def test_a_built_environment_is_reused_without_installing(self):
        self.useFixture(fixtures.EnvironmentVariable(
            'XDG_CACHE_HOME', self.useFixture(fixtures.TempDir()).path))
        release = releases.load()[0]
        env = release.environment()
        env.mkdir(parents=True)
        (env / 'complete').write_text('x')
        self.assertEqual((env / 'bin', 0.0), releases.services_bin(release))

    def test_unknown_release_is_one_line_naming_the_known(self):
        e = self.assertRaises(errors.CloudError, releases.find, '1999.1')
        self.assertIn('2024.1', str(e))
        self.assertNotIn('\n', str(e))

    def test_the_release_option_parses_to_a_release(self):
        args = cli.parse(['up', '--release', '2025.1'])
        self.assertEqual('2025.1', args.release.name)
        args = cli.parse(['matrix', '--releases', '2024.1,2026.1',
                          '--engines', 'convergence,legacy', '--observe',
                          '--', '--regex', 'defects'])
        self.assertEqual(['2024.1', '2026.1'],
                         [r.name for r in args.releases])
        self.assertEqual(['convergence', 'legacy'], args.engines)
        self.assertEqual(['--regex', 'defects'], args.tempest_args)

    def test_observe_declares_every_defect_present(self):
        lines = releases.known_defect_lines('2024.1', 'convergence',
                                            'observe').splitlines()
        self.assertEqual(len(DEFECTS), len(lines))
        self.assertTrue(all(line.endswith('= true') for line in lines))

    def test_defaults_come_from_the_table_row(self):
        self.useFixture(fixtures.MockPatchObject(
            releases, 'table', return_value={'releases': {'2024.1': {
                'convergence': {'D2': 'fixed', 'D6': 'present',
                                'L1': 'not seen', 'D16': 'n.a.'}}}}))
        self.assertEqual(
            'convergence_engine_restart = false\n'
            'empty_property_diff = false\n'
            'failed_import_never_detected = true',
            releases.known_defect_lines('2024.1', 'convergence',
                                        'defaults'))
        # No row: D16 alone, by engine.
        self.assertEqual('convergence_engine_restart = true',
                         releases.known_defect_lines(
                             '2025.1', 'convergence', 'defaults'))
        self.assertEqual('convergence_engine_restart = false',
                         releases.known_defect_lines(
                             '2025.1', 'legacy', 'defaults'))

    def test_fixed_overrides_the_row_and_observe(self):
        for mode in releases.DEFECT_MODES:
            lines = releases.known_defect_lines('2024.1', 'convergence',
                                                mode, fixed=['D2'])
            self.assertIn('empty_property_diff = false', lines)
        args = cli.parse(['run', '--fixed', 'd2,D6'])
        self.assertEqual(['D2', 'D6'], args.fixed)


class ClassifyTest(testtools.TestCase):

    def classify(self, tests, engine='convergence', row=None):
        return matrix.classify(tests, engine, DEFECTS, row)

    def test_an_expected_failure_is_present_an_unexpected_success_fixed(self):
        out = self.classify([observed('D2'), not_reproduced('D6'),
                             outcome('success')])
        self.assertEqual('present', out['D2'])
        self.assertEqual('fixed', out['D6'])
        self.assertEqual('not seen', out['D7'])

    def test_present_anywhere_wins(self):
        out = self.classify([not_reproduced('D2'), observed('D2')])
        self.assertEqual('present', out['D2'])

    def test_observed_though_configured_fixed_is_present(self):
        out = self.classify([outcome(
            'fail', 'D2 is configured fixed ([heat_glance_meta_known_'
            'defects] empty_property_diff = False) but was observed: x')])
        self.assertEqual('present', out['D2'])

    def test_another_failure_of_a_defects_check_is_an_error(self):
        out = self.classify([outcome(
            'fail', 'HTTP 500 while %s' % known_defects.describe('D9'))])
        self.assertEqual('error', out['D9'])

    def test_a_gabbi_request_names_its_defect_in_its_id(self):
        def request(status, name='validate.02_refused_(known_defect_d12)'):
            return dict(outcome(status), id='x.gabbi.' + name + '[id-1]')
        self.assertEqual('present',
                         self.classify([request('xfail')])['D12'])
        self.assertEqual('fixed',
                         self.classify([request('uxsuccess')])['D12'])
        self.assertEqual('error', self.classify([request('fail')])['D12'])
        self.assertEqual('not seen', self.classify(
            [request('xfail', 'errors.01_unknown_stack')])['D12'])

    def test_d16_cannot_apply_to_the_legacy_engine(self):
        out = self.classify([not_reproduced('D16')], engine='legacy')
        self.assertEqual('n.a.', out['D16'])
        out = self.classify([not_reproduced('D16')])
        self.assertEqual('fixed', out['D16'])

    def test_unmentioned_defect_configured_fixed_stays_fixed(self):
        out = self.classify([outcome('success')], row={'D2': 'fixed'})
        self.assertEqual('fixed', out['D2'])
        self.assertEqual('not seen', out['D6'])

    def test_observed_statuses_become_the_releases_defaults(self):
        checkout = pathlib.Path(self.useFixture(fixtures.TempDir()).path)
        folder = checkout / 'etc' / 'releases'
        folder.mkdir(parents=True)
        self.useFixture(fixtures.MockPatch(
            'heat_glance_meta_tests.resources.releases',
            return_value=folder))
        (folder / 'releases.yaml').write_text('{}')
        self.useFixture(fixtures.MockPatch('pathlib.Path.cwd',
                                           return_value=checkout))
        # Runs from before G3 was declared.
        older = [d for d in DEFECTS if d != 'G3']
        cell = dict(CELL, defects=dict(dict.fromkeys(older, 'present'),
                                       D2='fixed'))
        table = {'defects': {d: known_defects.DEFECTS[d].option
                             for d in older}, 'cells': [cell],
                 'generated_at': 'now', 'mode': 'observe',
                 'tempest_args': []}
        matrix.write_defaults(table, matrix.defaults_folder())
        self.assertIn('empty_property_diff = false',
                      releases.known_defect_lines('2024.1', 'convergence',
                                                  'defaults'))
        self.assertIn('2024.1 conv',
                      (folder / 'known-defects.txt').read_text())
        # A later run of part of the suite adds what it saw.
        cell['defects'] = dict.fromkeys(older, 'not seen')
        cell['defects']['D12'] = 'fixed'
        matrix.write_defaults(table, matrix.defaults_folder())
        lines = releases.known_defect_lines('2024.1', 'convergence',
                                            'defaults')
        self.assertIn('empty_property_diff = false', lines)
        self.assertIn('validate_skips_property_values = false', lines)
        self.assertIn('failed_import_never_detected = true', lines)
        # G3, declared since, run on another release only: the earlier
        # release was never checked for it.
        newer = dict(cell, release='2026.2',
                     defects=dict(cell['defects'], G3='present'))
        matrix.write_defaults(dict(table, defects=dict(
            table['defects'], G3=known_defects.DEFECTS['G3'].option),
            cells=[newer]), matrix.defaults_folder())
        g3 = [line.split() for line in
              (folder / 'known-defects.txt').read_text().splitlines()
              if line.startswith('G3')]
        self.assertEqual([['G3', 'not', 'seen', 'present']], g3)
        self.useFixture(fixtures.MockPatch('pathlib.Path.cwd',
                                           return_value=folder))
        self.assertRaises(errors.CloudError, matrix.defaults_folder)
        table['mode'] = 'defaults'
        self.assertRaises(errors.CloudError, matrix.write_defaults, table,
                          folder)

    def test_the_text_table_has_a_column_per_run(self):
        cell = {'release': '2024.1', 'engine': 'convergence',
                'defects': {d: 'present' for d in DEFECTS},
                'tests': {'passed': 3, 'failed': 0, 'xfail': 1,
                          'uxsuccess': 0, 'skipped': 0},
                'leaked': {'stacks': 0, 'images': 0}, 'install_s': 0,
                'cold_start_s': 9.5, 'tests_s': 100, 'wall_s': 120}
        table = {'defects': {d: known_defects.DEFECTS[d].option
                             for d in DEFECTS}, 'cells': [cell],
                 'generated_at': 'now', 'mode': 'observe'}
        text = matrix.text_table(table)
        self.assertIn('2024.1 conv', text.splitlines()[0])
        self.assertIn('D16', text)
        self.assertIn('<td class="present">present</td>',
                      matrix.html_table(table))
