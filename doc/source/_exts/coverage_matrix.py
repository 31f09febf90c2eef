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
"""``.. coverage-matrix::``: the schema coverage matrix as a table.

Renders heat_glance_meta_tests/schema_coverage.yaml (through
schema_coverage.rows) so that the documentation cannot drift from the data
the schema test checks.
"""

from docutils import nodes
from docutils.parsers.rst import Directive
from docutils import statemachine

from heat_glance_meta_tests import schema_coverage


def _row(cells):
    """A list-table row: each cell a list of lines."""
    out = []
    for index, lines in enumerate(cells):
        lines = lines or ['']
        out.append(('   * - ' if index == 0 else '     - ') + lines[0])
        out.extend('       ' + line for line in lines[1:])
    return out


class CoverageMatrix(Directive):

    has_content = False

    def run(self):
        out = ['.. list-table::', '   :header-rows: 1',
               '   :widths: 14 8 16 62', '']
        out += _row([['Property'], ['On change'], ['Behaviour'],
                     ['Checked by (below ``heat_glance_meta_tests.tests``)']])
        previous = None
        for name, change, behaviour, tests in schema_coverage.rows():
            first = name != previous
            previous = name
            out += _row([['``%s``' % name] if first else [],
                         [change] if first and change else [],
                         [behaviour],
                         ['| ``%s``' % t for t in tests]])
        container = nodes.container()
        self.state.nested_parse(statemachine.StringList(out, source='matrix'),
                                self.content_offset, container)
        return container.children


def setup(app):
    app.add_directive('coverage-matrix', CoverageMatrix)
    return {'parallel_read_safe': True}
