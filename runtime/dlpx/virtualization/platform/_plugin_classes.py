#
# The non-generated classes plugin operations receive and return: sources, mounts, mount
# specifications, status. Only the ones plugin code constructs itself check their arguments.
#
import re
from enum import Enum

from dlpx.virtualization.common import RemoteConnection, RemoteEnvironment, RemoteHost
from dlpx.virtualization.common.exceptions import IncorrectTypeError
from dlpx.virtualization.platform.exceptions import IncorrectReferenceFormatError

__all__ = [
    "VirtualSource", "StagedSource", "DirectSource", "Status", "MigrationType",
    "Mount", "OwnershipSpecification", "MountSpecification"
]

_REFERENCE_FORMATS = (re.compile(r'^UNIX_HOST_ENVIRONMENT-\d+$'), re.compile(r'^WINDOWS_HOST_ENVIRONMENT-\d+$'))


def _require_connection(name, value):
    if not isinstance(value, RemoteConnection):
        raise IncorrectTypeError(RemoteConnection, name, type(value), RemoteConnection)
    return value


class VirtualSource(object):
    def __init__(self, guid, connection, parameters, mounts):
        self._guid = guid
        self._connection = _require_connection('connection', connection)
        self._parameters = parameters
        self._mounts = mounts

    @property
    def guid(self):
        return self._guid

    @property
    def connection(self):
        return self._connection

    @property
    def parameters(self):
        return self._parameters

    @property
    def mounts(self):
        return self._mounts


class StagedSource(object):
    def __init__(self, guid, source_connection, parameters, mount, staged_connection, mounts=None):
        self._guid = guid
        self._source_connection = _require_connection('source_connection', source_connection)
        self._parameters = parameters
        self._mount = mount
        self._staged_connection = _require_connection('staged_connection', staged_connection)
        self._mounts = mounts

    @property
    def guid(self):
        return self._guid

    @property
    def source_connection(self):
        return self._source_connection

    @property
    def parameters(self):
        return self._parameters

    @property
    def mount(self):
        return self._mount

    @property
    def staged_connection(self):
        return self._staged_connection

    @property
    def mounts(self):
        return self._mounts


class DirectSource(object):
    def __init__(self, guid, connection, parameters):
        self._guid = guid
        self._connection = _require_connection('connection', connection)
        self._parameters = parameters

    @property
    def guid(self):
        return self._guid

    @property
    def connection(self):
        return self._connection

    @property
    def parameters(self):
        return self._parameters


class Status(Enum):
    ACTIVE = 0
    INACTIVE = 1


class MigrationType(Enum):
    PLATFORM = 0
    LUA = 1


def _is_reference(value):
    return any(f.match(value) for f in _REFERENCE_FORMATS)


class Mount(object):
    def __init__(self, remote_environment, mount_path, shared_path=None):
        # A plugin may name the environment by its reference alone; the other fields are never read.
        if not isinstance(remote_environment, (RemoteEnvironment, str)):
            raise IncorrectTypeError(Mount, 'remote_environment', type(remote_environment), [RemoteEnvironment, str])
        if isinstance(remote_environment, str):
            if not _is_reference(remote_environment):
                raise IncorrectReferenceFormatError(remote_environment)
            remote_environment = RemoteEnvironment(
                "dummy name", remote_environment,
                RemoteHost("dummy host", "dummy reference", "dummy binary path", "dummy scratch path"))
        self._remote_environment = remote_environment
        if not isinstance(mount_path, str):
            raise IncorrectTypeError(Mount, 'mount_path', type(mount_path), str)
        self._mount_path = mount_path
        if shared_path and not isinstance(shared_path, str):
            raise IncorrectTypeError(Mount, 'shared_path', type(shared_path), str, False)
        self._shared_path = shared_path

    @property
    def remote_environment(self):
        return self._remote_environment

    @property
    def mount_path(self):
        return self._mount_path

    @property
    def shared_path(self):
        return self._shared_path

    def __repr__(self):
        return 'Mount(remote_environment={!r}, mount_path={!r}, shared_path={!r})'.format(
            self._remote_environment, self._mount_path, self._shared_path)


class OwnershipSpecification(object):
    def __init__(self, uid, gid):
        if not isinstance(uid, int):
            raise IncorrectTypeError(OwnershipSpecification, 'uid', type(uid), int)
        self._uid = uid
        if not isinstance(gid, int):
            raise IncorrectTypeError(OwnershipSpecification, 'gid', type(gid), int)
        self._gid = gid

    @property
    def uid(self):
        return self._uid

    @property
    def gid(self):
        return self._gid


class MountSpecification(object):
    def __init__(self, mounts, ownership_specification=None):
        if not isinstance(mounts, list):
            raise IncorrectTypeError(MountSpecification, 'mounts', type(mounts), [Mount])
        if not all(isinstance(mount, Mount) for mount in mounts):
            raise IncorrectTypeError(MountSpecification, 'mounts', [type(mount) for mount in mounts], [Mount])
        self._mounts = mounts
        if ownership_specification and not isinstance(ownership_specification, OwnershipSpecification):
            raise IncorrectTypeError(MountSpecification, 'ownership_specification',
                                     type(ownership_specification), OwnershipSpecification, False)
        self._ownership_specification = ownership_specification

    @property
    def mounts(self):
        return self._mounts

    @property
    def ownership_specification(self):
        return self._ownership_specification
