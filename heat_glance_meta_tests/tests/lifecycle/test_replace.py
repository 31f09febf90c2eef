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

    @decorators.idempotent_id('1dd5ecc6-0a12-4765-a77d-d30b004ea830')
    def test_name_change_replaces_image(self):
        """A new name gives a new image with the new name."""
        params = self.image_parameters()
        new_name = self.unique_name('renamed')
        after = self._replace(parameters=dict(params, image_name=new_name))
        self.assertEqual(new_name, after['name'])

    @decorators.idempotent_id('448a59a7-a013-4dba-8133-6e7ad0a465b8')
    def test_min_disk_change_replaces_image(self):
        after = self._replace(min_disk=2)
        self.assertEqual(2, after['min_disk'])

    @decorators.idempotent_id('1a1b9629-5511-46f5-8bba-fea7d54e3c81')
    def test_min_ram_change_replaces_image(self):
        after = self._replace(min_ram=128)
        self.assertEqual(128, after['min_ram'])

    @decorators.idempotent_id('a0a34695-82a8-42ed-8c53-2293e157c008')
    def test_container_format_change_replaces_image(self):
        params = self.image_parameters()
        after = self._replace(parameters=dict(params, container_format='ovf'))
        self.assertEqual('ovf', after['container_format'])

    @decorators.idempotent_id('4351e887-6ae8-4a20-b5b7-82c347568ee2')
    def test_disk_format_change_replaces_image(self):
        # ami: a format Glance does not inspect, so the raw test data passes
        # its import-time format check.
        params = self.image_parameters()
        after = self._replace(parameters=dict(params, disk_format='ami'))
        self.assertEqual('ami', after['disk_format'])

    @decorators.idempotent_id('945e7dab-ff92-4412-b812-d8d19f6d4b00')
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
