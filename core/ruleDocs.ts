// Where each rule is explained: docs/rules.md has one anchor per rule code. VS Code opens a diagnostic's
// `codeDescription` link in the browser, so it must be an absolute URL: the repository (package.json's
// `repository.url`, checked by a unit test) and the page's path in it.

export const REPOSITORY_URL = 'https://example.invalid/delphix-plugin-studio';
export const RULES_PAGE = 'docs/rules.md';

/** The rule families docs/rules.md documents (the Python cross-checks are documented in the README). */
const DOCUMENTED = /^(schema|config|sync\.profile)\./;

/** The page explaining the rule `code`, or undefined when it has none. */
export function ruleDocUrl(code: string): string | undefined {
  if (!DOCUMENTED.test(code)) return undefined;
  return `${REPOSITORY_URL}/blob/main/${RULES_PAGE}#${code}`;
}
