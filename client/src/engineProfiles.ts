// Engine profiles live in the `delphix.engines` setting (no secrets there); each profile's password
// lives only in VS Code's SecretStorage, asked for once and forgotten when the engine rejects it.
import * as vscode from 'vscode';
import { dvpConfigPath, importDvpConfig, parseEngineAddress, validateProfile, type EngineProfile } from '../../core/engine/profiles';

const SECRET_PREFIX = 'delphix.engine.password:';

export function secretKey(p: EngineProfile): string {
  return `${SECRET_PREFIX}${p.user}@${p.host}:${p.port ?? ''}/${p.name}`;
}

export class EngineProfiles {
  constructor(private readonly secrets: vscode.SecretStorage, private readonly output: vscode.OutputChannel) {}

  list(): EngineProfile[] {
    const raw = vscode.workspace.getConfiguration('delphix').get<unknown[]>('engines') ?? [];
    const out: EngineProfile[] = [];
    for (const r of raw) {
      const v = validateProfile(r);
      if (v.profile) out.push(v.profile);
      else this.output.appendLine(`Ignoring an engine profile in delphix.engines: ${v.problems.map((p) => p.message).join('; ')}`);
    }
    return out;
  }

  private async save(profiles: EngineProfile[]): Promise<void> {
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration('delphix').update('engines', profiles, target);
  }

  async pick(title: string, preferred?: string): Promise<EngineProfile | undefined> {
    const profiles = this.list();
    if (preferred) {
      const p = profiles.find((x) => x.name === preferred);
      if (p) return p;
    }
    if (profiles.length === 1) return profiles[0];
    const items: (vscode.QuickPickItem & { profile?: EngineProfile; add?: boolean })[] = profiles.map((p) => ({
      label: p.name,
      description: `${p.user}@${p.host}${p.port ? ':' + p.port : ''}`,
      detail: p.https ? 'https' : 'http (unencrypted, as dvp)',
      profile: p,
    }));
    items.push({ label: '$(add) Add an engine profile…', add: true });
    const choice = await vscode.window.showQuickPick(items, { title, placeHolder: 'Choose the Delphix Engine' });
    if (!choice) return undefined;
    return choice.add ? this.add() : choice.profile;
  }

  /** The stored password, or ask for it (once: it is stored for next time). */
  async password(p: EngineProfile): Promise<string | undefined> {
    const stored = await this.secrets.get(secretKey(p));
    if (stored) return stored;
    const entered = await vscode.window.showInputBox({
      title: `Password for ${p.user} on ${p.host}`,
      prompt: 'Stored in VS Code\'s secret storage, never in settings or logs.',
      password: true,
      ignoreFocusOut: true,
    });
    if (entered === undefined || entered === '') return undefined;
    await this.secrets.store(secretKey(p), entered);
    return entered;
  }

  async setPassword(p: EngineProfile, password: string): Promise<void> {
    await this.secrets.store(secretKey(p), password);
  }

  async forgetPassword(p: EngineProfile): Promise<void> {
    await this.secrets.delete(secretKey(p));
  }

  async add(): Promise<EngineProfile | undefined> {
    const name = await vscode.window.showInputBox({ title: 'New engine profile (1/4): name', prompt: 'A name for this engine, e.g. "lab engine"', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Give the profile a name.') });
    if (!name) return undefined;
    const address = await vscode.window.showInputBox({
      title: 'New engine profile (2/4): address',
      prompt: 'Host name or IP address of the engine, optionally with https:// and :port',
      ignoreFocusOut: true,
      validateInput: (v) => {
        const r = parseEngineAddress(v.trim());
        return 'error' in r ? r.error : undefined;
      },
    });
    if (!address) return undefined;
    const parsed = parseEngineAddress(address.trim());
    if ('error' in parsed) return undefined;
    const user = await vscode.window.showInputBox({ title: 'New engine profile (3/4): user', value: 'admin', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Give the user to log in as.') });
    if (!user) return undefined;
    let https = parsed.https;
    if (https === undefined) {
      const scheme = await vscode.window.showQuickPick(
        [
          { label: 'HTTPS', description: 'recommended; verifies the engine\'s certificate', https: true },
          { label: 'HTTP', description: 'unencrypted, as dvp connects', https: false },
        ],
        { title: 'New engine profile (4/4): connection' },
      );
      if (!scheme) return undefined;
      https = scheme.https;
    }
    let caFile: string | undefined;
    if (https) {
      const ca = await vscode.window.showQuickPick(['The engine has a certificate from a trusted CA', 'Choose the CA file of a self-signed engine…'], { title: 'Engine certificate' });
      if (!ca) return undefined;
      if (ca.startsWith('Choose')) {
        const picked = await vscode.window.showOpenDialog({ canSelectMany: false, title: 'CA certificate (PEM) of the engine', filters: { 'PEM certificate': ['pem', 'crt', 'cer'], 'All files': ['*'] } });
        if (!picked) return undefined;
        caFile = picked[0].fsPath;
      }
    }
    const v = validateProfile({ name: name.trim(), host: parsed.host, port: parsed.port, user: user.trim(), https, caFile });
    if (!v.profile) {
      void vscode.window.showErrorMessage(`The profile is not valid: ${v.problems.map((p) => p.message).join('; ')}`);
      return undefined;
    }
    await this.save([...this.list().filter((p) => p.name !== v.profile!.name), v.profile]);
    return v.profile;
  }

  async importFromDvp(): Promise<EngineProfile | undefined> {
    const file = dvpConfigPath();
    const r = importDvpConfig(file);
    if (!r.profile) {
      void vscode.window.showWarningMessage(r.problems.join(' ') || `Nothing to import from ${file}.`);
      return undefined;
    }
    await this.save([...this.list().filter((p) => p.name !== r.profile!.name), r.profile]);
    if (r.password) {
      // Moved to secret storage; the author may delete it from the plain-text file afterwards.
      await this.setPassword(r.profile, r.password);
      void vscode.window.showInformationMessage(
        `Imported "${r.profile.name}" from ${file}. Its password is now in VS Code's secret storage; you can remove it from ${file}.`,
      );
    } else void vscode.window.showInformationMessage(`Imported "${r.profile.name}" from ${file}.`);
    return r.profile;
  }

  async manage(): Promise<void> {
    const profiles = this.list();
    const items: (vscode.QuickPickItem & { run: () => Promise<unknown> })[] = [
      { label: '$(add) Add an engine profile', run: () => this.add() },
      { label: '$(cloud-download) Import from the dvp configuration file', description: dvpConfigPath(), run: () => this.importFromDvp() },
      { label: '$(gear) Edit profiles in settings', run: async () => vscode.commands.executeCommand('workbench.action.openSettings', 'delphix.engines') },
      ...profiles.flatMap((p) => [
        { label: `$(key) Forget the password of "${p.name}"`, run: async () => { await this.forgetPassword(p); void vscode.window.showInformationMessage(`Forgot the password of "${p.name}".`); } },
        { label: `$(trash) Remove "${p.name}"`, run: async () => { await this.forgetPassword(p); await this.save(this.list().filter((x) => x.name !== p.name)); } },
      ]),
    ];
    const choice = await vscode.window.showQuickPick(items, { title: 'Delphix engine profiles' });
    await choice?.run();
  }
}
