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
"""What the local cloud needs from the machine, and the ``setup`` step.

The servers' Python packages come with the tox environment; PostgreSQL and
RabbitMQ come from Debian packages (also listed in bindep.txt). ``setup``
installs missing ones when run as root, and otherwise prints the command;
everything after that runs as whichever user starts the cloud.
"""

import glob
import grp
import os
import pathlib
import pwd
import shutil
import subprocess
import sys

from heat_glance_meta_tests.localcloud import errors

PACKAGES = ('postgresql', 'rabbitmq-server')
# Not run by the launcher, but needed to build the environment: uWSGI comes
# from PyPI as source and compiles against the Python headers.
BUILD_PACKAGES = ('gcc', 'python3-dev')
APT_COMMAND = 'apt-get install -y ' + ' '.join(PACKAGES)
BIN = pathlib.Path(sys.executable).parent
PYTHON_TOOLS = ('keystone-manage', 'glance-manage', 'heat-manage',
                'heat-engine', 'uwsgi')


def current_account():
    """(user, group) names of whoever runs the launcher."""
    return (pwd.getpwuid(os.geteuid()).pw_name,
            grp.getgrgid(os.getegid()).gr_name)


def postgres_account():
    """The account PostgreSQL runs as; None: the launcher's own.

    PostgreSQL refuses to run as root, so under root it runs as the
    ``postgres`` account that the Debian package creates; any other user
    runs it as themselves, in the cloud directory, with no privilege.
    """
    return 'postgres' if os.geteuid() == 0 else None


def _newest(pattern):
    found = sorted(glob.glob(pattern))
    return found[-1] if found else ''


def _paths():
    return {
        'initdb': _newest('/usr/lib/postgresql/*/bin/initdb'),
        'postgres': _newest('/usr/lib/postgresql/*/bin/postgres'),
        'psql': shutil.which('psql') or '',
        'pg_basebackup': _newest('/usr/lib/postgresql/*/bin/pg_basebackup'),
        'rabbitmq-server': '/usr/lib/rabbitmq/bin/rabbitmq-server',
        'epmd': shutil.which('epmd') or _newest(
            '/usr/lib/erlang/erts-*/bin/epmd'),
    }


def missing_binaries():
    return [name for name, path in _paths().items()
            if not path or not os.access(path, os.X_OK)]


def binaries():
    """Paths of the system binaries, or one line saying what to install."""
    missing = missing_binaries()
    if missing:
        raise errors.CloudError(
            '%s not installed: run `%s` (or `heat-glance-meta-cloud setup` '
            'as root)' % (', '.join(missing), APT_COMMAND))
    for tool in PYTHON_TOOLS:
        if not (BIN / tool).exists():
            raise errors.CloudError(
                '%s is not installed in %s: run the cloud through `tox -e '
                'localcloud`, or pip install -c etc/localcloud/constraints.'
                'txt -r etc/localcloud/requirements.txt' % (tool, sys.prefix))
    return _paths()


def setup():
    """Install the missing Debian packages (root only); return a message."""
    if not missing_binaries():
        return 'system packages present: %s' % ', '.join(PACKAGES)
    if os.geteuid() != 0:
        raise errors.CloudError(
            '%s not installed, and installing needs root: run `sudo sh -c '
            '"apt-get update && %s"` once, then run this again'
            % (', '.join(missing_binaries()), APT_COMMAND))
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    for argv in (['apt-get', 'update', '-qq'],
                 ['apt-get', 'install', '-y', '-qq'] + list(PACKAGES)):
        done = subprocess.run(argv, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise errors.CloudError('`%s` failed: %s' % (
                ' '.join(argv), done.stderr.strip()[-400:]))
    if missing_binaries():
        raise errors.CloudError('still missing after install: %s'
                                % ', '.join(missing_binaries()))
    return 'installed: %s' % ', '.join(PACKAGES)
