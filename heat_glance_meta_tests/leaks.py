"""What a test run left behind: stacks and images that appeared and stayed.

Takes an admin session. Before the run :func:`snapshot` records every stack
(of all projects; Heat's ``stacks:global_index`` policy must allow admin, as
the local cloud's does) and every image; after it :func:`new_since` lists the
ones that were not there before, by name and id.
"""


def _images(sess):
    images, url = {}, '/v2/images?limit=200'
    while url:
        body = sess.get(url, endpoint_filter={
            'service_type': 'image', 'interface': 'public'}).json()
        images.update((i['id'], i.get('name')) for i in body['images'])
        url = body.get('next')
    return images


def _stacks(sess):
    body = sess.get('/stacks?global_tenant=true', endpoint_filter={
        'service_type': 'orchestration', 'interface': 'public'}).json()
    return {s['id']: s['stack_name'] for s in body['stacks']
            if s['stack_status'] != 'DELETE_COMPLETE'}


def snapshot(sess):
    return {'stacks': _stacks(sess), 'images': _images(sess)}


def new_since(sess, before):
    now = snapshot(sess)
    return {kind: sorted('%s (%s)' % (name, ident)
                         for ident, name in now[kind].items()
                         if ident not in before[kind])
            for kind in ('stacks', 'images')}
