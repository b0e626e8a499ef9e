import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES, RUNTIME } from './helpers';

describe('simulated SDK runtime (dlpx.virtualization.*)', () => {
  let work: string;
  let out: Record<string, unknown>;

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'dpstudio-runtime-'));
    const text = execFileSync('python3', [path.join(FIXTURES, 'runtime_checks.py'), RUNTIME, work], { encoding: 'utf8', timeout: 60000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    out = JSON.parse(text) as Record<string, unknown>;
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('raises the SDK errors of the decorators', () => {
    assert.equal(out.twice, 'OperationAlreadyDefinedError: An implementation for linked.pre_snapshot() operation has already been defined.');
    assert.equal(out.notFunction, "DecoratorNotFunctionError: The object '__call__' decorated by 'linked.post_snapshot()' is not a function.");
    assert.equal(out.noParentheses, 'TypeError: LinkedOperations.status() takes 1 positional argument but 2 were given');
  });

  it('type-checks the classes plugin code constructs, with the SDK texts', () => {
    assert.equal(out.mountType, "IncorrectTypeError: Mount's parameter 'remote_environment' was class 'int' but should be of any one of the following types: '['dlpx.virtualization.common._common_classes.RemoteEnvironment', 'builtins.str']'.");
    assert.equal(out.mountReference, "IncorrectReferenceFormatError: Reference 'HOST-1' is not a correctly formatted host environment reference.");
    assert.equal(out.mountPath, "IncorrectTypeError: Mount's parameter 'mount_path' was class 'int' but should be of class 'str'.");
    assert.equal(out.mountByReference, 'UNIX_HOST_ENVIRONMENT-7');
    assert.equal(out.specNotList, "IncorrectTypeError: MountSpecification's parameter 'mounts' was class 'dlpx.virtualization.platform._plugin_classes.Mount' but should be of type 'list of dlpx.virtualization.platform._plugin_classes.Mount'.");
    assert.equal(out.specItems, "IncorrectTypeError: MountSpecification's parameter 'mounts' was a list of [class 'str'] but should be of type 'list of dlpx.virtualization.platform._plugin_classes.Mount'.");
    assert.equal(out.ownership, "IncorrectTypeError: OwnershipSpecification's parameter 'uid' was class 'str' but should be of class 'int'.");
    assert.equal(out.connection, "IncorrectTypeError: RemoteConnection's parameter 'environment' was class 'str' but should be of class 'dlpx.virtualization.common._common_classes.RemoteEnvironment'.");
    assert.deepEqual(out.userError, ['Database is locked.', ['Database is locked.', 'Stop the backup.', 'pid 42']]);
    assert.deepEqual(out.userErrorDefaults, ['m', '', '']);
  });

  it('checks library arguments with the SDK texts', () => {
    assert.equal(out.bashCommandType, "IncorrectArgumentTypeError: The function run_bash's argument 'command' was class 'int' but should be of class 'str'.");
    assert.equal(out.bashConnectionType, "IncorrectArgumentTypeError: The function run_bash's argument 'remote_connection' was class 'str' but should be of class 'dlpx.virtualization.common._common_classes.RemoteConnection'.");
    assert.equal(out.bashVariablesType, "IncorrectArgumentTypeError: The function run_bash's argument 'variables' was a dict of {class 'str':class 'int'} but should be of type 'dict of builtins.str:builtins.str' if defined.");
    assert.equal(out.bashLoginShellType, "IncorrectArgumentTypeError: The function run_bash's argument 'use_login_shell' was class 'str' but should be of class 'bool' if defined.");
    assert.equal(out.syncExcludeType, "IncorrectArgumentTypeError: The function run_sync's argument 'exclude_paths' was class 'str' but should be of type 'list of builtins.str' if defined.");
    assert.equal(out.credentialsType, "IncorrectArgumentTypeError: The function retrieve_credentials's argument 'credentials_supplier' was class 'str' but should be of class 'dict'.");
  });

  it('runs run_bash with bash, variables as environment (never interpolated), and check=True', () => {
    assert.deepEqual(out.variables, [0, `$(echo pwned) \`id\` ;rm -rf${fs.realpathSync(work)}\n`, '']);
    assert.deepEqual(out.exit, [7, 'bash \n']);
    assert.equal(out.check, 'PluginScriptError: The script failed with exit code 3. stdout : out\n and  stderr : err\n');
    assert.deepEqual(out.commands, [
      ['echo out; echo err >&2; exit 3', 3],
      ['printf "%s" "$DANGER"; pwd', 0],
      ['echo "$0 $1"; exit 7', 7],
    ]);
  });

  it('says clearly what the simulator does not support', () => {
    assert.equal(out.powershell, 'LibraryError: run_powershell is not supported by the simulator: it runs PowerShell on Windows hosts, and Plugin Studio simulates Unix hosts with bash only.');
    assert.equal(out.expect, 'LibraryError: run_expect is not supported by the simulator: it runs Tcl expect scripts on expect-enabled hosts, and Plugin Studio simulates Unix hosts with bash only.');
    assert.match(String(out.unknownEnvironment), /^LibraryError: The connection's environment 'UNIX_HOST_ENVIRONMENT-9' is not one of the sync profile's environments \(known: UNIX_HOST_ENVIRONMENT-1\)\./);
    assert.match(String(out.vault), /^LibraryError: The simulator cannot read credentials of type 'CyberArkVaultCredential'/);
  });

  it('retrieves credentials, upgrades passwords and maps log levels as the SDK does', () => {
    assert.deepEqual(out.password, ['PasswordCredentials', 'scott', 'tiger']);
    assert.deepEqual(out.keyPair, ['KeyPairCredentials', 'k', 'PRIV', '']);
    assert.deepEqual(out.upgradePassword, { type: 'NamedPasswordCredential', password: 'pw', username: 'scott' });
    assert.deepEqual(out.logLevels, [['DEBUG', 'd'], ['INFO', 'i'], ['ERROR', 'w'], ['ERROR', 'e']]);
  });
});
