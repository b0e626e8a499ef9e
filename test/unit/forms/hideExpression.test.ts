import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateHideExpression, MAX_HIDE_EXPRESSION_LENGTH, parseHideExpression, type Frames } from '../../../core/forms/hideExpression';

function hidden(text: string, frames: Frames): boolean {
  const parsed = parseHideExpression(text);
  assert.ok(parsed.ok, `${text}: ${!parsed.ok ? parsed.message : ''}`);
  const r = evaluateHideExpression(parsed.expr, frames);
  assert.ok(r.ok, `${text}: ${!r.ok ? r.message : ''}`);
  return r.hidden;
}

describe('hideExpression: the forms the SDK documents', () => {
  it('`!model.userName`: hidden while userName is empty', () => {
    assert.equal(hidden('!model.userName', [{}]), true);
    assert.equal(hidden('!model.userName', [{ userName: '' }]), true);
    assert.equal(hidden('!model.userName', [{ userName: 'bob' }]), false);
  });

  it('`model.booleanFlag`', () => {
    assert.equal(hidden('model.booleanFlag', [{ booleanFlag: true }]), true);
    assert.equal(hidden('model.booleanFlag', [{ booleanFlag: false }]), false);
  });

  it("`model.backupType === 'PRIMARY'` and `!==` with `&&`", () => {
    assert.equal(hidden("model.backupType === 'PRIMARY'", [{ backupType: 'PRIMARY' }]), true);
    assert.equal(hidden("model.backupType === 'PRIMARY'", [{ backupType: 'SECONDARY' }]), false);
    const e = "model.backupType !== 'PRIMARY' && !model.userName";
    assert.equal(hidden(e, [{ backupType: 'SECONDARY' }]), true);
    assert.equal(hidden(e, [{ backupType: 'SECONDARY', userName: 'x' }]), false);
    assert.equal(hidden(e, [{ backupType: 'PRIMARY' }]), false);
  });

  it('`model?.x` and `||`', () => {
    assert.equal(hidden('model?.a || model?.b', [{ b: 1 }]), true);
    assert.equal(hidden('model?.a || model?.b', [{}]), false);
  });

  it('`field.parent.parent.model?.X`: a nested field reads the definition top', () => {
    // Z inside Y: frames are [Y's value, the definition's value].
    const frames = [{ Z: '' }, { X: 'on', Y: { Z: '' } }];
    assert.equal(hidden('!field.parent.parent.model?.X', frames), false);
    assert.equal(hidden('!field.parent.parent.model?.X', [{}, { Y: {} }]), true);
    // field.parent.model is the field's own container, as `model` is.
    assert.equal(hidden('field.parent.model.Z === ""', frames), true);
  });

  it('`field.parent.parent.model?.A?.B` and `?.A?.B?.C`: a different root object', () => {
    const top = { A: { B: 'b', D: { C: 3 } }, X: { Y: '' } };
    assert.equal(hidden('!field.parent.parent.model?.A?.B', [top.X, top]), false);
    assert.equal(hidden('!field.parent.parent.model?.A?.B', [{}, {}]), true);
    assert.equal(hidden('field.parent.parent.model?.A?.D?.C >= 3', [top.X, top]), true);
    assert.equal(hidden('field.parent.parent.model?.A?.D?.C > 3', [top.X, top]), false);
  });

  it('comparisons follow JavaScript on JSON values', () => {
    assert.equal(hidden('model.n < 10', [{ n: 9 }]), true);
    assert.equal(hidden('model.n <= 9', [{ n: 9 }]), true);
    assert.equal(hidden("model.n == '9'", [{ n: 9 }]), true);
    assert.equal(hidden("model.n === '9'", [{ n: 9 }]), false);
    assert.equal(hidden('model.s != null', [{}]), false);
    assert.equal(hidden("model.s > 'a'", [{ s: 'b' }]), true);
    assert.equal(hidden('model.list.length > 1', [{ list: [1, 2] }]), true);
    assert.equal(hidden('true', [{}]), true);
  });

  it('a `.` step on a missing object fails as in the browser; `?.` does not', () => {
    const parsed = parseHideExpression('model.a.b');
    assert.ok(parsed.ok);
    const r = evaluateHideExpression(parsed.expr, [{}]);
    assert.equal(r.ok, false);
    assert.match((r as { message: string }).message, /write `\?\.`/);
    assert.equal(hidden('model.a?.b', [{}]), false);
  });

  it('climbing above the definition is an evaluation failure, not a crash', () => {
    const parsed = parseHideExpression('field.parent.parent.model.x');
    assert.ok(parsed.ok);
    const r = evaluateHideExpression(parsed.expr, [{}]);
    assert.equal(r.ok, false);
    assert.match((r as { message: string }).message, /above the definition/);
  });

  it('lists the references an expression reads', () => {
    const parsed = parseHideExpression("!field.parent.parent.model?.A?.B && model.c === 'x'");
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.refs.map((r) => [r.up, r.path, r.text]), [[2, ['A', 'B'], 'field.parent.parent.model?.A?.B'], [0, ['c'], 'model.c']]);
  });
});

describe('hideExpression: hostile and broken input is refused, never evaluated', () => {
  const refused = (text: string, kind: 'syntax' | 'unsupported', pattern: RegExp) => {
    const parsed = parseHideExpression(text);
    assert.equal(parsed.ok, false, text);
    if (!parsed.ok) {
      assert.equal(parsed.kind, kind, text);
      assert.match(parsed.message, pattern, text);
    }
  };

  it('syntax errors', () => {
    refused('model.a ==', 'syntax', /not a valid expression/);
    refused('!(model.a', 'syntax', /not a valid expression/);
    refused('   ', 'syntax', /empty/);
  });

  it('calls, including through model values', () => {
    refused('alert(1)', 'unsupported', /calls a function/);
    refused('model.toString()', 'unsupported', /calls a function/);
    refused('model.constructor.constructor("return process")()', 'unsupported', /calls a function|JavaScript machinery/);
  });

  it('constructor, __proto__, prototype', () => {
    refused('model.constructor', 'unsupported', /JavaScript machinery/);
    refused('model.__proto__', 'unsupported', /JavaScript machinery/);
    refused("model['__proto__']", 'unsupported', /JavaScript machinery/);
    refused('field.parent.model.prototype', 'unsupported', /JavaScript machinery/);
  });

  it('reading anything but model and field.parent…model', () => {
    refused('window.location', 'unsupported', /may only read `model`/);
    refused('globalThis', 'unsupported', /may only read `model`/);
    refused('this.model', 'unsupported', /`this`/);
    refused('field.form.value', 'unsupported', /only the values of the form/);
    refused('field.templateOptions', 'unsupported', /only the values of the form/);
    refused('model[model.key]', 'unsupported', /computed name/);
  });

  it('other operators and constructs', () => {
    refused('model.a + 1', 'unsupported', /operator `\+`/);
    refused('model.a ? 1 : 0', 'unsupported', /\? :/);
    refused('model.a, model.b', 'unsupported', /more than one expression/);
    refused('[model.a]', 'unsupported', /array/);
    refused('-model.a', 'unsupported', /operator `-`/);
  });

  it('very long input is refused before parsing', () => {
    refused('!'.repeat(MAX_HIDE_EXPRESSION_LENGTH) + 'model.a', 'unsupported', /characters long/);
    refused('model.a' + ' && model.a'.repeat(100), 'unsupported', /characters long/);
    // Deep nesting within the length limit is refused, not a stack overflow.
    refused('!'.repeat(100) + 'model.a', 'unsupported', /nests deeper/);
    // Redundant parentheses are only grouping: accepted.
    assert.equal(hidden('('.repeat(200) + 'model.a' + ')'.repeat(200), [{ a: true }]), true);
  });

  it('a refused expression never touches the data', () => {
    let touched = false;
    const trap = new Proxy({}, { get: () => { touched = true; return undefined; } });
    for (const t of ['model.constructor', 'alert(1)', 'model.a + 1']) {
      const parsed = parseHideExpression(t);
      assert.equal(parsed.ok, false);
    }
    // An accepted one reads own properties only: a getter on the prototype chain is never reached.
    const parsed = parseHideExpression('model.toString');
    assert.ok(parsed.ok);
    assert.deepEqual(evaluateHideExpression(parsed.expr, [trap]), { ok: true, hidden: false });
    assert.equal(touched, false);
  });
});
