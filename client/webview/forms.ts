// The forms preview webview: renders the engine's wizards for schema.json's definitions with
// @vscode-elements (native-looking, themed controls), evaluates hideExpressions live with our
// allow-listed evaluator, and shows the host's validation of what was typed. State (the values typed,
// the open tab) survives the panel being hidden through the webview state API.

import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-form-helper/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { CREDENTIAL_FIELDS, type FormDefinition, type FormField } from '../../core/forms/formModel';
import { defaultValues, keepValues, pointer, visibility } from '../../core/forms/formValues';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface State {
  active: string;
  values: Record<string, unknown>;
}

interface FieldError {
  pointer: string;
  message: string;
  keyword: string;
  custom: boolean;
}

type Path = (string | number)[];

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
const saved = vscode.getState() as Partial<State> | undefined;
const state: State = { active: saved?.active ?? '', values: saved?.values ?? {} };
let forms: FormDefinition[] = [];
let profileSections: Record<string, string> = {};
const rendered = new Map<string, string>();
let seq = 0;
/** Fields the user has changed; "required" is shown for these only, until "Use these values" is pressed. */
const touched = new Set<string>();
const submitted = new Set<string>();
let validateTimer: number | undefined;

const save = () => vscode.setState(state);

window.addEventListener('message', (event: MessageEvent) => {
  const m = event.data as { type: string; [k: string]: unknown };
  if (m.type === 'schema') {
    forms = m.forms as FormDefinition[];
    profileSections = (m.profileSections as Record<string, string>) ?? {};
    setBanner('');
    render();
  } else if (m.type === 'stale') setBanner(String(m.message));
  else if (m.type === 'validation') showValidation(String(m.definition), Number(m.seq), m.errors as FieldError[], m.problem as string | undefined);
  else if (m.type === 'applied') setStatus(String(m.message));
});
vscode.postMessage({ type: 'ready' });

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string>, text?: string): HTMLElementTagNameMap[K];
function el(tag: string, attrs?: Record<string, string>, text?: string): HTMLElement;
function el(tag: string, attrs: Record<string, string> = {}, text?: string): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function setBanner(message: string): void {
  let banner = document.getElementById('banner');
  if (!message) {
    banner?.remove();
    return;
  }
  if (!banner) {
    banner = el('div', { id: 'banner', role: 'status', class: 'banner' });
    document.body.insertBefore(banner, app);
  }
  banner.textContent = message;
}

function setStatus(message: string): void {
  const status = document.querySelector(`section[data-definition="${CSS.escape(state.active)}"] .status`);
  if (status) status.textContent = message;
}

/** Re-render only the definitions whose form changed, in place: no flicker, focus kept. */
function render(): void {
  if (forms.length === 0) {
    app.replaceChildren(el('p', { class: 'empty' }, 'schema.json has none of the definitions the engine makes forms from.'));
    rendered.clear();
    return;
  }
  if (!forms.some((f) => f.definition === state.active)) state.active = forms[0].definition;
  const keys = forms.map((f) => f.definition).join(',');
  let tabs = app.querySelector('vscode-tabs') as (HTMLElement & { selectedIndex: number }) | null;
  if (!tabs || tabs.dataset.keys !== keys) {
    tabs = el('vscode-tabs', { 'data-keys': keys }) as HTMLElement & { selectedIndex: number };
    rendered.clear();
    for (const form of forms) {
      tabs.append(el('vscode-tab-header', { slot: 'header', id: `tab-${form.definition}` }, form.title));
      const panel = el('vscode-tab-panel', { 'aria-labelledby': `tab-${form.definition}` });
      panel.append(el('section', { 'data-definition': form.definition }));
      tabs.append(panel);
    }
    tabs.addEventListener('vsc-tabs-select', (e: Event) => {
      const i = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
      if (forms[i]) {
        state.active = forms[i].definition;
        save();
      }
    });
    app.replaceChildren(tabs);
  }
  tabs.selectedIndex = Math.max(0, forms.findIndex((f) => f.definition === state.active));
  for (const form of forms) {
    const json = JSON.stringify(form);
    if (rendered.get(form.definition) === json) continue;
    rendered.set(form.definition, json);
    const section = app.querySelector(`section[data-definition="${CSS.escape(form.definition)}"]`) as HTMLElement;
    const focused = document.activeElement?.closest('[data-ptr]')?.getAttribute('data-ptr');
    const had = state.values[form.definition];
    state.values[form.definition] = had === undefined ? defaultValues(form.root) : keepValues(form.root, had);
    section.replaceChildren(...renderForm(form));
    if (focused && form.definition === state.active) {
      const target = section.querySelector(`[data-ptr="${CSS.escape(focused)}"] [data-control]`) as HTMLElement | null;
      target?.focus();
    }
    refresh(form.definition);
  }
  save();
}

function renderForm(form: FormDefinition): HTMLElement[] {
  const out: HTMLElement[] = [];
  out.push(el('h2', {}, `${form.title}`));
  out.push(el('p', { class: 'definition' }, form.definition));
  const fields = el('div', { class: 'fields' });
  for (const child of form.root.children ?? []) fields.append(renderField(form, child, [child.key]));
  if ((form.root.children ?? []).length === 0) fields.append(el('p', { class: 'empty' }, 'No fields: this definition has no properties.'));
  out.push(fields);
  out.push(el('div', { class: 'hidden-summary', role: 'status' }));
  out.push(el('div', { class: 'form-errors', role: 'alert' }));
  const section = profileSections[form.definition];
  if (section) {
    const actions = el('div', { class: 'actions' });
    const button = el('vscode-button', { 'data-action': 'use' }, 'Use these values');
    button.title = `Write these values into "${section}" of a sync profile`;
    button.addEventListener('click', () => {
      submitted.add(form.definition);
      refresh(form.definition);
      vscode.postMessage({ type: 'use', definition: form.definition, values: state.values[form.definition] });
    });
    actions.append(button, el('span', { class: 'status', role: 'status' }));
    out.push(actions);
  }
  return out;
}

function valueAt(definition: string, path: Path): unknown {
  let cur: unknown = state.values[definition];
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

function setValueAt(definition: string, path: Path, value: unknown): void {
  let cur = (state.values[definition] ??= {}) as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) {
    const next = cur[path[i]];
    if (next === null || typeof next !== 'object') cur[path[i]] = typeof path[i + 1] === 'number' ? [] : {};
    cur = cur[path[i]] as Record<string | number, unknown>;
  }
  if (value === undefined) delete cur[path[path.length - 1]];
  else cur[path[path.length - 1]] = value;
}

function changed(definition: string): void {
  save();
  refresh(definition);
  setStatus('');
}

let idCounter = 0;

function renderField(form: FormDefinition, field: FormField, path: Path): HTMLElement {
  const def = form.definition;
  const ptr = pointer(path);
  const wrap = el('div', { class: `field kind-${field.kind}`, 'data-ptr': ptr, 'data-label': field.label });
  const id = `f${++idCounter}`;
  const label = el('vscode-label', { for: id }, field.label);
  if (field.required) label.setAttribute('required', '');
  const addHelp = () => {
    if (field.description) wrap.append(el('vscode-form-helper', {}, field.description));
    if (field.unordered) wrap.append(el('p', { class: 'marker' }, 'Not in `ordering`: shown after the ordered fields.'));
    if (field.hide?.problem) wrap.append(el('p', { class: 'marker error', 'data-hide-problem': '' }, `hideExpression "${field.hide.text}" is not used: ${field.hide.problem}.`));
    if (field.hide?.warning) wrap.append(el('p', { class: 'marker', 'data-hide-warning': '' }, `hideExpression "${field.hide.text}": ${field.hide.warning}.`));
    if (field.hide && !field.hide.problem) wrap.append(el('p', { class: 'marker hide-failure', hidden: '' }));
    wrap.append(el('div', { class: 'error', role: 'alert', 'data-error': '' }));
  };
  const value = valueAt(def, path);
  const input = (control: HTMLElement, read: () => unknown) => {
    control.id = id;
    control.setAttribute('data-control', '');
    control.setAttribute('aria-label', field.label);
    const on = () => {
      touched.add(`${def} ${ptr}`);
      setValueAt(def, path, read());
      changed(def);
    };
    control.addEventListener('input', on);
    control.addEventListener('change', on);
  };

  switch (field.kind) {
    case 'text':
    case 'password':
    case 'reference':
    case 'integer':
    case 'number': {
      const tf = el('vscode-textfield') as HTMLElement & { value: string; type: string; placeholder: string };
      if (field.kind === 'password') tf.type = 'password';
      if (field.kind === 'integer' || field.kind === 'number') tf.setAttribute('inputmode', 'decimal');
      if (field.kind === 'reference') tf.placeholder = `picked from the engine's ${field.referenceType === 'HOST_USER' ? 'environment users' : field.referenceType === 'UNIX_HOST_ENVIRONMENT' ? 'environments' : (field.referenceType ?? 'objects')}`;
      tf.value = value === undefined || value === null ? '' : String(value);
      input(tf, () => {
        const v = tf.value;
        if (v === '') return undefined;
        if (field.kind === 'integer' || field.kind === 'number') return v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
        return v;
      });
      wrap.append(label, tf);
      break;
    }
    case 'textarea': {
      const ta = el('vscode-textarea') as HTMLElement & { value: string; rows: number };
      ta.rows = field.rows ?? 3;
      ta.value = typeof value === 'string' ? value : '';
      input(ta, () => (ta.value === '' ? undefined : ta.value));
      wrap.append(label, ta);
      break;
    }
    case 'boolean': {
      const cb = el('vscode-checkbox', { label: field.label }) as HTMLElement & { checked: boolean };
      cb.checked = value === true;
      input(cb, () => cb.checked);
      wrap.append(cb);
      break;
    }
    case 'select': {
      const sel = el('vscode-single-select') as HTMLElement & { value: string };
      const values = field.enumValues ?? [];
      if (!field.required) sel.append(el('vscode-option', { value: '' }, '(none)'));
      values.forEach((v, i) => sel.append(el('vscode-option', { value: String(i) }, typeof v === 'string' ? v : JSON.stringify(v))));
      const index = values.findIndex((v) => v === value);
      sel.value = index >= 0 ? String(index) : '';
      input(sel, () => (sel.value === '' ? undefined : values[Number(sel.value)]));
      wrap.append(label, sel);
      break;
    }
    case 'credentials':
      wrap.append(label, renderCredentials(form, field, path, id));
      break;
    case 'object': {
      const body = el('div', { class: 'group' });
      for (const child of field.children ?? []) body.append(renderField(form, child, [...path, child.key]));
      if (field.collapsible) {
        const c = el('vscode-collapsible', { heading: field.label }) as HTMLElement & { open: boolean };
        c.open = field.expanded ?? false;
        c.append(body);
        wrap.append(c);
      } else {
        const fs = el('fieldset');
        fs.append(el('legend', {}, field.label), body);
        wrap.append(fs);
      }
      break;
    }
    case 'array': {
      const list = el('div', { class: 'group array' });
      const draw = () => {
        const items = valueAt(def, path);
        const arr = Array.isArray(items) ? items : [];
        list.replaceChildren();
        arr.forEach((_, i) => {
          const row = el('div', { class: 'item' });
          row.append(renderField(form, { ...field.item!, label: `${field.item!.label === 'item' ? 'Item' : field.item!.label} ${i + 1}` }, [...path, i]));
          const remove = el('vscode-button', { secondary: '', 'aria-label': `Remove item ${i + 1} of ${field.label}` }, 'Remove');
          remove.addEventListener('click', () => {
            const cur = valueAt(def, path);
            if (Array.isArray(cur)) cur.splice(i, 1);
            draw();
            changed(def);
          });
          row.append(remove);
          list.append(row);
        });
        const add = el('vscode-button', { secondary: '', 'aria-label': `Add an item to ${field.label}` }, 'Add item');
        add.addEventListener('click', () => {
          const cur = valueAt(def, path);
          const next = field.item ? defaultValues(field.item) : undefined;
          if (Array.isArray(cur)) cur.push(next ?? null);
          else setValueAt(def, path, [next ?? null]);
          draw();
          changed(def);
        });
        list.append(add);
      };
      draw();
      if (field.collapsible) {
        const c = el('vscode-collapsible', { heading: field.label }) as HTMLElement & { open: boolean };
        c.open = field.expanded ?? false;
        c.append(list);
        wrap.append(c);
      } else {
        const fs = el('fieldset');
        fs.append(el('legend', {}, field.label), list);
        wrap.append(fs);
      }
      break;
    }
    default:
      wrap.append(label, el('p', { class: 'marker' }, `Not shown by the preview: ${field.note ?? 'unsupported'}.`));
  }
  addHelp();
  return wrap;
}

function renderCredentials(form: FormDefinition, field: FormField, path: Path, id: string): HTMLElement {
  const def = form.definition;
  const box = el('div', { class: 'group credentials' });
  const types = field.credentialTypes ?? [];
  const sel = el('vscode-single-select', { id, 'data-control': '', 'aria-label': `${field.label}: credential type` }) as HTMLElement & { value: string };
  sel.append(el('vscode-option', { value: '' }, '(choose how to supply credentials)'));
  for (const t of types) sel.append(el('vscode-option', { value: t }, t));
  const current = valueAt(def, path) as Record<string, unknown> | undefined;
  sel.value = typeof current?.type === 'string' ? current.type : '';
  const fields = el('div', { class: 'group' });
  const draw = () => {
    fields.replaceChildren();
    const t = sel.value;
    for (const f of CREDENTIAL_FIELDS[t] ?? []) {
      const sub = pointer([...path, f.key]);
      const wrap = el('div', { class: 'field', 'data-ptr': sub });
      const subId = `f${++idCounter}`;
      const label = el('vscode-label', { for: subId }, f.label);
      if (f.required) label.setAttribute('required', '');
      const tf = el(f.rows ? 'vscode-textarea' : 'vscode-textfield', { id: subId, 'data-control': '', 'aria-label': f.label }) as HTMLElement & { value: string; type: string; rows: number };
      if (f.secret && !f.rows) tf.type = 'password';
      if (f.rows) tf.rows = f.rows;
      const v = valueAt(def, [...path, f.key]);
      tf.value = typeof v === 'string' ? v : '';
      tf.addEventListener('input', () => {
        touched.add(`${def} ${sub}`);
        setValueAt(def, [...path, f.key], tf.value === '' ? undefined : tf.value);
        changed(def);
      });
      wrap.append(label, tf, el('div', { class: 'error', role: 'alert', 'data-error': '' }));
      fields.append(wrap);
    }
  };
  sel.addEventListener('change', () => {
    setValueAt(def, path, sel.value ? { type: sel.value } : undefined);
    draw();
    changed(def);
  });
  draw();
  box.append(sel, fields);
  return box;
}

/** Show and hide fields by their hideExpressions, then ask the host to validate (debounced). */
function refresh(definition: string): void {
  const form = forms.find((f) => f.definition === definition);
  const section = app.querySelector(`section[data-definition="${CSS.escape(definition)}"]`);
  if (!form || !section) return;
  const values = state.values[definition];
  const vis = visibility(form.root, values);
  for (const wrap of section.querySelectorAll<HTMLElement>('[data-ptr]')) {
    const ptr = wrap.dataset.ptr!;
    wrap.hidden = vis.hidden.has(ptr);
    const failure = wrap.querySelector(':scope > .hide-failure') as HTMLElement | null;
    if (failure) {
      const msg = vis.failures.get(ptr);
      failure.hidden = !msg;
      failure.textContent = msg ? `hideExpression: ${msg}; the field stays shown.` : '';
    }
  }
  // The engine hides these fields without a trace; the author sees which, and why, below the form.
  const summary = section.querySelector('.hidden-summary') as HTMLElement | null;
  if (summary) {
    const lines: HTMLElement[] = [];
    for (const ptr of vis.hidden) {
      const wrap = section.querySelector(`[data-ptr="${CSS.escape(ptr)}"]`) as HTMLElement | null;
      if (!wrap || wrap.parentElement?.closest('[hidden]')) continue;
      const warning = wrap.querySelector(':scope > [data-hide-warning]')?.textContent;
      const line = el('p', { class: warning ? 'marker' : 'note', 'data-hidden-field': ptr }, `Hidden now: ${wrap.dataset.label ?? ptr.slice(1)}.`);
      if (warning) line.textContent += ` ${warning}`;
      lines.push(line);
    }
    summary.replaceChildren(...lines);
  }
  if (validateTimer !== undefined) clearTimeout(validateTimer);
  validateTimer = window.setTimeout(() => {
    validateTimer = undefined;
    vscode.postMessage({ type: 'values', definition, values: state.values[definition], seq: ++seq });
  }, 200);
}

function showValidation(definition: string, at: number, errors: FieldError[], problem: string | undefined): void {
  if (at !== seq) return; // an answer to older values
  const section = app.querySelector(`section[data-definition="${CSS.escape(definition)}"]`);
  if (!section) return;
  for (const e of section.querySelectorAll<HTMLElement>('[data-error]')) e.textContent = '';
  for (const c of section.querySelectorAll<HTMLElement & { invalid?: boolean }>('[data-control]')) c.invalid = false;
  const formErrors = section.querySelector('.form-errors') as HTMLElement;
  const leftover: string[] = problem ? [`The values cannot be checked: ${problem}.`] : [];
  for (const error of errors) {
    if (error.keyword === 'required' && !submitted.has(definition) && !touched.has(`${definition} ${error.pointer}`)) continue;
    const wrap = section.querySelector(`[data-ptr="${CSS.escape(error.pointer)}"]`);
    const holder = wrap?.querySelector(':scope > [data-error]');
    if (!wrap || !holder) {
      leftover.push(`${error.pointer.slice(1).replace(/\//g, '.') || 'Form'}: ${error.message}`);
      continue;
    }
    holder.textContent = holder.textContent ? `${holder.textContent} ${error.message}` : error.message;
    const control = wrap.querySelector(':scope > [data-control]') as (HTMLElement & { invalid?: boolean }) | null;
    if (control) control.invalid = true;
  }
  formErrors.textContent = leftover.join('\n');
}
