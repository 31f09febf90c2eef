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
"""Results of a Tempest run: counts from the subunit stream, and the
reports OpenStack's tool chain makes of it (HTML, JUnit XML)."""

import io
import json
import os
import subprocess
import sys

import subunit
import testtools

STATUSES = ('success', 'fail', 'skip', 'xfail', 'uxsuccess')
BIN = os.path.dirname(sys.executable)


# Test details worth keeping beside the traceback (the create race's rate,
# what the state machines did, how long H3's moment lasted).
KEPT_DETAILS = ('l1-loss-rate', 'model-steps', 'model-outcomes',
                'model-create-races', 'model-reproducer', 'h3-purge-wait',
                'restart-seconds')


def collect(stream_path):
    """One dict per test, with its outcome and what it said.

    ``stream_path``: a subunit v2 file, or the stream itself (bytes).

    Keys: id, status, worker (stestr's worker tag, e.g. worker-0, or
    None), start and stop (datetimes), duration (s), details (traceback
    and reason as text), kept (the KEPT_DETAILS it attached).
    """
    tests = []

    def on_test(test):
        if test['status'] not in STATUSES:
            return
        start, stop = test['timestamps']
        duration = (stop - start).total_seconds() if start and stop else 0
        details, kept = [], {}
        for name, content in sorted(test['details'].items()):
            if name in ('traceback', 'reason'):
                details.append(content.as_text())
            elif name in KEPT_DETAILS:
                kept[name] = content.as_text()
        workers = sorted(t for t in test.get('tags') or ()
                         if t.startswith('worker-'))
        tests.append({'id': test['id'], 'status': test['status'],
                      'worker': workers[0] if workers else None,
                      'start': start, 'stop': stop,
                      'duration': round(duration, 2),
                      'details': '\n'.join(details), 'kept': kept})
    if isinstance(stream_path, bytes):
        data = stream_path
    else:
        with open(stream_path, 'rb') as f:
            data = f.read()
    result = testtools.StreamToDict(on_test)
    result.startTestRun()
    subunit.ByteStreamToStreamResult(io.BytesIO(data)).run(result)
    result.stopTestRun()
    return tests


def counts(tests):
    names = {'success': 'passed', 'fail': 'failed', 'skip': 'skipped',
             'xfail': 'xfail', 'uxsuccess': 'uxsuccess'}
    out = {v: 0 for v in names.values()}
    for test in tests:
        out[names[test['status']]] += 1
    return out


def state_machines(tests, results):
    """summary.json's ``model``: one entry per state machine test.

    Each gives the steps it ran, their outcomes and the create races it
    met; a failed machine's shrunk sequence is written to
    ``results/<test>.reproducer.yaml`` and named here.
    """
    for old in results.glob('*.reproducer.yaml'):
        old.unlink()
    machines = {}
    for test in tests:
        kept = test['kept']
        if 'model-steps' not in kept:
            continue
        name = test['id'].split('[')[0]
        entry = {'status': test['status'],
                 'steps': int(kept['model-steps']),
                 'outcomes': json.loads(kept.get('model-outcomes', '{}')),
                 'create_races': int(kept.get('model-create-races', 0))}
        if 'model-reproducer' in kept:
            path = results / ('%s.reproducer.yaml' % name.rsplit('.', 1)[-1])
            path.write_text(kept['model-reproducer'])
            entry['reproducer'] = path.name
        machines[name] = entry
    return machines


def write_reports(stream_path):
    """report.html and results.xml beside the subunit stream.

    The HTML comes from os-testr's subunit2html, as OpenStack's gates
    publish it; the JUnit XML from python-subunit's subunit2junitxml, for
    CI systems that read JUnit. Both exit non-zero when a test failed; the
    run's verdict is made elsewhere, so only their output counts here.
    """
    results = stream_path.parent
    subprocess.run([os.path.join(BIN, 'subunit2html'), str(stream_path),
                    str(results / 'report.html')],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(stream_path, 'rb') as stream, \
            open(results / 'results.xml', 'wb') as xml:
        subprocess.run([os.path.join(BIN, 'subunit2junitxml')], stdin=stream,
                       stdout=xml, stderr=subprocess.DEVNULL)
    return [p for p in (results / 'report.html', results / 'results.xml')
            if p.exists() and p.stat().st_size]
