import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closestMatch, editDistance } from '../../../core/config/closestMatch';
import { configCompletions, configHover } from '../../../core/config/configAssist';
import { r, VALID } from './helpers';

const at = (line: number, character: number) => ({ line, character });

describe('plugin_config.yml completion', () => {
  it('offers every key, required first, in an empty file, and a whole-file snippet', () => {
    const items = configCompletions('', at(0, 0));
    const keys = items.filter((i) => i.kind === 'property');
    assert.equal(keys.length, 16);
    const sorted = [...keys].sort((a, b) => a.sortText!.localeCompare(b.sortText!)).map((i) => i.label);
    assert.deepEqual(sorted.slice(0, 9), ['id', 'name', 'language', 'hostTypes', 'pluginType', 'entryPoint', 'srcDir', 'schemaFile', 'buildNumber']);
    const srcDir = keys.find((i) => i.label === 'srcDir')!;
    assert.deepEqual(srcDir, {
      label: 'srcDir',
      kind: 'property',
      detail: 'required · string',
      documentation: srcDir.documentation,
      insertText: 'srcDir: ${1:src}',
      isSnippet: true,
      range: r(0, 0, 0, 0),
      sortText: '006',
    });
    assert.match(srcDir.documentation!, /^\*\*`srcDir`\*\* · required · string\n\nThe directory of the plugin's Python code, relative to this file\./);
    assert.equal(keys.find((i) => i.label === 'hostTypes')!.insertText, 'hostTypes:\n  - ${1|UNIX,WINDOWS|}');
    assert.equal(keys.find((i) => i.label === 'manualDiscovery')!.detail, 'optional · boolean · default true');
    const skeleton = items.find((i) => i.kind === 'snippet')!;
    assert.match(
      skeleton.insertText!,
      /^id: \$\{1:[0-9a-f-]{36}\}\nname: \$\{2:My Plugin\}\nlanguage: \$\{3\|PYTHON311\|\}\nhostTypes:\n {2}- \$\{4\|UNIX,WINDOWS\|\}\npluginType: \$\{5\|STAGED,DIRECT\|\}\nentryPoint: \$\{6:plugin_runner\}:\$\{7:plugin\}\nsrcDir: \$\{8:src\}\nschemaFile: \$\{9:schema\.json\}\nbuildNumber: "\$\{10:0\.1\.0\}"$/,
    );
  });

  it('offers only the keys not yet written, replacing the partial word', () => {
    const text = VALID + 'man';
    const items = configCompletions(text, at(11, 3));
    assert.deepEqual(
      items.map((i) => i.label),
      ['manualDiscovery', 'defaultLocale', 'rootSquashEnabled', 'extendedStartStopHooks', 'luaName', 'minimumLuaVersion'],
    );
    assert.ok(items.every((i) => i.kind === 'property' && i.range!.start.character === 0 && i.range!.end.character === 3));
    assert.equal(items.find((i) => i.label === 'manualDiscovery')!.insertText, 'manualDiscovery: ${1|true,false|}');
  });

  it('inserts just the key when the colon is already there', () => {
    const text = VALID.replace('srcDir: src', 'srcD: src');
    const items = configCompletions(text, at(8, 4));
    const srcDir = items.find((i) => i.label === 'srcDir')!;
    assert.equal(srcDir.insertText, 'srcDir');
    assert.equal(srcDir.isSnippet, false);
    assert.deepEqual(srcDir.range, r(8, 0, 8, 4));
  });

  it('offers the plugin types and booleans at value positions', () => {
    assert.deepEqual(
      configCompletions('pluginType: ST', at(0, 14)).map((i) => [i.label, i.kind, i.range]),
      [
        ['DIRECT', 'value', r(0, 12, 0, 14)],
        ['STAGED', 'value', r(0, 12, 0, 14)],
      ],
    );
    assert.deepEqual(
      configCompletions('extendedStartStopHooks: ', at(0, 24)).map((i) => [i.label, i.kind, i.detail]),
      [
        ['true', 'keyword', undefined],
        ['false', 'keyword', 'default'],
      ],
    );
  });

  it('offers the language of the targeted SDK', () => {
    assert.deepEqual(configCompletions('language: ', at(0, 10)).map((i) => [i.label, i.detail]), [['PYTHON311', 'language of SDK 5.0.1']]);
    assert.deepEqual(configCompletions('language: PY', at(0, 12), { sdkVersion: '4.1.0' }).map((i) => [i.label, i.range]), [['PYTHON38', r(0, 10, 0, 12)]]);
  });

  it('offers host types in a block list, a flow list and after the key', () => {
    const block = configCompletions('hostTypes:\n  - W', at(1, 5));
    assert.deepEqual(block.map((i) => [i.label, i.range]), [
      ['UNIX', r(1, 4, 1, 5)],
      ['WINDOWS', r(1, 4, 1, 5)],
    ]);
    assert.deepEqual(configCompletions('hostTypes: [', at(0, 12)).map((i) => i.label), ['UNIX', 'WINDOWS']);
    assert.deepEqual(configCompletions('hostTypes: ', at(0, 11)).map((i) => i.insertText), ['[UNIX]', '[WINDOWS]']);
    assert.deepEqual(configCompletions('srcDir: x\n  - ', at(1, 4)), []);
  });

  it('offers a fresh UUID for id', () => {
    const [item] = configCompletions('id: ', at(0, 4));
    assert.match(item.label, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(item.range, r(0, 4, 0, 4));
  });

  it('offers nothing where nothing fits', () => {
    assert.deepEqual(configCompletions('srcDir: sr', at(0, 10)), []);
    assert.deepEqual(configCompletions('vendor: ', at(0, 8)), []);
    assert.deepEqual(configCompletions('id: x', at(5, 0)), []);
  });
});

describe('plugin_config.yml hover', () => {
  it('documents a key', () => {
    const h = configHover(VALID, at(8, 2))!;
    assert.deepEqual(h.range, r(8, 0, 8, 6));
    assert.equal(
      h.markdown,
      "**`srcDir`** · required · string\n\nThe directory of the plugin's Python code, relative to this file.\n\nIt must be relative, exist, and be a subdirectory of the plugin folder (not `.`). `dvp build` writes the generated classes into `<srcDir>/generated`, and on the engine it is the working directory of the plugin code.\n\nExample:\n```yaml\nsrcDir: src\n```",
    );
  });

  it('documents optional keys with their default', () => {
    const h = configHover(VALID + 'rootSquashEnabled: false\n', at(11, 3))!;
    assert.match(h.markdown, /^\*\*`rootSquashEnabled`\*\* · optional · boolean · default `true`\n\n/);
  });

  it('documents enum values', () => {
    const staged = configHover(VALID, at(6, 14))!;
    assert.deepEqual(staged.range, r(6, 12, 6, 18));
    assert.match(staged.markdown, /^\*\*`STAGED`\*\*\n\nStaged ingestion:/);
    const unix = configHover(VALID, at(5, 5))!;
    assert.deepEqual(unix.range, r(5, 4, 5, 8));
    assert.match(unix.markdown, /^\*\*`UNIX`\*\*\n\nUnix-like hosts/);
    const lang = configHover(VALID, at(3, 12), { sdkVersion: '4.1.0' })!;
    assert.match(lang.markdown, /^\*\*`PYTHON311`\*\*\n\nPython 3\.11 — the language of SDK 5\.0\.0–5\.0\.1\./);
    assert.match(lang.markdown, /SDK 4\.1\.0 \(the targeted SDK\) accepts `PYTHON38`\./);
  });

  it('documents the key over a plain value', () => {
    const h = configHover(VALID, at(10, 15))!;
    assert.deepEqual(h.range, r(10, 13, 10, 18));
    assert.match(h.markdown, /^\*\*`buildNumber`\*\* · required · string/);
  });

  it('explains an unknown key', () => {
    assert.deepEqual(configHover('srcdir: src\n', at(0, 2)), { markdown: '**`srcdir`** is not a plugin config key. Did you mean `srcDir`?', range: r(0, 0, 0, 6) });
    assert.match(configHover('version: 1\n', at(0, 2))!.markdown, /`version` is a key of early SDKs/);
  });

  it('has nothing to say off the keys', () => {
    assert.equal(configHover(VALID, at(11, 0)), undefined);
    assert.equal(configHover('# comment\nid: x\n', at(0, 3)), undefined);
    assert.equal(configHover('', at(0, 0)), undefined);
  });
});

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit', () => {
    assert.equal(editDistance('scr', 'src'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  it('finds the closest candidate or none', () => {
    const keys = ['srcDir', 'schemaFile', 'entryPoint', 'hostTypes', 'language'];
    assert.equal(closestMatch('src_dir', keys), 'srcDir');
    assert.equal(closestMatch('schema', keys), 'schemaFile');
    assert.equal(closestMatch('hostType', keys), 'hostTypes');
    assert.equal(closestMatch('lang', keys), 'language');
    assert.equal(closestMatch('vendor', keys), undefined);
    assert.equal(closestMatch('', keys), undefined);
  });
});
