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
"""A throwaway real cloud on 127.0.0.1: Keystone, Glance and Heat.

``heat-glance-meta-cloud`` (cli.py) starts PostgreSQL, RabbitMQ, Keystone,
Glance, heat-api, heat-engine and a static image server from the installed
release packages, runs Tempest against them and stops exactly what it started.
The modules, in the order ``up`` uses them: cli (the commands), layout
(where things live in the cloud directory, its ports), system (the Debian
packages), render (configs from etc/localcloud), snapshot (the migrated
schema cache), cloud (one cloud: up, down, restart, status), services/ (one
module per service: postgres, rabbitmq, images, keystone, glance, heat),
procs (process groups, ports), identity (Keystone accounts and catalog),
then tempest_run, tempestconf, report and leaks (the test run, its
tempest.conf, its reports, what it left behind) and history (the last
clouds' evidence).
"""
