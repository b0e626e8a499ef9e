// A profile may pick a discovered repository and source config instead of typing them:
// `"repository": { "$discovered": "<its nameField value>" }`, and the same for `sourceConfig` (looked up
// among the source configs of the picked repository, when the repository was picked too). The values are
// what the last `discover` of the profile kept (objects.json), so they are the plugin's own, validated.

import * as fs from 'fs';
import * as path from 'path';
import type { DiscoveryRecord } from './objects';

export const DISCOVERED_KEY = '$discovered';

type Section = 'repository' | 'sourceConfig';

export interface PickProblem {
  key: Section;
  message: string;
}

function wanted(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const name = (value as Record<string, unknown>)[DISCOVERED_KEY];
  return keys.length === 1 && typeof name === 'string' ? name : undefined;
}

function nameField(schema: unknown, definition: string): string {
  const def = (schema as Record<string, { nameField?: unknown }> | undefined)?.[definition];
  return typeof def?.nameField === 'string' ? def.nameField : 'name';
}

/** Replaces `{ "$discovered": name }` in `profile` by the discovered object; says what could not be found. */
export function resolveDiscovered(profile: Record<string, unknown>, sandbox: string, schema: unknown): PickProblem[] {
  const repoName = wanted(profile.repository);
  const configName = wanted(profile.sourceConfig);
  if (repoName === undefined && configName === undefined) return [];
  let discovery: DiscoveryRecord | undefined;
  try {
    discovery = (JSON.parse(fs.readFileSync(path.join(sandbox, 'objects.json'), 'utf8')) as { discovery?: DiscoveryRecord }).discovery;
  } catch {
    discovery = undefined;
  }
  if (!discovery) {
    const key: Section = repoName !== undefined ? 'repository' : 'sourceConfig';
    return [{ key, message: `Nothing was discovered with this profile yet, so "${DISCOVERED_KEY}" has nothing to pick from: run discovery first (delphix-plugin-studio discover, or "Delphix: Discover Environment").` }];
  }
  const problems: PickProblem[] = [];
  const repoField = nameField(schema, 'repositoryDefinition');
  const configField = nameField(schema, 'sourceConfigDefinition');
  let repositories = discovery.repositories;
  if (repoName !== undefined) {
    const found = repositories.find((r) => r.repository[repoField] === repoName);
    if (found) {
      profile.repository = found.repository;
      repositories = [found];
    } else {
      problems.push({ key: 'repository', message: `No discovered repository has ${repoField} "${repoName}". Discovered: ${repositories.map((r) => JSON.stringify(r.repository[repoField])).join(', ') || 'none'}.` });
    }
  }
  if (configName !== undefined) {
    const configs = repositories.flatMap((r) => r.sourceConfigs);
    const found = configs.find((c) => c[configField] === configName);
    if (found) profile.sourceConfig = found;
    else problems.push({ key: 'sourceConfig', message: `No discovered source config${repoName !== undefined ? ` of repository "${repoName}"` : ''} has ${configField} "${configName}". Discovered: ${configs.map((c) => JSON.stringify(c[configField])).join(', ') || 'none'}.` });
  }
  return problems;
}
