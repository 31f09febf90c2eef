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
"""Keystone under uWSGI: migrated and bootstrapped, or restored from cache.

After it answers, ``populate`` adds the service users, the catalog and
the member accounts (identity.py).
"""

import concurrent.futures

from heat_glance_meta_tests.localcloud import identity
from heat_glance_meta_tests.localcloud.services import base
from heat_glance_meta_tests.localcloud import system


class Keystone(base.Service):
    name = 'keystone'
    ports = ('keystone',)
    restartable = True

    def init(self, cloud):
        if cloud.restoring:
            return
        conf = str(cloud.lay.etc / 'keystone' / 'keystone.conf')
        manage = [str(cloud.bin / 'keystone-manage'), '--config-file', conf]
        for key_dir in ('fernet-keys', 'credential-keys'):
            path = cloud.lay.data / 'keystone' / key_dir
            path.mkdir(parents=True)
            path.chmod(0o700)
        user, group = system.current_account()
        owner = ['--keystone-user', user, '--keystone-group', group]
        log = 'keystone-setup'
        # The key repositories need no database: made while it migrates
        # (each keystone-manage loads Keystone, 2-4 s on 2 cores).
        with concurrent.futures.ThreadPoolExecutor(3) as pool:
            jobs = [pool.submit(cloud.run_tool, log, manage + ['db_sync'])]
            jobs += [pool.submit(cloud.run_tool, 'keystone-keys',
                                 manage + [command] + owner)
                     for command in ('fernet_setup', 'credential_setup')]
            for job in jobs:
                job.result()
        # The password goes by environment: not on a command line anyone
        # can read, and not parsed as an option when it starts with "-".
        url = cloud.lay.keystone_url
        cloud.run_tool(log, manage + [
            'bootstrap', '--bootstrap-region-id', identity.REGION,
            '--bootstrap-admin-url', url, '--bootstrap-internal-url', url,
            '--bootstrap-public-url', url],
            env={'OS_BOOTSTRAP_PASSWORD': cloud.values['admin_password']})
        cloud.mark('keystone migrated and bootstrapped')

    def start(self, cloud):
        base.uwsgi(cloud, self.name, cloud.lay.etc / 'keystone' / 'uwsgi.ini')

    def ready(self, cloud):
        return identity.keystone_answers(cloud.lay)


def populate(cloud):
    """Accounts and catalog on a migrated Keystone."""
    identity.populate(cloud.lay, cloud.values)
    cloud.mark('accounts and catalog')
    identity.create_test_accounts(cloud.lay, cloud.values)
    cloud.mark('test accounts')
