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
"""What a stack and its images look like, for the message of a failed wait.

One failed run must be enough to know why: when a stack wait times out or
fails, the message carries the state of every resource (nested ones too)
with Heat's reason, and for each image Glance's status and its import
tasks with their messages.
"""


def stack_report(heat, glance, stack_id, image_ids=()):
    """Lines describing the stack's resources and its images in Glance."""
    lines = []
    try:
        resources = heat.resources.list(stack_id, nested_depth=2)
    except Exception as e:  # a report must not hide the original failure
        lines.append('resources of stack %s: unavailable (%s)'
                     % (stack_id, e))
        resources = []
    for res in resources:
        lines.append('resource %s (%s, %s): %s %s' % (
            res.resource_name, res.resource_type, res.physical_resource_id,
            res.resource_status, res.resource_status_reason or ''))
        if (res.resource_type == 'OS::Glance::WebImage'
                and res.physical_resource_id):
            image_ids = set(image_ids) | {res.physical_resource_id}
    for image_id in sorted(image_ids):
        lines.append(image_report(glance, image_id))
    return lines


def image_report(glance, image_id):
    try:
        image = glance.images.get(image_id)
    except Exception as e:
        return 'image %s: %s' % (image_id, e)
    try:
        tasks = glance.images.get_associated_image_tasks(image_id)['tasks']
    except Exception as e:
        tasks, error = [], str(e)
    else:
        error = None
    described = ['task %s %s%s' % (t['id'], t['status'],
                                   ': %s' % t['message']
                                   if t.get('message') else '')
                 for t in tasks]
    return 'image %s: %s; import tasks: %s' % (
        image_id, image['status'],
        '; '.join(described) or error or 'none')
