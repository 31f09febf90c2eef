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
"""The template builder: what it puts in the image resource."""

import testtools
import yaml

from heat_glance_meta_tests import templates


class ImageStackTest(testtools.TestCase):

    def _props(self, template):
        return template['resources']['img']['properties']

    def test_base_template_is_one_web_image(self):
        t = templates.image_stack()
        self.assertEqual('OS::Glance::WebImage',
                         t['resources']['img']['type'])
        self.assertNotIn('extra_properties', self._props(t))
        self.assertEqual({'image_id', 'image'}, set(t['outputs']))

    def test_extra_properties_tags_and_first_class(self):
        t = templates.image_stack(extra_properties={'a': '1'}, tags=['x'],
                                  min_ram=64, os_distro='debian')
        props = self._props(t)
        self.assertEqual({'a': '1'}, props['extra_properties'])
        self.assertEqual(['x'], props['tags'])
        self.assertEqual((64, 'debian'), (props['min_ram'],
                                          props['os_distro']))

    def test_empty_map_is_kept_and_none_removes(self):
        self.assertEqual({}, self._props(
            templates.image_stack(extra_properties={}))['extra_properties'])
        self.assertNotIn('location', self._props(
            templates.image_stack(location=None)))

    def test_parameter_driven_extra_properties(self):
        t = templates.image_stack(extra_properties_parameter=True)
        self.assertEqual({'get_param': 'extra_properties'},
                         self._props(t)['extra_properties'])
        self.assertEqual('json', t['parameters']['extra_properties']['type'])

    def test_output_keys_read_show_attribute(self):
        t = templates.image_stack(output_keys=['build'])
        self.assertEqual({'get_attr': ['img', 'show', 'build']},
                         t['outputs']['prop_build']['value'])

    def test_builds_are_independent_copies(self):
        templates.image_stack(extra_properties={'a': '1'})
        self.assertNotIn('extra_properties',
                         self._props(templates.image_stack()))

    def test_resource_type_override(self):
        t = templates.image_stack(resource_type='OS::Glance::Image')
        self.assertEqual('OS::Glance::Image', t['resources']['img']['type'])

    def test_dump_round_trips(self):
        t = templates.image_stack(extra_properties={'k': 'v'})
        self.assertEqual(t, yaml.safe_load(templates.dump(t)))
