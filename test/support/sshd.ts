// A throwaway sshd on 127.0.0.1 for tests: its own host key, a fresh client key allowed to log in as
// the current user, a free high port, everything in a temporary folder (the user's ~/.ssh and the
// system's sshd config are not touched). Stop it with `stop()`; it removes the folder.
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export interface Sshd {
  host: '127.0.0.1';
  port: number;
  user: string;
  /** Private key that may log in. */
  identityFile: string;
  /** A known_hosts file for the client (empty at first: accept-new fills it). */
  knownHostsFile: string;
  dir: string;
  /** ssh options that reach this server, for rsync -e / RSYNC_RSH. */
  sshCommand: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('data', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function which(name: string, extra: string[]): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), ...extra]) {
    const p = path.join(dir, name);
    if (dir && fs.existsSync(p)) return p;
  }
  return undefined;
}

/** True when sshd, ssh and ssh-keygen are installed (tests skip otherwise). */
export function sshdAvailable(): boolean {
  return !!which('sshd', ['/usr/sbin', '/sbin']) && !!which('ssh', []) && !!which('ssh-keygen', []);
}

export async function startSshd(): Promise<Sshd> {
  const sshd = which('sshd', ['/usr/sbin', '/sbin']);
  if (!sshd) throw new Error('sshd is not installed (Debian: apt-get install openssh-server)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dpstudio-sshd-'));
  fs.chmodSync(dir, 0o700);
  const identityFile = path.join(dir, 'id_ed25519');
  const hostKey = path.join(dir, 'host_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', identityFile]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  const authorized = path.join(dir, 'authorized_keys');
  fs.copyFileSync(`${identityFile}.pub`, authorized);
  fs.chmodSync(authorized, 0o600);
  const knownHostsFile = path.join(dir, 'known_hosts');
  fs.writeFileSync(knownHostsFile, '');
  // Debian's sshd refuses to start without its privilege-separation folder.
  fs.mkdirSync('/run/sshd', { recursive: true });
  const user = os.userInfo().username;

  for (let attempt = 0; attempt < 5; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const chosen = attempt === 0 ? await freePort() : port;
    const config = path.join(dir, 'sshd_config');
    fs.writeFileSync(
      config,
      [
        `Port ${chosen}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKey}`,
        `PidFile ${path.join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${authorized}`,
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        'Subsystem sftp internal-sftp',
        '',
      ].join('\n'),
    );
    const child: ChildProcess = spawn(sshd, ['-D', '-f', config, '-E', path.join(dir, 'sshd.log')], { stdio: 'ignore' });
    let exited = false;
    child.on('exit', () => (exited = true));
    for (let i = 0; i < 50 && !exited; i++) {
      if (await canConnect(chosen)) {
        const sshCommand = [
          'ssh', '-p', String(chosen), '-i', identityFile, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
          '-o', 'StrictHostKeyChecking=accept-new', '-o', `UserKnownHostsFile=${knownHostsFile}`, '-o', 'LogLevel=ERROR',
        ].join(' ');
        return {
          host: '127.0.0.1',
          port: chosen,
          user,
          identityFile,
          knownHostsFile,
          dir,
          sshCommand,
          stop: () =>
            new Promise<void>((resolve) => {
              const done = () => {
                fs.rmSync(dir, { recursive: true, force: true });
                resolve();
              };
              if (exited) return done();
              child.once('exit', done);
              child.kill('SIGTERM');
              setTimeout(() => child.kill('SIGKILL'), 3000).unref();
            }),
        };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
  }
  const log = fs.existsSync(path.join(dir, 'sshd.log')) ? fs.readFileSync(path.join(dir, 'sshd.log'), 'utf8') : '';
  fs.rmSync(dir, { recursive: true, force: true });
  throw new Error(`sshd did not start: ${log}`);
}
