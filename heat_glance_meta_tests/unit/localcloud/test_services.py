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
"""The order in which ``down`` stops the services."""

import testtools

from heat_glance_meta_tests.localcloud import services


class StopWavesTest(testtools.TestCase):

    def wave_of(self):
        return {service.name: number
                for number, wave in enumerate(services.STOP_WAVES)
                for service in wave}

    def test_every_service_stops_exactly_once(self):
        names = [s.name for wave in services.STOP_WAVES for s in wave]
        self.assertEqual(sorted(services.NAMES), sorted(names))

    def test_what_a_service_uses_stops_after_it(self):
        wave = self.wave_of()
        users = [n for n in services.NAMES
                 if n not in ('postgres', 'rabbitmq', 'epmd')]
        for user in users:
            self.assertLess(wave[user], wave['postgres'], user)
            self.assertLess(wave[user], wave['rabbitmq'], user)
        # RabbitMQ needs epmd until it has exited.
        self.assertLess(wave['rabbitmq'], wave['epmd'])
