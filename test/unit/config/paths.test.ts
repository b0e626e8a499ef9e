import * as assert from 'node:assert/strict';
import * as os from 'os';
import * as path from 'path';
import { describe, it } from 'node:test';
import { DiskFiles, OverlayFiles } from '../../../core/files';
import { analyze, applyFix, brief, FIXTURES, fixes, PLUGIN, r, VALID, withLine } from './helpers';

describe('plugin_config.yml: schemaFile on disk', () => {
  it('reports a missing schema file with the path dvp prints, and suggests the near one', () => {
    const text = withLine('schemaFile', 'schemaFile: schema.jsn');
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [['config.path', 'error', r(9, 12, 9, 22)]]);
    const missing = path.join(PLUGIN, 'schema.jsn');
    assert.equal(a.problems[0].message, "Schema file schema.jsn does not exist; did you mean 'schema.json'?");
    assert.equal(a.problems[0].detail, `dvp build: "The path '${missing}' does not exist.".`);
    assert.equal(a.problems[0].data?.dvpMessage, `The path '${missing}' does not exist.`);
    assert.equal(a.problems[0].dvp, true);
    assert.equal(applyFix(text, a.problems[0]), VALID);
    assert.equal(a.config.schemaFilePath, undefined);
    assert.equal(a.config.schemaFile, 'schema.jsn');
  });

  it('reports a schema file in a missing folder without a suggestion', () => {
    const a = analyze(withLine('schemaFile', 'schemaFile: nowhere/schema.json'));
    assert.deepEqual(brief(a.problems), [['config.path', 'error', r(9, 12, 9, 31)]]);
    assert.equal(a.problems[0].message, 'Schema file nowhere/schema.json does not exist.');
    assert.match(a.problems[0].detail ?? '', /^Create it or correct the path\. dvp build: .*\.$/);
  });

  it('reports a directory given as schema file', () => {
    const a = analyze(withLine('schemaFile', 'schemaFile: schemas'));
    assert.deepEqual(brief(a.problems), [['config.path', 'error', r(9, 12, 9, 19)]]);
    assert.equal(a.problems[0].data?.dvpMessage, `The path '${path.join(PLUGIN, 'schemas')}' should be a file but is not.`);
  });

  it('accepts an absolute schema path and one in a subfolder', () => {
    const abs = path.join(PLUGIN, 'schemas', 'extra.json');
    let a = analyze(withLine('schemaFile', `schemaFile: ${abs}`));
    assert.deepEqual(a.problems, []);
    assert.equal(a.config.schemaFilePath, abs);
    a = analyze(withLine('schemaFile', 'schemaFile: ./schemas/../schemas/extra.json'));
    assert.deepEqual(a.problems, []);
    assert.equal(a.config.schemaFilePath, abs);
  });

  it('counts an unsaved buffer as the schema file', () => {
    const text = withLine('schemaFile', 'schemaFile: new-schema.json');
    assert.equal(analyze(text).problems[0]?.code, 'config.path');
    const files = new OverlayFiles(new DiskFiles());
    files.set(path.join(PLUGIN, 'new-schema.json'), '{}', 1);
    const a = analyze(text, { files });
    assert.deepEqual(a.problems, []);
    assert.equal(a.config.schemaFilePath, path.join(PLUGIN, 'new-schema.json'));
  });
});

describe('plugin_config.yml: srcDir on disk', () => {
  it('rejects an absolute srcDir and offers the relative form', () => {
    const abs = path.join(PLUGIN, 'src');
    const text = withLine('srcDir', `srcDir: ${abs}`);
    const a = analyze(text);
    const end = 8 + abs.length;
    assert.deepEqual(brief(a.problems), [['config.path', 'error', r(8, 8, 8, end)]]);
    assert.equal(
      a.problems[0].message,
      "'srcDir' must be relative to the plugin folder: write 'src'.",
    );
    assert.equal(a.problems[0].detail, `The SDK documentation says absolute paths are allowed, but dvp build says: "The path '${abs}' should be a relative path, but is not.".`);
    assert.equal(applyFix(text, a.problems[0]), VALID);
    assert.equal(a.config.srcDirPath, abs, 'still resolved for the rest of the analysis');
  });

  it('expands ~ as dvp does, which makes the path absolute', () => {
    const a = analyze(withLine('srcDir', 'srcDir: ~/src'));
    assert.equal(a.problems[0].data?.dvpMessage, `The path '${path.join(os.homedir(), 'src')}' should be a relative path, but is not.`);
  });

  it('reports a missing srcDir and suggests the near directory', () => {
    const text = withLine('srcDir', 'srcDir: scr');
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [['config.path', 'error', r(8, 8, 8, 11)]]);
    assert.equal(
      a.problems[0].message,
      "Source directory scr does not exist; did you mean 'src'?",
    );
    assert.equal(a.problems[0].detail, `dvp build: "The path '${path.join(PLUGIN, 'scr')}' does not exist.".`);
    assert.equal(applyFix(text, a.problems[0]), VALID);
    assert.equal(a.config.srcDirPath, undefined);
    assert.equal(a.config.entryModulePath, undefined);
  });

  it('reports a file given as srcDir', () => {
    const a = analyze(withLine('srcDir', 'srcDir: notes.txt'));
    assert.deepEqual(brief(a.problems), [['config.path', 'error', r(8, 8, 8, 17)]]);
    assert.equal(
      a.problems[0].message,
      "'srcDir' names the file notes.txt; it must be the directory of the plugin's Python code.",
    );
    assert.equal(a.problems[0].detail, `dvp build: "The path '${path.join(PLUGIN, 'notes.txt')}' should be a directory but is not.".`);
  });

  it('rejects srcDir `.`, the plugin folder itself, and skips the module check', () => {
    const a = analyze(withLine('srcDir', 'srcDir: .'));
    assert.deepEqual(brief(a.problems), [['config.path', 'error', r(8, 8, 8, 9)]]);
    assert.equal(
      a.problems[0].message,
      "'srcDir' is the plugin folder itself; it must be a subdirectory of it, such as 'src'.",
    );
  });

  it('rejects a srcDir outside the plugin folder', () => {
    const a = analyze(withLine('srcDir', 'srcDir: ../outside'));
    assert.deepEqual(brief(a.problems), [['config.path', 'error', r(8, 8, 8, 18)]]);
    assert.equal(a.problems[0].data?.dvpMessage, `The src directory ${path.join(FIXTURES, 'outside')} is not a subdirectory of the plugin root at ${PLUGIN}`);
  });

  it('warns on a sibling folder that slips through dvp\'s string comparison', () => {
    const a = analyze(withLine('srcDir', 'srcDir: ../plugin-extra/src').replace('plugin_runner:plugin', 'code:plugin'), { sdkVersion: '5.0.1' });
    const p = a.problems.find((x) => x.code === 'config.path')!;
    assert.equal(p.severity, 'warning');
    assert.equal(p.dvp, false);
    assert.deepEqual(p.range, r(8, 8, 8, 27));
    assert.match(p.detail ?? '', /dvp build lets it pass only because the folder's name starts like the plugin folder's/);
  });
});

describe('plugin_config.yml: entry module', () => {
  it('finds a top-level module, a module in a package, and a package', () => {
    const cases: [string, string][] = [
      ['plugin_runner', path.join(PLUGIN, 'src', 'plugin_runner.py')],
      ['pkg.mod', path.join(PLUGIN, 'src', 'pkg', 'mod.py')],
      ['pkgdir.mod', path.join(PLUGIN, 'src', 'pkgdir', 'mod', '__init__.py')],
    ];
    for (const [module, file] of cases) {
      const a = analyze(withLine('entryPoint', `entryPoint: ${module}:plugin`));
      assert.deepEqual(a.problems, [], module);
      assert.equal(a.config.entryModulePath, file);
      assert.equal(a.config.entryModule, module);
      assert.equal(a.config.entryObject, 'plugin');
    }
  });

  it('reports a missing module at the module part, with the near name', () => {
    const text = withLine('entryPoint', 'entryPoint: plugin_runer:plugin');
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [['config.entryModule', 'error', r(7, 12, 7, 24)]]);
    assert.equal(
      a.problems[0].message,
      "Entry module 'plugin_runer' not found; did you mean 'plugin_runner'?",
    );
    assert.equal(a.problems[0].data?.dvpMessage, "No module named 'plugin_runer'");
    assert.equal(applyFix(text, a.problems[0]), VALID);
    assert.equal(a.config.entryModulePath, undefined);
  });

  it('reports a missing module in a package', () => {
    const a = analyze(withLine('entryPoint', 'entryPoint: "pkg.absent:plugin"'));
    assert.deepEqual(brief(a.problems), [['config.entryModule', 'error', r(7, 13, 7, 23)]]);
    assert.equal(
      a.problems[0].message,
      "Entry module 'pkg.absent' not found.",
    );
  });

  it('warns on a module only dvp\'s import-path walk finds', () => {
    const text = withLine('entryPoint', 'entryPoint: helpers:plugin');
    const a = analyze(text);
    assert.deepEqual(brief(a.problems), [['config.entryModule', 'warning', r(7, 12, 7, 19)]]);
    assert.equal(a.problems[0].dvp, false);
    assert.equal(
      a.problems[0].message,
      "'helpers' is not at helpers.py under srcDir.",
    );
    assert.deepEqual(fixes(a.problems[0]), [{ title: 'Change to lib.helpers:plugin', newText: ['lib.helpers:plugin'], preferred: true }]);
    assert.equal(a.config.entryModulePath, path.join(PLUGIN, 'src', 'lib', 'helpers.py'));
    // `mod` alone is found in pkg/ by the same walk.
    const b = analyze(withLine('entryPoint', 'entryPoint: mod:plugin'));
    assert.deepEqual(fixes(b.problems[0]).map((f) => f.title), ['Change to pkg.mod:plugin']);
  });

  it('warns when the module shadows a standard-library module', () => {
    const a = analyze(withLine('entryPoint', 'entryPoint: json:plugin'));
    assert.deepEqual(brief(a.problems), [['config.entryModule.shadowsStdlib', 'warning', r(7, 12, 7, 16)]]);
    assert.equal(
      a.problems[0].message,
      "The entry module 'json' has the name of a Python 3.11 standard-library module.",
    );
    assert.equal(a.problems[0].data?.dvpMessage, "Entry point 'json:plugin' does not exist. 'plugin' is not a symbol in module 'json'.");
    assert.equal(a.config.entryModulePath, path.join(PLUGIN, 'src', 'json.py'));
    // Only the last dotted component is imported, so `pkg.json` shadows too.
    const b = analyze(withLine('entryPoint', 'entryPoint: pkg.logging:plugin'));
    assert.deepEqual(b.problems.map((p) => p.code), ['config.entryModule.shadowsStdlib', 'config.entryModule']);
    assert.deepEqual(b.problems[0].range, r(7, 12, 7, 23));
  });

  it('rejects an object name that is not an identifier', () => {
    const a = analyze(withLine('entryPoint', 'entryPoint: plugin_runner:my-plugin'));
    assert.deepEqual(brief(a.problems), [['config.entryObject', 'error', r(7, 26, 7, 35)]]);
    assert.equal(a.problems[0].message, "'my-plugin' is not a Python identifier, so module 'plugin_runner' cannot define it.");
  });

  it('warns on a module name that is not an identifier', () => {
    const a = analyze(withLine('entryPoint', 'entryPoint: my-runner:plugin'));
    assert.deepEqual(brief(a.problems), [
      ['config.entryModule', 'warning', r(7, 12, 7, 21)],
      ['config.entryModule', 'error', r(7, 12, 7, 21)],
    ]);
    assert.equal(a.problems[0].dvp, false);
  });

  it('counts an unsaved buffer as the entry module', () => {
    const text = withLine('entryPoint', 'entryPoint: new_runner:plugin');
    assert.equal(analyze(text).problems[0]?.code, 'config.entryModule');
    const files = new OverlayFiles(new DiskFiles());
    files.set(path.join(PLUGIN, 'src', 'new_runner.py'), 'plugin = None\n', 3);
    const a = analyze(text, { files });
    assert.deepEqual(a.problems, []);
    assert.equal(a.config.entryModulePath, path.join(PLUGIN, 'src', 'new_runner.py'));
    files.delete(path.join(PLUGIN, 'src', 'new_runner.py'));
    assert.equal(analyze(text, { files }).problems[0]?.code, 'config.entryModule');
  });
});
