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
"""Access control holds when Heat is the caller: visibility, members, policy.

Each test looks at the image Heat made through a second identity from
Tempest: the alt project, a third member project, or admin.
"""

from glanceclient import exc as glance_exc
from tempest.lib import decorators

from heat_glance_meta_tests import clients
from heat_glance_meta_tests.common import image_view
from heat_glance_meta_tests import known_defects
from heat_glance_meta_tests import templates
from heat_glance_meta_tests.tests import base

EXTRA = {'build': '42'}


class VisibilityTest(base.HeatGlanceTest):
    """Private stays private; shared reaches exactly its members."""

    # 'third': a member of a project that is neither owner nor member.
    credentials = ['primary', 'alt', ['third', 'member']]

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.alt = clients.for_credentials(cls.os_alt.credentials)
        cls.other = clients.for_credentials(cls.os_third.credentials)

    def _listed(self, client, image_id):
        return image_id in {i['id'] for i in client.glance.images.list()}

    @decorators.attr(type='negative')
    @decorators.idempotent_id('58abd119-7e53-4b12-937b-8161cce1edc3')
    def test_private_image_invisible_to_another_project(self):
        stack_id, image = self.create_image_stack(extra_properties=EXTRA,
                                                  visibility='private')
        self.assertRaises(glance_exc.HTTPNotFound,
                          self.alt.glance.images.get, image['id'])
        self.assertFalse(self._listed(self.alt, image['id']))

    @decorators.idempotent_id('db0309dc-9fd3-42ce-8328-04c2b44e5df6')
    def test_shared_image_with_members_reaches_members_only(self):
        """members at create: the member sees image and properties."""
        stack_id, image = self.create_image_stack(
            visibility='shared', members=[self.alt.project_id])
        # Heal a create-time loss (L1): this update re-sends the map.
        image = self.update_image_stack(
            stack_id, extra_properties=EXTRA, visibility='shared',
            members=[self.alt.project_id])
        members = [m['member_id'] for m in
                   self.glance.image_members.list(image['id'])]
        self.assertEqual([self.alt.project_id], members)
        seen = self.get_image(image['id'], glance=self.alt.glance)
        self.assertEqual(EXTRA, image_view.user_properties(seen))
        self.assertRaises(glance_exc.HTTPNotFound,
                          self.other.glance.images.get, image['id'])


class PolicyTest(base.HeatGlanceTest):
    """A member cannot publicise an image or give it away through Heat."""

    @decorators.attr(type='negative')
    @decorators.idempotent_id('ad7cb679-7c94-403a-afab-0653f8cb612e')
    def test_member_cannot_create_public_image(self):
        stack_id = self.create_stack(
            templates.image_stack(visibility='public'),
            self.image_parameters(), wait_for='FAILED')
        reason = base.status_reason(self.heat.stacks.get(stack_id))
        self.assertIn('HTTP 403', reason)
        self.assertIn('publicize_image', reason)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('dee60392-adf7-4b85-9704-9c095fb3de09')
    def test_member_cannot_change_owner(self):
        """owner is update_allowed in Heat, but Glance allows only admin."""
        stack_id, before = self.create_image_stack()
        self.update_stack(stack_id, templates.image_stack(
            owner='0123456789abcdef0123456789abcdef'), wait_for='FAILED')
        reason = base.status_reason(self.heat.stacks.get(stack_id))
        self.assertIn('HTTP 403', reason)
        self.assertIn("Owner can't be updated by non admin", reason)
        self.assertEqual(self.client.project_id,
                         self.get_image(before['id'])['owner'])


class ProtectedImageTest(base.HeatGlanceTest):
    """protected: true and stack delete (D7); the suite still cleans up."""

    @decorators.attr(type='negative')
    @decorators.idempotent_id('663b8fea-7a9f-46ab-af14-299c0ddb6d25')
    def test_stack_delete_of_protected_image(self):
        stack_id, image = self.create_image_stack(protected=True)
        self.heat.stacks.delete(stack_id)
        stack = self.wait_stack_settled(stack_id)
        # Whatever Heat does, the base cleanup unprotects and deletes.
        with known_defects.expected(self, 'D7'):
            self.assertEqual('DELETE_COMPLETE', stack.stack_status,
                             base.status_reason(stack))

    @decorators.attr(type='negative')
    @decorators.idempotent_id('0f4c2b8e-51a7-4f0e-9d43-6c1e7a2d9b35')
    def test_replacing_a_protected_image(self):
        """A replacing change to a protected image must replace it (D7).

        Heat 27 makes the new image, then cannot delete the old one; the
        suite's cleanup finds both from the stack's events.
        """
        stack_id, before = self.create_image_stack(protected=True)
        self.update_stack(stack_id, templates.image_stack(
            protected=True, min_ram=64), wait_for=None)
        stack = self.wait_stack_settled(stack_id)
        with known_defects.expected(self, 'D7'):
            self.assertEqual('UPDATE_COMPLETE', stack.stack_status,
                             base.status_reason(stack))
            self.assert_image_gone(before['id'])
