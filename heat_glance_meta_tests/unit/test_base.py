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
"""Which stack states end a wait for another state at once; image ids;
images read past Glance's import lock."""

import types

import fixtures
import testtools

from heat_glance_meta_tests import templates
from heat_glance_meta_tests.tests import base
from heat_glance_meta_tests import waiters


def unpaced_waits():
    """The suite's waits with no pause between polls (no tempest.conf)."""
    settings = types.SimpleNamespace(
        build_timeout=300, poll_interval_first=0.0, poll_interval_max=0.0)
    return fixtures.MockPatch(
        'heat_glance_meta_tests.common.cleanup.CONF',
        types.SimpleNamespace(heat_glance_meta=settings))


class TerminalElsewhereTest(testtools.TestCase):

    def assertFinal(self, current, target, final=True):
        self.assertIs(final, base.terminal_elsewhere(current, target),
                      '%s while waiting for %s' % (current, target))

    def test_the_awaited_action_ending_otherwise_is_final(self):
        self.assertFinal('UPDATE_FAILED', 'UPDATE_COMPLETE')
        self.assertFinal('CREATE_FAILED', 'CREATE_COMPLETE')
        self.assertFinal('SNAPSHOT_FAILED', 'SNAPSHOT_COMPLETE')
        self.assertFinal('CREATE_COMPLETE', 'CREATE_FAILED')

    def test_a_rollback_ends_a_create_or_update(self):
        self.assertFinal('ROLLBACK_COMPLETE', 'UPDATE_COMPLETE')
        self.assertFinal('ROLLBACK_FAILED', 'CREATE_COMPLETE')

    def test_the_state_before_an_action_is_not_final(self):
        # Heat answers a snapshot before the stack leaves UPDATE_COMPLETE.
        self.assertFinal('UPDATE_COMPLETE', 'SNAPSHOT_COMPLETE', False)
        self.assertFinal('UPDATE_COMPLETE', 'RESTORE_COMPLETE', False)
        self.assertFinal('CREATE_COMPLETE', 'CHECK_COMPLETE', False)

    def test_a_rollback_passes_through_the_failed_action(self):
        self.assertFinal('UPDATE_FAILED', 'ROLLBACK_COMPLETE', False)
        self.assertFinal('CREATE_FAILED', 'ROLLBACK_COMPLETE', False)

    def test_in_progress_and_the_target_itself_are_not(self):
        self.assertFinal('UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE', False)
        self.assertFinal('SNAPSHOT_COMPLETE', 'SNAPSHOT_COMPLETE', False)


class ImageIdTest(testtools.TestCase):
    """The image id is never that of a replaced row Heat has yet to purge."""

    def _row(self, status, image):
        return types.SimpleNamespace(
            resource_name=templates.RESOURCE, resource_status=status,
            physical_resource_id=image)

    def _image_id(self, *listings):
        self.useFixture(unpaced_waits())
        lists = iter(listings)
        test = types.SimpleNamespace(
            client=types.SimpleNamespace(heat=types.SimpleNamespace(
                resources=types.SimpleNamespace(
                    list=lambda ref: next(lists)))),
            stack_ref=lambda stack_id: stack_id, _images_seen={},
            details={}, fail=self.fail)
        test.addDetail = test.details.__setitem__
        return base.HeatGlanceTest.image_id(test, 's1'), test

    def test_the_listed_row_when_it_is_live(self):
        image, test = self._image_id([self._row('UPDATE_COMPLETE', 'new')])
        self.assertEqual('new', image)
        self.assertEqual({}, test.details)
        self.assertEqual({'s1': {'new'}}, test._images_seen)

    def test_a_deleted_row_is_read_again_until_purged(self):
        image, test = self._image_id(
            [self._row('DELETE_COMPLETE', 'old')],
            [self._row('DELETE_COMPLETE', 'old')],
            [self._row('CREATE_COMPLETE', 'new')])
        self.assertEqual('new', image)
        self.assertIn('h3-purge-wait', test.details)
        self.assertEqual({'s1': {'new'}}, test._images_seen)

    def test_a_row_never_purged_fails_naming_h3(self):
        self.useFixture(fixtures.MockPatch(
            'heat_glance_meta_tests.tests.base.H3_PURGE_S', 0.01))
        error = self.assertRaises(
            waiters.WaitTimeout, self._image_id,
            *[[self._row('DELETE_COMPLETE', 'old')]] * 10000)
        self.assertIn('H3 in known-defects.rst', str(error))


class GetImageTest(testtools.TestCase):
    """An image is read again until its import lock goes, but not forever."""

    def _get_image(self, *reads):
        self.useFixture(unpaced_waits())
        answers = iter(reads)
        self.reads = 0

        def get(image_id):
            self.reads += 1
            return next(answers)
        glance = types.SimpleNamespace(images=types.SimpleNamespace(get=get))
        test = types.SimpleNamespace(glance=glance, id=lambda: 'a-test')
        return base.HeatGlanceTest.get_image(test, 'i1')

    @staticmethod
    def _image(lock, build):
        image = {'id': 'i1', 'status': 'active', 'build': build}
        if lock:
            image['os_glance_import_task'] = 't1'
        return image

    def test_read_again_once_the_lock_goes(self):
        image = self._get_image(self._image(True, '1'),
                                self._image(True, '1'),
                                self._image(False, '2'))
        self.assertEqual(self._image(False, '2'), image)
        self.assertEqual(3, self.reads)

    def test_a_stale_lock_gives_the_last_read_at_the_limit(self):
        # Glance 2024.1 keeps the lock of an import flow whose revert
        # failed: the image is taken as it is, within LOCK_RELEASE_S.
        self.useFixture(fixtures.MockPatch(
            'heat_glance_meta_tests.tests.base.LOCK_RELEASE_S', 0.05))
        image = self._get_image(*[self._image(True, str(n))
                                  for n in range(100000)])
        self.assertTrue(image['os_glance_import_task'])
        self.assertEqual(str(self.reads - 1), image['build'])
