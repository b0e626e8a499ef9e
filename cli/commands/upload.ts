// `upload`: dvp upload over the engine core (core/engine/client.ts).
import * as path from 'path';
import type { CliCommand } from '../io';
import { UsageError } from '../io';
import { checkUploadable, uploadArtifact } from '../../core/engine/client';
import { readUploadArtifact, type UploadArtifact } from '../../core/engine/artifact';
import { EngineError } from '../../core/engine/errors';
import { ENGINE_USAGE, engineTarget, formatBytes, obtainPassword, option, parseEngineArgs, progressPrinter, reportFailure, REQUEST_TIMEOUT_HINT, secondsOption } from './engineShared';

export const command: CliCommand = {
  name: 'upload',
  summary: 'Upload the built artifact to a Delphix Engine, as `dvp upload` does (HTTPS optional)',
  usage: `upload [DIR] --engine HOST[:PORT] --user USER [--artifact FILE] [--wait] [--timeout SECONDS]
       [--poll-interval SECONDS] [--https] [--ca-file FILE] [--insecure] [--timeout-request SECONDS]
       [--allow-no-sdk-runtime]

  DIR              the plugin folder (default: .)
  --artifact FILE  the artifact to upload (default: DIR/artifact.json); also -a, --upload-artifact
  --wait           wait until the engine has installed the plugin, showing the job's events
  --timeout        how long --wait waits (default 3600 seconds, as dvp)
  --poll-interval  how often --wait asks the engine (default 5 seconds, as dvp)
  --allow-no-sdk-runtime  send an artifact built with --no-sdk-runtime (for a test engine); without
                   it such an artifact is refused, since the engine could not load the plugin
${ENGINE_USAGE}

Exit code: 0 when the upload (and the wait) succeeded, 1 on failure, 2 on a usage mistake.`,
  async run(args, io) {
    const a = parseEngineArgs(args, {
      flags: ['--wait', '--allow-no-sdk-runtime'],
      options: ['--artifact', '-a', '--upload-artifact', '--timeout', '--poll-interval'],
    });
    if (a.positionals.length > 1) throw new UsageError('give at most one plugin folder');
    const dir = path.resolve(io.cwd, a.positionals[0] ?? '.');
    const artifact = path.resolve(dir, option(a, '--artifact', '-a', '--upload-artifact') ?? 'artifact.json');
    const pollTimeoutMs = secondsOption(option(a, '--timeout'), '--timeout');
    const pollIntervalMs = secondsOption(option(a, '--poll-interval'), '--poll-interval');
    if (!a.flags.has('--wait') && (pollTimeoutMs !== undefined || pollIntervalMs !== undefined)) {
      throw new UsageError('--timeout and --poll-interval apply to --wait only');
    }
    const target = engineTarget(a, io);
    const allowNoSdkRuntime = a.flags.has('--allow-no-sdk-runtime');
    // The artifact is checked before the password is asked for: a refusal costs the author nothing.
    let parsed: UploadArtifact;
    try {
      parsed = readUploadArtifact(artifact);
      checkUploadable(parsed, allowNoSdkRuntime);
    } catch (e) {
      if (e instanceof EngineError && e.kind === 'noSdkRuntime') {
        io.err(`${e.message}\nTo send it to a test engine anyway, add --allow-no-sdk-runtime.`);
        return 1;
      }
      return reportFailure(e, undefined, io);
    }
    const password = await obtainPassword(target, io);
    if (password === undefined) return 1;
    try {
      const r = await uploadArtifact({
        artifact: parsed,
        profile: target.profile,
        password,
        artifactPath: artifact,
        wait: a.flags.has('--wait'),
        pollIntervalMs,
        pollTimeoutMs,
        allowNoSdkRuntime,
        requestTimeoutMs: target.requestTimeoutMs,
        requestTimeoutHint: REQUEST_TIMEOUT_HINT,
        signal: io.signal,
        onProgress: progressPrinter(io),
      });
      const what = r.upgrade ? `an upgrade, job ${r.job}` : 'a new plugin';
      if (r.finalState) io.out(`Plugin ${r.fileName} was successfully uploaded to ${r.engine} (${what}, action ${r.action}).`);
      else {
        io.out(
          `Uploaded ${r.fileName} (${formatBytes(r.bytes)}) to ${r.engine}: ${what}, action ${r.action}. ` +
            'The engine installs it in the background; use --wait to wait for it.',
        );
      }
      return 0;
    } catch (e) {
      return reportFailure(e, password, io);
    }
  },
};
