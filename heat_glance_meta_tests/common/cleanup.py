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
"""The one cleanup: delete a stack, prove its images are gone from Glance.

Used by the Python tests (registered right after each create) and by the
gabbi fixture (for whatever a YAML file left in its project). A protected
image blocks the delete (D7), and a delete while Glance still imports the
image can fail with a 500 (G3): the images are unprotected and the delete
is retried once. A second DELETE of a stack just deleted can answer 400
(H1): it counts as deleted when the stack is. Images Heat left behind are
deleted here and returned, so nothing leaks and the caller can report them.
"""

from glanceclient import exc as glance_exc
from heatclient import exc as heat_exc
from oslo_utils import uuidutils
from tempest import config

from heat_glance_meta_tests import waiters

CONF = config.CONF


def wait(probe, done, what, failed=None, describe=repr, timeout=None):
    """The suite's waiter with the configured timeout and poll intervals."""
    settings = CONF.heat_glance_meta
    return waiters.wait_until(
        probe, done, what,
        timeout=timeout or settings.build_timeout, failed=failed,
        describe=describe, first_interval=settings.poll_interval_first,
        max_interval=settings.poll_interval_max)


def stack_images(heat, stack_id, history=False):
    """Physical ids of the stack's WebImage resources (nested too).

    ``history``: also every image the stack's events name for those
    resources. A replacement that failed half way (the old image could not
    be deleted, D7) is not in the resource list, though it is still the
    stack's and blocks its delete.
    """
    try:
        resources = heat.resources.list(stack_id, nested_depth=2)
    except heat_exc.HTTPNotFound:
        return set()
    images = [r for r in resources
              if r.resource_type == 'OS::Glance::WebImage']
    found = {r.physical_resource_id for r in images if r.physical_resource_id}
    names = {r.resource_name for r in images}
    if history and names:
        try:
            events = heat.events.list(stack_id, nested_depth=2)
        except heat_exc.HTTPNotFound:
            events = []
        # An event of a create that failed before Glance gave an id names
        # the resource's physical name instead, which is no image (and which
        # Glance 2024.1 answers with a 500).
        found.update(e.physical_resource_id for e in events
                     if e.resource_name in names
                     and uuidutils.is_uuid_like(e.physical_resource_id))
    return found


def delete_stack(heat, glance, stack_id, images=(), in_flight=lambda: (),
                 requested=False):
    """Delete the stack; return the images it left in Glance (now deleted).

    ``images`` are ids the caller saw the stack own at some point (a
    replacement's old image, say), checked along with the current ones.
    ``in_flight`` gives, when a first delete fails, the images the stack
    may be creating: one Heat has not recorded yet (no event names it)
    can be protected too (D7). ``requested``: the caller has asked Heat
    to delete the stack already (see :func:`request_delete`).
    Raises AssertionError when Heat cannot delete the stack.
    """
    # Every image the stack ever held: what Heat lost track of is a leak.
    images = set(images) | stack_images(heat, stack_id, history=True)
    if not delete_and_wait(heat, stack_id, requested=requested):
        images |= set(in_flight())
        for image_id in images:
            _unprotect(glance, image_id)
        if not delete_and_wait(heat, stack_id):
            raise AssertionError('stack %s could not be deleted' % stack_id)
    leaked = sorted(i for i in images if image_exists(glance, i))
    for image_id in leaked:
        delete_image(glance, image_id)
    return leaked


def delete_image(glance, image_id):
    """Delete an image, protected or not, already gone or not."""
    _unprotect(glance, image_id)
    try:
        glance.images.delete(image_id)
    except glance_exc.HTTPNotFound:
        pass


def request_delete(heat, stack_id):
    """Ask Heat to delete the stack; False when it is gone already."""
    try:
        heat.stacks.delete(stack_id)
    except heat_exc.HTTPNotFound:
        return False
    except heat_exc.HTTPBadRequest:
        # H1: a DELETE in the moment between DELETE_COMPLETE and the stack's
        # removal answers 400 "Internal Error" (its credentials are gone
        # already). Only a stack that is in fact deleted excuses it.
        stack = _get_stack(heat, stack_id)
        if stack is None or stack.stack_status == 'DELETE_COMPLETE':
            return False
        raise
    return True


def _get_stack(heat, stack_id):
    try:
        # Its status only: outputs would have Heat ask Glance for the image.
        return heat.stacks.get(stack_id, resolve_outputs=False)
    except heat_exc.HTTPNotFound:
        return None


def delete_and_wait(heat, stack_id, requested=False):
    """Delete the stack; True once it is gone, False if the delete failed.

    ``requested``: the DELETE was sent already; only wait.
    """
    if not requested and not request_delete(heat, stack_id):
        return True
    final = wait(lambda: _get_stack(heat, stack_id),
                 lambda s: s is None or s.stack_status in (
                     'DELETE_COMPLETE', 'DELETE_FAILED'),
                 'stack %s to be deleted' % stack_id,
                 describe=lambda s: s and s.stack_status)
    return final is None or final.stack_status == 'DELETE_COMPLETE'


def image_exists(glance, image_id):
    try:
        return glance.images.get(image_id)['status'] != 'deleted'
    except glance_exc.HTTPNotFound:
        return False


def _unprotect(glance, image_id):
    try:
        glance.images.update(image_id, protected=False)
    except glance_exc.HTTPNotFound:
        pass
