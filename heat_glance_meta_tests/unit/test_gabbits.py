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
"""The gabbi loader: every request has a unique Tempest id, files group."""

import json
import pathlib
import re
import types
import unittest

import fixtures as fixtures_lib
import testtools
import yaml

from heat_glance_meta_tests import known_defects
from heat_glance_meta_tests import resources
from heat_glance_meta_tests.tests.gabbi import fixtures
from heat_glance_meta_tests.tests.gabbi import handlers
from heat_glance_meta_tests.tests.gabbi import test_gabbits

# Tempest's default stestr grouping, as `tempest init` writes it.
TEMPEST_GROUP_REGEX = re.compile(r'([^\.]*\.)*')


def python_test_ids():
    ids = set()
    root = pathlib.Path(test_gabbits.__file__).parents[1]
    for path in root.rglob('test_*.py'):
        ids.update(re.findall(r"idempotent_id\('([0-9a-f-]{36})'\)",
                              path.read_text()))
    return ids


class GabbitsLoaderTest(testtools.TestCase):

    def _suite(self, path=None):
        return test_gabbits.build(unittest.TestLoader(), path)

    def _tests(self, suite):
        for test in suite:
            if isinstance(test, unittest.TestSuite):
                yield from self._tests(test)
            else:
                yield test

    def test_gabbits_found_and_named_for_grouping(self):
        files = sorted(p.name for p in resources.gabbits().glob('*.yaml'))
        self.assertGreaterEqual(len(files), 6)
        for name in files:
            self.assertRegex(name, r'^[a-z0-9-]+\.yaml$')

    def test_every_request_has_unique_tempest_id_in_its_test_id(self):
        tests = list(self._tests(self._suite()))
        self.assertGreaterEqual(len(tests), 40)
        ids = [re.search(r'\[id-([0-9a-f-]{36})\]$', t.id()).group(1)
               for t in tests]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertEqual(set(), set(ids) & python_test_ids())

    def test_requests_of_one_file_share_one_group_in_order(self):
        groups = {}
        for test in self._tests(self._suite()):
            group = TEMPEST_GROUP_REGEX.match(test.id()).group(0)
            groups.setdefault(group, []).append(test.id())
        files = {p.stem for p in resources.gabbits().glob('*.yaml')}
        self.assertEqual(
            {'%s.%s.' % (test_gabbits.__name__, f) for f in files},
            set(groups))
        for members in groups.values():
            numbers = [int(re.search(r'\.(\d\d)_', m).group(1))
                       for m in members]
            self.assertEqual(list(range(1, len(members) + 1)), numbers)

    def _write(self, tmp, tests):
        (pathlib.Path(tmp) / 'bad.yaml').write_text(yaml.safe_dump(
            {'tests': tests}))

    def test_missing_id_is_refused(self):
        tmp = self.useFixture(fixtures_lib.TempDir()).path
        self._write(tmp, [{'name': 'no id', 'GET': '/'}])
        e = self.assertRaises(ValueError, self._suite, tmp)
        self.assertIn('desc must be its Tempest idempotent id', str(e))

    def test_duplicate_id_is_refused(self):
        tmp = self.useFixture(fixtures_lib.TempDir()).path
        ident = '00000000-0000-4000-8000-000000000001'
        self._write(tmp, [{'name': 'one', 'GET': '/', 'desc': ident},
                          {'name': 'two', 'GET': '/', 'desc': ident}])
        e = self.assertRaises(ValueError, self._suite, tmp)
        self.assertIn('used by both', str(e))

    def test_every_file_uses_the_tempest_fixture(self):
        for path in resources.gabbits().glob('*.yaml'):
            data = yaml.safe_load(path.read_text())
            self.assertEqual(['TempestProjectFixture'], data['fixtures'],
                             path.name)

    def test_poll_settings_follow_configuration(self):
        class Settings:
            build_timeout = 30.0
            poll_interval_max = 0.25
        self.useFixture(fixtures_lib.MonkeyPatch(
            'heat_glance_meta_tests.tests.gabbi.fixtures.CONF',
            type('Conf', (), {'heat_glance_meta': Settings})))
        self.assertEqual((120, 0.25), fixtures.poll_settings())

    def test_no_magic_poll_numbers_in_yaml(self):
        for path in resources.gabbits().glob('*.yaml'):
            for test in yaml.safe_load(path.read_text())['tests']:
                if 'poll' in test:
                    self.assertEqual(
                        {'count': "$ENVIRON['POLL_COUNT']",
                         'delay': "$ENVIRON['POLL_DELAY']"},
                        test['poll'], '%s: %s' % (path.name, test['name']))

    def test_request_bodies_are_json(self):
        """YAML turns unquoted dates (template versions) into non-JSON."""
        for path in resources.gabbits().glob('*.yaml'):
            for test in yaml.safe_load(path.read_text())['tests']:
                if 'data' in test:
                    json.dumps(test['data'])

    def test_bodies_read_from_files_exist_and_are_json(self):
        """``data: <@file`` names a JSON file beside the YAML files."""
        used = set()
        for path in resources.gabbits().glob('*.yaml'):
            for test in yaml.safe_load(path.read_text())['tests']:
                data = test.get('data')
                if isinstance(data, str) and data.startswith('<@'):
                    used.add(data[2:])
        self.assertTrue(used)
        for name in used:
            body = json.loads((resources.gabbits() / name).read_text())
            self.assertIn('template', body, name)
        on_disk = {p.name for p in resources.gabbits().glob('*.json')}
        self.assertEqual(on_disk, used, 'body files no test reads')

    def test_known_defect_requests_follow_their_flag(self):
        flagged = [t for t in self._tests(self._suite())
                   if 'known_defect' in t.id()]
        self.assertGreater(len(flagged), 0)
        for test in flagged:
            ident = test_gabbits.KNOWN_DEFECT.search(
                test.test_data['name']).group(1)
            self.assertIn(ident, known_defects.DEFECTS)
            self.assertEqual(
                known_defects.is_present(ident),
                getattr(test, '__unittest_expecting_failure__', False))


class ImportRaceGuardTest(testtools.TestCase):
    """Only a failed request beside the race's failed import is L1's."""

    RACE = ['image x (queued): import task t failed: cannot transition '
            'from queued to active in update (wanted from_state=importing)']
    OTHER = ['image y (queued): import task u failed: 404 Not Found']

    def _run(self, race, other=(), present=True, error=False,
             import_failed=False):
        class Request(unittest.TestCase):
            def test_request(self):
                if error:
                    raise KeyError('a bug in the fixture')
                if import_failed:
                    raise handlers.ImportFailed('Glance failed to import')
                raise AssertionError('poll gave up on CREATE_COMPLETE')
        self.useFixture(fixtures_lib.MonkeyPatch(
            'heat_glance_meta_tests.tests.gabbi.test_gabbits.failed_imports',
            lambda: (list(race), list(other))))
        self.useFixture(fixtures_lib.MonkeyPatch(
            'heat_glance_meta_tests.known_defects.is_present',
            lambda _id: present))
        case = Request('test_request')
        test_gabbits.guard_import_race(case)
        result = unittest.TestResult()
        case.run(result)
        return result

    def _counts(self, result):
        return (len(result.expectedFailures), len(result.failures),
                len(result.errors))

    def test_failure_beside_the_race_is_expected_under_l1(self):
        result = self._run(self.RACE)
        self.assertEqual((1, 0, 0), self._counts(result))
        self.assertIn('L1', result.expectedFailures[0][1])

    def test_failure_without_failed_import_stays_a_failure(self):
        self.assertEqual((0, 1, 0), self._counts(self._run([])))

    def test_import_failed_another_way_stays_a_failure(self):
        self.assertEqual((0, 1, 0), self._counts(self._run([], self.OTHER)))
        self.assertEqual((0, 1, 0),
                         self._counts(self._run(self.RACE, self.OTHER)))

    def test_an_error_is_never_excused(self):
        self.assertEqual((0, 0, 1),
                         self._counts(self._run(self.RACE, error=True)))

    def test_l1_configured_fixed_makes_it_a_failure(self):
        result = self._run(self.RACE, present=False)
        self.assertEqual((0, 1, 0), self._counts(result))
        self.assertIn('L1', result.failures[0][1])

    def test_poll_ended_by_the_race_is_expected_under_l1(self):
        result = self._run(self.RACE, import_failed=True)
        self.assertEqual((1, 0, 0), self._counts(result))
        self.assertIn('L1', result.expectedFailures[0][1])

    def test_poll_ended_by_another_failed_import_is_a_failure(self):
        result = self._run(self.RACE, self.OTHER, import_failed=True)
        self.assertEqual((0, 1, 0), self._counts(result))


class NoFailedImportsHandlerTest(testtools.TestCase):
    """A poll marked response_no_failed_imports ends at a failed import."""

    class Request:
        def __init__(self, marked=True):
            self.test_data = {'name': 'stack reaches CREATE_COMPLETE',
                              'response_no_failed_imports': marked}

        def id(self):
            return 'gabbi.lifecycle.02'

    def _handler(self, found, clock=lambda: 0.0):
        looks = []

        def failed_imports():
            looks.append(1)
            return found
        return handlers.NoFailedImportsHandler(failed_imports, clock), looks

    def test_every_stack_poll_in_the_yaml_is_marked(self):
        for path in resources.gabbits().glob('*.yaml'):
            for test in yaml.safe_load(path.read_text())['tests']:
                waits = re.search(
                    r"stack_status': '(CREATE|UPDATE)_COMPLETE'",
                    str(test.get('response_json_paths')))
                if 'poll' in test and waits:
                    self.assertIs(True,
                                  test.get('response_no_failed_imports'),
                                  '%s: %s' % (path.name, test['name']))

    def test_every_wait_for_an_import_to_end_is_marked(self):
        # An import that failed leaves the image queued for good: the wait
        # would poll until it runs out.
        for path in resources.gabbits().glob('*.yaml'):
            for test in yaml.safe_load(path.read_text())['tests']:
                if 'poll' in test and test.get('response_import_ended'):
                    self.assertIs(True,
                                  test.get('response_no_failed_imports'),
                                  '%s: %s' % (path.name, test['name']))

    def test_unmarked_request_never_looks(self):
        handler, looks = self._handler((['race'], []))
        handler(self.Request(marked=False))
        self.assertEqual([], looks)

    def test_nothing_failed_lets_the_poll_go_on(self):
        handler, looks = self._handler(([], []))
        handler(self.Request())
        self.assertEqual([1], looks)

    def test_failed_import_ends_the_poll(self):
        handler, _ = self._handler(([], ['image y: 404']))
        error = self.assertRaises(handlers.ImportFailed, handler,
                                  self.Request())
        self.assertIn('image y: 404', str(error))
        self.assertNotIsInstance(error, AssertionError)

    def test_glance_is_asked_every_two_seconds_at_most(self):
        now = [100.0]
        handler, looks = self._handler(([], []), clock=lambda: now[0])
        request = self.Request()
        for now[0] in (100.0, 100.5, 101.9, 102.0, 103.0, 104.1):
            handler(request)
        self.assertEqual(3, len(looks))


class ImportEndedHandlerTest(testtools.TestCase):
    """response_import_ended: active, and the import lock released."""

    class Request:
        def __init__(self, image, marked=True):
            self.test_data = {'name': 'image', 'response_import_ended': marked}
            self.response_data = image

    def test_an_image_whose_import_ended_passes(self):
        handlers.ImportEndedHandler()(self.Request(
            {'id': 'i', 'status': 'active'}))

    def test_active_with_the_lock_or_not_active_yet_fails_to_poll_again(self):
        for image in ({'id': 'i', 'status': 'active',
                       'os_glance_import_task': 'task-1'},
                      {'id': 'i', 'status': 'importing',
                       'os_glance_import_task': 'task-1'},
                      {'id': 'i', 'status': 'queued'}):
            error = self.assertRaises(AssertionError,
                                      handlers.ImportEndedHandler(),
                                      self.Request(image))
            self.assertIn("import has not ended", str(error))

    def test_unmarked_request_is_not_judged(self):
        handlers.ImportEndedHandler()(self.Request({}, marked=False))

    def test_every_delete_of_a_stack_follows_a_wait_for_its_import(self):
        for path in resources.gabbits().glob('*.yaml'):
            tests = yaml.safe_load(path.read_text())['tests']
            for index, test in enumerate(tests):
                # A stack's URL is the $LOCATION its create answered.
                if '$LOCATION' in str(test.get('DELETE', '')):
                    ended = [t['name'] for t in tests[:index]
                             if t.get('response_import_ended')]
                    self.assertTrue(ended, '%s: %s deletes a stack no '
                                    'request waited for the import of'
                                    % (path.name, test['name']))


class StackEndedElsewhereHandlerTest(testtools.TestCase):
    """A stack poll ends at a final state other than the awaited one."""

    class Request:
        def __init__(self, status, target='DELETE_COMPLETE', poll=True):
            self.test_data = {
                'name': 'stack is deleted',
                'response_ends_at_final_status': True,
                'poll': {'count': 10} if poll else {},
                'response_json_paths': {'$.stack.stack_status': target}}
            self.response_data = {'stack': {
                'stack_status': status, 'stack_status_reason': 'HTTP 500'}}

    def test_delete_failed_ends_a_poll_for_delete_complete(self):
        error = self.assertRaises(
            handlers.StackEndedElsewhere,
            handlers.StackEndedElsewhereHandler(),
            self.Request('DELETE_FAILED'))
        self.assertIn('DELETE_FAILED: HTTP 500', str(error))
        self.assertNotIsInstance(error, AssertionError)

    def test_in_progress_or_the_target_lets_the_poll_go_on(self):
        handler = handlers.StackEndedElsewhereHandler()
        for status in ('DELETE_IN_PROGRESS', 'DELETE_COMPLETE',
                       'CREATE_COMPLETE'):
            handler(self.Request(status))

    def test_a_request_that_does_not_poll_is_not_judged(self):
        handlers.StackEndedElsewhereHandler()(
            self.Request('DELETE_FAILED', poll=False))


class FixtureLeftoversTest(testtools.TestCase):
    """What the fixture cleans up: only what its own prefix named.

    A pre-provisioned project outlives a file; what other tests left in it
    is theirs, for the leak check to report.
    """

    def test_only_the_files_own_stacks_and_images(self):
        fixture = fixtures.TempestProjectFixture.__new__(
            fixtures.TempestProjectFixture)
        fixture.prefix = 'tempest-hgmt-gabbi-1'
        images = [{'id': 'a', 'name': 'tempest-hgmt-gabbi-1-img'},
                  {'id': 'b', 'name': 'tempest-hgmt-image-9'},
                  {'id': 'c', 'name': None},
                  # Another file's, whose random suffix begins with 1.
                  {'id': 'd', 'name': 'tempest-hgmt-gabbi-12-img'}]
        stacks = [types.SimpleNamespace(id=1, stack_name='tempest-hgmt-'
                                        'gabbi-1'),
                  types.SimpleNamespace(id=2, stack_name='tempest-hgmt-'
                                        'gabbi-1-not-a-map'),
                  types.SimpleNamespace(id=3, stack_name='tempest-hgmt-'
                                        'stack-3')]
        self.assertEqual(['a'], [i['id'] for i in fixture.own(images)])
        self.assertEqual([1, 2], [s.id for s in fixture.own(
            stacks, name='stack_name')])
