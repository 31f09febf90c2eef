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
"""tempest.conf for the local cloud as an operator makes it for any cloud.

python-tempestconf's ``discover-tempest-config`` reads the cloud's catalog
with the admin account of ``D/etc/clouds.yaml`` and writes tempest.conf;
this plugin then adds only its own ``[heat_glance_meta*]`` options, taken
from the same template the rendered configuration uses, so both paths test
the same images with the same features. tempestconf uploads a test image
for Tempest's compute tests; it is given the image server's own file, since
this machine (like many gate nodes) cannot reach the public default.
"""

import configparser
import os
import subprocess
import sys

from heat_glance_meta_tests.localcloud import errors

BIN = os.path.dirname(sys.executable)
PLUGIN_SECTION_PREFIX = 'heat_glance_meta'


def plugin_overrides(rendered_conf):
    """This plugin's options as tempestconf's ``section.key value`` pairs."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(rendered_conf)
    pairs = []
    for section in parser.sections():
        if section.startswith(PLUGIN_SECTION_PREFIX):
            for key in parser.options(section):
                if key not in parser.defaults():
                    pairs += ['%s.%s' % (section, key),
                              parser.get(section, key, raw=True)]
    return pairs


def command(lay, rendered_conf, out):
    return ([os.path.join(BIN, 'discover-tempest-config'),
             '--os-cloud', 'admin', '--out', str(out),
             '--image', str(lay.images / 'tiny.img'),
             '--image-disk-format', 'raw', '--no-rng'] +
            plugin_overrides(rendered_conf))


def discover(lay, rendered_conf, out):
    """Write ``out`` with python-tempestconf; its log goes to D/logs."""
    argv = command(lay, rendered_conf, out)
    env = lay.environ(OS_CLIENT_CONFIG_FILE=str(lay.etc / 'clouds.yaml'))
    log_path = lay.logs / 'tempestconf.log'
    with open(log_path, 'ab') as log:
        rc = subprocess.call(argv, cwd=str(out.parent.parent), env=env,
                             stdin=subprocess.DEVNULL, stdout=log,
                             stderr=subprocess.STDOUT)
    if rc != 0 or not out.exists():
        raise errors.CloudError(
            'discover-tempest-config failed (exit %d); see %s'
            % (rc, log_path))
    os.chmod(out, 0o600)
