// What to tell an author whose engine refuses the session's API version: which SDKs speak which engine
// API, and the oldest engine each SDK supports (sdk-spec §7.4 and §10).
import { SDK_VERSIONS } from '../sdk/versions';

/** Earliest Delphix Engine per SDK (docs References/Version_Compatibility.md). */
const EARLIEST_ENGINE: Record<string, string> = {
  '5.0.1': '2025.2.0.0',
  '5.0.0': '29.0.0.0',
  '4.1.0': '12.0.0.0',
  '4.0.5': '6.0.16.0',
  '4.0.2': '6.0.12.0',
  '4.0.0': '6.0.12.0',
  '3.1.0': '6.0.7.0',
  '3.0.0': '6.0.6.0',
  '2.1.0': '6.0.3.0',
  '2.0.0': '6.0.2.0',
};

function apiOf(s: (typeof SDK_VERSIONS)[number]): string {
  return `${s.engineApi.major}.${s.engineApi.minor}.${s.engineApi.micro}`;
}

function compare(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** Lines naming the SDKs of the refused version and the older SDK lines to try instead. */
export function apiVersionAdvice(version: string): string {
  const byApi = new Map<string, string[]>();
  for (const s of SDK_VERSIONS) byApi.set(apiOf(s), [...(byApi.get(apiOf(s)) ?? []), s.version]);
  const describe = (api: string) => {
    const sdks = [...(byApi.get(api) ?? [])].sort(compare);
    const oldest = sdks[0];
    return `engine API ${api}: SDK ${sdks.join(', ')} (Delphix Engine ${EARLIEST_ENGINE[oldest] ?? '?'} or later)`;
  };
  const lines: string[] = [];
  if (byApi.has(version)) lines.push(`The artifact was built for ${describe(version)}.`);
  const older = [...byApi.keys()].filter((api) => compare(api, version) < 0).sort(compare).reverse();
  lines.push(
    older.length
      ? `Build the plugin with an SDK whose engine API this engine supports, and upload that artifact:\n${older.map((a) => `  - ${describe(a)}`).join('\n')}`
      : 'No SDK uses an older engine API: upgrade the engine.',
  );
  return lines.join('\n');
}

/** Why download-logs cannot pick another version: it speaks the tools' API, as dvp does. */
export const TOOLS_API_NOTE =
  'Downloading plugin logs speaks engine API 1.11.16, as dvp 4.0.5 and later do, whatever SDK built the plugin; it needs Delphix Engine 6.0.16.0 or later.';
