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
"""The plugin's options: registration mirrors listing, one per defect."""

from oslo_config import cfg
import testtools

from heat_glance_meta_tests import config
from heat_glance_meta_tests import known_defects
from heat_glance_meta_tests import plugin


class PluginOptionsTest(testtools.TestCase):

    def test_register_opts_and_get_opt_lists_mirror(self):
        conf = cfg.ConfigOpts()
        p = plugin.HeatGlanceMetaPlugin()
        p.register_opts(conf)
        for group, opts in p.get_opt_lists():
            for opt in opts:
                self.assertEqual(opt.default,
                                 getattr(getattr(conf, group), opt.dest))
        self.assertEqual(config.list_opts(), p.get_opt_lists())

    def test_one_option_per_known_defect_defaulting_present(self):
        conf = cfg.ConfigOpts()
        plugin.HeatGlanceMetaPlugin().register_opts(conf)
        group = getattr(conf, known_defects.GROUP)
        for defect in known_defects.DEFECTS.values():
            self.assertTrue(getattr(group, defect.option), defect.id)

    def test_load_tests_points_at_the_tests_package(self):
        test_dir, top = plugin.HeatGlanceMetaPlugin().load_tests()
        self.assertTrue(test_dir.endswith('heat_glance_meta_tests/tests'))
        self.assertTrue(test_dir.startswith(top))
