#
# The virtual source (VDB) side: the inputs of the virtual operations built as the engine's wrappers
# build them (virtual_source with the VDB's parameters and mounts, the repository, the source config
# configure returned, the snapshot the VDB came from), the VDB's storage (a clone of a snapshot), its
# mounts and its snapshots. What changed is told to the orchestrator as `fact` events; it keeps the
# VDB's record and decides the VDB's state from them.
#
import json
import os
import time

from dlpx.virtualization._engine import events, hosts

from dpstudio_engine import storage
from dpstudio_engine.common import SimulatorError, connection, inside, real_folder


def _vdb(run):
    return run.request['vdb']


def _target(run):
    return run.environment_by_reference(_vdb(run)['environment'])


def fact(run, key, value):
    run.values[key] = value
    events.emit('fact', key=key, value=value)


def virtual_request(run, with_source_config=True, with_snapshot=False):
    vdb = _vdb(run)
    request = {
        'virtual_source': {'guid': vdb['guid'], 'connection': connection(_target(run)),
                           'parameters': vdb.get('parameters') or {},
                           'mounts': [m['message'] for m in run.values.get('mounts', [])]},
        'repository': run.request.get('repository', {}),
    }
    if with_source_config:
        request['source_config'] = run.values.get('sourceConfig', vdb.get('sourceConfig')) or {}
    if with_snapshot:
        request['snapshot'] = vdb.get('snapshotDefinition') or {}
    return request


# -- operations -------------------------------------------------------------------------------------

def mount_specification(run, name):
    virtual = run.plugin.virtual
    request = virtual_request(run, with_source_config=False)
    request['virtual_source']['mounts'] = []
    response = run.step(name, lambda: virtual._internal_mount_specification(request))
    run.values['requested'] = response['return_value']['mounts']
    run.values['ownership'] = response['return_value'].get('ownership_spec')


def _source_config_operation(method, with_source_config):
    def call(run, name):
        request = virtual_request(run, with_source_config=with_source_config, with_snapshot=method != 'initialize')
        response = run.step(name, lambda: getattr(run.plugin.virtual, '_internal_' + method)(request))
        fact(run, 'sourceConfig', response['return_value']['source_config'])
    return call


def _plain(method, after=None):
    def call(run, name):
        request = virtual_request(run)
        run.step(name, lambda: getattr(run.plugin.virtual, '_internal_' + method)(request))
        if after:
            after(run)
    return call


def _unconfigured(run):
    fact(run, 'unconfigured', True)


def status(run, name):
    request = virtual_request(run)
    response = run.step(name, lambda: run.plugin.virtual._internal_status(request))
    fact(run, 'pluginStatus', response['return_value']['status'])


def post_snapshot(run, name):
    request = virtual_request(run)
    response = run.step(name, lambda: run.plugin.virtual._internal_post_snapshot(request))
    snap = run.request['snapshot']
    metadata = {
        'id': snap['id'],
        'created': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
        'vdb': _vdb(run)['name'],
        'snapshotDefinition': response['return_value']['snapshot'],
        'sourceConfig': run.values.get('sourceConfig', _vdb(run).get('sourceConfig')),
        'stats': run.values.get('stats'),
    }
    with open(os.path.join(snap['pendingDir'], 'snapshot.json'), 'w', encoding='utf-8') as f:
        json.dump(metadata, f, indent=2)
    events.emit('snapshot.pending', id=snap['id'], pendingDir=snap['pendingDir'], metadata=metadata)


OPERATIONS = {
    'virtual.mount_specification': mount_specification,
    'virtual.configure': _source_config_operation('configure', False),
    'virtual.reconfigure': _source_config_operation('reconfigure', True),
    'virtual.initialize': _source_config_operation('initialize', False),
    'virtual.unconfigure': _plain('unconfigure', _unconfigured),
    'virtual.cleanup': _plain('cleanup'),
    'virtual.start': _plain('start'),
    'virtual.stop': _plain('stop'),
    'virtual.pre_snapshot': _plain('pre_snapshot'),
    'virtual.post_snapshot': post_snapshot,
    'virtual.status': status,
}


# -- engine steps -----------------------------------------------------------------------------------

def clone(run, name):
    vdb, spec = _vdb(run), _target(run)
    source = vdb['cloneFrom']
    if not os.path.isdir(source):
        raise SimulatorError('The snapshot data {} is gone; nothing was cloned.'.format(source))
    def make():
        _check_data_dir(run)
        return storage.clone(source, spec, vdb['dataDir'], vdb.get('cloneStats'))

    run.values['clone'] = run.step(name, make, kind='step')
    fact(run, 'cloned', run.values['clone'])


def create_storage(run, name):
    vdb = _vdb(run)

    def create():
        _check_data_dir(run)
        storage.create_empty(_target(run), vdb['dataDir'])

    run.step(name, create, kind='step')
    fact(run, 'cloned', {'mode': 'empty', 'description': 'empty storage', 'to': vdb['dataDir'], 'files': 0,
                         'bytes': 0})


def vdb_mount(run, name):
    vdb, requested, ownership = _vdb(run), run.values.get('requested') or [], run.values.get('ownership')

    def attach():
        attached = []
        for message in requested:
            path = message['mount_path']
            spec = run.environment_by_reference(message['remote_environment']['reference'])
            if spec is None:
                raise SimulatorError("The mount at '{}' names environment '{}', which is not the VDB's"
                                     " environment ({}).".format(path, message['remote_environment']['reference'],
                                                                 vdb['environment']))
            if not path or not path.startswith('/'):
                raise SimulatorError("The mount path '{}' is not an absolute path; the engine mounts only at"
                                     " absolute paths.".format(path))
            shared = (message.get('shared_path') or '').strip('/')
            if '..' in shared.split('/'):
                raise SimulatorError("The shared path '{}' leaves the VDB's storage.".format(shared))
            actual = vdb['dataDir'] + ('/' + shared if shared else '')
            if spec.get('type') == 'ssh':
                storage.ensure_folder(spec, actual)
            else:
                _check_data_dir(run)
                real_folder(actual, run.request['sandbox'])
            events.emit('mount', requested=path, path=actual, environment=spec['name'], mapped=actual != path,
                        sharedPath=shared or None, ownership=ownership)
            attached.append({'message': dict(message, mount_path=actual), 'requested': path, 'path': actual,
                             'environment': spec['name']})
        return attached

    run.values['mounts'] = run.step(name, attach, kind='step')
    events.emit('fact', key='mounts', value=[{'requested': m['requested'], 'path': m['path'], 'environment': m['environment'],
                          'sharedPath': m['message'].get('shared_path') or None} for m in run.values['mounts']])


def vdb_snapshot(run, name):
    snap, spec = run.request['snapshot'], _target(run)

    def take():
        data = os.path.join(real_folder(snap['pendingDir'], run.request['sandbox']), 'data')
        previous = snap.get('previousDir')
        if spec.get('type') != 'ssh':
            real_folder(_vdb(run)['dataDir'], run.request['sandbox'])
        storage.copy_into_snapshot(spec, _vdb(run)['dataDir'], data, os.path.join(previous, 'data') if previous else None)
        stats = storage.compare_trees(os.path.join(previous, 'data') if previous else None, data)
        events.emit('snapshot.data', id=snap['id'], pendingDir=snap['pendingDir'], stats=stats)
        return stats

    run.values['stats'] = run.step(name, take, kind='step')


def _check_data_dir(run):
    # The engine deletes only storage it made: a VDB's data lives in the sandbox, or under the host's
    # scratch path in dpstudio-vdbs/; anything else in a (hand-edited) record is refused, never removed.
    spec, data = _target(run), _vdb(run)['dataDir']
    if spec.get('type') == 'ssh':
        if '/dpstudio-vdbs/' not in data or '/../' in data + '/':
            raise SimulatorError("The VDB's data folder {} is not one the simulator made (under <scratchPath>/dpstudio-vdbs/);"
                                 " it was not touched.".format(data))
    elif not inside(data, run.request['sandbox']):
        raise SimulatorError("The VDB's data folder {} is outside the sandbox {}; it was not touched.".format(
            data, run.request['sandbox']))
    else:
        # Every level down to the VDB's folder must be a real folder: a link shipped in its place is refused.
        real_folder(os.path.dirname(data), run.request['sandbox'])


def destroy_storage(run, name):
    def destroy():
        _check_data_dir(run)
        storage.remove(_target(run), _vdb(run)['dataDir'])

    run.step(name, destroy, kind='step')
    fact(run, 'destroyed', True)


STEPS = {'clone': clone, 'create-storage': create_storage, 'vdb-mount': vdb_mount, 'vdb-snapshot': vdb_snapshot,
         'destroy-storage': destroy_storage}


def result(run, workflow):
    out = {'vdb': _vdb(run)['name']}
    if 'pluginStatus' in run.values:
        out['status'] = run.values['pluginStatus']
    if workflow == 'snapshot':
        out['snapshotId'] = run.request['snapshot']['id']
    return out


def mounts_from_record(run):
    """The mounts the VDB had when it last ran, so start/stop/status/snapshot see them as the engine does."""
    vdb = _vdb(run)
    spec = _target(run)
    run.values['mounts'] = [{'message': {'mount_path': m['path'], 'remote_environment': connection(spec)['environment'],
                                         'shared_path': m.get('sharedPath') or ''},
                             'requested': m['requested'], 'path': m['path']} for m in vdb.get('mounts') or []]


