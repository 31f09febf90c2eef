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
"""The create race's excuse matches the race's own shape and nothing else."""

import testtools

from heat_glance_meta_tests.common import create_race
from heat_glance_meta_tests.unit import test_known_defects

EXTRA = {'build': '42', 'stage': 'qa'}
FIRST_CLASS = {'os_distro': 'debian'}
EXPECTED = dict(EXTRA, **FIRST_CLASS)


def outcome(image, expected=EXPECTED, extra=EXTRA, present=True):
    """Check ``image`` with assert_properties; the test's outcome."""
    return test_known_defects.probe_outcome(
        lambda test: create_race.assert_properties(test, expected, image,
                                                   extra), present)[0]


def image(**properties):
    return dict({'id': 'i', 'status': 'active', 'tags': []}, **properties)


class AssertPropertiesTest(testtools.TestCase):

    def test_exact_properties_pass(self):
        self.assertEqual('success', outcome(image(**EXPECTED)))

    def test_whole_map_lost_is_the_race(self):
        self.assertEqual('xfail', outcome(image(**FIRST_CLASS)))

    def test_whole_map_lost_with_the_flag_fixed_fails(self):
        self.assertEqual('fail', outcome(image(**FIRST_CLASS),
                                         present=False))

    def test_partial_loss_is_not_the_race(self):
        self.assertEqual('fail', outcome(image(build='42', **FIRST_CLASS)))

    def test_wrong_value_is_not_the_race(self):
        self.assertEqual('fail', outcome(image(
            **dict(EXPECTED, build='43'))))

    def test_extra_key_is_not_the_race(self):
        self.assertEqual('fail', outcome(image(
            **dict(EXPECTED, surprise='x'))))

    def test_first_class_property_lost_too_is_not_the_race(self):
        self.assertEqual('fail', outcome(image()))

    def test_nothing_to_lose_is_never_excused(self):
        self.assertEqual('fail', outcome(image(), expected=FIRST_CLASS,
                                         extra={}))


class SignatureTest(testtools.TestCase):

    def test_glances_queued_to_active_message_is_the_race(self):
        self.assertTrue(create_race.is_race_failure(
            'cannot transition from queued to active in update (wanted '
            'from_state=importing)'))

    def test_other_import_failures_are_not(self):
        for message in ('HTTP 404 Not Found', '', None,
                        'cannot transition from importing to active'):
            self.assertFalse(create_race.is_race_failure(message), message)

    def test_failed_tasks_are_split_by_signature(self):
        class Glance:
            class images:
                @staticmethod
                def get(image_id):
                    return {'status': 'queued'}

                @staticmethod
                def get_associated_image_tasks(image_id):
                    return {'tasks': [
                        {'id': 't1', 'status': 'failure', 'message':
                         'cannot transition from queued to active'},
                        {'id': 't2', 'status': 'failure',
                         'message': '404 Not Found'},
                        {'id': 't3', 'status': 'success'}]}
        race, other = create_race.race_import_failures(Glance, 'img')
        self.assertEqual(1, len(race))
        self.assertIn('t1', race[0])
        self.assertEqual(1, len(other))
        self.assertIn('404', other[0])
