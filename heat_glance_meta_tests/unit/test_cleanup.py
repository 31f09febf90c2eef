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
"""The cleanup excuses Heat's 400 to a second delete (H1) only when due."""

import types

from heatclient import exc as heat_exc
import testtools

from heat_glance_meta_tests.common import cleanup


class FakeStacks:
    """heat.stacks: DELETE answers 400; GET answers ``status`` or 404."""

    def __init__(self, status):
        self.status = status
        self.deletes = 0

    def delete(self, stack_id):
        self.deletes += 1
        raise heat_exc.HTTPBadRequest('ERROR: Internal Error')

    def get(self, stack_id, resolve_outputs=True):
        if self.status is None:
            raise heat_exc.HTTPNotFound()
        return types.SimpleNamespace(stack_status=self.status)


def heat(status):
    return types.SimpleNamespace(stacks=FakeStacks(status))


class DeleteAndWaitTest(testtools.TestCase):

    def test_a_400_for_a_stack_already_deleted_counts_as_deleted(self):
        self.assertTrue(cleanup.delete_and_wait(heat('DELETE_COMPLETE'), 's'))

    def test_a_400_for_a_stack_already_gone_counts_as_deleted(self):
        self.assertTrue(cleanup.delete_and_wait(heat(None), 's'))

    def test_a_400_for_a_stack_still_there_is_raised(self):
        for status in ('CREATE_COMPLETE', 'DELETE_IN_PROGRESS',
                       'DELETE_FAILED'):
            self.assertRaises(heat_exc.HTTPBadRequest,
                              cleanup.delete_and_wait, heat(status), 's')


class StackImagesTest(testtools.TestCase):
    """Images a stack held, from its resources and (history) its events."""

    IMAGE = '7b63f73c-de0c-49a3-85c1-e2433d722638'
    OLD = '0f1e2d3c-4b5a-4968-8776-655443322110'

    def heat(self):
        def thing(**fields):
            return types.SimpleNamespace(**fields)
        resources = [thing(resource_name='img',
                           physical_resource_id=self.IMAGE,
                           resource_type='OS::Glance::WebImage')]
        events = [
            thing(resource_name='img', physical_resource_id=self.OLD),
            # A create refused before Glance gave an id: Heat's event
            # names the resource's physical name instead.
            thing(resource_name='img',
                  physical_resource_id='tempest-hgmt-stack-8-img-jyn5asr6'),
            thing(resource_name='img', physical_resource_id=''),
        ]
        return types.SimpleNamespace(
            resources=types.SimpleNamespace(list=lambda *a, **k: resources),
            events=types.SimpleNamespace(list=lambda *a, **k: events))

    def test_events_add_only_image_ids(self):
        self.assertEqual({self.IMAGE, self.OLD},
                         cleanup.stack_images(self.heat(), 's', history=True))

    def test_without_history_only_the_resources(self):
        self.assertEqual({self.IMAGE}, cleanup.stack_images(self.heat(), 's'))
