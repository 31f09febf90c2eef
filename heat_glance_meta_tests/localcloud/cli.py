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
"""``heat-glance-meta-cloud``: start, test and stop the local cloud.

Subcommands: setup, up, down, status, restart SERVICE, test, run. Every
situation a user can act on ends in one line on stderr and exit status 1; an
interrupted ``run`` still stops the cloud. ``test`` and ``run`` hand every
argument they do not know themselves (and everything after ``--``) to
``tempest run``, so ``tox -e localcloud -- --regex X`` works as it reads.
"""

import argparse
import json
import os
import signal
import sys

from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests.localcloud import layout
try:
    from heat_glance_meta_tests.localcloud import cloud as cloud_mod
    from heat_glance_meta_tests.localcloud import releases
    from heat_glance_meta_tests.localcloud import services
    from heat_glance_meta_tests.localcloud import tempest_run
except ImportError as e:  # the plugin was installed without the extra
    MISSING = e
else:
    MISSING = None


def _cloud(args):
    ports = None
    if hasattr(args, 'port_base'):
        # ``up`` and ``run`` choose the ports; the rest read the recorded.
        try:
            ports = layout.ports_from_base(args.port_base)
        except ValueError as e:
            raise errors.CloudError('%s: choose a --port-base in that range'
                                    % e)
    return cloud_mod.Cloud(layout.Layout.at(args.dir, ports=ports))


def _port_base(text):
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError('not a port number: %r' % text)


def _install_heat_source(args):
    if args.heat_source and getattr(args, 'release', None) and not (
            args.release.current):
        raise errors.CloudError('--heat-source replaces the current '
                                "release's Heat: leave --release out")
    if args.heat_source:
        from heat_glance_meta_tests.localcloud import heat_source
        heat_source.install(args.heat_source)


def cmd_up(args):
    cloud = _cloud(args)
    _install_heat_source(args)
    state = cloud.up(heat_source=args.heat_source,
                     fresh_schema=args.fresh_schema, engine=args.engine,
                     release=args.release, defects=args.defects,
                     fixed=args.fixed)
    print('cloud up in %.1f s from %s (keystone %s; schema %s; release %s; '
          '%s engine)' % (state['cold_start_s'], cloud.lay.root,
                          cloud.lay.keystone_url, state['schema'],
                          state['release'], state['engine']))
    print('clients: OS_CLIENT_CONFIG_FILE=%s openstack --os-cloud demo ...'
          % (cloud.lay.etc / 'clouds.yaml'))
    return 0


def cmd_down(args):
    stopped = _cloud(args).down()
    print('stopped: %s' % ', '.join(stopped) if stopped
          else 'nothing was running')
    return 0


def cmd_setup(args):
    from heat_glance_meta_tests.localcloud import system
    print(system.setup())
    return 0


def cmd_status(args):
    cloud = _cloud(args)
    rows = cloud.status()
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        for row in rows:
            print('%-12s %-5s pid %-8s ports %-12s %s' % (
                row['service'], row['state'], row['pid'] or '-',
                ','.join(str(p) for p in row['ports']) or '-', row['log']))
    return 0 if all(r['state'] == 'up' for r in rows) else 3


def cmd_restart(args):
    seconds = _cloud(args).restart(args.service)
    print('%s restarted and ready in %.1f s' % (args.service, seconds))
    return 0


def cmd_test(args):
    cloud = _cloud(args)
    cloud.require_running()
    return tempest_run.run(cloud, args.tempest_args,
                           config=args.tempest_config,
                           allow_foreign_leaks=args.allow_foreign_leaks)


def _stop_on_sigterm():
    """Turn SIGTERM (a CI timeout, a kill) into an exit that runs cleanups."""
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))


def cmd_run(args):
    _stop_on_sigterm()
    _install_heat_source(args)
    return tempest_run.whole_run(_cloud(args), args.tempest_args, args)


def cmd_soak(args):
    from heat_glance_meta_tests.localcloud import soak
    _stop_on_sigterm()
    _install_heat_source(args)  # once, for every run
    return soak.soak(lambda: _cloud(args), args.runs, args.tempest_args,
                     args)


def _release(text):
    try:
        return releases.find(text)
    except errors.CloudError as e:
        raise argparse.ArgumentTypeError(str(e))


def _names(text, known, what, normalise=str.strip):
    """A comma-separated list of names from ``known``, or one error line."""
    names = [normalise(name) for name in text.split(',') if name.strip()]
    for name in names:
        if name not in known:
            raise argparse.ArgumentTypeError('unknown %s %r: choose from %s'
                                             % (what, name, ', '.join(known)))
    return names


def _release_list(text):
    return [_release(name.strip()) for name in text.split(',')
            if name.strip()]


def _defect_list(text):
    from heat_glance_meta_tests import known_defects
    return _names(text, list(known_defects.DEFECTS), 'known defect',
                  lambda name: name.strip().upper())


def _engine_list(text):
    return _names(text, layout.ENGINES, 'engine')


def cmd_matrix(args):
    from heat_glance_meta_tests.localcloud import matrix
    _stop_on_sigterm()
    if args.heat_source:
        raise errors.CloudError('matrix runs released services: run '
                                '--heat-source with `run` instead')
    if args.write_defaults and not args.observe:
        matrix.require_observe('defaults')  # before hours of runs, not after
    folder = matrix.defaults_folder() if args.write_defaults else None
    chosen = args.releases or releases.load()
    table = matrix.run(lambda: _cloud(args), chosen, args.engines,
                       args.tempest_args, args, tempest_run.whole_run)
    directory = _cloud(args).lay.root / 'matrix'
    matrix.write(table, directory)
    print(matrix.text_table(table), end='')
    print('matrix written to %s (matrix.json, matrix.txt, matrix.html)'
          % directory)
    if args.write_defaults:
        print('defaults written to %s (reinstall, or run through tox, for '
              'later runs to read them)' % matrix.write_defaults(table,
                                                                 folder))
    failed = [matrix.column(c) for c in table['cells']
              if c['tests']['failed'] or c['leaked']['stacks'] or
              c['leaked']['images'] or
              (c['tests']['uxsuccess'] and not args.observe)]
    if failed:
        print('heat-glance-meta-cloud: failures or leaks on %s: see the '
              'results under %s' % (', '.join(failed), directory),
              file=sys.stderr)
        return 1
    return 0


def _runs(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError('not a number of runs: %r' % text)
    return value


def parser():
    p = argparse.ArgumentParser(
        prog='heat-glance-meta-cloud', allow_abbrev=False,
        description='A throwaway real Keystone + Glance + Heat on 127.0.0.1 '
                    'and the heat-glance-meta-tests suite run against it.')
    sub = p.add_subparsers(dest='command', required=True)

    def add(name, func, help_text, heat_source=False, tempest=False):
        sp = sub.add_parser(name, help=help_text, description=help_text,
                            allow_abbrev=False)
        sp.add_argument('--dir', default=layout.DEFAULT_DIR,
                        help='cloud directory (default: %(default)s)')
        if heat_source:
            env_base = os.environ.get(layout.PORT_BASE_ENV)
            sp.add_argument(
                '--port-base', metavar='N', type=_port_base,
                default=_port_base(env_base) if env_base else None,
                help='listen on ports N to N+%d instead of the default set '
                     '(default: $%s, else the default set: %s)'
                     % (len(layout.DEFAULT_PORTS) - 1, layout.PORT_BASE_ENV,
                        ', '.join('%s %d' % kv
                                  for kv in layout.DEFAULT_PORTS.items())))
            sp.add_argument('--heat-source', metavar='PATH',
                            help='install Heat from this checkout (editable)'
                                 ' instead of the pinned release')
            sp.add_argument('--fresh-schema', action='store_true',
                            help='migrate the databases even if a cached '
                                 'migrated schema exists')
            if name != 'matrix':  # it has its own --engines and --observe
                sp.add_argument(
                    '--engine', choices=layout.ENGINES,
                    default='convergence',
                    help="Heat's engine: convergence, or the legacy one "
                         '(convergence_engine = false) (default: '
                         '%(default)s)')
                sp.add_argument(
                    '--defects', choices=releases.DEFECT_MODES,
                    default='defaults',
                    help='the known-defect options in tempest.conf: the '
                         "release's row of etc/releases/known-defects.json "
                         '(defaults), or every defect declared present '
                         '(observe) (default: %(default)s)')
                sp.add_argument(
                    '--fixed', type=_defect_list, default=[],
                    metavar='ID[,ID]',
                    help='declare these known defects fixed in tempest.conf '
                         '(e.g. D2 for a Heat with its fix, from '
                         '--heat-source): their checks must then pass')
                sp.add_argument(
                    '--release', type=_release, default=None,
                    help='run the services of this OpenStack release (%s; '
                         'default: %s, the pinned set), installed once '
                         'into a cached environment of their own'
                         % (', '.join(r.name for r in releases.load()),
                            releases.current().name))
        if tempest:
            sp.add_argument(
                '--tempest-config', choices=tempest_run.CONFIG_SOURCES,
                default='rendered',
                help='where tempest.conf comes from: the project\'s template '
                     '(rendered), or python-tempestconf reading the cloud '
                     '(discover), as on any other cloud (default: '
                     '%(default)s)')
            sp.add_argument(
                '--allow-foreign-leaks', action='store_true',
                help='report what other suites (not this one) leave '
                     'behind without failing; this suite\'s own leaks '
                     'always fail the run')
            sp.usage = ('%(prog)s [options] [--] [tempest run arguments '
                        '(default: two phases, the suite without '
                        'tests.faults at concurrency 4, then tests.faults '
                        'alone at concurrency 1)]')
        sp.set_defaults(func=func)
        return sp

    add('setup', cmd_setup, 'install the Debian packages the cloud needs '
        '(as root)')
    add('up', cmd_up, 'start the cloud from nothing', heat_source=True)
    add('down', cmd_down, 'stop every service the cloud started')
    st = add('status', cmd_status, 'show services, ports, pids and logs')
    st.add_argument('--json', action='store_true')
    rs = add('restart', cmd_restart, 'restart one service and wait for it')
    rs.add_argument('service', choices=services.RESTARTABLE)
    add('test', cmd_test, 'run Tempest on the running cloud', tempest=True)
    add('run', cmd_run, 'up, test, then down (also on failure)',
        heat_source=True, tempest=True)
    so = add('soak', cmd_soak, 'run several times in a row (up, test, '
             'down each), keep what failed, summarise',
             heat_source=True, tempest=True)
    so.add_argument('--runs', type=_runs, default=10,
                    help='how many runs (default: %(default)s)')
    mx = add('matrix', cmd_matrix, 'run the suite on each release (and '
             'engine) in turn; write the table of which release has which '
             'known defect', heat_source=True, tempest=True)
    mx.add_argument('--releases', type=_release_list,
                    default=None, metavar='R1,R2',
                    help='releases to run, comma-separated (default: all: '
                         '%s)' % ', '.join(r.name for r in releases.load()))
    mx.add_argument('--engines', type=_engine_list, default=['convergence'],
                    metavar='E1,E2', help='engines to run on each release '
                    '(convergence, legacy; default: convergence)')
    mx.add_argument('--observe', action='store_true',
                    help='declare every known defect present, so a fixed '
                         'one shows as an unexpected success')
    mx.add_argument('--write-defaults', action='store_true',
                    help='with --observe: store what was observed as the '
                         'releases\' defaults (etc/releases/'
                         'known-defects.json)')
    return p


def parse(argv):
    """Parse ``argv``; ``test`` and ``run`` pass what they do not know on."""
    argv = list(argv)
    after = []
    if '--' in argv:
        cut = argv.index('--')
        argv, after = argv[:cut], argv[cut + 1:]
    p = parser()
    args, unknown = p.parse_known_args(argv)
    if hasattr(args, 'tempest_config'):
        args.tempest_args = unknown + after
    elif unknown or after:
        p.error('unrecognized arguments: %s' % ' '.join(unknown + after))
    return args


def main(argv=None):
    if MISSING is not None:
        print('heat-glance-meta-cloud: %s: the launcher needs its extra: '
              'pip install "heat-glance-meta-tests[localcloud]" (tox -e '
              'localcloud installs it)' % MISSING, file=sys.stderr)
        return 1
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        return args.func(args)
    except errors.CloudError as e:
        print('heat-glance-meta-cloud: %s' % e, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print('heat-glance-meta-cloud: interrupted', file=sys.stderr)
        return 130
    except Exception as e:
        if os.environ.get('HGMT_DEBUG'):
            raise
        print('heat-glance-meta-cloud: internal error: %s: %s (set '
              'HGMT_DEBUG=1 for the traceback)' % (type(e).__name__, e),
              file=sys.stderr)
        return 2


if __name__ == '__main__':
    sys.exit(main())
