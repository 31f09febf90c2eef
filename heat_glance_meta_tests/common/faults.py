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
"""The fault hook: restart a service of the cloud under test.

The command for each service comes from ``[heat_glance_meta_faults]``; a
test whose service has none skips. A command that fails or overruns fails
the test with one line naming the command and its last words.
"""

import shlex
import subprocess
import time

from tempest import config

CONF = config.CONF


def option(service):
    return 'restart_%s' % service.replace('-', '_')


def require(test, *services):
    """Skip ``test`` unless every service has a restart command."""
    missing = [option(s) for s in services
               if not getattr(CONF.heat_glance_meta_faults, option(s))]
    if missing:
        raise test.skipException(
            'no command to restart a service: [heat_glance_meta_faults] %s '
            'unset (set them only for a run of the fault tests alone)'
            % ', '.join(missing))


def restart(service):
    """Run the service's restart command; the seconds it took.

    Raises AssertionError if the command fails or overruns.
    """
    command = getattr(CONF.heat_glance_meta_faults, option(service))
    argv = shlex.split(command)
    timeout = CONF.heat_glance_meta_faults.restart_timeout
    started = time.monotonic()
    try:
        done = subprocess.run(argv, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise AssertionError('restarting %s took more than %.0f s '
                             '([heat_glance_meta_faults] restart_timeout): %s'
                             % (service, timeout, command))
    except OSError as e:
        raise AssertionError('cannot run the restart command of %s (%s): %s'
                             % (service, e.strerror, command))
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:]
        raise AssertionError('restarting %s failed (exit %d): %s: %s'
                             % (service, done.returncode, command,
                                ' '.join(last)))
    return time.monotonic() - started
