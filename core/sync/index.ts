// Simulated sync: run a plugin's linked-source workflows on this machine (see orchestrator.ts).
export { runSync, findRuntimeDir, RUNNER_FILE, type RunOptions, type SyncEvent } from './orchestrator';
export { prepareDebugRun, type DebugLaunchConfiguration, type PreparedDebugRun } from './debug';
export { preflight, defaultProfileName, type PreflightResult, type SyncTarget } from './preflight';
export {
  checkProfileText,
  listProfiles,
  loadProfile,
  profileFile,
  PROFILE_DIR,
  DEFAULT_PROFILE,
  type LoadedProfile,
  type ProfileContext,
  type SyncProfile,
} from './profile';
export { SYNC_PROFILE_SCHEMA } from './profileSchema';
export { formatError, formatReport, type PreflightCheck, type RunError, type SyncMode, type SyncReport, type SyncWorkflow } from './report';
export { listSnapshots, latestSnapshot, sandboxLayout, SANDBOX_DIR, type SandboxLayout, type SnapshotInfo } from './sandbox';
export { checkShellInjection, findUnquotedShellArguments, UNQUOTED_SHELL_ARGUMENT } from './shellInjection';
export { findDebugPython, probePython, type PythonInfo } from './tools';
