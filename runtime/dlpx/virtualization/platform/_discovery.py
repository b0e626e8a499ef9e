from dlpx.virtualization.common import RemoteConnection
from dlpx.virtualization.platform import _requests as r
from dlpx.virtualization.platform._decorators import operation_decorator
from dlpx.virtualization.platform.exceptions import IncorrectReturnTypeError, OperationNotDefinedError
from dlpx.virtualization.platform.operation import Operation as Op

__all__ = ['DiscoveryOperations']


def _check_list(result, cls, op):
    if not isinstance(result, list):
        raise IncorrectReturnTypeError(op, type(result), [cls])
    if not all(isinstance(item, cls) for item in result):
        raise IncorrectReturnTypeError(op, [type(item) for item in result], [cls])


class DiscoveryOperations(object):
    def __init__(self):
        self.repository_impl = None
        self.source_config_impl = None

    def repository(self):
        return operation_decorator(self, 'repository', Op.DISCOVERY_REPOSITORY)

    def source_config(self):
        return operation_decorator(self, 'source_config', Op.DISCOVERY_SOURCE_CONFIG)

    def _internal_repository(self, request):
        from generated.definitions import RepositoryDefinition
        if not self.repository_impl:
            raise OperationNotDefinedError(Op.DISCOVERY_REPOSITORY)
        repositories = self.repository_impl(
            source_connection=RemoteConnection.from_proto(request['source_connection']))
        _check_list(repositories, RepositoryDefinition, Op.DISCOVERY_REPOSITORY)
        return {'return_value': {'repositories': [r.to_json(x) for x in repositories]}}

    def _internal_source_config(self, request):
        from generated.definitions import SourceConfigDefinition
        if not self.source_config_impl:
            raise OperationNotDefinedError(Op.DISCOVERY_SOURCE_CONFIG)
        source_configs = self.source_config_impl(
            source_connection=RemoteConnection.from_proto(request['source_connection']),
            repository=r.repository(request))
        _check_list(source_configs, SourceConfigDefinition, Op.DISCOVERY_SOURCE_CONFIG)
        return {'return_value': {'source_configs': [r.to_json(x) for x in source_configs]}}
