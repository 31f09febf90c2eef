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
"""The gabbi fixture: a Tempest project per YAML file, cleaned up after.

start_fixture gets primary credentials from Tempest (dynamic or
pre-provisioned, as tempest.conf says), and exposes to the YAML (through
the environment, as gabbi's $ENVIRON reads it) a token, the orchestration
and image endpoints from the catalog, the image URL, a unique name prefix
and the poll settings derived from the configuration. stop_fixture deletes
whatever stacks and images of that prefix the project still has (a file
that failed half-way leaks nothing) and then lets the credentials go. Only
the prefix's: a pre-provisioned project outlives the file, and what another
test left in it is that test's leak, for the run's leak check to report.
"""

import math
import os
import unittest

from gabbi import fixture
from tempest.common import credentials_factory
from tempest import config
from tempest.lib.common.utils import data_utils

from heat_glance_meta_tests import clients
from heat_glance_meta_tests.common import availability
from heat_glance_meta_tests.common import cleanup
from heat_glance_meta_tests.common import create_race

CONF = config.CONF

# Names of the variables the YAML files may read with $ENVIRON.
ENVIRON_KEYS = ('HGMT_TOKEN', 'HEAT_URL', 'GLANCE_URL', 'IMAGE_URL',
                'PREFIX', 'POLL_COUNT', 'POLL_DELAY')


def poll_settings():
    """gabbi's fixed-delay poll, bounded by the configured timeout."""
    settings = CONF.heat_glance_meta
    delay = settings.poll_interval_max
    return math.ceil(settings.build_timeout / delay), delay


def failed_imports():
    """The running file's failed Glance imports: (the race's, any other)."""
    current = TempestProjectFixture.current
    if current is None:
        return [], []
    glance = current.client.glance
    return create_race.failed_imports(glance, [
        image['id'] for image in current.own(glance.images.list(
            filters={'owner': current.client.project_id}))])


class TempestProjectFixture(fixture.GabbiFixture):
    """Credentials, endpoints and cleanup for one gabbi YAML file."""

    # The fixture of the file now running (files run one at a time in a
    # worker), for the loader's check of failed imports.
    current = None

    def start_fixture(self):
        reason = availability.missing()
        if reason:
            raise unittest.SkipTest(reason)
        self.provider = credentials_factory.get_credentials_provider(
            name=data_utils.rand_name('hgmt-gabbi'),
            identity_version=CONF.identity.auth_version)
        creds = self.provider.get_primary_creds()
        self.client = clients.for_credentials(creds.credentials)
        sess = self.client.session
        count, delay = poll_settings()
        self.prefix = data_utils.rand_name(
            prefix=CONF.resource_name_prefix, name='hgmt-gabbi')
        os.environ.update({
            'HGMT_TOKEN': sess.get_token(),
            'HEAT_URL': sess.get_endpoint(
                **clients.endpoint_filter('orchestration')).rstrip('/'),
            'GLANCE_URL': sess.get_endpoint(
                **clients.endpoint_filter('image')).rstrip('/'),
            'IMAGE_URL': CONF.heat_glance_meta.image_url,
            'PREFIX': self.prefix,
            'POLL_COUNT': str(count),
            'POLL_DELAY': str(delay),
        })
        TempestProjectFixture.current = self

    def stop_fixture(self):
        TempestProjectFixture.current = None
        try:
            self._delete_leftovers()
        finally:
            for key in ENVIRON_KEYS:
                os.environ.pop(key, None)
            self.provider.clear_creds()

    def own(self, resources, name='name'):
        """Those of ``resources`` (dicts or objects) this file named.

        Named the prefix itself, or the prefix and a dash: another file's
        random suffix may begin with this one's.
        """
        def named(resource):
            value = (resource.get(name) if isinstance(resource, dict)
                     else getattr(resource, name)) or ''
            return value == self.prefix or value.startswith(
                self.prefix + '-')
        return [r for r in resources if named(r)]

    def _delete_leftovers(self):
        """The file's stacks and images, gone; through the one cleanup."""
        heat, glance = self.client.heat, self.client.glance
        for stack in self.own(heat.stacks.list(), name='stack_name'):
            cleanup.delete_stack(heat, glance, stack.id)
        for image in self.own(glance.images.list(
                filters={'owner': self.client.project_id})):
            cleanup.delete_image(glance, image['id'])
