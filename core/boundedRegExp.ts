// Regular expressions from a plugin's schema (`pattern`, `patternProperties`) run against values the
// author typed. A pattern such as `^(a+)+$` backtracks exponentially: 35 characters take minutes, and
// JavaScript cannot interrupt a running RegExp, except from a vm context with a timeout. Each test runs
// there; one that takes too long counts as passing and is remembered, so the caller can say which
// pattern was not checked instead of hanging.

import * as vm from 'vm';

/** How long one pattern test may run. */
export const PATTERN_TEST_TIMEOUT_MS = 200;

const context = vm.createContext({ re: undefined as RegExp | undefined, s: '' });
const script = new vm.Script('re.test(s)');
const timedOut = new Set<string>();

/** A RegExp-like object whose test() gives up after PATTERN_TEST_TIMEOUT_MS (and then passes). */
export function boundedRegExp(pattern: string, flags = ''): { test(s: string): boolean; toString(): string } {
  const re = new RegExp(pattern, flags);
  return {
    test(s: string): boolean {
      context.re = re;
      context.s = s;
      try {
        return script.runInContext(context, { timeout: PATTERN_TEST_TIMEOUT_MS }) === true;
      } catch (e) {
        if ((e as { code?: string }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw e;
        timedOut.add(pattern);
        return true;
      } finally {
        context.re = undefined;
        context.s = '';
      }
    },
    toString: () => `/${pattern}/${flags}`,
  };
}
/** ajv's `code.regExp` option wants the engine's source name too (only used for standalone code). */
boundedRegExp.code = 'boundedRegExp';

/** Patterns whose test timed out since the last call (and forget them). */
export function takeTimedOutPatterns(): string[] {
  const list = [...timedOut];
  timedOut.clear();
  return list;
}
