// The SDK runtime classes plugin code receives or builds (sdk-spec §4.4), with the attributes each
// really has, so `staged_source.paramters` is caught and `staged_source.` completes. Attribute types
// name either another SDK class (`sdk:`), the generated class of a schema definition (`def:`), or a
// list of SDK objects (`list:`).

export interface SdkAttribute {
  type?: string;
  doc: string;
}

export interface SdkClass {
  module: string;
  doc: string;
  attrs: Record<string, SdkAttribute>;
  /** Attributes that exist only from some SDK version on (absent when `multipleStagedMounts` is off). */
  multiMountOnly?: string[];
}

const proto = {
  to_proto: { doc: 'Converts to the protobuf message the engine exchanges (SDK internal).' },
  from_proto: { doc: 'Builds the object from a protobuf message (SDK internal).' },
};

export const SDK_CLASSES: Record<string, SdkClass> = {
  StagedSource: {
    module: 'dlpx.virtualization.platform',
    doc: 'The dSource of a STAGED plugin, passed to the linked operations as `staged_source`.',
    attrs: {
      guid: { type: 'str', doc: 'Unique identifier of the dSource.' },
      source_connection: { type: 'sdk:RemoteConnection', doc: 'Connection to the source environment.' },
      parameters: { type: 'def:linkedSourceDefinition', doc: 'The linked source parameters (generated class LinkedSourceDefinition).' },
      mount: { type: 'sdk:Mount', doc: 'The staging mount (single-mount case).' },
      staged_connection: { type: 'sdk:RemoteConnection', doc: 'Connection to the staging environment.' },
      mounts: { type: 'list:sdk:Mount', doc: 'The staging mounts when the mount specification returned several, else None.' },
    },
    multiMountOnly: ['mounts'],
  },
  DirectSource: {
    module: 'dlpx.virtualization.platform',
    doc: 'The dSource of a DIRECT plugin, passed to the linked operations as `direct_source`.',
    attrs: {
      guid: { type: 'str', doc: 'Unique identifier of the dSource.' },
      connection: { type: 'sdk:RemoteConnection', doc: 'Connection to the source environment (for `libs.run_sync`).' },
      parameters: { type: 'def:linkedSourceDefinition', doc: 'The linked source parameters (generated class LinkedSourceDefinition).' },
    },
  },
  VirtualSource: {
    module: 'dlpx.virtualization.platform',
    doc: 'The VDB, passed to the virtual operations as `virtual_source`.',
    attrs: {
      guid: { type: 'str', doc: 'Unique identifier of the VDB.' },
      connection: { type: 'sdk:RemoteConnection', doc: 'Connection to the target environment.' },
      parameters: { type: 'def:virtualSourceDefinition', doc: 'The virtual source parameters (generated class VirtualSourceDefinition).' },
      mounts: { type: 'list:sdk:Mount', doc: 'The mounts of the VDB.' },
    },
  },
  RemoteConnection: {
    module: 'dlpx.virtualization.common',
    doc: 'An environment and the user to act as on it.',
    attrs: {
      environment: { type: 'sdk:RemoteEnvironment', doc: 'The environment.' },
      user: { type: 'sdk:RemoteUser', doc: 'The environment user.' },
      ...proto,
    },
  },
  RemoteEnvironment: {
    module: 'dlpx.virtualization.common',
    doc: 'A host environment known to the engine.',
    attrs: {
      name: { type: 'str', doc: 'Name of the environment.' },
      reference: { type: 'str', doc: 'Engine reference, e.g. UNIX_HOST_ENVIRONMENT-3.' },
      host: { type: 'sdk:RemoteHost', doc: 'The host of the environment.' },
      ...proto,
    },
  },
  RemoteHost: {
    module: 'dlpx.virtualization.common',
    doc: 'A host of an environment.',
    attrs: {
      name: { type: 'str', doc: 'Name of the host.' },
      reference: { type: 'str', doc: 'Engine reference of the host.' },
      binary_path: { type: 'str', doc: 'Directory of the Delphix helper binaries (Unix only).' },
      scratch_path: { type: 'str', doc: 'Scratch directory of the plugin on this host.' },
      ...proto,
    },
  },
  RemoteUser: {
    module: 'dlpx.virtualization.common',
    doc: 'An environment user.',
    attrs: {
      name: { type: 'str', doc: 'Name of the user.' },
      reference: { type: 'str', doc: 'Engine reference of the user.' },
      ...proto,
    },
  },
  Mount: {
    module: 'dlpx.virtualization.platform',
    doc: 'Where the engine mounts storage: Mount(remote_environment, mount_path, shared_path=None).',
    attrs: {
      remote_environment: { type: 'sdk:RemoteEnvironment', doc: 'The environment the storage is mounted on.' },
      mount_path: { type: 'str', doc: 'The path the storage is mounted at.' },
      shared_path: { type: 'str', doc: 'The subset of the storage to mount, or None.' },
    },
  },
  MountSpecification: {
    module: 'dlpx.virtualization.platform',
    doc: 'What mount_specification operations return: MountSpecification(mounts, ownership_specification=None).',
    attrs: {
      mounts: { type: 'list:sdk:Mount', doc: 'The mounts.' },
      ownership_specification: { type: 'sdk:OwnershipSpecification', doc: 'Owner of the mounted files, or None.' },
    },
  },
  OwnershipSpecification: {
    module: 'dlpx.virtualization.platform',
    doc: 'Owner of the mounted files: OwnershipSpecification(uid, gid).',
    attrs: {
      uid: { type: 'int', doc: 'User id.' },
      gid: { type: 'int', doc: 'Group id.' },
    },
  },
};

/** Names importable from the SDK packages that the analysis gives a meaning to. */
export const SDK_EXPORTS: Record<string, string[]> = {
  'dlpx.virtualization.platform': ['Plugin', 'Mount', 'MountSpecification', 'OwnershipSpecification', 'Status', 'MigrationType', 'DirectSource', 'StagedSource', 'VirtualSource'],
  'dlpx.virtualization.common': ['RemoteConnection', 'RemoteEnvironment', 'RemoteHost', 'RemoteUser'],
};

export function sdkAttributes(cls: string, multipleStagedMounts: boolean): [string, SdkAttribute][] {
  const c = SDK_CLASSES[cls];
  if (!c) return [];
  return Object.entries(c.attrs).filter(([name]) => multipleStagedMounts || !c.multiMountOnly?.includes(name));
}
