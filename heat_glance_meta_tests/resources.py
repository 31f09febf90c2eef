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
"""Find the project's data files from a source checkout or an installed wheel.

The top-level ``gabbits/``, ``etc/localcloud/`` and ``etc/releases/``
directories are shipped as pbr data files under
``<prefix>/share/heat-glance-meta-tests/``; in a source checkout (editable
install, unit tests) they sit beside the package.
"""

import pathlib
import sys
import sysconfig

_SOURCE_ROOT = pathlib.Path(__file__).resolve().parent.parent
_SHARE = 'share/heat-glance-meta-tests'


def data_dir(source_relative, installed_name):
    """Path of a data directory, preferring the source checkout.

    :param source_relative: path below the checkout, e.g. ``etc/localcloud``.
    :param installed_name: directory name below the installed share dir.
    """
    candidates = [_SOURCE_ROOT / source_relative]
    for prefix in (sys.prefix, sysconfig.get_path('data')):
        candidates.append(pathlib.Path(prefix) / _SHARE / installed_name)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        '%s not found (looked in %s); reinstall heat-glance-meta-tests'
        % (installed_name, ', '.join(str(c) for c in candidates)))


def localcloud_templates():
    return data_dir('etc/localcloud', 'localcloud')


def releases():
    return data_dir('etc/releases', 'releases')


def gabbits():
    return data_dir('gabbits', 'gabbits')
