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

        With D6 Heat never notices and the stack's own timeout (kept short
        by [heat_glance_meta] failing_stack_timeout) ends the wait.
        """
        if not CONF.heat_glance_meta.missing_image_url:
            raise self.skipException('[heat_glance_meta] missing_image_url '
                                     'is not set')
        reason = self._create_fails(
            CONF.heat_glance_meta.missing_image_url,
            timeout_mins=CONF.heat_glance_meta.failing_stack_timeout)
        with known_defects.expected(self, 'D6'):
            self.assertNotIn('timed out', reason.lower())
