// What the user entered in a previewed form: which fields their hideExpressions hide right now, the
// values the wizard would send (hidden fields left out), and the values kept when the schema changes
// (every value whose field still exists, with a type that still fits).

import type { FormField } from './formModel';
import { isObj } from './formSchema';
import { evaluateHideExpression } from './hideExpression';

export interface Visibility {
  /** JSON pointers (`/a/0/b`) of hidden fields. */
  hidden: Set<string>;
  /** JSON pointers of fields whose hideExpression failed to evaluate, with why (the field stays shown). */
  failures: Map<string, string>;
}

export const pointer = (path: readonly (string | number)[]): string => path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');

/** Evaluate every hideExpression of the form against `values` (the definition's whole value). */
export function visibility(root: FormField, values: unknown): Visibility {
  const out: Visibility = { hidden: new Set(), failures: new Map() };
  const walk = (field: FormField, value: unknown, frames: unknown[], path: (string | number)[]) => {
    if (field.hide?.expr && frames.length > 0) {
      const r = evaluateHideExpression(field.hide.expr, frames);
      if (!r.ok) out.failures.set(pointer(path), r.message);
      else if (r.hidden) {
        out.hidden.add(pointer(path));
        return;
      }
    }
    if (field.kind === 'object' && field.children) {
      const obj = isObj(value) ? value : {};
      for (const c of field.children) walk(c, obj[c.key], [obj, ...frames], [...path, c.key]);
    } else if (field.kind === 'array' && field.item && Array.isArray(value)) {
      value.forEach((v, i) => walk(field.item!, v, [value, ...frames], [...path, i]));
    }
  };
  walk(root, values, [], []);
  return out;
}

/** The values the wizard would submit: hidden fields and empty entries left out. */
export function submittedValues(root: FormField, values: unknown, vis: Visibility = visibility(root, values)): Record<string, unknown> {
  const walk = (field: FormField, value: unknown, path: (string | number)[]): unknown => {
    if (vis.hidden.has(pointer(path))) return undefined;
    if (field.kind === 'object' && field.children) {
      if (!isObj(value)) return path.length === 0 ? {} : undefined;
      const out: Record<string, unknown> = {};
      for (const c of field.children) {
        const v = walk(c, value[c.key], [...path, c.key]);
        if (v !== undefined) out[c.key] = v;
      }
      return out;
    }
    if (field.kind === 'array' && field.item) {
      if (!Array.isArray(value)) return undefined;
      return value.map((v, i) => walk(field.item!, v, [...path, i]) ?? null);
    }
    if (value === '' || value === undefined) return undefined;
    return value;
  };
  return walk(root, values, []) as Record<string, unknown>;
}

/** `values` with what no longer has a field (or no longer fits its field's kind) removed. */
export function keepValues(root: FormField, values: unknown): unknown {
  const walk = (field: FormField, value: unknown): unknown => {
    if (value === undefined) return undefined;
    switch (field.kind) {
      case 'object': {
        if (!isObj(value)) return undefined;
        const out: Record<string, unknown> = {};
        for (const c of field.children ?? []) {
          const v = walk(c, value[c.key]);
          if (v !== undefined) out[c.key] = v;
        }
        return out;
      }
      case 'array':
        return Array.isArray(value) && field.item ? value.map((v) => walk(field.item!, v) ?? null) : undefined;
      case 'boolean':
        return typeof value === 'boolean' ? value : undefined;
      case 'credentials':
        return isObj(value) ? value : undefined;
      case 'integer':
      case 'number':
        return typeof value === 'number' || typeof value === 'string' ? value : undefined;
      case 'select':
        return (field.enumValues ?? []).some((e) => e === value) ? value : undefined;
      case 'unsupported':
        return value;
      default:
        return typeof value === 'string' ? value : undefined;
    }
  };
  return walk(root, values) ?? {};
}

/** The initial values of a form: each field's `default`, as the wizard pre-fills them. */
export function defaultValues(root: FormField): Record<string, unknown> {
  const walk = (field: FormField): unknown => {
    if (field.kind === 'object') {
      const out: Record<string, unknown> = isObj(field.default) ? { ...field.default } : {};
      for (const c of field.children ?? []) {
        const v = walk(c);
        if (v !== undefined && !(c.key in out)) out[c.key] = v;
      }
      return out;
    }
    return field.default;
  };
  return walk(root) as Record<string, unknown>;
}
