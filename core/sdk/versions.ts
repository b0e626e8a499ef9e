// SDK versions whose rules differ in ways an author can meet (sdk-spec §7.4, §10). The default is the
// current SDK; the `delphix.sdkVersion` setting / `--sdk` option picks another.

export interface SdkVersion {
  version: string;
  /** The only `language` value plugin_config.yml may declare with this SDK. */
  language: 'PYTHON27' | 'PYTHON38' | 'PYTHON311';
  engineApi: { major: number; minor: number; micro: number };
  buildApi?: { major: number; minor: number; micro: number };
  /** The Python the plugin runs on in the engine (major.minor). */
  python: string;
  /** `StagedSource.mounts` (several staged mounts) exists. */
  multipleStagedMounts: boolean;
  /** The meta-schema checks the type of `recordSizeInKB`. */
  recordSizeCheck: boolean;
  /** `dxFormProperties` (dynamic UI) is understood. */
  dynamicUi: boolean;
}

const v = (s: string) => {
  const [major, minor, micro] = s.split('.').map(Number);
  return { major, minor, micro };
};

export const SDK_VERSIONS: SdkVersion[] = [
  { version: '5.0.1', language: 'PYTHON311', engineApi: v('1.11.16'), buildApi: v('1.9.0'), python: '3.11', multipleStagedMounts: true, recordSizeCheck: true, dynamicUi: true },
  { version: '5.0.0', language: 'PYTHON311', engineApi: v('1.11.16'), buildApi: v('1.9.0'), python: '3.11', multipleStagedMounts: true, recordSizeCheck: false, dynamicUi: true },
  { version: '4.1.0', language: 'PYTHON38', engineApi: v('1.11.16'), buildApi: v('1.8.0'), python: '3.8', multipleStagedMounts: true, recordSizeCheck: false, dynamicUi: true },
  { version: '4.0.5', language: 'PYTHON38', engineApi: v('1.11.16'), buildApi: v('1.7.0'), python: '3.8', multipleStagedMounts: false, recordSizeCheck: false, dynamicUi: true },
  { version: '4.0.2', language: 'PYTHON38', engineApi: v('1.11.11'), buildApi: v('1.6.3'), python: '3.8', multipleStagedMounts: false, recordSizeCheck: false, dynamicUi: true },
  { version: '4.0.0', language: 'PYTHON38', engineApi: v('1.11.11'), buildApi: v('1.6.1'), python: '3.8', multipleStagedMounts: false, recordSizeCheck: false, dynamicUi: false },
  { version: '3.1.0', language: 'PYTHON27', engineApi: v('1.11.6'), buildApi: v('1.5.0'), python: '2.7', multipleStagedMounts: false, recordSizeCheck: false, dynamicUi: false },
  { version: '3.0.0', language: 'PYTHON27', engineApi: v('1.11.6'), buildApi: v('1.4.0'), python: '2.7', multipleStagedMounts: false, recordSizeCheck: false, dynamicUi: false },
  { version: '2.1.0', language: 'PYTHON27', engineApi: v('1.11.3'), buildApi: v('1.3.0'), python: '2.7', multipleStagedMounts: false, recordSizeCheck: false, dynamicUi: false },
  { version: '2.0.0', language: 'PYTHON27', engineApi: v('1.11.2'), buildApi: v('1.1.0'), python: '2.7', multipleStagedMounts: false, recordSizeCheck: false, dynamicUi: false },
];

export const DEFAULT_SDK_VERSION = '5.0.1';

export function getSdkVersion(version: string | undefined): SdkVersion {
  return SDK_VERSIONS.find((s) => s.version === (version ?? DEFAULT_SDK_VERSION)) ?? SDK_VERSIONS[0];
}

/** Every SDK version that accepts `language` (used to tell the author which SDK a value belongs to). */
export function sdkVersionsForLanguage(language: string): string[] {
  return SDK_VERSIONS.filter((s) => s.language === language).map((s) => s.version);
}
