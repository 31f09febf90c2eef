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
"""Configuration options of the plugin, in three groups.

``[heat_glance_meta]`` where test images come from and how long to wait;
``[heat_glance_meta_feature_enabled]`` what the cloud under test offers;
``[heat_glance_meta_faults]`` how to restart its services, for the fault
tests only; ``[heat_glance_meta_known_defects]`` which known Heat defects
it still has (one option per defect, generated from
known_defects.DEFECTS).
"""

from oslo_config import cfg

from heat_glance_meta_tests import known_defects

settings_group = cfg.OptGroup(
    name='heat_glance_meta',
    title='Heat orchestration of Glance image metadata: test settings')

SettingsGroup = [
    cfg.StrOpt('image_url',
               help='URL of a small raw image that Glance can fetch with '
                    'the web-download import method (Glance\'s '
                    '[import_filtering_opts] must allow its scheme, host '
                    'and port). Tests that create images skip when unset.'),
    cfg.StrOpt('alt_image_url',
               help='URL of a second, different small raw image, for the '
                    'test that replaces an image by changing its location. '
                    'That test skips when unset.'),
    cfg.StrOpt('missing_image_url',
               help='A URL on an allowed host that answers 404, for the '
                    'failed-import tests. They skip when unset.'),
    cfg.StrOpt('slow_image_url',
               help='URL of a small raw image whose download takes tens '
                    'of seconds (the local cloud\'s image server serves '
                    '/slow/SECONDS/NAME), for the tests that act while an '
                    'import is in progress (cancel update). They skip '
                    'when unset.'),
    cfg.StrOpt('disk_format', default='raw',
               help='disk_format of the test images.'),
    cfg.StrOpt('container_format', default='bare',
               help='container_format of the test images.'),
    cfg.StrOpt('endpoint_type', default='public',
               choices=['public', 'internal', 'admin'],
               help='Catalog interface used for Heat and Glance.'),
    cfg.FloatOpt('build_timeout', default=300.0, min=1.0,
                 help='Seconds to wait for a stack or image to reach a '
                      'state.'),
    cfg.FloatOpt('import_start_timeout', default=10.0, min=1.0,
                 help='Seconds an image of a stack being created may stay '
                      'queued with no import task in Glance before the '
                      'wait fails (Heat starts the web-download import '
                      'right after it creates the image), instead of '
                      'waiting build_timeout for a create that cannot '
                      'finish.'),
    cfg.IntOpt('model_examples', default=6, min=1,
               help='How many update sequences (examples) each model-based '
                    'state machine test runs, each on its own stack. More, '
                    'shorter examples reach more rules: Hypothesis enables '
                    'a random subset of rules per example.'),
    cfg.IntOpt('model_steps', default=10, min=1,
               help='Most steps (stack updates or previews) per example of '
                    'the state machine test.'),
    cfg.BoolOpt('model_explore', default=False,
                help='Explore: draw the state machine\'s sequences at '
                     'random (a new set each run) instead of the fixed, '
                     'derandomised set the gate runs. Use with larger '
                     'model_examples and model_steps for release '
                     'validation.'),
    cfg.FloatOpt('poll_interval_first', default=0.05, min=0.01,
                 help='Seconds before the first poll of a wait; the gap '
                      'then grows by half each poll.'),
    cfg.FloatOpt('poll_interval_max', default=0.25, min=0.01,
                 help='Largest gap between two polls, in seconds: a wait '
                      'notices completion at most this late.'),
    cfg.IntOpt('failing_stack_timeout', default=1, min=1,
               help='Heat stack timeout, in minutes, for the tests whose '
                    'stack is expected to hang until Heat gives up.'),
    cfg.FloatOpt('failed_import_grace', default=15.0, min=1.0,
                 help='Seconds Heat gets to mark a stack FAILED after Glance '
                      'reports that the stack\'s image import failed. Heat '
                      'looks at the image every second or so; a stack still '
                      'IN_PROGRESS after this long has the failed-import '
                      'defect (D6), observed without waiting for the '
                      'stack\'s own timeout.'),
]

feature_group = cfg.OptGroup(
    name='heat_glance_meta_feature_enabled',
    title='Heat orchestration of Glance image metadata: cloud features')

FeatureGroup = [
    cfg.BoolOpt('legacy_image_hidden', default=True,
                help='OS::Glance::Image is the hidden no-op placeholder of '
                     'Heat 22 and later (it needed Glance v1). Set False '
                     'on older Heat.'),
    cfg.BoolOpt('property_protections', default=False,
                help='Glance runs with the suite\'s property protection '
                     'file (etc/localcloud/property-protections.conf).'),
    cfg.BoolOpt('stack_abandon_adopt', default=False,
                help='Heat runs with enable_stack_abandon and '
                     'enable_stack_adopt (both off by default in Heat).'),
    cfg.StrOpt('admin_only_property_prefix', default='x_admin_only_',
               help='Prefix of properties only admin may write.'),
    cfg.StrOpt('secret_property_prefix', default='x_secret_',
               help='Prefix of properties only admin may read.'),
]

faults_group = cfg.OptGroup(
    name='heat_glance_meta_faults',
    title='Heat orchestration of Glance image metadata: fault injection',
    help='Commands the fault tests (heat_glance_meta_tests.tests.faults) '
         'run to restart a service of the cloud under test in the middle '
         'of a stack operation. A restart hits every test running at that '
         'moment: set these only in a tempest.conf used for a run of the '
         'fault tests alone (tempest run --concurrency 1 --regex '
         'heat_glance_meta_tests.tests.faults), as the local cloud does. '
         'A fault test whose command is unset skips.')

FaultsGroup = [
    cfg.StrOpt('restart_%s' % service.replace('-', '_'),
               help='Command that restarts %s and returns once it answers '
                    'again, split like a shell command line (no shell), '
                    'e.g. "%s".' % (service, example))
    for service, example in [
        ('heat-engine', 'sudo systemctl restart devstack@h-eng'),
        ('glance', 'sudo systemctl restart devstack@g-api'),
        ('rabbitmq', 'sudo systemctl restart rabbitmq-server'),
        ('postgres', 'sudo systemctl restart postgresql'),
    ]
] + [
    cfg.FloatOpt('restart_timeout', default=120.0, min=1.0,
                 help='Seconds a restart command may take.'),
    cfg.StrOpt('glance_restart_image_url',
               help='URL of the image the Glance restart test imports '
                    '(default: [heat_glance_meta] slow_image_url). Its '
                    'web-download must outlast what restart_glance needs '
                    'to stop Glance, even on a loaded machine, and end '
                    'well within [heat_glance_meta] failing_stack_timeout, '
                    'so that an import Glance did not kill completes the '
                    'stack and fails the test. The test waits for that '
                    'timeout whatever the download takes.'),
    cfg.FloatOpt('engine_reset_timeout', default=30.0, min=1.0,
                 help='Seconds after heat-engine is back within which Heat '
                      'must mark FAILED a stack the engine was working on '
                      'when it stopped ("Engine went down during ...").'),
]

defects_group = cfg.OptGroup(
    name=known_defects.GROUP,
    title='Known Heat defects the cloud under test still has',
    help='Each option names a known defect. True (the default, matching '
         'Heat 27) makes its reproducer an expected failure; set it False '
         'once the cloud has the fix, and the same observation fails.')

DefectsGroup = [
    cfg.BoolOpt(d.option, default=True,
                help='%s%s: %s. Upstream: %s.' % (
                    d.id, ' (a race)' if d.race else '', d.title,
                    d.location))
    for d in known_defects.DEFECTS.values()
]

GROUPS = [
    (settings_group, SettingsGroup),
    (feature_group, FeatureGroup),
    (faults_group, FaultsGroup),
    (defects_group, DefectsGroup),
]


def list_opts():
    """The oslo.config.opts entry point (sample config, docs)."""
    return [(group.name, opts) for group, opts in GROUPS]
