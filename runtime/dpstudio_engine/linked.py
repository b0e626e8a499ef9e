#
# The linked source (dSource) side: the inputs of the linked operations built as the engine's wrappers
# build them, the staging mount, and the dSource snapshot.
#
# Mounts: the engine mounts dSource storage at the path the plugin asks for. The simulator never writes
# outside its sandbox, so a requested path outside the sandbox is backed by the sandbox folder
# mounts/<slug of the path>, and the plugin sees that folder as staged_source.mount.mount_path. A
# requested path that already lies inside the sandbox is used as it is. The folder persists between
# syncs, as the dSource's filesystem does; each snapshot is a copy of it.
#
import json
import os
import time

from dlpx.virtualization._engine import events, hosts

from dpstudio_engine import storage
from dpstudio_engine.common import SimulatorError, connection, inside, real_folder, run_on, slug


def linked_source(run):
    linked = run.request.get('linkedSource') or {}
    return {'guid': linked.get('guid', ''), 'parameters': linked.get('parameters', {})}


def staged_request(run, mounts, with_source_config=True, with_parameters=False):
    staged = {
        'linked_source': linked_source(run),
        'source_connection': connection(run.source),
        'staged_connection': connection(run.staging),
    }
    if len(mounts) > 1:
        staged['mounts'] = mounts
    else:
        staged['staged_mount'] = mounts[0] if mounts else {
            'remote_environment': connection(run.staging)['environment'], 'mount_path': ''}
    request = {'staged_source': staged, 'repository': run.request.get('repository', {})}
    if with_source_config:
        request['source_config'] = run.request.get('sourceConfig', {})
    if with_parameters:
        request['snapshot_parameters'] = run.request.get('snapshotParameters')
    return request


def direct_request(run):
    return {
        'direct_source': {'linked_source': linked_source(run), 'connection': connection(run.source)},
        'repository': run.request.get('repository', {}),
        'source_config': run.request.get('sourceConfig', {}),
        'snapshot_parameters': run.request.get('snapshotParameters'),
    }


def _direct(run):
    return run.request.get('pluginType') == 'DIRECT'


def _request(run, with_parameters=False):
    if _direct(run):
        return direct_request(run)
    return staged_request(run, [m['message'] for m in run.values['mounts']], with_parameters=with_parameters)


# -- operations -------------------------------------------------------------------------------------

def mount_specification(run, name):
    response = run.step(name, lambda: run.plugin.linked._internal_mount_specification(
        staged_request(run, [], with_source_config=False)))
    value = response['return_value']
    run.values['requested'] = [value['staged_mount']] if 'staged_mount' in value else value['mounts']
    run.values['ownership'] = value.get('ownership_spec')


def pre_snapshot(run, name):
    linked = run.plugin.linked
    if _direct(run):
        real_folder(run.request['dsourceDir'], run.request['sandbox'])
        request = direct_request(run)
        run.step(name, lambda: linked._internal_direct_pre_snapshot(request))
    else:
        request = _request(run, with_parameters=True)
        run.step(name, lambda: linked._internal_staged_pre_snapshot(request))


def post_snapshot(run, name):
    linked = run.plugin.linked
    if _direct(run):
        request = direct_request(run)
        response = run.step(name, lambda: linked._internal_direct_post_snapshot(request))
    else:
        request = _request(run, with_parameters=True)
        response = run.step(name, lambda: linked._internal_staged_post_snapshot(request))
    write_snapshot_metadata(run, response['return_value']['snapshot'])


def start_staging(run, name):
    request = _request(run)
    run.step(name, lambda: run.plugin.linked._internal_start_staging(request))


def stop_staging(run, name):
    request = _request(run)
    run.step(name, lambda: run.plugin.linked._internal_stop_staging(request))


def status(run, name):
    request = _request(run)
    response = run.step(name, lambda: run.plugin.linked._internal_status(request))
    run.values['status'] = response['return_value']['status']


def worker(run, name):
    request = _request(run)
    run.step(name, lambda: run.plugin.linked._internal_worker(request))


OPERATIONS = {
    'linked.mount_specification': mount_specification,
    'linked.pre_snapshot': pre_snapshot,
    'linked.post_snapshot': post_snapshot,
    'linked.start_staging': start_staging,
    'linked.stop_staging': stop_staging,
    'linked.status': status,
    'linked.worker': worker,
}


# -- engine steps -----------------------------------------------------------------------------------

def mount(run, name):
    requested, ownership = run.values.get('requested') or [], run.values.get('ownership')

    def attach():
        backed = []
        for message in requested:
            path = message['mount_path']
            reference = message['remote_environment']['reference']
            spec = run.environment_by_reference(reference)
            if spec is None:
                raise SimulatorError("The mount at '{}' names environment '{}', which is not one of the sync"
                                     " profile's environments ({}).".format(
                                         path, reference, ', '.join(s['reference'] for s in run.specs())))
            if not path or not path.startswith('/'):
                raise SimulatorError("The mount path '{}' is not an absolute path; the engine mounts only at"
                                     " absolute paths.".format(path))
            folder = slug(path)
            if spec.get('type') == 'ssh':
                actual = '{}/dpstudio-mounts/{}/{}'.format(spec.get('scratchPath', '/tmp').rstrip('/'),
                                                           run.request.get('profileName', 'profile'), folder)
                run_on('mount', spec, 'mkdir -p ' + actual, 'Could not create the mount folder {} on {}'.format(
                    actual, hosts.describe(spec)))
            elif inside(path, run.request['sandbox']):
                actual = real_folder(path, run.request['sandbox'])
            elif inside(path, os.path.realpath(run.request['sandbox'])):
                actual = real_folder(path, os.path.realpath(run.request['sandbox']))
            else:
                actual = real_folder(os.path.join(run.request['mountsDir'], folder), run.request['sandbox'])
            events.emit('mount', requested=path, path=actual, environment=spec['name'], slug=folder,
                        mapped=actual != path, sharedPath=message.get('shared_path') or None, ownership=ownership)
            backed.append({'message': dict(message, mount_path=actual), 'spec': spec, 'slug': folder,
                           'requested': path, 'path': actual})
        run.save_state({'mounts': [{'message': b['message'], 'slug': b['slug'], 'requested': b['requested'],
                                    'reference': b['spec']['reference']} for b in backed]})
        return backed

    run.values['mounts'] = run.step(name, attach, kind='step')


def mount_known(run, name):
    """The mounts an earlier sync or enable attached, or mount_specification and a mount when none."""
    mounts = run.load_state().get('mounts') or []
    if mounts and all(run.environment_by_reference(m['reference']) for m in mounts):
        run.values['mounts'] = [dict(m, spec=run.environment_by_reference(m['reference']),
                                     path=m['message']['mount_path']) for m in mounts]
        return
    mount_specification(run, 'linked.mount_specification()')
    mount(run, 'mount')


def snapshot(run, name):
    pending, previous = run.request['snapshot']['pendingDir'], run.request['snapshot'].get('previousDir')
    if _direct(run):
        # pre_snapshot makes the dSource's storage, but it is optional: a plugin without it still snapshots.
        real_folder(run.request['dsourceDir'], run.request['sandbox'])
        run.values['mounts'] = [{'spec': {'name': 'engine', 'type': 'local'}, 'slug': 'dsource',
                                 'path': run.request['dsourceDir'], 'requested': '(dSource storage)'}]

    def take():
        data = real_folder(os.path.join(pending, 'data'), run.request['sandbox'])
        for m in run.values['mounts']:
            earlier = os.path.join(previous, 'data', m['slug']) if previous else None
            storage.copy_into_snapshot(m['spec'], m['path'], os.path.join(data, m['slug']), earlier)
        stats = storage.compare_trees(os.path.join(previous, 'data') if previous else None, data)
        events.emit('snapshot.data', id=run.request['snapshot']['id'], pendingDir=pending, stats=stats)
        return stats

    run.values['stats'] = run.step(name, take, kind='step')


def write_snapshot_metadata(run, definition):
    snap = run.request['snapshot']
    metadata = {
        'id': snap['id'],
        'created': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
        'profile': run.request.get('profileName'),
        'syncKind': run.request.get('syncKind'),
        'snapshotParameters': run.request.get('snapshotParameters'),
        'snapshotDefinition': definition,
        'mounts': [{'requested': b['requested'], 'path': b['path'], 'data': 'data/' + b['slug']}
                   for b in run.values['mounts']],
        'stats': run.values.get('stats'),
    }
    with open(os.path.join(snap['pendingDir'], 'snapshot.json'), 'w', encoding='utf-8') as f:
        json.dump(metadata, f, indent=2)
    events.emit('snapshot.pending', id=snap['id'], pendingDir=snap['pendingDir'], metadata=metadata)


STEPS = {'mount': mount, 'mount-known': mount_known, 'snapshot': snapshot}


# -- what each linked workflow answers --------------------------------------------------------------

def result(run, workflow):
    if workflow == 'sync':
        return {'snapshotId': run.request['snapshot']['id']}
    if workflow == 'enable':
        run.save_state({'enabled': True})
        return {'enabled': True}
    if workflow == 'disable':
        run.save_state({'enabled': False})
        return {'enabled': False}
    if workflow == 'status':
        implemented = run.implemented('linked.status')
        return {'status': run.values.get('status', 'ACTIVE'), 'implemented': implemented}
    if workflow == 'worker':
        return {'implemented': run.implemented('linked.worker')}
    return {}
