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
it completes ends the poll as soon as Glance reports a failed import in
the file's project. Heat never notices a failed import (D6) and would keep
the stack IN_PROGRESS until the poll ran out (minutes); the import's
failure already decides the request. The loader's result then reports it
as the create race (L1) when it has the race's shape, and as a plain
failure otherwise (test_gabbits._ImportRaceResult).
"""

import time

from gabbi.handlers import base

from heat_glance_meta_tests.common import create_race
from heat_glance_meta_tests.tests.gabbi import fixtures

LOOK_EVERY = create_race.LOOK_EVERY


class ImportFailed(Exception):
    """Glance reported a failed import while a request polled a stack.

    Not an AssertionError on purpose: gabbi's poll retries those, and this
    must end it.
    """


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
