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
"""Processes and ports: start in a process group of its own, stop that group.

Every service is started with ``setsid`` so that its recorded pid is also its
process group; stopping signals that group only (TERM, then KILL after a
grace period), never a process found by name. Daemons stopped by another
process than the one that started them are reparented to a PID 1 that may not
reap them, so a zombie counts as gone.
"""

import errno
import os
import re
import signal
import socket
import subprocess

from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests import waiters


def _proc_stat(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            raw = f.read()
    except OSError:
        return None
    # The command name is in parentheses and may contain spaces.
    fields = raw[raw.rindex(')') + 2:].split()
    # utime, stime, and those of the children it has waited for.
    ticks = sum(int(f) for f in fields[11:15])
    return {'state': fields[0], 'pgrp': int(fields[2]),
            'cpu_s': ticks / os.sysconf('SC_CLK_TCK')}


def is_alive(pid):
    stat = _proc_stat(pid)
    return stat is not None and stat['state'] != 'Z'


def group_members(pgid):
    """Pids of live (non-zombie) processes in process group ``pgid``."""
    members = []
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            stat = _proc_stat(int(entry))
            if stat and stat['pgrp'] == pgid and stat['state'] != 'Z':
                members.append(int(entry))
    return members


def group_cpu_s(pgid):
    """CPU seconds of process group ``pgid``'s live members so far.

    With what their children that ended used (a uWSGI worker respawned, a
    PostgreSQL backend closed): a member that ended is counted in the one
    that reaped it.
    """
    # A member that ends meanwhile has no stat: its reaper counts it.
    stats = (_proc_stat(pid) for pid in group_members(pgid))
    return sum(stat['cpu_s'] for stat in stats if stat)


def machine_cpu(stat_path='/proc/stat'):
    """The machine's CPU seconds since it booted, all cores summed.

    ``busy_s``: user, nice, system, irq and softirq time; ``idle_s``: idle
    and I/O wait; ``stolen_s``: time the hypervisor gave another guest;
    ``cores``: how many /proc/stat lists.
    """
    with open(stat_path) as f:
        lines = f.read().splitlines()
    ticks = [int(x) for x in lines[0].split()[1:]] + [0] * 8
    user, nice, system, idle, iowait, irq, softirq, steal = ticks[:8]
    hertz = os.sysconf('SC_CLK_TCK')
    return {'cores': sum(1 for line in lines if re.match(r'cpu\d', line)),
            'busy_s': (user + nice + system + irq + softirq) / hertz,
            'idle_s': (idle + iowait) / hertz,
            'stolen_s': steal / hertz}


def start(argv, log_path, pidfile, env=None, user=None, cwd=None):
    """Start ``argv`` in a new session, output to ``log_path``; return pid."""
    log = open(log_path, 'ab')
    try:
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, env=env, cwd=cwd,
            start_new_session=True, user=user, group=user)
    except FileNotFoundError:
        raise errors.CloudError('cannot start %s: %s not found'
                                % (pidfile.stem, argv[0]))
    finally:
        log.close()
    pidfile.write_text('%d\n' % proc.pid)
    return proc.pid


def run_logged(argv, log_path, user=None, env=None):
    """Run a one-shot command to its end, output appended to a log; rc."""
    with open(log_path, 'ab') as log:
        return subprocess.call(argv, stdin=subprocess.DEVNULL, stdout=log,
                               stderr=subprocess.STDOUT, user=user,
                               group=user, env=env)


def read_pid(pidfile):
    try:
        return int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return None


def stop_group(pgid, what, grace=10.0, sig=signal.SIGTERM):
    """Signal the group, KILL it after ``grace`` s; True if it had members."""
    if not group_members(pgid):
        return False
    _signal_group(pgid, sig)
    try:
        waiters.wait_until(lambda: group_members(pgid), lambda m: not m,
                           '%s to exit after %s' % (what, sig.name), grace,
                           max_interval=0.1)
    except waiters.WaitTimeout:
        _signal_group(pgid, signal.SIGKILL)
        waiters.wait_until(lambda: group_members(pgid), lambda m: not m,
                           '%s to exit after SIGKILL' % what, 5.0,
                           max_interval=0.1)
    return True


def _signal_group(pgid, sig):
    try:
        os.killpg(pgid, sig)
    except OSError as e:
        if e.errno != errno.ESRCH:
            raise


def port_in_use(port, host='127.0.0.1'):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def port_accepts(port, host='127.0.0.1'):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def listener_of(port):
    """Describe who listens on ``port`` ("pid 12 (postgres)"), or None."""
    inodes = set()
    for table in ('/proc/net/tcp', '/proc/net/tcp6'):
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            local, state, inode = cols[1], cols[3], cols[9]
            if state == '0A' and int(local.rsplit(':', 1)[1], 16) == port:
                inodes.add('socket:[%s]' % inode)
    if not inodes:
        return None
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        fd_dir = '/proc/%s/fd' % entry
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink('%s/%s' % (fd_dir, fd)) in inodes:
                    with open('/proc/%s/comm' % entry) as f:
                        return 'pid %s (%s)' % (entry, f.read().strip())
            except OSError:
                continue
    return 'an unknown process'


def tail(path, lines=8):
    """The last ``lines`` lines of a log, for error messages."""
    try:
        with open(path, 'rb') as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 16384))
            text = f.read().decode('utf-8', 'replace')
    except OSError:
        return '(no log)'
    return '\n'.join(text.splitlines()[-lines:])
