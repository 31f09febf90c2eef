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
"""What Heat and Glance must do with one OS::Glance::WebImage: a model.

Plain Python, no cloud. Given the image's template properties before and
after a stack update, and what Glance holds, the model predicts the outcome:
the image updated in place or replaced (a new id), or the update failed
with which reason, and the exact Glance view afterwards (user properties,
tags, first-class fields, visibility, protected, status, members, owner).

It follows Heat's documented semantics (the resource's properties_schema:
defaults, update_allowed; the resource documentation), not the code's
accidents. Where Heat 27 differs, the difference is a known defect: the
model predicts the defect's behaviour while the configuration says the
cloud has it (``present`` below), and the correct one otherwise, so that a
run excuses exactly the declared defects.
"""

import dataclasses
import typing

# Heat's published defaults (schema_coverage.yaml has the whole contract).
DEFAULTS = {'min_disk': 0, 'min_ram': 0, 'protected': False,
            'visibility': 'private', 'active': True, 'extra_properties': {}}
# Properties Heat documents as replacing the image when they change.
REPLACING = frozenset(['name', 'id', 'min_disk', 'min_ram', 'disk_format',
                       'container_format', 'location'])
UPDATABLE = frozenset(['protected', 'tags', 'architecture', 'kernel_id',
                       'os_distro', 'os_version', 'owner', 'extra_properties',
                       'visibility', 'ramdisk_id', 'active', 'members'])
# First-class fields that Glance shows among the user properties.
FIRST_CLASS_PROPERTIES = ('architecture', 'os_distro', 'os_version',
                          'kernel_id', 'ramdisk_id')
# Image fields only Glance sets; a map key naming one cannot be applied.
READ_ONLY_FIELDS = frozenset(['status', 'id', 'checksum', 'size',
                              'created_at', 'updated_at', 'file', 'schema',
                              'self', 'direct_url', 'locations',
                              'os_hash_algo', 'os_hash_value',
                              'virtual_size'])
ALLOWED_VISIBILITY = ('public', 'private', 'community', 'shared')
# Not a property: the template takes the map from a json parameter (a
# PATCH can then change it with parameters only). Heat compares resolved
# values, so this alone changes nothing; the map is then always written
# (the parameter's default is {}).
FROM_PARAMETER = 'extra_properties_from_parameter'
# Glance's longest property key and tag (its image schema).
GLANCE_MAX_KEY = 255
# Outcomes. REFUSED: Heat refuses the request itself; nothing changes.
# FAILED: the stack update ends UPDATE_FAILED.
IN_PLACE, REPLACED, FAILED, UNCHANGED, REFUSED = (
    'in place', 'replaced', 'failed', 'unchanged', 'refused')


def effective(properties):
    """Template properties with Heat's defaults applied (None: unset)."""
    out = dict(DEFAULTS)
    out.update({k: v for k, v in properties.items()
                if v is not None and k != FROM_PARAMETER})
    return out


def changed(old, new):
    """The property names whose effective value differs."""
    old, new = effective(old), effective(new)
    return sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))


def created_view(properties, project_id=None):
    """Glance's view of an image Heat creates from these properties."""
    props = effective(properties)
    user = dict(props['extra_properties'])
    user.update({k: props[k] for k in FIRST_CLASS_PROPERTIES
                 if props.get(k) is not None})
    return {
        'name': props.get('name'),
        'min_disk': props['min_disk'],
        'min_ram': props['min_ram'],
        'protected': props['protected'],
        'visibility': props['visibility'],
        'status': 'active' if props['active'] else 'deactivated',
        'tags': sorted(set(props.get('tags') or [])),
        'user_properties': user,
        'members': sorted(set(props.get('members') or [])),
        'owner': props.get('owner') or project_id,
    }


@dataclasses.dataclass
class Prediction:
    """The outcome the model predicts for one stack update."""

    outcome: str
    view: typing.Optional[dict]
    # The reason Heat must give when the outcome is FAILED.
    reason: str = ''
    # The known defect the outcome follows (a Heat 27 behaviour the model
    # says is wrong), or None when Heat does what it documents.
    defect: typing.Optional[str] = None
    # For REFUSED: the HTTP status of Heat's answer.
    http_status: typing.Optional[int] = None


@dataclasses.dataclass
class ImageModel:
    """One WebImage: its template properties, Glance's view, Heat's state.

    ``glance`` is what Glance holds now; it can differ from
    ``created_view(template)`` after a declared defect (the create race
    wiping the map, say), which is why updates are predicted from it.
    """

    template: dict
    glance: dict
    generation: int = 0
    update_failed: bool = False
    # A replacement made the new image but could not delete the old (D7);
    # the next update that completes deletes it.
    blocked: bool = False
    present: frozenset = frozenset()
    project_id: typing.Optional[str] = None

    @classmethod
    def create(cls, template, present=(), project_id=None):
        return cls(dict(template), created_view(template, project_id),
                   present=frozenset(present), project_id=project_id)

    # Predictions -------------------------------------------------------

    def predict(self, new):
        """The outcome of a stack update to template properties ``new``."""
        diff = changed(self.template, new)
        # Heat replaces a resource whose last update failed; a replacement
        # sends every property, an in-place update only the changed ones.
        replacing = self.update_failed or bool(set(diff) & REPLACING)
        refusal = self._refusal(new, None if replacing else diff)
        if refusal and refusal.outcome == REFUSED:
            return refusal
        if self.update_failed:
            return refusal or self._replacement(new)
        if not diff:
            if self._as_written(self.template) != self._as_written(new) and (
                    'D2' in self.present):
                # The resource's definition changed, its values did not:
                # Heat 27 calls handle_update with an empty diff.
                return Prediction(FAILED, None, "local variable 'active'",
                                  'D2')
            return Prediction(UNCHANGED, dict(self.glance))
        if replacing:
            if effective(new).get('id') is not None and 'D9' in self.present:
                return Prediction(FAILED, None, 'already exists', 'D9')
            return refusal or self._replacement(new)
        return refusal or self._in_place(new, diff)

    def _refusal(self, new, diff=None):
        """REFUSED or FAILED for a value Heat or Glance must refuse.

        ``diff``: the properties an in-place update sends (None: a create
        sends them all).

        Heat checks the schema's constraints and the resource's validate()
        before it changes anything (REFUSED, HTTP 400). What only Glance
        knows (its reserved keys, its key and tag lengths) fails the update
        (FAILED). Non-string map values and keys naming a read-only image
        field are Heat's to refuse; Heat 27 lets them through to Glance
        (D3, D5), where the update fails.
        """
        props = effective(new)
        for key in ('min_disk', 'min_ram'):
            if props[key] < 0:
                return Prediction(REFUSED, None, 'is out of range',
                                  http_status=400)
        if props['visibility'] not in ALLOWED_VISIBILITY:
            return Prediction(REFUSED, None, 'is not an allowed value',
                              http_status=400)
        if props.get('members') and props['visibility'] != 'shared':
            d13 = 'D13' in self.present
            return Prediction(
                REFUSED, None, 'should only be specified for visibility',
                'D13' if d13 else None, http_status=500 if d13 else 400)
        sent = set(diff if diff is not None else props)
        extra = props['extra_properties'] if 'extra_properties' in sent else {}
        if any(not isinstance(v, str) for v in extra.values()):
            if 'D3' in self.present:
                return Prediction(FAILED, None, "is not of type 'string'",
                                  'D3')
            return Prediction(REFUSED, None, 'string', http_status=400)
        if any(k in READ_ONLY_FIELDS for k in extra):
            if 'D5' in self.present:
                return Prediction(FAILED, None, 'Unable to set', 'D5')
            return Prediction(REFUSED, None, 'extra_properties',
                              http_status=400)
        if any(len(k) > GLANCE_MAX_KEY for k in extra):
            g1 = 'G1' in self.present
            return Prediction(FAILED, None,
                              'HTTP 500' if g1 else 'HTTP 400',
                              'G1' if g1 else None)
        if any(k.startswith('os_glance') for k in extra):
            return Prediction(FAILED, None, 'is reserved')
        tags = (props.get('tags') or ()) if 'tags' in sent else ()
        if any(len(t) > GLANCE_MAX_KEY for t in tags):
            return Prediction(FAILED, None, 'is too long')
        return None

    @staticmethod
    def _as_written(properties):
        # Heat compares resolved values: a map taken from a parameter is
        # written as the value it resolves to.
        return {k: v for k, v in properties.items()
                if v is not None and k != FROM_PARAMETER}

    def preview_answers(self, new):
        """What the update preview may list the image as.

        One answer, but two after D7: the resource then has two rows in
        Heat (the old image, whose delete failed, and the new one), and
        Heat previews from either.
        """
        answer = self.preview(new)
        return {answer, 'replaced'} if self.blocked else {answer}

    def preview(self, new):
        """What the update preview must list the image as."""
        if self.update_failed or set(changed(self.template, new)) & REPLACING:
            return 'replaced'
        # Heat compares definitions: a default written out, or left out,
        # is an update of the resource though no value changes.
        if changed(self.template, new) or (
                self._as_written(self.template) != self._as_written(new)):
            return 'updated'
        return 'unchanged'

    def _replacement(self, new):
        view = created_view(new, self.project_id)
        if self.glance['protected'] and 'D7' in self.present:
            # Heat creates the new image, which becomes the resource, then
            # cannot delete the old one: the update fails, the old image
            # stays until someone unprotects it (each later update tries
            # to delete it again).
            return Prediction(FAILED, view, 'is protected and cannot be '
                              'deleted', 'D7')
        return Prediction(REPLACED, view)

    def predict_delete(self):
        """Stack delete: 'deleted', or FAILED for a protected image (D7)."""
        if self.glance['protected'] and 'D7' in self.present:
            return Prediction(FAILED, None, 'is protected and cannot be '
                              'deleted', 'D7')
        return Prediction('deleted', None)

    def _in_place(self, new, diff):
        old_props, new_props = effective(self.template), effective(new)
        failure = self._defective_update(old_props, new_props, diff)
        if failure:
            return failure
        # Heat sends the difference between the two templates; what Glance
        # holds beyond it (a map the create race wiped) stays as it is.
        view = dict(self.glance, user_properties=dict(
            self.glance['user_properties']))
        user = view['user_properties']
        if 'extra_properties' in diff:
            for key in (set(old_props['extra_properties']) -
                        set(new_props['extra_properties'])):
                user.pop(key, None)
            user.update(new_props['extra_properties'])
        for key in FIRST_CLASS_PROPERTIES:
            if key in diff and new_props.get(key) is None:
                user.pop(key, None)
            elif key in diff:
                user[key] = new_props[key]
        target = created_view(new, self.project_id)
        for key in ('protected', 'visibility', 'status', 'tags', 'members'):
            view[key] = target[key]
        defect = None
        if 'owner' in diff:
            if new_props.get('owner') is not None:
                view['owner'] = new_props['owner']
            elif 'D14' in self.present:
                view['owner'] = None
                defect = 'D14'
        return Prediction(IN_PLACE, view, defect=defect)

    def _defective_update(self, old, new, diff):
        """The FAILED prediction of a declared defect, else None."""
        present = self.present
        if 'members' in diff:
            if 'extra_properties' in diff and 'D1' in present:
                return Prediction(FAILED, None, "Unable to set 'members'",
                                  'D1')
            if 'L2' in present:
                return Prediction(FAILED, None, "Unable to set 'members'",
                                  'L2')
        removed = [k for k in FIRST_CLASS_PROPERTIES
                   if k in diff and new.get(k) is None]
        if removed and 'D4' in present:
            return Prediction(FAILED, None,
                              "Unable to set '%s' to None" % removed[0],
                              'D4')
        if 'extra_properties' in diff and 'G2' in present and self._moves(
                old, new):
            return Prediction(FAILED, None, 'Invalid operation: `move`',
                              'G2')
        return None

    def _moves(self, old, new):
        """glanceclient's JSON patch would hold a ``move`` (G2).

        The patch goes from what Glance holds to the new properties; a key
        it removes whose value equals a key it adds becomes a move.
        """
        held = self.glance['user_properties']
        wanted = dict(new['extra_properties'])
        removed = set(old['extra_properties']) - set(wanted)
        removed_values = [held[k] for k in removed if k in held]
        added_values = [v for k, v in wanted.items() if k not in held]
        return any(v in removed_values for v in added_values)

    # Applying what was observed ------------------------------------------

    def apply(self, new, prediction):
        """Move the model to the state after ``prediction`` came true."""
        if prediction.outcome == REFUSED:
            return
        if prediction.outcome == FAILED and prediction.view is None:
            self.update_failed = True
            return
        # Done, or failed after the replacement was made (D7).
        self.blocked = prediction.outcome == FAILED
        self.update_failed = False
        self.template = dict(new)
        if prediction.outcome in (REPLACED, FAILED):
            self.generation += 1
        self.glance = dict(prediction.view)

    def lost_map(self):
        """The create race (L1) wiped the new image's extra_properties."""
        extra = effective(self.template)['extra_properties']
        self.glance['user_properties'] = {
            k: v for k, v in self.glance['user_properties'].items()
            if k not in extra}
