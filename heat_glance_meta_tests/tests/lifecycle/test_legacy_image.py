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
"""OS::Glance::Image: hidden since Heat 22, a placeholder making nothing."""

from heatclient import exc as heat_exc
from tempest import config
from tempest.lib import decorators

from heat_glance_meta_tests import templates
from heat_glance_meta_tests.tests import base

CONF = config.CONF
LEGACY = 'OS::Glance::Image'


class LegacyImageResourceTest(base.HeatGlanceTest):

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        if not CONF.heat_glance_meta_feature_enabled.legacy_image_hidden:
            raise cls.skipException(
                'OS::Glance::Image is a real resource on this cloud '
                '([heat_glance_meta_feature_enabled] legacy_image_hidden)')

    @decorators.idempotent_id('63cab77d-c42b-4907-9cee-e0d1f2180505')
    def test_legacy_type_is_hidden(self):
        """Not listed among resource types; showing it is refused (400)."""
        names = [t.resource_type for t in self.heat.resource_types.list()]
        self.assertIn('OS::Glance::WebImage', names)
        self.assertNotIn(LEGACY, names)
        self.assertRaises(heat_exc.HTTPBadRequest,
                          self.heat.resource_types.get, LEGACY)

    @decorators.idempotent_id('c66333fa-e091-4aea-be22-d579f3501924')
    def test_legacy_template_creates_no_image(self):
        """A template using it completes, and Glance gains no image."""
        def own_images():
            return {i['id'] for i in self.glance.images.list(
                filters={'owner': self.client.project_id})}
        before = own_images()
        stack_id = self.create_stack(
            templates.image_stack(resource_type=LEGACY,
                                  extra_properties={'k': 'v'}),
            self.image_parameters())
        res = self.heat.resources.get(stack_id, templates.RESOURCE)
        self.assertEqual('CREATE_COMPLETE', res.resource_status)
        self.assertEqual(before, own_images())
