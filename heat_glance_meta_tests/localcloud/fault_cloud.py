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
"""The fault tests' own cloud, running beside the one the rest uses.

The fault tests restart services, so no other test may use the services
they restart. ``run`` gives them a second cloud, ``D/faults`` on the block
of ports after the first cloud's highest one, and runs them there while the
rest of the suite runs on the first: the run lasts as long as the longer of
the two, not their sum. The fault tests mostly wait (for a restart, for
Heat's timeouts), so they cost the other phase little CPU.
"""

import functools
import threading

from heat_glance_meta_tests.localcloud import cloud as cloud_mod
from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests.localcloud import layout

SUBDIR = 'faults'
LABEL = 'faults'
# One test at a time: one heat-engine worker is enough, and each restart
# then loads Heat once instead of four times.
ENGINE_WORKERS = 1
# Its slow image, and so heat-engine's graceful stop, are shorter than the
# main cloud's: nothing else loads this cloud, and four of its tests wait
# out one or the other (the broker's test waits behind a resource of its
# own instead).
SLOW_IMAGE_S = 8


def layout_beside(lay):
    """D/faults, on the ports right after ``lay``'s highest one."""
    base = max(lay.ports.values()) + 1
    try:
        ports = layout.ports_from_base(base)
    except ValueError as e:
        raise errors.CloudError(
            "no ports left for the fault tests' cloud (%s): give the cloud "
            'a lower --port-base' % e)
    return layout.Layout.at(lay.root / SUBDIR, ports=ports)


class FaultCloud:
    """Starts the second cloud and runs one phase on it, in a thread."""

    def __init__(self, beside, up_options):
        """``up_options``: Cloud.up's keyword arguments (as the first's)."""
        self.cloud = cloud_mod.Cloud(layout_beside(beside.lay))
        self.up_options = dict(up_options, engine_workers=ENGINE_WORKERS,
                               slow_image_s=SLOW_IMAGE_S)
        self.result = None
        self.state = None  # Cloud.up's, once the cloud is up
        self.error = None
        self._thread = None
        self._stopping = False
        self._proc = None
        self._up_or_failed = threading.Event()
        self.say = functools.partial(print, flush=True)

    def start(self, run_phase):
        """Start the cloud, then ``run_phase(cloud, self)``; return at once.

        ``run_phase`` hands its ``tempest run`` process to ``watch``, so
        that ``stop`` can end it.
        """
        def body():
            try:
                try:
                    state = self.state = self.cloud.up(**self.up_options)
                finally:
                    self._up_or_failed.set()
                self.say('[%s] cloud up in %.1f s from %s (schema %s)' % (
                    LABEL, state['cold_start_s'], self.cloud.lay.root,
                    state['schema']))
                if not self._stopping:
                    self.result = run_phase(self.cloud, self)
            except errors.CloudError as e:
                self.error = errors.CloudError(
                    "the fault tests' cloud in %s: %s"
                    % (self.cloud.lay.root, e))
            except Exception as e:  # reported as the run's failure
                self.error = errors.CloudError(
                    "the fault tests' cloud in %s failed: %s: %s; its logs "
                    'are in %s' % (self.cloud.lay.root, type(e).__name__, e,
                                   self.cloud.lay.logs))
        self._thread = threading.Thread(target=body, name='fault-cloud',
                                        daemon=True)
        self._thread.start()

    def wait_up(self, timeout=None):
        """Wait until the cloud is up or its start failed (see join).

        Unbounded by default: the start's own waits are bounded. False if
        ``timeout`` passed first.
        """
        return self._up_or_failed.wait(timeout)

    def watch(self, proc):
        """The phase's process: ``stop`` terminates it if it still runs."""
        self._proc = proc
        if self._stopping:
            proc.terminate()

    def join(self):
        """The phase's result; a CloudError if the cloud or phase failed."""
        self._thread.join()
        if self.error is not None:
            raise self.error
        return self.result

    def stop(self):
        """End the phase if it still runs, then stop the cloud.

        Waits for a start in progress to finish (bounded by the start's own
        timeouts), so that no service it starts outlives the run.
        """
        self._stopping = True
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
        if self._thread is not None:
            self._thread.join()
        self.cloud.down(quiet=True)
