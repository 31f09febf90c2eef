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
"""Where a run's time went: benchmark.json, written by every run.

From the subunit stream's timestamps and worker tags: per phase, its wall
time and each worker's busy time, test count and when it ran out of work
(a worker that ends early sat idle while the other still ran); the slowest
tests; the cloud's cold start and its steps. Figures, not verdicts: no
test asserts a time.
"""

SLOWEST = 10


def measure(tests, phases, cold_start_s=None, start_steps=None):
    """The benchmark of a run.

    ``tests``: report.collect's list; ``phases``: one dict per ``tempest
    run`` with its ``args`` and its ``start`` and ``stop`` (aware
    datetimes, the same clock as the stream's timestamps) and, for phases
    that ran side by side, ``ids``: the tests it ran (else: the tests that
    started inside its window).
    """
    out_phases = []
    for phase in phases:
        start, stop = phase['start'], phase['stop']
        ids = phase.get('ids')
        inside = [t for t in tests if t['start'] and t['stop'] and
                  (t['id'] in ids if ids is not None
                   else start <= t['start'] <= stop)]
        workers = {}
        for test in inside:
            w = workers.setdefault(test['worker'] or 'worker-0', {
                'tests': 0, 'busy_s': 0.0, 'last_stop': start})
            w['tests'] += 1
            w['busy_s'] += test['duration']
            w['last_stop'] = max(w['last_stop'], test['stop'])
        rows = {name: {'tests': w['tests'],
                       'busy_s': round(w['busy_s'], 1),
                       'ends_at_s': round(
                           (w['last_stop'] - start).total_seconds(), 1)}
                for name, w in sorted(workers.items())}
        ends = [r['ends_at_s'] for r in rows.values()]
        out_phases.append({
            'args': phase['args'],
            'wall_s': round((stop - start).total_seconds(), 1),
            'workers': rows,
            # How much earlier the first worker ran out of work than the
            # last, as a share of the phase: 0 is perfectly balanced.
            'imbalance': (round((max(ends) - min(ends)) / max(ends), 3)
                          if ends and max(ends) else 0.0)})
    slowest = sorted((t for t in tests if t['duration']),
                     key=lambda t: -t['duration'])[:SLOWEST]
    # From the first phase's start to the last one's end: phases that ran
    # side by side count once.
    wall = (max(p['stop'] for p in phases) -
            min(p['start'] for p in phases)).total_seconds() if phases else 0
    return {
        'cold_start_s': cold_start_s,
        'start_steps': start_steps,
        'wall_s': round(wall, 1),
        'phases': out_phases,
        'slowest': [{'id': t['id'], 'duration_s': t['duration'],
                     'worker': t['worker'], 'status': t['status']}
                    for t in slowest],
    }


def lines(bench):
    """A few lines for the terminal."""
    out = []
    for number, phase in enumerate(bench['phases'], 1):
        workers = ', '.join(
            '%s %d tests, busy %.0f s, done at %.0f s' % (
                name, w['tests'], w['busy_s'], w['ends_at_s'])
            for name, w in phase['workers'].items())
        out.append('phase %d: %.0f s wall; %s'
                   % (number, phase['wall_s'], workers or 'no tests'))
    if bench['slowest']:
        top = bench['slowest'][0]
        out.append('slowest test: %s (%.0f s); all ten in benchmark.json'
                   % (top['id'].split('[')[0], top['duration_s']))
    return out
