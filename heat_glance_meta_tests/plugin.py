"""Tempest's entry point to the plugin: where the tests are, which options."""

import os

from tempest import config
from tempest.test_discover import plugins

from heat_glance_meta_tests import config as project_config


class HeatGlanceMetaPlugin(plugins.TempestPlugin):

    def load_tests(self):
        base_path = os.path.split(os.path.dirname(
            os.path.abspath(__file__)))[0]
        test_dir = os.path.join(base_path, 'heat_glance_meta_tests', 'tests')
        return test_dir, base_path

    def register_opts(self, conf):
        for group, opts in project_config.GROUPS:
            config.register_opt_group(conf, group, opts)

    def get_opt_lists(self):
        return [(group.name, opts) for group, opts in project_config.GROUPS]
