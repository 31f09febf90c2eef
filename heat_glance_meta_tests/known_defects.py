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
"""Known Heat and Glance defects; the one way a test declares meeting one.

Each defect has an id (L1, D2, ...), a config option in
``[heat_glance_meta_known_defects]`` that says whether the cloud under test
still has it (default: present, as on Heat 27), and whether it is a race.

A test wraps the check that exposes a defect::

    with known_defects.expected(self, 'L1'):
        self.assertEqual(wanted, glance_properties)

* the check fails and the option says present: an expected failure whose
  reason names the defect and carries the original assertion;
* the check fails and the option says fixed: a plain failure, annotated;
* the check passes, the defect is deterministic and the option says present:
  an unexpected success (a failing outcome), so a cloud that has the fix
  is noticed and the option is flipped;
* the check passes and the defect is a race: a pass (the race was not hit).

Only ``failureException`` (assertion failures) counts as an observation;
any other error is a real error.
"""

import collections
import contextlib

from tempest import config

Defect = collections.namedtuple(
    'Defect', 'id option title race location')

DEFECTS = collections.OrderedDict((d.id, d) for d in [
    Defect('L1', 'create_properties_race',
           'extra_properties set at create are lost when Glance\'s import '
           'task saves the image after Heat\'s PATCH', True,
           'heat/engine/resources/openstack/glance/image.py '
           'GlanceWebImage.handle_create'),
    Defect('L2', 'members_update_in_place',
           'updating members in place fails: members reaches '
           'glanceclient images.update (TypeError)', False,
           'GlanceWebImage.handle_update'),
    Defect('D1', 'members_with_extra_properties',
           'members and extra_properties changed in one update: members '
           'leak into images.update', False,
           'GlanceWebImage.handle_update'),
    Defect('D2', 'empty_property_diff',
           'an update with an empty property diff raises '
           'UnboundLocalError (active)', False,
           'GlanceWebImage.handle_update'),
    Defect('D3', 'non_string_values_after_create',
           'non-string extra_properties values fail only after the image '
           'was created and its import started', False,
           'GlanceWebImage.handle_create'),
    Defect('D4', 'remove_first_class_property',
           'removing architecture, os_distro, os_version, kernel_id or '
           'ramdisk_id sends None, which the image schema rejects', False,
           'GlanceWebImage.handle_update'),
    Defect('D5', 'first_class_key_in_extra_properties',
           'an extra_properties key naming a first-class field changes it '
           'in place, bypassing replacement', False,
           'GlanceWebImage.handle_create/handle_update'),
    Defect('D6', 'failed_import_never_detected',
           'a failed web-download import leaves the image queued and Heat '
           'waits until the stack times out', False,
           'GlanceWebImage.check_create_complete'),
    Defect('D7', 'protected_image_delete',
           'stack delete or replacement of a protected image fails '
           '(Glance 403); a replacement leaves the old image behind',
           False,
           'GlanceWebImage (no handle_delete)'),
    Defect('D8', 'live_state_parsing',
           'live state always reports id, and active/members as None', False,
           'GlanceWebImage.parse_live_resource_data'),
    Defect('D9', 'explicit_id_replacement',
           'replacing an image with an explicit id collides with the old '
           'image (409)', False,
           'GlanceWebImage (replacement with id)'),
    Defect('D11', 'show_attribute_in_resource_show',
           'resource show with the show attribute answers 500: the image '
           'is a glanceclient model the RPC layer cannot serialise', False,
           'GlanceWebImage has no _show_resource returning a plain dict'),
    Defect('D12', 'validate_skips_property_values',
           'template validate accepts property values that stack create '
           'refuses (extra_properties that is not a map)', False,
           'heat/engine/service.py validate_template '
           '(validate_res_tmpl_only=True)'),
    Defect('D13', 'property_dependency_server_error',
           'members with a visibility other than shared: Heat answers 500 '
           '(Internal Server Error), not 400, at preview and stack create',
           False,
           'heat/api/middleware/fault.py error_map has no '
           'ResourcePropertyValueDependency (raised by '
           'GlanceWebImage.validate)'),
    Defect('D14', 'owner_removal_orphans_image',
           'leaving owner out of the template sends owner None, which '
           'Glance accepts: the image is left with no owner', False,
           'GlanceWebImage.handle_update'),
    Defect('D15', 'check_not_supported',
           'stack check reports CHECK_COMPLETE for an image deleted behind '
           'Heat: the resource has no handle_check ("CHECK not supported")',
           False, 'GlanceWebImage (no handle_check)'),
    Defect('D16', 'convergence_engine_restart',
           'convergence engine only: a stack whose create or update outlasts '
           'heat-engine\'s graceful stop stays IN_PROGRESS when the engine '
           'is back (reset_stack_status skips convergence stacks); the '
           'legacy engine marks it FAILED ("Engine went down")', False,
           'heat/engine/service.py EngineService.reset_stack_status'),
    Defect('G1', 'long_key_server_error',
           'Glance answers 500, not 400, to a property key over 255 '
           'characters', False,
           'glance/api/v2/images.py (no key length check on PATCH)'),
    Defect('G2', 'renamed_key_move_patch',
           'renaming a key while keeping its value fails: glanceclient '
           'sends a JSON-patch "move", which Glance refuses (400)', False,
           'glanceclient/v2/schemas.py SchemaBasedModel.patch '
           '(jsonpatch.make_patch)'),
    Defect('G3', 'delete_during_import_server_error',
           'deleting an image while its web-download import task still '
           'writes it can answer 500 (the delete and the task update the '
           'same property rows); a rollback that deletes the replacement '
           'as its import ends then fails', True,
           'glance/db/sqlalchemy/api.py image_destroy against the import '
           "task (Glance's import flow, api_image_import.py)"),
])

GROUP = 'heat_glance_meta_known_defects'


def is_present(defect_id):
    """Whether the configuration says the cloud still has the defect."""
    defect = DEFECTS[defect_id]
    return getattr(getattr(config.CONF, GROUP), defect.option)


def describe(defect_id):
    d = DEFECTS[defect_id]
    return 'known defect %s (%s): %s [%s]' % (d.id, d.option, d.title,
                                              d.location)


@contextlib.contextmanager
def expected(test, defect_id):
    """Run the enclosed check as the observation of ``defect_id``."""
    defect = DEFECTS[defect_id]
    present = is_present(defect_id)
    try:
        yield
    except test.failureException as e:
        observation = str(e)
        if not present:
            raise test.failureException(
                '%s is configured fixed ([%s] %s = False) but was observed: '
                '%s' % (defect.id, GROUP, defect.option, observation))
        test.expectFailure(
            '%s; observed: %s' % (describe(defect_id), observation),
            _raise, e)
        return
    if present and not defect.race:
        test.expectFailure(
            '%s did not reproduce: the cloud seems to have the fix; set '
            '[%s] %s = False' % (describe(defect_id), GROUP, defect.option),
            lambda: None)


def _raise(exc):
    raise exc
