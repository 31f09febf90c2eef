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
"""The gate configuration, checked by the tools the gate itself runs.

Nothing here compares a file with a list typed by hand:

* :func:`zuul_errors` parses YAML with Zuul's own configuration loader
  (``zuul.configloader``, the code the scheduler runs on a project's
  ``zuul.d``) and returns the errors Zuul would report;
* :func:`playbook_syntax_errors` runs ``ansible-playbook --syntax-check``;
* :func:`bindep_packages` asks ``bindep`` for a profile's packages;
* :func:`unknown_glance_options` looks options up in the options the
  installed Glance registers (its ``oslo.config.opts`` entry points, which
  oslo-config-generator reads), and :func:`glance_refuses` runs Glance's own
  web-download URI filter under given ``[import_filtering_opts]``.

test_gate_checks.py applies them to this repository (``tox -e zuul``; the
Glance part runs in the local cloud's environment, where Glance is
installed) and shows each one failing on a broken input.
"""

import json
import pathlib
import subprocess
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
ZUUL_DIR = ROOT / 'zuul.d'
PROJECT = 'openstack/heat-glance-meta-tests'


def zuul_errors(paths):
    """Zuul's parser on ``paths``: a list of one-line error texts."""
    from zuul import configloader
    from zuul import model

    class NoConnections:
        # Pipelines would need connections; a project's zuul.d has none.
        connections = {}

    parser = configloader.TenantParser(None, None, None, None, None, None,
                                       None, None)
    context = configloader.ParseContext(NoConnections, None, None, None)
    errors = []
    for path in paths:
        path = pathlib.Path(path)
        source = model.SourceContext('opendev.org/' + PROJECT, PROJECT,
                                     'opendev', 'master', path.name)
        parsed = parser.loadProjectYAML(path.read_text(), source, context)
        for name in sorted(vars(parsed)):
            if name.endswith('_errors'):
                errors += getattr(parsed, name)
    errors += context.error_list
    return ['%s: %s' % (getattr(e, 'name', 'error'),
                        e.short_error or e.error) for e in errors]


def zuul_files():
    return sorted(ZUUL_DIR.glob('*.yaml'))


def jobs():
    """The job stanzas of zuul.d, by name."""
    found = {}
    for path in zuul_files():
        for item in yaml.safe_load(path.read_text()) or []:
            if 'job' in item:
                found[item['job']['name']] = item['job']
    return found


def playbooks():
    """Every playbook path a job of zuul.d names, relative to the root."""
    names = set()
    for job in jobs().values():
        for key in ('pre-run', 'run', 'post-run', 'cleanup-run'):
            value = job.get(key) or []
            names.update([value] if isinstance(value, str) else value)
    return sorted(names)


def playbook_syntax_errors(path):
    """``ansible-playbook --syntax-check``'s complaint, or '' if none."""
    done = subprocess.run(
        [str(pathlib.Path(sys.executable).parent / 'ansible-playbook'),
         '--syntax-check', '-i', 'localhost,', str(path)],
        capture_output=True, text=True)
    return '' if done.returncode == 0 else (done.stderr or done.stdout)


def bindep_packages(profiles, bindep_file=ROOT / 'bindep.txt'):
    """Every package ``bindep`` lists for ``profiles`` on this platform."""
    done = subprocess.run(
        [str(pathlib.Path(sys.executable).parent / 'bindep'), '-f',
         str(bindep_file), '--list_all', 'newline'] + list(profiles),
        capture_output=True, text=True, check=True)
    return sorted(done.stdout.split())


def registered_options(namespaces):
    """{group: {option names}} of the installed service's namespaces.

    The namespaces a service publishes for oslo-config-generator, listed
    in a process of their own as the service's own process would (Glance
    and Heat register clashing options on oslo.config's global CONF).
    """
    code = (
        'import json, sys\n'
        'from oslo_config import generator\n'
        'out = {}\n'
        'for _, groups in generator._list_opts(sys.argv[1:]):\n'
        '    for group, opts in groups:\n'
        '        name = getattr(group, "name", group) or "DEFAULT"\n'
        '        out.setdefault(name, []).extend(o.dest for o in opts)\n'
        'print(json.dumps(out))\n')
    done = subprocess.run([sys.executable, '-c', code] + list(namespaces),
                          capture_output=True, text=True, check=True)
    return {group: set(names)
            for group, names in json.loads(done.stdout).items()}


def glance_registered_options():
    """What the Glance API process reads.

    The API, its image import (the ``import_filtering_opts`` live there)
    and the store.
    """
    return registered_options(['glance.api', 'glance', 'glance.store'])


def heat_registered_options():
    """What heat-engine and heat-api read (Heat's own namespace)."""
    return registered_options(['heat.common.config'])


def unknown_options(settings, known):
    """``section.option`` names in ``settings`` not in ``known``."""
    return sorted('%s.%s' % (section, option)
                  for section, values in settings.items()
                  for option in values
                  if option.replace('-', '_') not in known.get(section, ()))


def unknown_glance_options(settings):
    """``section.option`` names in ``settings`` Glance does not register."""
    return unknown_options(settings, glance_registered_options())


def unknown_heat_options(settings):
    """``section.option`` names in ``settings`` Heat does not register."""
    return unknown_options(settings, heat_registered_options())


def glance_refuses(urls, filtering):
    """The URLs Glance's web-download filter refuses under ``filtering``."""
    from glance.common import config  # noqa: registers the filter options
    from glance.common import utils
    from oslo_config import cfg

    conf = cfg.CONF
    try:
        for key, value in filtering.items():
            conf.set_override(key, _as_list(value), 'import_filtering_opts')
        return [url for url in urls if not utils.validate_uri(url)]
    finally:
        for key in filtering:
            conf.clear_override(key, 'import_filtering_opts')


def _as_list(value):
    """devstack writes ``"[a,b]"``; oslo.config's ListOpt reads it so."""
    value = str(value).strip()
    if value.startswith('[') and value.endswith(']'):
        value = value[1:-1]
    return [v.strip() for v in value.split(',') if v.strip()]
