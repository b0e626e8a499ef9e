// Lays out an end-to-end workspace from its fixture folder: the fixture's own files, plus copies of the
// example plugin where its `e2e-copies.json` says (so the fixtures hold no copies of examples/).
// Used by scripts/run-ext-tests.js (a scratch copy per run) and .vscode-test.mjs (desktop VS Code).
const fs = require('fs');
const path = require('path');

const REPO = path.resolve(__dirname, '..');
const COPIES_FILE = 'e2e-copies.json';

/** Copy `fixture` to `target` and add the example copies it asks for; returns `target`. */
function prepareWorkspace(fixture, target) {
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(fixture, target, { recursive: true, filter: (src) => path.basename(src) !== COPIES_FILE });
  const list = path.join(fixture, COPIES_FILE);
  if (fs.existsSync(list)) {
    for (const { from, to } of JSON.parse(fs.readFileSync(list, 'utf8'))) {
      fs.cpSync(path.join(REPO, from), path.join(target, to), {
        recursive: true,
        force: false,
        // The example's own sandbox and build output, if any, are not part of the fixture.
        filter: (src) => !/[\\/](\.delphix[\\/]sandbox|__pycache__|artifact\.json$|generated$)/.test(path.relative(REPO, src)),
      });
    }
  }
  return target;
}

module.exports = { prepareWorkspace };
