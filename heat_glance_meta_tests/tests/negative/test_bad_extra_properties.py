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
    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e601')
    def test_id_key_refused(self):
        self.assert_create_and_update_fail(
            {'id': '8a9f1c2e-1111-4222-8333-944455556666'},
            'HTTP 403', "Attribute 'id' is read-only")

    @decorators.attr(type='negative')
    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e602')
    def test_status_key_refused(self):
        # The value differs from the image's status at each step, so
        # glanceclient sends it and Glance must refuse it.
        self.assert_create_fails({'status': 'active'}, 'HTTP 403',
                                 "Attribute 'status' is read-only")
        self.assert_update_fails({'status': 'queued'}, 'HTTP 403',
                                 "Attribute 'status' is read-only")

    @decorators.attr(type='negative')
    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e603')
    def test_checksum_key_refused(self):
        self.assert_create_and_update_fail(
            {'checksum': 'x'}, 'HTTP 403', "Attribute 'checksum' is read-only")

    @decorators.attr(type='negative')
    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e604')
    def test_size_key_refused_by_image_schema(self):
        # glanceclient checks Glance's schema first: size is an integer.
        self.assert_create_and_update_fail(
            {'size': '1'}, 'TypeError', "Unable to set 'size'",
            "is not of type 'null', 'integer'")

    @decorators.attr(type='negative')
    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e605')
    def test_location_key_refused(self):
        self.assert_create_and_update_fail(
            {'location': 'http://example.invalid/x'}, 'HTTP 403',
            "Attribute 'location' is reserved")

    @decorators.attr(type='negative')
    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e606')
    def test_deleted_key_refused(self):
        self.assert_create_and_update_fail(
            {'deleted': 'true'}, 'HTTP 403', "Attribute 'deleted' is reserved")

    @decorators.attr(type='negative')
    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e607')
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
    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e611')
    def test_integer_value_refused(self):
        self._refused(42)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e612')
    def test_boolean_value_refused(self):
        self._refused(True)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e613')
    def test_null_value_refused(self):
        self._refused(None)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e614')
    def test_list_value_refused(self):
        self._refused(['a', 'b'])

    @decorators.attr(type='negative')
    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e615')
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
    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e621')
    def test_list_is_not_a_map(self):
        self._refused_at_api(['a', 'b'])

    @decorators.attr(type='negative')
    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e622')
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

    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e631')
    def test_key_of_255_characters_accepted(self):
        self._accepted(dict(GOOD, **{'k' * 255: 'v'}))

    @decorators.attr(type='negative')
    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e632')
    def test_key_of_256_characters_refused_clearly(self):
        """Refused with a client error, not a server error (G1)."""
        stack_id = self.assert_update_fails(dict(GOOD, **{'K' * 256: 'v'}))
        reason = base.status_reason(self.heat.stacks.get(stack_id))
        with known_defects.expected(self, 'G1'):
            self.assertIn('HTTP 400', reason)

    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e633')
    def test_empty_key_accepted(self):
        """Glance stores an empty key like any other (pinned as it is)."""
        self._accepted(dict(GOOD, **{'': 'v'}))

    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e634')
    def test_unicode_keys_and_values_round_trip(self):
        self._accepted({'ключ-日本': 'värde-✓', 'ελληνικά': 'ß'})

    @decorators.attr(type='negative')
    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e637')
    def test_four_byte_unicode_refused(self):
        """Glance refuses characters outside the BMP (emoji), clearly."""
        self.assert_update_fails({'mood': '\U0001F642'}, 'HTTP 400',
                                 "can't contain 4 byte unicode characters")

    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e635')
    def test_value_of_64_kib_round_trips(self):
        self._accepted({'big': 'x' * 65536})

    @decorators.attr(type='negative')
    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e636')
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

    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e641')
    def test_exactly_the_quota_is_accepted_at_create_and_update(self):
        stack_id, image = self.create_image_stack(
            extra_properties=self._props(self.QUOTA))
        create_race.assert_properties(self, self._props(self.QUOTA), image,
                                      self._props(self.QUOTA))
        full = {'r%03d' % i: 'w%03d' % i for i in range(self.QUOTA)}
        after = self.update_image_stack(stack_id, extra_properties=full)
        self.assertEqual(full, image_view.user_properties(after))

    @decorators.attr(type='negative')
    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e642')
    def test_one_over_the_quota_is_refused_at_create(self):
        self.assert_create_fails(
            self._props(self.QUOTA + 1), 'HTTP 413',
            'Attempted: %d, Maximum: %d' % (self.QUOTA + 1, self.QUOTA))

    @decorators.attr(type='negative')
    @decorators.idempotent_id('4f1d3a20-6b7c-4d8e-9f01-a2b3c4d5e643')
    def test_one_over_the_quota_is_refused_at_update(self):
        self.assert_update_fails(
            self._props(self.QUOTA + 1), 'HTTP 413',
            'Attempted: %d, Maximum: %d' % (self.QUOTA + 1, self.QUOTA))
