import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fs from 'fs';
import { analyzeSchema } from '../../../core/schema/analyzeSchema';
import { schemaCompletions, schemaHover } from '../../../core/schema/schemaAssist';
import { EXAMPLE_SCHEMA, FILE, positionAt, rangeOf } from './helpers';

/** `text` with the cursor marked by `|`: the text without it, and the offset. */
function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

function complete(marked: string) {
  const { text, offset } = cursor(marked);
  return schemaCompletions(analyzeSchema(FILE, text), text, offset);
}

function hover(marked: string) {
  const { text, offset } = cursor(marked);
  return schemaHover(analyzeSchema(FILE, text), text, offset);
}

const labels = (items: { label: string; sortText?: string }[]) => [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((i) => i.label);
const empty = (line: number, character: number) => ({ start: { line, character }, end: { line, character } });

describe('schema.json completion', () => {
  it('the definitions not written yet at the top level', () => {
    const items = complete('{\n    "repositoryDefinition": {},\n    |\n}');
    assert.deepEqual(labels(items), ['sourceConfigDefinition', 'virtualSourceDefinition', 'linkedSourceDefinition', 'snapshotDefinition', 'snapshotParametersDefinition']);
    const linked = items.find((i) => i.label === 'linkedSourceDefinition')!;
    assert.equal(linked.kind, 'class');
    assert.equal(linked.insertText, '"linkedSourceDefinition": {\n\t"type": "object",\n\t"additionalProperties": false,\n\t"properties": {$1}\n}');
    assert.equal(linked.isSnippet, true);
    assert.deepEqual(linked.range, empty(2, 4));
  });

  it('definition-level keywords at the top of a definition; nameField and identityFields only where they belong', () => {
    const repo = labels(complete('{"repositoryDefinition": {"type": "object", |}}'));
    assert.deepEqual(repo.slice(0, 9), ['additionalProperties', 'default', 'description', 'enum', 'identityFields', 'nameField', 'properties', 'required', 'ordering']);
    assert.ok(!repo.includes('type'), 'present keywords are not offered again');
    assert.ok(!repo.includes('format') && !repo.includes('prettyName'), 'property keywords are not offered at a definition top');
    const linked = labels(complete('{"linkedSourceDefinition": {|}}'));
    assert.ok(linked.includes('type') && linked.includes('ordering'));
    assert.ok(!linked.includes('nameField') && !linked.includes('identityFields'));
  });

  it('property-level keywords inside a property, replacing the key being typed', () => {
    const marked = '{"linkedSourceDefinition": {"type": "object", "properties": {"m": {"type": "string", "for|"}}}}';
    const items = complete(marked);
    const { text } = cursor(marked);
    const format = items.find((i) => i.label === 'format')!;
    assert.equal(format.kind, 'keyword');
    assert.equal(format.insertText, '"format": "$1"');
    assert.deepEqual(format.range, rangeOf(text, '"for"'));
    assert.equal(format.documentation?.startsWith('A string format. Delphix adds `unixpath`'), true);
    const names = labels(items);
    assert.deepEqual(names.slice(0, 4), ['additionalProperties', 'default', 'description', 'enum']);
    for (const n of ['prettyName', 'referenceType', 'matches', 'dxFormProperties', 'pattern']) assert.ok(names.includes(n), n);
    assert.ok(!names.includes('nameField') && !names.includes('ordering') && !names.includes('type'));
  });

  it('only the key when the colon is already there', () => {
    const items = complete('{"linkedSourceDefinition": {"type": "object", "properties": {"m": {"ty|": "string"}}}}');
    assert.equal(items.find((i) => i.label === 'type')!.insertText, '"type"');
    assert.equal(items.find((i) => i.label === 'type')!.isSnippet, false);
  });

  it('the values of type, format, referenceType, $ref and booleans', () => {
    assert.deepEqual(labels(complete('{"snapshotDefinition": {"type": "object", "properties": {"a": {"type": |}}}}')), ['string', 'integer', 'number', 'boolean', 'object', 'array', 'null']);
    const formatMarked = '{"snapshotDefinition": {"type": "object", "properties": {"a": {"type": "string", "format": "|"}}}}';
    const formats = complete(formatMarked);
    assert.deepEqual(labels(formats).slice(0, 3), ['unixpath', 'password', 'reference']);
    assert.deepEqual(labels(formats).slice(-3), ['date', 'date-time', 'byte']);
    assert.equal(formats.find((f) => f.label === 'byte')!.detail, 'format (breaks the generated classes)');
    assert.deepEqual(formats[0].range, rangeOf(cursor(formatMarked).text, '""'));
    assert.equal(formats[0].insertText, '"unixpath"');
    assert.deepEqual(labels(complete('{"snapshotDefinition": {"properties": {"a": {"format": "reference", "referenceType": "|"}}}}')), ['UNIX_HOST_ENVIRONMENT', 'HOST_USER', 'UnixHostEnvironment', 'WindowsHostEnvironment', 'EnvironmentUser', 'UnixHost', 'WindowsHost', 'SourceConfig', 'CyberArkPasswordVault', 'HashiCorpVault', 'AzureVault']);
    assert.deepEqual(labels(complete('{"snapshotDefinition": {"properties": {"c": {"$ref": "|"}}}}')).map((l) => l.replace(/^.*\//, '')), ['credentialsSupplier', 'passwordCredentialsSupplier', 'keyCredentialsSupplier']);
    assert.deepEqual(labels(complete('{"snapshotDefinition": {"additionalProperties": |}}')), ['false', 'true']);
    assert.deepEqual(labels(complete('{"snapshotDefinition": {"type": ["string", "|"]}}')), ['string', 'integer', 'number', 'boolean', 'object', 'array', 'null']);
  });

  it('property names of the enclosing definition in identityFields, nameField, ordering and required', () => {
    const schema = (tail: string) => `{"repositoryDefinition": {"type": "object", "properties": {"name": {"type": "string"}, "port": {"type": "integer"}, "home": {"type": "string"}}, ${tail}}}`;
    assert.deepEqual(labels(complete(schema('"identityFields": ["home", "|"]'))), ['name', 'port']);
    assert.deepEqual(labels(complete(schema('"nameField": "|"'))), ['name', 'home']);
    assert.deepEqual(labels(complete(schema('"ordering": [|]'))), ['name', 'port', 'home']);
    assert.deepEqual(labels(complete(schema('"required": ["name", |]'))), ['port', 'home']);
    const item = complete(schema('"nameField": "|"'))[0];
    assert.equal(item.kind, 'property');
    assert.equal(item.insertText, '"name"');
    assert.equal(item.documentation, 'Its value is shown as the object\'s name. Python attribute `name`.');
  });

  it('sibling properties for matches, environments first', () => {
    const items = complete('{"linkedSourceDefinition": {"properties": {"home": {"type": "string"}, "env": {"type": "string", "format": "reference", "referenceType": "UNIX_HOST_ENVIRONMENT"}, "user": {"type": "string", "format": "reference", "referenceType": "HOST_USER", "matches": "|"}}}}');
    assert.deepEqual(labels(items), ['env', 'home']);
    // The engine's API type names, as shipped plugins write them.
    const api = complete('{"linkedSourceDefinition": {"properties": {"home": {"type": "string"}, "env": {"type": "string", "format": "reference", "referenceType": "UnixHostEnvironment"}, "user": {"type": "string", "format": "reference", "referenceType": "EnvironmentUser", "matches": "|"}}}}');
    assert.deepEqual(labels(api), ['env', 'home']);
  });

  it('inside properties: names the definition refers to but does not define yet, and a new-property snippet', () => {
    const items = complete('{"linkedSourceDefinition": {"type": "object", "required": ["host", "port"], "properties": {"port": {"type": "integer"}, |}}}');
    assert.deepEqual(labels(items), ['host', 'new property']);
    assert.equal(items[0].insertText, '"host": {\n\t"type": "${1|string,integer,number,boolean,object,array|}"$0\n}');
    assert.equal(items[1].kind, 'snippet');
  });

  it('dynamic UI keys inside dxFormProperties', () => {
    assert.deepEqual(labels(complete('{"linkedSourceDefinition": {"properties": {"notes": {"type": "string", "dxFormProperties": {|}}}}}')), ['hideExpression', 'rows', 'collapsible', 'expanded', 'validationMessages']);
    assert.deepEqual(labels(complete('{"linkedSourceDefinition": {"properties": {"notes": {"type": "string", "dxFormProperties": {"validationMessages": {"pattern": "x", |}}}}}}')), ['maxItems', 'minItems', 'minLength', 'multipleOf', 'uniqueItems']);
  });

  it('nothing inside plain data, and no crash on garbage', () => {
    assert.deepEqual(complete('{"snapshotDefinition": {"properties": {"a": {"default": {|}}}}}'), []);
    assert.deepEqual(complete('{"snapshotDefinition": {"description": "|"}}'), []);
    assert.deepEqual(complete('|'), []);
    assert.ok(Array.isArray(complete('{]]]|')));
    assert.equal(hover('{]]]|'), undefined);
  });

  it('works while the file is broken (typing a new key in the tutorial snippet)', () => {
    const items = complete('{\n    "linkedSourceDefinition": {\n        "type": "object",\n        "properties": {\n            "sourceAddress": {\n                "type": "string",\n                "pre|\n');
    const pretty = items.find((i) => i.label === 'prettyName')!;
    assert.deepEqual(pretty.range, { start: { line: 6, character: 16 }, end: { line: 6, character: 20 } });
  });
});

describe('schema.json hover', () => {
  const example = fs.readFileSync(EXAMPLE_SCHEMA, 'utf8');
  const inExample = (needle: string, nth: number, within = 2) => {
    let at = -1;
    for (let i = 0; i <= nth; i++) at = example.indexOf(needle, at + 1);
    return example.slice(0, at + within) + '|' + example.slice(at + within);
  };

  it('a property key shows its Python name, type, access path and class', () => {
    const h = hover(inExample('"mountLocation": {', 1))!;
    assert.equal(h.markdown, [
      '**mountLocation** → `mount_location` (`str`)',
      'In plugin code: `staged_source.parameters.mount_location` (`direct_source.parameters.mount_location` in a DIRECT plugin).',
      'Class `LinkedSourceDefinition` (`generated.definitions.linked_source_definition`).',
      'Required: the constructor rejects `None`.',
      'UI label: Mount Location on Staging Host',
      'Where to mount storage onto the staging host while syncing',
      'Data migrations (`@plugin.upgrade`) use the schema key: `"mountLocation"`.',
    ].join('\n\n'));
    const { text } = cursor(inExample('"mountLocation": {', 1));
    assert.deepEqual(h.range, { start: positionAt(text, text.indexOf('"mountLocation": {', text.indexOf('"linkedSourceDefinition"'))), end: positionAt(text, text.indexOf('"mountLocation": {', text.indexOf('"linkedSourceDefinition"')) + 15) });
    assert.match(hover(inExample('"resync"', 0))!.markdown, /^\*\*resync\*\* → `resync` \(`bool`\)\n\nIn plugin code: `optional_snapshot_parameters.resync`\./);
    assert.match(hover(inExample('"path": {', 0))!.markdown, /In plugin code: `source_config\.path`\./);
  });

  it('nested objects and array items', () => {
    const schema = '{"virtualSourceDefinition": {"type": "object", "properties": {"config": {"type": "object", "properties": {"hostName": {"type": "string"}}}, "users": {"type": "array", "items": {"type": "object", "properties": {"userName": {"type": "string"}}}}}}}';
    const nested = hover(schema.replace('"hostName"', '"host|Name"'))!;
    assert.match(nested.markdown, /^\*\*hostName\*\* → `host_name` \(`str`\)\n\nIn plugin code: `virtual_source\.parameters\.config\.host_name`\.\n\nClass `VirtualSourceDefinitionConfig` \(`generated\.definitions\.virtual_source_definition_config`\)\./);
    const item = hover(schema.replace('"userName"', '"user|Name"'))!;
    assert.match(item.markdown, /In plugin code: `virtual_source\.parameters\.users\[0\]\["userName"\]`\./);
    const users = hover(schema.replace('"users"', '"us|ers"'))!;
    assert.match(users.markdown, /^\*\*users\*\* → `users` \(`List\[VirtualSourceDefinitionUsers\]`\)/);
  });

  it('keywords, values and definitions', () => {
    assert.equal(hover(inExample('"nameField"', 0))!.markdown.split('\n\n')[0], '**nameField** (Delphix keyword)');
    assert.equal(hover(inExample('"unixpath"', 0))!.markdown, '**format unixpath**: Delphix: the engine checks that the value parses as a Unix path.');
    assert.equal(hover(inExample('"type": "string"', 0, 11))!.markdown, '**string**: Text. Python type `str`.');
    assert.match(hover(inExample('"repositoryDefinition"', 0))!.markdown, /^\*\*repositoryDefinition\*\*\n\nA repository: /);
    assert.match(hover('{"snapshotDefinition": {"properties": {"e": {"format": "reference", "referenceType": "EnvironmentUser|"}}}}')!.markdown, /^\*\*EnvironmentUser\*\*: An environment user \(the engine's API type name, used by shipped plugins; the SDK docs write `HOST_USER`\)/);
    // The unknown-type warning is short; the hover of the value lists what the engine knows.
    assert.equal(
      hover('{"snapshotDefinition": {"properties": {"e": {"format": "reference", "referenceType": "Database|"}}}}')!.markdown,
      "**Database** is not a reference type the engine knows, so the UI has no objects to offer. The SDK docs write `UNIX_HOST_ENVIRONMENT` and `HOST_USER`; the engine also takes its API type names: `UnixHostEnvironment`, `WindowsHostEnvironment`, `EnvironmentUser`, `UnixHost`, `WindowsHost`, `SourceConfig`, `CyberArkPasswordVault`, `HashiCorpVault`, `AzureVault`.",
    );
    assert.equal(hover('{"snapshotDefinition": {"tpye|": "object"}}')!.markdown, '**tpye**: not a keyword dvp, the engine or codegen knows; it is ignored. Did you mean `type`?');
  });

  it('a name inside identityFields or nameField shows the property it names', () => {
    const h = hover(inExample('"identityFields": ["path"]', 0, 21))!;
    assert.match(h.markdown, /^\*\*path\*\* → `path` \(`str`\)/);
    assert.equal(hover('{"repositoryDefinition": {"properties": {}, "nameField": "ghost|"}}')!.markdown, '`ghost` is not a property of repositoryDefinition.');
  });

  it('nothing on punctuation or outside the document', () => {
    assert.equal(hover(inExample('{', 0, 0)), undefined);
    assert.equal(hover('|'), undefined);
  });
});
