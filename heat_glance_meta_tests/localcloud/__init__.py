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
