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
"""One reproducer per known Heat defect that the public API can show.

Each test states the correct behaviour and wraps the check that the defect
breaks in known_defects.expected(): an expected failure while
``[heat_glance_meta_known_defects]`` says the cloud has the defect, a
failure once it says fixed. docs: doc/source/known-defects.rst.
"""


from tempest.lib.common.utils import data_utils
from tempest.lib import decorators
from testtools import content

from heat_glance_meta_tests import clients
from heat_glance_meta_tests.common import create_race
from heat_glance_meta_tests.common import image_view
from heat_glance_meta_tests import known_defects
from heat_glance_meta_tests import templates
from heat_glance_meta_tests.tests import base

EXTRA = {'build': '42', 'stage': 'qa'}


class CreateRaceTest(base.HeatGlanceTest):
    """L1: properties set at create lost to Glance's import task."""

    # A race that loses a fraction p of the creates goes unseen in n
    # creates with probability (1 - p) ** n; to see it with 99 % needs
    # n >= log(0.01) / log(1 - p): 44 creates for p = 10 %, 29 for 15 %,
    # 21 for 20 %. Runs here lost 3 to 7 of 30 (10 to 23 %).
    GROUP_SIZE = 44
    # Heat starts (and deletes) about one resource a second per stack and
    # engine worker: four stacks of 11, made and deleted side by side, wait
    # a quarter as long as one of 44 when the engine has four workers.
    STACKS = 4

    @decorators.idempotent_id('d9831c88-20b7-4bbe-b81b-edc7eb2a0802')
    def test_group_of_images_keeps_every_property(self):
        """Every image of 44 (4 groups of 11) has its extra_properties."""
        template = {
            'heat_template_version': '2021-04-16',
            'parameters': {'location': {'type': 'string'},
                           'prefix': {'type': 'string'}},
            'resources': {'group': {
                'type': 'OS::Heat::ResourceGroup',
                'properties': {
                    'count': self.GROUP_SIZE // self.STACKS,
                    'resource_def': {
                        'type': 'OS::Glance::WebImage',
                        'properties': {
                            'name': {'list_join': [
                                '-', [{'get_param': 'prefix'}, '%index%']]},
                            'location': {'get_param': 'location'},
                            'disk_format': 'raw',
                            'container_format': 'bare',
                            'extra_properties': EXTRA}}}}}}
        stack_ids = [
            self.create_stack(template, {
                'location': self.image_parameters()['location'],
                'prefix': self.unique_name('group')}, wait_for=None)
            for _ in range(self.STACKS)]
        # Runs before each stack's own cleanup, which then finds it gone.
        self.addCleanup(self.delete_stacks, stack_ids)
        image_ids = []
        for stack_id in stack_ids:
            self.wait_stack(stack_id, 'CREATE_COMPLETE')
            self.remember_images(stack_id)
            image_ids.extend(self._images_seen[stack_id])
        image_ids.sort()
        self.assertEqual(self.GROUP_SIZE, len(image_ids))
        seen = {i: image_view.user_properties(self.get_image(i))
                for i in image_ids}
        lost = [i for i in image_ids if seen[i] != EXTRA]
        rate = '%d of %d creates lost their properties' % (
            len(lost), len(image_ids))
        self.addDetail('l1-loss-rate', content.text_content(rate))
        # The race loses the whole map of some creates; a partial or wrong
        # map, or losing every one, is a plain regression the L1 flag must
        # not excuse.
        self.assertEqual({}, {i: seen[i] for i in lost
                              if not create_race.is_lost_map(
                                  EXTRA, seen[i], EXTRA)},
                         'not the L1 race: these images have a wrong map')
        self.assertLess(len(lost), len(image_ids),
                        'every create lost its properties: not the L1 race')
        with known_defects.expected(self, 'L1'):
            self.assertEqual([], lost, rate)


class MembersUpdateTest(base.HeatGlanceTest):
    """L2, D1: members cannot be updated in place."""

    credentials = ['primary', 'alt']

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.alt = clients.for_credentials(cls.os_alt.credentials)

    def _members(self, image_id):
        return [m['member_id'] for m in
                self.glance.image_members.list(image_id)]

    def _update_members(self, **extra):
        stack_id, before = self.create_image_stack(visibility='shared')
        self.update_stack(stack_id, templates.image_stack(
            visibility='shared', members=[self.alt.project_id], **extra),
            wait_for=None)
        stack = self.wait_stack_settled(stack_id)
        return stack, before

    @decorators.idempotent_id('7c75063b-bb77-4c6f-952e-987b8388c695')
    def test_members_added_in_place(self):
        stack, before = self._update_members()
        with known_defects.expected(self, 'L2'):
            self.assertEqual('UPDATE_COMPLETE', stack.stack_status,
                             base.status_reason(stack))
            self.assertEqual([self.alt.project_id],
                             self._members(before['id']))

    @decorators.idempotent_id('7dd2e721-f525-4b11-90bb-667fef6b8d54')
    def test_members_removed_in_place(self):
        """L2: leaving members out of the template removes the member."""
        stack_id, before = self.create_image_stack(
            visibility='shared', members=[self.alt.project_id])
        self.assertEqual([self.alt.project_id], self._members(before['id']))
        self.update_stack(stack_id, templates.image_stack(
            visibility='shared'), wait_for=None)
        stack = self.wait_stack_settled(stack_id)
        with known_defects.expected(self, 'L2'):
            self.assertEqual('UPDATE_COMPLETE', stack.stack_status,
                             base.status_reason(stack))
            self.assertEqual([], self._members(before['id']))

    @decorators.idempotent_id('9cede3af-fa34-4716-af87-05b78c6d5f48')
    def test_members_and_extra_properties_in_one_update(self):
        stack, before = self._update_members(extra_properties=EXTRA)
        with known_defects.expected(self, 'D1'):
            self.assertEqual('UPDATE_COMPLETE', stack.stack_status,
                             base.status_reason(stack))
            self.assertEqual([self.alt.project_id],
                             self._members(before['id']))
            self.assertEqual(EXTRA, image_view.user_properties(
                self.get_image(before['id'])))


class UpdateDefectsTest(base.HeatGlanceTest):
    """D2, D4, D5, D8, D9: updates that go wrong."""

    def _settled_update(self, stack_id, template, **kwargs):
        self.update_stack(stack_id, template, wait_for=None, **kwargs)
        return self.wait_stack_settled(stack_id)

    @decorators.idempotent_id('fb238ca3-add5-4e91-b249-5555111e3a05')
    def test_metadata_only_update(self):
        """D2: changing only the resource's metadata completes."""
        stack_id, before = self.create_image_stack(extra_properties=EXTRA)
        template = templates.image_stack(extra_properties=EXTRA)
        template['resources'][templates.RESOURCE]['metadata'] = {'rev': '2'}
        stack = self._settled_update(stack_id, template)
        with known_defects.expected(self, 'D2'):
            self.assertEqual('UPDATE_COMPLETE', stack.stack_status,
                             base.status_reason(stack))

    def _assert_removing_removes(self, key, value):
        """D4: leaving ``key`` out of the template removes it."""
        stack_id, before = self.create_image_stack(**{key: value})
        self.assertEqual(value, before[key])
        stack = self._settled_update(stack_id, templates.image_stack())
        with known_defects.expected(self, 'D4'):
            self.assertEqual('UPDATE_COMPLETE', stack.stack_status,
                             base.status_reason(stack))
            self.assertNotIn(key, self.get_image(before['id']))

    @decorators.idempotent_id('851d5de0-4b49-4083-8518-42dc94d8a5f9')
    def test_removing_os_distro_removes_it(self):
        self._assert_removing_removes('os_distro', 'debian')

    @decorators.idempotent_id('dbeda9e7-16e2-4c52-9b70-b1b9d5a83dd1')
    def test_removing_os_version_removes_it(self):
        self._assert_removing_removes('os_version', '12')

    @decorators.idempotent_id('238efab1-4957-47b9-ba98-dd31e3dd0455')
    def test_removing_architecture_removes_it(self):
        self._assert_removing_removes('architecture', 'x86_64')

    @decorators.idempotent_id('38633c3c-b1e2-4abb-a7ae-a1001b657635')
    def test_removing_kernel_id_removes_it(self):
        self._assert_removing_removes('kernel_id', data_utils.rand_uuid())

    @decorators.idempotent_id('6d7d595e-b729-480a-9e32-e25575c03c62')
    def test_removing_ramdisk_id_removes_it(self):
        self._assert_removing_removes('ramdisk_id', data_utils.rand_uuid())

    @decorators.idempotent_id('26e67d7e-55ba-483e-a213-973ad8e38991')
    def test_name_in_extra_properties_does_not_rename_in_place(self):
        """D5: extra_properties cannot rename the image behind Heat."""
        stack_id, before = self.create_image_stack(extra_properties=EXTRA)
        stack = self._settled_update(stack_id, templates.image_stack(
            extra_properties=dict(EXTRA, name='renamed-by-extra')))
        image = self.get_image(self.image_id(stack_id))
        with known_defects.expected(self, 'D5'):
            self.assertEqual(before['name'], image['name'],
                             'renamed in place by extra_properties; stack '
                             '%s' % stack.stack_status)

    @decorators.idempotent_id('bd88d8a3-7109-4000-a618-a7ad1476c71c')
    def test_converge_update_keeps_image(self):
        """D8: an unchanged converge update keeps the same image."""
        stack_id, before = self.create_image_stack(extra_properties=EXTRA)
        stack = self._settled_update(
            stack_id, templates.image_stack(extra_properties=EXTRA),
            converge=True)
        self.assertEqual('UPDATE_COMPLETE', stack.stack_status,
                         base.status_reason(stack))
        with known_defects.expected(self, 'D8'):
            self.assertEqual(before['id'], self.image_id(stack_id),
                             'observing reality replaced the image')

    @decorators.idempotent_id('6b74f07c-10ba-4179-8935-91ae24675c87')
    def test_replacing_image_with_explicit_id(self):
        """D9: a replacing change of an image with an explicit id.

        Heat makes the replacement before it deletes the old image, so
        Glance refuses the replacement's id (409) and Heat retries the
        create with growing pauses (about a minute in all) before the
        update fails. The first refusal already decides: while the old
        image exists every retry is refused the same way.
        """
        image_id = data_utils.rand_uuid()
        stack_id, before = self.create_image_stack(id=image_id)
        self.assertEqual(image_id, before['id'])
        self.update_stack(stack_id, templates.image_stack(id=image_id,
                                                          min_ram=64),
                          wait_for=None)
        collision = 'Image ID %s already exists' % image_id
        stack, refused = self.stack_settled_or_event(
            stack_id, lambda e: collision in (e.resource_status_reason or ''))
        if not refused:
            # Failing another way is not D9.
            self.assertEqual('UPDATE_COMPLETE', stack.stack_status,
                             base.status_reason(stack))
        with known_defects.expected(self, 'D9'):
            self.assertEqual([], refused,
                             'Glance refused the replacement\'s create')


class CreateDefectsTest(base.HeatGlanceTest):
    """D3: bad values found only after the image exists."""

    @decorators.attr(type='negative')
    @decorators.idempotent_id('2847ad3d-6b11-4864-bb12-4f2aee96f341')
    def test_non_string_value_refused_before_image_is_made(self):
        stack_id = self.create_stack(
            templates.image_stack(extra_properties={'k': 42}),
            self.image_parameters(), wait_for='FAILED')
        res = self.heat.resources.get(stack_id, templates.RESOURCE)
        with known_defects.expected(self, 'D3'):
            self.assertIsNone(
                res.physical_resource_id,
                'image %s was created before the value was checked'
                % res.physical_resource_id)
