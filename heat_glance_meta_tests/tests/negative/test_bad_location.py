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
    @decorators.idempotent_id('a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c01')
    def test_scheme_glance_refuses(self):
        reason = self._create_fails(self._location_like_image_url('ftp'))
        self.assertIn('HTTP 400', reason)
        self.assertIn('does not pass filtering', reason)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c02')
    def test_port_glance_refuses(self):
        reason = self._create_fails(
            self._location_like_image_url(port_offset=1))
        self.assertIn('HTTP 400', reason)
        self.assertIn('does not pass filtering', reason)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c03')
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
