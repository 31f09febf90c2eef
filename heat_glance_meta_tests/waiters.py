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
"""The suite's one waiter: poll a probe until done, failed or out of time.

Everything that waits (stack states, image deletion, the local cloud's
services) goes through :func:`wait_until`. It polls adaptively: the first
look comes after a few tens of milliseconds and the gap grows to a small cap,
so a fast operation is noticed almost at once while a slow one costs few
requests. It fails at once when the probe reports a failure, and a timeout
message carries the last observation, so a red run says where it stood.
"""

import time


class WaitError(Exception):
    """Base of the waiter's failures; the message says what and where."""


class WaitTimeout(WaitError):
    """The condition did not hold within the time allowed."""


class WaitFailed(WaitError):
    """The probe reported a state from which the target cannot be reached."""


def intervals(first, cap, factor=1.5):
    """Yield poll gaps: ``first``, then times ``factor``, up to ``cap``."""
    gap = min(first, cap)
    while True:
        yield gap
        gap = min(gap * factor, cap)


def wait_until(probe, done, what, timeout, failed=None, describe=repr,
               first_interval=0.05, max_interval=0.25,
               clock=time.monotonic, sleep=time.sleep):
    """Call ``probe()`` until ``done(observation)`` is true; return it.

    :param probe: callable returning the current observation.
    :param done: predicate on an observation.
    :param what: what is awaited, for messages ("stack s1 CREATE_COMPLETE").
    :param timeout: seconds before giving up with :class:`WaitTimeout`.
    :param failed: callable returning a reason (str) when the observation
        means the target can no longer be reached, else None; the wait then
        stops at once with :class:`WaitFailed`.
    :param describe: renders an observation for messages.
    """
    deadline = clock() + timeout
    gaps = intervals(first_interval, max_interval)
    while True:
        observation = probe()
        if done(observation):
            return observation
        reason = failed(observation) if failed else None
        if reason:
            raise WaitFailed('%s: failed: %s (last seen: %s)'
                             % (what, reason, describe(observation)))
        remaining = deadline - clock()
        if remaining <= 0:
            raise WaitTimeout('%s: not reached within %.1f s (last seen: %s)'
                              % (what, timeout, describe(observation)))
        sleep(min(next(gaps), remaining))
