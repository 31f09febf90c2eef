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
"""Run Tempest on the local cloud and collect what the run produced.

Writes a Tempest workspace for the cloud, runs ``tempest run`` (this
plugin's tests unless told otherwise), then writes ``D/results``: the
subunit stream, Tempest's log, summary.json, report.html and results.xml.
The run fails when a test failed, when no test ran, or when stacks or
images leaked.

Without Tempest arguments the run has two phases: the suite without its
fault tests (concurrency 4), then the fault tests alone (concurrency 1)
with a tempest.conf that adds ``[heat_glance_meta_faults]``: the commands
that restart this cloud's services. Only that phase knows them, so no
restart can hit another test. With arguments, one phase runs exactly
them, and a selected fault test skips.

The workspace's tempest.conf comes from one of two places: ``rendered``
(etc/localcloud/tempest.conf, the project's own description of the cloud)
or ``discover`` (python-tempestconf reads the cloud's catalog, as an
operator would on any cloud, and only this plugin's options are added; see
tempestconf.py).
"""

import concurrent.futures
import datetime
import json
import os
import shutil
import ssl
import subprocess
import sys
import time

from heat_glance_meta_tests.localcloud import benchmark
from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests.localcloud import fault_cloud as fault_cloud_mod
from heat_glance_meta_tests.localcloud import identity
from heat_glance_meta_tests.localcloud import leaks
from heat_glance_meta_tests.localcloud import procs
from heat_glance_meta_tests.localcloud import releases
from heat_glance_meta_tests.localcloud import render
from heat_glance_meta_tests.localcloud import report
from heat_glance_meta_tests.localcloud.services import postgres
from heat_glance_meta_tests.localcloud import system
from heat_glance_meta_tests.localcloud import tempestconf
from heat_glance_meta_tests.localcloud import timings
from heat_glance_meta_tests import resources

# Concurrency 4 measured fastest on 2 cores (2: 340 s, 4: 238 s, 8: 240 s
# for the suite without its fault tests; doc/source/running.rst).
DEFAULT_ARGS = ['--regex', r'^heat_glance_meta_tests\.tests\.',
                '--concurrency', '4']
FAULTS_REGEX = r'^heat_glance_meta_tests\.tests\.faults\.'
FAULT_SERVICES = ('heat-engine', 'glance', 'rabbitmq', 'postgres')
ENGINE_RESET_TIMEOUT = 10
# Seconds the Glance restart test's image takes to download on the fault
# cloud. Its import must still run when the restart command, a Python
# process started under the main phase's load, has stopped Glance: 8 s
# (the fault cloud's slow image) was once not enough in CI. It must also
# end within the test's 60 s stack timeout, or a restart that killed
# nothing would pass. The test waits for that timeout anyway.
GLANCE_RESTART_IMAGE_S = 30
CONFIG_SOURCES = ('rendered', 'discover')
BIN = os.path.dirname(sys.executable)


def _release_of(state):
    """The release a cloud's state names; the current one if none."""
    return state.get('release') or releases.current().name


def workspace(cloud, config='rendered'):
    """The cloud's Tempest workspace, its tempest.conf from ``config``."""
    path = cloud.lay.tempest
    conf = path / 'etc' / 'tempest.conf'
    source = path / 'config-source'
    if not (path / '.stestr.conf').exists():
        # A registry of our own: the user's ~/.tempest stays untouched and
        # a workspace name can never collide with another cloud's.
        done = subprocess.run(
            [os.path.join(BIN, 'tempest'), 'init', '--name',
             'heat-glance-meta-%s' % cloud.lay.root.name, '--workspace-path',
             str(cloud.lay.root / 'tempest-workspaces.yaml'), str(path)],
            capture_output=True, text=True, env=cloud.lay.environ())
        if done.returncode != 0:
            raise errors.CloudError('`tempest init %s` failed: %s' % (
                path, done.stdout.strip().splitlines()[-1:]))
    # Rendered again whenever what it describes changed.
    state = cloud.state() or {}
    engine = state.get('engine', 'convergence')
    release = _release_of(state)
    timings.restore(path, release, engine)
    defects = state.get('defects', 'defaults')
    lines = releases.known_defect_lines(release, engine, defects,
                                        state.get('fixed') or ())
    slow_image_s = state.get('slow_image_s', render.SLOW_IMAGE_S)
    key = '%s %s %s %s %s %s %s' % (
        config, engine, release, defects, lines, slow_image_s,
        json.dumps(cloud.lay.ports, sort_keys=True))
    if conf.exists() and source.exists() and source.read_text() == key:
        return path
    values = render.variables(cloud.lay, engine, known_defects=lines,
                              slow_image_s=slow_image_s)
    accounts = path / 'etc' / 'accounts.yaml'
    render.write_private(accounts, identity.accounts_file(values))
    rendered = tempest_conf_text(values, accounts)
    if config == 'discover':
        tempestconf.discover(cloud.lay, rendered, conf)
    else:
        render.write_private(conf, rendered)
        render.write_private(dynamic_config(path), tempest_conf_text(
            values, accounts, dynamic=True))
    source.write_text(key)
    return path


def tempest_conf_text(values, accounts, dynamic=False):
    """etc/localcloud/tempest.conf with ``values``.

    The tests take Tempest's pre-provisioned accounts from the file
    ``accounts``, or, with ``dynamic``, make their own.
    """
    return render.render_text(
        (resources.localcloud_templates() / 'tempest.conf').read_text(),
        dict(values, use_dynamic_credentials=str(dynamic).lower(),
             test_accounts_file=accounts))


def dynamic_config(path):
    """The rendered tempest.conf with dynamic credentials.

    For a run with more workers than the pre-provisioned accounts serve.
    """
    return path / 'etc' / 'tempest-dynamic.conf'


def _concurrency(args):
    """The workers a ``tempest run`` argument list asks for."""
    for i, arg in enumerate(args):
        if arg in ('--serial', '-t'):
            return 1
        if arg in ('--concurrency', '-w') and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith('--concurrency='):
            value = arg.partition('=')[2]
        else:
            continue
        try:
            # 0 is stestr's "one per CPU".
            return int(value) or os.cpu_count() or 1
        except ValueError:
            return None
    return None


def _with_credentials(args, path):
    """``args``, and the dynamic-credentials tempest.conf if needed.

    Needed: they ask for more workers than the accounts serve, and name no
    tempest.conf of their own.
    """
    workers = _concurrency(args)
    if (workers is None or workers <= identity.TEST_ACCOUNT_WORKERS
            or '--config-file' in args or not dynamic_config(path).exists()):
        return args
    return args + ['--config-file', str(dynamic_config(path))]


def tempest_args(args):
    args = list(args or [])
    if not any(a in ('--regex', '-r', '--include-list', '--load-list',
                     '--smoke', '-s') or a.startswith('--regex=')
               for a in args):
        args = DEFAULT_ARGS[:2] + args
    if not any(a in ('--concurrency', '-w', '--serial', '-t') or
               a.startswith('--concurrency=') for a in args):
        args += DEFAULT_ARGS[2:]
    return args


def phases(cloud, args, path, faults_here=True):
    """The ``tempest run`` argument lists of the run, one per phase.

    ``faults_here=False``: the fault tests run on another cloud; this one
    gets no restart commands (tempest-faults.conf) that nothing would use.
    """
    if args:
        return [_with_credentials(tempest_args(args), path)]
    rest = (DEFAULT_ARGS[:2] + ['--exclude-regex', FAULTS_REGEX] +
            DEFAULT_ARGS[2:])
    if not faults_here:
        return [rest]
    return [rest, ['--regex', FAULTS_REGEX, '--concurrency', '1',
                   '--config-file', str(faults_config(cloud, path))]]


def faults_config(cloud, path):
    """The workspace's tempest.conf plus this cloud's restart commands."""
    launcher = os.path.join(BIN, 'heat-glance-meta-cloud')
    # The launcher's restart returns once heat-engine consumes its queue;
    # Heat resets stacks in a thread it starts then, so seconds suffice
    # here, where a systemctl restart on another cloud may need the
    # option's default.
    lines = ['', '[heat_glance_meta_faults]',
             'engine_reset_timeout = %d' % ENGINE_RESET_TIMEOUT,
             'glance_restart_image_url = %s' % cloud.lay.url(
                 'images', '/slow/%d/tiny.img' % GLANCE_RESTART_IMAGE_S)]
    for service in FAULT_SERVICES:
        lines.append('restart_%s = %s restart --dir %s %s' % (
            service.replace('-', '_'), launcher, cloud.lay.root, service))
    conf = path / 'etc' / 'tempest-faults.conf'
    render.write_private(conf, (path / 'etc' / 'tempest.conf').read_text() +
                         '\n'.join(lines) + '\n')
    return conf


def tempest_env(cloud):
    """The environment of the ``tempest run`` processes on the local cloud.

    The local cloud is plain HTTP on loopback: no certificate is ever
    checked. Yet a CA bundle file (SSL_CERT_FILE, or certifi's) is parsed
    whole for each HTTP client gabbi makes as it builds its tests, about
    110 (ours and heat-tempest-plugin's) at 26 ms each: 2.9 of the 4.2
    CPU-s of each discovery, and a run discovers seven times. A CA
    directory (SSL_CERT_DIR) is read only when a certificate is checked.
    """
    env = cloud.lay.environ()
    capath = ssl.get_default_verify_paths().openssl_capath
    if capath and os.path.isdir(capath):
        env.pop('SSL_CERT_FILE', None)
        env['SSL_CERT_DIR'] = capath
    return env


def _run_phase(cloud, path, phase_args, label=None, watch=None):
    """One ``tempest run`` in the workspace ``path`` of ``cloud``.

    Returns its exit status, its window (args, start, stop, and the CPU
    seconds of ``tempest run`` and its workers) and its subunit stream
    (bytes). ``label``: prefix each line of its output with it (a phase
    that runs beside another); ``watch``: called with its process.
    """
    argv = [os.path.join(BIN, 'tempest'), 'run'] + phase_args
    prefix = '[%s] ' % label if label else ''
    print('%srunning: %s (in %s)' % (prefix, ' '.join(argv[1:]), path),
          flush=True)
    start = _now()
    machine_at_start = procs.machine_cpu()
    proc = subprocess.Popen(
        argv, cwd=str(path), env=tempest_env(cloud),
        stdout=None if label is None else subprocess.PIPE,
        stderr=None if label is None else subprocess.STDOUT, text=True,
        errors='replace')
    if watch is not None:
        watch(proc)
    if label is not None:
        for line in proc.stdout:
            print(prefix + line.rstrip('\n'), flush=True)
    rc, cpu_s = _wait_with_cpu(proc)
    window = {'args': argv[2:], 'start': start, 'stop': _now(),
              'cpu_s': cpu_s, 'machine_at_start': machine_at_start,
              'machine_at_stop': procs.machine_cpu()}
    stream = subprocess.run(
        [os.path.join(BIN, 'stestr'), 'last', '--subunit'], cwd=str(path),
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        env=cloud.lay.environ()).stdout
    return rc, window, stream


def _wait_with_cpu(proc):
    """Wait for ``proc``: its exit status and the CPU seconds it used.

    With the children it waited for: Tempest's workers.
    """
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    except ChildProcessError:  # reaped already (stopped by FaultCloud)
        return proc.wait(), None
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, round(usage.ru_utime + usage.ru_stime, 1)


def _fault_phase(side, config, runner):
    """The fault tests on their own cloud: phase, leaks, log, Heat events."""
    path = workspace(side, config)
    admin = identity.session_for(side.lay, side.values, 'admin')
    before = leaks.snapshot(admin)
    since = _now()
    phase = _run_phase(side, path, phases(side, [], path)[1],
                       label=fault_cloud_mod.LABEL, watch=runner.watch)
    return {'phase': phase, 'leaked': leaks.new_since(admin, before),
            'tempest_log': path / 'tempest.log',
            'cpu_s': side.cpu_seconds(),
            'events': _heat_events(side, since)}


def _heat_events(cloud, since):
    """Heat's events since ``since``, from its database; None if unread."""
    try:
        cloud.bins = cloud.bins or system.binaries()
        return benchmark.parse_events(postgres.psql(
            cloud, benchmark.HEAT_EVENTS
            % since.strftime('%Y-%m-%d %H:%M:%S.%f'), database='heat'))
    except (OSError, ValueError, errors.CloudError,
            subprocess.CalledProcessError) as e:
        # Figures, not verdicts: the run goes on without them.
        print('benchmark: Heat\'s events of %s not read (%s: %s)'
              % (cloud.lay.root, type(e).__name__, e), flush=True)
        return None


def _leak_verdict(leaked, allow_foreign):
    """Print the leaks by project; return the error to raise, or None."""
    ours = leaks.describe(leaked, suite=True)
    theirs = leaks.describe(leaked, suite=False)
    for line in theirs:
        print('left by another suite (%s): %s'
              % ('allowed' if allow_foreign else 'fails the run', line))
    if ours:
        return errors.CloudError(
            'this suite leaked: %s; every test must clean up what it made'
            % '; '.join(ours))
    if theirs and not allow_foreign:
        return errors.CloudError(
            'the tests left stacks or images behind (%s); they are not this '
            "suite's: pass --allow-foreign-leaks to report them without "
            'failing' % '; '.join(theirs))
    return None


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def run(cloud, args, cold_start_s=None, config='rendered',
        allow_foreign_leaks=False, fault_cloud=None):
    """Run Tempest; write the results; return the exit status.

    ``fault_cloud``: a started fault_cloud.FaultCloud, where the fault
    tests run beside the rest; None: they run after the rest, on ``cloud``.
    Only a run without Tempest arguments has fault tests.
    """
    state = cloud.state() or {}
    if cold_start_s is None:
        cold_start_s = state.get('cold_start_s')
    path = workspace(cloud, config)
    results = cloud.lay.results
    results.mkdir(parents=True, exist_ok=True)
    admin = identity.session_for(cloud.lay, cloud.values, 'admin')
    before = leaks.snapshot(admin)
    started = time.monotonic()
    since = _now()
    problem = None
    beside = None if args else fault_cloud
    here = phases(cloud, args, path, faults_here=beside is None)
    done = [_run_phase(cloud, path, phase) for phase in here]
    leaked = leaks.new_since(admin, before)
    events = _heat_events(cloud, since)
    cpu = {'cloud': cloud.cpu_seconds()}
    if beside is not None:
        try:
            side = beside.join()
            done.append(side['phase'])
            events = (None if events is None or side['events'] is None
                      else events + side['events'])
            for kind in leaked:
                leaked[kind] += side['leaked'][kind]
            cpu[fault_cloud_mod.SUBDIR] = side['cpu_s']
            shutil.copy2(side['tempest_log'], results / 'tempest-faults.log')
        except errors.CloudError as e:
            print(e, flush=True)
            problem = e
    duration = time.monotonic() - started
    rc = max(phase_rc for phase_rc, _, _ in done)
    runs = [window['args'] for _, window, _ in done]
    windows = [window for _, window, _ in done]
    stream = results / 'results.subunit'
    stream.write_bytes(b''.join(data for _, _, data in done))
    log = path / 'tempest.log'
    if log.exists():
        shutil.copy2(log, results / 'tempest.log')
    try:
        tests = []
        for _, window, data in done:
            # Each phase's tests, once: phases may overlap in time.
            phase_tests = report.collect(data)
            window['ids'] = {t['id'] for t in phase_tests}
            tests += phase_tests
    except Exception as e:
        # Tempest stopped before it ran anything (a module that does not
        # import, say): its output above says why; no test counts.
        print('no test results (%s: %s)' % (type(e).__name__, e),
              flush=True)
        tests = []
    timings.save(_release_of(state),
                 state.get('engine', 'convergence'), tests)
    suite_leaks = {kind: [x for x in leaked[kind] if x['suite']]
                   for kind in leaked}
    summary = {
        'cold_start_s': cold_start_s,
        'engine': state.get('engine', 'convergence'),
        'release': _release_of(state),
        'defects': state.get('defects', 'defaults'),
        'start_steps': state.get('steps'),
        'ports': cloud.lay.ports,
        'tempest_config': config,
        'tests': report.counts(tests),
        'duration_s': round(duration, 2),
        'leaked': {kind: len(suite_leaks[kind]) for kind in leaked},
        'foreign_leaked': {kind: len(leaked[kind]) - len(suite_leaks[kind])
                           for kind in leaked},
        'leaked_names': leaked,
        'tempest_args': runs[0],
        'tempest_phases': runs,
        # Where the fault tests ran, when not on this cloud.
        'fault_cloud': (str(beside.cloud.lay.root) if beside is not None
                        else None),
        'tempest_exit': rc,
        'model': report.state_machines(tests, results),
    }
    (results / 'summary.json').write_text(json.dumps(summary, indent=2))
    bench = benchmark.measure(
        tests, windows, cold_start_s, state.get('steps'), events=events,
        service_cpu=cpu, start_machine=state.get('start_machine'),
        fault_cloud_start_s=(beside.state or {}).get('cold_start_s')
        if beside is not None else None)
    (results / 'benchmark.json').write_text(json.dumps(bench, indent=2))
    report.write_reports(results / 'results.subunit')
    for line in benchmark.lines(bench):
        print(line)
    counts = summary['tests']
    print('results: %(passed)d passed, %(failed)d failed, %(skipped)d '
          'skipped, %(xfail)d expected failures, %(uxsuccess)d unexpected '
          'successes' % counts)
    print('leaked by this suite: %(stacks)d stacks, %(images)d images'
          % summary['leaked'])
    for name, machine in summary['model'].items():
        print('state machine %s: %s, %d steps%s' % (
            name.rsplit('.', 1)[-1], machine['status'], machine['steps'],
            ', reproducer: %s' % (results / machine['reproducer'])
            if 'reproducer' in machine else ''))
    problem = problem or _leak_verdict(leaked, allow_foreign_leaks)
    if problem is None and counts['passed'] + counts['failed'] + \
            counts['xfail'] + counts['uxsuccess'] == 0:
        problem = errors.CloudError(
            'tempest ran no test (args: %s): its output above says why, '
            'and %s' % (' '.join(runs[0]), results / 'tempest.log'))
    failed = (problem is not None or rc != 0 or counts['failed'] or
              counts['uxsuccess'])
    print('%s: %s (report.html, results.xml, results.subunit, tempest.log); '
          'service logs in %s%s; the next `up` moves both to %s'
          % ('evidence of the failed run' if failed else 'results',
             results, cloud.lay.logs,
             ' (the fault tests\' cloud: %s)' % summary['fault_cloud']
             if summary['fault_cloud'] else '', cloud.lay.history),
          flush=True)
    if problem is not None:
        raise problem
    return 1 if failed else 0


def whole_run(cloud, args, options):
    """``up``, the Tempest run, then ``down`` (also on failure); the status.

    ``options`` carries heat_source, fresh_schema, engine, tempest_config and
    allow_foreign_leaks, as ``run`` and ``soak`` parse them. Without Tempest
    arguments, the fault tests get a cloud of their own (fault_cloud.py).
    """
    up_options = dict(heat_source=options.heat_source,
                      fresh_schema=options.fresh_schema,
                      engine=options.engine,
                      release=getattr(options, 'release', None),
                      defects=getattr(options, 'defects', 'defaults'),
                      fixed=getattr(options, 'fixed', None) or ())
    side = None
    try:
        if not args:
            # The fault tests' cloud first: their phase, one worker's
            # restarts and waits, is the run's longest chain. The first
            # cloud starts once it is up (two starts at once shared the
            # cores and delayed both).
            side = fault_cloud_mod.FaultCloud(cloud, up_options)
            side.start(lambda side_cloud, runner: _fault_phase(
                side_cloud, options.tempest_config, runner))
            side.wait_up()
        state = cloud.up(**up_options)
        print('cloud up in %.1f s (schema %s; keystone %s; release %s; %s '
              'engine)' % (state['cold_start_s'], state['schema'],
                           cloud.lay.keystone_url, state['release'],
                           state['engine']), flush=True)
        return run(cloud, args, cold_start_s=state['cold_start_s'],
                   config=options.tempest_config,
                   allow_foreign_leaks=options.allow_foreign_leaks,
                   fault_cloud=side)
    finally:
        # Both clouds at once: each stop is mostly waiting.
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            stops = [pool.submit(cloud.down, quiet=True)]
            if side is not None:
                stops.append(pool.submit(side.stop))
            for stop in stops:
                stop.result()
        print('cloud stopped', flush=True)
