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
"""The local cloud's services, one module each, as devstack keeps lib/<name>.

Every service has the same small interface (base.Service): ``name`` (its
pid file, log and ``restart`` argument), ``ports`` (the listeners it
opens), ``init`` (one-time work before the first start: a data directory,
a schema), ``start`` and ``ready`` (truthy once it answers). ``cloud.Cloud``
composes them: ``up`` inits and starts them in ORDER (the independent ones
at the same time), ``down`` stops them in reverse (STOP_WAVES), ``restart``
and ``status`` read the same definitions.
"""

from heat_glance_meta_tests.localcloud.services import glance
from heat_glance_meta_tests.localcloud.services import heat
from heat_glance_meta_tests.localcloud.services import images
from heat_glance_meta_tests.localcloud.services import keystone
from heat_glance_meta_tests.localcloud.services import postgres
from heat_glance_meta_tests.localcloud.services import rabbitmq

ORDER = [postgres.Postgres(), rabbitmq.Epmd(), rabbitmq.RabbitMQ(),
         images.Images(), keystone.Keystone(), glance.Glance(),
         heat.HeatApi(), heat.HeatEngine()]
BY_NAME = {service.name: service for service in ORDER}
NAMES = [service.name for service in ORDER]
RESTARTABLE = [service.name for service in ORDER if service.restartable]
# ``down``, wave by wave, each wave's services at once (a uWSGI service
# takes about a second to stop): first the services and the engine, then
# what they use, then epmd, which RabbitMQ needs until it has exited.
BACKING = ('rabbitmq', 'postgres')
STOP_WAVES = [[s for s in reversed(ORDER)
               if s.name not in BACKING + ('epmd',)],
              [BY_NAME[name] for name in BACKING],
              [BY_NAME['epmd']]]
