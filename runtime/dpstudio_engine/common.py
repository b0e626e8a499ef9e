#
# What every step handler shares: how a failure is described (as the engine shows it), mount slugs,
# connections built from environment specs, and commands run and recorded on an environment.
#
import hashlib
import os
import re
import shlex
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
    path, root = os.path.realpath(path), os.path.realpath(root)
    return path == root or path.startswith(root + os.sep)


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
