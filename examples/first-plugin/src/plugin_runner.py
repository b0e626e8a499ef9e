#
# The plugin the Delphix Virtualization SDK tutorial builds ("Building Your First Plugin"): a STAGED
# plugin that copies a directory from a source host onto the staging mount with rsync over SSH.
#
import os
import shlex

from dlpx.virtualization import libs
from dlpx.virtualization.platform import Mount, MountSpecification, Plugin, Status
from dlpx.virtualization.platform.exceptions import UserError

from generated.definitions import (
    RepositoryDefinition,
    SnapshotDefinition,
    SourceConfigDefinition,
)

plugin = Plugin()


@plugin.discovery.repository()
def repository_discovery(source_connection):
    return [RepositoryDefinition(name="1e87dc30-3cdb-4f0a-9634-07ce017d20d1")]


@plugin.discovery.source_config()
def source_config_discovery(source_connection, repository):
    return []


@plugin.linked.mount_specification()
def linked_mount_specification(staged_source, repository):
    mount_location = staged_source.parameters.mount_location
    mount = Mount(staged_source.staged_connection.environment, mount_location)
    return MountSpecification([mount])


@plugin.linked.pre_snapshot()
def copy_data_from_source(staged_source, repository, source_config, optional_snapshot_parameters):
    stage_mount_path = staged_source.mount.mount_path
    data_location = "{}@{}:{}".format(
        staged_source.parameters.username,
        staged_source.parameters.source_address,
        source_config.path,
    )
    rsync_command = "rsync -r {} {}".format(shlex.quote(data_location), shlex.quote(stage_mount_path))

    result = libs.run_bash(staged_source.staged_connection, rsync_command)

    if result.exit_code != 0:
        raise UserError(
            "Could not copy files.",
            "Ensure that passwordless SSH works for {}.".format(
                staged_source.parameters.source_address
            ),
            result.stderr,
        )


@plugin.linked.post_snapshot()
def linked_post_snapshot(staged_source, repository, source_config, optional_snapshot_parameters):
    return SnapshotDefinition()


@plugin.linked.status()
def linked_status(staged_source, repository, source_config):
    if os.path.isdir(staged_source.mount.mount_path):
        return Status.ACTIVE
    return Status.INACTIVE


@plugin.virtual.configure()
def configure(virtual_source, snapshot, repository):
    path = virtual_source.parameters.mount_location
    name = "VDB mounted at {}".format(path)
    return SourceConfigDefinition(path=path, name=name)


@plugin.virtual.reconfigure()
def reconfigure(virtual_source, repository, source_config, snapshot):
    return SourceConfigDefinition(path=source_config.path, name=source_config.name)


@plugin.virtual.post_snapshot()
def virtual_post_snapshot(virtual_source, repository, source_config):
    return SnapshotDefinition()


@plugin.virtual.mount_specification()
def virtual_mount_specification(virtual_source, repository):
    mount_location = virtual_source.parameters.mount_location
    mount = Mount(virtual_source.connection.environment, mount_location)
    return MountSpecification([mount])
