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

import functools
import json
import os
import secrets
import shutil
import string
import subprocess
import sys

from heat_glance_meta_tests.localcloud import layout as layout_mod
from heat_glance_meta_tests.localcloud import releases
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


ENGINE_WORKERS = 4
# Seconds the image server takes to serve tempest.conf's slow_image_url:
# long enough for a test to act while an import is in progress on a
# loaded cloud (the main cloud's cancel-update tests).
SLOW_IMAGE_S = 20
# heat-engine's graceful stop outlasts a slow import by this much, so that
# a restart lets the import in flight finish (the fault tests').
GRACEFUL_STOP_MARGIN_S = 5


def variables(lay, engine='convergence', prefix=sys.prefix,
              known_defects=None, glance_workers=None,
              engine_workers=ENGINE_WORKERS, slow_image_s=SLOW_IMAGE_S):
    """The values the templates use.

    ``prefix``: the environment the services run from (a release's own);
    ``known_defects``: the lines of tempest.conf's known-defect group (by
    default, D16's: the convergence engine's only); ``glance_workers``:
    uWSGI's processes and threads for Glance (the release's);
    ``engine_workers``: heat-engine's; ``slow_image_s``: the seconds
    slow_image_url takes, which heat-engine's graceful stop outlasts.
    """
    workers = glance_workers or releases.GLANCE_WORKERS
    if known_defects is None:
        known_defects = 'convergence_engine_restart = %s' % (
            'true' if engine == 'convergence' else 'false')
    values = {
        'convergence_engine': 'true' if engine == 'convergence' else 'false',
        'known_defects': known_defects,
        'glance_processes': workers['processes'],
        'glance_threads': workers['threads'],
        'engine_workers': engine_workers,
        'slow_image_s': slow_image_s,
        'graceful_shutdown_s': slow_image_s + GRACEFUL_STOP_MARGIN_S,
        'root': str(lay.root),
        'etc': str(lay.etc),
        'data': str(lay.data),
        'logs': str(lay.logs),
        'host': layout_mod.HOST,
        # uWSGI's Python home: the services' environment, whatever
        # VIRTUAL_ENV the launcher runs under says.
        'prefix': str(prefix),
        # The paste pipelines ship with the installed services.
        'glance_paste_ini': paste_file(
            prefix, 'glance', 'etc/glance/glance-api-paste.ini',
            'etc/glance-api-paste.ini'),
        'heat_paste_ini': paste_file(
            prefix, 'heat', 'etc/heat/api-paste.ini',
            'etc/heat/api-paste.ini'),
    }
    values.update(wsgi_entry_points(prefix))
    for service, port in lay.ports.items():
        values['%s_port' % service.replace('-', '_')] = port
    values.update(secrets_for(lay))
    return values


# service -> (the WSGI module of current releases, the script older ones
# install instead; releases before 2025.1 have no module).
WSGI = {'keystone': ('keystone.wsgi.api', 'keystone-wsgi-public'),
        'glance': ('glance.wsgi.api', 'glance-wsgi-api'),
        'heat': ('heat.wsgi.api', 'heat-wsgi-api')}
# What the services' own Python says of them: which WSGI modules import,
# and where each service's package is (a checkout, for an editable Heat).
_PROBE = """
import importlib.util, json, os
def find(name):
    try:
        return importlib.util.find_spec(name)
    except ImportError:
        return None
out = {m: find(m) is not None for m in %r}
for p in ('heat', 'glance'):
    spec = find(p)
    out[p] = (os.path.dirname(list(spec.submodule_search_locations)[0])
              if spec and spec.submodule_search_locations else None)
print(json.dumps(out))
"""


@functools.lru_cache(maxsize=None)
def installed(prefix):
    """What the Python at ``prefix`` has of the services (see _PROBE)."""
    python = (sys.executable if os.path.realpath(prefix) ==
              os.path.realpath(sys.prefix)
              else os.path.join(prefix, 'bin', 'python'))
    modules = [module for module, _ in WSGI.values()]
    try:
        done = subprocess.run([python, '-c', _PROBE % (modules,)],
                              capture_output=True, text=True, timeout=60)
        return json.loads(done.stdout)
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return {}


def wsgi_entry_points(prefix):
    """uWSGI's line loading each API from the environment at ``prefix``."""
    found = installed(str(prefix))
    lines = {}
    for service, (module, script) in WSGI.items():
        if found.get(module):
            lines['%s_wsgi' % service] = 'module = %s:application' % module
        else:
            lines['%s_wsgi' % service] = 'wsgi-file = %s' % os.path.join(
                prefix, 'bin', script)
    return lines


def paste_file(prefix, service, installed_path, checkout_path):
    """The service's paste pipeline: installed with it, or in its checkout.

    An editable install (``--heat-source``) installs no data files; the
    checkout has them.
    """
    candidates = [os.path.join(prefix, installed_path)]
    source = installed(str(prefix)).get(service)
    if source:
        candidates.append(os.path.join(source, checkout_path))
    return next((c for c in candidates if os.path.exists(c)), candidates[0])


def render_text(text, values):
    return string.Template(text).substitute(values)


def render_all(lay, engine='convergence', prefix=sys.prefix,
               glance_workers=None, engine_workers=ENGINE_WORKERS,
               slow_image_s=SLOW_IMAGE_S):
    """Write every config of the cloud below ``D/etc``; return the values."""
    source = resources.localcloud_templates()
    values = variables(lay, engine, prefix, glance_workers=glance_workers,
                       engine_workers=engine_workers,
                       slow_image_s=slow_image_s)
    for template, target in FILES.items():
        write_private(lay.etc / target,
                      render_text((source / template).read_text(), values))
    # Glance before 2025.1 reads its paste pipeline from its config
    # directory (as a config file, too); later ones take [paste_deploy].
    paste = values['glance_paste_ini']
    if os.path.exists(paste):
        shutil.copyfile(paste, lay.etc / 'glance' / 'glance-api-paste.ini')
    return values
