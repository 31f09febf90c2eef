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
"""Delete: the stack's image leaves Glance, even if it was already gone."""

from tempest.lib import decorators

from heat_glance_meta_tests.common import cleanup
from heat_glance_meta_tests.tests import base


class DeleteImageTest(base.HeatGlanceTest):

    @decorators.idempotent_id('3087bfa6-5fcc-47c8-b833-1c00114161e2')
    def test_stack_delete_removes_image(self):
        """After DELETE_COMPLETE, Glance no longer has the image."""
        stack_id, image = self.create_image_stack(
            extra_properties={'k': 'v'})
        self.assertTrue(cleanup.delete_and_wait(self.heat, stack_id))
        self.assert_image_gone(image['id'])

    @decorators.idempotent_id('709e4564-4937-488a-b683-7ca620f93941')
    def test_stack_delete_after_image_deleted_behind_heats_back(self):
        """A stack whose image was deleted in Glance still deletes."""
        stack_id, image = self.create_image_stack()
        self.glance.images.delete(image['id'])
        self.assertTrue(cleanup.delete_and_wait(self.heat, stack_id),
                        'stack delete failed after the image was removed')
        self.assert_image_gone(image['id'])
