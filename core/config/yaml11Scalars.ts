// `dvp build` reads plugin_config.yml with PyYAML's safe_load, which follows YAML 1.1: `yes` is a boolean,
// `010` is octal, `1:30` is 90, `2020-01-01` is a date. The `yaml` package's own 1.1 schema differs in small
// ways (it takes `y`/`n` as booleans and `1e3` as a float), so plain scalars are resolved here with
// PyYAML's exact resolver patterns; a value dvp sees as a number must be a number here too.

export type ScalarValue =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'timestamp'; value: string }
  /** `=`: PyYAML resolves it to the `value` tag, which safe_load cannot construct. */
  | { kind: 'unconstructable'; tag: string; value: string };

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

const TRUE_WORDS = new Set(['yes', 'true', 'on']);

/** What PyYAML makes of an untagged plain scalar. */
export function resolvePlainScalar(text: string): ScalarValue {
  if (BOOL.test(text)) return { kind: 'bool', value: TRUE_WORDS.has(text.toLowerCase()) };
  if (INT.test(text)) return { kind: 'int', value: constructInt(text) };
  if (FLOAT.test(text)) return { kind: 'float', value: constructFloat(text) };
  if (NULL.test(text)) return { kind: 'null' };
  if (TIMESTAMP.test(text)) return { kind: 'timestamp', value: text };
  if (text === '=') return { kind: 'unconstructable', tag: 'tag:yaml.org,2002:value', value: text };
  return { kind: 'string', value: text };
}

const CORE = 'tag:yaml.org,2002:';

/**
 * What PyYAML makes of a scalar with an explicit tag (`!!int "3"`), or undefined when the tag is not one
 * safe_load can construct from a scalar.
 */
export function resolveTaggedScalar(tag: string, text: string): ScalarValue | undefined {
  switch (tag) {
    case '!':
    case `${CORE}str`:
      return { kind: 'string', value: text };
    case `${CORE}null`:
      return { kind: 'null' };
    case `${CORE}bool`: {
      const lower = text.toLowerCase();
      if (TRUE_WORDS.has(lower)) return { kind: 'bool', value: true };
      if (lower === 'no' || lower === 'false' || lower === 'off') return { kind: 'bool', value: false };
      return undefined;
    }
    case `${CORE}int`:
      return /^[-+]?[0-9a-fA-Fxob_:]+$/.test(text) && !Number.isNaN(constructInt(text)) ? { kind: 'int', value: constructInt(text) } : undefined;
    case `${CORE}float`: {
      const v = constructFloat(text);
      return Number.isNaN(v) && !/nan/i.test(text) ? undefined : { kind: 'float', value: v };
    }
    case `${CORE}timestamp`:
      return TIMESTAMP.test(text) ? { kind: 'timestamp', value: text } : undefined;
    default:
      return undefined;
  }
}

function sexagesimal(digits: string, parse: (s: string) => number): number {
  let base = 1;
  let total = 0;
  for (const part of digits.split(':').reverse()) {
    total += parse(part) * base;
    base *= 60;
  }
  return total;
}

/** PyYAML's construct_yaml_int. */
function constructInt(text: string): number {
  let s = text.replace(/_/g, '');
  let sign = 1;
  if (s.startsWith('-')) sign = -1;
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  if (s === '0') return 0;
  if (s.startsWith('0b')) return sign * parseInt(s.slice(2), 2);
  if (s.startsWith('0x')) return sign * parseInt(s.slice(2), 16);
  if (s.startsWith('0') && !s.includes(':')) return sign * parseInt(s, 8);
  if (s.includes(':')) return sign * sexagesimal(s, (p) => parseInt(p, 10));
  return sign * Number(s);
}

/** PyYAML's construct_yaml_float. */
function constructFloat(text: string): number {
  let s = text.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (s.startsWith('-')) sign = -1;
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  if (s === '.inf') return sign * Infinity;
  if (s === '.nan') return NaN;
  if (s.includes(':')) return sign * sexagesimal(s, (p) => parseFloat(p));
  return sign * Number(s.endsWith('.') ? s + '0' : s);
}

/** Python's repr() of a float, as jsonschema prints it in a message (`1.0`, `1e+16`, `inf`). */
export function pythonFloatRepr(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const abs = Math.abs(v);
  if (abs !== 0 && (abs >= 1e16 || abs < 1e-4)) {
    const [mantissa, exp] = v.toExponential().split('e');
    const n = Number(exp);
    return `${mantissa}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  // String(-0) is "0"; Python keeps the sign.
  const s = Object.is(v, -0) ? '-0' : String(v);
  return Number.isInteger(v) ? `${s}.0` : s;
}
