// The SDK's codegen (swagger-codegen 2.3.1, python-flask) decides every Python name a plugin author
// types. These functions port its rules step by step (DefaultCodegen.sanitizeName / underscore /
// camelize, FlaskConnexionCodegen.toVarName / toModelName, InlineModelResolver.uniqueName), so that a
// name we accept is a name the generated classes really have. See ../shared/sdk-spec.md §3.3-3.4.

/** Names the python-flask generator escapes with a leading underscore (compared case-insensitively). */
export const CODEGEN_RESERVED_WORDS: ReadonlySet<string> = new Set(
  [
    'property', 'and', 'del', 'from', 'not', 'while', 'as', 'elif', 'global', 'or', 'with', 'assert',
    'else', 'if', 'pass', 'yield', 'break', 'except', 'import', 'print', 'class', 'exec', 'in',
    'raise', 'continue', 'finally', 'is', 'return', 'def', 'for', 'lambda', 'try', 'self', 'none',
    'true', 'false', 'nonlocal',
  ],
);

/** Python 3 keywords; a generated name equal to one of these makes the generated module a SyntaxError. */
export const PYTHON_KEYWORDS: ReadonlySet<string> = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue',
  'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
  'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

/** DefaultCodegen.sanitizeName with its default `\W` removal (Java's \W is ASCII-only). */
export function sanitizeName(name: string | null | undefined): string {
  if (name === null || name === undefined) return 'ERROR_UNKNOWN';
  if (name === '$') return 'value';
  return name
    .replace(/\[\]/g, '')
    .replace(/\[/g, '_')
    .replace(/\]/g, '')
    .replace(/\(/g, '_')
    .replace(/\)/g, '')
    .replace(/\./g, '_')
    .replace(/-/g, '_')
    .replace(/ /g, '_')
    .replace(/[^A-Za-z0-9_]/g, '');
}

/** DefaultCodegen.underscore: camelCase to lower_case_with_underscores, with its acronym handling. */
export function underscore(word: string): string {
  return word
    .replace(/\./g, '/')
    .replace(/\$/g, '__')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .replace(/ /g, '_')
    .toLowerCase();
}

/**
 * The Python attribute / keyword-argument name codegen makes from a schema property key
 * (FlaskConnexionCodegen.toVarName): `mountLocation` -> `mount_location`, `IDs` -> `i_ds`.
 */
export function toPythonName(propertyKey: string): string {
  let name = sanitizeName(propertyKey);
  if (/^[A-Z_]*$/.test(name)) name = name.toLowerCase();
  name = underscore(name);
  name = name.replace(/^_*/, '');
  if (CODEGEN_RESERVED_WORDS.has(name.toLowerCase()) || /^\d/.test(name)) name = '_' + name;
  return name;
}

/** DefaultCodegen.camelize(word, false): `linkedSourceDefinition_configSettings` -> `LinkedSourceDefinitionConfigSettings`. */
export function camelize(word: string): string {
  // Slashes are package separators in swagger; a schema key cannot produce one after sanitizing, but
  // keep the rule so the port stays faithful.
  word = word.replace(/\/(.?)/g, (_m, c: string) => '.' + c);
  word = word
    .split('.')
    .filter((z) => z.length > 0)
    .map((z) => z.charAt(0).toUpperCase() + z.slice(1))
    .join('');
  // Uppercase the first letter of the (last) class name segment.
  word = word.replace(/(\.?)(\w)([^.]*)$/, (_m, dot: string, c: string, rest: string) => dot + c.toUpperCase() + rest);
  // `_x` -> `X` for a lower-case x; otherwise the underscore is just dropped.
  for (let guard = 0; guard < 10000; guard++) {
    const m = /_(.)/.exec(word);
    if (!m) break;
    const ch = m[1];
    const upper = ch.toUpperCase();
    if (ch === upper) word = word.replace('_', '');
    else word = word.slice(0, m.index) + upper + word.slice(m.index + 2);
  }
  word = word.replace(/-(.)/g, (_m, c: string) => c.toUpperCase());
  return word;
}

/** FlaskConnexionCodegen.toModelName: the Python class name for a definition or nested model. */
export function toModelName(rawName: string): string {
  let name = sanitizeName(rawName);
  if (CODEGEN_RESERVED_WORDS.has(name.toLowerCase())) name = 'model_' + name;
  if (/^\d/.test(name)) name = 'model_' + name;
  return camelize(name);
}

/** The module file (without `.py`) codegen writes a model class into: `repository_definition`. */
export function toModelFileName(rawName: string): string {
  return underscore(toModelName(rawName).replace(/\./g, ''));
}

/** InlineModelResolver.uniqueName's character filter (before the `_1`, `_2` suffixes). */
export function inlineModelKey(key: string): string {
  return key.replace(/[^a-z_.A-Z0-9 ]/g, '');
}

/** Why a generated attribute name cannot be used from Python, or undefined when it is fine. */
export function pythonNameProblem(pythonName: string): string | undefined {
  if (pythonName.length === 0) return 'it converts to an empty Python name';
  if (PYTHON_KEYWORDS.has(pythonName)) return `it converts to \`${pythonName}\`, a Python keyword, so the generated module does not import (SyntaxError)`;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(pythonName)) return `it converts to \`${pythonName}\`, which is not a valid Python identifier`;
  return undefined;
}

/** Attribute names the generated model classes use themselves; a property converting to one breaks the class. */
export const GENERATED_CLASS_INTERNAL_NAMES: ReadonlySet<string> = new Set(['validate', 'swagger_types', 'attribute_map']);
