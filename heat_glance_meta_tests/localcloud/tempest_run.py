"""Run Tempest on the local cloud and collect what the run produced.

Writes a Tempest workspace for the cloud (once per cloud), runs
``tempest run`` (this plugin's tests unless told otherwise), then writes
``D/results``: the subunit stream, summary.json and report.html. The run
fails when a test failed, when no test ran, or when stacks or images leaked.
"""

import json
import os
import subprocess
import sys
import time

from heat_glance_meta_tests import leaks
from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests.localcloud import identity
from heat_glance_meta_tests.localcloud import render
from heat_glance_meta_tests.localcloud import report
from heat_glance_meta_tests import resources

DEFAULT_ARGS = ['--regex', r'^heat_glance_meta_tests\.tests\.',
                '--concurrency', '2']
BIN = os.path.dirname(sys.executable)


def workspace(cloud):
    """The cloud's Tempest workspace, made on first use."""
    path = cloud.lay.tempest
    conf = path / 'etc' / 'tempest.conf'
    if not conf.exists():
        # A registry of our own: the user's ~/.tempest stays untouched and
        # a workspace name can never collide with another cloud's.
        done = subprocess.run(
            [os.path.join(BIN, 'tempest'), 'init', '--name',
             'heat-glance-meta-%s' % cloud.lay.root.name, '--workspace-path',
             str(cloud.lay.root / 'tempest-workspaces.yaml'), str(path)],
            capture_output=True, text=True)
        if done.returncode != 0:
            raise errors.CloudError('`tempest init %s` failed: %s' % (
                path, done.stdout.strip().splitlines()[-1:]))
        text = render.render_text(
            (resources.localcloud_templates() / 'tempest.conf').read_text(),
            render.variables(cloud.lay))
        fd = os.open(conf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'w') as f:
            f.write(text)
    return path


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


def run(cloud, args, cold_start_s=None):
    """Run Tempest; write the results; return the exit status."""
    state = cloud.state() or {}
    if cold_start_s is None:
        cold_start_s = state.get('cold_start_s')
    path = workspace(cloud)
    results = cloud.lay.results
    results.mkdir(parents=True, exist_ok=True)
    admin = identity.session_for(cloud.values, 'admin')
    before = leaks.snapshot(admin)
    started = time.monotonic()
    argv = [os.path.join(BIN, 'tempest'), 'run'] + tempest_args(args)
    print('running: %s' % ' '.join(argv[1:]), flush=True)
    rc = subprocess.call(argv, cwd=str(path))
    duration = time.monotonic() - started
    stream = results / 'results.subunit'
    with open(stream, 'wb') as f:
        subprocess.call([os.path.join(BIN, 'stestr'), 'last', '--subunit'],
                        cwd=str(path), stdout=f, stderr=subprocess.DEVNULL)
    tests = report.collect(stream)
    leaked = leaks.new_since(admin, before)
    summary = {
        'cold_start_s': cold_start_s,
        'start_steps': state.get('steps'),
        'tests': report.counts(tests),
        'duration_s': round(duration, 2),
        'leaked': {'stacks': len(leaked['stacks']),
                   'images': len(leaked['images'])},
        'leaked_names': leaked,
        'tempest_args': argv[2:],
        'tempest_exit': rc,
    }
    (results / 'summary.json').write_text(json.dumps(summary, indent=2))
    report.write_html(results / 'report.html', tests, summary)
    counts = summary['tests']
    print('results: %(passed)d passed, %(failed)d failed, %(skipped)d '
          'skipped, %(xfail)d expected failures, %(uxsuccess)d unexpected '
          'successes' % counts)
    print('leaked: %d stacks, %d images; report: %s'
          % (len(leaked['stacks']), len(leaked['images']),
             results / 'report.html'))
    if leaked['stacks'] or leaked['images']:
        raise errors.CloudError(
            'the run leaked %s: every test must clean up what it made'
            % ', '.join(leaked['stacks'] + leaked['images']))
    if counts['passed'] + counts['failed'] + counts['xfail'] + \
            counts['uxsuccess'] == 0:
        raise errors.CloudError('tempest ran no test (args: %s)'
                                % ' '.join(argv[2:]))
    if rc != 0 or counts['failed'] or counts['uxsuccess']:
        return 1
    return 0
