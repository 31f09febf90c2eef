"""Replacement: the properties Heat documents as replacing make a new image.

The new image must carry the template's properties over, and the old one
must be gone from Glance. The new image's create has the same race as any
create (L1), so the property check is declared against it.
"""

from tempest import config
from tempest.lib import decorators

from heat_glance_meta_tests.common import create_race
from heat_glance_meta_tests.tests import base

CONF = config.CONF
EXTRA = {'build': '42', 'stage': 'qa'}


class ReplaceImageTest(base.HeatGlanceTest):
    """name, min_disk, min_ram, formats and location replace the image."""

    def _replace(self, parameters=None, **changed):
        stack_id, before = self.create_image_stack(
            extra_properties=EXTRA, tags=['keep'], os_distro='debian')
        props = dict(extra_properties=EXTRA, tags=['keep'],
                     os_distro='debian')
        props.update(changed)
        after = self.update_image_stack(stack_id, parameters=parameters,
                                        **props)
        self.assert_replaced(before, after)
        self.assertEqual(['keep'], after['tags'])
        # The replacement is a create, with the create race.
        create_race.assert_properties(
            self, dict(EXTRA, os_distro='debian'), after, EXTRA)
        return after

    @decorators.idempotent_id('3e5d8c71-9a2b-4c6d-8f10-5b7a2e9d4c01')
    def test_name_change_replaces_image(self):
        """A new name gives a new image with the new name."""
        params = self.image_parameters()
        new_name = self.unique_name('renamed')
        after = self._replace(parameters=dict(params, image_name=new_name))
        self.assertEqual(new_name, after['name'])

    @decorators.idempotent_id('3e5d8c71-9a2b-4c6d-8f10-5b7a2e9d4c02')
    def test_min_disk_change_replaces_image(self):
        after = self._replace(min_disk=2)
        self.assertEqual(2, after['min_disk'])

    @decorators.idempotent_id('3e5d8c71-9a2b-4c6d-8f10-5b7a2e9d4c03')
    def test_min_ram_change_replaces_image(self):
        after = self._replace(min_ram=128)
        self.assertEqual(128, after['min_ram'])

    @decorators.idempotent_id('3e5d8c71-9a2b-4c6d-8f10-5b7a2e9d4c04')
    def test_container_format_change_replaces_image(self):
        params = self.image_parameters()
        after = self._replace(parameters=dict(params, container_format='ovf'))
        self.assertEqual('ovf', after['container_format'])

    @decorators.idempotent_id('3e5d8c71-9a2b-4c6d-8f10-5b7a2e9d4c05')
    def test_disk_format_change_replaces_image(self):
        # ami: a format Glance does not inspect, so the raw test data passes
        # its import-time format check.
        params = self.image_parameters()
        after = self._replace(parameters=dict(params, disk_format='ami'))
        self.assertEqual('ami', after['disk_format'])

    @decorators.idempotent_id('3e5d8c71-9a2b-4c6d-8f10-5b7a2e9d4c06')
    def test_location_change_replaces_image_and_data(self):
        """A new location gives a new image holding the new data."""
        if not CONF.heat_glance_meta.alt_image_url:
            raise self.skipException('[heat_glance_meta] alt_image_url is '
                                     'not set')
        stack_id, before = self.create_image_stack()
        params = self.image_parameters(
            image_name=before['name'],
            location=CONF.heat_glance_meta.alt_image_url)
        after = self.update_image_stack(stack_id, parameters=params)
        self.assert_replaced(before, after)
        self.assertNotEqual(before['checksum'], after['checksum'],
                            'the new image holds the old data')
