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

    def get(self, stack_id):
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
