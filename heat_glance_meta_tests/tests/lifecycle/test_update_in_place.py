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
"""In-place updates: the same image (id, created_at, data), new metadata.

Each test creates an image, waits for Glance's clock to pass its updated_at,
updates the stack and compares Glance's view before and after. After an
update that changes extra_properties Heat re-sends the whole map, so the
exact checks here are deterministic even when the create lost properties
(L1; that is checked by the create tests).
"""


from tempest.lib.common.utils import data_utils
from tempest.lib import decorators

from heat_glance_meta_tests.common import create_race
from heat_glance_meta_tests.common import image_view
from heat_glance_meta_tests import templates
from heat_glance_meta_tests.tests import base

START = {'build': '42', 'stage': 'qa', 'owner_team': 'core'}


class UpdateInPlaceTest(base.HeatGlanceTest):
    """Properties Heat documents as update_allowed change the same image."""

    def _update_extra(self, new_extra, start=START, **update_kwargs):
        stack_id, _ = self.create_image_stack(extra_properties={'seed': '0'})
        # Reach the start state through an update: Heat re-sends a changed
        # map whole, so it is exact even if the create lost the seed (L1);
        # otherwise removing keys the create lost would change nothing.
        before = self.update_image_stack(stack_id, extra_properties=start)
        self.assertEqual(start, image_view.user_properties(before))
        self.wait_clock_past(before)
        after = self.update_image_stack(stack_id, extra_properties=new_extra,
                                        **update_kwargs)
        self.assert_updated_in_place(before, after)
        return stack_id, after

    @decorators.idempotent_id('7b0bf3e9-0165-400d-87d5-53a318b2793d')
    def test_update_adds_key_in_place(self):
        """A key added to extra_properties appears on the same image."""
        new = dict(START, added='yes')
        _, after = self._update_extra(new)
        self.assertEqual(new, image_view.user_properties(after))

    @decorators.idempotent_id('f6033bd8-b69a-4061-8857-6fbff49408b4')
    def test_update_changes_value_in_place(self):
        """A changed value replaces the old one on the same image."""
        new = dict(START, build='43')
        _, after = self._update_extra(new)
        self.assertEqual(new, image_view.user_properties(after))

    @decorators.idempotent_id('0fb598e5-15b6-4892-8185-82dba283a9e0')
    def test_update_removes_key_in_place(self):
        """A key left out of extra_properties is removed from the image."""
        new = {'build': '42', 'stage': 'qa'}
        _, after = self._update_extra(new)
        self.assertEqual(new, image_view.user_properties(after))

    @decorators.idempotent_id('a8b06493-264e-45b6-a4fe-425ad4c786bb')
    def test_update_to_empty_map_removes_all_keys(self):
        """extra_properties: {} removes every user property."""
        _, after = self._update_extra({})
        self.assertEqual({}, image_view.user_properties(after))

    @decorators.idempotent_id('3e3491be-a3cb-41f7-883f-cc25bcb02950')
    def test_update_omitting_extra_properties_removes_all_keys(self):
        """Leaving extra_properties out of the template removes them all."""
        _, after = self._update_extra(None)
        self.assertEqual({}, image_view.user_properties(after))

    @decorators.idempotent_id('e4260189-d6d7-465a-b117-2b79565dc13e')
    def test_update_adds_and_removes_tags(self):
        """Tags are added and removed on the same image."""
        stack_id, before = self.create_image_stack(tags=['a', 'b'])
        self.wait_clock_past(before)
        after = self.update_image_stack(stack_id, tags=['b', 'c'])
        self.assert_updated_in_place(before, after)
        self.assertEqual(['b', 'c'], sorted(after['tags']))

    @decorators.idempotent_id('3ccef17b-d2b6-4f7e-bf51-fe73639fc932')
    def test_update_first_class_os_properties(self):
        """architecture, os_distro and os_version change in place."""
        old = {'architecture': 'x86_64', 'os_distro': 'debian',
               'os_version': '12'}
        new = {'architecture': 'aarch64', 'os_distro': 'ubuntu',
               'os_version': '24.04'}
        stack_id, before = self.create_image_stack(**old)
        self.wait_clock_past(before)
        after = self.update_image_stack(stack_id, **new)
        self.assert_updated_in_place(before, after)
        self.assertEqual(new, image_view.user_properties(after))

    @decorators.idempotent_id('4cb86133-4b14-4bf6-a6c8-0c4488f3a91f')
    def test_update_kernel_and_ramdisk_ids(self):
        """kernel_id and ramdisk_id change in place."""
        new = {'kernel_id': data_utils.rand_uuid(),
               'ramdisk_id': data_utils.rand_uuid()}
        stack_id, before = self.create_image_stack(
            kernel_id=data_utils.rand_uuid(),
            ramdisk_id=data_utils.rand_uuid())
        self.wait_clock_past(before)
        after = self.update_image_stack(stack_id, **new)
        self.assert_updated_in_place(before, after)
        self.assertEqual(new, image_view.user_properties(after))

    @decorators.idempotent_id('9563cc14-a38e-49c5-a741-5a3514486cda')
    def test_update_visibility_private_to_shared_and_back(self):
        """visibility goes private -> shared -> private on the same image."""
        stack_id, before = self.create_image_stack(visibility='private')
        self.assertEqual('private', before['visibility'])
        self.wait_clock_past(before)
        shared = self.update_image_stack(stack_id, visibility='shared')
        self.assert_updated_in_place(before, shared)
        self.assertEqual('shared', shared['visibility'])
        self.wait_clock_past(shared)
        private = self.update_image_stack(stack_id, visibility='private')
        self.assert_updated_in_place(shared, private)
        self.assertEqual('private', private['visibility'])

    @decorators.idempotent_id('a0b49091-0bbf-4244-86ad-5bd62cacd13f')
    def test_update_protected_on_and_off(self):
        """protected goes false -> true -> false on the same image."""
        stack_id, before = self.create_image_stack(protected=False)
        self.wait_clock_past(before)
        on = self.update_image_stack(stack_id, protected=True)
        self.assert_updated_in_place(before, on)
        self.assertTrue(on['protected'])
        self.wait_clock_past(on)
        off = self.update_image_stack(stack_id, protected=False)
        self.assert_updated_in_place(on, off)
        self.assertFalse(off['protected'])

    @decorators.idempotent_id('ac9862aa-9461-4b00-a99f-241f78398c4a')
    def test_update_active_false_deactivates_and_back(self):
        """active: false deactivates the image, true reactivates it."""
        stack_id, before = self.create_image_stack(active=True)
        self.assertEqual('active', before['status'])
        self.wait_clock_past(before)
        off = self.update_image_stack(stack_id, active=False)
        self.assert_updated_in_place(before, off)
        self.assertEqual('deactivated', off['status'])
        self.wait_clock_past(off)
        on = self.update_image_stack(stack_id, active=True)
        self.assert_updated_in_place(off, on)
        self.assertEqual('active', on['status'])

    @decorators.idempotent_id('34e5725b-f12f-419d-9b25-286b71c41c61')
    def test_update_several_properties_at_once(self):
        """Properties, tags, first-class fields and visibility in one go."""
        stack_id, before = self.create_image_stack(
            extra_properties=START, tags=['a'], os_distro='debian',
            visibility='private')
        self.wait_clock_past(before)
        new_extra = {'build': '43', 'added': 'x'}
        after = self.update_image_stack(
            stack_id, extra_properties=new_extra, tags=['b'],
            os_distro='fedora', visibility='shared')
        self.assert_updated_in_place(before, after)
        self.assertEqual(dict(new_extra, os_distro='fedora'),
                         image_view.user_properties(after))
        self.assertEqual((['b'], 'shared'),
                         (after['tags'], after['visibility']))

    @decorators.idempotent_id('377eddde-a90a-45a2-9c31-049a5411cfdf')
    def test_patch_update_with_parameters_only(self):
        """A PATCH update (existing=true) changing a parameter only."""
        params = self.image_parameters()
        stack_id = self.create_stack(
            templates.image_stack(extra_properties_parameter=True),
            dict(params, extra_properties=START))
        before = self.get_image(self.image_id(stack_id))
        self.wait_clock_past(before)
        new = {'build': '44', 'patched': 'true'}
        # PATCH keeps the template and the other parameters.
        self.update_stack(stack_id, parameters={'extra_properties': new},
                          existing=True)
        after = self.get_image(self.image_id(stack_id))
        self.assert_updated_in_place(before, after)
        self.assertEqual(new, image_view.user_properties(after))
        self.assertEqual(params['image_name'], after['name'])

    @decorators.idempotent_id('1f2e448e-6633-412a-8dff-c3e7539c5341')
    def test_unchanged_template_update_changes_nothing(self):
        """Re-sending the same template leaves the image untouched."""
        stack_id, before = self.create_image_stack(extra_properties=START)
        params = {'image_name': before['name']}
        self.update_stack(stack_id, templates.image_stack(
            extra_properties=START), parameters=params, existing=True)
        after = self.get_image(self.image_id(stack_id))
        self.assertEqual(before, after)
        create_race.assert_properties(self, START, after, START)
