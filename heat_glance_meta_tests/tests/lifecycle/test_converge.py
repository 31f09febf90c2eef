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
"""Drift: the image changed behind Heat, then ``stack update --converge``.

Heat reads the image's live state, compares it with the template and puts
back what the template says, on the same image (an updatable property's
drift needs no new image). On Heat 27 every converge update replaces the
image (D8); the new image is then checked like any create, with the create
race (L1).
"""

from tempest.lib.common.utils import data_utils
from tempest.lib import decorators

from heat_glance_meta_tests import clients
from heat_glance_meta_tests import known_defects
from heat_glance_meta_tests import templates
from heat_glance_meta_tests.tests import base

EXTRA = {'build': '42', 'team': 'qa'}


class ConvergeDriftTest(base.HeatGlanceTest):

    credentials = ['primary', 'alt']

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.alt = clients.for_credentials(cls.os_alt.credentials)

    def _converge(self, stack_id, properties, check_status=True):
        self.update_stack(stack_id, templates.image_stack(**properties),
                          wait_for=None, converge=True)
        stack = self.wait_stack_settled(stack_id)
        if check_status:
            self.assertEqual('UPDATE_COMPLETE', stack.stack_status,
                             base.status_reason(stack))
        return self.get_image(self.image_id(stack_id))

    @decorators.idempotent_id('8e88ee6b-208c-4fa4-aa5d-b7b8d663e9ed')
    def test_converge_corrects_drift_of_image_metadata(self):
        """Properties, first-class fields, tags and visibility put back."""
        first_class = dict(architecture='x86_64', os_distro='debian',
                           os_version='12', kernel_id=data_utils.rand_uuid(),
                           ramdisk_id=data_utils.rand_uuid())
        properties = dict(first_class, extra_properties=EXTRA,
                          tags=['alpha', 'beta'], visibility='shared')
        stack_id, before = self.create_image_stack(**properties)
        image_id = before['id']
        self.glance.images.update(
            image_id, remove_props=['team'], build='43',
            architecture='aarch64', os_distro='ubuntu', os_version='24',
            kernel_id=data_utils.rand_uuid(),
            ramdisk_id=data_utils.rand_uuid(), visibility='private')
        self.glance.image_tags.delete(image_id, 'beta')
        self.glance.image_tags.update(image_id, 'gamma')

        image = self._converge(stack_id, properties)
        self.assert_user_properties(dict(EXTRA, **first_class), image,
                                    EXTRA, before['id'])
        self.assertEqual((['alpha', 'beta'], 'shared', 'active'),
                         (sorted(image['tags']), image['visibility'],
                          image['status']))
        with known_defects.expected(self, 'D8'):
            self.assertEqual(image_id, image['id'],
                             'converge replaced the image')

    @decorators.idempotent_id('1564e4cc-e7c4-4db6-9fcc-8a2085aa0e5b')
    def test_converge_corrects_deactivated_image(self):
        """An image deactivated behind Heat is active again."""
        stack_id, before = self.create_image_stack()
        self.glance.images.deactivate(before['id'])
        self.assertEqual('deactivated',
                         self.get_image(before['id'])['status'])
        image = self._converge(stack_id, {})
        self.assertEqual('active', image['status'])
        with known_defects.expected(self, 'D8'):
            self.assertEqual(before['id'], image['id'],
                             'converge replaced the image')

    @decorators.idempotent_id('12062747-d0ee-4548-8c7b-caf127426fc7')
    def test_converge_corrects_protection_set_behind_heat(self):
        stack_id, before = self.create_image_stack()
        self.glance.images.update(before['id'], protected=True)
        image = self._converge(stack_id, {}, check_status=False)
        stack = self.heat.stacks.get(stack_id)
        with known_defects.expected(self, 'D8'):
            self.assertEqual(
                ('UPDATE_COMPLETE', before['id'], False),
                (stack.stack_status, image['id'], image['protected']),
                base.status_reason(stack))

    @decorators.idempotent_id('d1af6234-fca4-45d7-b840-163dd1608df5')
    def test_converge_removes_member_added_behind_heat(self):
        stack_id, before = self.create_image_stack(visibility='shared')
        self.glance.image_members.create(before['id'], self.alt.project_id)
        image = self._converge(stack_id, dict(visibility='shared'))
        members = [m['member_id']
                   for m in self.glance.image_members.list(image['id'])]
        self.assertEqual([], members)
        with known_defects.expected(self, 'D8'):
            self.assertEqual(before['id'], image['id'],
                             'converge replaced the image')
