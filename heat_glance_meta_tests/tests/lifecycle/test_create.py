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
"""Create: Glance shows exactly the properties the template gave the image."""

from heatclient import exc as heat_exc
from tempest.lib import decorators

from heat_glance_meta_tests.common import create_race
from heat_glance_meta_tests.common import image_view
from heat_glance_meta_tests import known_defects
from heat_glance_meta_tests import templates
from heat_glance_meta_tests.tests import base

FIRST_CLASS = {'architecture': 'x86_64', 'os_distro': 'debian',
               'os_version': '12'}
EXTRA = {'build': '42', 'hw_qemu_guest_agent': 'yes', 'owner_team': 'qa'}


class CreateImageTest(base.HeatGlanceTest):
    """A stack create makes one active image carrying the template's data."""

    def _create(self, **image_properties):
        stack_id = self.create_stack(
            templates.image_stack(**image_properties),
            self.image_parameters())
        image_id = self.image_id(stack_id)
        return stack_id, image_id, self.get_image(image_id)

    @decorators.idempotent_id('943cbe1e-4088-42b0-aba1-236d7e5c4ebe')
    def test_create_sets_exactly_the_extra_properties(self):
        """Glance shows the extra_properties, as strings, and nothing more."""
        stack_id, image_id, image = self._create(extra_properties=EXTRA)
        self.assertEqual('active', image['status'])
        create_race.assert_properties(self, EXTRA, image, EXTRA)

    @decorators.idempotent_id('b10091f1-8507-40f7-af4c-b347f87bce99')
    def test_create_sets_first_class_properties_and_tags(self):
        """First-class properties and tags reach Glance as given."""
        stack_id, image_id, image = self._create(
            extra_properties=EXTRA, tags=['alpha', 'beta'], min_disk=1,
            min_ram=64, visibility='private', protected=False, **FIRST_CLASS)
        self.assertEqual('active', image['status'])
        self.assertEqual(self._parameters[stack_id]['image_name'],
                         image['name'])
        self.assertEqual(['alpha', 'beta'], sorted(image['tags']))
        self.assertEqual((1, 64, 'private', False),
                         (image['min_disk'], image['min_ram'],
                          image['visibility'], image['protected']))
        create_race.assert_properties(self, dict(EXTRA, **FIRST_CLASS),
                                      image, EXTRA)

    @decorators.idempotent_id('b8a1a9a4-40b1-4610-b201-231c5dfc7871')
    def test_create_without_extra_properties(self):
        """An image without extra_properties has no user properties."""
        stack_id, image_id, image = self._create()
        self.assertEqual('active', image['status'])
        self.assertEqual({}, image_view.user_properties(image))

    @decorators.idempotent_id('03f5464c-2804-4e07-b17c-90b9a4f5e71d')
    def test_outputs_and_resource_show_agree_with_glance(self):
        """get_attr [img, show, key] and resource show match Glance's GET."""
        stack_id = self.create_stack(
            templates.image_stack(extra_properties=EXTRA,
                                  output_keys=['build', 'status', 'id']),
            self.image_parameters())
        image_id = self.image_id(stack_id)
        image = self.get_image(image_id)
        outputs = self.stack_outputs(stack_id)
        self.assertEqual(image_id, outputs['image_id'])
        self.assertEqual((image['id'], image['status']),
                         (outputs['prop_id'], outputs['prop_status']))
        shown = self.heat.resources.get(stack_id, templates.RESOURCE)
        self.assertEqual(image_id, shown.physical_resource_id)
        create_race.assert_properties(self, EXTRA, image, EXTRA)
        # Whatever the race did, the outputs read what Glance has.
        self.assertEqual(image.get('build'), outputs['prop_build'])
        self.assertEqual(image_view.user_properties(image),
                         image_view.user_properties(outputs['image']))

    @decorators.idempotent_id('07a4f9a7-11ac-43c5-a3cf-647c111c1393')
    def test_resource_show_with_show_attribute_matches_glance(self):
        """resource show ?with_attr=show returns Glance's image (D11)."""
        stack_id, image = self.create_image_stack()
        with known_defects.expected(self, 'D11'):
            try:
                shown = self.heat.resources.get(
                    stack_id, templates.RESOURCE, with_attr=['show'])
            except heat_exc.HTTPInternalServerError as e:
                self.fail('resource show with_attr=show: %s' % e)
            self.assertEqual(image['id'],
                             shown.attributes['show']['id'])
