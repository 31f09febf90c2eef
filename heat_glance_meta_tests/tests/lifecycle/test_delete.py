"""Delete: the stack's image leaves Glance, even if it was already gone."""

from tempest.lib import decorators

from heat_glance_meta_tests.tests import base


class DeleteImageTest(base.HeatGlanceTest):

    @decorators.idempotent_id('b7d3e2f1-4c5a-4b6c-9d8e-0f1a2b3c4d01')
    def test_stack_delete_removes_image(self):
        """After DELETE_COMPLETE, Glance no longer has the image."""
        stack_id, image = self.create_image_stack(
            extra_properties={'k': 'v'})
        self.assertTrue(self._delete_and_wait(self.heat, stack_id))
        self.assert_image_gone(image['id'])

    @decorators.idempotent_id('b7d3e2f1-4c5a-4b6c-9d8e-0f1a2b3c4d02')
    def test_stack_delete_after_image_deleted_behind_heats_back(self):
        """A stack whose image was deleted in Glance still deletes."""
        stack_id, image = self.create_image_stack()
        self.glance.images.delete(image['id'])
        self.assertTrue(self._delete_and_wait(self.heat, stack_id),
                        'stack delete failed after the image was removed')
        self.assert_image_gone(image['id'])
