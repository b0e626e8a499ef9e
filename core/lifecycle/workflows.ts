// Every workflow the local engine runs, as data: its steps in the order of the SDK's Workflows page
// (/work/shared/sdk-spec.md 4.6), which plugin operation or engine step each one is, which operations
// are required (a missing one stops the run before anything happens) and which are skipped when the
// plugin lacks them, and which schema definition each operation's return value is checked against.
// The Python runner receives the steps of one workflow and runs them with one loop; the orchestrator
// reads the same table to build the request and to commit what the run produced.

/** The object a workflow acts on. */
export type WorkflowObject = 'dsource' | 'vdb' | 'environment';

export type LinkedWorkflowName = 'sync' | 'enable' | 'disable' | 'status' | 'worker';
export type VdbWorkflowName =
  | 'provision'
  | 'create-empty'
  | 'start'
  | 'stop'
  | 'vdb-status'
  | 'vdb-enable'
  | 'vdb-disable'
  | 'snapshot'
  | 'refresh'
  | 'rollback'
  | 'delete';
export type WorkflowName = LinkedWorkflowName | VdbWorkflowName | 'discovery';

/** A plugin operation the engine calls. */
export interface OperationStep {
  op: string;
  /** Required: a plugin without it cannot run this workflow (checked right after import). */
  required: boolean;
  /** What the report says when an optional operation is missing (default: the engine skips it). */
  skipped?: string;
  /** The schema definition the operation's return value must satisfy. */
  returns?: 'repositoryDefinition' | 'sourceConfigDefinition' | 'snapshotDefinition';
  /** Run only when an earlier step's result allows it. */
  when?: Condition;
  /** Run once per item an earlier step found (discovery.source_config per repository). */
  each?: 'repository';
}

/** Work of the simulated engine itself (mounting, cloning, snapshotting). */
export interface EngineStep {
  step: 'mount' | 'mount-known' | 'snapshot' | 'clone' | 'create-storage' | 'vdb-mount' | 'vdb-snapshot' | 'destroy-storage';
  /** The report's name for it (default: `step`). */
  name?: string;
  when?: Condition;
}

export type Step = OperationStep | EngineStep;

/**
 * `inactive`: the status step said INACTIVE. `implemented:<op>`: the plugin has that operation
 * (e.g. mounts are attached for linked.status() only when it will run).
 */
export type Condition = 'inactive' | `implemented:${string}`;

export interface Workflow {
  name: WorkflowName;
  object: WorkflowObject;
  /** What the CLI and the editor call it. */
  title: string;
  pluginTypes?: ('STAGED' | 'DIRECT')[];
  steps: Step[];
  /** The VDB status after the workflow succeeded (VDB workflows). */
  statusAfter?: VdbStatus;
}

export type VdbStatus = 'running' | 'stopped' | 'disabled' | 'failed' | 'unknown';

const op = (name: string, required: boolean, extra: Partial<OperationStep> = {}): OperationStep => ({ op: name, required, ...extra });

const STAGED_SYNC: Step[] = [
  op('linked.mount_specification', true),
  { step: 'mount' },
  op('linked.pre_snapshot', false),
  { step: 'snapshot' },
  op('linked.post_snapshot', true, { returns: 'snapshotDefinition' }),
];

const DIRECT_SYNC: Step[] = [op('linked.pre_snapshot', false), { step: 'snapshot' }, op('linked.post_snapshot', true, { returns: 'snapshotDefinition' })];

/**
 * The VDB's storage is attached at the paths virtual.mount_specification() asks for; `storage` is the
 * engine's work between the two (a clone of a snapshot, empty storage), when the workflow has any.
 */
const vdbMount = (storage?: EngineStep): Step[] => [
  op('virtual.mount_specification', true),
  ...(storage ? [storage] : []),
  { step: 'vdb-mount', name: 'mount' },
];
const VDB_MOUNT = vdbMount();

export const WORKFLOWS: Record<WorkflowName, Workflow> = {
  sync: { name: 'sync', object: 'dsource', title: 'sync', steps: STAGED_SYNC },
  enable: {
    name: 'enable',
    object: 'dsource',
    title: 'enable',
    pluginTypes: ['STAGED'],
    steps: [op('linked.mount_specification', true), { step: 'mount' }, op('linked.start_staging', false, { skipped: 'linked.start_staging() is not implemented; nothing more to do.' })],
  },
  disable: {
    name: 'disable',
    object: 'dsource',
    title: 'disable',
    pluginTypes: ['STAGED'],
    steps: [{ step: 'mount-known' }, op('linked.stop_staging', false, { skipped: 'linked.stop_staging() is not implemented; nothing more to do.' })],
  },
  status: {
    name: 'status',
    object: 'dsource',
    title: 'status',
    pluginTypes: ['STAGED'],
    steps: [{ step: 'mount-known', when: 'implemented:linked.status' }, op('linked.status', false, { skipped: 'linked.status() is not implemented; the engine assumes ACTIVE.' })],
  },
  worker: {
    name: 'worker',
    object: 'dsource',
    title: 'worker',
    pluginTypes: ['STAGED'],
    steps: [{ step: 'mount-known', when: 'implemented:linked.worker' }, op('linked.worker', false, { skipped: 'linked.worker() is not implemented; nothing to run.' })],
  },
  discovery: {
    name: 'discovery',
    object: 'environment',
    title: 'discovery',
    steps: [
      op('discovery.repository', true, { returns: 'repositoryDefinition' }),
      op('discovery.source_config', true, { returns: 'sourceConfigDefinition', each: 'repository' }),
    ],
  },
  provision: {
    name: 'provision',
    object: 'vdb',
    title: 'provision',
    statusAfter: 'running',
    steps: [...vdbMount({ step: 'clone', name: 'clone snapshot' }), op('virtual.configure', true, { returns: 'sourceConfigDefinition' })],
  },
  'create-empty': {
    name: 'create-empty',
    object: 'vdb',
    title: 'create empty VDB',
    statusAfter: 'running',
    steps: [
      ...vdbMount({ step: 'create-storage', name: 'create empty storage' }),
      op('virtual.initialize', true, { returns: 'sourceConfigDefinition' }),
    ],
  },
  start: { name: 'start', object: 'vdb', title: 'start', statusAfter: 'running', steps: [...VDB_MOUNT, op('virtual.start', false)] },
  stop: { name: 'stop', object: 'vdb', title: 'stop', statusAfter: 'stopped', steps: [op('virtual.stop', false)] },
  'vdb-status': {
    name: 'vdb-status',
    object: 'vdb',
    title: 'status',
    steps: [op('virtual.status', false, { skipped: 'virtual.status() is not implemented; the engine shows the status it last knew.' })],
  },
  'vdb-enable': {
    name: 'vdb-enable',
    object: 'vdb',
    title: 'enable',
    statusAfter: 'running',
    steps: [
      op('virtual.status', false, { skipped: 'virtual.status() is not implemented; the engine treats the VDB as INACTIVE and reconfigures it.' }),
      op('virtual.mount_specification', true, { when: 'inactive' }),
      { step: 'vdb-mount', name: 'mount', when: 'inactive' },
      op('virtual.reconfigure', true, { returns: 'sourceConfigDefinition', when: 'inactive' }),
    ],
  },
  'vdb-disable': { name: 'vdb-disable', object: 'vdb', title: 'disable', statusAfter: 'disabled', steps: [op('virtual.unconfigure', false)] },
  snapshot: {
    name: 'snapshot',
    object: 'vdb',
    title: 'snapshot',
    steps: [op('virtual.pre_snapshot', false), { step: 'vdb-snapshot', name: 'snapshot' }, op('virtual.post_snapshot', true, { returns: 'snapshotDefinition' })],
  },
  refresh: {
    name: 'refresh',
    object: 'vdb',
    title: 'refresh',
    statusAfter: 'running',
    steps: [
      op('virtual.unconfigure', false),
      ...vdbMount({ step: 'clone', name: 'clone snapshot' }),
      op('virtual.configure', true, { returns: 'sourceConfigDefinition' }),
    ],
  },
  rollback: {
    name: 'rollback',
    object: 'vdb',
    title: 'rollback',
    statusAfter: 'running',
    steps: [
      op('virtual.unconfigure', false),
      ...vdbMount({ step: 'clone', name: 'clone VDB snapshot' }),
      op('virtual.reconfigure', true, { returns: 'sourceConfigDefinition' }),
    ],
  },
  delete: {
    name: 'delete',
    object: 'vdb',
    title: 'delete',
    steps: [op('virtual.unconfigure', false), op('virtual.cleanup', false), { step: 'destroy-storage', name: 'delete storage' }],
  },
};

/** The steps a workflow runs for a plugin type (a DIRECT sync has no staging mount). */
export function stepsFor(workflow: Workflow, pluginType: 'STAGED' | 'DIRECT'): Step[] {
  if (workflow.name === 'sync' && pluginType === 'DIRECT') return DIRECT_SYNC;
  return workflow.steps;
}

/** The CLI's verbs of `vdb <verb> NAME`, and the workflow each runs. */
export const VDB_VERBS: Record<string, VdbWorkflowName> = {
  start: 'start',
  stop: 'stop',
  status: 'vdb-status',
  snapshot: 'snapshot',
  refresh: 'refresh',
  rollback: 'rollback',
  enable: 'vdb-enable',
  disable: 'vdb-disable',
  delete: 'delete',
};

export function isOperation(step: Step): step is OperationStep {
  return 'op' in step;
}

/** The report's name of a step: `virtual.configure()` for an operation. */
export function stepName(step: Step): string {
  return isOperation(step) ? `${step.op}()` : (step.name ?? step.step);
}
