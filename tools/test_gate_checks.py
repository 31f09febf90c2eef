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
"""This repository's gate configuration, as Zuul, Ansible, bindep and Glance
see it; and each check failing on a broken input, so a pass means something.

``tox -e zuul`` runs ZuulTest, PlaybookTest and BindepTest; GlanceTest runs
in the local cloud's environment (``tox -e localcloud``), where Glance is.
"""

import pathlib
import sys
import tempfile
import textwrap
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import gate_checks  # noqa: E402

DEVSTACK_JOB = 'heat-glance-meta-tests-devstack'
LEGACY_ENGINE_JOB = 'heat-glance-meta-tests-devstack-legacy-engine'
LOCALCLOUD_JOB = 'heat-glance-meta-tests-localcloud'
STABLE_JOBS = {
    'heat-glance-meta-tests-devstack-2026-1': 'stable/2026.1',
    'heat-glance-meta-tests-devstack-2025-2': 'stable/2025.2',
    'heat-glance-meta-tests-devstack-2025-1': 'stable/2025.1',
    'heat-glance-meta-tests-devstack-2024-1': 'unmaintained/2024.1',
}


def _temp_file(test, text, suffix='.yaml'):
    f = tempfile.NamedTemporaryFile('w', suffix=suffix, delete=False)
    test.addCleanup(pathlib.Path(f.name).unlink)
    with f:
        f.write(textwrap.dedent(text))
    return f.name


class ZuulTest(unittest.TestCase):

    def test_zuul_d_parses_without_error(self):
        files = gate_checks.zuul_files()
        self.assertTrue(files)
        self.assertEqual([], gate_checks.zuul_errors(files))

    def test_a_broken_job_is_reported(self):
        broken = _temp_file(self, """
            - job:
                name: broken
                parent: tox
                pre-runs: playbooks/pre.yaml
            """)
        errors = gate_checks.zuul_errors([broken])
        self.assertEqual(1, len(errors), errors)
        self.assertIn("extra keys not allowed @ data['pre-runs']", errors[0])

    def test_a_wrongly_typed_attribute_is_reported(self):
        broken = _temp_file(self, """
            - job:
                name: broken
                timeout: soon
            """)
        errors = gate_checks.zuul_errors([broken])
        self.assertEqual(1, len(errors), errors)
        self.assertIn("data['timeout']", errors[0])

    def test_the_jobs_are_those_the_docs_describe(self):
        self.assertEqual({DEVSTACK_JOB, LEGACY_ENGINE_JOB, LOCALCLOUD_JOB} |
                         set(STABLE_JOBS), set(gate_checks.jobs()))
        for child in [LEGACY_ENGINE_JOB] + list(STABLE_JOBS):
            self.assertEqual(DEVSTACK_JOB,
                             gate_checks.jobs()[child]['parent'])
        for name, branch in STABLE_JOBS.items():
            self.assertEqual(branch,
                             gate_checks.jobs()[name]['override-checkout'])


class PlaybookTest(unittest.TestCase):

    def test_every_named_playbook_passes_ansibles_syntax_check(self):
        named = gate_checks.playbooks()
        self.assertTrue(named)
        for playbook in named:
            path = gate_checks.ROOT / playbook
            self.assertTrue(path.exists(), playbook)
            self.assertEqual('', gate_checks.playbook_syntax_errors(path),
                             playbook)

    def test_a_broken_playbook_is_reported(self):
        broken = _temp_file(self, """
            - hosts: all
              tasks:
                - name: no module at all
                  become: true
            """)
        self.assertIn('no module/action detected in task',
                      gate_checks.playbook_syntax_errors(broken))


class BindepTest(unittest.TestCase):
    """The packages the jobs' bindep profiles install, as bindep says."""

    def test_local_cloud_profile_is_what_the_launcher_needs(self):
        sys.path.insert(0, str(gate_checks.ROOT))
        from heat_glance_meta_tests.localcloud import system
        self.assertEqual(
            sorted(system.PACKAGES + system.BUILD_PACKAGES),
            gate_checks.bindep_packages(
                gate_checks.jobs()[LOCALCLOUD_JOB]['vars'][
                    'bindep_profile'].split()))

    def test_unit_test_jobs_install_nothing(self):
        self.assertEqual([], gate_checks.bindep_packages(['test']))

    def test_a_missing_package_is_seen(self):
        short = _temp_file(self, 'postgresql [platform:dpkg localcloud]\n',
                           suffix='.txt')
        self.assertEqual(['postgresql'], gate_checks.bindep_packages(
            ['localcloud'], bindep_file=short))


class GlanceTest(unittest.TestCase):
    """The devstack job's Glance settings, read by the installed Glance."""

    def setUp(self):
        super().setUp()
        job = gate_checks.jobs()[DEVSTACK_JOB]['vars']
        self.glance = job['devstack_local_conf']['post-config'][
            '$GLANCE_API_CONF']
        self.plugin = job['devstack_local_conf']['test-config'][
            '$TEMPEST_CONFIG']['heat_glance_meta']

    def test_every_option_set_exists_in_glance(self):
        self.assertEqual([], gate_checks.unknown_glance_options(self.glance))

    def test_an_unknown_option_is_reported(self):
        settings = {'DEFAULT': {'image_property_quota': 1,
                                'image_properties_quota': 1},
                    'import_filtering_opts': {'allowed_port': '[8099]'}}
        self.assertEqual(['DEFAULT.image_properties_quota',
                          'import_filtering_opts.allowed_port'],
                         gate_checks.unknown_glance_options(settings))

    def test_the_job_image_urls_pass_the_jobs_import_filter(self):
        urls = [self.plugin['image_url'], self.plugin['alt_image_url'],
                self.plugin['missing_image_url']]
        self.assertEqual([], gate_checks.glance_refuses(
            urls, self.glance['import_filtering_opts']))

    def test_the_filter_refuses_what_the_job_does_not_allow(self):
        url = self.plugin['image_url']
        self.assertEqual([url], gate_checks.glance_refuses(
            [url], {}))  # Glance's defaults: no loopback, ports 80/443
        other_port = url.replace(':8099/', ':8098/')
        self.assertEqual([other_port], gate_checks.glance_refuses(
            [other_port], self.glance['import_filtering_opts']))


class HeatTest(unittest.TestCase):
    """The devstack jobs' Heat settings, read by the installed Heat."""

    def _heat_conf(self, job):
        return gate_checks.jobs()[job]['vars']['devstack_local_conf'][
            'post-config']['$HEAT_CONF']

    def test_every_option_set_exists_in_heat(self):
        for job in (DEVSTACK_JOB, LEGACY_ENGINE_JOB):
            self.assertEqual([], gate_checks.unknown_heat_options(
                self._heat_conf(job)), job)

    def test_an_unknown_option_is_reported(self):
        self.assertEqual(['DEFAULT.convergence'],
                         gate_checks.unknown_heat_options({'DEFAULT': {
                             'convergence_engine': False,
                             'convergence': False}}))

    def test_the_legacy_job_turns_convergence_off(self):
        self.assertIs(False, self._heat_conf(LEGACY_ENGINE_JOB)['DEFAULT'][
            'convergence_engine'])


if __name__ == '__main__':
    unittest.main()
