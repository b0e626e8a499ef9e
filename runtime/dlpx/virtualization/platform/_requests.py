#
# The engine hands each operation a request message. The simulator has no dvp-api protobufs, so its
# requests are dicts with the messages' field names; these helpers unpack them the way the SDK's
# wrappers unpack the messages (plugin-defined objects arrive as JSON and go through from_dict).
#
import json

from dlpx.virtualization.common import RemoteConnection, RemoteEnvironment
from dlpx.virtualization.common.exceptions import PluginRuntimeError
from dlpx.virtualization.platform._plugin_classes import (DirectSource, Mount, StagedSource,
                                                          VirtualSource)


def fresh(value):
    """A private copy of a JSON value, as json.loads of the message's JSON text would give."""
    return json.loads(json.dumps(value))


def from_dict(cls, value):
    return cls.from_dict(fresh(value))


def snapshot_parameters(request):
    from generated.definitions import SnapshotParametersDefinition
    params = request.get('snapshot_parameters')
    # None means "no parameters" (a policy sync), which differs from empty parameters.
    return None if params is None else from_dict(SnapshotParametersDefinition, params)


def mount(message):
    return Mount(remote_environment=RemoteEnvironment.from_proto(message.get('remote_environment', {})),
                 mount_path=message.get('mount_path', ''),
                 shared_path=message.get('shared_path') or None)


def staged_mounts(staged):
    single = staged.get('staged_mount')
    several = staged.get('mounts') or []
    if several and single and single.get('mount_path'):
        raise PluginRuntimeError('Either staged_mount or mounts can be present for staging source. '
                                 'Found both staged_mount and mounts.')
    if several:
        return None, [mount(m) for m in several]
    return mount(single or {}), None


def staged_source(request):
    from generated.definitions import LinkedSourceDefinition
    staged = request['staged_source']
    single, several = staged_mounts(staged)
    return StagedSource(guid=staged['linked_source'].get('guid', ''),
                        source_connection=RemoteConnection.from_proto(staged['source_connection']),
                        parameters=from_dict(LinkedSourceDefinition, staged['linked_source'].get('parameters', {})),
                        mount=single,
                        staged_connection=RemoteConnection.from_proto(staged['staged_connection']),
                        mounts=several)


def direct_source(request):
    from generated.definitions import LinkedSourceDefinition
    direct = request['direct_source']
    return DirectSource(guid=direct['linked_source'].get('guid', ''),
                        connection=RemoteConnection.from_proto(direct['connection']),
                        parameters=from_dict(LinkedSourceDefinition, direct['linked_source'].get('parameters', {})))


def virtual_source(request):
    from generated.definitions import VirtualSourceDefinition
    virtual = request['virtual_source']
    return VirtualSource(guid=virtual.get('guid', ''),
                         connection=RemoteConnection.from_proto(virtual['connection']),
                         parameters=from_dict(VirtualSourceDefinition, virtual.get('parameters', {})),
                         mounts=[mount(m) for m in virtual.get('mounts', [])])


def repository(request, key='repository'):
    from generated.definitions import RepositoryDefinition
    return from_dict(RepositoryDefinition, request.get(key, {}))


def source_config(request):
    from generated.definitions import SourceConfigDefinition
    return from_dict(SourceConfigDefinition, request.get('source_config', {}))


def snapshot(request):
    from generated.definitions import SnapshotDefinition
    return from_dict(SnapshotDefinition, request.get('snapshot', {}))


def to_json(obj):
    """What a wrapper puts in a response: the object's to_dict(), or the dict from_dict gave back."""
    return fresh(obj.to_dict() if hasattr(obj, 'to_dict') else obj)
