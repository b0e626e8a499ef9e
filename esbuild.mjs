// Bundles one entry per process: the extension client (runs in the extension host), the language
// server (a child process of the client) and the CLI. The tree-sitter WebAssembly files are copied
// beside the bundles because the bundled web-tree-sitter locates them relative to dist/.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
  // jsonc-parser's UMD build hides its requires from the bundler; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  // web-tree-sitter's ESM build reads import.meta.url, which a CommonJS bundle does not have.
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' },
};
const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js' },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  // dist/cli.js only runs dist/cli-main.js from V8's code cache (cli/launch.ts).
  { entryPoints: ['cli/main.ts'], outfile: 'dist/cli-main.js' },
  { entryPoints: ['cli/launch.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The forms preview webview: a browser bundle (no Node, no eval), loaded under a strict CSP.
  { entryPoints: ['client/webview/forms.ts'], outfile: 'dist/webview/forms.js', platform: 'browser', format: 'iife', target: 'chrome120', mainFields: ['browser', 'module', 'main'], alias: {} },
].filter((e) => fs.existsSync(e.entryPoints[0]));

fs.mkdirSync('dist/webview', { recursive: true });
for (const [from, to] of [
  ['client/webview/forms.css', 'dist/webview/forms.css'],
  ['node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/tree-sitter.wasm'],
  ['node_modules/tree-sitter-python/tree-sitter-python.wasm', 'dist/tree-sitter-python.wasm'],
]) {
  fs.copyFileSync(from, to);
}

if (watch) {
  for (const e of entries) {
    const ctx = await esbuild.context({ ...common, ...e });
    await ctx.watch();
  }
  console.log('[watch] build started');
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
}
