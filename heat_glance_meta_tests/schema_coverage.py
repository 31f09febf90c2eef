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
"""The coverage matrix of OS::Glance::WebImage, and its completeness rules.

``schema_coverage.yaml`` holds, for every property Heat publishes for the
resource (``GET /v1/{project}/resource_types/OS::Glance::WebImage``), the
contract it was written against (type, default, constraints, required,
update_allowed) and, for each behaviour a user relies on, the tests that
check it in Glance. The behaviours a property needs follow from its
contract (:func:`required_behaviours`): a property that is not required
needs its default observed and its removal from a template, an updatable
one needs drift corrected by a converge update, a required one its refusal
when missing, each constraint a value just inside and one just outside.

:func:`gaps` compares the live schema with the matrix: a property, a
constraint or a contract change the matrix does not know, and a behaviour
without a test, are gaps. The schema test of the suite fails on any; the
unit tests hold every test the matrix names to exist; the documentation
renders the matrix as a table (:func:`rows`).
"""

import functools
import pathlib

import yaml

MATRIX_FILE = pathlib.Path(__file__).with_name('schema_coverage.yaml')

# The parts of Heat's published property schema that are its contract
# (descriptions are prose and left out).
CONTRACT_KEYS = ('type', 'required', 'update_allowed', 'immutable',
                 'default', 'constraints', 'schema')

# Behaviour keys, in the order the documentation lists them.
BEHAVIOURS = ('create', 'default', 'missing', 'update', 'remove',
              'converge')
GABBI_PREFIX = 'gabbi:'


@functools.lru_cache()
def _load():
    return yaml.safe_load(MATRIX_FILE.read_text())


def matrix():
    """The matrix as a dict (a fresh copy is not needed: read only)."""
    return _load()


def contract(published):
    """The contract part of one property as Heat publishes it.

    Constraint descriptions and nested descriptions are dropped: they are
    wording, not behaviour.
    """
    out = {}
    for key in CONTRACT_KEYS:
        if key not in published:
            continue
        value = published[key]
        if key == 'constraints':
            value = [{k: v for k, v in c.items() if k != 'description'}
                     for c in value]
        elif key == 'schema':
            value = {name: contract(sub) for name, sub in value.items()}
        out[key] = value
    return out


def constraint_name(constraint):
    """``allowed_values``, ``range``, ``length``, ``allowed_pattern``..."""
    kinds = [k for k in constraint if k != 'description']
    return kinds[0] if len(kinds) == 1 else '+'.join(sorted(kinds))


def required_behaviours(published_contract):
    """The behaviours a property with this contract must have tests for."""
    needed = ['create', 'update']
    if published_contract.get('required'):
        needed.append('missing')
    else:
        needed += ['default', 'remove']
    if published_contract.get('update_allowed'):
        needed.append('converge')
    for constraint in published_contract.get('constraints', ()):
        name = constraint_name(constraint)
        needed += ['%s inside' % name, '%s outside' % name]
    return needed


def gaps(live_properties, live_attributes=(), the_matrix=None):
    """What the live schema has that the matrix does not cover; a list.

    :param live_properties: ``properties`` of Heat's resource type schema.
    :param live_attributes: names of its attributes.
    """
    the_matrix = the_matrix or matrix()
    known = the_matrix['properties']
    found = []
    for name in sorted(set(live_properties) - set(known)):
        found.append('property %s is in the live schema but not in the '
                     'matrix: add its contract and the tests of its '
                     'behaviours to %s' % (name, MATRIX_FILE.name))
    for name in sorted(set(known) - set(live_properties)):
        found.append('property %s is in the matrix but no longer in the '
                     'live schema' % name)
    for name in sorted(set(live_properties) & set(known)):
        live = contract(live_properties[name])
        written = known[name].get('contract', {})
        for key in CONTRACT_KEYS:
            if live.get(key) != written.get(key):
                found.append('property %s: the live schema says %s = %r, '
                             'the matrix was written for %r: check its '
                             'tests and update the matrix'
                             % (name, key, live.get(key), written.get(key)))
        checks = known[name].get('checks', {})
        for behaviour in required_behaviours(live):
            if not checks.get(behaviour):
                found.append('property %s: no test for "%s"'
                             % (name, behaviour))
    attributes = the_matrix.get('attributes', {})
    for name in sorted(set(live_attributes) - set(attributes)):
        found.append('attribute %s is in the live schema but not in the '
                     'matrix' % name)
    for name in sorted(set(live_attributes) & set(attributes)):
        if not attributes[name]:
            found.append('attribute %s: no test' % name)
    return found


def test_references(the_matrix=None):
    """Every test the matrix names, as written (dotted or ``gabbi:``)."""
    the_matrix = the_matrix or matrix()
    refs = []
    for entry in the_matrix['properties'].values():
        for tests in entry.get('checks', {}).values():
            refs.extend(tests)
    for section in ('attributes', 'rules'):
        for tests in the_matrix.get(section, {}).values():
            refs.extend(tests)
    return refs


def split_gabbi(reference):
    """``gabbi:file.yaml: request name`` as (file name, request name)."""
    file_name, _, request = reference[len(GABBI_PREFIX):].partition(':')
    return file_name.strip(), request.strip()


def rows(the_matrix=None):
    """(property, on change, behaviour, tests) rows for the documentation."""
    the_matrix = the_matrix or matrix()
    out = []
    for name, entry in the_matrix['properties'].items():
        written = entry.get('contract', {})
        change = 'in place' if written.get('update_allowed') else 'replaced'
        checks = entry.get('checks', {})
        order = [b for b in BEHAVIOURS if b in checks] + sorted(
            b for b in checks if b not in BEHAVIOURS)
        for behaviour in order:
            out.append((name, change, behaviour, checks[behaviour]))
    for section in ('rules', 'attributes'):
        for name, tests in the_matrix.get(section, {}).items():
            out.append((section[:-1], '', name, tests))
    return out
