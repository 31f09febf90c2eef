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
The modules, in the order ``up`` uses them: layout (where things live in the
cloud directory), render (configs from etc/localcloud), procs (process
groups, ports), services (what to start and how to know it is ready),
identity (Keystone accounts and catalog), tempest_run and report (the test
run and its results).
"""
