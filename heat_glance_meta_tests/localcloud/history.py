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
"""Evidence that survives the next cloud: the last clouds' logs and results.

``up`` starts from empty directories, so before it wipes anything it moves
the previous cloud's ``D/logs`` and ``D/results`` (with Tempest's own log)
to ``D/history/<time>/``. The history keeps the newest ``KEEP`` entries and
at most ``MAX_BYTES`` in all, dropping the oldest first; the newest entry is
always kept, whatever its size.
"""

import os
import shutil
import time

KEEP = 5
MAX_BYTES = 512 * 1024 * 1024


def _size(path):
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                pass
    return total


def _has_files(path):
    return path.is_dir() and any(f for _, _, f in os.walk(path) if f)


def archive(lay, keep=KEEP, max_bytes=MAX_BYTES):
    """Move the last cloud's evidence to D/history; return where, or None."""
    sources = [lay.logs, lay.results, lay.tempest / 'tempest.log']
    if not any(_has_files(p) or p.is_file() for p in sources):
        return None
    # <sequence>-<when the cloud last wrote>: sorts oldest first.
    stamp = time.strftime('%Y%m%d-%H%M%S', time.localtime(
        max(p.stat().st_mtime for p in sources if p.exists())))
    found = entries(lay)
    sequence = int(found[-1].name.split('-')[0]) + 1 if found else 1
    target = lay.history / ('%06d-%s' % (sequence, stamp))
    target.mkdir(parents=True)
    for source in sources:
        if source.exists():
            shutil.move(str(source), str(target / source.name))
    prune(lay, keep, max_bytes)
    return target


def entries(lay):
    """History entries, oldest first."""
    if not lay.history.is_dir():
        return []
    return sorted(p for p in lay.history.iterdir()
                  if p.is_dir() and p.name.split('-')[0].isdigit())


def prune(lay, keep=KEEP, max_bytes=MAX_BYTES):
    found = entries(lay)
    sizes = {p: _size(p) for p in found}
    while len(found) > 1 and (len(found) > keep or
                              sum(sizes[p] for p in found) > max_bytes):
        shutil.rmtree(found.pop(0), ignore_errors=True)
