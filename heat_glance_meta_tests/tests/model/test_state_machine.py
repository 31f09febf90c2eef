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
"""Random update sequences of one image stack, checked against the model.

A Hypothesis state machine drives one stack on the real cloud: each rule
changes the image's template (extra_properties added, changed, removed,
renamed with the same value, emptied, left out, taken from a parameter and
changed by a PATCH with parameters only; tags; os_distro; visibility;
members; owner; protected; active; min_ram, which replaces) or previews an
update. A second machine mixes in inputs Heat or Glance must refuse. After
every step Glance is compared with heat_glance_meta_tests.model's
prediction, and the image id with its in place / replaced prediction; at
the end of each example the stack is deleted and its images must be gone.
A failure is shrunk to the smallest sequence and printed as the HOT
templates of its steps, which a person can replay with ``openstack stack
update``.

Gate mode (the default) is derandomised and small: [heat_glance_meta]
model_examples x model_steps. Exploration (release validation):
``model_explore = true`` and larger numbers.
"""

import collections
import json

from heatclient import exc as heat_exc
from hypothesis import HealthCheck
from hypothesis import note
from hypothesis import settings
from hypothesis import stateful
from hypothesis import strategies as st
from tempest import config
from tempest.lib.common.utils import data_utils
from tempest.lib import decorators
from testtools import content

from heat_glance_meta_tests.common import cleanup
from heat_glance_meta_tests.common import image_view
from heat_glance_meta_tests import known_defects
from heat_glance_meta_tests import model
from heat_glance_meta_tests import templates
from heat_glance_meta_tests.tests import base

CONF = config.CONF

KEYS = st.sampled_from(['build', 'stage', 'team', 'note', 'z\u00fcrich'])
VALUES = st.sampled_from(['1', '2', 'qa', '', '\u00e9t\u00e9'])
MAPS = st.dictionaries(KEYS, VALUES, max_size=4)
TAGS = st.lists(st.sampled_from(['alpha', 'beta', 'gamma']), unique=True,
                max_size=3)


class WebImageMachine(stateful.RuleBasedStateMachine):
    """One image stack, its template, and the model's view of it."""

    test = None  # the Tempest test case, set before each run

    def __init__(self):
        super().__init__()
        self.stack_id = None
        self.image = None
        self.history = []
        self.steps = 0
        self.races = 0
        # The template properties of the last update Heat accepted, failed
        # or not: what a PATCH update starts from.
        self.sent = None
        # Old images a replacement could not delete (D7), unprotected and
        # due to go with the next update that completes.
        self.lingering = set()
        # What the steps came to, by outcome and defect: which paths a run
        # really took.
        self.outcomes = collections.Counter()

    # Helpers -------------------------------------------------------------

    @staticmethod
    def _unique_name(kind):
        # Not data_utils.rand_name: Hypothesis seeds the random module
        # alike for every example, which would give every example's stack
        # the same name.
        return '%s-hgmt-model-%s-%s' % (CONF.resource_name_prefix, kind,
                                        data_utils.rand_uuid_hex()[:12])

    def _template(self, props):
        return templates.image_stack(
            extra_properties_parameter=bool(props.get(model.FROM_PARAMETER)),
            **{k: v for k, v in props.items()
               if k not in ('location', 'disk_format', 'container_format',
                            model.FROM_PARAMETER)})

    def _parameters(self, props):
        params = self.test.image_parameters(image_name=props['name'])
        if props.get(model.FROM_PARAMETER):
            params['extra_properties'] = props.get('extra_properties') or {}
        return params

    def _observe(self, image_id):
        image = self.test.get_image(image_id)
        members = []
        if image['visibility'] == 'shared':
            members = sorted(m['member_id'] for m in
                             self.test.glance.image_members.list(image_id))
        return image, {
            'name': image['name'], 'min_disk': image['min_disk'],
            'min_ram': image['min_ram'], 'protected': image['protected'],
            'visibility': image['visibility'], 'status': image['status'],
            'tags': sorted(image['tags']),
            'user_properties': image_view.user_properties(image),
            'members': members, 'owner': image['owner']}

    def _settle(self):
        """The settled stack, or None when the create race stopped it.

        The race's second face (L1) leaves the new image queued with a
        failed import, which Heat never notices (D6); the caller then
        starts the stack again (:meth:`_restart`) so that every replay of
        a sequence reaches the same state, which shrinking needs.
        """
        try:
            return self.test.wait_stack_settled(self.stack_id)
        except Exception:
            if known_defects.is_present('L1') and self._race_failed():
                self.races += 1
                return None
            raise

    def _race_failed(self):
        race, _ = self.test.failed_imports(self.stack_id)
        return bool(race)

    def _start(self, props):
        """Create the stack of ``props``; the settled stack or None."""
        name = self._unique_name('stack')
        body = self.test.heat.stacks.create(
            stack_name=name, template=templates.dump(self._template(props)),
            parameters=self._parameters(props))
        self.stack_id = body['stack']['id']
        self.test.remember_stack(name, self.stack_id)
        self.test.addCleanup(self.test.delete_stack, self.stack_id)
        return self._settle()

    def _restart(self, props):
        """A new stack of ``props`` after the create race stopped one."""
        self.lingering = set()
        for _attempt in range(3):
            self.test.delete_stack(self.stack_id)
            stack = self._start(props)
            if stack is not None:
                return stack
        self.test.fail('the create race (L1) stopped three creates in a row')

    def _record(self, props, how='PUT'):
        """Note the step as a person would replay it."""
        if how == 'PATCH':
            step = {'how': how, 'patch_parameters': {
                'extra_properties': props['extra_properties']}}
        else:
            template = self._template(props)
            template.pop('description', None)
            step = {'how': how, 'template': template,
                    'parameters': {k: v for k, v in self._parameters(
                        props).items() if k not in (
                            'location', 'disk_format', 'container_format')}}
        self.history.append(step)
        note('step %d (%s):\n%s' % (len(self.history), how,
                                    templates.dump(step)))

    def _check_created(self, prediction, image_id):
        """A create's image: the prediction, or the create race's shape.

        A map the create race (L1) wiped is put back through Glance, so
        that the rest of the sequence starts from the same state in every
        replay; the race itself is checked by the create tests.
        """
        image, seen = self._observe(image_id)
        if seen == prediction.view:
            return
        expected = dict(prediction.view)
        extra = model.effective(self.image.template)['extra_properties']
        lost = dict(expected, user_properties={
            k: v for k, v in expected['user_properties'].items()
            if k not in extra})
        if extra and seen == lost and known_defects.is_present('L1'):
            self.races += 1
            self.test.glance.images.update(image_id, **extra)
            image, seen = self._observe(image_id)
        self.test.assertEqual(expected, seen, 'Glance differs from the '
                              'model after a create')

    # Rules -----------------------------------------------------------------

    @stateful.initialize(extra=MAPS, tags=TAGS)
    def create(self, extra, tags):
        props = {'name': self._unique_name('image'),
                 'extra_properties': extra, 'tags': tags}
        # The model follows the defects it knows of; the rest it ignores.
        present = [d for d in known_defects.DEFECTS
                   if known_defects.is_present(d)]
        self.image = model.ImageModel.create(
            props, present=present, project_id=self.test.client.project_id)
        self._record(props, how='CREATE')
        self.sent = props
        stack = self._start(props) or self._restart(props)
        self.test.assertEqual('CREATE_COMPLETE', stack.stack_status,
                              base.status_reason(stack))
        self.image_id = self.test.image_id(self.stack_id)
        self._check_created(model.Prediction(
            model.REPLACED, model.created_view(
                props, self.test.client.project_id)), self.image_id)

    def _next(self, changes):
        """The template properties after ``changes`` (None: left out)."""
        new = dict(self.image.template)
        for key, value in changes.items():
            if value is None:
                new.pop(key, None)
            else:
                new[key] = value
        if new.get(model.FROM_PARAMETER):
            new['extra_properties'] = new.get('extra_properties') or {}
        if new.get('visibility') != 'shared' and 'members' not in changes:
            new.pop('members', None)
        return new

    def _update(self, **changes):
        new = self._next(changes)
        self._step(new, lambda: self.test.update_stack(
            self.stack_id, self._template(new),
            parameters=self._parameters(new), wait_for=None))

    def _step(self, new, send, how='PUT'):
        """Send one update, compare its outcome with the model's."""
        prediction = self.image.predict(new)
        self._record(new, how)
        self.steps += 1
        self.outcomes[' '.join(filter(None, (
            prediction.outcome, prediction.defect)))] += 1
        if prediction.outcome == model.REFUSED:
            return self._refused(prediction, send)
        send()
        self.sent = new
        stack = self._settle()
        done = 'UPDATE_COMPLETE'
        if stack is None:
            # Only a create races: this step's replacement, or the new
            # image of one D7 then stops. Start again from the new
            # template, as a replacement that completed would have.
            self.test.assertTrue(
                prediction.outcome == model.REPLACED or
                prediction.defect == 'D7',
                'the create race in a %s update' % prediction.outcome)
            stack, done = self._restart(new), 'CREATE_COMPLETE'
            prediction = model.Prediction(model.REPLACED, model.created_view(
                new, self.test.client.project_id))
        reason = base.status_reason(stack)
        if prediction.outcome == model.FAILED:
            self.test.assertEqual('UPDATE_FAILED', stack.stack_status,
                                  'the model predicted %s' % prediction)
            self.test.assertIn(prediction.reason, reason)
            if prediction.defect == 'D7':
                return self._after_blocked_replacement(new, prediction)
            self.image.apply(new, prediction)
            return
        self.test.assertEqual(done, stack.stack_status, reason)
        for old in sorted(self.lingering):
            # The update after D7 deletes the old image at last.
            self.test.assert_image_gone(old)
        self.lingering = set()
        self.image.apply(new, prediction)
        if prediction.outcome == model.REPLACED:
            image_id = self.test.image_id(self.stack_id)
            self.test.assertNotEqual(self.image_id, image_id,
                                     'the model predicted a new image')
            self.test.assert_image_gone(self.image_id)
            self.image_id = image_id
            self._check_created(prediction, image_id)
            return
        self._check_unchanged_id_view(prediction.view, prediction.outcome)

    def _after_blocked_replacement(self, new, prediction):
        """D7: the replacement exists, the protected old image stays.

        The new image is the resource now; the old one is found in Glance
        (Heat may still list it). An operator's way out is to unprotect
        the old image; the next update then deletes it.
        """
        old = self.image_id
        made = sorted(
            i for i in cleanup.stack_images(self.test.heat, self.stack_id,
                                            history=True)
            if i != old and i not in self.lingering and
            cleanup.image_exists(self.test.glance, i))
        self.test.assertEqual(1, len(made), 'D7: the stack should hold '
                              'its old image and one replacement')
        self.test.glance.images.update(old, protected=False)
        self.lingering.add(old)
        self.image.apply(new, prediction)
        self.image_id = made[0]
        self._check_created(prediction, self.image_id)

    def _check_unchanged_id_view(self, view, what):
        if not self.lingering:
            # (While D7's old image lingers, Heat lists either.)
            self.test.assertEqual(self.image_id,
                                  self.test.image_id(self.stack_id),
                                  'the model predicted the same image')
        image, seen = self._observe(self.image_id)
        self.test.assertEqual(view, seen, 'Glance differs from the model '
                              'after an %s update' % what)

    def _stack_status(self):
        return self.test.heat.stacks.get(
            self.test.stack_ref(self.stack_id),
            resolve_outputs=False).stack_status

    def _refused(self, prediction, send):
        """Heat must refuse the request and change nothing."""
        before = self._stack_status()
        try:
            send()
        except heat_exc.HTTPException as e:
            error = e
        else:
            self.test.fail('Heat accepted an update the model says it must '
                           'refuse: %s' % (prediction,))
        self.test.assertEqual(
            (prediction.http_status, True),
            (error.code, prediction.reason in str(error)),
            'the model predicted %s; Heat answered %s' % (prediction, error))
        self.test.assertEqual(
            before, self._stack_status(),
            'a refused update changed the stack')
        if not self.image.update_failed:
            self._check_unchanged_id_view(self.image.glance, 'refused')

    @stateful.rule(data=st.data())
    def set_extra_properties(self, data):
        current = self.image.template.get('extra_properties')
        self._update(extra_properties=data.draw(
            MAPS.filter(lambda m: m != current), label='extra_properties'))

    @stateful.precondition(lambda self: self.image and (
        'extra_properties' in self.image.template) and not (
            self.image.template.get(model.FROM_PARAMETER)))
    @stateful.rule()
    def leave_out_extra_properties(self):
        self._update(extra_properties=None)

    @stateful.rule(data=st.data())
    def rename_key_keeping_value(self, data):
        extra = dict(model.effective(self.image.template)[
            'extra_properties'])
        if not extra:
            return self._update(extra_properties={'build': '1'})
        old = data.draw(st.sampled_from(sorted(extra)))
        new = data.draw(KEYS.filter(lambda k: k not in extra))
        extra[new] = extra.pop(old)
        self._update(extra_properties=extra)

    def _set(self, data, key, choices):
        """Update ``key`` to a value drawn from ``choices``.

        The value as written now is left out of the draw: every step
        changes the template, while None against a written default (the
        same effective value, a different definition) stays possible.
        Values that change the image come first in ``choices``: Hypothesis
        draws early choices more often, and shrinks towards them.
        """
        current = self.image.template.get(key)
        self._update(**{key: data.draw(st.sampled_from(
            [c for c in choices if c != current]), label=key)})

    @stateful.rule(data=st.data())
    def set_tags(self, data):
        self._set(data, 'tags', [['alpha'], ['alpha', 'beta'], ['gamma'],
                                 None, []])

    @stateful.rule(data=st.data())
    def set_os_distro(self, data):
        self._set(data, 'os_distro', ['debian', 'ubuntu', None])

    @stateful.rule(data=st.data())
    def set_visibility(self, data):
        self._set(data, 'visibility',
                  ['community', 'shared', None, 'private'])

    @stateful.rule(data=st.data())
    def set_active(self, data):
        self._set(data, 'active', [False, None, True])

    @stateful.rule(data=st.data())
    def set_min_ram(self, data):
        self._set(data, 'min_ram', [64, 128, None, 0])

    @stateful.rule(data=st.data())
    def set_protected(self, data):
        self._set(data, 'protected', [True, None, False])

    @stateful.rule(members=st.sampled_from([(), ('alt',)]))
    def share_with_members(self, members):
        self._update(visibility='shared', members=[
            self.test.alt_project_id for _ in members])

    @stateful.precondition(lambda self: self.image and (
        self.image.template.get('owner') is None or
        not known_defects.is_present('D14')))
    @stateful.rule(data=st.data())
    def set_owner(self, data):
        # Leaving owner out orphans the image where D14 is present: the
        # project could no longer see it (AdminOwnerTest pins that).
        choices = [self.test.client.project_id]
        if not known_defects.is_present('D14'):
            choices.append(None)
        self._set(data, 'owner', choices)

    @stateful.rule()
    def write_map_as_parameter_or_literal(self):
        self._update(**{model.FROM_PARAMETER: not self.image.template.get(
            model.FROM_PARAMETER) or None})

    @stateful.precondition(
        lambda self: self.sent and self.sent.get(model.FROM_PARAMETER))
    @stateful.rule(extra=MAPS)
    def patch_extra_properties(self, extra):
        """A PATCH update (existing=true) sending only the parameter.

        Heat applies it to the template of the stack's last update, also
        when that update failed.
        """
        new = dict(self.sent, extra_properties=extra)
        self._step(new, lambda: self.test.update_stack(
            self.stack_id, parameters={'extra_properties': extra},
            existing=True, wait_for=None), how='PATCH')

    @stateful.rule(extra=MAPS, tags=TAGS)
    def preview(self, extra, tags):
        new = dict(self.image.template, extra_properties=extra, tags=tags)
        body = self.test.heat.stacks.preview_update(
            self.test.stack_ref(self.stack_id),
            template=templates.dump(self._template(new)),
            parameters=self._parameters(new))
        changes = body['resource_changes']
        listed = [kind for kind in ('updated', 'replaced', 'unchanged')
                  if any(r['resource_name'] == templates.RESOURCE
                         for r in changes.get(kind, []))]
        self.test.assertEqual(1, len(listed), 'preview of %s' % new)
        self.test.assertIn(listed[0], self.image.preview_answers(new),
                           'preview of %s' % new)

    def teardown(self):
        if not self.stack_id or self.image is None:
            return
        prediction = self.image.predict_delete()
        deleted = cleanup.delete_and_wait(
            self.test.heat, self.test.stack_ref(self.stack_id))
        # The suite's cleanup unprotects what D7 left and proves the
        # images gone either way.
        self.test.delete_stack(self.stack_id)
        self.test.assertEqual(
            prediction.outcome != model.FAILED, deleted,
            'the model predicted stack delete: %s' % prediction)


# Each: (the current map, a project id) -> the changes of one bad update.
REFUSED_INPUTS = {
    'non-string value': lambda extra, _: {
        'extra_properties': dict(extra, count=42)},
    'read-only key': lambda extra, _: {
        'extra_properties': dict(extra, status='ready')},
    'key over 255': lambda extra, _: {
        'extra_properties': dict(extra, **{'k' * 256: 'v'})},
    'reserved key': lambda extra, _: {
        'extra_properties': dict(extra, os_glance_note='x')},
    'tag over 255': lambda extra, _: {'tags': ['t' * 256]},
    'negative min_ram': lambda extra, _: {'min_ram': -1},
    'unknown visibility': lambda extra, _: {'visibility': 'hidden'},
    'members of a private image': lambda extra, project: {
        'visibility': 'private', 'members': [project]},
}


class RefusedInputMachine(WebImageMachine):
    """The same stack, with inputs Heat or Glance must refuse among updates.

    After each, the stack and the image are as the model says, and the
    sequence goes on from there.
    """

    @stateful.rule(kind=st.sampled_from(sorted(REFUSED_INPUTS)))
    def send_refused_input(self, kind):
        extra = dict(model.effective(self.image.template)['extra_properties'])
        self._update(**REFUSED_INPUTS[kind](extra, self.test.alt_project_id))


class StateMachineBase(base.HeatGlanceTest):
    """Runs one machine, sized by [heat_glance_meta] model_*.

    A failure attaches the shrunk sequence (detail ``model-reproducer``:
    the steps as HOT templates and parameters, or PATCH parameters), which
    the local cloud's run saves beside summary.json. Each machine is a
    class of its own, so that workers can run them side by side.
    """

    credentials = ['primary', 'alt']

    @classmethod
    def setup_credentials(cls):
        super().setup_credentials()
        cls.alt_project_id = cls.os_alt.credentials.project_id

    def run_machine(self, machine_class):
        options = CONF.heat_glance_meta
        machine_class.test = self
        machine_settings = settings(
            max_examples=options.model_examples,
            stateful_step_count=options.model_steps,
            derandomize=not options.model_explore,
            deadline=None, database=None, print_blob=False,
            suppress_health_check=list(HealthCheck))
        machines = []

        def machine():
            machines.append(machine_class())
            return machines[-1]
        try:
            stateful.run_state_machine_as_test(machine,
                                               settings=machine_settings)
        except Exception:
            # Hypothesis replays the shrunk sequence last.
            self.addDetail('model-reproducer', content.text_content(
                templates.dump(machines[-1].history)))
            raise
        finally:
            outcomes = sum((m.outcomes for m in machines),
                           collections.Counter())
            self.addDetail('model-steps', content.text_content(
                str(sum(m.steps for m in machines))))
            self.addDetail('model-outcomes', content.text_content(
                json.dumps(dict(sorted(outcomes.items())))))
            self.addDetail('model-create-races', content.text_content(
                str(sum(m.races for m in machines))))


class StateMachineTest(StateMachineBase):

    @decorators.idempotent_id('c80e8d59-1593-4d3d-a193-1a9b58bcaca5')
    def test_random_update_sequences_match_the_model(self):
        self.run_machine(WebImageMachine)


class RefusedInputStateMachineTest(StateMachineBase):

    @decorators.idempotent_id('5b0d6f5e-9a53-4f43-8d0e-2f3a4cf1b7d2')
    def test_refused_inputs_among_updates_match_the_model(self):
        self.run_machine(RefusedInputMachine)
