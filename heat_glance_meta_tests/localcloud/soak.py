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
"""``soak``: N whole runs in a row, each from ``up`` to ``down``.

A gate job that fails on its own teaches reviewers to recheck. ``soak``
runs the suite N times on one machine, as CI would, and keeps for every
run that failed its results and service logs in ``D/soak/run-<n>/``
(``D/history`` keeps only the last few clouds). At the end it writes
``D/soak/summary.json`` and prints a table (run, passed, failed, xfail,
duration, the create race's loss rate) and, for each failed test, its
message (a failed stack wait carries the stack's resources and its images'
Glance state) and the ERROR lines the services logged while it ran.
"""

import datetime
import json
import re
import shutil
import time

from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests.localcloud import report
from heat_glance_meta_tests.localcloud import tempest_run

# oslo.log's timestamp at the start of a service log line.
LOG_TIME = re.compile(r'^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\.\d+ \d+ ERROR ')
MARGIN = datetime.timedelta(seconds=2)


def errors_during(logs_dir, start, stop, limit=20):
    """The ERROR lines the services logged between ``start`` and ``stop``."""
    found = []
    if not (start and stop):
        return found
    low = start.replace(tzinfo=None) - MARGIN
    high = stop.replace(tzinfo=None) + MARGIN
    for log in sorted(logs_dir.glob('*.log')):
        with open(log, errors='replace') as f:
            for line in f:
                match = LOG_TIME.match(line)
                if match and low <= datetime.datetime.strptime(
                        match.group(1), '%Y-%m-%d %H:%M:%S') <= high:
                    found.append('%s: %s' % (log.name, line.rstrip()[:300]))
                    if len(found) >= limit:
                        return found
    return found


def _run_once(cloud, args, options):
    """One whole run; its row for the summary."""
    started, since = time.monotonic(), time.time()

    def this_runs(path):
        # A run that stops before ``up`` moves the last results away (a
        # busy port, say) must not report the previous run's.
        return path.exists() and path.stat().st_mtime >= since
    row = {'passed': 0, 'failed': 0, 'xfail': 0, 'error': None}
    try:
        rc = tempest_run.whole_run(cloud, args, options)
    except errors.CloudError as e:
        rc, row['error'] = 1, str(e)
    row['rc'] = rc
    summary_path = cloud.lay.results / 'summary.json'
    try:
        summary = (json.loads(summary_path.read_text())
                   if this_runs(summary_path) else {})
    except (OSError, ValueError):
        summary = {}
    row['cold_start_s'] = summary.get('cold_start_s')
    row['duration_s'] = round(time.monotonic() - started, 1)
    stream = cloud.lay.results / 'results.subunit'
    tests = report.collect(stream) if this_runs(stream) else []
    counts = report.counts(tests)
    row.update(passed=counts['passed'], xfail=counts['xfail'],
               failed=counts['failed'] + counts['uxsuccess'])
    row['l1_loss_rate'] = next((t['kept']['l1-loss-rate'] for t in tests
                                if 'l1-loss-rate' in t['kept']), None)
    row['failures'] = [
        {'test': t['id'], 'status': t['status'],
         'message': t['details'][-4000:],
         'service_errors': errors_during(cloud.lay.logs, t['start'],
                                         t['stop'])}
        for t in tests if t['status'] in ('fail', 'uxsuccess')]
    return row


def _keep_evidence(cloud, n):
    target = cloud.lay.root / 'soak' / ('run-%02d' % n)
    shutil.rmtree(target, ignore_errors=True)
    for source in (cloud.lay.results, cloud.lay.logs):
        if source.exists():
            shutil.copytree(source, target / source.name)
    return target


def soak(make_cloud, runs, args, options):
    """Run the suite ``runs`` times; exit status 0 only if every run passed."""
    rows = []
    for n in range(1, runs + 1):
        cloud = make_cloud()
        print('soak: run %d of %d' % (n, runs), flush=True)
        row = _run_once(cloud, args, options)
        row['run'] = n
        if row['rc'] != 0:
            row['evidence'] = str(_keep_evidence(cloud, n))
        rows.append(row)
    out = cloud.lay.root / 'soak'
    out.mkdir(parents=True, exist_ok=True)
    (out / 'summary.json').write_text(json.dumps(rows, indent=2))
    print(table(rows))
    print('soak summary: %s' % (out / 'summary.json'))
    return 0 if all(r['rc'] == 0 for r in rows) else 1


def table(rows):
    lines = ['run  passed failed xfail  cold start  duration  L1 loss',
             '---  ------ ------ -----  ----------  --------  -------']
    for r in rows:
        lines.append('%3d  %6d %6d %5d  %9s  %7.0fs  %s' % (
            r['run'], r['passed'], r['failed'], r['xfail'],
            '%.1fs' % r['cold_start_s'] if r.get('cold_start_s') else '-',
            r['duration_s'], r['l1_loss_rate'] or '-'))
    by_test = {}
    for r in rows:
        for f in r['failures']:
            by_test.setdefault(f['test'], []).append(r['run'])
        if r['error']:
            by_test.setdefault('(run error) %s' % r['error'][:120],
                               []).append(r['run'])
    lines.append('%d of %d runs failed' % (
        sum(1 for r in rows if r['rc'] != 0), len(rows)))
    for test, failed_runs in sorted(by_test.items()):
        lines.append('  %s: failed in run(s) %s' % (
            test, ', '.join(map(str, failed_runs))))
    return '\n'.join(lines)
