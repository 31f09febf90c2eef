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
"""A failed stack wait reports every resource and image it can see."""

import types

import testtools

from heat_glance_meta_tests.common import diagnosis


class FakeHeat:
    def __init__(self, resources=None, error=None):
        self._resources, self._error = resources or [], error
        self.resources = self

    def list(self, stack_id, nested_depth=0):
        if self._error:
            raise self._error
        return self._resources


class FakeGlance:
    def __init__(self, images):
        self._images = images
        self.images = self

    def get(self, image_id):
        return {'status': self._images[image_id][0]}

    def get_associated_image_tasks(self, image_id):
        return {'tasks': self._images[image_id][1]}


def resource(name, kind, ident, status, reason=''):
    return types.SimpleNamespace(
        resource_name=name, resource_type=kind, physical_resource_id=ident,
        resource_status=status, resource_status_reason=reason)


class StackReportTest(testtools.TestCase):

    def test_resources_and_images_with_their_tasks(self):
        heat = FakeHeat([
            resource('group', 'OS::Heat::ResourceGroup', 'g1',
                     'CREATE_IN_PROGRESS', 'state changed'),
            resource('0', 'OS::Glance::WebImage', 'img-1',
                     'CREATE_IN_PROGRESS')])
        glance = FakeGlance({'img-1': ('queued', [
            {'id': 't1', 'status': 'failure',
             'message': 'cannot transition from queued to active'}]),
            'img-0': ('active', [])})
        lines = diagnosis.stack_report(heat, glance, 's1', ['img-0'])
        text = '\n'.join(lines)
        self.assertIn('resource group (OS::Heat::ResourceGroup, g1): '
                      'CREATE_IN_PROGRESS state changed', text)
        self.assertIn('image img-1: queued; import tasks: task t1 failure: '
                      'cannot transition from queued to active', text)
        self.assertIn('image img-0: active; import tasks: none', text)

    def test_a_heat_error_is_reported_not_raised(self):
        lines = diagnosis.stack_report(FakeHeat(error=RuntimeError('503')),
                                       FakeGlance({}), 's1')
        self.assertEqual(['resources of stack s1: unavailable (503)'],
                         lines)
