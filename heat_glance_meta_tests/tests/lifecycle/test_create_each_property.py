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
"""Create with each property left out (its default) or set to a non-default.

The defaults are those Heat publishes in the resource schema, as Glance
shows them on the image; the non-default values are those the other create
tests do not already set (see schema_coverage.yaml).
"""

from tempest.lib.common.utils import data_utils
from tempest.lib import decorators

from heat_glance_meta_tests import clients
from heat_glance_meta_tests.common import create_race
from heat_glance_meta_tests.common import image_view
from heat_glance_meta_tests.tests import base

EXTRA = {'build': '42'}


class CreateEachPropertyTest(base.HeatGlanceTest):
    """One create per value a user may choose, checked in Glance."""

    @decorators.idempotent_id('56aee15e-013d-4732-bcaa-94be1ae62cf6')
    def test_only_required_properties_give_the_documented_defaults(self):
        """location and the formats only: Heat's defaults, seen in Glance."""
        stack_id, image = self.create_image_stack(name=None)
        self.assertEqual(
            {'name': None, 'min_disk': 0, 'min_ram': 0, 'protected': False,
             'visibility': 'private', 'status': 'active', 'tags': [],
             'owner': self.client.project_id},
            {k: image.get(k) for k in ('name', 'min_disk', 'min_ram',
                                       'protected', 'visibility', 'status',
                                       'tags', 'owner')})
        self.assertEqual({}, image_view.user_properties(image))

    @decorators.idempotent_id('ebcb278c-de11-47cf-95c7-f14113bb1c10')
    def test_inactive_image(self):
        """active: false gives a deactivated image with its properties."""
        stack_id, image = self.create_image_stack(active=False,
                                                  extra_properties=EXTRA)
        self.assertEqual('deactivated', image['status'])
        create_race.assert_properties(self, EXTRA, image, EXTRA)

    @decorators.idempotent_id('27a90695-829c-4391-bef3-d031bb55e2b2')
    def test_protected_image(self):
        """protected: true at create; the test unprotects it through Heat."""
        stack_id, image = self.create_image_stack(protected=True)
        self.assertTrue(image['protected'])
        self.assertEqual('active', image['status'])
        after = self.update_image_stack(stack_id, protected=False)
        self.assertEqual((image['id'], False),
                         (after['id'], after['protected']))

    @decorators.idempotent_id('eae9d378-f13a-4e11-9f5d-f51c84f9d118')
    def test_community_image(self):
        stack_id, image = self.create_image_stack(visibility='community')
        self.assertEqual('community', image['visibility'])

    @decorators.idempotent_id('5fdb2fd3-f7b5-4a83-b16b-031752f0dbcb')
    def test_shared_image_without_members(self):
        stack_id, image = self.create_image_stack(visibility='shared')
        self.assertEqual('shared', image['visibility'])
        self.assertEqual([], list(self.glance.image_members.list(
            image['id'])))

    @decorators.idempotent_id('9349c540-aafd-4f54-8fc4-0ba99eeb02a8')
    def test_kernel_and_ramdisk_ids(self):
        kernel, ramdisk = data_utils.rand_uuid(), data_utils.rand_uuid()
        stack_id, image = self.create_image_stack(kernel_id=kernel,
                                                  ramdisk_id=ramdisk)
        self.assertEqual({'kernel_id': kernel, 'ramdisk_id': ramdisk},
                         image_view.user_properties(image))

    @decorators.idempotent_id('5e3ea1fe-1e0b-4cad-8658-2a4b961e108d')
    def test_aws_formats(self):
        """An AMI: container and disk format ami, as Glance shows them."""
        params = self.image_parameters(disk_format='ami',
                                       container_format='ami')
        stack_id, image = self.create_image_stack(parameters=params)
        self.assertEqual(('ami', 'ami', 'active'),
                         (image['container_format'], image['disk_format'],
                          image['status']))


class AdminCreateTest(base.HeatGlanceTest):
    """What only an admin may set at create: public images, owner."""

    credentials = ['primary', 'admin']

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.admin = clients.for_credentials(cls.os_admin.credentials)

    @decorators.idempotent_id('718b875e-fb8b-4f72-abf9-ab6159aa7095')
    def test_public_image_owned_by_another_project(self):
        stack_id, image = self.create_image_stack(
            client=self.admin, visibility='public',
            owner=self.client.project_id)
        self.assertEqual(('public', self.client.project_id),
                         (image['visibility'], image['owner']))
        # The owner project sees it as its own image.
        self.assertEqual(image['id'],
                         self.get_image(image['id'])['id'])
        stack = self.admin.heat.stacks.get(stack_id)
        self.assertEqual('CREATE_COMPLETE', stack.stack_status)
        self.assertNotEqual(self.client.project_id, self.admin.project_id)
