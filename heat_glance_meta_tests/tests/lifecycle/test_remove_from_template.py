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
"""An update that leaves a property out of the template.

Heat then applies the property's default (or no value): in place for the
properties Heat documents as updatable, by a new image for the others.
Removing extra_properties is in test_update_in_place; removing
architecture, os_distro, os_version, kernel_id or ramdisk_id is known
defect D4 (defects.test_known_defects).
"""

from tempest.lib.common.utils import data_utils
from tempest.lib import decorators

from heat_glance_meta_tests.tests import base


class RemoveInPlaceTest(base.HeatGlanceTest):
    """Updatable properties left out: the default, on the same image."""

    def _remove(self, **properties):
        stack_id, before = self.create_image_stack(**properties)
        self.wait_clock_past(before)
        after = self.update_image_stack(stack_id)
        self.assert_updated_in_place(before, after)
        return before, after

    @decorators.idempotent_id('4bcda12a-4874-4879-a643-62be146cfed1')
    def test_removing_tags_removes_every_tag(self):
        before, after = self._remove(tags=['alpha', 'beta'])
        self.assertEqual(['alpha', 'beta'], sorted(before['tags']))
        self.assertEqual([], after['tags'])

    @decorators.idempotent_id('2a20ea32-6338-4ad1-aa4e-76f233629462')
    def test_removing_protected_unprotects(self):
        before, after = self._remove(protected=True)
        self.assertEqual((True, False),
                         (before['protected'], after['protected']))

    @decorators.idempotent_id('b1e11104-c236-4d04-a6c1-592becbbc09f')
    def test_removing_visibility_makes_the_image_private(self):
        before, after = self._remove(visibility='community')
        self.assertEqual(('community', 'private'),
                         (before['visibility'], after['visibility']))

    @decorators.idempotent_id('99addc4b-3382-424b-b7ac-d345e8c02f1b')
    def test_removing_active_false_reactivates(self):
        stack_id, before = self.create_image_stack(active=False)
        self.assertEqual('deactivated', before['status'])
        after = self.update_image_stack(stack_id)
        self.assertEqual((before['id'], 'active'),
                         (after['id'], after['status']))


class RemoveReplacingTest(base.HeatGlanceTest):
    """Replacing properties left out: a new image with the default."""

    def _replace(self, created, updated):
        stack_id, before = self.create_image_stack(**created)
        after = self.update_image_stack(stack_id, **updated)
        self.assert_replaced(before, after)
        return before, after

    @decorators.idempotent_id('ca482c0c-480b-462b-8105-6a68e257fcc6')
    def test_removing_min_disk_and_min_ram(self):
        before, after = self._replace(dict(min_disk=2, min_ram=128), {})
        self.assertEqual((2, 128), (before['min_disk'], before['min_ram']))
        self.assertEqual((0, 0), (after['min_disk'], after['min_ram']))

    @decorators.idempotent_id('c613ecde-3c19-4526-a454-c3e9b10ed687')
    def test_removing_name(self):
        before, after = self._replace({}, dict(name=None))
        self.assertIsNotNone(before['name'])
        self.assertIsNone(after['name'])

    @decorators.idempotent_id('e0c335b1-7b60-49e6-a4fb-23caacb25a79')
    def test_removing_id(self):
        """An explicit id left out: a new image with an id Glance chose."""
        explicit = data_utils.rand_uuid()
        before, after = self._replace(dict(id=explicit), {})
        self.assertEqual(explicit, before['id'])
