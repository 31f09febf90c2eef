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
"""Test timings kept across runs, so that stestr balances the workers.

stestr partitions the tests among workers by their known durations,
longest group first; a workspace made afresh by every ``up`` knows none.
Each run's durations are kept in the cache, per release and engine (the
releases whose oslo.messaging polls every 0.5 s are two to three times
slower), as the last few durations of each test; a new workspace gets, for
each test, the lower median of those. One slow outlier (a gabbi poll that
met the create race once took 377 s instead of 2) then cannot put a whole
file on a worker of its own.
"""

from dbm import dumb
import json
import os
import statistics

from stestr import utils

from heat_glance_meta_tests.localcloud import snapshot

KEEP = 5


def history_file(release, engine):
    return snapshot.cache_root() / 'stestr-times' / (
        '%s-%s.json' % (release, engine))


def _read(path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def save(release, engine, tests):
    """Add a run's durations (report.collect's tests) to the kept ones."""
    path = history_file(release, engine)
    kept = _read(path)
    for test in tests:
        if test['status'] == 'skip' or not test['duration']:
            continue
        # stestr looks timings up by the id without its [attributes].
        test_id = utils.cleanup_test_name(test['id'])
        kept[test_id] = (kept.get(test_id, []) + [test['duration']])[-KEEP:]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name('.%s.%d' % (path.name, os.getpid()))
    partial.write_text(json.dumps(kept, indent=0, sort_keys=True))
    os.replace(partial, path)


def estimates(release, engine):
    """Each kept test's expected duration: the lower median of its runs."""
    return {test_id: statistics.median_low(runs)
            for test_id, runs in _read(history_file(release, engine)).items()
            if runs}


def restore(workspace, release, engine):
    """Give a workspace without timings the kept estimates."""
    repo = workspace / '.stestr'
    known = estimates(release, engine)
    if not known or any(repo.glob('times.dbm*')):
        return
    # `tempest init` makes an empty repository; an older Tempest may not.
    repo.mkdir(exist_ok=True)
    if not (repo / 'format').exists():
        (repo / 'format').write_text('1\n')
        (repo / 'next-stream').write_text('0\n')
    db = dumb.open(str(repo / 'times.dbm'), 'c')
    try:
        for test_id, seconds in known.items():
            db[test_id] = str(seconds)
    finally:
        db.close()
