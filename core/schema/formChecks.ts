// Checks of what the engine's wizard makes of a schema (all `dvp: false`, sdk-spec §2.3/§2.4):
// `hideExpression`s that do not parse, go outside the documented forms or name missing properties;
// required fields an expression can hide; `ordering` lists that repeat or leave out a property.

import type { Node } from 'jsonc-parser';
import { checkRef, containerSchemas, isObj } from '../forms/formSchema';
import { parseHideExpression } from '../forms/hideExpression';
import { type CheckContext, fix, keyRangeOf, nodeRange, report } from './checkContext';
import { keyOf, memberMap, members, valueOf } from './jsonTree';
import { closestWord } from './nearMiss';
import { type SchemaSite, siteLabel, walkSchemas } from './schemaSites';

const MAX_REPEATS_REPORTED = 20;

export function checkForms(ctx: CheckContext): void {
  const top = isObj(ctx.value) ? ctx.value : {};
  walkSchemas(ctx.root, (node, site) => {
    const kws = memberMap(node);
    checkOrdering(ctx, kws, site);
    checkRequiredHidden(ctx, kws, site);
    if (site.propertyKey === undefined) return;
    const dx = kws.get('dxFormProperties');
    const dxValue = dx ? valueOf(dx) : undefined;
    const hideProp = dxValue?.type === 'object' ? memberMap(dxValue).get('hideExpression') : undefined;
    const hide = hideProp ? valueOf(hideProp) : undefined;
    if (hide?.type === 'string') checkHideExpression(ctx, hide, site, top[site.definitionKey]);
  });
}

function checkHideExpression(ctx: CheckContext, node: Node, site: SchemaSite, definition: unknown): void {
  const text = String(node.value);
  const parsed = parseHideExpression(text);
  const label = siteLabel(site);
  if (!parsed.ok) {
    const code = parsed.kind === 'syntax' ? 'schema.hideExpression.syntax' : 'schema.hideExpression.unsupported';
    const advice = parsed.kind === 'syntax'
      ? 'The engine\'s UI cannot run it, so the field\'s visibility is broken.'
      : 'Plugin Studio accepts the forms the SDK documents: `model.x`, `model?.x`, `field.parent.parent.model?.a?.b`, `!`, `&&`, `||`, comparisons and literals; it neither previews nor runs anything else.';
    report(ctx, nodeRange(ctx, node), 'error', code, `This hideExpression ${parsed.kind === 'syntax' ? 'does not parse' : 'is refused'}: ${parsed.message}.`, false, {
      detail: `The hideExpression of ${label}. ${advice}`,
    });
    return;
  }
  const containers = containerSchemas(definition, site.path.slice(1));
  if (!containers) return;
  for (const ref of parsed.refs) {
    const result = checkRef(ref, containers);
    if (result.ok) continue;
    const guess = result.missing && result.known ? closestWord(result.missing, result.known) : undefined;
    const fixes = guess && result.missing
      ? [fix(`Change to \`${guess}\``, [{ file: ctx.file, range: nodeRange(ctx, node), newText: JSON.stringify(replaceStep(text, result.missing, guess)) }], true)]
      : [];
    report(ctx, nodeRange(ctx, node), 'error', 'schema.hideExpression.unknownProperty',
      `${result.message}${guess ? `; did you mean '${guess}'?` : '.'}`,
      false, { fixes, detail: `In the hideExpression of ${label}: the expression would never see a value there.` });
  }
}

/** `text` with the property step `.name` / `?.name` replaced by `guess` (whole words only). */
function replaceStep(text: string, name: string, guess: string): string {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(\\?\\.|\\.)${escaped}(?![\\w$])`, 'g'), `$1${guess}`);
}

function checkOrdering(ctx: CheckContext, kws: Map<string, Node>, site: SchemaSite): void {
  const orderingProp = kws.get('ordering');
  const ordering = orderingProp ? valueOf(orderingProp) : undefined;
  const propsNode = kws.get('properties') ? valueOf(kws.get('properties')!) : undefined;
  if (!orderingProp || ordering?.type !== 'array' || propsNode?.type !== 'object') return;
  const names = members(propsNode).map(keyOf);
  const seen = new Map<string, Node>();
  let repeats = 0;
  for (const item of ordering.children ?? []) {
    if (item.type !== 'string') continue;
    const name = String(item.value);
    const first = seen.get(name);
    // A few repeats are a slip worth a fix each; thousands (a generated list) need only the first few.
    if (first && ++repeats <= MAX_REPEATS_REPORTED) {
      report(ctx, nodeRange(ctx, item), 'warning', 'schema.ordering.duplicate',
        `'${name}' is listed again in 'ordering' (first on line ${ctx.lines.positionAt(first.offset).line + 1}).`,
        false, {
          detail: `\`ordering\` of ${siteLabel(site)} lists it twice; the wizard shows a field once.`, fixes: [fix(`Remove the repeated \`${name}\``, [removeItemEdit(ctx, ordering, item)], true)] });
    } else seen.set(name, item);
  }
  const missing = names.filter((n) => !seen.has(n));
  if (missing.length === 0) return;
  const list = missing.map((n) => `\`${n}\``).join(', ');
  const last = (ordering.children ?? [])[ordering.children!.length - 1];
  const insertAt = last ? last.offset + last.length : ordering.offset + 1;
  const text = missing.map((n) => JSON.stringify(n)).join(', ');
  const p = ctx.lines.positionAt(insertAt);
  report(ctx, keyRangeOf(ctx, orderingProp), 'warning', 'schema.ordering.incomplete',
    `'ordering' leaves out ${list.replace(/`/g, "'")}.`,
    false, {
      detail: `In ${siteLabel(site)}: ${missing.length === 1 ? 'that field has' : 'those fields have'} no place in the order you chose (the forms preview shows them after the ordered ones). List every property.`, fixes: [fix(`Add ${list} to \`ordering\``, [{ file: ctx.file, range: { start: p, end: p }, newText: last ? `, ${text}` : text }], true)] });
}

function removeItemEdit(ctx: CheckContext, list: Node, item: Node) {
  const items = list.children ?? [];
  const i = items.indexOf(item);
  const prev = items[i - 1];
  // Remove from the end of the previous item, taking its comma with it.
  const start = prev ? prev.offset + prev.length : item.offset;
  const end = prev ? item.offset + item.length : (items[i + 1]?.offset ?? item.offset + item.length);
  return { file: ctx.file, range: ctx.lines.range(start, end), newText: '' };
}

function checkRequiredHidden(ctx: CheckContext, kws: Map<string, Node>, site: SchemaSite): void {
  const req = kws.get('required') ? valueOf(kws.get('required')!) : undefined;
  const propsNode = kws.get('properties') ? valueOf(kws.get('properties')!) : undefined;
  if (req?.type !== 'array' || propsNode?.type !== 'object') return;
  const props = memberMap(propsNode);
  for (const item of req.children ?? []) {
    if (item.type !== 'string') continue;
    const name = String(item.value);
    const prop = props.get(name);
    const schema = prop ? valueOf(prop) : undefined;
    const dx = schema?.type === 'object' ? memberMap(schema).get('dxFormProperties') : undefined;
    const dxValue = dx ? valueOf(dx) : undefined;
    const hideProp = dxValue?.type === 'object' ? memberMap(dxValue).get('hideExpression') : undefined;
    const hide = hideProp ? valueOf(hideProp) : undefined;
    if (hide?.type !== 'string') continue;
    const parsed = parseHideExpression(String(hide.value));
    if (parsed.ok && parsed.expr.t === 'lit' && !parsed.expr.value) continue;
    report(ctx, nodeRange(ctx, hide), 'warning', 'schema.hideExpression.hidesRequired',
      `\`${name}\` is required in ${siteLabel(site)}, but this hideExpression can hide it: while it is hidden the user cannot enter it, yet a value is still required. Remove \`${name}\` from \`required\`, or make sure the expression only hides it when it is not needed.`,
      false, { related: [{ file: ctx.file, range: nodeRange(ctx, item), message: `\`${name}\` in \`required\`` }] });
  }
}
