// The parts of a run's request that come from the profile: the environments as the runner's specs
// (references, host and user names, a local host's working and scratch folders), the dSource's stable
// GUID, and the snapshot parameters of a manual sync, a resync or a policy sync.

import * as crypto from 'crypto';
import * as os from 'os';
import * as path from 'path';
import type { ProfileEnvironment } from './profile';
import type { SyncTarget } from './preflight';
import type { SyncMode } from './report';
import { ensureRealFolder, sandboxBase } from './sandbox';

export function snapshotParameters(mode: SyncMode, target: SyncTarget): { value: Record<string, unknown> | null; note?: string } {
  if (mode === 'policy') return { value: null };
  const value: Record<string, unknown> = { ...(target.profile.snapshotParameters ?? {}) };
  const definition = target.schema.snapshotParametersDefinition as { properties?: Record<string, { type?: unknown }> } | undefined;
  if (definition?.properties?.resync?.type === 'boolean') value.resync = mode === 'resync';
  else if (mode === 'resync') {
    return { value, note: 'snapshotParametersDefinition has no boolean "resync" property, so the plugin cannot tell this resync from a sync: both run the same operations.' };
  }
  return { value };
}

/** A stable GUID for the simulated dSource of one plugin and profile. */
export function linkedSourceGuid(target: SyncTarget): string {
  const h = crypto.createHash('sha1').update(`${target.pluginRoot}\0${target.profileName}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function environmentSpec(name: 'staging' | 'source' | 'target', index: number, env: ProfileEnvironment, target: SyncTarget): Record<string, unknown> {
  const common = {
    name,
    reference: `UNIX_HOST_ENVIRONMENT-${index}`,
    hostReference: `UNIX_HOST-${index}`,
    userReference: `HOST_USER-${index}`,
  };
  if (env.type === 'ssh') {
    return {
      ...common,
      type: 'ssh',
      host: env.host,
      port: env.port,
      user: env.user,
      identityFile: env.identityFile,
      knownHostsFile: env.knownHostsFile,
      strictHostKeyChecking: env.strictHostKeyChecking ?? 'accept-new',
      hostName: env.host,
      userName: env.user ?? os.userInfo().username,
      binaryPath: '',
      scratchPath: env.scratchPath ?? '/tmp/dpstudio-scratch',
    };
  }
  const home = path.join(target.layout.hosts, name);
  const scratch = path.join(home, 'scratch');
  ensureRealFolder(sandboxBase(target.layout), scratch);
  return {
    ...common,
    type: 'local',
    home,
    hostName: `${os.hostname()} (${name})`,
    userName: os.userInfo().username,
    binaryPath: path.join(home, 'toolkit'),
    scratchPath: scratch,
    localAliases: env.aliases ?? ['localhost', '127.0.0.1'],
  };
}

