// The build number: what the SDK accepts and the standard form the artifact carries (sdk-spec §1.4).

import { BUILD_NUMBER_PATTERN } from './configFields';

const VALID = new RegExp(BUILD_NUMBER_PATTERN);

export function isValidBuildNumber(s: string): boolean {
  return VALID.test(s);
}

/**
 * The build number as `dvp build` writes it into the artifact: every component as an integer (leading
 * zeros dropped), trailing zero components removed. `0.1.0` -> `0.1`, `1.0.01.0` -> `1.0.1`. A string
 * that is not dot-separated digits is returned unchanged (dvp would have rejected it before this step).
 */
export function standardizeBuildNumber(s: string): string {
  if (!/^[0-9]+(\.[0-9]+)*$/.test(s)) return s;
  // BigInt keeps components past 2^53 exact, as Python's int does.
  const parts = s.split('.').map((p) => BigInt(p));
  while (parts.length > 0 && parts[parts.length - 1] === 0n) parts.pop();
  return parts.map((p) => p.toString()).join('.');
}

/** Why `s` is not a valid build number, in words; undefined when it is valid. */
export function buildNumberProblem(s: string): string | undefined {
  if (VALID.test(s)) return undefined;
  if (s === '') return 'it is empty';
  if (/[^0-9.]/.test(s)) {
    const bad = [...new Set(s.replace(/[0-9.]/g, ''))].map((c) => (c === ' ' ? 'a space' : `\`${c}\``));
    return `it may hold only digits and dots, not ${bad.join(', ')}`;
  }
  if (s.split('.').some((p) => p === '')) return 'it has an empty component (a leading, trailing or doubled dot)';
  return 'it needs at least one non-zero digit';
}
