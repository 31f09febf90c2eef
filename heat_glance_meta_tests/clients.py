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
"""The one way the suite builds clients: from Tempest's credentials.

python-heatclient and python-glanceclient (Glance v2) on a keystoneauth
session made from a Tempest credentials object (dynamic or from an accounts
file). Endpoints come from the service catalog; no password is read from
this plugin's configuration.
"""

import collections

from glanceclient import client as glance_client
from heatclient import client as heat_client
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
from tempest import config

CONF = config.CONF

Clients = collections.namedtuple('Clients', 'session heat glance project_id')


def session_for(credentials):
    """A keystoneauth session scoped like the Tempest ``credentials``.

    Credentials from an accounts file name their project but carry no id
    (Tempest fills ids in only for the managers it builds), so the project
    is named when its id is unknown: never an unscoped token that happens
    to land in the user's default project.
    """
    scope = ({'project_id': credentials.project_id}
             if credentials.project_id else
             {'project_name': credentials.project_name,
              'project_domain_name': credentials.project_domain_name,
              'project_domain_id': (None if credentials.project_domain_name
                                    else credentials.project_domain_id)})
    auth = v3.Password(
        auth_url=CONF.identity.uri_v3,
        username=credentials.username,
        password=credentials.password,
        user_domain_name=credentials.user_domain_name,
        user_domain_id=(None if credentials.user_domain_name
                        else credentials.user_domain_id),
        **scope)
    verify = (CONF.identity.ca_certificates_file or
              not CONF.identity.disable_ssl_certificate_validation)
    return ks_session.Session(auth=auth, verify=verify)


def endpoint_filter(service_type):
    return {'service_type': service_type,
            'interface': CONF.heat_glance_meta.endpoint_type,
            'region_name': CONF.identity.region}


def for_credentials(credentials):
    """Heat and Glance clients acting as ``credentials``.

    ``project_id`` is the project the token is scoped to, asked of Keystone
    when the credentials do not carry it: an owner filter of None matches
    no image, and a check that lists the project's images would see none.
    """
    sess = session_for(credentials)
    orchestration = endpoint_filter('orchestration')
    image = endpoint_filter('image')
    return Clients(
        session=sess,
        heat=heat_client.Client(
            '1', session=sess, service_type='orchestration',
            interface=orchestration['interface'],
            region_name=orchestration['region_name']),
        glance=glance_client.Client(
            '2', session=sess, service_type='image',
            interface=image['interface'], region_name=image['region_name']),
        project_id=credentials.project_id or sess.get_project_id())
