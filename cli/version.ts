// The version of this tool, as written in package.json (esbuild inlines the JSON).
import pkg from '../package.json';
export const TOOL_VERSION: string = pkg.version;
