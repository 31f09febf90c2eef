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
"""Sphinx configuration of the heat-glance-meta-tests documentation."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '_exts'))

extensions = [
    'coverage_matrix',
    'openstackdocstheme',
    'oslo_config.sphinxext',
    'reno.sphinxext',
]

# openstackdocstheme
openstackdocs_repo_name = 'openstack/heat-glance-meta-tests'
openstackdocs_bug_project = 'heat'
openstackdocs_bug_tag = 'heat-glance-meta-tests'
openstackdocs_auto_name = False

project = 'heat-glance-meta-tests'
copyright = 'OpenStack Contributors'
master_doc = 'index'
exclude_patterns = []
html_theme = 'openstackdocs'
pygments_style = 'native'
