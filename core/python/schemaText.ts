// The places in schema.json's text that the Python features point at or edit: property keys
// (definition, references, rename), the `required` / `nameField` / `identityFields` entries that
// repeat a key, and where a new property goes (the "add to schema" quick fix).

import { findNodeAtLocation, findNodeAtOffset, getNodePath, parseTree, type Node as JsonNode } from 'jsonc-parser';
import type { GeneratedClass, GeneratedModel, JsonPath, SchemaProperty } from '../model';
import { MAX_ANALYSED_FILE_BYTES } from '../files';
import { jsonTooDeepAt } from '../schema/analyzeSchema';
import { LineIndex } from '../text';
import type { Position, Range, TextEdit } from '../types';

export class SchemaText {
  readonly lines: LineIndex;
  readonly root: JsonNode | undefined;

  /** `root`: a parse tree of `text` made elsewhere (the schema analysis's), used as it is. */
  constructor(readonly file: string, readonly text: string, root?: JsonNode) {
    this.lines = new LineIndex(text);
    if (root) {
      this.root = root;
      return;
    }
    // A schema too large or too deeply nested for the schema analysis has no tree here either (the
    // parser recurses per level); the Python features then simply find no schema places.
    const analysable = text.length <= MAX_ANALYSED_FILE_BYTES && jsonTooDeepAt(text) === undefined;
    this.root = analysable ? parseTree(text, [], { allowTrailingComma: true, disallowComments: false }) : undefined;
  }

  private keyNode(path: JsonPath): JsonNode | undefined {
    if (!this.root) return undefined;
    const value = findNodeAtLocation(this.root, path);
    const prop = value?.parent;
    return prop?.type === 'property' ? prop.children?.[0] : undefined;
  }

  /** The range of a property key's text (inside the quotes). */
  keyRange(path: JsonPath): Range | undefined {
    const key = this.keyNode(path);
    return key ? this.lines.range(key.offset + 1, key.offset + key.length - 1) : undefined;
  }

  /** The generated property whose key (or whole property) is at `pos`. */
  propertyAt(model: GeneratedModel, pos: Position): { cls: GeneratedClass; property: SchemaProperty } | undefined {
    if (!this.root) return undefined;
    const node = findNodeAtOffset(this.root, this.lines.offsetAt(pos), true);
    if (!node) return undefined;
    // A string of a `required` array (or nameField / identityFields) names a property of its object.
    if (node.type === 'string' && typeof node.value === 'string') {
      const owner = node.parent?.type === 'array' ? node.parent.parent : node.parent;
      const keyword = owner?.type === 'property' ? owner.children?.[0]?.value : undefined;
      if (owner?.parent && owner.children?.[0] !== node && (keyword === 'required' || keyword === 'nameField' || keyword === 'identityFields')) {
        return findPropertyByPath(model, [...getNodePath(owner.parent), 'properties', node.value]);
      }
    }
    // Otherwise only the key itself: positions inside the property's value belong to deeper properties.
    const prop = node.parent?.type === 'property' && node.parent.children?.[0] === node ? node.parent : undefined;
    if (!prop || !prop.children?.[1]) return undefined;
    return findPropertyByPath(model, getNodePath(prop.children[1]));
  }

  /** An edit that adds `"key": {"type": "string"}` to the class's properties. */
  addPropertyEdit(cls: GeneratedClass, key: string): TextEdit | undefined {
    if (!this.root) return undefined;
    const props = findNodeAtLocation(this.root, [...cls.path, 'properties']);
    if (!props || props.type !== 'object') return undefined;
    const entry = `${JSON.stringify(key)}: { "type": "string" }`;
    const children = props.children ?? [];
    if (children.length > 0) {
      const last = children[children.length - 1];
      const indent = this.indentAt(last.offset);
      const at = last.offset + last.length;
      return { file: this.file, range: this.lines.range(at, at), newText: `,\n${indent}${entry}` };
    }
    const owner = props.parent ?? props;
    const indent = this.indentAt(owner.offset);
    return { file: this.file, range: this.lines.range(props.offset, props.offset + props.length), newText: `{\n${indent}${this.indentUnit()}${entry}\n${indent}}` };
  }

  /** Edits renaming a property key, with the `required`, `nameField` and `identityFields` entries naming it. */
  renameKeyEdits(cls: GeneratedClass, property: SchemaProperty, newKey: string): TextEdit[] {
    const edits: TextEdit[] = [];
    if (!this.root) return edits;
    const key = this.keyNode(property.path);
    if (key) edits.push({ file: this.file, range: this.lines.range(key.offset, key.offset + key.length), newText: JSON.stringify(newKey) });
    const strings = (path: JsonPath) => {
      const n = findNodeAtLocation(this.root!, path);
      if (!n) return;
      const list = n.type === 'array' ? n.children ?? [] : [n];
      for (const item of list) {
        if (item.type === 'string' && item.value === property.key) edits.push({ file: this.file, range: this.lines.range(item.offset, item.offset + item.length), newText: JSON.stringify(newKey) });
      }
    };
    strings([...cls.path, 'required']);
    if (cls.topLevel) {
      strings([...cls.path, 'nameField']);
      strings([...cls.path, 'identityFields']);
    }
    return edits;
  }

  private indentAt(offset: number): string {
    const line = this.lines.lineText(this.lines.positionAt(offset).line);
    return /^[ \t]*/.exec(line)?.[0] ?? '';
  }

  private indentUnit(): string {
    const m = /\n([ \t]+)\S/.exec(this.text);
    return m ? m[1] : '    ';
  }
}

function samePath(a: JsonPath, b: JsonPath): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The property at a schema path, also where codegen folded an identical object into an earlier class. */
export function findPropertyByPath(model: GeneratedModel, path: JsonPath): { cls: GeneratedClass; property: SchemaProperty } | undefined {
  if (path.length < 3 || path[path.length - 2] !== 'properties') return undefined;
  const key = path[path.length - 1];
  const owner = path.slice(0, -2);
  for (const cls of model.classes) {
    if (![cls.path, ...cls.alsoAt].some((p) => samePath(p, owner))) continue;
    const property = cls.properties.find((p) => p.key === key);
    if (property) return { cls, property };
  }
  return undefined;
}
