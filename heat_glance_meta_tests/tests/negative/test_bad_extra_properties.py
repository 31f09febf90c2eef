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
"""Bad extra_properties through Heat: each fails clearly, none leaks an image.

Every test pins the stack status, that Heat's status reason carries Glance's
or Heat's explanation, and Glance's view of the image (unchanged after a
failed update). The base class's cleanup deletes the stack and checks that
the image Heat had already created is gone.
"""

from heatclient import exc as heat_exc
from tempest.lib import decorators

from heat_glance_meta_tests.common import create_race
from heat_glance_meta_tests.common import image_view
from heat_glance_meta_tests import known_defects
from heat_glance_meta_tests import templates
from heat_glance_meta_tests.tests import base

GOOD = {'build': '42'}


class BadPropertiesBase(base.HeatGlanceTest):

    def assert_create_fails(self, extra, *fragments):
        """CREATE_FAILED with every fragment in the reason; the stack id."""
        stack_id = self.create_stack(
            templates.image_stack(extra_properties=extra),
            self.image_parameters(), wait_for='FAILED')
        reason = base.status_reason(self.heat.stacks.get(stack_id))
        for fragment in fragments:
            self.assertIn(fragment, reason)
        return stack_id

    def assert_update_fails(self, extra, *fragments):
        """UPDATE_FAILED with the fragments; Glance's image is unchanged."""
        stack_id, before = self.create_image_stack(extra_properties=GOOD)
        self.update_stack(stack_id, templates.image_stack(
            extra_properties=extra), wait_for='FAILED')
        reason = base.status_reason(self.heat.stacks.get(stack_id))
        for fragment in fragments:
            self.assertIn(fragment, reason)
        after = self.get_image(before['id'])
        self.assertEqual(image_view.user_properties(before),
                         image_view.user_properties(after),
                         'a failed update changed the image')
        self.assertEqual('active', after['status'])
        return stack_id

    def assert_create_and_update_fail(self, extra, *fragments):
        self.assert_create_fails(extra, *fragments)
        self.assert_update_fails(extra, *fragments)


class ReservedKeysTest(BadPropertiesBase):
    """Glance's read-only and reserved attributes refused through Heat."""

    @decorators.attr(type='negative')
    @decorators.idempotent_id('58e0a4e0-6587-41c8-947d-a8eefd3855c1')
    def test_id_key_refused(self):
        self.assert_create_and_update_fail(
            {'id': '8a9f1c2e-1111-4222-8333-944455556666'},
            'HTTP 403', "Attribute 'id' is read-only")

    @decorators.attr(type='negative')
    @decorators.idempotent_id('f31a9985-ae2d-40da-b997-41e81f5c6f3f')
    def test_status_key_refused(self):
        # The value differs from the image's status at each step, so
        # glanceclient sends it and Glance must refuse it.
        self.assert_create_fails({'status': 'active'}, 'HTTP 403',
                                 "Attribute 'status' is read-only")
        self.assert_update_fails({'status': 'queued'}, 'HTTP 403',
                                 "Attribute 'status' is read-only")

    @decorators.attr(type='negative')
    @decorators.idempotent_id('aeaea121-c9aa-4ff0-bfcd-309e48e4db73')
    def test_checksum_key_refused(self):
        self.assert_create_and_update_fail(
            {'checksum': 'x'}, 'HTTP 403', "Attribute 'checksum' is read-only")

    @decorators.attr(type='negative')
    @decorators.idempotent_id('dbbd8b16-ea17-4f73-890d-ab7799626ca4')
    def test_size_key_refused_by_image_schema(self):
        # glanceclient checks Glance's schema first: size is an integer.
        self.assert_create_and_update_fail(
            {'size': '1'}, 'TypeError', "Unable to set 'size'",
            "is not of type 'null', 'integer'")

    @decorators.attr(type='negative')
    @decorators.idempotent_id('daa70bfa-3775-43db-8e16-41709d70f1de')
    def test_location_key_refused(self):
        self.assert_create_and_update_fail(
            {'location': 'http://example.invalid/x'}, 'HTTP 403',
            "Attribute 'location' is reserved")

    @decorators.attr(type='negative')
    @decorators.idempotent_id('d8a23dc7-034c-4973-93d0-2b6afa4d101c')
    def test_deleted_key_refused(self):
        self.assert_create_and_update_fail(
            {'deleted': 'true'}, 'HTTP 403', "Attribute 'deleted' is reserved")

    @decorators.attr(type='negative')
    @decorators.idempotent_id('9f9675e4-0ce6-4f05-87d4-5af6637ae1af')
    def test_os_glance_prefixed_key_refused(self):
        self.assert_create_and_update_fail(
            {'os_glance_anything': 'x'}, 'HTTP 403',
            "Attribute 'os_glance_anything' is reserved")


class NonStringValuesTest(BadPropertiesBase):
    """Glance keeps only strings; glanceclient refuses other types."""

    def _refused(self, value):
        self.assert_create_and_update_fail(
            {'k': value}, 'TypeError', "Unable to set 'k'",
            "is not of type 'string'")

    @decorators.attr(type='negative')
    @decorators.idempotent_id('3fa768c0-b887-4074-9569-a1f586d72103')
    def test_integer_value_refused(self):
        self._refused(42)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('b12c1478-6eaf-4723-a2b1-af42dce47544')
    def test_boolean_value_refused(self):
        self._refused(True)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('767ee6f7-f558-469e-a2a0-a1ede4279f5d')
    def test_null_value_refused(self):
        self._refused(None)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('3724f905-2c8e-45fa-a300-7a068d507566')
    def test_list_value_refused(self):
        self._refused(['a', 'b'])

    @decorators.attr(type='negative')
    @decorators.idempotent_id('70d8532e-9c3d-495c-9265-2d17f07bb151')
    def test_nested_map_value_refused(self):
        self._refused({'a': 'b'})


class NotAMapTest(base.HeatGlanceTest):
    """extra_properties that is not a map: refused before any stack exists."""

    def _refused_at_api(self, value):
        name = self.unique_name()
        e = self.assertRaises(
            heat_exc.HTTPBadRequest, self.heat.stacks.create,
            stack_name=name,
            template=templates.dump(
                templates.image_stack(extra_properties=value)),
            parameters=self.image_parameters())
        self.assertIn('resources.img.properties.extra_properties', str(e))
        self.assertIn('is not a map', str(e))
        self.assertEqual([], list(self.heat.stacks.list(
            filters={'name': name})))

    @decorators.attr(type='negative')
    @decorators.idempotent_id('b4747476-d207-45b1-a80e-8b24d881bf4c')
    def test_list_is_not_a_map(self):
        self._refused_at_api(['a', 'b'])

    @decorators.attr(type='negative')
    @decorators.idempotent_id('d5d16156-6c3f-4698-9ca1-8e0c2cf92c8d')
    def test_string_is_not_a_map(self):
        self._refused_at_api('a=b')


class KeyAndValueLimitsTest(BadPropertiesBase):
    """Key length, empty keys, unicode and large values, at update time.

    Checked on an update (which re-sends the whole map) so that the
    create-time race (L1) cannot blur the result.
    """

    def _accepted(self, extra):
        stack_id, _ = self.create_image_stack(extra_properties=GOOD)
        after = self.update_image_stack(stack_id, extra_properties=extra)
        self.assertEqual(extra, image_view.user_properties(after))

    @decorators.idempotent_id('7da59a9d-08db-405d-a137-0f3f136aad5d')
    def test_key_of_255_characters_accepted(self):
        self._accepted(dict(GOOD, **{'k' * 255: 'v'}))

    @decorators.attr(type='negative')
    @decorators.idempotent_id('08691bad-6f7f-4853-9de4-87dcbf8f77db')
    def test_key_of_256_characters_refused_clearly(self):
        """Refused with a client error, not a server error (G1)."""
        stack_id = self.assert_update_fails(dict(GOOD, **{'K' * 256: 'v'}))
        reason = base.status_reason(self.heat.stacks.get(stack_id))
        with known_defects.expected(self, 'G1'):
            self.assertIn('HTTP 400', reason)

    @decorators.idempotent_id('774bceba-4043-455d-96a1-dc5f9cccaa97')
    def test_empty_key_accepted(self):
        """Glance stores an empty key like any other (pinned as it is)."""
        self._accepted(dict(GOOD, **{'': 'v'}))

    @decorators.idempotent_id('8f494cac-45ed-4e40-abb4-c5ba193f9a07')
    def test_unicode_keys_and_values_round_trip(self):
        self._accepted({'ключ-日本': 'värde-✓', 'ελληνικά': 'ß'})

    @decorators.attr(type='negative')
    @decorators.idempotent_id('56964124-b7e4-4e0c-9a96-e1ab3ca3a0df')
    def test_four_byte_unicode_refused(self):
        """Glance refuses characters outside the BMP (emoji), clearly."""
        self.assert_update_fails({'mood': '\U0001F642'}, 'HTTP 400',
                                 "can't contain 4 byte unicode characters")

    @decorators.idempotent_id('eb8c75bc-bceb-40f8-bb93-53bd4daae433')
    def test_value_of_64_kib_round_trips(self):
        self._accepted({'big': 'x' * 65536})

    @decorators.attr(type='negative')
    @decorators.idempotent_id('4015b53b-b5ed-4d16-ac09-4115b42f34be')
    def test_renaming_a_key_with_the_same_value(self):
        """Renaming a key but keeping its value updates in place (G2)."""
        stack_id, _ = self.create_image_stack(extra_properties={'b': '41'})
        # Settle the map through an update first: the create race (L1)
        # must not decide whether the rename below is a "move".
        before = self.update_image_stack(stack_id, extra_properties=GOOD)
        self.assertEqual(GOOD, image_view.user_properties(before))
        self.update_stack(stack_id, templates.image_stack(
            extra_properties={'renamed': GOOD['build']}), wait_for=None)
        stack = self.wait_stack_settled(stack_id)
        with known_defects.expected(self, 'G2'):
            self.assertEqual('UPDATE_COMPLETE', stack.stack_status,
                             base.status_reason(stack))
            self.assertEqual({'renamed': GOOD['build']},
                             image_view.user_properties(self.get_image(
                                 before['id'])))


class PropertyQuotaTest(BadPropertiesBase):
    """Glance's image_property_quota (128) holds when Heat is the caller."""

    QUOTA = 128

    def _props(self, count):
        # Distinct values: a key renamed with an equal value trips G2.
        return {'q%03d' % i: 'v%03d' % i for i in range(count)}

    @decorators.idempotent_id('4888f266-736a-40ff-8c32-99771f13d375')
    def test_exactly_the_quota_is_accepted_at_create_and_update(self):
        stack_id, image = self.create_image_stack(
            extra_properties=self._props(self.QUOTA))
        create_race.assert_properties(self, self._props(self.QUOTA), image,
                                      self._props(self.QUOTA))
        full = {'r%03d' % i: 'w%03d' % i for i in range(self.QUOTA)}
        after = self.update_image_stack(stack_id, extra_properties=full)
        self.assertEqual(full, image_view.user_properties(after))

    @decorators.attr(type='negative')
    @decorators.idempotent_id('d92c85b5-e00f-4639-a774-e9b4930c7d81')
    def test_one_over_the_quota_is_refused_at_create(self):
        self.assert_create_fails(
            self._props(self.QUOTA + 1), 'HTTP 413',
            'Attempted: %d, Maximum: %d' % (self.QUOTA + 1, self.QUOTA))

    @decorators.attr(type='negative')
    @decorators.idempotent_id('2e24c6d4-103f-4ffb-8e68-3ed00c9516bb')
    def test_one_over_the_quota_is_refused_at_update(self):
        self.assert_update_fails(
            self._props(self.QUOTA + 1), 'HTTP 413',
            'Attempted: %d, Maximum: %d' % (self.QUOTA + 1, self.QUOTA))
