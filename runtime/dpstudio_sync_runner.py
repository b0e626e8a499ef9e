#!/usr/bin/env python3
#
# Plugin Studio's simulated engine. It loads a plugin the way the engine does (srcDir as the import
# root, generated definitions first on sys.path), builds the operation inputs the way the engine's
# wrappers build them, and runs one workflow: the request lists its steps, in the engine's order
# (core/lifecycle/workflows.ts holds them as data), and one loop here runs any of them:
#
#   - an operation step calls the plugin operation; a required one the plugin lacks stops the run
#     before any step runs, an optional one is skipped with a note, as the engine skips it;
#   - an engine step is the simulated engine's own work (mount, snapshot, clone, ...);
#   - `when` runs a step only when an earlier one allows it; `each` runs it once per found item.
#
# The handlers live in dpstudio_engine/ (linked.py, virtual.py, discovery.py; storage.py for mounts,
# snapshots and clones). `preflight` runs checks only, no plugin code.
#
# Usage: dpstudio_sync_runner.py --request REQUEST.json (--events-fd N | --events-file FILE)
#
# The request (written by core/sync/orchestrator.ts) holds the profile's values, the object's record
# and the sandbox paths. Progress goes to the event stream, one JSON object per line. Snapshots are
# written to the pending directory the request names; committing them (renaming into place) and
# keeping objects' state is the orchestrator's job, after it has checked what the plugin returned
# against the plugin's schema.
#
import argparse
import importlib
import json
import os
import select
import shlex
import signal
import sys
import threading
import time

# Nothing is compiled next to the sources: not into the installed runtime, not into the plugin's srcDir.
sys.dont_write_bytecode = True

RUNTIME = os.path.dirname(os.path.abspath(__file__))
if RUNTIME not in sys.path:
    sys.path.insert(0, RUNTIME)

from dlpx.virtualization._engine import events, hosts  # noqa: E402
from dlpx.virtualization._engine import libs as engine  # noqa: E402

from dpstudio_engine import discovery, linked, virtual  # noqa: E402
from dpstudio_engine.common import (SimulatorError, StepFailed, describe_error,  # noqa: E402
                                    DEFAULT_ACTION)

OPERATIONS = dict(linked.OPERATIONS, **virtual.OPERATIONS)
OPERATIONS.update(discovery.OPERATIONS)
ENGINE_STEPS = dict(linked.STEPS, **virtual.STEPS)

__all__ = ['DEFAULT_ACTION', 'main']


def watch_parent(events_fd, interval=0.2):
    """Ends this run, and every command it started, when the orchestrator that reads its events is gone.

    The orchestrator starts the runner in a process group of its own, so that a cancel reaches every
    command the plugin started; so neither the terminal's signals nor a dying parent reach us. When the
    parent ends without stopping us (SIGKILL, a crash), nobody reads our events or commits our snapshot,
    and we would go on writing into the sandbox beside the next run. The parent is gone when our parent
    pid changes (we were re-parented) or the reading end of the event pipe is closed (POLLERR).
    SIGKILL to our own group, not SIGTERM: a plugin's command may ignore SIGTERM, and there is nobody
    left to report a graceful end to; the next run removes the pending snapshot we leave behind.
    """
    parent = os.getppid()
    poller = None
    if hasattr(select, 'poll'):
        poller = select.poll()
        poller.register(events_fd, 0)  # POLLERR and POLLHUP are reported whatever the mask

    def gone():
        if os.getppid() != parent:
            return True
        return poller is not None and any(
            ev & (select.POLLERR | select.POLLHUP | select.POLLNVAL) for _, ev in poller.poll(0))

    def watch():
        while not gone():
            time.sleep(interval)
        if os.getpgrp() == os.getpid():
            os.killpg(os.getpid(), signal.SIGKILL)
        os._exit(70)

    threading.Thread(target=watch, name='dpstudio-parent-watchdog', daemon=True).start()


class Run(object):
    def __init__(self, request):
        self.request = request
        self.environments = request['environments']
        self.staging = self.environments.get('staging')
        self.source = self.environments.get('source')
        self.plugin = None
        self.values = {}

    # -- steps ----------------------------------------------------------------------------------

    def step(self, name, call, kind='operation'):
        events.emit('step.start', name=name, kind=kind)
        engine.config.operation = name
        started = time.time()
        try:
            result = call()
        except BaseException as exc:  # SystemExit too: a non-actionable library error ends the operation
            if isinstance(exc, KeyboardInterrupt):
                raise
            events.emit('step.end', name=name, kind=kind, ok=False, durationMs=round((time.time() - started) * 1000))
            raise StepFailed(describe_error(name, exc))
        finally:
            engine.config.operation = None
        events.emit('step.end', name=name, kind=kind, ok=True, durationMs=round((time.time() - started) * 1000))
        return result

    def implemented(self, op):
        kind, _, method = op.partition('.')
        return bool(getattr(getattr(self.plugin, kind), method + '_impl', None))

    def holds(self, condition):
        if not condition:
            return True
        if condition == 'inactive':
            return self.values.get('pluginStatus', 'INACTIVE') == 'INACTIVE'
        if condition.startswith('implemented:'):
            return self.implemented(condition.split(':', 1)[1])
        raise SimulatorError('Unknown step condition {!r}.'.format(condition))

    def run_steps(self, steps):
        title = self.request.get('workflowTitle') or self.request['workflow']
        missing = [s['op'] for s in steps if s.get('op') and s.get('required') and not self.implemented(s['op'])]
        if missing:
            names = ', '.join('{}()'.format(m) for m in missing)
            raise StepFailed({
                'kind': 'OperationNotDefinedError', 'step': title,
                'message': '{} needs {}, which the plugin does not implement; nothing was run.'.format(title, names),
                'action': 'Implement {} in the plugin (decorate a function with @plugin.{}) and run {} again.'.format(
                    names, missing[0] + '()', title),
                'actionGiven': True, 'output': '', 'outputGiven': True, 'traceback': ''})
        for s in steps:
            if not self.holds(s.get('when')):
                continue
            if s.get('op'):
                name = s['op'] + '()'
                if not self.implemented(s['op']):
                    events.emit('note', message=s.get('skipped') or '{} is not implemented; the engine skips it.'.format(name))
                    continue
                handler = OPERATIONS[s['op']]
                if s.get('each'):
                    for item in discovery.items(self, s['each']):
                        handler(self, name, item)
                else:
                    handler(self, name)
            else:
                ENGINE_STEPS[s['step']](self, s.get('name') or s['step'])

    # -- set-up ---------------------------------------------------------------------------------

    def specs(self):
        return [spec for spec in self.environments.values() if spec]

    def environment_by_reference(self, reference):
        for spec in self.specs():
            if spec['reference'] == reference:
                return spec
        return None

    def configure_engine(self):
        specs = self.specs()
        local_env = {}
        source = self.source
        if source.get('type') == 'ssh':
            # rsync on a local staging host reaches the source with the profile's ssh settings; the
            # user comes from the plugin's own user@host, so it is left out here.
            local_env['RSYNC_RSH'] = hosts.ssh_command_string(source, include_user=False)
        else:
            rsh = [sys.executable, os.path.join(RUNTIME, 'bin', 'dpstudio-local-rsh')]
            local_env['RSYNC_RSH'] = ' '.join(shlex.quote(p) for p in rsh)
            local_env['DPSTUDIO_LOCAL_HOSTS'] = ' '.join(source.get('localAliases') or ['localhost', '127.0.0.1'])
            local_env['DPSTUDIO_LOCAL_HOME'] = source.get('home', '')
        unique = list({spec['reference']: spec for spec in specs}.values())
        engine.configure(unique, local_extra_env=local_env,
                         dsource_dir=self.request.get('dsourceDir') if self.request.get('pluginType') == 'DIRECT' else None)
        events.emit('environments', environments=[{'name': s['name'], 'reference': s['reference'],
                                                    'host': hosts.describe(s)} for s in unique])

    def load_plugin(self):
        entry = self.request['entryPoint']
        module_name, _, symbol = entry.partition(':')

        def load():
            # srcDir is the import root on the engine; generated definitions come before it, as the
            # build writes them into srcDir.
            for path in (self.request['srcDir'], self.request['generatedRoot']):
                if path in sys.path:
                    sys.path.remove(path)
            sys.path[0:0] = [self.request['generatedRoot'], self.request['srcDir']]
            module = importlib.import_module(module_name)
            if not hasattr(module, symbol):
                raise SimulatorError("Entry point '{}' does not exist. '{}' is not a symbol in module '{}'.".format(
                    entry, symbol, module_name))
            plugin = getattr(module, symbol)
            if plugin is None:
                raise SimulatorError('Plugin object retrieved from the entry point {} is None'.format(symbol))
            return plugin

        self.plugin = self.step('import {}'.format(entry), load, kind='step')

    # -- the dSource's state between runs (its mounts, enabled or not) ---------------------------

    def load_state(self):
        try:
            with open(self.request['stateFile'], encoding='utf-8') as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def save_state(self, changes):
        state = self.load_state()
        state.update(changes)
        tmp = self.request['stateFile'] + '.tmp'
        with open(tmp, 'w', encoding='utf-8') as f:
            json.dump(state, f, indent=2)
        os.replace(tmp, self.request['stateFile'])

    # -- checks ---------------------------------------------------------------------------------

    def preflight(self):
        """Checks on the profile's hosts that need no plugin code (the source folder exists)."""
        folder = self.request.get('sourceFolder')
        checks = []
        if folder:
            spec = self.source
            argv, extra, cwd = hosts.bash_invocation(spec, 'test -d "$DPSTUDIO_FOLDER"', {'DPSTUDIO_FOLDER': folder},
                                                     False)
            env = dict(os.environ)
            env.update(extra)
            started = time.time()
            code, out, err, _ = engine.run_process(argv, env=env, cwd=cwd if cwd and os.path.isdir(cwd) else None)
            engine.record_command('preflight', spec, 'test -d ' + shlex.quote(folder), argv, code, started, out, err)
            checks.append({'check': 'sourceFolder', 'ok': code == 0, 'folder': folder, 'host': hosts.describe(spec),
                           'detail': err.strip() if code not in (0, 1) else ''})
        return {'checks': checks}

    def result(self, workflow):
        if self.request.get('vdb'):
            return virtual.result(self, workflow)
        if workflow == 'discovery':
            return discovery.result(self, workflow)
        return linked.result(self, workflow)

    def execute(self):
        workflow = self.request['workflow']
        events.emit('run.start', workflow=workflow, pluginType=self.request.get('pluginType'),
                    python=sys.version.split()[0], pid=os.getpid())
        started = time.time()
        try:
            self.configure_engine()
            if workflow == 'preflight':
                result = self.preflight()
            else:
                self.load_plugin()
                if self.request.get('vdb'):
                    virtual.mounts_from_record(self)
                self.run_steps(self.request['steps'])
                result = self.result(workflow)
        except StepFailed as failed:
            events.emit('error', **failed.info)
            events.emit('run.end', ok=False, durationMs=round((time.time() - started) * 1000))
            return 1
        except SimulatorError as exc:
            events.emit('error', **describe_error('the run', exc))
            events.emit('run.end', ok=False, durationMs=round((time.time() - started) * 1000))
            return 1
        events.emit('result', workflow=workflow, **result)
        events.emit('run.end', ok=True, durationMs=round((time.time() - started) * 1000))
        return 0


def main(argv):
    parser = argparse.ArgumentParser(description='Plugin Studio simulated engine runner')
    parser.add_argument('--request', required=True)
    parser.add_argument('--events-fd', type=int)
    parser.add_argument('--events-file')
    options = parser.parse_args(argv)
    if options.events_fd is not None:
        watch_parent(options.events_fd)
    events.open_stream(fd=options.events_fd, path=options.events_file)
    try:
        with open(options.request, encoding='utf-8') as f:
            request = json.load(f)
    except (OSError, ValueError) as e:
        events.emit('error', kind='SimulatorError', step='start', message='Cannot read the run request {}: {}'.format(
            options.request, e), action='', actionGiven=False, output='', outputGiven=False, traceback='')
        events.emit('run.end', ok=False, durationMs=0)
        return 2
    return Run(request).execute()


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
