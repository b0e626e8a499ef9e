// Small stand-in wheels for dvp-common / dvp-libs / dvp-platform and their dependencies, so the build
// tests run pip for real (`--no-index --find-links`) without PyPI.

import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ZipFile } from 'yazl';

export interface FakeWheel {
  name: string;
  version: string;
  requires?: string[];
  files: Record<string, string>;
}

function recordHash(content: Buffer): string {
  return 'sha256=' + crypto.createHash('sha256').update(content).digest('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function writeWheel(dir: string, w: FakeWheel): Promise<string> {
  const dist = w.name.replace(/-/g, '_');
  const info = `${dist}-${w.version}.dist-info`;
  const files: Record<string, Buffer> = {};
  for (const [p, c] of Object.entries(w.files)) files[p] = Buffer.from(c);
  files[`${info}/METADATA`] = Buffer.from(
    ['Metadata-Version: 2.1', `Name: ${w.name}`, `Version: ${w.version}`, ...(w.requires ?? []).map((r) => `Requires-Dist: ${r}`), '', ''].join('\n'),
  );
  files[`${info}/WHEEL`] = Buffer.from('Wheel-Version: 1.0\nGenerator: plugin-studio-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n\n');
  const record = Object.entries(files).map(([p, c]) => `${p},${recordHash(c)},${c.length}`);
  record.push(`${info}/RECORD,,`);
  files[`${info}/RECORD`] = Buffer.from(record.join('\n') + '\n');
  const file = path.join(dir, `${dist}-${w.version}-py3-none-any.whl`);
  return new Promise((resolve, reject) => {
    const zip = new ZipFile();
    for (const [p, c] of Object.entries(files)) zip.addBuffer(c, p);
    zip.outputStream.pipe(fs.createWriteStream(file)).on('close', () => resolve(file)).on('error', reject);
    zip.end();
  });
}

export const JSON_FORMAT_PY = `import re

_UNPAIRED_SURROGATE_PATTERN = re.compile(
    u'[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]')


def parse_text(value):
  if _UNPAIRED_SURROGATE_PATTERN.search(value):
    raise ValueError('Unpaired surrogate')
  return value
`;

/** The SDK runtime of `version` and its dependencies as wheels in `dir`. */
export async function writeSdkWheelhouse(dir: string, version = '5.0.1'): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  return Promise.all([
    writeWheel(dir, {
      name: 'dvp-common',
      version,
      requires: ['dvp-api==1.9.0'],
      files: { 'dlpx/virtualization/common/__init__.py': 'COMMON = "stand-in"\n' },
    }),
    writeWheel(dir, {
      name: 'dvp-libs',
      version,
      requires: [`dvp-common==${version}`],
      files: { 'dlpx/virtualization/libs/__init__.py': 'def run_bash(*args, **kwargs):\n    raise NotImplementedError\n' },
    }),
    writeWheel(dir, {
      name: 'dvp-platform',
      version,
      requires: [`dvp-common==${version}`, `dvp-libs==${version}`],
      files: { 'dlpx/virtualization/platform/__init__.py': 'class Plugin(object):\n    pass\n' },
    }),
    writeWheel(dir, {
      name: 'dvp-api',
      version: '1.9.0',
      requires: ['protobuf==3.20.3'],
      files: { 'dlpx/virtualization/api/__init__.py': "__version__ = '1.9.0'\n" },
    }),
    writeWheel(dir, {
      name: 'protobuf',
      version: '3.20.3',
      files: { 'google/protobuf/__init__.py': "__version__ = '3.20.3'\n", 'google/protobuf/json_format.py': JSON_FORMAT_PY },
    }),
  ]);
}
