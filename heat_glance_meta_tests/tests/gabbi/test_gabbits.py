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
"""Loads the gabbi HTTP scenarios of the top-level gabbits/ directory.

Each request of a YAML file becomes one test whose id is
``heat_glance_meta_tests.tests.gabbi.test_gabbits.<file>.<NN>_<name>
[id-<uuid>]``: the Tempest idempotent id comes from the request's ``desc``,
and because everything before the last dot names the file, Tempest's
default stestr grouping (``group_regex=([^\\.]*\\.)*``) keeps the requests of
one file on one worker, in order. Every file runs under
fixtures.TempestProjectFixture (credentials, endpoints, cleanup).
"""

import re
import unittest
from urllib import parse

from gabbi import driver
from tempest import config

from heat_glance_meta_tests import known_defects
from heat_glance_meta_tests import resources
from heat_glance_meta_tests.tests.gabbi import fixtures
from heat_glance_meta_tests.tests.gabbi.fixtures import failed_imports
from heat_glance_meta_tests.tests.gabbi import handlers

CONF = config.CONF
UUID = re.compile(r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-'
                  r'[0-9a-f]{12}$')
# gabbi names a request <loader>.<file>_<request name>.test_request; file
# names have no underscore (a unit test holds them to that).
GABBI_NAME = re.compile(r'^%s\.(?P<file>[a-z0-9-]+)_(?P<test>[^.]+)'
                        r'\.test_request$' % re.escape(__name__))


def tempest_id(test_case):
    """The idempotent id a request declares in its desc, checked."""
    desc = (test_case.test_data.get('desc') or '').strip()
    if not UUID.match(desc):
        raise ValueError('gabbi test %s: desc must be its Tempest '
                         'idempotent id (a UUID), not %r'
                         % (test_case.id(), desc))
    return desc


KNOWN_DEFECT = re.compile(r'\(known defect ([A-Z][0-9]+)\)')


def declare_known_defect(test_case):
    """A request named "... (known defect D12)" follows that defect's flag.

    While the flag says present, unittest's expected-failure mark gives the
    known-defect semantics: a failure is expected, a pass is an unexpected
    success. (gabbi's own ``xfail`` reports such a test twice.)
    """
    match = KNOWN_DEFECT.search(test_case.test_data.get('name', ''))
    if match and known_defects.is_present(match.group(1)):
        setattr(test_case, '__unittest_expecting_failure__', True)


class _ImportRaceResult:
    """A result that reports a failure the create race caused as L1's."""

    def __init__(self, result):
        self._result = result

    def __getattr__(self, name):
        return getattr(self._result, name)

    def addError(self, test, err):
        # A poll that a handler ended (a failed import, a stack ended
        # otherwise) is a wait that did not hold; any other error is a real
        # error.
        if issubclass(err[0], handlers.PollEnded):
            return self.addFailure(
                test, (AssertionError, AssertionError(str(err[1])), err[2]))
        return self._result.addError(test, err)

    def addFailure(self, test, err):
        # Only failures (a wait or a check that did not hold) can be the
        # race's; an error is a real error.
        race, other = failed_imports()
        if not race or other:
            return self._result.addFailure(test, err)
        note = AssertionError('%s; Glance failed to import %s: %s' % (
            known_defects.describe('L1'), race, err[1]))
        err = (AssertionError, note, err[2])
        if known_defects.is_present('L1'):
            return self._result.addExpectedFailure(test, err)
        return self._result.addFailure(test, err)


def guard_import_race(test_case):
    """Report a failure the create race (L1) caused through its flag.

    Every create can lose the race between Heat's PATCH and Glance's import
    task in a second way: the image goes back to ``queued``, its import
    fails with "cannot transition from queued to active", and Heat waits on
    (D6). A YAML file cannot see that, so when a request fails and the
    file's project has such a failed import, and no import that failed any
    other way, the failure is L1's: expected while the flag says present.
    """
    run = test_case.run
    test_case.run = lambda result=None: run(
        _ImportRaceResult(result) if result is not None else None)


def regroup_ids(suite, index=None):
    """Give each request an id grouped by file and carrying its Tempest id."""
    seen = {} if index is None else index
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            regroup_ids(test, seen)
            continue
        match = GABBI_NAME.match(test.id())
        if not match:
            raise ValueError('unexpected gabbi test id %s' % test.id())
        ident = tempest_id(test)
        if ident in seen:
            raise ValueError('idempotent id %s used by both %s and %s'
                             % (ident, seen[ident], test.id()))
        seen[ident] = test.id()
        declare_known_defect(test)
        guard_import_race(test)
        number = sum(1 for name in seen.values()
                     if GABBI_NAME.match(name).group('file') ==
                     match.group('file'))
        new_id = '%s.%s.%02d_%s[id-%s]' % (
            __name__, match.group('file'), number, match.group('test'), ident)
        test.id = lambda new_id=new_id: new_id
    return suite


def build(loader, path=None):
    """The gabbi suite, with ids regrouped."""
    # Every URL in the YAML is absolute ($ENVIRON['HEAT_URL'] ...); gabbi
    # still wants a host, so give it Keystone's.
    host = parse.urlsplit(CONF.identity.uri_v3 or 'http://localhost').netloc
    suite = driver.build_tests(
        str(path or resources.gabbits()), loader, host=host,
        fixture_module=fixtures, test_loader_name=__name__,
        response_handlers=[handlers.NoFailedImportsHandler,
                           handlers.ImportEndedHandler,
                           handlers.StackEndedElsewhereHandler],
        cert_validate=not CONF.identity.disable_ssl_certificate_validation)
    return regroup_ids(suite)


def load_tests(loader, tests, pattern):
    return build(loader)
