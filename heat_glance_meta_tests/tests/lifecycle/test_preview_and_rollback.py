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
"""Update preview and failed updates: what Heat says matches what happens."""

from tempest.lib import decorators

from heat_glance_meta_tests.common import image_view
from heat_glance_meta_tests import templates
from heat_glance_meta_tests.tests import base

EXTRA = {'build': '42', 'stage': 'qa'}


class PreviewUpdateTest(base.HeatGlanceTest):
    """PUT .../preview classifies the image change like the real update."""

    def _preview(self, stack_id, template, parameters):
        body = self.heat.stacks.preview_update(
            stack_id, template=templates.dump(template),
            parameters=parameters)
        changes = body['resource_changes']
        return {kind: sorted(r['resource_name'] for r in changes.get(kind, []))
                for kind in ('updated', 'replaced', 'unchanged', 'added',
                             'deleted')}

    @decorators.idempotent_id('65964232-2b69-4d55-83b4-14412e9682e6')
    def test_preview_of_property_change_says_updated(self):
        """An extra_properties change previews as "updated", then is."""
        stack_id, before = self.create_image_stack(extra_properties=EXTRA)
        new = templates.image_stack(extra_properties={'build': '43'},
                                    tags=['t'], os_distro='debian')
        params = self._parameters[stack_id]
        preview = self._preview(stack_id, new, params)
        self.assertEqual(['img'], preview['updated'])
        self.assertEqual([], preview['replaced'])
        self.update_stack(stack_id, new)
        after = self.get_image(self.image_id(stack_id))
        self.assertEqual(before['id'], after['id'])

    @decorators.idempotent_id('867f0785-a9ba-4524-af06-6cbedb8105df')
    def test_preview_of_replacing_change_says_replaced(self):
        """min_ram and name changes preview as "replaced", then are."""
        stack_id, before = self.create_image_stack(extra_properties=EXTRA)
        new = templates.image_stack(extra_properties=EXTRA, min_ram=64)
        params = dict(self._parameters[stack_id],
                      image_name=self.unique_name('renamed'))
        preview = self._preview(stack_id, new, params)
        self.assertEqual(['img'], preview['replaced'])
        self.assertEqual([], preview['updated'])
        self.update_stack(stack_id, new, parameters=params)
        after = self.get_image(self.image_id(stack_id))
        self.assert_replaced(before, after)


class FailedUpdateTest(base.HeatGlanceTest):
    """A failed update leaves the image's previous properties in place."""

    # Glance refuses a reserved key (403) after Heat changed the tags: the
    # update fails half-way through handle_update.
    BAD = {'build': '43', 'os_glance_bad': 'x'}

    def _create_settled(self, **props):
        """An image whose properties went through an update.

        The update changes extra_properties, so Heat re-sends the whole map
        and a create-time loss (L1) cannot blur what is checked later.
        """
        stack_id, _ = self.create_image_stack(
            extra_properties={'build': '41'}, **props)
        image = self.update_image_stack(stack_id, extra_properties=EXTRA,
                                        os_distro='debian', **props)
        self.assertEqual(dict(EXTRA, os_distro='debian'),
                         image_view.user_properties(image))
        return dict(image, stack_id=stack_id)

    def _fail_update(self, stack_id, rollback):
        self.update_stack(
            stack_id, templates.image_stack(extra_properties=self.BAD,
                                            tags=['changed'],
                                            os_distro='debian'),
            wait_for=None, disable_rollback=not rollback)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('73cd349c-bfae-45ef-afc1-0b211df99c8a')
    def test_failed_update_without_rollback_keeps_properties(self):
        """UPDATE_FAILED; Glance still shows the previous properties."""
        before = self._create_settled(tags=['orig'])
        stack_id = before['stack_id']
        self._fail_update(stack_id, rollback=False)
        stack = self.wait_stack(stack_id, 'UPDATE_FAILED')
        self.assertIn("'os_glance_bad' is reserved",
                      base.status_reason(stack))
        after = self.get_image(before['id'])
        self.assertEqual(dict(EXTRA, os_distro='debian'),
                         image_view.user_properties(after))

    @decorators.attr(type='negative')
    @decorators.idempotent_id('cd33a0ae-c213-4c97-88e8-1fab0cb66912')
    def test_failed_update_with_rollback_restores_properties(self):
        """ROLLBACK_COMPLETE; the stack's image has the previous state.

        Heat's rollback replaces the resource whose update failed, so the
        image is usually a new one, made by a create (with the create race).
        """
        before = self._create_settled(tags=['orig'])
        stack_id = before['stack_id']
        self._fail_update(stack_id, rollback=True)
        self.wait_stack(stack_id, 'ROLLBACK_COMPLETE')
        image = self.get_image(self.image_id(stack_id))
        self.assertEqual('active', image['status'])
        self.assertEqual(['orig'], image['tags'])
        self.assert_user_properties(dict(EXTRA, os_distro='debian'), image,
                                    EXTRA, before['id'])
