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
"""The waiter: adaptive intervals, early failure, timeouts that say where."""

import testtools

from heat_glance_meta_tests import waiters


class FakeClock:
    """A clock that moves only when the waiter sleeps."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class WaitUntilTest(testtools.TestCase):

    def _wait(self, observations, clock=None, **kwargs):
        clock = clock or FakeClock()
        seq = iter(observations)
        kwargs.setdefault('timeout', 10)
        result = waiters.wait_until(
            lambda: next(seq), lambda o: o == 'done', 'the thing',
            clock=clock, sleep=clock.sleep, **kwargs)
        return result, clock

    def test_returns_first_done_observation_without_sleeping(self):
        result, clock = self._wait(['done'])
        self.assertEqual('done', result)
        self.assertEqual([], clock.sleeps)

    def test_intervals_start_small_and_grow_to_cap(self):
        _, clock = self._wait(['a'] * 8 + ['done'], first_interval=0.05,
                              max_interval=0.25)
        self.assertEqual(0.05, clock.sleeps[0])
        self.assertEqual(sorted(clock.sleeps), clock.sleeps)
        self.assertEqual(0.25, max(clock.sleeps))
        # Completion is noticed at most one cap after it happened.
        self.assertLessEqual(max(clock.sleeps), 0.25)

    def test_failed_observation_stops_at_once_with_reason(self):
        clock = FakeClock()
        seq = iter(['IN_PROGRESS', 'CREATE_FAILED'])
        e = self.assertRaises(
            waiters.WaitFailed, waiters.wait_until, lambda: next(seq),
            lambda o: o == 'CREATE_COMPLETE', 'stack s1', 10,
            failed=lambda o: 'boom' if o.endswith('FAILED') else None,
            clock=clock, sleep=clock.sleep)
        self.assertIn('stack s1', str(e))
        self.assertIn('boom', str(e))
        self.assertIn('CREATE_FAILED', str(e))
        self.assertEqual(1, len(clock.sleeps))

    def test_timeout_names_target_and_last_observation(self):
        clock = FakeClock()
        e = self.assertRaises(
            waiters.WaitTimeout, waiters.wait_until, lambda: 'IN_PROGRESS',
            lambda o: False, 'stack s2 CREATE_COMPLETE', 2.0,
            clock=clock, sleep=clock.sleep)
        self.assertIn('stack s2 CREATE_COMPLETE', str(e))
        self.assertIn('2.0 s', str(e))
        self.assertIn('IN_PROGRESS', str(e))
        # It never sleeps past the deadline.
        self.assertAlmostEqual(2.0, clock.now)

    def test_intervals_generator(self):
        gen = waiters.intervals(0.1, 0.3, factor=2)
        self.assertEqual([0.1, 0.2, 0.3, 0.3], [next(gen) for _ in range(4)])
