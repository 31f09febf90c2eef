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
"""Every constraint and validate() rule of WebImage, at its edge.

For each constraint Heat publishes (ranges, allowed values, patterns,
required properties) and each rule of the resource's validate() (formats
of AMI-style images, members only for shared images), a value just inside
is accepted and one just outside is refused, with Heat's reason, both by
the stack preview (Heat's full validation, nothing created) and by stack
create (refused before any stack or image exists). The template validate
call checks no values (D12, see gabbits/validate.yaml).
"""

from heatclient import exc as heat_exc
from tempest.lib.common.utils import data_utils
from tempest.lib import decorators

from heat_glance_meta_tests import known_defects
from heat_glance_meta_tests import templates
from heat_glance_meta_tests.tests import base

IMAGE_PROPERTIES = 'resources.%s.properties' % templates.RESOURCE
A_UUID = 'a1b2c3d4-0000-4000-8000-0123456789ab'


class ConstraintEdgeBase(base.HeatGlanceTest):
    """Preview and create of an image template, accepted or refused."""

    def _preview(self, template, parameters):
        return self.heat.stacks.preview(
            stack_name=self.unique_name('preview'),
            template=templates.dump(template), parameters=parameters)

    def assert_accepted(self, **properties):
        """Heat's preview accepts the image and shows the values given."""
        template = templates.image_stack(**properties)
        preview = self._preview(template, self.image_parameters())
        shown = {r['resource_name']: r for r in preview.resources}
        resolved = shown[templates.RESOURCE]['properties']
        for key, value in properties.items():
            if value is not None:
                self.assertEqual(value, resolved[key],
                                 'preview shows %s differently' % key)

    def assert_refused(self, fragments, known_defect=None, **properties):
        """Preview and create both refuse the template with ``fragments``.

        Heat must answer 400 (Bad Request). With ``known_defect`` the
        status codes are returned instead, for the caller to check under
        that defect once every refusal was seen. A create Heat accepts after
        all is cleaned up and fails the test.
        """
        template = templates.image_stack(**properties)
        parameters = self.image_parameters()
        error = self._refusal(self._preview, template, parameters)
        if error is None:
            self.fail('preview accepted %s' % properties)
        self._assert_reason(error, fragments, 'preview')
        codes = [('preview', error.code)]
        error = self._refusal(
            self.heat.stacks.create, stack_name=self.unique_name(),
            template=templates.dump(template), parameters=parameters)
        if error is None:
            self.fail('stack create accepted %s; preview refused it'
                      % properties)
        self._assert_reason(error, fragments, 'stack create')
        codes.append(('stack create', error.code))
        if known_defect:
            return codes
        self.assertEqual([('preview', 400), ('stack create', 400)], codes,
                         'Heat refused %s without a 400' % properties)

    def _refusal(self, call, *args, **kwargs):
        """The HTTP error of a call; None (cleaned up) if it succeeded."""
        try:
            body = call(*args, **kwargs)
        except heat_exc.HTTPException as e:
            return e
        if isinstance(body, dict) and 'stack' in body:
            self.addCleanup(self.delete_stack, body['stack']['id'])
        return None

    def _assert_reason(self, error, fragments, where):
        text = str(error)
        for fragment in fragments:
            self.assertIn(fragment, text, '%s refused for another reason'
                          % where)


class ConstraintsTest(ConstraintEdgeBase):
    """Ranges, allowed values, patterns, required properties."""

    def _assert_range_min_zero(self, key):
        self.assert_accepted(**{key: 0})
        self.assert_refused(
            ['%s.%s' % (IMAGE_PROPERTIES, key),
             '-1 is out of range (min: 0'], **{key: -1})

    @decorators.attr(type='negative')
    @decorators.idempotent_id('e01971eb-f386-4539-a1a8-067acc1801e2')
    def test_min_disk_range(self):
        self._assert_range_min_zero('min_disk')

    @decorators.attr(type='negative')
    @decorators.idempotent_id('45d9674d-2751-4231-8cf9-89c22fe58457')
    def test_min_ram_range(self):
        self._assert_range_min_zero('min_ram')

    @decorators.attr(type='negative')
    @decorators.idempotent_id('5a2d5efc-afb6-484c-bd5a-9fc30cf6816a')
    def test_disk_format_allowed_values(self):
        for disk_format in ('vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi',
                            'iso', 'ploop'):
            self.assert_accepted(disk_format=disk_format,
                                 container_format='bare')
        for aws_format in ('ami', 'ari', 'aki'):
            self.assert_accepted(disk_format=aws_format,
                                 container_format=aws_format)
        self.assert_refused(
            ['%s.disk_format' % IMAGE_PROPERTIES,
             '"qcow3" is not an allowed value'],
            disk_format='qcow3', container_format='bare')
        # Allowed values are exact: Glance's own names are lower case.
        self.assert_refused(['"RAW" is not an allowed value'],
                            disk_format='RAW', container_format='bare')

    @decorators.attr(type='negative')
    @decorators.idempotent_id('9e9df593-e991-4bb8-81e1-8cceb5794482')
    def test_container_format_allowed_values(self):
        for container_format in ('bare', 'ovf', 'ova', 'docker'):
            self.assert_accepted(container_format=container_format,
                                 disk_format='raw')
        self.assert_refused(
            ['%s.container_format' % IMAGE_PROPERTIES,
             '"compressed" is not an allowed value'],
            container_format='compressed', disk_format='raw')

    @decorators.attr(type='negative')
    @decorators.idempotent_id('d9461438-6070-4cc5-9dbd-a759a9c87f8d')
    def test_visibility_allowed_values(self):
        # Preview asks Glance nothing: public is accepted here whoever asks.
        for visibility in ('public', 'private', 'community', 'shared'):
            self.assert_accepted(visibility=visibility)
        self.assert_refused(
            ['%s.visibility' % IMAGE_PROPERTIES,
             '"hidden" is not an allowed value'], visibility='hidden')

    def _assert_image_id_pattern(self, key):
        self.assert_accepted(**{key: A_UUID})
        self.assert_accepted(**{key: A_UUID.upper()})
        for outside in (A_UUID[:-1], A_UUID + '0', A_UUID[:-1] + 'g'):
            self.assert_refused(
                ['%s.%s' % (IMAGE_PROPERTIES, key),
                 '"%s" does not match pattern' % outside],
                **{key: outside})

    @decorators.attr(type='negative')
    @decorators.idempotent_id('e6aa0ff2-8c87-4889-bbbe-c5cb01d96fca')
    def test_kernel_id_pattern(self):
        self._assert_image_id_pattern('kernel_id')

    @decorators.attr(type='negative')
    @decorators.idempotent_id('a934e3fc-21b5-41ae-8f0e-3a6b0035402b')
    def test_ramdisk_id_pattern(self):
        self._assert_image_id_pattern('ramdisk_id')

    @decorators.attr(type='negative')
    @decorators.idempotent_id('f58f0e72-0ea7-440a-8818-3505170140df')
    def test_required_properties(self):
        for key in ('location', 'disk_format', 'container_format'):
            self.assert_refused(['Property %s not assigned' % key],
                                **{key: None})


class ValidateRulesTest(ConstraintEdgeBase):
    """The rules of GlanceWebImage.validate()."""

    @decorators.attr(type='negative')
    @decorators.idempotent_id('505f0d39-c3c2-4a19-b8e0-a8b7ca819f37')
    def test_aws_container_formats_need_the_same_disk_format(self):
        for aws_format in ('ami', 'ari', 'aki'):
            self.assert_accepted(container_format=aws_format,
                                 disk_format=aws_format)
            self.assert_refused(
                ['Invalid mix of disk and container formats'],
                container_format=aws_format, disk_format='raw')
            # The rule reads the container format only: an AMI-style disk
            # in a bare container is Heat's to accept (and Glance's).
            self.assert_accepted(container_format='bare',
                                 disk_format=aws_format)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('52c312c3-7250-40ee-a260-e1cf84f6995e')
    def test_members_need_shared_visibility(self):
        members = [data_utils.rand_uuid_hex()]
        self.assert_accepted(visibility='shared', members=members)
        self.assert_accepted(visibility='private', members=[])
        codes = []
        for visibility in ('private', 'public', 'community', None):
            # None: the default visibility (private) applies.
            codes += self.assert_refused(
                ['members property should only be specified for '
                 'visibility with value shared'], known_defect='D13',
                visibility=visibility, members=members)
        with known_defects.expected(self, 'D13'):
            self.assertEqual([400] * len(codes), [c for _, c in codes],
                             'Heat answered %s' % codes)
