// "Did you mean" candidates and the schema key that produces a wanted Python name.

import { editDistance } from '../editDistance';
import { toPythonName } from '../names';

export interface Suggestion {
  name: string;
  distance: number;
}

/** The known names closest to `name`, best first; empty when nothing is plausibly meant. */
export function closestNames(name: string, known: Iterable<string>, max = 3): Suggestion[] {
  const lower = name.toLowerCase();
  const limit = Math.max(2, Math.floor(name.length / 3));
  const out: Suggestion[] = [];
  for (const k of new Set(known)) {
    const d = k.toLowerCase() === lower ? 0.5 : editDistance(lower, k.toLowerCase(), limit);
    if (d <= limit) out.push({ name: k, distance: d });
  }
  out.sort((x, y) => x.distance - y.distance || x.name.localeCompare(y.name));
  return out.slice(0, max);
}

/** Whether the first suggestion is clearly better than the second (a fix worth marking preferred). */
export function clearlyBest(s: Suggestion[]): boolean {
  return s.length > 0 && (s.length === 1 || s[0].distance < s[1].distance);
}

function lowerCamel(snake: string): string {
  return snake.replace(/_+([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * A schema key that converts to `pythonName`, in the style of `styleKey` when given (camelCase,
 * PascalCase or snake_case, as the schema already writes its keys); undefined when no simple key does.
 */
export function keyForPythonName(pythonName: string, styleKey?: string): string | undefined {
  const candidates: string[] = [];
  const camel = lowerCamel(pythonName);
  const snakeStyle = styleKey !== undefined && /_/.test(styleKey) && styleKey === toPythonName(styleKey);
  const pascalStyle = styleKey !== undefined && /^[A-Z]/.test(styleKey);
  if (snakeStyle) candidates.push(pythonName, camel);
  else if (pascalStyle) candidates.push(camel.charAt(0).toUpperCase() + camel.slice(1), camel, pythonName);
  else candidates.push(camel, pythonName);
  return candidates.find((k) => k.length > 0 && toPythonName(k) === pythonName);
}
