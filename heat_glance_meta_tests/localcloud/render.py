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
"""Render the cloud's configuration files from the templates in etc/localcloud.

Templates use ``${name}`` placeholders (string.Template); a placeholder with
no value is an error, so a template and this module cannot drift apart
silently. Secrets are generated per cloud and written only to files readable
by their owner.
"""

import json
import os
import secrets
import string
import sys

from heat_glance_meta_tests.localcloud import layout as layout_mod
from heat_glance_meta_tests import resources

# template name -> path below D/etc
FILES = {
    'keystone.conf': 'keystone/keystone.conf',
    'keystone-uwsgi.ini': 'keystone/uwsgi.ini',
    'glance-api.conf': 'glance/glance-api.conf',
    'glance-uwsgi.ini': 'glance/uwsgi.ini',
    'property-protections.conf': 'glance/property-protections.conf',
    'heat.conf': 'heat/heat.conf',
    'heat-policy.yaml': 'heat/policy.yaml',
    'heat-uwsgi.ini': 'heat/uwsgi.ini',
    'rabbitmq.conf': 'rabbitmq/rabbitmq.conf',
    'clouds.yaml': 'clouds.yaml',
}


def secrets_for(lay):
    """The cloud's passwords: made once per cloud directory, then reused."""
    path = lay.etc / 'secrets.json'
    if path.exists():
        return json.loads(path.read_text())
    values = {
        'admin_password': secrets.token_urlsafe(12),
        'service_password': secrets.token_urlsafe(12),
        'user_password': secrets.token_urlsafe(12),
        'db_password': secrets.token_urlsafe(12),
        # Heat requires exactly 32 characters.
        'auth_encryption_key': secrets.token_hex(16),
    }
    write_private(path, json.dumps(values))
    return values


def write_private(path, text):
    """Write ``text`` to a file only its owner can read (it has secrets)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as f:
        f.write(text)


def variables(lay, engine='convergence'):
    values = {
        'convergence_engine': 'true' if engine == 'convergence' else 'false',
        'root': str(lay.root),
        'etc': str(lay.etc),
        'data': str(lay.data),
        'logs': str(lay.logs),
        'host': layout_mod.HOST,
        # The paste pipelines ship with the installed services.
        'glance_paste_ini': os.path.join(sys.prefix, 'etc', 'glance',
                                         'glance-api-paste.ini'),
        'heat_paste_ini': os.path.join(sys.prefix, 'etc', 'heat',
                                       'api-paste.ini'),
    }
    for service, port in lay.ports.items():
        values['%s_port' % service.replace('-', '_')] = port
    values.update(secrets_for(lay))
    return values


def render_text(text, values):
    return string.Template(text).substitute(values)


def render_all(lay, engine='convergence'):
    """Write every config of the cloud below ``D/etc``; return the values."""
    source = resources.localcloud_templates()
    values = variables(lay, engine)
    for template, target in FILES.items():
        write_private(lay.etc / target,
                      render_text((source / template).read_text(), values))
    return values
