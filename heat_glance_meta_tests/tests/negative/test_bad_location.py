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
"""Image locations Glance refuses or cannot fetch: clear failure, no leak."""

from urllib import parse

from tempest import config
from tempest.lib import decorators

from heat_glance_meta_tests import known_defects
from heat_glance_meta_tests import templates
from heat_glance_meta_tests.tests import base

CONF = config.CONF


class BadLocationTest(base.HeatGlanceTest):

    def _location_like_image_url(self, scheme=None, port_offset=0):
        url = parse.urlsplit(CONF.heat_glance_meta.image_url)
        port = (url.port or 80) + port_offset
        return parse.urlunsplit((scheme or url.scheme,
                                 '%s:%d' % (url.hostname, port),
                                 url.path, '', ''))

    def _create_fails(self, location, **kwargs):
        # Watch Heat alone: these imports are meant to fail.
        stack_id = self.create_stack(
            templates.image_stack(),
            self.image_parameters(location=location), wait_for='FAILED',
            watch_imports=False, **kwargs)
        return base.status_reason(self.heat.stacks.get(stack_id))

    @decorators.attr(type='negative')
    @decorators.idempotent_id('24ac91ef-cc63-4c9d-92b6-33d2c4d3d65b')
    def test_scheme_glance_refuses(self):
        reason = self._create_fails(self._location_like_image_url('ftp'))
        self.assertIn('HTTP 400', reason)
        self.assertIn('does not pass filtering', reason)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('8804338c-101f-459c-a1a2-1631293cf33e')
    def test_port_glance_refuses(self):
        reason = self._create_fails(
            self._location_like_image_url(port_offset=1))
        self.assertIn('HTTP 400', reason)
        self.assertIn('does not pass filtering', reason)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('3b792d19-dc68-4862-bc2d-095a44ee16f4')
    def test_missing_image_fails_the_stack(self):
        """A location that 404s: Heat reports the failed import (D6).

        Glance says the import failed within seconds; Heat then has
        [heat_glance_meta] failed_import_grace seconds to notice: to fail
        the image resource (it may then retry the create before it fails
        the stack) or the stack. With D6 it never notices; that is the
        verdict then, not at the stack's own timeout.
        """
        settings = CONF.heat_glance_meta
        if not settings.missing_image_url:
            raise self.skipException('[heat_glance_meta] missing_image_url '
                                     'is not set')
        stack_id = self.create_stack(
            templates.image_stack(),
            self.image_parameters(location=settings.missing_image_url),
            wait_for=None)
        glance_says = self.wait_import_failed(stack_id)
        stack, noticed = self.stack_settled_or_event(
            stack_id, lambda e: e.resource_status.endswith('_FAILED'),
            timeout=settings.failed_import_grace)
        with known_defects.expected(self, 'D6'):
            self.assertTrue(
                noticed or stack.stack_status != 'CREATE_IN_PROGRESS',
                'Glance reported the failed import (%s) and %.0f s later '
                '([heat_glance_meta] failed_import_grace) Heat has not '
                'noticed: no failed event of the image resource, the stack '
                'still CREATE_IN_PROGRESS' % ('; '.join(glance_says),
                                              settings.failed_import_grace))
        stack = self.wait_stack_settled(stack_id, watch_imports=False)
        reason = base.status_reason(stack)
        self.assertEqual('CREATE_FAILED', stack.stack_status, reason)
        self.assertNotIn('timed out', reason.lower())
