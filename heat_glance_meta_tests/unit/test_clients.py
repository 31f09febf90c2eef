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
"""The clients' scope and project id, from credentials with or without ids.

Credentials from an accounts file carry the project's name only; the gabbi
fixture's checks of failed imports and its cleanup list the project's
images by owner, and an owner of None matched nothing (a CI run's failed
import went unnoticed for seven minutes).
"""

import types

import fixtures
from keystoneauth1 import session as ks_session
from tempest.lib import auth
import testtools

from heat_glance_meta_tests import clients


def _credentials(**ids):
    return auth.KeystoneV3Credentials(
        username='hgmt-tempest-member-1', password='secret',
        project_name='hgmt-tempest-member-1', user_domain_name='Default',
        project_domain_name='Default', **ids)


class ClientsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        conf = types.SimpleNamespace(
            identity=types.SimpleNamespace(
                uri_v3='http://127.0.0.1:5000/v3', region='RegionOne',
                ca_certificates_file=None,
                disable_ssl_certificate_validation=False),
            heat_glance_meta=types.SimpleNamespace(endpoint_type='public'))
        self.useFixture(fixtures.MockPatch(
            'heat_glance_meta_tests.clients.CONF', conf))
        self.asked = self.useFixture(fixtures.MockPatchObject(
            ks_session.Session, 'get_project_id',
            return_value='scoped-project-id')).mock

    def test_project_named_when_its_id_is_unknown(self):
        auth_plugin = clients.session_for(_credentials()).auth
        self.assertEqual(('hgmt-tempest-member-1', 'Default', None),
                         (auth_plugin.project_name,
                          auth_plugin.project_domain_name,
                          auth_plugin.project_id))

    def test_project_id_scopes_when_known(self):
        auth_plugin = clients.session_for(
            _credentials(project_id='p-1')).auth
        self.assertEqual(('p-1', None),
                         (auth_plugin.project_id, auth_plugin.project_name))

    def test_project_id_comes_from_the_token_when_unknown(self):
        client = clients.for_credentials(_credentials())
        self.assertEqual('scoped-project-id', client.project_id)

    def test_project_id_of_the_credentials_when_known(self):
        client = clients.for_credentials(_credentials(project_id='p-1'))
        self.assertEqual('p-1', client.project_id)
        self.asked.assert_not_called()
