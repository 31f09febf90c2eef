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
orchestration endpoints, the ``heat_stack_user`` role, and two member users
in two projects (``demo``, ``alt_demo``) for configurations that use static
accounts (heat-tempest-plugin's). Tempest's own tests use dynamic
credentials made with the admin account.
"""

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


def image_list(sess):
    return sess.get('/v2/images', endpoint_filter={
        'service_type': 'image', 'interface': 'public'}).json()


def stack_list(sess):
    return sess.get('/stacks', endpoint_filter={
        'service_type': 'orchestration', 'interface': 'public'}).json()
