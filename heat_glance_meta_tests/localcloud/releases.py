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
"""OpenStack releases the local cloud can run: ``--release NAME``.

etc/releases/releases.yaml names each release's Keystone, Glance and Heat
and its upper-constraints file. A release other than the current one runs
its services from a virtualenv of its own, built once and cached under
``~/.cache/heat-glance-meta-tests/releases/`` (keyed by what went into it),
so that switching releases installs nothing the second time. Tempest, the
plugin and the launcher stay where they are: only the services change.
"""

import fcntl
import hashlib
import json
import pathlib
import shutil
import subprocess
import sys
import time

import yaml

from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests.localcloud import snapshot
from heat_glance_meta_tests import resources

SERVICES = ('keystone', 'glance', 'openstack-heat')
# Also in every release's environment: the database driver, at the
# release's pin, and uWSGI, which release constraints do not pin, at the
# project's.
TOOLS = ('psycopg2-binary',)
PROJECT_PINNED = ('uWSGI',)
INSTALL_TIMEOUT = 1800
# How uWSGI runs Glance unless the release says otherwise (glance_workers).
GLANCE_WORKERS = {'processes': 1, 'threads': 4}


class Release:
    """One release: its name, series, service versions, constraints."""

    def __init__(self, name, entry, current):
        self.name = name
        self.series = entry['series']
        self.state = entry.get('state', '')
        self.versions = {s: str(entry[s]) for s in SERVICES}
        self.constraints = (resources.releases() /
                            entry['constraints']).resolve()
        self.current = name == current
        self.glance_workers = dict(GLANCE_WORKERS,
                                   **entry.get('glance_workers', {}))

    def __repr__(self):
        return 'Release(%s)' % self.name

    def describe(self):
        return '%s %s (Keystone %s, Glance %s, Heat %s)' % (
            self.name, self.series, self.versions['keystone'],
            self.versions['glance'], self.versions['openstack-heat'])

    def requirements(self):
        """What pip installs into the release's environment, pinned."""
        pins = _project_pins()
        return (['%s==%s' % (s, v) for s, v in self.versions.items()] +
                list(TOOLS) +
                ['%s==%s' % (t, pins[t.lower()]) for t in PROJECT_PINNED])

    def environment(self):
        """Where the release's virtualenv lives (None: the current one)."""
        if self.current:
            return None
        digest = hashlib.sha256(sys.version.encode())
        digest.update(self.constraints.read_bytes())
        digest.update('\n'.join(self.requirements()).encode())
        return (snapshot.cache_root() / 'releases' /
                ('%s-%s' % (self.name, digest.hexdigest()[:12])))


def load():
    """Every release of etc/releases/releases.yaml, oldest first."""
    data = yaml.safe_load((resources.releases() /
                           'releases.yaml').read_text())
    return [Release(name, entry, data['current'])
            for name, entry in sorted(data['releases'].items())]


def current():
    return next(r for r in load() if r.current)


def find(name):
    """The release called ``name``, or one line saying which exist."""
    known = load()
    for release in known:
        if release.name == name:
            return release
    raise errors.CloudError('unknown release %r: choose one of %s' % (
        name, ', '.join(r.name for r in known)))


def services_bin(release):
    """The bin directory the release's services run from.

    Builds the release's virtualenv on first use (minutes; later calls
    return at once); returns (path, seconds spent installing).
    """
    env = release.environment()
    if env is None:
        return pathlib.Path(sys.executable).parent, 0.0
    env.parent.mkdir(parents=True, exist_ok=True)
    with open(env.parent / ('%s.lock' % release.name), 'w') as lock:
        # Two launchers asking for the same release build it once.
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (env / 'complete').exists():
            return env / 'bin', 0.0
        return env / 'bin', _build(release, env)


def _build(release, env):
    started = time.monotonic()
    log = env.with_name(env.name + '.log')
    # Scripts name their interpreter by its path, so the environment is
    # built where it stays; only the marker says it is complete.
    shutil.rmtree(env, ignore_errors=True)
    print('building the services of release %s in %s (once; later runs '
          'reuse it)' % (release.describe(), env), flush=True)
    steps = [
        [sys.executable, '-m', 'venv', str(env)],
        [str(env / 'bin' / 'python'), '-m', 'pip', 'install', '-q',
         '-c', str(release.constraints)] + release.requirements(),
    ]
    with open(log, 'w') as out:
        for argv in steps:
            out.write('$ %s\n' % ' '.join(argv))
            out.flush()
            try:
                done = subprocess.run(argv, stdout=out,
                                      stderr=subprocess.STDOUT,
                                      timeout=INSTALL_TIMEOUT)
            except subprocess.TimeoutExpired:
                raise errors.CloudError(
                    'installing release %s took over %d s; see %s'
                    % (release.name, INSTALL_TIMEOUT, log))
            if done.returncode != 0:
                raise errors.CloudError(
                    'installing release %s failed (exit %d): %s; whole log '
                    'in %s' % (release.name, done.returncode,
                               _last_line(log), log))
    (env / 'complete').write_text(' '.join(release.requirements()) + '\n')
    # Earlier builds of the release (other constraints or pins) are stale.
    for old in env.parent.glob('%s-*' % release.name):
        if old.name != env.name and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
            old.with_name(old.name + '.log').unlink(missing_ok=True)
    return round(time.monotonic() - started, 1)


def _last_line(path):
    lines = [line for line in pathlib.Path(path).read_text().splitlines()
             if line.strip()]
    return lines[-1].strip() if lines else '(no output)'


def _project_pins():
    pins = {}
    text = (resources.localcloud_templates() / 'constraints.txt').read_text()
    for line in text.splitlines():
        if '==' in line and not line.startswith('#'):
            name, version = line.split('==', 1)
            pins[name.strip().lower()] = version.split(';')[0].strip()
    return pins


# How tempest.conf sets [heat_glance_meta_known_defects] on a local cloud:
# from the release's row of the table (what runs observed), or every defect
# declared present, which is how `matrix --observe` tells present (expected
# failure) from fixed (unexpected success) on each release.
DEFECT_MODES = ('defaults', 'observe')
TABLE = 'known-defects.json'
# A status the table may hold -> the option's value (None: leave the
# plugin's default, present).
OPTION_VALUE = {'present': True, 'fixed': False, 'n.a.': False,
                'not seen': None, 'error': None}


def table():
    path = resources.releases() / TABLE
    return json.loads(path.read_text()) if path.exists() else {}


def known_defect_lines(release_name, engine, mode, fixed=()):
    """tempest.conf lines of the known-defect group.

    ``mode`` observe: every defect present; defaults: the release's row
    of the table (without a row, D16 alone: it is the convergence
    engine's). ``fixed``: defect ids declared fixed whatever the rest says
    (a Heat with a fix, ``--fixed``).
    """
    from heat_glance_meta_tests import known_defects
    if mode == 'observe':
        values = {d.option: True for d in known_defects.DEFECTS.values()}
    else:
        row = table().get('releases', {}).get(release_name, {}).get(engine)
        if row:
            values = {known_defects.DEFECTS[d].option: OPTION_VALUE[status]
                      for d, status in row.items()
                      if d in known_defects.DEFECTS and
                      OPTION_VALUE.get(status) is not None}
        else:
            values = {'convergence_engine_restart': engine == 'convergence'}
    for defect_id in fixed:
        values[known_defects.DEFECTS[defect_id].option] = False
    return '\n'.join(
        '%s = %s' % (option, 'true' if value else 'false')
        for option, value in sorted(values.items()))
