#
# Virtual-source (VDB) operations. The sync simulator does not run them, but plugin code decorates
# them at import time, and the wrappers let a later simulator (provision, refresh) call them.
#
from dlpx.virtualization.platform import _requests as r
from dlpx.virtualization.platform._decorators import operation_decorator
from dlpx.virtualization.platform._plugin_classes import MountSpecification, Status
from dlpx.virtualization.platform.exceptions import IncorrectReturnTypeError, OperationNotDefinedError
from dlpx.virtualization.platform.operation import Operation as Op

__all__ = ['VirtualOperations']

_OPERATIONS = {
    'configure': Op.VIRTUAL_CONFIGURE,
    'unconfigure': Op.VIRTUAL_UNCONFIGURE,
    'reconfigure': Op.VIRTUAL_RECONFIGURE,
    'cleanup': Op.VIRTUAL_CLEANUP,
    'start': Op.VIRTUAL_START,
    'stop': Op.VIRTUAL_STOP,
    'pre_snapshot': Op.VIRTUAL_PRE_SNAPSHOT,
    'post_snapshot': Op.VIRTUAL_POST_SNAPSHOT,
    'status': Op.VIRTUAL_STATUS,
    'initialize': Op.VIRTUAL_INITIALIZE,
    'mount_specification': Op.VIRTUAL_MOUNT_SPEC,
    'source_size': Op.VIRTUAL_SOURCE_SIZE,
}


class VirtualOperations(object):
    def __init__(self):
        for name in _OPERATIONS:
            setattr(self, name + '_impl', None)

    def configure(self):
        return operation_decorator(self, 'configure', Op.VIRTUAL_CONFIGURE)

    def unconfigure(self):
        return operation_decorator(self, 'unconfigure', Op.VIRTUAL_UNCONFIGURE)

    def reconfigure(self):
        return operation_decorator(self, 'reconfigure', Op.VIRTUAL_RECONFIGURE)

    def cleanup(self):
        return operation_decorator(self, 'cleanup', Op.VIRTUAL_CLEANUP)

    def start(self):
        return operation_decorator(self, 'start', Op.VIRTUAL_START)

    def stop(self):
        return operation_decorator(self, 'stop', Op.VIRTUAL_STOP)

    def pre_snapshot(self):
        return operation_decorator(self, 'pre_snapshot', Op.VIRTUAL_PRE_SNAPSHOT)

    def post_snapshot(self):
        return operation_decorator(self, 'post_snapshot', Op.VIRTUAL_POST_SNAPSHOT)

    def status(self):
        return operation_decorator(self, 'status', Op.VIRTUAL_STATUS)

    def initialize(self):
        return operation_decorator(self, 'initialize', Op.VIRTUAL_INITIALIZE)

    def mount_specification(self):
        return operation_decorator(self, 'mount_specification', Op.VIRTUAL_MOUNT_SPEC)

    def source_size(self):
        return operation_decorator(self, 'source_size', Op.VIRTUAL_SOURCE_SIZE)

    def _call(self, name, **kwargs):
        impl = getattr(self, name + '_impl')
        if not impl:
            raise OperationNotDefinedError(_OPERATIONS[name])
        return impl(**kwargs)

    def _source_config_result(self, name, result):
        from generated.definitions import SourceConfigDefinition
        if not isinstance(result, SourceConfigDefinition):
            raise IncorrectReturnTypeError(_OPERATIONS[name], type(result), SourceConfigDefinition)
        return {'return_value': {'source_config': r.to_json(result)}}

    def _internal_configure(self, request):
        result = self._call('configure', virtual_source=r.virtual_source(request),
                            repository=r.repository(request), snapshot=r.snapshot(request))
        return self._source_config_result('configure', result)

    def _internal_reconfigure(self, request):
        result = self._call('reconfigure', virtual_source=r.virtual_source(request),
                            repository=r.repository(request), source_config=r.source_config(request),
                            snapshot=r.snapshot(request))
        return self._source_config_result('reconfigure', result)

    def _internal_initialize(self, request):
        result = self._call('initialize', virtual_source=r.virtual_source(request),
                            repository=r.repository(request))
        return self._source_config_result('initialize', result)

    def _plain(self, name, request):
        return self._call(name, virtual_source=r.virtual_source(request), repository=r.repository(request),
                          source_config=r.source_config(request))

    def _internal_unconfigure(self, request):
        self._plain('unconfigure', request)
        return {'return_value': {}}

    def _internal_cleanup(self, request):
        self._plain('cleanup', request)
        return {'return_value': {}}

    def _internal_start(self, request):
        self._plain('start', request)
        return {'return_value': {}}

    def _internal_stop(self, request):
        self._plain('stop', request)
        return {'return_value': {}}

    def _internal_pre_snapshot(self, request):
        self._plain('pre_snapshot', request)
        return {'return_value': {}}

    def _internal_post_snapshot(self, request):
        from generated.definitions import SnapshotDefinition
        snapshot = self._plain('post_snapshot', request)
        if not isinstance(snapshot, SnapshotDefinition):
            raise IncorrectReturnTypeError(Op.VIRTUAL_POST_SNAPSHOT, type(snapshot), SnapshotDefinition)
        return {'return_value': {'snapshot': r.to_json(snapshot)}}

    def _internal_status(self, request):
        status = self._plain('status', request)
        if not isinstance(status, Status):
            raise IncorrectReturnTypeError(Op.VIRTUAL_STATUS, type(status), Status)
        return {'return_value': {'status': status.name}}

    def _internal_source_size(self, request):
        return {'return_value': {'database_size': self._plain('source_size', request)}}

    def _internal_mount_specification(self, request):
        spec = self._call('mount_specification', virtual_source=r.virtual_source(request),
                          repository=r.repository(request))
        if not isinstance(spec, MountSpecification):
            raise IncorrectReturnTypeError(Op.VIRTUAL_MOUNT_SPEC, type(spec), MountSpecification)
        mounts = [{'mount_path': m.mount_path, 'remote_environment': m.remote_environment.to_proto(),
                   'shared_path': m.shared_path or ''} for m in spec.mounts]
        result = {'mounts': mounts}
        if spec.ownership_specification:
            result['ownership_spec'] = {'uid': spec.ownership_specification.uid,
                                        'gid': spec.ownership_specification.gid}
        return {'return_value': result}
