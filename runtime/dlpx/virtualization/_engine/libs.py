#
# The simulated engine's library calls. Each takes the request dict the libs wrappers build and
# answers with {'return_value': ...} or {'error': {'actionable_error': {'id', 'message'}}}, as the
# engine does. Every command run is recorded in the event stream with its exit code and duration.
#
import os
import re
import subprocess
import threading
import time

from dlpx.virtualization._engine import events, hosts

# The engine's limit on library call inputs and outputs (docs: Best_Practices/Message_Limits.md).
OUTPUT_LIMIT_BYTES = 192 * 1024 * 1024

_ENV_NAME = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')


class _Config(object):
    def __init__(self):
        self.environments = {}       # reference -> environment spec (see hosts.py)
        self.local_extra_env = {}    # added to commands run on local environments (e.g. RSYNC_RSH)
        self.dsource_dir = None      # where run_sync copies to (DIRECT plugins)
        self.operation = None        # the operation in progress, for the records


config = _Config()


def configure(environments, local_extra_env=None, dsource_dir=None):
    config.environments = {spec['reference']: spec for spec in environments}
    config.local_extra_env = dict(local_extra_env or {})
    config.dsource_dir = dsource_dir


def _error(error_id, message):
    return {'error': {'actionable_error': {'id': error_id, 'message': message}}}


def _environment(request):
    reference = request['remote_connection']['environment']['reference']
    spec = config.environments.get(reference)
    if spec is None:
        known = ', '.join(sorted(config.environments)) or 'none'
        return None, _error('simulator.unknownEnvironment',
                            "The connection's environment '{}' is not one of the sync profile's environments"
                            " (known: {}). Use staged_source.staged_connection, staged_source.source_connection"
                            " or direct_source.connection.".format(reference, known))
    return spec, None


def _read_limited(stream, sink, state):
    total = 0
    while True:
        chunk = stream.read(65536)
        if not chunk:
            break
        total += len(chunk)
        if total > OUTPUT_LIMIT_BYTES:
            state['overflow'] = True
            continue  # keep draining so the command can finish or be killed
        sink.append(chunk)


def run_process(argv, env=None, cwd=None):
    """Run argv without a shell; (exit code, stdout, stderr, overflowed)."""
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=env, cwd=cwd)
    out, err, state = [], [], {'overflow': False}
    readers = [threading.Thread(target=_read_limited, args=(process.stdout, out, state), daemon=True),
               threading.Thread(target=_read_limited, args=(process.stderr, err, state), daemon=True)]
    for reader in readers:
        reader.start()
    code = process.wait()
    for reader in readers:
        reader.join()
    decode = lambda parts: b''.join(parts).decode('utf-8', errors='replace')  # noqa: E731
    return code, decode(out), decode(err), state['overflow']


def record_command(kind, spec, command, argv, code, started, stdout, stderr, **extra):
    out, out_cut = events.cap(stdout)
    err, err_cut = events.cap(stderr)
    events.emit('command', kind=kind, operation=config.operation, environment=spec.get('name') if spec else None,
                host=hosts.describe(spec) if spec else 'engine', command=command, argv=argv, exitCode=code,
                durationMs=round((time.time() - started) * 1000), stdout=out, stdoutCut=out_cut, stderr=err,
                stderrCut=err_cut, **extra)


def run_bash(request):
    spec, error = _environment(request)
    if error:
        return error
    variables = request.get('variables') or {}
    bad = [name for name in variables if not _ENV_NAME.match(name)]
    if bad:
        return _error('simulator.badVariable', 'Environment variable names must be letters, digits and'
                      ' underscores, not starting with a digit: {}'.format(', '.join(repr(b) for b in bad)))
    argv, extra_env, cwd = hosts.bash_invocation(spec, request['command'], variables,
                                                 request.get('use_login_shell', False))
    env = dict(os.environ)
    if spec.get('type') != 'ssh':
        env.update(config.local_extra_env)
    env.update(extra_env)
    if cwd:
        os.makedirs(cwd, exist_ok=True)
    started = time.time()
    try:
        code, stdout, stderr, overflow = run_process(argv, env=env, cwd=cwd)
    except OSError as e:
        record_command('run_bash', spec, request['command'], argv, None, started, '', str(e))
        return _error('simulator.cannotRun', 'Could not start {}: {}'.format(argv[0], e))
    record_command('run_bash', spec, request['command'], argv, code, started, stdout, stderr,
                   variables=sorted(variables))
    if overflow:
        return _error('simulator.outputLimit', 'The command wrote more than the 192 MiB a library call may return.')
    return {'return_value': {'exit_code': code, 'stdout': stdout, 'stderr': stderr}}


def _rsync_source(spec, directory, rsync_user):
    directory = directory.rstrip('/') + '/'
    if spec.get('type') == 'ssh':
        return ['-e', hosts.ssh_command_string(spec, rsync_user or None), '{}:{}'.format(spec['host'], directory)]
    return [directory]


def run_sync(request):
    spec, error = _environment(request)
    if error:
        return error
    if not config.dsource_dir:
        return _error('simulator.notDirect', 'run_sync copies into a DIRECT dSource; this sync has none.')
    source = request['source_directory']
    os.makedirs(config.dsource_dir, exist_ok=True)
    argv = ['rsync', '-a', '--delete', '--stats']
    for path in request.get('exclude_paths') or []:
        # Paths under the source directory are anchored to it; others are patterns as given.
        if path.startswith(source.rstrip('/') + '/'):
            path = path[len(source.rstrip('/')):]
        argv.append('--exclude=' + path)
    argv += _rsync_source(spec, source, request.get('rsync_user')) + [config.dsource_dir.rstrip('/') + '/']
    started = time.time()
    code, stdout, stderr, _ = run_process(argv)
    stats = parse_rsync_stats(stdout)
    record_command('run_sync', spec, ' '.join(argv), argv, code, started, stdout, stderr, rsyncStats=stats)
    if code != 0:
        return _error('simulator.runSyncFailed', 'run_sync could not copy {} from {} (rsync exit code {}): {}'.format(
            source, hosts.describe(spec), code, stderr.strip()[-2000:]))
    for link in request.get('sym_links_to_follow') or []:
        # rsync copies symlinks as links; the ones the plugin names are copied again, dereferenced.
        relative = link[len(source.rstrip('/')) + 1:] if link.startswith(source.rstrip('/') + '/') else None
        if not relative:
            events.emit('log', level='ERROR', message='run_sync: sym link {} is not under {}; not followed.'.format(
                link, source), source='simulator')
            continue
        if spec.get('type') == 'ssh':
            origin = ['-e', hosts.ssh_command_string(spec, request.get('rsync_user') or None),
                      '{}:{}'.format(spec['host'], link.rstrip('/'))]
        else:
            origin = [link.rstrip('/')]
        link_argv = ['rsync', '-a', '--copy-links'] + origin + [
            os.path.join(config.dsource_dir, os.path.dirname(relative)).rstrip('/') + '/']
        started = time.time()
        code, stdout, stderr, _ = run_process(link_argv)
        record_command('run_sync', spec, ' '.join(link_argv), link_argv, code, started, stdout, stderr)
        if code != 0:
            return _error('simulator.runSyncFailed', 'run_sync could not follow {} (rsync exit code {}): {}'.format(
                link, code, stderr.strip()[-2000:]))
    return {'return_value': {}}


_STATS = {
    'Number of files': 'files',
    'Number of regular files transferred': 'regularFilesTransferred',
    'Number of deleted files': 'deletedFiles',
    'Total file size': 'totalFileSize',
    'Total transferred file size': 'transferredFileSize',
}


def parse_rsync_stats(text):
    stats = {}
    for line in text.splitlines():
        name, _, value = line.partition(':')
        key = _STATS.get(name.strip())
        if key:
            number = re.match(r'\s*([\d,.]+)', value)
            if number:
                stats[key] = int(re.sub(r'[,.]', '', number.group(1)))
    return stats


def _unsupported(name, platform):
    def call(request):
        spec, error = _environment(request)
        if error:
            return error
        events.emit('log', level='ERROR', source='simulator', message='{} is not supported by the simulator.'.format(name))
        return _error('simulator.unsupported', '{} is not supported by the simulator: it runs {} on {} hosts, and'
                      ' Plugin Studio simulates Unix hosts with bash only.'.format(name, platform[0], platform[1]))
    return call


run_powershell = _unsupported('run_powershell', ('PowerShell', 'Windows'))
run_expect = _unsupported('run_expect', ('Tcl expect scripts', 'expect-enabled'))


def retrieve_credentials(request):
    supplier = request['credentials_supplier']
    kind = supplier.get('type')
    if kind == 'NamedPasswordCredential' or (kind is None and 'password' in supplier):
        return {'return_value': {'username': supplier.get('username', ''), 'password': supplier.get('password', '')}}
    if kind == 'NamedKeyPairCredential' or (kind is None and 'privateKey' in supplier):
        return {'return_value': {'username': supplier.get('username', ''),
                                 'private_key': supplier.get('privateKey', ''),
                                 'public_key': supplier.get('publicKey', '')}}
    return _error('simulator.credentials', 'The simulator cannot read credentials of type {!r} (password vaults are'
                  ' engine-side). In the sync profile give a NamedPasswordCredential or NamedKeyPairCredential'
                  ' object instead.'.format(kind))


def upgrade_password(request):
    supplier = {'type': 'NamedPasswordCredential', 'password': request['password']}
    if request.get('username'):
        supplier['username'] = request['username']
    return {'return_value': supplier}


def log(request):
    message, cut = events.cap(request.get('message', ''))
    events.emit('log', level=request.get('level', 'INFO'), message=message, messageCut=cut,
                operation=config.operation, source='plugin')
    return {'return_value': {}}
