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
"""What a test run left behind: stacks and images that appeared and stayed.

Takes an admin session. Before the run :func:`snapshot` records every stack
(of all projects; Heat's ``stacks:global_index`` policy must allow admin, as
the local cloud's does) and every image; after it :func:`new_since` lists the
ones that were not there before, with the project that owns each.

A leak is this suite's when its name carries :data:`SUITE_MARK` (every stack
and image the suite makes is named so, through Tempest's ``rand_name``);
anything else was left by another suite run on the same cloud (for example
heat-tempest-plugin's API tests, which keep stacks in their static project).
"""

import collections

SUITE_MARK = 'hgmt-'


def _images(sess):
    images, url = {}, '/v2/images?limit=200'
    while url:
        body = sess.get(url, endpoint_filter={
            'service_type': 'image', 'interface': 'public'}).json()
        images.update((i['id'], (i.get('name'), i.get('owner')))
                      for i in body['images'])
        url = body.get('next')
    return images


def _stacks(sess):
    body = sess.get('/stacks?global_tenant=true', endpoint_filter={
        'service_type': 'orchestration', 'interface': 'public'}).json()
    return {s['id']: (s['stack_name'], s.get('project'))
            for s in body['stacks']
            if s['stack_status'] != 'DELETE_COMPLETE'}


def _project_names(sess):
    try:
        # The catalog's identity endpoint already ends in /v3.
        body = sess.get('/projects', endpoint_filter={
            'service_type': 'identity', 'interface': 'public'}).json()
    except Exception:  # names are a courtesy; ids are enough
        return {}
    return {p['id']: p['name'] for p in body.get('projects', [])}


def snapshot(sess):
    return {'stacks': _stacks(sess), 'images': _images(sess)}


def new_since(sess, before):
    """{'stacks': [...], 'images': [...]}: one dict per leaked thing."""
    now = snapshot(sess)
    names = _project_names(sess)
    leaked = {}
    for kind in ('stacks', 'images'):
        leaked[kind] = sorted(
            ({'name': name, 'id': ident,
              'project': names.get(project, project),
              'suite': bool(name and SUITE_MARK in name)}
             for ident, (name, project) in now[kind].items()
             if ident not in before[kind]),
            key=lambda leak: (str(leak['name']), leak['id']))
    return leaked


def describe(leaked, suite):
    """One line per project: what this suite (or the others) left there."""
    by_project = collections.defaultdict(list)
    for kind in ('stacks', 'images'):
        for leak in leaked[kind]:
            if leak['suite'] == suite:
                by_project[leak['project']].append(
                    '%s %s (%s)' % (kind[:-1], leak['name'], leak['id']))
    return ['project %s: %s' % (project, ', '.join(things))
            for project, things in sorted(by_project.items(),
                                          key=lambda kv: str(kv[0]))]
