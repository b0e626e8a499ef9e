import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { dvpConfigPath, engineAddress, importDvpConfig, parseDvpConfig, parseEngineAddress, validateProfile } from '../../../core/engine/profiles';
import { removeDir, tempDir } from '../../support/engineTestKit';

describe('engine profiles', () => {
  it('accepts a complete profile and returns it typed', () => {
    const r = validateProfile({ name: 'lab', host: 'engine.example.com', port: 8443, user: 'admin', https: true, caFile: '/etc/ca.pem' });
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.profile, { name: 'lab', host: 'engine.example.com', port: 8443, user: 'admin', https: true, caFile: '/etc/ca.pem' });
    assert.equal(engineAddress(r.profile!), 'engine.example.com:8443');
    assert.equal(engineAddress({ host: '::1', https: true }), '[::1]:443');
    assert.equal(engineAddress({ host: '10.0.0.5', https: false }), '10.0.0.5:80');
  });

  it('explains every problem of a bad profile', () => {
    const r = validateProfile({ name: 'lab', host: 'engine/x', port: 70000, user: ' ', https: 'yes', caFile: 'ca.pem', insecure: 1, password: 'x' });
    assert.equal(r.profile, undefined);
    assert.deepEqual(
      r.problems.map((p) => `${p.field}: ${p.message}`),
      [
        "password: Engine profile 'lab' holds a password. Profiles are stored in plain settings; remove the password and let the extension keep it in secret storage.",
        "host: Engine profile 'lab': The engine host 'engine/x' contains '/': give only the host name or IP address.",
        "port: Engine profile 'lab': port must be a whole number from 1 to 65535 (or left out for the default).",
        "user: Engine profile 'lab' needs the engine user to log in as.",
        "https: Engine profile 'lab': https must be true or false.",
        "caFile: Engine profile 'lab': caFile 'ca.pem' must be an absolute path.",
        "insecure: Engine profile 'lab': insecure must be true or false.",
      ],
    );
    assert.deepEqual(validateProfile(null).problems.map((p) => p.message), ['An engine profile must be an object with name, host, user and https.']);
    assert.deepEqual(
      validateProfile({ name: 'n', host: 'h', user: 'u', https: false, caFile: '/ca.pem', insecure: true }).problems.map((p) => p.message),
      ["Engine profile 'n': caFile only applies to HTTPS; turn https on or remove caFile.", "Engine profile 'n': insecure only applies to HTTPS; remove it."],
    );
    assert.deepEqual(
      validateProfile({ name: 'n', host: 'h', user: 'u', https: true, caFile: '/ca.pem', insecure: true }).problems.map((p) => p.message),
      ["Engine profile 'n': with a caFile the certificate can be verified; remove insecure."],
    );
  });

  it('parses engine addresses as dvp takes them', () => {
    assert.deepEqual(parseEngineAddress('engine.example.com'), { host: 'engine.example.com', https: undefined });
    assert.deepEqual(parseEngineAddress('10.1.2.3:8080'), { host: '10.1.2.3', port: 8080, https: undefined });
    assert.deepEqual(parseEngineAddress('[fe80::1]:443'), { host: 'fe80::1', port: 443, https: undefined });
    assert.deepEqual(parseEngineAddress('::1'), { host: '::1', https: undefined });
    assert.deepEqual(parseEngineAddress('https://engine:8443/'), { host: 'engine', port: 8443, https: true });
    assert.deepEqual(parseEngineAddress('engine:http'), { error: "The engine port 'http' is not a number from 1 to 65535." });
    assert.deepEqual(parseEngineAddress('bad host'), { error: "The engine host 'bad host' is not a valid host name or IP address." });
  });

  it('reads dvp config defaults like configparser, keeping ; and # in the password', () => {
    const text = '; comment\n[dev]\nvsdk_root = /x\n\n[default]\nengine = 10.0.0.9:8080\nUser: admin\npassword = se;cr#et\n';
    assert.deepEqual(parseDvpConfig(text), { engine: '10.0.0.9:8080', user: 'admin', password: 'se;cr#et' });
    assert.deepEqual(parseDvpConfig('[other]\nengine = x\n'), {});
  });

  it('imports ~/.dvp/config into a profile, the password apart', () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'config');
      fs.writeFileSync(file, '[default]\nengine = engine.example.com:8080\nuser = delphix_admin\npassword = hunter2-Zq\n');
      const r = importDvpConfig(file);
      assert.deepEqual(r, {
        profile: { name: 'dvp default', host: 'engine.example.com', port: 8080, user: 'delphix_admin', https: false },
        password: 'hunter2-Zq',
        problems: [],
      });
      assert.ok(!JSON.stringify(r.profile).includes('hunter2'));
      fs.writeFileSync(file, '[default]\npassword = p\n');
      assert.deepEqual(importDvpConfig(file), {
        password: 'p',
        problems: [`${file} has no 'engine' in its [default] section.`, `${file} has no 'user' in its [default] section.`],
      });
      assert.deepEqual(importDvpConfig(path.join(dir, 'none')), {
        problems: [`There is no dvp configuration file at ${path.join(dir, 'none')}; create a profile by hand instead.`],
      });
    } finally {
      removeDir(dir);
    }
  });

  it('finds the config file in HOME unless DVP_CONFIG says otherwise', () => {
    assert.equal(dvpConfigPath({ HOME: '/home/u' }), '/home/u/.dvp/config');
    assert.equal(dvpConfigPath({ HOME: '/home/u', DVP_CONFIG: '/tmp/c' }), '/tmp/c');
  });
});
