#
# Linked-source operations: the decorators and the wrappers the (simulated) engine calls for a STAGED
# or a DIRECT dSource. Wrappers take a dict request and return a dict response.
#
from dlpx.virtualization.common.exceptions import PluginRuntimeError
from dlpx.virtualization.platform import _requests as r
from dlpx.virtualization.platform._decorators import operation_decorator
from dlpx.virtualization.platform._plugin_classes import MountSpecification, Status
from dlpx.virtualization.platform.exceptions import IncorrectReturnTypeError, OperationNotDefinedError
from dlpx.virtualization.platform.operation import Operation as Op

__all__ = ['LinkedOperations']


def _mount_message(mount):
    message = {'mount_path': mount.mount_path, 'remote_environment': mount.remote_environment.to_proto()}
    if mount.shared_path:
        message['shared_path'] = mount.shared_path
    return message


class LinkedOperations(object):
    def __init__(self):
        self.pre_snapshot_impl = None
        self.post_snapshot_impl = None
        self.start_staging_impl = None
        self.stop_staging_impl = None
        self.status_impl = None
        self.worker_impl = None
        self.mount_specification_impl = None
        self.source_size_impl = None

    def pre_snapshot(self):
        return operation_decorator(self, 'pre_snapshot', Op.LINKED_PRE_SNAPSHOT)

    def post_snapshot(self):
        return operation_decorator(self, 'post_snapshot', Op.LINKED_POST_SNAPSHOT)

    def start_staging(self):
        return operation_decorator(self, 'start_staging', Op.LINKED_START_STAGING)

    def stop_staging(self):
        return operation_decorator(self, 'stop_staging', Op.LINKED_STOP_STAGING)

    def status(self):
        return operation_decorator(self, 'status', Op.LINKED_STATUS)

    def worker(self):
        return operation_decorator(self, 'worker', Op.LINKED_WORKER)

    def mount_specification(self):
        return operation_decorator(self, 'mount_specification', Op.LINKED_MOUNT_SPEC)

    def source_size(self):
        return operation_decorator(self, 'source_size', Op.LINKED_SOURCE_SIZE)

    def _require(self, name, op):
        impl = getattr(self, name + '_impl')
        if not impl:
            raise OperationNotDefinedError(op)
        return impl

    # -- DIRECT ---------------------------------------------------------------------------------

    def _internal_direct_pre_snapshot(self, request):
        impl = self._require('pre_snapshot', Op.LINKED_PRE_SNAPSHOT)
        impl(direct_source=r.direct_source(request), repository=r.repository(request),
             source_config=r.source_config(request), optional_snapshot_parameters=r.snapshot_parameters(request))
        return {'return_value': {}}

    def _internal_direct_post_snapshot(self, request):
        from generated.definitions import SnapshotDefinition
        impl = self._require('post_snapshot', Op.LINKED_POST_SNAPSHOT)
        snapshot = impl(direct_source=r.direct_source(request), repository=r.repository(request),
                        source_config=r.source_config(request),
                        optional_snapshot_parameters=r.snapshot_parameters(request))
        if not isinstance(snapshot, SnapshotDefinition):
            raise IncorrectReturnTypeError(Op.LINKED_POST_SNAPSHOT, type(snapshot), SnapshotDefinition)
        return {'return_value': {'snapshot': r.to_json(snapshot)}}

    def _internal_direct_source_size(self, request):
        impl = self._require('source_size', Op.LINKED_SOURCE_SIZE)
        size = impl(direct_source=r.direct_source(request), repository=r.repository(request),
                    source_config=r.source_config(request))
        return {'return_value': {'database_size': size}}

    # -- STAGED ---------------------------------------------------------------------------------

    def _internal_staged_pre_snapshot(self, request):
        impl = self._require('pre_snapshot', Op.LINKED_PRE_SNAPSHOT)
        impl(staged_source=r.staged_source(request), repository=r.repository(request),
             source_config=r.source_config(request), optional_snapshot_parameters=r.snapshot_parameters(request))
        return {'return_value': {}}

    def _internal_staged_post_snapshot(self, request):
        from generated.definitions import SnapshotDefinition
        impl = self._require('post_snapshot', Op.LINKED_POST_SNAPSHOT)
        snapshot = impl(staged_source=r.staged_source(request), repository=r.repository(request),
                        source_config=r.source_config(request),
                        optional_snapshot_parameters=r.snapshot_parameters(request))
        if not isinstance(snapshot, SnapshotDefinition):
            raise IncorrectReturnTypeError(Op.LINKED_POST_SNAPSHOT, type(snapshot), SnapshotDefinition)
        return {'return_value': {'snapshot': r.to_json(snapshot)}}

    def _staged_call(self, name, op, request):
        impl = self._require(name, op)
        return impl(staged_source=r.staged_source(request), repository=r.repository(request),
                    source_config=r.source_config(request))

    def _internal_start_staging(self, request):
        self._staged_call('start_staging', Op.LINKED_START_STAGING, request)
        return {'return_value': {}}

    def _internal_stop_staging(self, request):
        self._staged_call('stop_staging', Op.LINKED_STOP_STAGING, request)
        return {'return_value': {}}

    def _internal_status(self, request):
        status = self._staged_call('status', Op.LINKED_STATUS, request)
        if not isinstance(status, Status):
            raise IncorrectReturnTypeError(Op.LINKED_STATUS, type(status), Status)
        return {'return_value': {'status': status.name}}

    def _internal_worker(self, request):
        self._staged_call('worker', Op.LINKED_WORKER, request)
        return {'return_value': {}}

    def _internal_staged_source_size(self, request):
        size = self._staged_call('source_size', Op.LINKED_SOURCE_SIZE, request)
        return {'return_value': {'database_size': size}}

    def _internal_mount_specification(self, request):
        impl = self._require('mount_specification', Op.LINKED_MOUNT_SPEC)
        spec = impl(staged_source=r.staged_source(request), repository=r.repository(request))
        if not isinstance(spec, MountSpecification):
            raise IncorrectReturnTypeError(Op.LINKED_MOUNT_SPEC, type(spec), MountSpecification)
        count = len(spec.mounts)
        result = {}
        if count < 1:
            raise PluginRuntimeError('Mount must be provided for staging sources. Found {} mounts.'.format(count))
        if count > 1:
            result['mounts'] = [_mount_message(m) for m in spec.mounts]
        else:
            # A single staged mount is an entire mount: it cannot name a subset of the dataset.
            if spec.mounts[0].shared_path:
                raise PluginRuntimeError('Shared path is not supported for linked sources.')
            result['staged_mount'] = _mount_message(spec.mounts[0])
        if spec.ownership_specification:
            result['ownership_spec'] = {'uid': spec.ownership_specification.uid,
                                        'gid': spec.ownership_specification.gid}
        return {'return_value': result}
