#
# Data migrations: decorators keyed by migration id (platform) or Lua major.minor version, and the
# wrapper that runs the selected migrations in order over each object's JSON.
#
import json

from dlpx.virtualization.platform._plugin_classes import MigrationType
from dlpx.virtualization.platform.exceptions import UnknownMigrationTypeError
from dlpx.virtualization.platform.migration_helper import LuaUpgradeMigrations, PlatformUpgradeMigrations

__all__ = ['UpgradeOperations']


class UpgradeOperations(object):
    def __init__(self):
        self.platform_migrations = PlatformUpgradeMigrations()
        self.lua_migrations = LuaUpgradeMigrations()

    def _decorator(self, kind, migration_id, migration_type):
        def decorator(impl):
            if migration_type == MigrationType.PLATFORM:
                self.platform_migrations._add(kind, migration_id, impl)
            elif migration_type == MigrationType.LUA:
                self.lua_migrations._add(kind, migration_id, impl)
            else:
                raise UnknownMigrationTypeError(migration_type)
            return impl
        return decorator

    def repository(self, migration_id, migration_type=MigrationType.PLATFORM):
        return self._decorator('repository', migration_id, migration_type)

    def source_config(self, migration_id, migration_type=MigrationType.PLATFORM):
        return self._decorator('source_config', migration_id, migration_type)

    def linked_source(self, migration_id, migration_type=MigrationType.PLATFORM):
        return self._decorator('linked_source', migration_id, migration_type)

    def virtual_source(self, migration_id, migration_type=MigrationType.PLATFORM):
        return self._decorator('virtual_source', migration_id, migration_type)

    def snapshot(self, migration_id, migration_type=MigrationType.PLATFORM):
        return self._decorator('snapshot', migration_id, migration_type)

    @property
    def migration_id_list(self):
        return self.platform_migrations.get_sorted_ids()

    def _internal_upgrade(self, kind, request):
        """request: {'pre_upgrade_parameters': {ref: json text}, 'migration_ids': [...], 'lua_upgrade_version': str}"""
        impls = (self.lua_migrations.impls_to_exec(kind, request.get('lua_upgrade_version'))
                 + self.platform_migrations.impls_to_exec(kind, request.get('migration_ids', [])))
        upgraded = {}
        for reference, text in request.get('pre_upgrade_parameters', {}).items():
            current = json.loads(text)
            for migration in impls:
                current = migration(current)
            upgraded[reference] = json.dumps(current)
        return {'return_value': {'post_upgrade_parameters': upgraded}}
