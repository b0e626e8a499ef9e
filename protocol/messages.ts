// Messages between the extension client and the language server beyond the standard protocol,
// declared once so both sides agree on names and shapes.

export interface PluginInfo {
  root: string;
  /** The plugin's id from plugin_config.yml (the toolkit identifier on an engine). */
  id?: string;
  name?: string;
  pluginType?: 'STAGED' | 'DIRECT';
  configFile: string;
  schemaFile?: string;
  srcDir?: string;
  errors: number;
  warnings: number;
}

/** Request: the plugins the server knows, with their problem counts (status bar, command pickers). */
export const PluginsRequest = 'delphix/plugins';
export type PluginsResult = PluginInfo[];

/** Request: find the plugins again (after the client created one); answers like PluginsRequest. */
export const RediscoverRequest = 'delphix/rediscover';

/** Notification from the server whenever the plugin list or a plugin's problem counts change. */
export const PluginsChangedNotification = 'delphix/pluginsChanged';
export interface PluginsChangedParams {
  plugins: PluginInfo[];
}

/** Notification from the server: an internal error in one rule, reported once per rule per session. */
export const InternalErrorNotification = 'delphix/internalError';
export interface InternalErrorParams {
  rule: string;
  message: string;
}

/** Settings the server reads from the `delphix` section. */
export interface ServerSettings {
  sdkVersion?: string;
  /** `delphix.upgrade.baseline`: an artifact path or a git ref the upgrade guard compares with. */
  upgradeBaseline?: string;
}
