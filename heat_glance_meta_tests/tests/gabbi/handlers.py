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
"""gabbi response handlers of the suite's YAML files.

``response_no_failed_imports: true`` on a request that polls a stack until
it completes, or an image until its import ends, ends the poll as soon as
Glance reports a failed import in the file's project. Heat never notices a
failed import (D6) and would keep the stack IN_PROGRESS until the poll ran
out (minutes); the import's failure already decides the request. The
loader's result then reports it as the create race (L1) when it has the
race's shape, and as a plain failure otherwise
(test_gabbits._ImportRaceResult).

A request that polls a stack for a ``$.stack.stack_status`` ends as soon as
the stack reaches a final state from which it cannot reach that one
(base.terminal_elsewhere: DELETE_FAILED for DELETE_COMPLETE, say), instead
of polling it until the poll runs out.

``response_import_ended: true`` on a request for a Glance image: the image
is active and its import flow has released the image's import lock. A
request that polls it waits until Glance's import has written its last.
"""

import time

from gabbi.handlers import base

from heat_glance_meta_tests.common import create_race
from heat_glance_meta_tests.common import image_view
from heat_glance_meta_tests.tests import base as tests_base
from heat_glance_meta_tests.tests.gabbi import fixtures

LOOK_EVERY = create_race.LOOK_EVERY


class PollEnded(Exception):
    """A poll can no longer succeed; it fails now, not when it runs out.

    Not an AssertionError on purpose: gabbi's poll retries those, and this
    must end it.
    """


class ImportFailed(PollEnded):
    """Glance reported a failed import while a request polled a stack."""


class StackEndedElsewhere(PollEnded):
    """The polled stack reached a final state other than the awaited one."""


class NoFailedImportsHandler(base.ResponseHandler):
    """``response_no_failed_imports: true``: no import failed in Glance."""

    test_key_suffix = 'no_failed_imports'
    test_key_value = False

    def __init__(self, failed_imports=fixtures.failed_imports,
                 clock=time.monotonic):
        super().__init__()
        self._failed_imports = failed_imports
        self._clock = clock
        self._next_look = {}

    def __call__(self, test):
        if not test.test_data[self._key]:
            return
        now = self._clock()
        if now < self._next_look.get(test.id(), now):
            return
        self._next_look[test.id()] = now + LOOK_EVERY
        race, other = self._failed_imports()
        if race or other:
            raise ImportFailed('Glance failed to import %s while %r waited '
                               'for the stack' % (race + other,
                                                  test.test_data['name']))


class ImportEndedHandler(base.ResponseHandler):
    """``response_import_ended: true``: the image's import has ended.

    Glance makes the image active one step before its import flow releases
    the import lock, and a DELETE in between can meet that last write and
    answer 500 (G3). An AssertionError, so that a poll tries again.
    """

    test_key_suffix = 'import_ended'
    test_key_value = False

    def __call__(self, test):
        if not test.test_data[self._key]:
            return
        image = test.response_data or {}
        if image.get('status') != 'active' or image_view.import_finishing(
                image):
            raise AssertionError(
                'image %s is %s, import lock %r: Glance\'s import has not '
                'ended' % (image.get('id'), image.get('status'),
                           image.get('os_glance_import_task')))


class StackEndedElsewhereHandler(base.ResponseHandler):
    """Every stack poll: a final state other than the awaited one ends it.

    On every request (its key defaults to true); it judges only those that
    poll and await a ``$.stack.stack_status``.
    """

    test_key_suffix = 'ends_at_final_status'
    test_key_value = True

    def __call__(self, test):
        target = (test.test_data.get('response_json_paths') or {}).get(
            '$.stack.stack_status')
        if not test.test_data[self._key] or not test.test_data.get(
                'poll') or not isinstance(target, str):
            return
        stack = (test.response_data or {}).get('stack') or {}
        current = stack.get('stack_status') or ''
        if tests_base.terminal_elsewhere(current, target):
            raise StackEndedElsewhere(
                '%r awaited %s; the stack is %s: %s' % (
                    test.test_data['name'], target, current,
                    stack.get('stack_status_reason')))
