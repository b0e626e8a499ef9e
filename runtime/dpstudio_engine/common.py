#
# What every step handler shares: how a failure is described (as the engine shows it), mount slugs,
# connections built from environment specs, and commands run and recorded on an environment.
#
import hashlib
import os
import re
import shlex
import stat
import time
import traceback

from dlpx.virtualization._engine import hosts
from dlpx.virtualization._engine import libs as engine

RUNTIME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_ACTION = 'Contact the plugin author to correct the error.'


class StepFailed(Exception):
    """An operation or step failed; `info` is the error as the event stream reports it."""

    def __init__(self, info):
        super(StepFailed, self).__init__(info.get('message'))
        self.info = info


class SimulatorError(Exception):
    """The simulator could not do its part (mount, snapshot, clone, ...); not the plugin's fault."""


def _plugin_traceback(exc):
    # Frames inside the simulator say nothing to the plugin author; keep the plugin's own.
    summary = traceback.TracebackException.from_exception(exc)
    kept = [f for f in summary.stack if not f.filename.startswith(RUNTIME + os.sep)]
    summary.stack = traceback.StackSummary.from_list(kept)
    return ''.join(summary.format())


def describe_error(step, exc):
    from dlpx.virtualization.platform.exceptions import UserError
    trace = _plugin_traceback(exc)
    if isinstance(exc, UserError):
        args = list(exc.args) + ['', '']
        message, action, output = args[0], args[1], args[2]
        return {'kind': 'UserError', 'step': step, 'message': str(message),
                'action': str(action) if action else DEFAULT_ACTION, 'actionGiven': bool(action),
                'output': str(output) if output else trace, 'outputGiven': bool(output), 'traceback': trace}
    if isinstance(exc, SystemExit):
        message = 'The operation ended because a library call failed in a way the plugin cannot handle.'
    elif isinstance(exc, SimulatorError):
        return {'kind': 'SimulatorError', 'step': step, 'message': str(exc), 'action': '', 'actionGiven': False,
                'output': '', 'outputGiven': False, 'traceback': ''}
    else:
        message = getattr(exc, 'message', None) or str(exc) or type(exc).__name__
    return {'kind': type(exc).__name__, 'step': step, 'message': str(message), 'action': DEFAULT_ACTION,
            'actionGiven': False, 'output': trace, 'outputGiven': False, 'traceback': trace}


def slug(path):
    """A stable folder name for a requested mount path."""
    readable = re.sub(r'[^A-Za-z0-9._-]+', '-', path).strip('-.') or 'root'
    return '{}-{}'.format(readable[:60], hashlib.sha1(path.encode('utf-8')).hexdigest()[:8])


def inside(path, root):
    path, root = os.path.abspath(path), os.path.abspath(root)
    return path == root or path.startswith(root + os.sep)


def real_folder(path, root):
    """Creates `path` inside the sandbox `root` one level at a time; every level must be a real folder.

    A cloned repository can ship mounts/<slug> (or any sandbox folder) as a symbolic link; following it
    would make the sync, and rsync --delete, write wherever it points. So a link is refused, never followed.
    """
    path, root = os.path.abspath(path), os.path.abspath(root)
    if not inside(path, root):
        raise SimulatorError('{} is not inside the sandbox {}.'.format(path, root))
    current = root
    for part in [p for p in os.path.relpath(path, root).split(os.sep) if p not in ('', '.')]:
        current = os.path.join(current, part)
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            try:
                os.mkdir(current)
            except FileExistsError:
                pass
            st = os.lstat(current)
        if stat.S_ISLNK(st.st_mode):
            try:
                target = os.readlink(current)
            except OSError:
                target = '?'
            raise SimulatorError('{} is a symbolic link (to {}). The sync writes only into real folders inside the'
                                 ' sandbox, so it does not follow links a cloned repository may ship. Remove the link'
                                 ' (rm {}) and run again; the sync creates the folder.'.format(
                                     current, target, shlex.quote(current)))
        if not stat.S_ISDIR(st.st_mode):
            raise SimulatorError('{} is not a folder, but the sync keeps its data there. Move it away and run'
                                 ' again.'.format(current))
    return path


def connection(spec):
    return {
        'environment': {
            'name': spec['name'],
            'reference': spec['reference'],
            'host': {'name': spec.get('hostName', spec['name']), 'reference': spec.get('hostReference', ''),
                     'binary_path': spec.get('binaryPath', ''), 'scratch_path': spec.get('scratchPath', '')},
        },
        'user': {'name': spec.get('userName', ''), 'reference': spec.get('userReference', '')},
    }


def run_on(kind, spec, command, failure):
    """Runs a shell command of the engine's own on an environment (ssh or here); raises on failure."""
    argv, _, _ = hosts.bash_invocation(spec, command, {}, False)
    return run_argv(kind, spec, command, argv, failure)


def run_argv(kind, spec, shown, argv, failure):
    started = time.time()
    code, out, err, _ = engine.run_process(argv)
    engine.record_command(kind, spec, shown, argv, code, started, out, err)
    if code != 0:
        raise SimulatorError('{} (exit code {}): {}'.format(failure, code, err.strip()[-2000:]))
    return out


def quote_argv(argv):
    return ' '.join(shlex.quote(a) for a in argv)
