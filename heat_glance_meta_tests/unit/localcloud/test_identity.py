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
"""The pre-provisioned accounts, as Tempest's own allocator hands them out."""

import os
import types
from unittest import mock

import fixtures
from oslo_concurrency.fixture import lockutils as lock_fixture
from tempest.lib import auth
from tempest.lib.common import cred_provider
from tempest.lib.common import preprov_creds
from tempest.lib import exceptions as lib_exc
import testtools

from heat_glance_meta_tests.localcloud import identity


def _without_network(provider, hash_):
    """Tempest's credentials for an allocated account, as it wraps them.

    Less the network lookup: the cloud has no Neutron.
    """
    creds = provider._extend_credentials(provider.hash_dict['creds'][hash_])
    return cred_provider.TestResources(auth.get_credentials(
        auth_url=None, fill_in=False, identity_version='v3', **creds))


class TestAccountsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.dir = self.useFixture(fixtures.TempDir()).path
        self.useFixture(lock_fixture.ExternalLockFixture())
        self.file = os.path.join(self.dir, 'accounts.yaml')
        with open(self.file, 'w') as f:
            # A password YAML would misread unquoted.
            f.write(identity.accounts_file({'user_password': '-a: #b'}))
        # The allocation alone: no network lookup in a cloud without one.
        self.useFixture(fixtures.MockPatchObject(
            preprov_creds.PreProvisionedCredentialProvider,
            '_wrap_creds_with_network', _without_network))

    def _worker(self, name):
        return preprov_creds.PreProvisionedCredentialProvider(
            identity_version='v3', test_accounts_file=self.file,
            accounts_lock_dir=os.path.join(self.dir, 'accounts'),
            name=name, credentials_domain='Default', admin_role='admin',
            identity_uri='http://127.0.0.1:5000/v3')

    def _hold_most(self, n):
        """What worker ``n`` holds at most at once.

        A test class's widest set, and the next gabbi file's primary
        (taken before the class lets its own go).
        """
        widest, gabbi = self._worker('w%d' % n), self._worker('g%d' % n)
        return [widest.get_primary_creds(), widest.get_alt_creds(),
                widest.get_creds_by_roles(['member']),
                gabbi.get_primary_creds(), widest.get_admin_creds()]

    def test_the_workers_they_serve_each_hold_the_most_they_can(self):
        held = []
        for n in range(identity.TEST_ACCOUNT_WORKERS):
            held += self._hold_most(n)
        held = [resources.credentials for resources in held]
        names = [creds.username for creds in held]
        self.assertEqual(len(names), len(set(names)))
        self.assertEqual({'-a: #b'}, {creds.password for creds in held})
        # Each account alone in its project.
        self.assertEqual(names, [creds.project_name for creds in held])
        admins = [creds.username for creds in held[4::5]]
        self.assertTrue(all('admin' in name for name in admins), admins)
        self.assertRaises(lib_exc.InvalidCredentials, self._hold_most,
                          identity.TEST_ACCOUNT_WORKERS)

    def test_an_account_let_go_serves_the_next_class(self):
        first = self._worker('first')
        creds = first.get_primary_creds().credentials
        first.clear_creds()
        self.assertEqual(
            creds.username,
            self._worker('next').get_primary_creds().credentials.username)


class CreateTestAccountsTest(testtools.TestCase):

    def test_only_missing_accounts_are_created_each_with_its_role(self):
        made = []

        class Keystone:
            def __init__(self, **kwargs):
                self.users = mock.Mock()
                self.users.list.return_value = [
                    types.SimpleNamespace(name=name)
                    for name, _ in identity.test_accounts()[:2]]
                self.projects = mock.Mock()
                self.projects.create.side_effect = lambda name, domain: name
                self.users.create.side_effect = (
                    lambda name, **kwargs: name)
                self.roles = mock.Mock()
                self.roles.list.return_value = [
                    types.SimpleNamespace(name=role)
                    for role in ('member', 'admin', 'reader')]
                self.roles.grant.side_effect = (
                    lambda role, user, project: made.append(
                        (user, project, role)))

        self.useFixture(fixtures.MockPatch(
            'heat_glance_meta_tests.localcloud.identity.session_for'))
        self.useFixture(fixtures.MockPatch(
            'keystoneclient.v3.client.Client', Keystone))
        identity.create_test_accounts(None, {'user_password': 'p'})
        self.assertEqual(
            sorted((name, name, role)
                   for name, role in identity.test_accounts()[2:]),
            sorted((user, project, role.name)
                   for user, project, role in made))
