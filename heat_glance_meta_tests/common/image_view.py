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
"""Glance's view of an image: user properties, failed or missing imports."""

import datetime

from glanceclient import exc as glance_exc

# Attributes of every Glance v2 image; anything else is a property set by
# a user (or, os_glance_*, by Glance itself).
IMAGE_CORE_ATTRIBUTES = frozenset([
    'id', 'name', 'status', 'visibility', 'protected', 'os_hidden',
    'checksum', 'os_hash_algo', 'os_hash_value', 'owner', 'size',
    'virtual_size', 'container_format', 'disk_format', 'created_at',
    'updated_at', 'tags', 'direct_url', 'min_ram', 'min_disk', 'self',
    'file', 'schema', 'locations', 'stores'])


def user_properties(image):
    """The properties of a Glance image that a user set."""
    return {k: v for k, v in dict(image).items()
            if k not in IMAGE_CORE_ATTRIBUTES
            and not k.startswith('os_glance')}


def import_finishing(image):
    """True when an active image still holds its import lock.

    Glance's import flow makes the image active one step before its last
    step releases the lock (``os_glance_import_task``, in ``_CompleteTask``):
    an image read in between still shows the lock, a read a moment later
    does not.
    """
    return image['status'] == 'active' and bool(
        image.get('os_glance_import_task'))


# The message failed_import_tasks gives an import that succeeded while the
# image was left behind it (not Glance's: Glance saw no failure).
STRANDED = ('the import task succeeded, yet the image is left %s: a write '
            'that read it before the import ended saved it after')


def failed_import_tasks(glance, image_id):
    """The failed import tasks of an image that is not active.

    Returns (task id, image status, Glance's message, the URI the import
    was asked to fetch) tuples. Glance's own task record is the reliable
    sign: the image's os_glance_failed_import key can itself be wiped by a
    racing PATCH.

    An import task that succeeded while the image is still queued or
    importing is reported too, with :data:`STRANDED` as its message: the
    task's success is Glance's last write of an import, so an image read
    after it that is not active was saved over by a write that had read it
    before (seen in a full run: the image importing, with no lock and its
    task successful, Heat waiting on it).
    """
    try:
        image = glance.images.get(image_id)
        if image['status'] not in ('queued', 'importing'):
            return []
        tasks = glance.images.get_associated_image_tasks(image_id)
        failed = [t for t in tasks['tasks'] if t['status'] == 'failure']
        succeeded = [t for t in tasks['tasks'] if t['status'] == 'success']
        if succeeded or (failed and image['status'] == 'importing'):
            # Glance's failing import sets the image back to queued, then
            # marks its task failed, and a successful one makes the image
            # active before it marks its task: an image read before the
            # task may predate that. Its status now is the one the import
            # left.
            image = glance.images.get(image_id)
    except glance_exc.HTTPNotFound:
        return []
    found = [(t['id'], image['status'], t.get('message') or '',
              _import_uri(t)) for t in failed]
    if image['status'] in ('queued', 'importing'):
        found.extend((t['id'], image['status'], STRANDED % image['status'],
                      _import_uri(t)) for t in succeeded)
    return found


def import_ended_near(glance, image_id, moments, within_s):
    """True when an import task of the image ended near one of ``moments``.

    Near: within ``within_s`` seconds. ``moments`` are timestamps as Heat
    and Glance write them (UTC, to the second: ``within_s`` of 2 or more).
    """
    try:
        tasks = glance.images.get_associated_image_tasks(image_id)
    except glance_exc.HTTPNotFound:
        return False
    ends = [timestamp(t['updated_at']) for t in tasks['tasks']
            if t['status'] in ('success', 'failure') and t.get('updated_at')]
    return any(abs((timestamp(m) - end).total_seconds()) <= within_s
               for m in moments for end in ends)


def timestamp(text):
    """A naive UTC datetime from ``2026-11-28T22:11:00(.000000)(Z)``."""
    return datetime.datetime.strptime(text.rstrip('Z')[:19],
                                      '%Y-%m-%dT%H:%M:%S')


def _import_uri(task):
    method = ((task.get('input') or {}).get('import_req') or {}).get(
        'method') or {}
    return method.get('uri')


def import_not_started(glance, image_id):
    """True when the image is queued and Glance has no import task for it.

    Heat asks for the web-download import right after it creates the
    image, so an image that stays so has no import coming.
    """
    try:
        image = glance.images.get(image_id)
        if image['status'] != 'queued' or image.get('os_glance_import_task'):
            return False
        tasks = glance.images.get_associated_image_tasks(image_id)
    except glance_exc.HTTPNotFound:
        return False
    return not tasks['tasks']


def unfinished_images(glance, project_id):
    """Ids of the project's images still queued or importing."""
    return [i['id'] for i in glance.images.list(filters={'owner': project_id})
            if i['status'] in ('queued', 'importing')]
