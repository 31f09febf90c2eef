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
"""The suite covers the whole contract Heat publishes for WebImage.

Heat's API describes every property of OS::Glance::WebImage (type,
default, constraints, required, update_allowed) and its attributes. This
test reads that live schema and fails on anything the coverage matrix
(heat_glance_meta_tests/schema_coverage.yaml) has no tests for: a new
property, a new or changed constraint or default, a behaviour without a
test. A Heat release that grows the resource makes the suite say what it
does not check yet.
"""

from tempest.lib import decorators

from heat_glance_meta_tests import schema_coverage
from heat_glance_meta_tests.tests import base


class SchemaCoverageTest(base.HeatGlanceTest):

    @decorators.idempotent_id('168e84ed-c119-4d16-b663-cdf4a1e70275')
    def test_every_property_and_constraint_has_tests(self):
        resource_type = schema_coverage.matrix()['resource_type']
        live = self.heat.resource_types.get(resource_type)
        gaps = schema_coverage.gaps(live['properties'],
                                    live.get('attributes', {}))
        self.assertEqual([], gaps, 'the coverage matrix does not cover '
                         'the live schema of %s:\n  %s'
                         % (resource_type, '\n  '.join(gaps)))
