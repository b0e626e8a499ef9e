#
# Bookkeeping of upgrade migrations: platform migration ids are dotted numbers, unique across all
# object types once canonical (trailing zeros dropped); Lua migrations are keyed by major.minor.
#
import re

from dlpx.virtualization.platform import validation_util as v
from dlpx.virtualization.platform.exceptions import (MigrationIdAlreadyUsedError,
                                                     MigrationIdIncorrectFormatError,
                                                     MigrationIdIncorrectTypeError)
from dlpx.virtualization.platform.operation import Operation as Op

__all__ = ['UpgradeMigrations', 'PlatformUpgradeMigrations', 'LuaUpgradeMigrations']

_KINDS = (
    ('repository', Op.UPGRADE_REPOSITORY),
    ('source_config', Op.UPGRADE_SOURCE_CONFIG),
    ('linked_source', Op.UPGRADE_LINKED_SOURCE),
    ('virtual_source', Op.UPGRADE_VIRTUAL_SOURCE),
    ('snapshot', Op.UPGRADE_SNAPSHOT),
)


class UpgradeMigrations(object):
    def __init__(self):
        self._impls = {kind: {} for kind, _ in _KINDS}

    def _add(self, kind, migration_id, impl):
        op = dict(_KINDS)[kind]
        self._impls[kind][migration_id] = v.check_function(impl, op)

    def add_repository(self, migration_id, impl):
        self._add('repository', migration_id, impl)

    def add_source_config(self, migration_id, impl):
        self._add('source_config', migration_id, impl)

    def add_linked_source(self, migration_id, impl):
        self._add('linked_source', migration_id, impl)

    def add_virtual_source(self, migration_id, impl):
        self._add('virtual_source', migration_id, impl)

    def add_snapshot(self, migration_id, impl):
        self._add('snapshot', migration_id, impl)

    def get_repository_dict(self):
        return self._impls['repository']

    def get_source_config_dict(self):
        return self._impls['source_config']

    def get_linked_source_dict(self):
        return self._impls['linked_source']

    def get_virtual_source_dict(self):
        return self._impls['virtual_source']

    def get_snapshot_dict(self):
        return self._impls['snapshot']


class PlatformUpgradeMigrations(UpgradeMigrations):
    MIGRATION_ID_REGEX = re.compile(r'^\d+(\.\d+)*$')

    def __init__(self):
        self._canonical_ids = []
        super(PlatformUpgradeMigrations, self).__init__()

    def _add(self, kind, migration_id, impl):
        canonical = self._canonicalize(migration_id, getattr(impl, '__name__', repr(impl)))
        super(PlatformUpgradeMigrations, self)._add(kind, canonical, impl)

    def _canonicalize(self, migration_id, impl_name):
        if not isinstance(migration_id, str):
            raise MigrationIdIncorrectTypeError(migration_id, impl_name)
        if not self.MIGRATION_ID_REGEX.match(migration_id):
            raise MigrationIdIncorrectFormatError.from_fields(migration_id, impl_name, self.MIGRATION_ID_REGEX.pattern)
        numbers = [int(part) for part in migration_id.split('.')]
        if not any(numbers):
            raise MigrationIdIncorrectFormatError(
                "The migration id '{}' used in the function '{}' cannot be used because a 0 migration id is not"
                " allowed.".format(migration_id, impl_name))
        while numbers and numbers[-1] == 0:
            numbers.pop()
        canonical = '.'.join(str(n) for n in numbers)
        if numbers in self._canonical_ids:
            raise MigrationIdAlreadyUsedError.fromMigrationId(migration_id, canonical, impl_name)
        self._canonical_ids.append(numbers)
        return canonical

    def get_sorted_ids(self):
        return ['.'.join(str(n) for n in numbers) for numbers in sorted(self._canonical_ids)]

    def impls_to_exec(self, kind, migration_ids):
        impls = self._impls[kind]
        return [impls[m] for m in migration_ids if m in impls]


class LuaUpgradeMigrations(UpgradeMigrations):
    LUA_VERSION_REGEX = re.compile(r'^\d+\.\d+$')

    def _add(self, kind, migration_id, impl):
        impl_name = getattr(impl, '__name__', repr(impl))
        if not isinstance(migration_id, str):
            raise MigrationIdIncorrectTypeError(migration_id, impl_name)
        if migration_id in self._impls[kind]:
            raise MigrationIdAlreadyUsedError.fromLuaVersion(migration_id, impl_name, dict(_KINDS)[kind].value)
        if not self.LUA_VERSION_REGEX.match(migration_id):
            raise MigrationIdIncorrectFormatError.from_fields(migration_id, impl_name, self.LUA_VERSION_REGEX.pattern)
        canonical = '.'.join(str(int(part)) for part in migration_id.split('.'))
        super(LuaUpgradeMigrations, self)._add(kind, canonical, impl)

    def impls_to_exec(self, kind, lua_version):
        # No Lua version in the request means no Lua migration runs.
        if not lua_version:
            return []
        impls = self._impls[kind]
        return [impls[k] for k in sorted((k for k in impls if float(k) >= float(lua_version)), key=float)]
