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
tests; the cloud's cold start and its steps. From Heat's own events (its
database): how long Heat worked on the run's stack operations and on its
image resources, against the time the tests took. From the machine's
counters (/proc/stat): how busy its cores were meanwhile, so that a run
bound by CPU shows as one. Figures, not verdicts: no test asserts a time.
"""

import datetime

SLOWEST = 10
STACK_TYPE = 'OS::Heat::Stack'
IMAGE_TYPES = ('OS::Glance::WebImage', 'OS::Glance::Image')
ENDS = ('COMPLETE', 'FAILED')


def parse_events(rows):
    """Heat's event rows (postgres.query of HEAT_EVENTS) as dicts."""
    return [{'stack_id': stack_id, 'name': name, 'type': kind,
             'action': action, 'status': status,
             # Heat stores naive UTC.
             'at': datetime.datetime.fromisoformat(at).replace(
                 tzinfo=datetime.timezone.utc)}
            for stack_id, name, kind, action, status, at in rows]


# Every event since a moment (Heat's event table keeps those of deleted
# stacks).
HEAT_EVENTS = (
    "SELECT stack_id, resource_name, resource_type, resource_action, "
    "resource_status, to_char(created_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.US') "
    "FROM event WHERE created_at >= '%s' ORDER BY created_at, id")


def _spans(events, types):
    """(action, start, stop) of each action of resources of ``types``.

    An action runs from its IN_PROGRESS event to the next COMPLETE or
    FAILED event of the same action of the same resource.
    """
    started, spans = {}, []
    for ev in sorted(events, key=lambda e: e['at']):
        if ev['type'] not in types:
            continue
        key = (ev['stack_id'], ev['name'], ev['action'])
        if ev['status'] == 'IN_PROGRESS':
            started.setdefault(key, ev['at'])
        elif ev['status'] in ENDS and key in started:
            spans.append((ev['action'], started.pop(key), ev['at']))
    return spans


def _union_s(spans):
    """Seconds during which at least one span was running."""
    total, end = 0.0, None
    for _, start, stop in sorted(spans, key=lambda s: s[1]):
        if end is None or start > end:
            total += (stop - start).total_seconds()
            end = stop
        elif stop > end:
            total += (stop - end).total_seconds()
            end = stop
    return total


def stack_operations(events, tests):
    """How long Heat worked for the run, from its events.

    Stack operations (every stack's actions, nested stacks included) and
    image resource actions (Heat creating, updating or deleting an image:
    its calls to Glance and its waits for the import); ``busy_s`` of the
    tests is their summed duration, the time the suite spent, waiting on
    Heat or not.
    """
    stacks = _spans(events, (STACK_TYPE,))
    images = _spans(events, IMAGE_TYPES)
    by_action = {}
    for action, start, stop in stacks:
        row = by_action.setdefault(action, {'count': 0, 'seconds': 0.0})
        row['count'] += 1
        row['seconds'] += (stop - start).total_seconds()
    return {
        'operations': len(stacks),
        'by_action': {action: {'count': row['count'],
                               'seconds': round(row['seconds'], 1)}
                      for action, row in sorted(by_action.items())},
        'heat_s': round(sum((b - a).total_seconds()
                            for _, a, b in stacks), 1),
        'image_resources_s': round(sum((b - a).total_seconds()
                                       for _, a, b in images), 1),
        'heat_at_work_s': round(_union_s(stacks), 1),
        'tests_busy_s': round(sum(t['duration'] for t in tests), 1),
    }


def machine_use(first, last):
    """The machine's cores between two procs.machine_cpu readings.

    ``cpu_floor_s``: the wall time the CPU work done meanwhile (by the
    clouds, Tempest and anything else on the machine) takes at the least,
    every core busy all the time. A run whose ``wall_s`` is close to it is
    bound by CPU: more workers cannot make it faster, only less work.
    """
    busy, idle, stolen = (last[key] - first[key]
                          for key in ('busy_s', 'idle_s', 'stolen_s'))
    total = busy + idle + stolen
    cores = last['cores'] or 1
    return {'cores': last['cores'],
            'busy_cpu_s': round(busy, 1),
            'idle_cpu_s': round(idle, 1),
            'stolen_cpu_s': round(stolen, 1),
            'busy_share': round(busy / total, 3) if total else 0.0,
            'cpu_floor_s': round(busy / cores, 1)}


def measure(tests, phases, cold_start_s=None, start_steps=None,
            events=None, service_cpu=None, fault_cloud_start_s=None,
            start_machine=None):
    """The benchmark of a run.

    ``fault_cloud_start_s``: the start of the fault tests' own cloud, which
    starts before the first cloud (tempest_run.whole_run).
    ``start_machine``: machine_use over the first cloud's start.
    ``events``: Heat's events of the run (parse_events), None if they
    could not be read. ``service_cpu``: {cloud: {service: CPU seconds}}
    (Cloud.cpu_seconds at the end of the cloud's phase).
    ``tests``: report.collect's list; ``phases``: one dict per ``tempest
    run`` with its ``args`` and its ``start`` and ``stop`` (aware
    datetimes, the same clock as the stream's timestamps), optionally
    ``machine_at_start`` and ``machine_at_stop`` (procs.machine_cpu) and,
    for phases that ran side by side, ``ids``: the tests it ran (else: the
    tests that started inside its window).
    """
    out_phases = []
    first_start = min((p['start'] for p in phases), default=None)
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
            'starts_at_s': round((start - first_start).total_seconds(), 1),
            'wall_s': round((stop - start).total_seconds(), 1),
            # ``tempest run`` and its workers: the test side's own work.
            'tempest_cpu_s': phase.get('cpu_s'),
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
    machine = None
    if phases:
        first = min(phases, key=lambda p: p['start']).get('machine_at_start')
        last = max(phases, key=lambda p: p['stop']).get('machine_at_stop')
        if first and last:
            machine = machine_use(first, last)
    return {
        'cold_start_s': cold_start_s,
        'start_steps': start_steps,
        'start_machine': start_machine,
        'fault_cloud_start_s': fault_cloud_start_s,
        'wall_s': round(wall, 1),
        'phases': out_phases,
        'slowest': [{'id': t['id'], 'duration_s': t['duration'],
                     'worker': t['worker'], 'status': t['status']}
                    for t in slowest],
        'stack_operations': (None if events is None
                             else stack_operations(events, tests)),
        'service_cpu_s': service_cpu,
        'machine': machine,
    }


def lines(bench):
    """A few lines for the terminal."""
    out = []
    for number, phase in enumerate(bench['phases'], 1):
        workers = ', '.join(
            '%s %d tests, busy %.0f s, done at %.0f s' % (
                name, w['tests'], w['busy_s'], w['ends_at_s'])
            for name, w in phase['workers'].items())
        cpu = phase.get('tempest_cpu_s')
        starts = phase.get('starts_at_s')
        out.append('phase %d: %s%.0f s wall%s; %s'
                   % (number, 'from %.0f s, ' % starts if starts else '',
                      phase['wall_s'],
                      '' if cpu is None else ', Tempest %.0f CPU s' % cpu,
                      workers or 'no tests'))
    ops = bench.get('stack_operations')
    if ops:
        out.append(
            'Heat: %d stack operations (%s), %.0f s in all, at work %.0f s '
            'of %.0f s wall; image resources %.0f s; tests busy %.0f s'
            % (ops['operations'], ', '.join(
                '%s %d' % (a.lower(), r['count'])
                for a, r in ops['by_action'].items()), ops['heat_s'],
               ops['heat_at_work_s'], bench['wall_s'],
               ops['image_resources_s'], ops['tests_busy_s']))
    service_cpu = bench.get('service_cpu_s') or {}
    for cloud, by_service in sorted(service_cpu.items()):
        out.append('CPU seconds, %s: %s' % (cloud, ', '.join(
            '%s %.0f' % (name, seconds) for name, seconds in sorted(
                by_service.items(), key=lambda item: -item[1]))))
    start = bench.get('start_machine')
    if start:
        out.append('cold start: %.1f s, %.0f CPU s: %.1f s of wall at the '
                   'least on %d cores' % (bench['cold_start_s'] or 0,
                                          start['busy_cpu_s'],
                                          start['cpu_floor_s'],
                                          start['cores']))
    machine = bench.get('machine')
    if machine:
        out.append(
            'machine: %d cores %.0f %% busy over the run; its %.0f CPU s '
            'take %.0f s of wall at the least, every core busy%s'
            % (machine['cores'], 100 * machine['busy_share'],
               machine['busy_cpu_s'], machine['cpu_floor_s'],
               '; %.0f CPU s stolen by the hypervisor'
               % machine['stolen_cpu_s'] if machine['stolen_cpu_s'] >= 1
               else ''))
    if bench['slowest']:
        top = bench['slowest'][0]
        out.append('slowest test: %s (%.0f s); all ten in benchmark.json'
                   % (top['id'].split('[')[0], top['duration_s']))
    return out
