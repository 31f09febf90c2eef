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
"""HOT templates of the suite, and the small builder that varies them.

The HOT files live in ``templates/``; :func:`image_stack` starts from
``web_image.yaml`` (one OS::Glance::WebImage ``img`` with the outputs
``image_id`` and ``image``) and sets the image properties a test needs.
"""

import copy
import functools
import pathlib

import yaml

TEMPLATE_DIR = pathlib.Path(__file__).parent / 'templates'
RESOURCE = 'img'


@functools.lru_cache()
def _load(name):
    return yaml.safe_load((TEMPLATE_DIR / name).read_text())


def load(name):
    """A fresh copy of the HOT file ``name`` as a dict."""
    return copy.deepcopy(_load(name))


def image_stack(extra_properties=None, tags=None, output_keys=(),
                extra_properties_parameter=False, resource_type=None,
                **properties):
    """A template with one image whose properties are as given.

    :param extra_properties: the map, or None to leave the property out.
    :param tags: list of tags, or None to leave them out.
    :param output_keys: for each key an output ``prop_<key>`` reading
        ``get_attr: [img, show, <key>]``.
    :param extra_properties_parameter: take extra_properties from a json
        parameter ``extra_properties`` (for PATCH updates with parameters
        only) instead of the literal map.
    :param resource_type: another resource type for ``img``.
    :param properties: other properties of the image; a None value removes
        the property from the template.
    """
    template = load('web_image.yaml')
    resource = template['resources'][RESOURCE]
    if resource_type:
        resource['type'] = resource_type
    props = resource['properties']
    if extra_properties_parameter:
        template['parameters']['extra_properties'] = {
            'type': 'json', 'default': {}}
        props['extra_properties'] = {'get_param': 'extra_properties'}
    elif extra_properties is not None:
        props['extra_properties'] = extra_properties
    if tags is not None:
        props['tags'] = tags
    for key, value in properties.items():
        if value is None:
            props.pop(key, None)
        else:
            props[key] = value
    for key in output_keys:
        template['outputs']['prop_%s' % key] = {
            'value': {'get_attr': [RESOURCE, 'show', key]}}
    return template


class _Dumper(yaml.SafeDumper):
    """Writes a value seen twice in full, never as a YAML alias."""

    def ignore_aliases(self, data):
        return True


def dump(template):
    """The template as the YAML text Heat receives."""
    return yaml.dump(template, Dumper=_Dumper, default_flow_style=False,
                     sort_keys=False, allow_unicode=True)
