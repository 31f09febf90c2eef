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
"""``heat-glance-meta-cloud matrix``: the suite on each release and engine.

One run per (release, engine), one after another on the same cloud
directory; each run's results are kept under ``D/matrix/RELEASE-ENGINE/``.
From each run's results it says, per known defect, whether the release has
it: *present* (its check failed as the defect predicts), *fixed* (its check
passed where the defect would fail it), *n.a.* (the defect cannot apply:
D16 on the legacy engine), *not seen* (no check ran, or a race that did not
happen), *error* (a check tied to it failed otherwise). The table is
written as matrix.json, matrix.txt and matrix.html in ``D/matrix/``.

``--observe`` declares every defect present, so a fixed one shows as an
unexpected success instead of hiding behind its option;
``--write-defaults`` then stores what was observed as the releases'
known-defect defaults (etc/releases/known-defects.json), which later runs
on those releases use.
"""

import datetime
import html
import json
import pathlib
import re
import shutil
import time

from heat_glance_meta_tests.localcloud import errors
from heat_glance_meta_tests.localcloud import releases
from heat_glance_meta_tests.localcloud import report

STATUSES = ('present', 'fixed', 'n.a.', 'not seen', 'error')
# Defects that cannot apply to an engine.
NOT_APPLICABLE = {('D16', 'legacy')}

_OBSERVED = re.compile(r'known defect (\w+) \(')
_FIXED = re.compile(r'known defect (\w+) \([^)]*\):.*?did not reproduce',
                    re.S)
_CONFIGURED_FIXED = re.compile(r'\b(\w+) is configured fixed \(\[')
# A gabbi request declares its defect in its name, hence in the test id.
_GABBI = re.compile(r'\(known_defect_([a-z]\d+)\)')


def classify(tests, engine, defect_ids, row=None):
    """Per defect id, its status on the run whose ``tests`` are given.

    ``row``: the defaults the run used (defect id -> status), which tell
    an unmentioned defect configured fixed (it passed) from an unseen one.
    """
    seen = {d: set() for d in defect_ids}
    for test in tests:
        text = test['details']
        if test['status'] == 'xfail':
            found = {(d, 'present') for d in _OBSERVED.findall(text)}
        elif test['status'] == 'uxsuccess':
            found = {(d, 'fixed') for d in _FIXED.findall(text)}
        elif test['status'] == 'fail':
            found = {(d, 'present') for d in _CONFIGURED_FIXED.findall(text)}
            found |= {(d, 'error') for d in _OBSERVED.findall(text)
                      if (d, 'present') not in found}
        else:
            continue
        named = _GABBI.search(test['id'])
        if named:
            found.add((named.group(1).upper(), {
                'xfail': 'present', 'uxsuccess': 'fixed'}.get(
                    test['status'], 'error')))
        for defect_id, status in found:
            if defect_id in seen:
                seen[defect_id].add(status)
    out = {}
    for defect_id, statuses in seen.items():
        if 'present' in statuses:
            out[defect_id] = 'present'
        elif (defect_id, engine) in NOT_APPLICABLE:
            out[defect_id] = 'n.a.'
        elif 'error' in statuses:
            out[defect_id] = 'error'
        elif 'fixed' in statuses:
            out[defect_id] = 'fixed'
        elif (row or {}).get(defect_id) in ('fixed', 'n.a.'):
            out[defect_id] = row[defect_id]
        else:
            out[defect_id] = 'not seen'
    return out


def run(make_cloud, chosen, engines, tempest_args, options, whole_run):
    """Run the suite on every (release, engine); the matrix as a dict.

    ``whole_run(cloud, args, options)`` is tempest_run.whole_run;
    ``options`` carries what it needs; release, engine and defects are set
    here for each run.
    """
    from heat_glance_meta_tests import known_defects
    defect_ids = list(known_defects.DEFECTS)
    mode = 'observe' if options.observe else 'defaults'
    cells = []
    for release in chosen:
        for engine in engines:
            cloud = make_cloud()
            started = time.monotonic()
            _, installed_s = releases.services_bin(release)
            options.release, options.engine = release, engine
            options.defects = mode
            print('matrix: release %s, %s engine (%s)'
                  % (release.describe(), engine, mode), flush=True)
            status = whole_run(cloud, tempest_args, options)
            results = cloud.lay.results
            summary = json.loads((results / 'summary.json').read_text())
            row = (releases.table().get('releases', {})
                   .get(release.name, {}).get(engine))
            defects = classify(report.collect(results / 'results.subunit'),
                               engine, defect_ids,
                               None if mode == 'observe' else row)
            kept = cloud.lay.root / 'matrix' / ('%s-%s' % (release.name,
                                                           engine))
            shutil.rmtree(kept, ignore_errors=True)
            shutil.copytree(results, kept)
            cells.append({
                'release': release.name, 'series': release.series,
                'versions': release.versions, 'engine': engine,
                'exit': status, 'tests': summary['tests'],
                'leaked': summary['leaked'],
                'install_s': installed_s,
                'cold_start_s': summary.get('cold_start_s'),
                'tests_s': summary.get('duration_s'),
                'wall_s': round(time.monotonic() - started, 1),
                'results': str(kept), 'defects': defects})
    return {'generated_at': datetime.datetime.now(datetime.timezone.utc)
            .strftime('%Y-%m-%d %H:%M UTC'),
            'mode': mode, 'tempest_args': tempest_args,
            'defects': {d: known_defects.DEFECTS[d].option
                        for d in defect_ids},
            'cells': cells}


def column(cell):
    return '%s %s' % (cell['release'], cell['engine'][:4])


def text_table(matrix):
    """The matrix as fixed-width text.

    Defects down, release and engine across, then counts and times.
    """
    cells = matrix['cells']
    rows = [['defect'] + [column(c) for c in cells]]
    for defect_id in matrix['defects']:
        rows.append([defect_id] + [c['defects'][defect_id] for c in cells])
    for key in ('passed', 'failed', 'xfail', 'uxsuccess', 'skipped'):
        rows.append([key] + [str(c['tests'][key]) for c in cells])
    rows.append(['leaked'] + ['%d/%d' % (c['leaked']['stacks'],
                                         c['leaked']['images'])
                              for c in cells])
    for key, label in (('install_s', 'install s'),
                       ('cold_start_s', 'start s'),
                       ('tests_s', 'tests s'), ('wall_s', 'wall s')):
        rows.append([label] + ['%.0f' % (c[key] or 0) for c in cells])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ['  '.join(v.ljust(w) for v, w in zip(row, widths)).rstrip()
             for row in rows]
    lines.insert(1, '  '.join('-' * w for w in widths))
    return '\n'.join(lines) + '\n'


def html_table(matrix):
    cells = matrix['cells']
    head = ''.join('<th>%s</th>' % html.escape(column(c)) for c in cells)
    body = []
    for defect_id, option in matrix['defects'].items():
        body.append('<tr><th title="%s">%s</th>%s</tr>' % (
            html.escape(option), defect_id, ''.join(
                '<td class="%s">%s</td>' % (
                    c['defects'][defect_id].replace(' ', '-').strip('.'),
                    c['defects'][defect_id]) for c in cells)))
    for key in ('passed', 'failed', 'xfail', 'uxsuccess', 'skipped'):
        body.append('<tr><th>%s</th>%s</tr>' % (key, ''.join(
            '<td>%d</td>' % c['tests'][key] for c in cells)))
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>'
            'heat-glance-meta-tests release matrix</title><style>'
            'td,th{padding:2px 8px;border:1px solid #ccc}'
            '.present{background:#fdd}.fixed{background:#dfd}'
            '.error{background:#f99}</style></head><body>'
            '<h1>Known defects by release (%s, %s)</h1><table><tr><th>'
            'defect</th>%s</tr>%s</table></body></html>\n'
            % (html.escape(matrix['generated_at']), matrix['mode'], head,
               '\n'.join(body)))


def write(matrix, directory):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / 'matrix.json').write_text(json.dumps(matrix, indent=1))
    (directory / 'matrix.txt').write_text(text_table(matrix))
    (directory / 'matrix.html').write_text(html_table(matrix))


def require_observe(mode):
    if mode != 'observe':
        raise errors.CloudError('--write-defaults needs --observe: only a '
                                'run with every defect declared present '
                                'tells present from fixed')


def defaults_folder():
    """etc/releases of the checkout the command runs in (tox runs there).

    The installed copy is not the place: the next install replaces it.
    """
    folder = pathlib.Path.cwd() / 'etc' / 'releases'
    if not (folder / 'releases.yaml').is_file():
        raise errors.CloudError(
            '--write-defaults writes etc/releases/%s of the project\'s '
            'checkout: run it from the checkout (no etc/releases/'
            'releases.yaml in %s)' % (releases.TABLE, pathlib.Path.cwd()))
    return folder


def _ran(run):
    return sum((run or {}).get('tests', {}).values())


def write_defaults(matrix, folder):
    """Store the observed statuses as the releases' defaults.

    etc/releases/known-defects.json keeps, per release and engine, the
    statuses (which tempest.conf's options are rendered from) and the run
    they came from (the widest run of each); known-defects.txt beside it
    is the table of all of them, which the documentation includes.
    """
    require_observe(matrix['mode'])
    path = folder / releases.TABLE
    data = json.loads(path.read_text()) if path.exists() else {}
    data['about'] = ('Made by `heat-glance-meta-cloud matrix --observe '
                     '--write-defaults`: per release and engine, what the '
                     'suite observed of each known defect, and the run it '
                     'observed it in. Do not edit by hand.')
    data.setdefault('releases', {})
    data.setdefault('runs', {})
    for cell in matrix['cells']:
        row = data['releases'].setdefault(cell['release'], {}).setdefault(
            cell['engine'], {})
        # A run of part of the suite adds to what earlier runs observed:
        # what it did not see keeps its earlier status.
        row.update({d: status for d, status in cell['defects'].items()
                    if status != 'not seen' or d not in row})
        run = {k: v for k, v in cell.items()
               if k not in ('defects', 'results', 'exit')}
        run.update(generated_at=matrix['generated_at'],
                   tempest_args=matrix['tempest_args'])
        runs = data['runs'].setdefault(cell['release'], {})
        # The table shows the widest run of each: a run of a few tests
        # adds statuses, not counts.
        if _ran(run) >= _ran(runs.get(cell['engine'])):
            runs[cell['engine']] = run
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + '\n')
    cells = []
    for release, engines in sorted(data['runs'].items()):
        for engine, run in sorted(engines.items()):
            # A defect declared after a release's runs was never checked
            # there.
            seen = dict.fromkeys(matrix['defects'], 'not seen')
            seen.update(data['releases'][release][engine])
            cells.append(dict(run, defects=seen))
    whole = {'defects': matrix['defects'], 'cells': cells}
    path.with_suffix('.txt').write_text(text_table(whole))
    return path
