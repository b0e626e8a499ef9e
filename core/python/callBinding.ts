// Which parameter of a called function receives which argument, as Python binds them: positional
// arguments in order (after a bound `self`), keywords by name, the rest into `*args` (a tuple) and
// `**kwargs` (a dict with constant keys); `*x` and `**x` are expanded when `x` is a known tuple or
// dict. A parameter that may receive an argument whose value is not known is bound to `undefined`.

import type { SyntaxNode } from './parser';
import { field, kids, type FunctionInfo } from './syntax';
import { bearsInput, type PyType } from './values';

export function bindArguments(
  callee: FunctionInfo,
  args: SyntaxNode,
  typeOf: (node: SyntaxNode) => PyType | undefined,
  boundSelf?: PyType,
): Map<string, PyType | undefined> {
  const params = callee.params;
  const positional = params.filter((p) => p.kind === 'positional');
  const named = new Set(params.filter((p) => p.kind === 'positional' || p.kind === 'keywordOnly').map((p) => p.name));
  const varargs = params.find((p) => p.kind === 'varargs');
  const kwargs = params.find((p) => p.kind === 'kwargs');
  const out = new Map<string, PyType | undefined>();
  let next = 0;
  if (boundSelf !== undefined && positional.length > 0) out.set(positional[next++].name, boundSelf);
  const extra: (PyType | undefined)[] = [];
  const extraKw: [string, PyType | undefined][] = [];
  let positionalUnknown = false;
  let keywordsUnknown = false;

  const positionalArg = (t: PyType | undefined) => {
    if (next < positional.length) out.set(positional[next++].name, t);
    else extra.push(t);
  };
  const keywordArg = (name: string, t: PyType | undefined) => {
    if (named.has(name)) out.set(name, t);
    else extraKw.push([name, t]);
  };

  if (args.type !== 'argument_list') positionalArg(typeOf(args)); // a generator expression argument
  else
    for (const a of kids(args)) {
      if (a.type === 'comment') continue;
      if (a.type === 'keyword_argument') {
        const name = field(a, 'name');
        const value = field(a, 'value');
        if (name && value) keywordArg(name.text, typeOf(value));
      } else if (a.type === 'list_splat') {
        const inner = kids(a)[0];
        const t = inner ? typeOf(inner) : undefined;
        if (t?.t === 'literal' && (t.what === 'tuple' || t.what === 'list') && t.items && !positionalUnknown) t.items.forEach(positionalArg);
        else positionalUnknown = true;
      } else if (a.type === 'dictionary_splat') {
        const inner = kids(a)[0];
        const t = inner ? typeOf(inner) : undefined;
        if (t?.t === 'dict') for (const [k, v] of t.entries) keywordArg(k, v);
        else keywordsUnknown = true;
      } else if (positionalUnknown) extra.push(undefined);
      else positionalArg(typeOf(a));
    }

  // After `*x` or `**x` of unknown length or keys, any parameter not bound yet may receive a value.
  if (positionalUnknown) for (const p of positional.slice(next)) if (!out.has(p.name)) out.set(p.name, undefined);
  if (keywordsUnknown) for (const n of named) if (!out.has(n)) out.set(n, undefined);
  // Packed arguments keep only values that carry the operation's inputs: a helper such as
  // `log(*parts)` is not analysed again for every new combination of strings.
  const keep = (t: PyType | undefined) => (bearsInput(t) ? t : undefined);
  if (varargs && positionalUnknown) out.set(varargs.name, undefined);
  else if (varargs) out.set(varargs.name, extra.length === 0 || extra.some(bearsInput) ? { t: 'literal', what: 'tuple', items: extra.map(keep) } : { t: 'literal', what: 'tuple' });
  if (kwargs && keywordsUnknown) out.set(kwargs.name, undefined);
  else if (kwargs) out.set(kwargs.name, extraKw.length === 0 || extraKw.some(([, v]) => bearsInput(v)) ? { t: 'dict', entries: extraKw.map(([k, v]) => [k, keep(v)]) } : { t: 'literal', what: 'dict' });
  return out;
}
