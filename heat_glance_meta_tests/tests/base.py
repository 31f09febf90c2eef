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
"""Base class of the suite's tests: clients, stacks and images, cleanups.

Every stack is deleted by a cleanup registered right after its create; that
cleanup then checks in Glance that each image the stack ever had is gone, and
deletes (and reports) any image Heat left behind, so nothing leaks even when
a test fails.
"""

import datetime
import html
import time

from glanceclient import exc as glance_exc
from tempest import config
from tempest.lib.common.utils import data_utils
from tempest import test
from testtools import content

from heat_glance_meta_tests import clients
from heat_glance_meta_tests.common import availability
from heat_glance_meta_tests.common import cleanup
from heat_glance_meta_tests.common import create_race
from heat_glance_meta_tests.common import diagnosis
from heat_glance_meta_tests.common import image_view
from heat_glance_meta_tests import known_defects
from heat_glance_meta_tests import templates
from heat_glance_meta_tests import waiters

CONF = config.CONF
# Glance drops an import's lock just after the image turns active. A lock
# still there after this long outlived its import and stays: on Glance
# 2024.1, Heat deactivating an image mid-import fails the flow and its
# revert (seen in CI: REVERT_FAILURE, the lock kept), and get_image then
# waited out the whole build_timeout.
LOCK_RELEASE_S = 10.0
# Heat purges a replaced resource's row right after it marks the stack
# COMPLETE, in the same thread (H3): a row still listed after this long is
# not that moment passing.
H3_PURGE_S = 30.0


def status_reason(stack):
    """Heat's status reason as text (Glance's messages arrive HTML-escaped)."""
    return html.unescape(stack.stack_status_reason or '')


def terminal_elsewhere(current, target):
    """True when a stack in ``current`` can no longer reach ``target``.

    Final: the target's action ending otherwise (SNAPSHOT_FAILED for
    SNAPSHOT_COMPLETE), or a rollback ending when a create or update was
    awaited. Another action's end is not: Heat answers a snapshot request
    before the stack leaves the state of the action before it (seen on
    2024.1: UPDATE_COMPLETE right after the snapshot call), and a rollback
    passes through the FAILED state of the action it undoes.
    """
    action, _, state = current.partition('_')
    wanted = target.partition('_')[0]
    if current == target or state not in ('COMPLETE', 'FAILED'):
        return False
    return action == wanted or (action == 'ROLLBACK'
                                and wanted in ('CREATE', 'UPDATE'))


class HeatGlanceTest(test.BaseTestCase):
    """Heat and Glance clients for the primary project, stack helpers."""

    credentials = ['primary']

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        reason = availability.missing()
        if reason:
            raise cls.skipException(reason)

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.client = clients.for_credentials(cls.os_primary.credentials)
        cls.heat = cls.client.heat
        cls.glance = cls.client.glance

    # Names and parameters ----------------------------------------------

    def unique_name(self, kind='stack'):
        return data_utils.rand_name(prefix=CONF.resource_name_prefix,
                                    name='hgmt-%s' % kind)

    def image_parameters(self, **overrides):
        settings = CONF.heat_glance_meta
        params = {'image_name': self.unique_name('image'),
                  'location': settings.image_url,
                  'disk_format': settings.disk_format,
                  'container_format': settings.container_format}
        params.update(overrides)
        return params

    # Stacks ----------------------------------------------------------------

    def create_stack(self, template, parameters=None, wait_for='COMPLETE',
                     client=None, watch_imports=True, **kwargs):
        """Create a stack, register its cleanup, wait for CREATE_<wait_for>.

        Returns the stack id. ``wait_for=None`` returns without waiting.
        """
        heat = (client or self.client).heat
        name = self.unique_name()
        body = heat.stacks.create(
            stack_name=name, template=templates.dump(template),
            parameters=parameters or {}, **kwargs)
        stack_id = body['stack']['id']
        self.remember_stack(name, stack_id)
        self.addCleanup(self.delete_stack, stack_id, client=client)
        self._parameters[stack_id] = dict(parameters or {})
        if wait_for:
            self.wait_stack(stack_id, 'CREATE_%s' % wait_for, client=client,
                            watch_imports=watch_imports)
        return stack_id

    def update_stack(self, stack_id, template=None, parameters=None,
                     wait_for='COMPLETE', existing=False, client=None,
                     **kwargs):
        heat = (client or self.client).heat
        self.remember_images(stack_id, client=client)
        if parameters is None and not existing:
            parameters = self._parameters.get(stack_id)
        fields = dict(kwargs, existing=existing)
        if template is not None:
            fields['template'] = templates.dump(template)
        if parameters is not None:
            fields['parameters'] = parameters
        heat.stacks.update(self.stack_ref(stack_id), **fields)
        if wait_for:
            return self.wait_stack(stack_id, 'UPDATE_%s' % wait_for,
                                   client=client)

    def wait_stack(self, stack_id, status, client=None, timeout=None,
                   watch_imports=True):
        """Wait for ``status``; a final state on the way fails at once."""
        return self._watch_stack(
            stack_id, lambda s: s.stack_status == status,
            'stack %s to reach %s' % (stack_id, status), client, timeout,
            watch_imports,
            terminal=lambda s: terminal_elsewhere(s.stack_status, status))

    def wait_stack_settled(self, stack_id, client=None, timeout=None,
                           watch_imports=True):
        """Wait until the stack is in no *_IN_PROGRESS state; return it."""
        return self._watch_stack(
            stack_id, lambda s: not s.stack_status.endswith('IN_PROGRESS'),
            'stack %s to settle' % stack_id, client, timeout, watch_imports)

    def stack_settled_within(self, stack_id, seconds, client=None):
        """The stack once it leaves IN_PROGRESS, or as it is ``seconds`` on.

        For a verdict on a stack that should have settled by then: the
        caller judges the status (a known defect may keep it IN_PROGRESS).
        """
        return self.stack_settled_or_event(stack_id, None, seconds,
                                           client=client)[0]

    def stack_settled_or_event(self, stack_id, event_matches, timeout=None,
                               client=None):
        """(stack, reasons): once settled or an image event matches.

        ``event_matches`` is a predicate on the image resource's events
        (None: events are not read); ``reasons`` are the matching events'
        status reasons. After ``timeout`` (default build_timeout) they are
        returned as they are then: the caller judges.
        """
        heat = (client or self.client).heat
        ref = self.stack_ref(stack_id)

        def probe():
            stack = heat.stacks.get(ref, resolve_outputs=False)
            if event_matches is None:
                return stack, []
            events = heat.events.list(ref, resource_name=templates.RESOURCE)
            return stack, [e.resource_status_reason for e in events
                           if event_matches(e)]
        try:
            return cleanup.wait(
                probe, lambda p: p[1] or not p[0].stack_status.endswith(
                    'IN_PROGRESS'),
                'stack %s to leave IN_PROGRESS (%s)' % (stack_id, self.id()),
                timeout=timeout,
                describe=lambda p: '%s: %s' % (p[0].stack_status,
                                               p[0].stack_status_reason))
        except waiters.WaitTimeout:
            return probe()

    def wait_import_failed(self, stack_id, client=None):
        """Wait until Glance reports a failed import of the stack's image.

        Returns Glance's account of each failed import task.
        """
        def failures():
            race, other = self.failed_imports(stack_id, client)
            return race + other
        return cleanup.wait(failures, bool,
                            'Glance to report the failed import of an image '
                            'of stack %s (%s)' % (stack_id, self.id()))

    def _watch_stack(self, stack_id, done, what, client, timeout,
                     watch_imports, terminal=lambda stack: False):
        """The stack waits, on the suite's waiter.

        With ``watch_imports`` it also looks, every couple of seconds, at
        the stack's images in Glance: an import that failed there is never
        noticed by Heat (D6), which would wait until the stack times out.
        A failure with the create race's signature is reported through the
        L1 flag (create_race); any other failed import fails the test at
        once, and so does an image left queued with no import task for
        ``import_start_timeout`` seconds (an import Heat never asked for).
        """
        client = client or self.client
        heat = client.heat
        race, other = [], []
        next_look = [time.monotonic() + create_race.LOOK_EVERY]
        unstarted_since = {}

        def failed(stack):
            if terminal(stack):
                return stack.stack_status_reason or stack.stack_status
            if watch_imports and time.monotonic() >= next_look[0]:
                next_look[0] = time.monotonic() + create_race.LOOK_EVERY
                found_race, found_other = self.failed_imports(stack_id,
                                                              client)
                race.extend(found_race)
                other.extend(found_other)
                if race or other:
                    return 'Glance failed to import %s' % (race + other)
                return self._import_never_started(stack_id, client,
                                                  unstarted_since)
        # The status only: resolving the outputs has Heat ask Glance for
        # the image (get_attr show) on every poll.
        ref = self.stack_ref(stack_id)
        try:
            return cleanup.wait(
                lambda: heat.stacks.get(ref, resolve_outputs=False), done,
                '%s (%s)' % (what, self.id()), failed=failed,
                timeout=timeout, describe=lambda s: '%s: %s' % (
                    s.stack_status, s.stack_status_reason))
        except waiters.WaitFailed as e:
            if not race or other:
                raise waiters.WaitFailed(self._with_report(e, stack_id,
                                                           client))
            with known_defects.expected(self, 'L1'):
                self.fail('%s; Heat\'s create-time PATCH raced the import '
                          'task, and Heat does not notice the failure (D6)'
                          % e)
        except waiters.WaitTimeout as e:
            raise waiters.WaitTimeout(self._with_report(e, stack_id, client))

    def _with_report(self, error, stack_id, client):
        """The wait's message, then the stack's resources and images."""
        return '\n  '.join([str(error)] + diagnosis.stack_report(
            client.heat, client.glance, stack_id,
            self.images_in_flight(stack_id, client)))

    def _import_never_started(self, stack_id, client, unstarted_since):
        """A reason when an image has waited too long for its import."""
        now = time.monotonic()
        limit = CONF.heat_glance_meta.import_start_timeout
        for image_id in self.images_in_flight(stack_id, client):
            if not image_view.import_not_started(client.glance, image_id):
                unstarted_since.pop(image_id, None)
                continue
            waited = now - unstarted_since.setdefault(image_id, now)
            if waited >= limit:
                return ('image %s is still queued with no import task in '
                        'Glance %.0f s after the suite first saw it so '
                        '([heat_glance_meta] import_start_timeout): Heat '
                        'did not start its web-download import'
                        % (image_id, waited))

    def failed_imports(self, stack_id, client=None):
        """The stack's failed Glance imports: (the race's, any other)."""
        client = client or self.client
        return create_race.failed_imports(
            client.glance, self.images_in_flight(stack_id, client))

    def images_in_flight(self, stack_id, client):
        """The images a stack operation may be importing, sorted.

        The stack's images as Heat lists them, and every image of the
        project still queued or importing: while convergence replaces a
        resource (a replacement, a rollback), Heat's resource list shows
        the old resource only, and the new image is found in Glance. A
        project runs one test at a time: the test class's credentials are
        its own while it holds them, dynamic or pre-provisioned.
        """
        self.remember_images(stack_id, client=client)
        images = set(self._images_seen.get(stack_id, ()))
        images.update(image_view.unfinished_images(client.glance,
                                                   client.project_id))
        return sorted(images)

    def images_importing(self, stack_id, exclude=()):
        """The stack's images (not ``exclude``) with an import running.

        Not only those in status importing: Heat's property PATCH right
        after it starts the import often writes the status back to
        queued (the create race's mechanism, L1) while the task runs.
        """
        found = []
        for image_id in self.images_in_flight(stack_id, self.client):
            try:
                image = self.glance.images.get(image_id)
            except glance_exc.HTTPNotFound:
                continue
            if (image_id not in exclude
                    and image.get('os_glance_import_task')
                    and image['status'] in ('queued', 'importing')):
                found.append(image_id)
        return found

    def wait_images_importing(self, stack_id, exclude=()):
        """Wait until :meth:`images_importing` finds one; return them."""
        return cleanup.wait(
            lambda: self.images_importing(stack_id, exclude), bool,
            'an image of stack %s (not %s) to be importing (%s)'
            % (stack_id, sorted(exclude), self.id()))

    def slow_image_url(self):
        """``[heat_glance_meta] slow_image_url``; the test skips without."""
        slow = CONF.heat_glance_meta.slow_image_url
        if not slow:
            raise self.skipException('[heat_glance_meta] slow_image_url '
                                     'is not set')
        return slow

    def start_slow_replacement(self, stack_id, image, extra_properties):
        """Move ``image`` to the slow image with this map; the new image.

        Returns, without waiting for the update, once the replacement
        imports: its import then stays in progress for tens of seconds,
        the window in which a test acts on the update.
        """
        slow = self.slow_image_url()
        self.update_stack(
            stack_id, templates.image_stack(extra_properties=extra_properties),
            parameters=self.image_parameters(image_name=image['name'],
                                             location=slow),
            wait_for=None)
        return self.wait_images_importing(stack_id, exclude={image['id']})[0]

    def remember_stack(self, name, stack_id):
        """Address the stack as ``NAME/ID`` from now on (stack_ref)."""
        self._stack_refs[stack_id] = '%s/%s' % (name, stack_id)

    def stack_ref(self, stack_id):
        """``NAME/ID`` of a stack this test created, else ``stack_id``.

        Heat answers a stack URL with the id alone by asking the engine for
        the name and redirecting: two requests and an RPC for each poll,
        which on a small cloud competes with the work the tests wait for.
        """
        return self._stack_refs.get(stack_id, stack_id)

    def stack_outputs(self, stack_id, client=None):
        stack = (client or self.client).heat.stacks.get(
            self.stack_ref(stack_id))
        return {o['output_key']: o.get('output_value')
                for o in stack.outputs}

    def image_id(self, stack_id, resource=templates.RESOURCE, client=None):
        """The physical id of the image resource, remembered for cleanup.

        From the stack's resource list: showing the one resource has Heat
        resolve every attribute, which asks Glance for the image (twice the
        CPU of the list, in Heat and Glance, for one id).

        Right after a replacement completes the list can name the replaced
        resource, already deleted (H3 in known-defects.rst): Heat marks the
        stack COMPLETE before it purges that row, and lists rows by name.
        Such a row is read again until the purge; the wait's length is kept
        in the test's ``h3-purge-wait`` detail.
        """
        heat = (client or self.client).heat

        def listed():
            return [r for r in heat.resources.list(self.stack_ref(stack_id))
                    if r.resource_name == resource]

        def purged(rows):
            return not rows or rows[0].resource_status != 'DELETE_COMPLETE'

        rows = listed()
        if not purged(rows):
            started = time.monotonic()
            rows = cleanup.wait(
                listed, purged,
                'Heat to purge the deleted resource %s (image %s) from the '
                'resource list of stack %s (H3 in known-defects.rst)' % (
                    resource, rows[0].physical_resource_id, stack_id),
                timeout=H3_PURGE_S)
            self.addDetail('h3-purge-wait', content.text_content(
                '%.1f s' % (time.monotonic() - started)))
        if not rows:
            self.fail('stack %s has no resource %s' % (stack_id, resource))
        self._images_seen.setdefault(stack_id, set()).add(
            rows[0].physical_resource_id)
        return rows[0].physical_resource_id

    def remember_images(self, stack_id, client=None):
        self._images_seen.setdefault(stack_id, set()).update(
            cleanup.stack_images((client or self.client).heat,
                                 self.stack_ref(stack_id)))

    def setUp(self):
        super().setUp()
        self._images_seen = {}
        self._parameters = {}
        self._stack_refs = {}

    # Cleanup ---------------------------------------------------------------

    def delete_stacks(self, stack_ids, client=None):
        """Delete these stacks side by side, then check each as below.

        Heat deletes stacks in parallel but the resources of one stack
        about one a second: several stacks of many images are gone much
        sooner together than one after another.
        """
        client = client or self.client
        requested = [s for s in stack_ids
                     if cleanup.request_delete(client.heat,
                                               self.stack_ref(s))]
        for stack_id in requested:
            self.delete_stack(stack_id, client=client, requested=True)

    def delete_stack(self, stack_id, client=None, requested=False):
        """Delete the stack and make sure none of its images survive."""
        client = client or self.client
        leaked = cleanup.delete_stack(
            client.heat, client.glance, self.stack_ref(stack_id),
            self._images_seen.get(stack_id, ()),
            in_flight=lambda: self.images_in_flight(stack_id, client),
            requested=requested)
        if leaked:
            raise self.failureException(
                'stack %s was deleted but its images %s stayed in Glance '
                '(deleted by the test cleanup)' % (stack_id, leaked))

    # Image stacks ----------------------------------------------------------

    def create_image_stack(self, parameters=None, client=None,
                           **image_properties):
        """A stack of one image (see templates.image_stack); its id, image."""
        client = client or self.client
        stack_id = self.create_stack(
            templates.image_stack(**image_properties),
            parameters or self.image_parameters(), client=client)
        image_id = self.image_id(stack_id, client=client)
        return stack_id, self.get_image(image_id, glance=client.glance)

    def update_image_stack(self, stack_id, parameters=None, existing=False,
                           client=None, **image_properties):
        """Update to a template with these image properties; the image.

        A full update (PUT) re-sends the parameters the stack was created
        with unless others are given.
        """
        client = client or self.client
        self.update_stack(stack_id, templates.image_stack(**image_properties),
                          parameters=parameters, existing=existing,
                          client=client)
        return self.get_image(self.image_id(stack_id, client=client),
                              glance=client.glance)

    def wait_clock_past(self, image):
        """Wait until Glance's next timestamp will differ from the image's.

        Glance shows updated_at to the second; waiting for the next second
        makes "updated_at moved" a deterministic check.
        """
        stamp = image_view.timestamp(image['updated_at'])
        target = stamp + datetime.timedelta(seconds=1)

        def utc_now():
            return datetime.datetime.now(
                datetime.timezone.utc).replace(tzinfo=None)
        cleanup.wait(utc_now, lambda now: now >= target,
                     'the clock to pass %s' % image['updated_at'], timeout=5)

    def assert_updated_in_place(self, before, after):
        """Same image (id, created_at, data), and Glance recorded a change."""
        self.assertEqual(
            (before['id'], before['created_at'], before['checksum'],
             before['size']),
            (after['id'], after['created_at'], after['checksum'],
             after['size']),
            'the image was replaced or its data changed')
        self.assertGreater(after['updated_at'], before['updated_at'],
                           'Glance did not record an update')

    def assert_user_properties(self, expected, image, extra_properties,
                               before_id):
        """Glance's user properties of ``image`` are ``expected``.

        An image other than ``before_id`` was created by the operation
        under test (a replacement, a converge on Heat 27 (D8), the re-create
        of a rollback after a failed update), so the create race (L1) may
        have wiped its ``extra_properties``: create_race decides.
        """
        if image['id'] != before_id:
            create_race.assert_properties(self, expected, image,
                                          extra_properties)
        else:
            self.assertEqual(expected, image_view.user_properties(image))

    def assert_replaced(self, before, after):
        self.assertNotEqual(before['id'], after['id'],
                            'the image was updated in place, not replaced')
        self.assertEqual('active', after['status'])
        self.assert_image_gone(before['id'])

    # Glance's view ---------------------------------------------------------

    def get_image(self, image_id, glance=None):
        """The image as its import, if any, leaves it.

        An image read as Glance's import flow ends may still hold the
        import lock (image_view.import_finishing); it is read again, so
        that two reads of an unchanged image are equal.
        """
        glance = glance or self.glance
        last = []

        def read():
            last[:] = [dict(glance.images.get(image_id))]
            return last[0]
        try:
            return cleanup.wait(
                read, lambda image: not image_view.import_finishing(image),
                "Glance's import of image %s to release its lock (%s)"
                % (image_id, self.id()), timeout=LOCK_RELEASE_S)
        except waiters.WaitTimeout:
            return last[0]  # a stale lock: it will not go

    def assert_image_gone(self, image_id, glance=None):
        glance = glance or self.glance
        try:
            image = glance.images.get(image_id)
        except glance_exc.HTTPNotFound:
            return
        self.assertEqual('deleted', image['status'],
                         'image %s is still in Glance' % image_id)
