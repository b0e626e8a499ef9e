// The build of the upload artifact, without dvp and without Java.
export { buildArtifact, assembleArtifact, type BuildInput, type BuildOptions, type BuildResult } from './artifact';
export { buildManifest, canonicalMigrationId, type ManifestOperation } from './manifest';
export { loadBuildConfig, loadSchema, standardizeBuildNumber, type BuildConfig } from './pluginConfig';
export { defaultRuntimeCacheDir, ensureSdkRuntime, pipArguments, type PipSettings } from './sdkRuntime';
export { generatePluginDefinitions, type GenerateOnlyResult } from './generateOnly';
