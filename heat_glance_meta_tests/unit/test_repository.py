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
"""Files of the repository that must agree with the code or with each other.

* the sample config in etc/ is what oslo-config-generator makes today;
* the devstack job in zuul.d sets Glance and Tempest the way the local cloud
  does (etc/localcloud/), so both run the same suite the same way;
* the zuul.d files use only job attributes Zuul knows and variables that
  the parent jobs (devstack, devstack-tempest, tox) read.
"""

import configparser
import pathlib
import re

import fixtures
from oslo_config import cfg
from oslo_config import generator
import testtools
import yaml

from heat_glance_meta_tests.localcloud import layout
from heat_glance_meta_tests.localcloud import releases
from heat_glance_meta_tests.localcloud import render

ROOT = pathlib.Path(__file__).resolve().parents[2]
ETC = ROOT / 'etc' / 'localcloud'


def _glance_template():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string((ETC / 'glance-api.conf').read_text())
    return parser


def _tempest_template():
    parser = configparser.ConfigParser(interpolation=None)
    # The known-defect lines are rendered per release (releases.py).
    parser.read_string((ETC / 'tempest.conf').read_text().replace(
        '${known_defects}', ''))
    return parser


def _render_local(value):
    return (value.replace('${host}', layout.HOST)
            .replace('${images_port}', str(layout.DEFAULT_PORTS['images']))
            .replace('${slow_image_s}', str(render.SLOW_IMAGE_S)))


class SampleConfigTest(testtools.TestCase):

    def test_sample_config_is_current(self):
        tmp = self.useFixture(fixtures.TempDir()).path
        out = pathlib.Path(tmp) / 'sample.conf'
        conf = cfg.ConfigOpts()
        generator.register_cli_opts(conf)
        conf(['--namespace', 'heat_glance_meta_tests', '--output-file',
              str(out)])
        generator.generate(conf)
        self.assertEqual(
            out.read_text(),
            (ROOT / 'etc' / 'heat-glance-meta-tests.conf.sample').read_text(),
            'the sample is stale: run tox -e genconfig')


class ZuulJobsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.jobs = {}
        for path in (ROOT / 'zuul.d').glob('*.yaml'):
            for item in yaml.safe_load(path.read_text()):
                if 'job' in item:
                    self.jobs[item['job']['name']] = item['job']
        self.devstack = self.jobs['heat-glance-meta-tests-devstack']

    def test_project_stanza_names_defined_jobs(self):
        project = yaml.safe_load(
            (ROOT / 'zuul.d' / 'project.yaml').read_text())[0]['project']
        for pipeline in ('check', 'gate'):
            for job in project[pipeline]['jobs']:
                self.assertIn(job, self.jobs)

    def test_devstack_glance_settings_match_local_cloud(self):
        glance = _glance_template()
        post = self.devstack['vars']['devstack_local_conf']['post-config']
        job = post['$GLANCE_API_CONF']
        for section, options in job.items():
            for option, value in options.items():
                if option == 'property_protection_file':
                    self.assertTrue(str(value).endswith(
                        'etc/localcloud/property-protections.conf'))
                    continue
                self.assertEqual(
                    _render_local(glance.get(section, option)),
                    str(value), '%s.%s' % (section, option))

    def test_devstack_tempest_settings_match_local_cloud(self):
        tempest = _tempest_template()
        test_config = self.devstack['vars']['devstack_local_conf'][
            'test-config']['$TEMPEST_CONFIG']
        for section in ('heat_glance_meta',
                        'heat_glance_meta_feature_enabled'):
            self.assertEqual(
                {k: _render_local(v) for k, v in tempest.items(section)
                 if k not in tempest.defaults()},
                {k: str(v).lower() if isinstance(v, bool) else str(v)
                 for k, v in test_config[section].items()}, section)

    def test_stable_jobs_set_their_releases_known_defects(self):
        stable = {name: job for name, job in self.jobs.items()
                  if 'override-checkout' in job}
        self.assertEqual({'2024.1', '2025.1', '2025.2', '2026.1'},
                         {job['override-checkout'].split('/')[1]
                          for job in stable.values()})
        for name, job in stable.items():
            release = job['override-checkout'].split('/')[1]
            self.assertIn('convergence', releases.table().get(
                'releases', {}).get(release, {}),
                '%s: no row for %s in etc/releases/known-defects.json'
                % (name, release))
            lines = releases.known_defect_lines(release, 'convergence',
                                                'defaults')
            # The plugin's defaults say present: the job sets the others.
            wanted = dict(line.split(' = ') for line in lines.splitlines()
                          if line.endswith('= false'))
            test_config = job.get('vars', {}).get(
                'devstack_local_conf', {}).get('test-config', {}).get(
                '$TEMPEST_CONFIG', {})
            got = {k: str(v).lower() for k, v in test_config.get(
                'heat_glance_meta_known_defects', {}).items()}
            self.assertEqual(wanted, got, name)

    def test_image_server_port_matches(self):
        self.assertEqual(layout.DEFAULT_PORTS['images'],
                         self.devstack['vars']['test_image_port'])
        url = self.devstack['vars']['devstack_local_conf']['test-config'][
            '$TEMPEST_CONFIG']['heat_glance_meta']['image_url']
        self.assertRegex(url, r':%d/' % layout.DEFAULT_PORTS['images'])

    def test_only_this_plugins_tests_run(self):
        regex = self.devstack['vars']['tempest_test_regex']
        self.assertTrue(re.match(regex, 'heat_glance_meta_tests.tests.x'))
        self.assertFalse(re.match(regex, 'heat_tempest_plugin.tests.x'))
