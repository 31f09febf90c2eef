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
"""Keystone accounts and catalog of the local cloud, and sessions on them.

After ``keystone-manage bootstrap`` (admin, roles, identity endpoints) this
adds what devstack's keystone, glance and heat setup adds: the ``service``
project with the glance and heat users (``service`` role only: token
validation needs no more, and Heat works through trusts), the image and
orchestration endpoints, the ``heat_stack_user`` role, two member users
in two projects (``demo``, ``alt_demo``) for configurations that use static
accounts (heat-tempest-plugin's), and Tempest's pre-provisioned test
accounts (:func:`test_accounts`).

Pre-provisioned, not dynamic: a dynamic account costs each test class a
project, a user and role assignments made, and the user and project
deleted at its end. Measured on 2 cores, a full run spent 53 s of its
workers' time on those requests (34 classes) and half of Keystone's CPU.
The accounts are made once, with the schema, and its cache keeps them.
"""

import concurrent.futures
import json

from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
from keystoneclient.v3 import client as ks_client

REGION = 'RegionOne'
# service name -> (type, listener, path of the catalog URL)
ENDPOINTS = {
    'glance': ('image', 'glance', ''),
    'heat': ('orchestration', 'heat-api', '/v1/$(project_id)s'),
}
# Static member accounts: user name == project name.
MEMBER_ACCOUNTS = ('demo', 'alt_demo')
# Tempest's pre-provisioned accounts serve this many workers (the default
# concurrency, the fastest on 2 cores). A worker holds at most four member
# accounts and one admin account at once: a test class's primary, alt and
# third, and a gabbi file's primary, which gabbi's suite takes before the
# class before it lets its own go (unittest tears a class down when the
# next test starts, inside the suite's fixture). Each account costs a
# fresh start about 0.17 s. A run with more workers uses dynamic
# credentials.
TEST_ACCOUNT_WORKERS = 4
MEMBERS_PER_WORKER = 4
TEST_ACCOUNT_PREFIX = 'hgmt-tempest-'


def session_for(lay, values, user):
    """A session on ``lay``'s cloud, scoped to the project named ``user``."""
    password = (values['admin_password'] if user == 'admin'
                else values['service_password'] if user in ENDPOINTS
                else values['user_password'])
    project = 'service' if user in ENDPOINTS else user
    auth = v3.Password(auth_url=lay.keystone_url, username=user,
                       password=password, project_name=project,
                       user_domain_name='Default',
                       project_domain_name='Default')
    return ks_session.Session(auth=auth, timeout=30)


def keystone_answers(lay):
    sess = ks_session.Session(timeout=2)
    return sess.get(lay.keystone_url, raise_exc=False).status_code == 200


def _get_or_create(manager, name, **kwargs):
    found = manager.list(name=name)
    return found[0] if found else manager.create(name=name, **kwargs)


def populate(lay, values):
    """Create service users, endpoints and member accounts (idempotent)."""
    ks = ks_client.Client(session=session_for(lay, values, 'admin'),
                          interface='public')
    roles = {r.name: r for r in ks.roles.list()}
    if 'heat_stack_user' not in roles:
        ks.roles.create('heat_stack_user')
    service_project = _get_or_create(ks.projects, 'service',
                                     domain='default')
    for name, (service_type, listener, path) in ENDPOINTS.items():
        url = lay.url(listener, path)
        user = _get_or_create(ks.users, name, domain='default',
                              password=values['service_password'],
                              default_project=service_project)
        ks.roles.grant(roles['service'], user=user, project=service_project)
        service = _get_or_create(ks.services, name, type=service_type)
        for interface in ('public', 'internal', 'admin'):
            ks.endpoints.create(service, url, interface=interface,
                                region=REGION)
    for name in MEMBER_ACCOUNTS:
        project = _get_or_create(ks.projects, name, domain='default')
        user = _get_or_create(ks.users, name, domain='default',
                              password=values['user_password'],
                              default_project=project)
        ks.roles.grant(roles['member'], user=user, project=project)


def test_accounts(workers=TEST_ACCOUNT_WORKERS):
    """(name, role) of each pre-provisioned account.

    Each account has a project of its own, of its name: a test class's
    stacks and images are alone in it while the class holds the account.
    """
    members = [('%smember-%02d' % (TEST_ACCOUNT_PREFIX, n), 'member')
               for n in range(1, MEMBERS_PER_WORKER * workers + 1)]
    admins = [('%sadmin-%02d' % (TEST_ACCOUNT_PREFIX, n), 'admin')
              for n in range(1, workers + 1)]
    return members + admins


def accounts_file(values):
    """Tempest's ``test_accounts_file`` for :func:`test_accounts`."""
    # JSON's strings are YAML's: a password is quoted whatever it holds.
    lines = []
    for name, role in test_accounts():
        lines += ['- username: %s' % json.dumps(name),
                  '  project_name: %s' % json.dumps(name),
                  '  password: %s' % json.dumps(values['user_password']),
                  '  domain_name: Default',
                  '  roles: [%s]' % json.dumps(role)]
    return '\n'.join(lines) + '\n'


def create_test_accounts(lay, values):
    """Create :func:`test_accounts` that do not exist, a few at a time."""
    def client():
        return ks_client.Client(session=session_for(lay, values, 'admin'),
                                interface='public')
    ks = client()
    roles = {r.name: r for r in ks.roles.list()}
    existing = {u.name for u in ks.users.list(domain='default')}

    def create(names):
        ks = client()
        for name, role in names:
            project = ks.projects.create(name, 'default')
            user = ks.users.create(name, domain='default',
                                   password=values['user_password'],
                                   default_project=project)
            ks.roles.grant(roles[role], user=user, project=project)

    wanted = [a for a in test_accounts() if a[0] not in existing]
    # Four clients at once: Keystone's two threads stay busy while each
    # client waits for its answer.
    shares = [wanted[i::4] for i in range(4)]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        for done in [pool.submit(create, share) for share in shares if share]:
            done.result()


def image_list(sess):
    return sess.get('/v2/images', endpoint_filter={
        'service_type': 'image', 'interface': 'public'}).json()


def stack_list(sess):
    return sess.get('/stacks', endpoint_filter={
        'service_type': 'orchestration', 'interface': 'public'}).json()
