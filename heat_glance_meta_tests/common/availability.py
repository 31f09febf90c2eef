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
"""Whether the cloud under test can run the suite: the one skip check."""

from tempest import config

CONF = config.CONF


def missing():
    """Why this cloud cannot run the suite (a skip reason), or None."""
    for service in ('heat', 'glance'):
        if not getattr(CONF.service_available, service, False):
            return ('%s is not available ([service_available] %s)'
                    % (service.capitalize(), service))
    if not CONF.heat_glance_meta.image_url:
        return ('[heat_glance_meta] image_url is not set: the tests need an '
                'image URL Glance can download')
    return None
