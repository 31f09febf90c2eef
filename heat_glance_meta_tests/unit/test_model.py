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
"""The model's predictions, pinned for each property and known defect."""

import testtools

from heat_glance_meta_tests import model

BASE = {'name': 'img', 'location': 'http://x/a.img', 'disk_format': 'raw',
        'container_format': 'bare'}
ALL_HEAT_27 = ('L2', 'D1', 'D2', 'D3', 'D4', 'D5', 'D7', 'D9', 'D13', 'D14',
               'G1', 'G2')


def image(present=(), **props):
    return model.ImageModel.create(dict(BASE, **props), present=present,
                                   project_id='p1')


class CreatedViewTest(testtools.TestCase):

    def test_defaults(self):
        self.assertEqual(
            {'name': 'img', 'min_disk': 0, 'min_ram': 0, 'protected': False,
             'visibility': 'private', 'status': 'active', 'tags': [],
             'user_properties': {}, 'members': [], 'owner': 'p1'},
            model.created_view(BASE, 'p1'))

    def test_values(self):
        view = model.created_view(dict(
            BASE, active=False, tags=['b', 'a'], os_distro='debian',
            extra_properties={'k': 'v'}, visibility='shared',
            members=['m'], protected=True), 'p1')
        self.assertEqual(('deactivated', ['a', 'b'], True, ['m']),
                         (view['status'], view['tags'], view['protected'],
                          view['members']))
        self.assertEqual({'k': 'v', 'os_distro': 'debian'},
                         view['user_properties'])


class InPlaceOrReplacedTest(testtools.TestCase):
    """Every property: in place if update_allowed, else replaced."""

    VALUES = {'name': 'other', 'id': 'a1b2c3d4-0000-4000-8000-0123456789ab',
              'min_disk': 1, 'min_ram': 64, 'disk_format': 'qcow2',
              'container_format': 'ovf', 'location': 'http://x/b.img',
              'protected': True, 'tags': ['t'], 'architecture': 'x86_64',
              'kernel_id': 'a1b2c3d4-0000-4000-8000-0123456789ab',
              'os_distro': 'debian', 'os_version': '12', 'owner': 'p2',
              'extra_properties': {'k': 'v'}, 'visibility': 'shared',
              'ramdisk_id': 'a1b2c3d4-0000-4000-8000-0123456789ab',
              'active': False, 'members': ['m']}

    def test_every_property_is_classified(self):
        self.assertEqual(set(self.VALUES),
                         model.REPLACING | model.UPDATABLE)

    def test_each_property_change(self):
        for key, value in self.VALUES.items():
            props = dict(BASE, **{key: value})
            if key == 'members':
                props['visibility'] = 'shared'
            prediction = image().predict(props)
            expected = (model.REPLACED if key in model.REPLACING
                        else model.IN_PLACE)
            self.assertEqual(expected, prediction.outcome, key)
            self.assertIsNone(prediction.defect, key)

    def test_default_value_is_no_change(self):
        self.assertEqual(model.UNCHANGED, image().predict(
            dict(BASE, min_disk=0, visibility='private',
                 extra_properties={})).outcome)

    def test_preview(self):
        self.assertEqual('replaced', image().preview(dict(BASE, min_ram=1)))
        self.assertEqual('updated', image().preview(dict(BASE, tags=['t'])))
        self.assertEqual('unchanged', image().preview(dict(BASE)))

    def test_after_a_failed_update_the_next_one_replaces(self):
        img = image(present=ALL_HEAT_27, os_distro='debian')
        new = dict(BASE)
        failed = img.predict(new)
        img.apply(new, failed)
        prediction = img.predict(dict(BASE, tags=['t']))
        self.assertEqual(model.REPLACED, prediction.outcome)
        self.assertEqual('replaced', img.preview(dict(BASE, tags=['t'])))


class ExtraPropertiesTest(testtools.TestCase):

    def _view(self, start, end, present=ALL_HEAT_27):
        img = image(present=present, extra_properties=start)
        new = dict(BASE, extra_properties=end)
        prediction = img.predict(new)
        return prediction

    def test_add_change_remove(self):
        prediction = self._view({'a': '1', 'b': '2'}, {'a': '3', 'c': '4'})
        self.assertEqual((model.IN_PLACE, {'a': '3', 'c': '4'}),
                         (prediction.outcome,
                          prediction.view['user_properties']))

    def test_omitted_map_removes_every_key(self):
        img = image(extra_properties={'a': '1'})
        self.assertEqual({}, img.predict(dict(BASE)).view['user_properties'])

    def test_renamed_key_with_the_same_value_is_g2(self):
        prediction = self._view({'a': '1'}, {'b': '1'})
        self.assertEqual((model.FAILED, 'G2'),
                         (prediction.outcome, prediction.defect))
        fixed = self._view({'a': '1'}, {'b': '1'}, present=())
        self.assertEqual({'b': '1'}, fixed.view['user_properties'])

    def test_update_after_the_create_race_heals_only_the_sent_keys(self):
        img = image(extra_properties={'a': '1', 'b': '2'})
        img.lost_map()
        self.assertEqual({}, img.glance['user_properties'])
        # Only tags change: the lost map stays lost.
        prediction = img.predict(dict(BASE, extra_properties={'a': '1',
                                                              'b': '2'},
                                      tags=['t']))
        self.assertEqual({}, prediction.view['user_properties'])
        # A map change re-sends the whole map.
        prediction = img.predict(dict(BASE, extra_properties={'a': '1',
                                                              'b': '3'}))
        self.assertEqual({'a': '1', 'b': '3'},
                         prediction.view['user_properties'])


class KnownDefectsTest(testtools.TestCase):
    """Each modelled defect: its Heat 27 outcome, and the correct one."""

    def _both(self, defect, start, end):
        present = image(present=ALL_HEAT_27, **start).predict(
            dict(BASE, **end))
        fixed = image(present=set(ALL_HEAT_27) - {defect}, **start).predict(
            dict(BASE, **end))
        return present, fixed

    def test_l2_members_update(self):
        present, fixed = self._both('L2', {'visibility': 'shared'},
                                    {'visibility': 'shared',
                                     'members': ['m']})
        self.assertEqual((model.FAILED, 'L2'),
                         (present.outcome, present.defect))
        self.assertEqual(['m'], fixed.view['members'])

    def test_d1_members_with_extra_properties(self):
        present, fixed = self._both(
            'D1', {'visibility': 'shared'},
            {'visibility': 'shared', 'members': ['m'],
             'extra_properties': {'k': 'v'}})
        self.assertEqual('D1', present.defect)
        # Fixed D1 still leaves L2 present for members.
        self.assertEqual('L2', fixed.defect)

    def test_d4_removing_a_first_class_property(self):
        for key in model.FIRST_CLASS_PROPERTIES:
            present, fixed = self._both('D4', {key: 'v'}, {})
            self.assertEqual((model.FAILED, 'D4'),
                             (present.outcome, present.defect), key)
            self.assertEqual({}, fixed.view['user_properties'], key)

    def test_d9_replacing_with_an_explicit_id(self):
        uuid = 'a1b2c3d4-0000-4000-8000-0123456789ab'
        present, fixed = self._both('D9', {'id': uuid},
                                    {'id': uuid, 'min_ram': 64})
        self.assertEqual('D9', present.defect)
        self.assertEqual(model.REPLACED, fixed.outcome)

    def test_d14_removing_owner(self):
        present, fixed = self._both('D14', {'owner': 'p2'}, {})
        self.assertEqual((model.IN_PLACE, None, 'D14'),
                         (present.outcome, present.view['owner'],
                          present.defect))
        self.assertEqual('p2', fixed.view['owner'])

    def test_preview_of_a_written_out_default_is_an_update(self):
        img = image(present=ALL_HEAT_27)
        self.assertEqual('updated', img.preview(dict(
            BASE, extra_properties={})))
        self.assertEqual('unchanged', img.preview(dict(BASE)))

    def test_d2_definition_changed_values_did_not(self):
        # Found by the state machine: {} written out, then left out.
        present, fixed = self._both('D2', {'extra_properties': {}}, {})
        self.assertEqual((model.FAILED, 'D2'),
                         (present.outcome, present.defect))
        self.assertEqual(model.UNCHANGED, fixed.outcome)

    def test_d7_replacing_a_protected_image(self):
        present, fixed = self._both('D7', {'protected': True},
                                    {'protected': False, 'min_ram': 64})
        self.assertEqual((model.FAILED, 'D7'),
                         (present.outcome, present.defect))
        self.assertEqual((model.REPLACED, False),
                         (fixed.outcome, fixed.view['protected']))

    def test_d7_the_replacement_is_made_and_becomes_the_image(self):
        img = image(present=ALL_HEAT_27, protected=True)
        new = dict(BASE, protected=True, min_ram=64)
        prediction = img.predict(new)
        self.assertEqual((True, 64), (prediction.view['protected'],
                                      prediction.view['min_ram']))
        img.apply(new, prediction)
        # The next update goes to the new image, in place, though preview
        # may read the old image Heat still lists and say replaced.
        later = dict(new, tags=['t'])
        self.assertEqual((1, model.IN_PLACE, {'replaced', 'updated'}), (
            img.generation, img.predict(later).outcome,
            img.preview_answers(later)))
        img.apply(later, img.predict(later))
        self.assertEqual({'updated'},
                         img.preview_answers(dict(later, tags=['u'])))

    def test_d7_stack_delete_of_a_protected_image(self):
        self.assertEqual((model.FAILED, 'D7'), (
            lambda p: (p.outcome, p.defect))(image(
                present=ALL_HEAT_27, protected=True).predict_delete()))
        self.assertEqual('deleted', image(
            present=set(ALL_HEAT_27) - {'D7'},
            protected=True).predict_delete().outcome)
        self.assertEqual('deleted', image(
            present=ALL_HEAT_27).predict_delete().outcome)


class RefusedInputTest(testtools.TestCase):
    """Inputs Heat must refuse before it acts, or Glance must refuse."""

    def predict(self, present=ALL_HEAT_27, **end):
        return image(present=present, extra_properties={'a': '1'}).predict(
            dict(BASE, **end))

    def test_constraints_refuse_the_request(self):
        for end in ({'min_ram': -1}, {'min_disk': -1},
                    {'visibility': 'hidden'}):
            prediction = self.predict(**end)
            self.assertEqual((model.REFUSED, 400, None),
                             (prediction.outcome, prediction.http_status,
                              prediction.defect), end)

    def test_d13_members_of_a_private_image(self):
        present = self.predict(members=['m'])
        fixed = self.predict(present=set(ALL_HEAT_27) - {'D13'},
                             members=['m'])
        self.assertEqual((model.REFUSED, 500, 'D13'), (
            present.outcome, present.http_status, present.defect))
        self.assertEqual((model.REFUSED, 400, None), (
            fixed.outcome, fixed.http_status, fixed.defect))

    def test_d3_non_string_value(self):
        present = self.predict(extra_properties={'a': 42})
        fixed = self.predict(present=set(ALL_HEAT_27) - {'D3'},
                             extra_properties={'a': 42})
        self.assertEqual((model.FAILED, 'D3'),
                         (present.outcome, present.defect))
        self.assertEqual(model.REFUSED, fixed.outcome)

    def test_d5_read_only_key(self):
        present = self.predict(extra_properties={'status': 'ready'})
        fixed = self.predict(present=set(ALL_HEAT_27) - {'D5'},
                             extra_properties={'status': 'ready'})
        self.assertEqual((model.FAILED, 'D5'),
                         (present.outcome, present.defect))
        self.assertEqual(model.REFUSED, fixed.outcome)

    def test_g1_key_over_255(self):
        present = self.predict(extra_properties={'k' * 256: 'v'})
        fixed = self.predict(present=set(ALL_HEAT_27) - {'G1'},
                             extra_properties={'k' * 256: 'v'})
        self.assertEqual((model.FAILED, 'G1', 'HTTP 500'),
                         (present.outcome, present.defect, present.reason))
        self.assertEqual((model.FAILED, None, 'HTTP 400'),
                         (fixed.outcome, fixed.defect, fixed.reason))
        self.assertEqual(model.IN_PLACE, self.predict(
            extra_properties={'k' * 255: 'v'}).outcome)

    def test_glance_refusals_fail_the_update(self):
        for end, reason in (
                ({'extra_properties': {'os_glance_x': 'v'}}, 'is reserved'),
                ({'tags': ['t' * 256]}, 'is too long')):
            prediction = self.predict(**end)
            self.assertEqual((model.FAILED, reason, None),
                             (prediction.outcome, prediction.reason,
                              prediction.defect), end)

    def test_a_refused_request_changes_nothing(self):
        img = image(present=ALL_HEAT_27)
        before = (dict(img.template), dict(img.glance), img.update_failed)
        new = dict(BASE, min_ram=-1)
        img.apply(new, img.predict(new))
        self.assertEqual(before, (img.template, img.glance,
                                  img.update_failed))

    def test_a_bad_value_in_a_replacement_fails_it(self):
        prediction = self.predict(min_ram=64, extra_properties={'a': 42})
        self.assertEqual((model.FAILED, 'D3'),
                         (prediction.outcome, prediction.defect))


class ParameterTest(testtools.TestCase):

    def test_taking_the_map_from_a_parameter_changes_nothing(self):
        img = image(present=ALL_HEAT_27, extra_properties={'a': '1'})
        self.assertEqual(model.UNCHANGED, img.predict(dict(
            BASE, extra_properties={'a': '1'},
            **{model.FROM_PARAMETER: True})).outcome)
