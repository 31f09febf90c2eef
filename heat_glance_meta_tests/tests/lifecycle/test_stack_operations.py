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
"""Heat's other stack operations on an image stack, checked in Glance.

Stack check, snapshot and restore, abandon and adopt, a resource taken
over through ``external_id``, mark-unhealthy and cancelling an update (with
and without rollback): each touches the image and its metadata, and no
other suite runs them on an image.
"""

import json

from tempest import config
from tempest.lib import decorators

from heat_glance_meta_tests.common import cleanup
from heat_glance_meta_tests.common import image_view
from heat_glance_meta_tests import known_defects
from heat_glance_meta_tests import templates
from heat_glance_meta_tests.tests import base

CONF = config.CONF
START = {'build': '1', 'team': 'qa'}
CHANGED = {'build': '2', 'stage': 'rc'}
# Heat's reason when Glance answered its DELETE of the image with a 500.
GLANCE_DELETE_500 = ('Resource DELETE failed: HTTPInternalServerError: '
                     'resources.%s: HTTP 500' % templates.RESOURCE)


class ImageStackTest(base.HeatGlanceTest):
    """Tests that start from an image stack with a known map."""

    def _image_stack(self, extra=START):
        """A stack whose image holds ``extra`` for certain.

        The map is set by an update, not at create, where the create race
        (L1) may wipe it: the create tests have that subject.
        """
        stack_id, image = self.create_image_stack()
        self.wait_clock_past(image)
        image = self.update_image_stack(stack_id, extra_properties=extra)
        self.assertEqual(extra, image_view.user_properties(image))
        return stack_id, image


class StackOperationsTest(ImageStackTest):

    @decorators.idempotent_id('4d8a0f1c-2b7e-4f39-9a51-7c3e6b2d1f08')
    def test_check_notices_an_image_deleted_behind_heat(self):
        """stack check must fail when the image is gone (D15)."""
        stack_id, image = self._image_stack()
        cleanup.delete_image(self.glance, image['id'])
        self.heat.actions.check(stack_id)
        stack = self.wait_stack_settled(stack_id)
        with known_defects.expected(self, 'D15'):
            self.assertEqual('CHECK_FAILED', stack.stack_status,
                             base.status_reason(stack))

    @decorators.idempotent_id('b61e3c57-0a9d-4e2f-8c41-5d7f2a9e3b16')
    def test_check_of_a_healthy_image(self):
        stack_id, image = self._image_stack()
        self.heat.actions.check(stack_id)
        stack = self.wait_stack_settled(stack_id)
        self.assertEqual('CHECK_COMPLETE', stack.stack_status,
                         base.status_reason(stack))
        self.assertEqual(image, self.get_image(image['id']))

    @decorators.idempotent_id('e7f2a4c9-6b3d-41a8-9e05-2c8d7b1f4a63')
    def test_restore_brings_back_the_properties_of_the_snapshot(self):
        stack_id, image = self._image_stack()
        snapshot = self.heat.stacks.snapshot(stack_id, 'before-change')
        self.wait_stack(stack_id, 'SNAPSHOT_COMPLETE')
        self.update_image_stack(stack_id, extra_properties=CHANGED)
        self.heat.stacks.restore(stack_id, snapshot['id'])
        self.wait_stack(stack_id, 'RESTORE_COMPLETE')
        after = self.get_image(self.image_id(stack_id))
        self.assert_updated_in_place(image, after)
        self.assertEqual(START, image_view.user_properties(after))

    @decorators.idempotent_id('1a9c6e2b-7d4f-4b80-a3e6-9f2d5c8b0e47')
    def test_abandon_keeps_the_image_and_adopt_takes_it_back(self):
        if not CONF.heat_glance_meta_feature_enabled.stack_abandon_adopt:
            raise self.skipException(
                'Heat has stack abandon and adopt off '
                '([heat_glance_meta_feature_enabled] stack_abandon_adopt)')
        stack_id, image = self._image_stack()
        data = self.heat.stacks.abandon(stack_id)
        self.assertEqual(image, self.get_image(image['id']),
                         'abandon must leave the image untouched')
        # The abandoned stack's cleanup must not count the image as a
        # leak: the adopted stack owns it now.
        self._images_seen.pop(stack_id, None)
        params = self.image_parameters(image_name=image['name'])
        adopted = self.create_stack(
            templates.image_stack(extra_properties=START), params,
            wait_for=None, adopt_stack_data=json.dumps(data))
        self.wait_stack(adopted, 'ADOPT_COMPLETE')
        self.assertEqual(image['id'], self.image_id(adopted))
        self.wait_clock_past(image)
        after = self.update_image_stack(adopted, extra_properties=CHANGED)
        self.assert_updated_in_place(image, after)
        self.assertEqual(CHANGED, image_view.user_properties(after))
        self.delete_stack(adopted)
        self.assert_image_gone(image['id'])

    @decorators.idempotent_id('8c3b5d0e-4f1a-4e97-b2d8-6a0c9e7f5b21')
    def test_external_image_is_left_alone_and_kept_on_delete(self):
        settings = self.image_parameters()
        made = self.glance.images.create(
            name=settings['image_name'],
            disk_format=settings['disk_format'],
            container_format=settings['container_format'])
        self.addCleanup(cleanup.delete_image, self.glance, made['id'])
        before = self.get_image(made['id'])
        stack_id = self.create_stack(self._external(made, START), settings)
        self.assertEqual(made['id'], self.image_id(stack_id))
        self.update_stack(stack_id, self._external(made, CHANGED))
        after = self.get_image(made['id'])
        # Heat documents an external resource as not managed by it: its
        # properties are not used, on create or update.
        self.assertEqual(before, after)
        # Nor is it deleted with the stack.
        self._images_seen.pop(stack_id, None)
        self.assertTrue(cleanup.delete_and_wait(self.heat, stack_id))
        self.assertEqual(after, self.get_image(made['id']))

    @staticmethod
    def _external(image, extra):
        template = templates.image_stack(extra_properties=extra)
        template['resources'][templates.RESOURCE]['external_id'] = (
            image['id'])
        return template

    @decorators.idempotent_id('f0d7b9a2-3c6e-4d15-8e2a-1b4f7c9d6e38')
    def test_update_after_mark_unhealthy_replaces_the_image(self):
        stack_id, image = self._image_stack()
        self.heat.resources.mark_unhealthy(
            stack_id, templates.RESOURCE, True, 'marked by the test')
        after = self.update_image_stack(stack_id, extra_properties=CHANGED)
        self.assert_replaced(image, after)
        self.assert_user_properties(CHANGED, after, CHANGED,
                                    before_id=image['id'])


class CancelUpdateTest(ImageStackTest):
    """Cancel an update that changes the map and replaces the image.

    The update moves the image to ``slow_image_url``: its replacement's
    import stays in progress for tens of seconds, the window in which the
    test cancels. The import then finishes by itself, so the result of
    the cancel is reached whatever Heat does with the resource in flight.
    """

    def _update_cancelled_while_importing(self, cancel):
        stack_id, before = self._image_stack()
        replacement = self.start_slow_replacement(stack_id, before, CHANGED)
        cancel(stack_id)
        stack = self.wait_stack_settled(stack_id)
        return stack, before, replacement

    def _delete_failed_as_import_ended(self, stack_id, image_id):
        """G3's shape: Heat's DELETE of the image failed as its import ended.

        Within a few seconds of the import task's end (both clocks give
        seconds); a delete refused at any other moment is not the race.
        """
        failed = [e.event_time for e in self.heat.events.list(
            self.stack_ref(stack_id), resource_name=templates.RESOURCE)
            if e.resource_status == 'DELETE_FAILED'
            and e.physical_resource_id == image_id]
        return image_view.import_ended_near(self.glance, image_id, failed,
                                            within_s=5)

    @decorators.idempotent_id('2e5b8c7a-9f14-4d06-b3a1-6c0d4e8f2a95')
    def test_cancel_update_rolls_back_to_the_old_image(self):
        stack, before, replacement = self._update_cancelled_while_importing(
            self.heat.actions.cancel_update)
        reason = base.status_reason(stack)
        if (stack.stack_status == 'ROLLBACK_FAILED'
                and GLANCE_DELETE_500 in reason
                and self._delete_failed_as_import_ended(stack.id,
                                                        replacement)):
            # The rollback deletes the replacement as its import ends,
            # when the import task is still writing the image (G3).
            with known_defects.expected(self, 'G3'):
                self.fail('the rollback could not delete the replacement '
                          '%s: %s' % (replacement, reason))
        self.assertEqual('ROLLBACK_COMPLETE', stack.stack_status, reason)
        after = self.get_image(self.image_id(stack.id))
        self.assertEqual(before['id'], after['id'])
        self.assertEqual(START, image_view.user_properties(after))
        self.assert_image_gone(replacement)

    @decorators.idempotent_id('9a7d3f15-0c2b-4e68-8f4d-1b5e7a3c9d20')
    def test_cancel_without_rollback_then_update_converges(self):
        stack, before, replacement = self._update_cancelled_while_importing(
            self.heat.actions.cancel_without_rollback)
        self.assertEqual('UPDATE_FAILED', stack.stack_status,
                         base.status_reason(stack))
        # The next update (back to the usual location) ends the half-done
        # replacement: one image, the template's properties.
        after = self.update_image_stack(
            stack.id, extra_properties=CHANGED,
            parameters=self.image_parameters(image_name=before['name']))
        for image_id in {before['id'], replacement} - {after['id']}:
            self.assert_image_gone(image_id)
        # Last: a new image may meet the create race (L1).
        self.assert_user_properties(CHANGED, after, CHANGED,
                                    before_id=before['id'])
