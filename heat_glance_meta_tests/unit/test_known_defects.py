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
"""The known-defect mechanism: which outcome each observation gives."""

import fixtures
import testtools

from heat_glance_meta_tests import known_defects


def probe_outcome(check, present):
    """Run ``check(test)`` in a throwaway test; its outcome and detail.

    ``present`` is what the configuration says of every known defect.
    """

    class Probe(testtools.TestCase):
        def test_it(self):
            check(self)

    with fixtures.MonkeyPatch(
            'heat_glance_meta_tests.known_defects.is_present',
            lambda _id: present):
        result = testtools.TestResult()
        Probe('test_it').run(result)
    if result.failures or result.errors:
        return 'fail', (result.failures + result.errors)[0][1]
    if result.expectedFailures:
        return 'xfail', result.expectedFailures[0][1]
    if result.unexpectedSuccesses:
        return 'uxsuccess', ''
    return 'success', ''


def outcome(defect_id, present, check_fails):
    """Run a test that checks for ``defect_id``; return its outcome."""
    def check(test):
        with known_defects.expected(test, defect_id):
            if check_fails:
                test.assertEqual('wanted', 'lost')
    return probe_outcome(check, present)


class ExpectedTest(testtools.TestCase):

    def test_observed_and_present_is_expected_failure_naming_defect(self):
        status, detail = outcome('L1', present=True, check_fails=True)
        self.assertEqual('xfail', status)

    def test_observed_but_configured_fixed_fails(self):
        status, detail = outcome('D2', present=False, check_fails=True)
        self.assertEqual('fail', status)
        self.assertIn('D2 is configured fixed', detail)
        self.assertIn('empty_property_diff = False', detail)

    def test_deterministic_defect_not_reproduced_is_unexpected_success(self):
        status, _ = outcome('D2', present=True, check_fails=False)
        self.assertEqual('uxsuccess', status)

    def test_race_not_hit_passes(self):
        status, _ = outcome('L1', present=True, check_fails=False)
        self.assertEqual('success', status)

    def test_fixed_and_not_observed_passes(self):
        status, _ = outcome('D2', present=False, check_fails=False)
        self.assertEqual('success', status)

    def test_errors_are_not_observations(self):
        class Probe(testtools.TestCase):
            def test_it(self):
                with known_defects.expected(self, 'L1'):
                    raise KeyError('not an assertion')
        result = testtools.TestResult()
        with fixtures.MonkeyPatch(
                'heat_glance_meta_tests.known_defects.is_present',
                lambda _id: True):
            Probe('test_it').run(result)
        self.assertEqual(1, len(result.errors))

    def test_every_defect_has_an_option_and_location(self):
        options = [d.option for d in known_defects.DEFECTS.values()]
        self.assertEqual(len(options), len(set(options)))
        for d in known_defects.DEFECTS.values():
            self.assertTrue(d.title and d.location, d.id)
            self.assertIn(d.id, known_defects.describe(d.id))
