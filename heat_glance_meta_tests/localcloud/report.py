"""Results of a Tempest run: counts from the subunit stream, an HTML report."""

import html
import io

import subunit
import testtools

STATUSES = ('success', 'fail', 'skip', 'xfail', 'uxsuccess')


def collect(stream_path):
    """One dict per test: id, status, duration (s), details text."""
    tests = []

    def on_test(test):
        if test['status'] not in STATUSES:
            return
        start, stop = test['timestamps']
        duration = (stop - start).total_seconds() if start and stop else 0
        details = []
        for name, content in sorted(test['details'].items()):
            if name in ('traceback', 'reason'):
                details.append(content.as_text())
        tests.append({'id': test['id'], 'status': test['status'],
                      'duration': round(duration, 2),
                      'details': '\n'.join(details)})
    with open(stream_path, 'rb') as f:
        data = f.read()
    result = testtools.StreamToDict(on_test)
    result.startTestRun()
    subunit.ByteStreamToStreamResult(io.BytesIO(data)).run(result)
    result.stopTestRun()
    return tests


def counts(tests):
    names = {'success': 'passed', 'fail': 'failed', 'skip': 'skipped',
             'xfail': 'xfail', 'uxsuccess': 'uxsuccess'}
    out = {v: 0 for v in names.values()}
    for test in tests:
        out[names[test['status']]] += 1
    return out


def write_html(path, tests, summary):
    order = {'fail': 0, 'uxsuccess': 1, 'xfail': 2, 'skip': 3, 'success': 4}
    rows = []
    for test in sorted(tests, key=lambda t: (order[t['status']], t['id'])):
        details = ('<details><summary>details</summary><pre>%s</pre>'
                   '</details>' % html.escape(test['details'])
                   if test['details'] else '')
        rows.append('<tr class="%s"><td>%s</td><td>%s</td><td>%.2f</td>'
                    '<td>%s</td></tr>' % (test['status'], test['status'],
                                          html.escape(test['id']),
                                          test['duration'], details))
    c = summary['tests']
    page = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>heat-glance-meta-tests results</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
td {{ padding: 2px 8px; vertical-align: top; font-size: 90%; }}
tr.fail td, tr.uxsuccess td {{ background: #fdd; }}
tr.xfail td {{ background: #ffd; }} tr.skip td {{ background: #eee; }}
tr.success td {{ background: #dfd; }}
</style></head><body>
<h1>heat-glance-meta-tests on the local cloud</h1>
<p>{passed} passed, {failed} failed, {skipped} skipped, {xfail} expected
failures (known defects), {uxsuccess} unexpected successes.
Test time {duration} s; cloud cold start {cold} s; leaked {lstacks} stacks,
{limages} images.</p>
<table><tr><th>status</th><th>test</th><th>s</th><th></th></tr>
{rows}
</table></body></html>
""".format(rows='\n'.join(rows), duration=summary['duration_s'],
           cold=summary['cold_start_s'], lstacks=summary['leaked']['stacks'],
           limages=summary['leaked']['images'], **c)
    path.write_text(page)
