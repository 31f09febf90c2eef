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
"""Data files are found from an installed (non-editable) package too."""

import importlib.metadata
import pathlib

import fixtures
import testtools

from heat_glance_meta_tests import resources

ROOT = pathlib.Path(__file__).resolve().parents[2]
DIST = 'heat-glance-meta-tests'


class InstalledDataTest(testtools.TestCase):

    def _installed(self, share_dir):
        # A source checkout's egg-info may shadow the installed metadata:
        # look at every distribution of that name.
        names = set()
        for dist in importlib.metadata.distributions(name=DIST):
            names.update(f.name for f in dist.files or []
                         if '/%s/' % share_dir in '/%s' % f.as_posix())
        return sorted(names)

    def test_installed_package_carries_gabbits_and_cloud_templates(self):
        for share_dir, source in (
                ('share/heat-glance-meta-tests/gabbits', 'gabbits'),
                ('share/heat-glance-meta-tests/localcloud',
                 'etc/localcloud')):
            installed = self._installed(share_dir)
            if not installed:
                self.skipTest('%s is installed in editable mode: no data '
                              'files to inspect' % DIST)
            self.assertEqual(
                sorted(p.name for p in (ROOT / source).iterdir()
                       if p.is_file()), installed)

    def test_lookup_falls_back_to_installed_share_dir(self):
        if not self._installed('share/heat-glance-meta-tests/gabbits'):
            self.skipTest('%s is installed in editable mode' % DIST)
        self.useFixture(fixtures.MonkeyPatch(
            'heat_glance_meta_tests.resources._SOURCE_ROOT',
            pathlib.Path('/nonexistent')))
        found = resources.gabbits()
        self.assertTrue(str(found).endswith(
            'share/heat-glance-meta-tests/gabbits'), found)
        self.assertEqual(
            sorted(p.name for p in (ROOT / 'gabbits').glob('*.yaml')),
            sorted(p.name for p in found.glob('*.yaml')))

    def test_missing_data_names_the_fix(self):
        self.useFixture(fixtures.MonkeyPatch(
            'heat_glance_meta_tests.resources._SOURCE_ROOT',
            pathlib.Path('/nonexistent')))
        e = self.assertRaises(FileNotFoundError, resources.data_dir,
                              'nope', 'nope')
        self.assertIn('reinstall heat-glance-meta-tests', str(e))
