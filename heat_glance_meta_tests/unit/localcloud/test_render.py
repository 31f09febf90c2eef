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
"""Rendering the cloud's configs and Tempest's; the lists kept in step."""

import os
import pathlib
import types
from unittest import mock

import fixtures
import testtools

from heat_glance_meta_tests import config
from heat_glance_meta_tests.localcloud import identity
from heat_glance_meta_tests.localcloud import layout
from heat_glance_meta_tests.localcloud import render
from heat_glance_meta_tests.localcloud import tempest_run
from heat_glance_meta_tests.localcloud import tempestconf
from heat_glance_meta_tests import resources

ROOT = pathlib.Path(__file__).resolve().parents[3]


class RenderTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.lay = layout.Layout.at(self.useFixture(fixtures.TempDir()).path)

    def test_every_template_renders_completely_and_privately(self):
        values = render.render_all(self.lay)
        for target in render.FILES.values():
            path = self.lay.etc / target
            text = path.read_text()
            self.assertNotIn('${', text, target)
            self.assertEqual(0o600, path.stat().st_mode & 0o777, target)
        self.assertEqual(32, len(values['auth_encryption_key']))

    def test_every_template_file_is_rendered_or_used(self):
        used = set(render.FILES) | {'tempest.conf', 'constraints.txt',
                                    'requirements.txt'}
        present = {p.name for p in resources.localcloud_templates().iterdir()}
        self.assertEqual(present, used)

    def test_tempest_conf_renders(self):
        text = tempest_run.tempest_conf_text(render.variables(self.lay),
                                             '/x/accounts.yaml')
        self.assertNotIn('${', text)
        self.assertIn('image_url = http://127.0.0.1:%d/tiny.img'
                      % layout.DEFAULT_PORTS['images'], text)
        self.assertIn('use_dynamic_credentials = false\n'
                      'test_accounts_file = /x/accounts.yaml\n', text)
        self.assertIn('use_dynamic_credentials = true\n',
                      tempest_run.tempest_conf_text(
                          render.variables(self.lay), '/x/accounts.yaml',
                          dynamic=True))

    def test_engine(self):
        render.render_all(self.lay)
        heat_conf = self.lay.etc / 'heat' / 'heat.conf'
        self.assertIn('convergence_engine = true', heat_conf.read_text())
        render.render_all(self.lay, engine='legacy')
        self.assertIn('convergence_engine = false', heat_conf.read_text())

    def test_engine_workers(self):
        heat_conf = self.lay.etc / 'heat' / 'heat.conf'
        render.render_all(self.lay)
        self.assertIn('\nnum_engine_workers = 4\n', heat_conf.read_text())
        render.render_all(self.lay, engine_workers=1)
        self.assertIn('\nnum_engine_workers = 1\n', heat_conf.read_text())

    def test_graceful_stop_outlasts_the_slow_image(self):
        heat_conf = self.lay.etc / 'heat' / 'heat.conf'
        for seconds, graceful in ((None, 25), (8, 13)):
            options = {'slow_image_s': seconds} if seconds else {}
            values = render.render_all(self.lay, **options)
            self.assertIn('\ngraceful_shutdown_timeout = %d\n' % graceful,
                          heat_conf.read_text())
            self.assertIn('/slow/%d/tiny.img\n' % (seconds or 20),
                          tempest_run.tempest_conf_text(values, 'a.yaml'))

    def test_glance_workers(self):
        uwsgi = self.lay.etc / 'glance' / 'uwsgi.ini'
        render.render_all(self.lay)
        self.assertIn('processes = 1\nthreads = 4\n', uwsgi.read_text())
        render.render_all(self.lay,
                          glance_workers={'processes': 4, 'threads': 1})
        self.assertIn('processes = 4\nthreads = 1\n', uwsgi.read_text())

    def test_secrets_are_stable_per_directory(self):
        self.assertEqual(render.secrets_for(self.lay),
                         render.secrets_for(self.lay))

    def test_glance_allows_exactly_the_image_server(self):
        render.render_all(self.lay)
        text = (self.lay.etc / 'glance' / 'glance-api.conf').read_text()
        self.assertIn('allowed_hosts = [127.0.0.1]', text)
        self.assertIn('allowed_ports = [%d]'
                      % layout.DEFAULT_PORTS['images'], text)

    def test_default_tempest_args_and_overrides(self):
        self.assertEqual(tempest_run.DEFAULT_ARGS,
                         tempest_run.tempest_args([]))
        args = tempest_run.tempest_args(['--regex', 'heat_tempest_plugin'])
        self.assertEqual(['--regex', 'heat_tempest_plugin',
                          '--concurrency', '4'], args)
        self.assertEqual(['--serial', '--regex',
                          r'^heat_glance_meta_tests\.tests\.'],
                         sorted(tempest_run.tempest_args(['--serial']),
                                key=lambda a: a != '--serial'))

    def test_defect_of_the_convergence_engine_follows_the_engine(self):
        for engine, value in [('convergence', 'true'), ('legacy', 'false')]:
            text = tempest_run.tempest_conf_text(
                render.variables(self.lay, engine), 'accounts.yaml')
            self.assertIn('convergence_engine_restart = %s' % value, text)

    def test_the_fault_tests_run_alone_with_the_restart_commands(self):
        cloud = types.SimpleNamespace(lay=self.lay)
        path = self.lay.root / 'tempest'
        (path / 'etc').mkdir(parents=True)
        (path / 'etc' / 'tempest.conf').write_text('[auth]\nx = 1\n')
        main, faults = tempest_run.phases(cloud, [], path)
        self.assertEqual(['--exclude-regex', tempest_run.FAULTS_REGEX],
                         main[2:4])
        self.assertEqual(['--regex', tempest_run.FAULTS_REGEX,
                          '--concurrency', '1', '--config-file'], faults[:5])
        text = pathlib.Path(faults[5]).read_text()
        self.assertTrue(text.startswith('[auth]\nx = 1\n'))
        self.assertIn('restart_heat_engine = %s restart --dir %s heat-engine'
                      % (os.path.join(tempest_run.BIN,
                                      'heat-glance-meta-cloud'),
                         self.lay.root), text)
        # Seconds, for the launcher's restart (an option the plugin has).
        self.assertIn('\nengine_reset_timeout = 10\n', text)
        # The Glance restart test's own, longer import, on this cloud.
        self.assertIn('\nglance_restart_image_url = %s\n' % self.lay.url(
            'images', '/slow/30/tiny.img'), text)
        self.assertIn('glance_restart_image_url',
                      [opt.name for opt in config.FaultsGroup])
        self.assertIn('engine_reset_timeout',
                      [opt.name for opt in config.FaultsGroup])
        # Arguments of the user's: one phase, exactly them; no commands.
        self.assertEqual([['--regex', 'x', '--concurrency', '4']],
                         tempest_run.phases(cloud, ['--regex', 'x'], path))

    def test_more_workers_than_the_accounts_serve_get_dynamic_ones(self):
        cloud = types.SimpleNamespace(lay=self.lay)
        path = self.lay.root / 'tempest'
        (path / 'etc').mkdir(parents=True)
        tempest_run.dynamic_config(path).write_text('[auth]\n')
        most = identity.TEST_ACCOUNT_WORKERS
        dynamic = ['--config-file', str(tempest_run.dynamic_config(path))]
        for args, extra in [
                (['-r', 'x', '--concurrency', str(most)], []),
                (['-r', 'x', '--concurrency=%d' % (most + 1)], dynamic),
                (['-r', 'x', '-w', str(most + 1)], dynamic),
                (['-r', 'x', '--serial'], []),
                (['-r', 'x', '--concurrency', str(most + 1),
                  '--config-file', 'mine.conf'], []),
                (['-r', 'x', '--concurrency', 'many'], [])]:
            self.assertEqual([args + extra],
                             tempest_run.phases(cloud, args, path), args)
        # The default run's workers are served.
        self.assertLessEqual(
            int(tempest_run.DEFAULT_ARGS[tempest_run.DEFAULT_ARGS.index(
                '--concurrency') + 1]), most)

    def test_no_restart_commands_when_the_faults_run_elsewhere(self):
        cloud = types.SimpleNamespace(lay=self.lay)
        path = self.lay.root / 'tempest'
        (path / 'etc').mkdir(parents=True)
        (path / 'etc' / 'tempest.conf').write_text('[auth]\nx = 1\n')
        only = tempest_run.phases(cloud, [], path, faults_here=False)
        self.assertEqual([tempest_run.FAULTS_REGEX],
                         [a for a in only[0] if 'faults' in a])
        self.assertEqual(1, len(only))
        self.assertFalse((path / 'etc' / 'tempest-faults.conf').exists())


class TempestconfTest(testtools.TestCase):

    def test_only_the_plugins_options_are_added(self):
        rendered = ('[DEFAULT]\nlog_file = tempest.log\n'
                    '[auth]\nadmin_password = s3cret\n'
                    '[heat_glance_meta]\nimage_url = http://h:1/a.img\n'
                    '[heat_glance_meta_feature_enabled]\n'
                    'property_protections = true\n'
                    '[heat_plugin]\nusername = demo\n')
        self.assertEqual(
            ['heat_glance_meta.image_url', 'http://h:1/a.img',
             'heat_glance_meta_feature_enabled.property_protections',
             'true'], tempestconf.plugin_overrides(rendered))

    def test_command_reads_the_clouds_admin_account(self):
        lay = layout.Layout.at('/tmp/x')
        argv = tempestconf.command(lay, '[DEFAULT]\n', '/tmp/x/t.conf')
        self.assertEqual('discover-tempest-config',
                         os.path.basename(argv[0]))
        self.assertEqual('admin', argv[argv.index('--os-cloud') + 1])
        self.assertNotIn('--create', argv)


class TempestEnvTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.cloud = types.SimpleNamespace(lay=layout.Layout.at(
            self.useFixture(fixtures.TempDir()).path))
        self.useFixture(fixtures.EnvironmentVariable(
            'SSL_CERT_FILE', '/etc/ssl/certs/ca-certificates.crt'))

    def paths(self, capath):
        return mock.patch.object(
            tempest_run.ssl, 'get_default_verify_paths',
            return_value=types.SimpleNamespace(openssl_capath=capath))

    def test_a_ca_directory_instead_of_a_bundle(self):
        capath = self.useFixture(fixtures.TempDir()).path
        with self.paths(capath):
            env = tempest_run.tempest_env(self.cloud)
        self.assertEqual(capath, env['SSL_CERT_DIR'])
        self.assertNotIn('SSL_CERT_FILE', env)
        self.assertEqual(str(self.cloud.lay.tmp), env['TMPDIR'])

    def test_without_a_ca_directory_the_environment_stays(self):
        with self.paths('/nonexistent/certs'):
            env = tempest_run.tempest_env(self.cloud)
        self.assertEqual('/etc/ssl/certs/ca-certificates.crt',
                         env['SSL_CERT_FILE'])
        self.assertNotEqual('/nonexistent/certs', env.get('SSL_CERT_DIR'))
