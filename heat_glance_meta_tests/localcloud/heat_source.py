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
"""``--heat-source PATH``: run the cloud's Heat from a local checkout.

Installs the checkout in editable mode into the environment the launcher
runs from, under the same constraints as the pinned release except Heat's
own pin, so an edit to heat/engine/resources/openstack/glance/image.py takes
effect with ``heat-glance-meta-cloud restart heat-engine``.
"""

import os
import subprocess
import sys
import tempfile

from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests import resources


def install(path):
    path = os.path.abspath(path)
    if not os.path.isfile(os.path.join(path, 'heat', 'engine', 'stack.py')):
        raise errors.CloudError('%s is not a Heat checkout (no '
                                'heat/engine/stack.py)' % path)
    pins = (resources.localcloud_templates() / 'constraints.txt').read_text()
    with tempfile.NamedTemporaryFile('w', suffix='.txt') as constraints:
        constraints.write(''.join(
            line + '\n' for line in pins.splitlines()
            if not line.lower().startswith('openstack-heat')))
        constraints.flush()
        done = subprocess.run(
            [sys.executable, '-m', 'pip', 'install', '-q', '-c',
             constraints.name, '-e', path], capture_output=True, text=True)
    if done.returncode != 0:
        raise errors.CloudError('installing Heat from %s failed: %s'
                                % (path, done.stderr.strip()[-500:]))
    print('heat installed from %s (editable)' % path)
