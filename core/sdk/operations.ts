// The plugin operations of the SDK: decorator names, the argument names `dvp build` checks
// (plugin_importer.yaml), the manifest keys, what each must return, and what each plugin type requires.
// Everything that reasons about operations (cross-check, build manifest, snippets, simulated sync)
// reads this one table.

export type PluginType = 'STAGED' | 'DIRECT';
export type OperationGroup = 'discovery' | 'linked' | 'virtual' | 'upgrade';

export interface OperationSpec {
  /** `linked.pre_snapshot` (the decorator is `@plugin.linked.pre_snapshot()`). */
  id: string;
  group: OperationGroup;
  name: string;
  /** Expected argument names by plugin type; absent for a type means the operation does not exist there. */
  args: Partial<Record<PluginType, string[]>>;
  /** The manifest flag `dvp build` sets when the operation is implemented. */
  manifestKey?: string;
  /** What the operation must return, as the runtime wrapper checks it. */
  returns?: 'RepositoryDefinitionList' | 'SourceConfigDefinitionList' | 'SnapshotDefinition' | 'SourceConfigDefinition' | 'MountSpecification' | 'Status' | 'number' | 'dict';
  /** Types that warn at build time when the operation is missing. */
  requiredFor: PluginType[];
  /** The operation description the SDK prints in its missing-operation warning. */
  description?: string;
  doc: string;
}

const BOTH: PluginType[] = ['STAGED', 'DIRECT'];
const linkedArgs = (extra: string[]) => ({ STAGED: ['staged_source', ...extra], DIRECT: ['direct_source', ...extra] });
const same = (args: string[]) => ({ STAGED: args, DIRECT: args });

export const OPERATIONS: OperationSpec[] = [
  { id: 'discovery.repository', group: 'discovery', name: 'repository', args: same(['source_connection']), manifestKey: 'hasRepositoryDiscovery', returns: 'RepositoryDefinitionList', requiredFor: BOTH, description: 'Repository Discovery', doc: 'Finds the repositories (installations) on an environment. Returns a list of RepositoryDefinition.' },
  { id: 'discovery.source_config', group: 'discovery', name: 'source_config', args: same(['source_connection', 'repository']), manifestKey: 'hasSourceConfigDiscovery', returns: 'SourceConfigDefinitionList', requiredFor: BOTH, description: 'Source Config Discovery', doc: 'Finds the source configs (datasets) of a repository. Returns a list of SourceConfigDefinition.' },
  { id: 'linked.pre_snapshot', group: 'linked', name: 'pre_snapshot', args: linkedArgs(['repository', 'source_config', 'optional_snapshot_parameters']), manifestKey: 'hasLinkedPreSnapshot', requiredFor: [], doc: 'Runs before the engine snapshots the dSource; a staged plugin copies data into the mount here.' },
  { id: 'linked.post_snapshot', group: 'linked', name: 'post_snapshot', args: linkedArgs(['repository', 'source_config', 'optional_snapshot_parameters']), manifestKey: 'hasLinkedPostSnapshot', returns: 'SnapshotDefinition', requiredFor: BOTH, description: 'Linked Source Post Snapshot', doc: 'Runs after the snapshot; returns the SnapshotDefinition saved with it.' },
  { id: 'linked.start_staging', group: 'linked', name: 'start_staging', args: { STAGED: ['staged_source', 'repository', 'source_config'] }, manifestKey: 'hasLinkedStartStaging', requiredFor: [], doc: 'Runs when a staged dSource is enabled, after the mount.' },
  { id: 'linked.stop_staging', group: 'linked', name: 'stop_staging', args: { STAGED: ['staged_source', 'repository', 'source_config'] }, manifestKey: 'hasLinkedStopStaging', requiredFor: [], doc: 'Runs when a staged dSource is disabled or deleted.' },
  { id: 'linked.status', group: 'linked', name: 'status', args: { STAGED: ['staged_source', 'repository', 'source_config'] }, manifestKey: 'hasLinkedStatus', returns: 'Status', requiredFor: [], doc: 'Reports whether the staged dSource is running. Returns Status.ACTIVE or Status.INACTIVE.' },
  { id: 'linked.worker', group: 'linked', name: 'worker', args: { STAGED: ['staged_source', 'repository', 'source_config'] }, manifestKey: 'hasLinkedWorker', requiredFor: [], doc: 'Runs at a regular interval to monitor and repair staging.' },
  { id: 'linked.mount_specification', group: 'linked', name: 'mount_specification', args: { STAGED: ['staged_source', 'repository'] }, manifestKey: 'hasLinkedMountSpecification', returns: 'MountSpecification', requiredFor: ['STAGED'], description: 'Staged Source Mount Specification', doc: 'Tells the engine where to mount the dSource storage on the staging host. Returns a MountSpecification.' },
  { id: 'linked.source_size', group: 'linked', name: 'source_size', args: linkedArgs(['repository', 'source_config']), manifestKey: 'hasLinkedSourceSize', returns: 'number', requiredFor: [], doc: 'Returns the size of the source database in bytes.' },
  { id: 'virtual.configure', group: 'virtual', name: 'configure', args: same(['virtual_source', 'repository', 'snapshot']), manifestKey: 'hasVirtualConfigure', returns: 'SourceConfigDefinition', requiredFor: BOTH, description: 'Virtual Source Configure', doc: 'Configures a new VDB from a snapshot. Returns its SourceConfigDefinition.' },
  { id: 'virtual.unconfigure', group: 'virtual', name: 'unconfigure', args: same(['virtual_source', 'repository', 'source_config']), manifestKey: 'hasVirtualUnconfigure', requiredFor: [], doc: 'Tears down a VDB before refresh, rollback, disable or delete.' },
  { id: 'virtual.reconfigure', group: 'virtual', name: 'reconfigure', args: same(['virtual_source', 'repository', 'source_config', 'snapshot']), manifestKey: 'hasVirtualReconfigure', returns: 'SourceConfigDefinition', requiredFor: BOTH, description: 'Virtual Source Reconfigure', doc: 'Brings a VDB back after rollback or enable. Returns its SourceConfigDefinition.' },
  { id: 'virtual.cleanup', group: 'virtual', name: 'cleanup', args: same(['virtual_source', 'repository', 'source_config']), manifestKey: 'hasVirtualCleanup', requiredFor: [], doc: 'Removes what the VDB left on the target host when it is deleted.' },
  { id: 'virtual.start', group: 'virtual', name: 'start', args: same(['virtual_source', 'repository', 'source_config']), manifestKey: 'hasVirtualStart', requiredFor: [], doc: 'Starts the VDB.' },
  { id: 'virtual.stop', group: 'virtual', name: 'stop', args: same(['virtual_source', 'repository', 'source_config']), manifestKey: 'hasVirtualStop', requiredFor: [], doc: 'Stops the VDB.' },
  { id: 'virtual.pre_snapshot', group: 'virtual', name: 'pre_snapshot', args: same(['virtual_source', 'repository', 'source_config']), manifestKey: 'hasVirtualPreSnapshot', requiredFor: [], doc: 'Runs before the engine snapshots a VDB.' },
  { id: 'virtual.post_snapshot', group: 'virtual', name: 'post_snapshot', args: same(['virtual_source', 'repository', 'source_config']), manifestKey: 'hasVirtualPostSnapshot', returns: 'SnapshotDefinition', requiredFor: BOTH, description: 'Virtual Source Post Snapshot', doc: 'Runs after a VDB snapshot; returns its SnapshotDefinition.' },
  { id: 'virtual.mount_specification', group: 'virtual', name: 'mount_specification', args: same(['virtual_source', 'repository']), manifestKey: 'hasVirtualMountSpecification', returns: 'MountSpecification', requiredFor: BOTH, description: 'Virtual Source Mount Specification', doc: 'Tells the engine where to mount the VDB storage on the target host. Returns a MountSpecification.' },
  { id: 'virtual.status', group: 'virtual', name: 'status', args: same(['virtual_source', 'repository', 'source_config']), manifestKey: 'hasVirtualStatus', returns: 'Status', requiredFor: [], doc: 'Reports whether the VDB is running. Returns Status.ACTIVE or Status.INACTIVE.' },
  { id: 'virtual.initialize', group: 'virtual', name: 'initialize', args: same(['virtual_source', 'repository']), manifestKey: 'hasInitialize', returns: 'SourceConfigDefinition', requiredFor: [], doc: 'Creates an empty VDB. Returns its SourceConfigDefinition.' },
  { id: 'virtual.source_size', group: 'virtual', name: 'source_size', args: same(['virtual_source', 'repository', 'source_config']), manifestKey: 'hasVirtualSourceSize', returns: 'number', requiredFor: [], doc: 'Returns the size of the VDB in bytes.' },
  { id: 'upgrade.repository', group: 'upgrade', name: 'repository', args: same(['old_repository']), returns: 'dict', requiredFor: [], doc: 'Data migration of a repository: takes and returns a dict keyed by the schema names (camelCase).' },
  { id: 'upgrade.source_config', group: 'upgrade', name: 'source_config', args: same(['old_source_config']), returns: 'dict', requiredFor: [], doc: 'Data migration of a source config (dict keyed by schema names).' },
  { id: 'upgrade.linked_source', group: 'upgrade', name: 'linked_source', args: same(['old_linked_source']), returns: 'dict', requiredFor: [], doc: 'Data migration of a linked source (dict keyed by schema names).' },
  { id: 'upgrade.virtual_source', group: 'upgrade', name: 'virtual_source', args: same(['old_virtual_source']), returns: 'dict', requiredFor: [], doc: 'Data migration of a virtual source (dict keyed by schema names).' },
  { id: 'upgrade.snapshot', group: 'upgrade', name: 'snapshot', args: same(['old_snapshot']), returns: 'dict', requiredFor: [], doc: 'Data migration of a snapshot (dict keyed by schema names).' },
];

export const OPERATIONS_BY_ID: ReadonlyMap<string, OperationSpec> = new Map(OPERATIONS.map((o) => [o.id, o]));

/** The manifest keys in the order `dvp build` writes them (`_prepare_manifest`). */
export const MANIFEST_KEYS: string[] = [
  'hasRepositoryDiscovery', 'hasSourceConfigDiscovery', 'hasLinkedPreSnapshot', 'hasLinkedPostSnapshot',
  'hasLinkedStartStaging', 'hasLinkedStopStaging', 'hasLinkedStatus', 'hasLinkedWorker',
  'hasLinkedMountSpecification', 'hasLinkedSourceSize', 'hasVirtualConfigure', 'hasVirtualUnconfigure',
  'hasVirtualReconfigure', 'hasVirtualCleanup', 'hasVirtualStart', 'hasVirtualStop', 'hasVirtualPreSnapshot',
  'hasVirtualPostSnapshot', 'hasVirtualMountSpecification', 'hasVirtualStatus', 'hasInitialize',
  'hasVirtualSourceSize',
];

/**
 * Which generated class each conventional parameter name carries, and through which attribute. Used
 * where the data flow cannot be followed (sdk-spec §3.3 "Access paths from plugin code").
 */
export const PARAMETER_TYPES: Record<string, string> = {
  repository: 'RepositoryDefinition',
  source_config: 'SourceConfigDefinition',
  snapshot: 'SnapshotDefinition',
  optional_snapshot_parameters: 'SnapshotParametersDefinition',
  staged_source: 'StagedSource',
  direct_source: 'DirectSource',
  virtual_source: 'VirtualSource',
  source_connection: 'RemoteConnection',
};

/** The definition key of schema.json behind each generated top-level class. */
export const DEFINITION_CLASSES: Record<string, string> = {
  repositoryDefinition: 'RepositoryDefinition',
  sourceConfigDefinition: 'SourceConfigDefinition',
  virtualSourceDefinition: 'VirtualSourceDefinition',
  linkedSourceDefinition: 'LinkedSourceDefinition',
  snapshotDefinition: 'SnapshotDefinition',
  snapshotParametersDefinition: 'SnapshotParametersDefinition',
};
