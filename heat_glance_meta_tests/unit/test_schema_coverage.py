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
"""The coverage matrix: it names real tests, and its gap rules hold."""

import copy
import importlib

import testtools
import yaml

from heat_glance_meta_tests import resources
from heat_glance_meta_tests import schema_coverage

TESTS_PACKAGE = 'heat_glance_meta_tests.tests'


def live_schema_from(the_matrix):
    """A live schema as Heat would publish the matrix's contracts."""
    return {name: dict(copy.deepcopy(entry['contract']),
                       description='prose')
            for name, entry in the_matrix['properties'].items()}


class MatrixNamesRealTestsTest(testtools.TestCase):

    def test_every_python_test_exists(self):
        missing = []
        for ref in schema_coverage.test_references():
            if ref.startswith(schema_coverage.GABBI_PREFIX):
                continue
            module_name, class_name, method = ref.rsplit('.', 2)
            try:
                module = importlib.import_module(
                    '%s.%s' % (TESTS_PACKAGE, module_name))
                getattr(getattr(module, class_name), method)
            except (ImportError, AttributeError):
                missing.append(ref)
        self.assertEqual([], missing)

    def test_every_gabbi_request_exists(self):
        missing = []
        for ref in schema_coverage.test_references():
            if not ref.startswith(schema_coverage.GABBI_PREFIX):
                continue
            file_name, request = schema_coverage.split_gabbi(ref)
            path = resources.gabbits() / file_name
            names = ({t['name'] for t in yaml.safe_load(
                path.read_text())['tests']} if path.exists() else set())
            if request not in names:
                missing.append(ref)
        self.assertEqual([], missing)

    def test_the_matrix_covers_its_own_contracts(self):
        the_matrix = schema_coverage.matrix()
        self.assertEqual([], schema_coverage.gaps(
            live_schema_from(the_matrix), the_matrix['attributes']))


class GapsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.matrix = copy.deepcopy(schema_coverage.matrix())
        self.live = live_schema_from(self.matrix)

    def _gaps(self, attributes=('show',)):
        return schema_coverage.gaps(self.live, attributes, self.matrix)

    def test_new_property_is_a_gap(self):
        self.live['hw_firmware'] = {'type': 'string', 'required': False,
                                    'update_allowed': True,
                                    'immutable': False}
        gaps = self._gaps()
        self.assertEqual(1, len(gaps))
        self.assertIn('property hw_firmware is in the live schema but not '
                      'in the matrix', gaps[0])

    def test_removed_property_is_a_gap(self):
        del self.live['owner']
        self.assertIn('property owner is in the matrix but no longer in '
                      'the live schema', self._gaps())

    def test_changed_default_is_a_gap(self):
        self.live['visibility']['default'] = 'shared'
        self.assertEqual(["property visibility: the live schema says "
                          "default = 'shared', the matrix was written for "
                          "'private': check its tests and update the "
                          "matrix"], self._gaps())

    def test_new_allowed_value_is_a_gap(self):
        self.live['disk_format']['constraints'][0]['allowed_values'].append(
            'gzip')
        gaps = self._gaps()
        self.assertEqual(1, len(gaps))
        self.assertIn('property disk_format: the live schema says '
                      'constraints', gaps[0])

    def test_constraint_description_is_not_a_gap(self):
        self.live['min_disk']['constraints'][0]['description'] = 'words'
        self.assertEqual([], self._gaps())

    def test_behaviour_without_test_is_a_gap(self):
        del self.matrix['properties']['tags']['checks']['remove']
        self.matrix['properties']['min_ram']['checks']['range outside'] = []
        self.assertEqual(['property min_ram: no test for "range outside"',
                          'property tags: no test for "remove"'],
                         self._gaps())

    def test_becoming_updatable_needs_a_converge_test(self):
        self.live['min_ram']['update_allowed'] = True
        self.matrix['properties']['min_ram']['contract'][
            'update_allowed'] = True
        self.assertEqual(['property min_ram: no test for "converge"'],
                         self._gaps())

    def test_new_attribute_is_a_gap(self):
        self.assertEqual(['attribute status is in the live schema but not '
                          'in the matrix'],
                         self._gaps(attributes=('show', 'status')))


class RequiredBehavioursTest(testtools.TestCase):

    def test_required_property(self):
        self.assertEqual(['create', 'update', 'missing'],
                         schema_coverage.required_behaviours(
                             {'required': True}))

    def test_optional_updatable_constrained_property(self):
        self.assertEqual(
            ['create', 'update', 'default', 'remove', 'converge',
             'range inside', 'range outside'],
            schema_coverage.required_behaviours(
                {'update_allowed': True,
                 'constraints': [{'range': {'min': 0},
                                  'description': 'x'}]}))

    def test_rows_cover_every_property(self):
        names = {row[0] for row in schema_coverage.rows()}
        self.assertLessEqual(set(schema_coverage.matrix()['properties']),
                             names)
