"""Create: Glance shows exactly the properties the template gave the image."""

from heatclient import exc as heat_exc
from tempest.lib import decorators

from heat_glance_meta_tests.common import create_race
from heat_glance_meta_tests.common import image_view
from heat_glance_meta_tests import known_defects
from heat_glance_meta_tests import templates
from heat_glance_meta_tests.tests import base

FIRST_CLASS = {'architecture': 'x86_64', 'os_distro': 'debian',
               'os_version': '12'}
EXTRA = {'build': '42', 'hw_qemu_guest_agent': 'yes', 'owner_team': 'qa'}


class CreateImageTest(base.HeatGlanceTest):
    """A stack create makes one active image carrying the template's data."""

    def _create(self, **image_properties):
        stack_id = self.create_stack(
            templates.image_stack(**image_properties),
            self.image_parameters())
        image_id = self.image_id(stack_id)
        return stack_id, image_id, self.get_image(image_id)

    @decorators.idempotent_id('0b0f6f3e-5d47-4d8e-9d0c-2f4a7b8e1c01')
    def test_create_sets_exactly_the_extra_properties(self):
        """Glance shows the extra_properties, as strings, and nothing more."""
        stack_id, image_id, image = self._create(extra_properties=EXTRA)
        self.assertEqual('active', image['status'])
        create_race.assert_properties(self, EXTRA, image, EXTRA)

    @decorators.idempotent_id('0b0f6f3e-5d47-4d8e-9d0c-2f4a7b8e1c02')
    def test_create_sets_first_class_properties_and_tags(self):
        """First-class properties and tags reach Glance as given."""
        stack_id, image_id, image = self._create(
            extra_properties=EXTRA, tags=['alpha', 'beta'], min_disk=1,
            min_ram=64, visibility='private', protected=False, **FIRST_CLASS)
        self.assertEqual('active', image['status'])
        self.assertEqual(['alpha', 'beta'], sorted(image['tags']))
        self.assertEqual((1, 64, 'private', False),
                         (image['min_disk'], image['min_ram'],
                          image['visibility'], image['protected']))
        create_race.assert_properties(self, dict(EXTRA, **FIRST_CLASS),
                                      image, EXTRA)

    @decorators.idempotent_id('0b0f6f3e-5d47-4d8e-9d0c-2f4a7b8e1c03')
    def test_create_without_extra_properties(self):
        """An image without extra_properties has no user properties."""
        stack_id, image_id, image = self._create()
        self.assertEqual('active', image['status'])
        self.assertEqual({}, image_view.user_properties(image))

    @decorators.idempotent_id('0b0f6f3e-5d47-4d8e-9d0c-2f4a7b8e1c04')
    def test_outputs_and_resource_show_agree_with_glance(self):
        """get_attr [img, show, key] and resource show match Glance's GET."""
        stack_id = self.create_stack(
            templates.image_stack(extra_properties=EXTRA,
                                  output_keys=['build', 'status', 'id']),
            self.image_parameters())
        image_id = self.image_id(stack_id)
        image = self.get_image(image_id)
        outputs = self.stack_outputs(stack_id)
        self.assertEqual(image_id, outputs['image_id'])
        self.assertEqual((image['id'], image['status']),
                         (outputs['prop_id'], outputs['prop_status']))
        shown = self.heat.resources.get(stack_id, templates.RESOURCE)
        self.assertEqual(image_id, shown.physical_resource_id)
        create_race.assert_properties(self, EXTRA, image, EXTRA)
        # Whatever the race did, the outputs read what Glance has.
        self.assertEqual(image.get('build'), outputs['prop_build'])
        self.assertEqual(image_view.user_properties(image),
                         image_view.user_properties(outputs['image']))

    @decorators.idempotent_id('0b0f6f3e-5d47-4d8e-9d0c-2f4a7b8e1c05')
    def test_resource_show_with_show_attribute_matches_glance(self):
        """resource show ?with_attr=show returns Glance's image (D11)."""
        stack_id, image = self.create_image_stack()
        with known_defects.expected(self, 'D11'):
            try:
                shown = self.heat.resources.get(
                    stack_id, templates.RESOURCE, with_attr=['show'])
            except heat_exc.HTTPInternalServerError as e:
                self.fail('resource show with_attr=show: %s' % e)
            self.assertEqual(image['id'],
                             shown.attributes['show']['id'])
