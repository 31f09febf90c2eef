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
"""Glance property protections hold when Heat writes the properties.

Needs a cloud whose Glance runs with the suite's protection file
(etc/localcloud/property-protections.conf): a prefix only admin may write,
and a prefix only admin may read.
"""

from tempest import config
from tempest.lib import decorators

from heat_glance_meta_tests import clients
from heat_glance_meta_tests.common import image_view
from heat_glance_meta_tests import templates
from heat_glance_meta_tests.tests import base

CONF = config.CONF


class PropertyProtectionsTest(base.HeatGlanceTest):

    credentials = ['primary', 'admin']

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        if not CONF.heat_glance_meta_feature_enabled.property_protections:
            raise cls.skipException(
                'Glance has no property protections configured '
                '([heat_glance_meta_feature_enabled] property_protections)')

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.admin = clients.for_credentials(cls.os_admin.credentials)

    @classmethod
    def resource_setup(cls):
        super().resource_setup()
        features = CONF.heat_glance_meta_feature_enabled
        cls.admin_key = features.admin_only_property_prefix + 'level'
        cls.secret_key = features.secret_property_prefix + 'note'

    @decorators.attr(type='negative')
    @decorators.idempotent_id('bb2496eb-821a-4e27-9c16-c176d2422e68')
    def test_member_cannot_set_admin_only_property(self):
        """A member's stack fails with Glance's 403; the key is not set."""
        stack_id = self.create_stack(
            templates.image_stack(extra_properties={self.admin_key: 'x'}),
            self.image_parameters(), wait_for='FAILED')
        reason = base.status_reason(self.heat.stacks.get(stack_id))
        self.assertIn('HTTP 403', reason)
        self.assertIn(self.admin_key, reason)
        image = self.get_image(self.image_id(stack_id))
        self.assertNotIn(self.admin_key, image)

    @decorators.idempotent_id('18ee79ae-34e3-42ff-874f-1cb45ef8aff3')
    def test_admin_sets_protected_properties_member_reads_allowed_ones(self):
        """Admin's stack sets both; a member sees only the readable one."""
        props = {self.admin_key: 'gold', self.secret_key: 'hidden'}
        stack_id, _ = self.create_image_stack(
            client=self.admin, visibility='shared',
            members=[self.client.project_id])
        # The update re-sends the whole map, so the create race (L1)
        # cannot blur what is checked.
        image = self.update_image_stack(
            stack_id, client=self.admin, extra_properties=props,
            visibility='shared', members=[self.client.project_id])
        self.assertEqual(props, image_view.user_properties(image))
        seen = self.get_image(image['id'], glance=self.glance)
        self.assertEqual({self.admin_key: 'gold'},
                         image_view.user_properties(seen))
