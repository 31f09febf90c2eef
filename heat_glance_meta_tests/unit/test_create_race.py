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
from heat_glance_meta_tests.common import image_view
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


GOOD = 'http://127.0.0.1:8099/tiny.img'


def one_task_glance(statuses, task_status, message='', uri=GOOD):
    """A Glance whose image reads give ``statuses`` in turn, one task."""
    class Glance:
        class images:
            @staticmethod
            def get(image_id):
                return {'status': statuses.pop(0)}

            @staticmethod
            def get_associated_image_tasks(image_id):
                return {'tasks': [{
                    'id': 't1', 'status': task_status, 'message': message,
                    'input': {'import_req': {'method': {
                        'name': 'web-download', 'uri': uri}}}}]}
    return Glance


class SignatureTest(testtools.TestCase):

    def test_glances_queued_to_active_message_is_the_race(self):
        self.assertTrue(create_race.is_race_failure(
            'cannot transition from queued to active in update (wanted '
            'from_state=importing)'))

    def test_generic_failure_of_the_suites_own_image_is_the_race(self):
        # Glance reports the conflict raised inside its running flow only
        # as its generic message (seen in the group test).
        self.assertTrue(create_race.is_race_failure(
            'Task failed due to Internal Error', 'queued', GOOD, (GOOD,)))

    def test_generic_failure_of_another_url_is_not(self):
        # A wrong URI from Heat fails the download with the same message.
        self.assertFalse(create_race.is_race_failure(
            'Task failed due to Internal Error', 'queued', GOOD + '.missing',
            (GOOD,)))
        self.assertFalse(create_race.is_race_failure(
            'Task failed due to Internal Error', 'queued', GOOD, ()))

    def test_an_image_not_back_to_queued_is_not(self):
        self.assertFalse(create_race.is_race_failure(
            'cannot transition from queued to active', 'importing'))

    def test_other_import_failures_are_not(self):
        for message in ('HTTP 404 Not Found', '', None,
                        'cannot transition from importing to active'):
            self.assertFalse(create_race.is_race_failure(
                message, 'queued', GOOD, (GOOD,)), message)

    def test_image_read_before_glance_reverted_it_is_read_again(self):
        # Seen in CI: the image read said importing, the task read after
        # it said failed; Glance had reverted the image to queued between.
        glance = one_task_glance(['importing', 'queued'], 'failure',
                                 'Task failed due to Internal Error')
        race, other = create_race.race_import_failures(glance, 'img',
                                                       (GOOD,))
        self.assertEqual([], other)
        self.assertEqual(1, len(race))
        self.assertIn('(queued)', race[0])

    def test_failed_tasks_are_split_by_signature(self):
        def task(ident, status, message=None, uri=GOOD):
            return {'id': ident, 'status': status, 'message': message,
                    'input': {'import_req': {'method': {
                        'name': 'web-download', 'uri': uri}}}}

        class Glance:
            class images:
                @staticmethod
                def get(image_id):
                    return {'status': 'queued'}

                @staticmethod
                def get_associated_image_tasks(image_id):
                    return {'tasks': [
                        task('t1', 'failure',
                             'cannot transition from queued to active'),
                        task('t2', 'failure', '404 Not Found'),
                        task('t3', 'failure',
                             'Task failed due to Internal Error'),
                        task('t4', 'failure',
                             'Task failed due to Internal Error',
                             uri='http://elsewhere/x.img'),
                        task('t5', 'processing')]}
        race, other = create_race.race_import_failures(Glance, 'img',
                                                       (GOOD,))
        self.assertEqual(['t1', 't3'],
                         [r.split('import task ')[1].split()[0]
                          for r in race])
        self.assertEqual(['t2', 't4'],
                         [r.split('import task ')[1].split()[0]
                          for r in other])
        self.assertIn(GOOD, race[0])


class StrandedImportTest(testtools.TestCase):
    """An import that succeeded under an image left importing is the race's.

    Seen in a full run: Heat's PATCH read the image while it imported and
    saved it, ``importing``, after the import had made it active; the task
    said success, the image stayed importing, Heat waited on it.
    """

    def _glance(self, statuses, task_status='success', uri=GOOD):
        return one_task_glance(statuses, task_status, uri=uri)

    def test_importing_after_a_successful_import_is_the_race(self):
        race, other = create_race.race_import_failures(
            self._glance(['importing', 'importing']), 'img', (GOOD,))
        self.assertEqual([], other)
        self.assertEqual(1, len(race))
        self.assertIn('succeeded, yet the image is left importing', race[0])

    def test_an_image_read_before_the_import_ended_is_read_again(self):
        # Active by the time the task says success: nothing failed.
        self.assertEqual([], image_view.failed_import_tasks(
            self._glance(['importing', 'active']), 'img'))

    def test_an_import_still_running_is_not(self):
        self.assertEqual([], image_view.failed_import_tasks(
            self._glance(['importing'], task_status='processing'), 'img'))

    def test_another_url_is_not_excused(self):
        race, other = create_race.race_import_failures(
            self._glance(['importing', 'importing'],
                         uri='http://elsewhere/x.img'), 'img', (GOOD,))
        self.assertEqual([], race)
        self.assertEqual(1, len(other))


class ImportEndedNearTest(testtools.TestCase):
    """The moment a Glance import ended, against Heat's event times."""

    class Glance:
        class images:
            @staticmethod
            def get_associated_image_tasks(image_id):
                return {'tasks': [
                    {'status': 'processing',
                     'updated_at': '2026-11-28T22:10:40.000000'},
                    {'status': 'success',
                     'updated_at': '2026-11-28T22:11:00.000000'}]}

    def test_a_moment_within_the_window_of_the_end(self):
        self.assertTrue(image_view.import_ended_near(
            self.Glance, 'img', ['2026-11-28T22:11:01Z'], within_s=5))
        self.assertTrue(image_view.import_ended_near(
            self.Glance, 'img', ['2026-11-28T22:10:56Z'], within_s=5))

    def test_a_moment_away_from_the_end_or_near_an_unfinished_task(self):
        # 22:10:40 is when the unfinished task last changed: not an end.
        self.assertFalse(image_view.import_ended_near(
            self.Glance, 'img', ['2026-11-28T22:10:40Z',
                                 '2026-11-28T22:11:06Z'], within_s=5))
        self.assertFalse(image_view.import_ended_near(
            self.Glance, 'img', [], within_s=5))


class ImportFinishingTest(testtools.TestCase):
    """An active image that still holds its import lock is read again."""

    def test_only_an_active_image_with_its_lock_is_finishing(self):
        self.assertTrue(image_view.import_finishing(
            {'status': 'active', 'os_glance_import_task': 'task-1'}))
        for image in ({'status': 'active'},
                      {'status': 'active', 'os_glance_import_task': ''},
                      {'status': 'importing', 'os_glance_import_task': 't'},
                      {'status': 'queued'}):
            self.assertFalse(image_view.import_finishing(image), image)
