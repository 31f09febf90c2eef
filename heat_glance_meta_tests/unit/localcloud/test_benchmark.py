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
"""benchmark.json: phases, workers' busy time and balance, slowest tests."""

import datetime

import testtools

from heat_glance_meta_tests.localcloud import benchmark

T0 = datetime.datetime(2026, 11, 28, tzinfo=datetime.timezone.utc)


def at(seconds):
    return T0 + datetime.timedelta(seconds=seconds)


def timed(name, worker, start, stop):
    return {'id': name, 'worker': worker, 'status': 'success',
            'start': at(start), 'stop': at(stop), 'duration': stop - start}


class MeasureTest(testtools.TestCase):

    def test_workers_busy_time_and_when_they_ran_out_of_work(self):
        tests = [timed('a', 'worker-0', 0, 50),
                 timed('b', 'worker-0', 50, 60),
                 timed('c', 'worker-1', 0, 100),
                 timed('f', 'worker-0', 101, 131)]
        phases = [{'args': ['main'], 'start': at(0), 'stop': at(100)},
                  {'args': ['faults'], 'start': at(100), 'stop': at(131)}]
        bench = benchmark.measure(tests, phases, cold_start_s=10.5)
        main, faults = bench['phases']
        self.assertEqual({'worker-0': {'tests': 2, 'busy_s': 60.0,
                                       'ends_at_s': 60.0},
                          'worker-1': {'tests': 1, 'busy_s': 100.0,
                                       'ends_at_s': 100.0}},
                         main['workers'])
        self.assertEqual(0.4, main['imbalance'])
        self.assertEqual({'worker-0': {'tests': 1, 'busy_s': 30.0,
                                       'ends_at_s': 31.0}},
                         faults['workers'])
        self.assertEqual(131.0, bench['wall_s'])
        self.assertEqual(['c', 'a', 'f', 'b'],
                         [t['id'] for t in bench['slowest']])
        self.assertIn('worker-1 1 tests, busy 100 s, done at 100 s',
                      benchmark.lines(bench)[0])

    def test_phases_side_by_side_count_their_own_tests_and_time_once(self):
        tests = [timed('a', 'worker-0', 0, 90),
                 timed('f', 'worker-0', 5, 120)]
        phases = [{'args': ['main'], 'start': at(0), 'stop': at(100),
                   'ids': {'a'}},
                  {'args': ['faults'], 'start': at(2), 'stop': at(121),
                   'ids': {'f'}}]
        bench = benchmark.measure(tests, phases, fault_cloud_start_s=12.5)
        main, faults = bench['phases']
        self.assertEqual(90.0, main['workers']['worker-0']['busy_s'])
        self.assertEqual(115.0, faults['workers']['worker-0']['busy_s'])
        self.assertEqual(121.0, bench['wall_s'])
        self.assertEqual([0.0, 2.0], [p['starts_at_s'] for p in
                                      bench['phases']])
        self.assertEqual(12.5, bench['fault_cloud_start_s'])
        lines = benchmark.lines(bench)
        self.assertTrue(lines[0].startswith('phase 1: 100 s wall'), lines)
        self.assertTrue(lines[1].startswith('phase 2: from 2 s, 119 s wall'),
                        lines)

    def test_cpu_of_tempest_and_of_each_service(self):
        phases = [{'args': ['main'], 'start': at(0), 'stop': at(100),
                   'cpu_s': 61.5},
                  {'args': ['faults'], 'start': at(0), 'stop': at(90),
                   'cpu_s': None}]
        cpu = {'cloud': {'glance': 40.0, 'heat-engine': 160.2},
               'faults': {'heat-engine': 2.5}}
        bench = benchmark.measure([], phases, service_cpu=cpu)
        self.assertEqual([61.5, None],
                         [p['tempest_cpu_s'] for p in bench['phases']])
        self.assertEqual(cpu, bench['service_cpu_s'])
        out = benchmark.lines(bench)
        self.assertIn('phase 1: 100 s wall, Tempest 62 CPU s;', out[0])
        self.assertIn('phase 2: 90 s wall; no tests', out[1])
        self.assertIn('CPU seconds, cloud: heat-engine 160, glance 40', out)
        self.assertIn('CPU seconds, faults: heat-engine 2', out)

    def test_the_machine_cores_busy_over_the_whole_run(self):
        def reading(busy, idle, stolen):
            return {'cores': 2, 'busy_s': busy, 'idle_s': idle,
                    'stolen_s': stolen}
        # The machine's counters at the first phase's start and at the
        # last one's end: 300 CPU s busy, 100 idle, 4 stolen in 202 s.
        phases = [{'args': ['faults'], 'start': at(0), 'stop': at(190),
                   'machine_at_start': reading(1000, 5000, 10),
                   'machine_at_stop': reading(1280, 5090, 13)},
                  {'args': ['main'], 'start': at(10), 'stop': at(202),
                   'machine_at_start': reading(1010, 5005, 11),
                   'machine_at_stop': reading(1300, 5100, 14)}]
        start = benchmark.machine_use(reading(900, 4990, 10),
                                      reading(921, 4997, 10))
        bench = benchmark.measure([], phases, cold_start_s=14.2,
                                  start_machine=start)
        self.assertEqual(10.5, bench['start_machine']['cpu_floor_s'])
        self.assertIn('cold start: 14.2 s, 21 CPU s: 10.5 s of wall at the '
                      'least on 2 cores', benchmark.lines(bench))
        self.assertEqual({'cores': 2, 'busy_cpu_s': 300.0,
                          'idle_cpu_s': 100.0, 'stolen_cpu_s': 4.0,
                          'busy_share': 0.743, 'cpu_floor_s': 150.0},
                         bench['machine'])
        self.assertIn('machine: 2 cores 74 % busy over the run; its 300 '
                      'CPU s take 150 s of wall at the least, every core '
                      'busy; 4 CPU s stolen by the hypervisor',
                      benchmark.lines(bench))

    def test_without_the_machine_counters_no_machine_figures(self):
        bench = benchmark.measure([], [{'args': [], 'start': at(0),
                                        'stop': at(5)}])
        self.assertIsNone(bench['machine'])
        self.assertIsNone(bench['start_machine'])
        self.assertFalse([line for line in benchmark.lines(bench)
                          if line.startswith(('machine', 'cold start'))])

    def test_a_run_without_tests_still_measures(self):
        bench = benchmark.measure([], [{'args': [], 'start': at(0),
                                        'stop': at(5)}])
        self.assertEqual(0.0, bench['phases'][0]['imbalance'])
        self.assertEqual([], bench['slowest'])


def event(stack, name, kind, action, status, second):
    return {'stack_id': stack, 'name': name, 'type': kind,
            'action': action, 'status': status, 'at': at(second)}


class StackOperationsTest(testtools.TestCase):

    def test_operations_image_actions_and_time_at_work(self):
        s, img = benchmark.STACK_TYPE, 'OS::Glance::WebImage'
        events = [
            event('a', 'sa', s, 'CREATE', 'IN_PROGRESS', 0),
            event('a', 'image', img, 'CREATE', 'IN_PROGRESS', 1),
            # Heat retrying the create: the action still began at 1.
            event('a', 'image', img, 'CREATE', 'IN_PROGRESS', 4),
            event('a', 'image', img, 'CREATE', 'COMPLETE', 7),
            event('a', 'sa', s, 'CREATE', 'COMPLETE', 8),
            # b overlaps a: at work counts the overlap once.
            event('b', 'sb', s, 'CREATE', 'IN_PROGRESS', 4),
            event('b', 'sb', s, 'CREATE', 'FAILED', 10),
            event('a', 'sa', s, 'UPDATE', 'IN_PROGRESS', 20),
            event('a', 'hold', 'OS::Heat::TestResource', 'UPDATE',
                  'IN_PROGRESS', 20),
            event('a', 'sa', s, 'UPDATE', 'COMPLETE', 23),
            # Never ended within the run: not an operation.
            event('c', 'sc', s, 'DELETE', 'IN_PROGRESS', 30),
        ]
        ops = benchmark.stack_operations(
            events, [timed('t', 'worker-0', 0, 25)])
        self.assertEqual(3, ops['operations'])
        self.assertEqual({'CREATE': {'count': 2, 'seconds': 14.0},
                          'UPDATE': {'count': 1, 'seconds': 3.0}},
                         ops['by_action'])
        self.assertEqual(17.0, ops['heat_s'])
        self.assertEqual(13.0, ops['heat_at_work_s'])
        self.assertEqual(6.0, ops['image_resources_s'])
        self.assertEqual(25.0, ops['tests_busy_s'])

    def test_rows_from_the_database_and_the_summary_line(self):
        rows = [('a', 'sa', benchmark.STACK_TYPE, 'CREATE', 'IN_PROGRESS',
                 '2026-11-28T10:00:00.000000'),
                ('a', 'sa', benchmark.STACK_TYPE, 'CREATE', 'COMPLETE',
                 '2026-11-28T10:00:02.500000')]
        events = benchmark.parse_events(rows)
        self.assertEqual(datetime.timezone.utc, events[0]['at'].tzinfo)
        bench = benchmark.measure([], [{'args': [], 'start': at(0),
                                        'stop': at(5)}], events=events)
        self.assertEqual(2.5, bench['stack_operations']['heat_s'])
        self.assertIn('Heat: 1 stack operations (create 1), 2 s in all',
                      '\n'.join(benchmark.lines(bench)))

    def test_without_events_no_figures(self):
        bench = benchmark.measure([], [])
        self.assertIsNone(bench['stack_operations'])
