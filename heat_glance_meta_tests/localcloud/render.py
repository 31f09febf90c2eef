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

import glob
import json
import os
import secrets
import shutil
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


def variables(lay, engine='convergence', prefix=sys.prefix,
              known_defects=None):
    """The values the templates use.

    ``prefix``: the environment the services run from (a release's own);
    ``known_defects``: the lines of tempest.conf's known-defect group (by
    default, D16's: the convergence engine's only).
    """
    if known_defects is None:
        known_defects = 'convergence_engine_restart = %s' % (
            'true' if engine == 'convergence' else 'false')
    values = {
        'convergence_engine': 'true' if engine == 'convergence' else 'false',
        'known_defects': known_defects,
        'root': str(lay.root),
        'etc': str(lay.etc),
        'data': str(lay.data),
        'logs': str(lay.logs),
        'host': layout_mod.HOST,
        # uWSGI's Python home: the services' environment, whatever
        # VIRTUAL_ENV the launcher runs under says.
        'prefix': str(prefix),
        # The paste pipelines ship with the installed services.
        'glance_paste_ini': os.path.join(prefix, 'etc', 'glance',
                                         'glance-api-paste.ini'),
        'heat_paste_ini': os.path.join(prefix, 'etc', 'heat',
                                       'api-paste.ini'),
    }
    values.update(wsgi_entry_points(prefix))
    for service, port in lay.ports.items():
        values['%s_port' % service.replace('-', '_')] = port
    values.update(secrets_for(lay))
    return values


# service -> (the WSGI module of current releases, the script older ones
# install instead; before 2025.x releases there is no module).
WSGI = {'keystone': ('keystone.wsgi.api', 'keystone-wsgi-public'),
        'glance': ('glance.wsgi.api', 'glance-wsgi-api'),
        'heat': ('heat.wsgi.api', 'heat-wsgi-api')}


def wsgi_entry_points(prefix):
    """uWSGI's line loading each API from the environment at ``prefix``."""
    site = glob.glob(os.path.join(prefix, 'lib', 'python3*',
                                  'site-packages'))
    lines = {}
    for service, (module, script) in WSGI.items():
        path = module.replace('.', os.sep) + '.py'
        if any(os.path.exists(os.path.join(s, path)) for s in site):
            lines['%s_wsgi' % service] = 'module = %s:application' % module
        else:
            lines['%s_wsgi' % service] = 'wsgi-file = %s' % os.path.join(
                prefix, 'bin', script)
    return lines


def render_text(text, values):
    return string.Template(text).substitute(values)


def render_all(lay, engine='convergence', prefix=sys.prefix):
    """Write every config of the cloud below ``D/etc``; return the values."""
    source = resources.localcloud_templates()
    values = variables(lay, engine, prefix)
    for template, target in FILES.items():
        write_private(lay.etc / target,
                      render_text((source / template).read_text(), values))
    # Glance before 2025.1 reads its paste pipeline from its config
    # directory (as a config file, too); later ones take [paste_deploy].
    paste = values['glance_paste_ini']
    if os.path.exists(paste):
        shutil.copyfile(paste, lay.etc / 'glance' / 'glance-api-paste.ini')
    return values
