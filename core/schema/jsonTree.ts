// Reading the jsonc-parser tree the way Python's json module reads the text: when a key appears
// twice, the last one wins, so lookups by key return the last occurrence.

import type { Node } from 'jsonc-parser';
import type { JsonPath } from '../model';

/** The property nodes of an object node (each has the key node first and, when present, the value). */
export function members(obj: Node | undefined): Node[] {
  if (!obj || obj.type !== 'object' || !obj.children) return [];
  return obj.children;
}

export function keyOf(prop: Node): string {
  return String(prop.children?.[0]?.value ?? '');
}

export function valueOf(prop: Node): Node | undefined {
  return prop.children?.[1];
}

/** The last property node named `key` of an object node. */
export function propertyNode(obj: Node | undefined, key: string): Node | undefined {
  const list = members(obj);
  for (let i = list.length - 1; i >= 0; i--) if (keyOf(list[i]) === key) return list[i];
  return undefined;
}

/** A map from key to the property node that counts, for objects looked up many times. */
export function memberMap(obj: Node | undefined): Map<string, Node> {
  const map = new Map<string, Node>();
  for (const p of members(obj)) map.set(keyOf(p), p);
  return map;
}

/** The value node at `path`, or undefined. */
export function nodeAtPath(root: Node | undefined, path: JsonPath): Node | undefined {
  let node = root;
  for (const seg of path) {
    if (!node) return undefined;
    if (typeof seg === 'number') {
      if (node.type !== 'array' || !node.children) return undefined;
      node = node.children[seg];
    } else {
      const prop = propertyNode(node, seg);
      node = prop ? valueOf(prop) : undefined;
    }
  }
  return node;
}

/** The property node whose key is the last segment of `path`. */
export function propertyAtPath(root: Node | undefined, path: JsonPath): Node | undefined {
  if (path.length === 0) return undefined;
  const last = path[path.length - 1];
  if (typeof last !== 'string') return undefined;
  return propertyNode(nodeAtPath(root, path.slice(0, -1)), last);
}

/** A plain string value of a node, or undefined. */
export function stringValue(node: Node | undefined): string | undefined {
  return node && node.type === 'string' ? String(node.value) : undefined;
}

/** The path of a node from the root (array indexes as numbers). */
export function pathOf(node: Node): JsonPath {
  const path: JsonPath = [];
  let child = node;
  let parent = node.parent;
  while (parent) {
    if (parent.type === 'property') {
      if (parent.children?.[1] === child) path.unshift(keyOf(parent));
      child = parent;
      parent = parent.parent;
      continue;
    }
    if (parent.type === 'array') path.unshift(parent.children ? parent.children.indexOf(child) : 0);
    child = parent;
    parent = parent.parent;
  }
  return path;
}
