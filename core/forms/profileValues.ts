// "Use these values": the values entered in a previewed form become a section of a sync profile
// (.delphix/sync/<name>.json), written as one text edit that keeps the rest of the file as it is.

import { applyEdits, type EditResult, modify, type ParseError, parseTree } from 'jsonc-parser';

/** The profile section each form fills. */
export const PROFILE_SECTION_OF: Record<string, string> = {
  linkedSourceDefinition: 'linkedSource',
  virtualSourceDefinition: 'virtualSource',
  snapshotParametersDefinition: 'snapshotParameters',
  sourceConfigDefinition: 'sourceConfig',
  repositoryDefinition: 'repository',
};

export type ProfileEdit = { ok: true; edits: EditResult; text: string } | { ok: false; message: string };

/** The edits that set `section` of the profile text to `values` (indentation taken from the file). */
export function profileSectionEdit(profileText: string, definition: string, values: Record<string, unknown>): ProfileEdit {
  const section = PROFILE_SECTION_OF[definition];
  if (!section) return { ok: false, message: `${definition} has no section in a sync profile` };
  const errors: ParseError[] = [];
  const root = parseTree(profileText, errors, { allowTrailingComma: false, disallowComments: true });
  if (!root || errors.length > 0 || root.type !== 'object') {
    return { ok: false, message: 'the profile is not a valid JSON object; fix it first (its problems are listed in the Problems view)' };
  }
  const indent = /\n( +|\t)"/.exec(profileText)?.[1] ?? '  ';
  const formattingOptions = indent === '\t' ? { insertSpaces: false, tabSize: 1 } : { insertSpaces: true, tabSize: indent.length };
  const edits = modify(profileText, [section], values, { formattingOptions });
  return { ok: true, edits, text: applyEdits(profileText, edits) };
}
