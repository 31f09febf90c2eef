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
"""owner, which Glance lets only an admin change: update, removal, drift.

Heat documents owner as updatable in place. A member's change is refused
by Glance's policy (access.test_image_access.PolicyTest); these tests act
as admin, on images the admin's stacks own.
"""

from tempest.lib import decorators

from heat_glance_meta_tests import clients
from heat_glance_meta_tests import known_defects
from heat_glance_meta_tests import templates
from heat_glance_meta_tests.tests import base


class AdminOwnerTest(base.HeatGlanceTest):

    credentials = ['primary', 'admin']

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.admin = clients.for_credentials(cls.os_admin.credentials)

    def _create(self, **properties):
        return self.create_image_stack(client=self.admin, **properties)

    def _update(self, stack_id, converge=False, **properties):
        self.update_stack(stack_id, templates.image_stack(**properties),
                          wait_for=None, client=self.admin,
                          converge=converge)
        stack = self.wait_stack_settled(stack_id, client=self.admin)
        image = self.get_image(self.image_id(stack_id, client=self.admin),
                               glance=self.admin.glance)
        return stack, image

    @decorators.idempotent_id('b197846c-0b3f-42b9-a025-da3fd7497492')
    def test_owner_changed_in_place(self):
        stack_id, before = self._create()
        self.assertEqual(self.admin.project_id, before['owner'])
        self.wait_clock_past(before)
        stack, after = self._update(stack_id, owner=self.client.project_id)
        self.assertEqual('UPDATE_COMPLETE', stack.stack_status,
                         base.status_reason(stack))
        self.assert_updated_in_place(before, after)
        self.assertEqual(self.client.project_id, after['owner'])

    @decorators.idempotent_id('54ad044d-cccc-4b5f-bbce-52dd4459f452')
    def test_owner_removed_from_template(self):
        """D14: leaving owner out keeps the image and its owner."""
        stack_id, before = self._create(owner=self.client.project_id)
        self.assertEqual(self.client.project_id, before['owner'])
        stack, after = self._update(stack_id)
        self.assertEqual('UPDATE_COMPLETE', stack.stack_status,
                         base.status_reason(stack))
        self.assertEqual(before['id'], after['id'])
        with known_defects.expected(self, 'D14'):
            self.assertEqual(self.client.project_id, after['owner'],
                             'the image lost its owner')

    @decorators.idempotent_id('3e3ee37e-d8ba-40cd-ba59-312440b1fb65')
    def test_owner_drift_converged(self):
        stack_id, before = self._create(owner=self.client.project_id)
        self.admin.glance.images.update(before['id'],
                                        owner=self.admin.project_id)
        stack, after = self._update(stack_id, converge=True,
                                    owner=self.client.project_id)
        self.assertEqual('UPDATE_COMPLETE', stack.stack_status,
                         base.status_reason(stack))
        self.assertEqual(self.client.project_id, after['owner'])
        with known_defects.expected(self, 'D8'):
            self.assertEqual(before['id'], after['id'],
                             'converge replaced the image')
