#!/usr/bin/env python3
#
# Plugin Studio's simulated engine for linked-source workflows. It loads a plugin the way the engine
# does (srcDir as the import root, generated definitions first on sys.path), builds the operation
# inputs the way the engine's wrappers build them, and runs a workflow in the engine's order:
#
#   sync (STAGED)  mount_specification, mount, pre_snapshot, snapshot, post_snapshot
#   sync (DIRECT)  pre_snapshot (run_sync copies into the dSource), snapshot, post_snapshot
#   enable         mount_specification, mount, start_staging
#   disable        stop_staging
#   status         status          worker   worker          preflight   checks only, no plugin code
#
# Usage: dpstudio_sync_runner.py --request REQUEST.json (--events-fd N | --events-file FILE)
#
# The request (written by core/sync/orchestrator.ts) holds the profile's values and the sandbox paths.
# Progress goes to the event stream, one JSON object per line. A snapshot is written to the pending
# directory the request names; committing it (renaming it into place) is the orchestrator's job, after
# it has validated the snapshot definition against the plugin's schema.
#
# Mounts: the engine mounts dSource storage at the path the plugin asks for. The simulator never
# writes outside its sandbox, so a requested path outside the sandbox is backed by the sandbox folder
# mounts/<slug of the path>, and the plugin sees that folder as staged_source.mount.mount_path. A
# requested path that already lies inside the sandbox is used as it is. The folder persists between
# syncs, as the dSource's filesystem does; each snapshot is a copy of it.
#
import argparse
import hashlib
import importlib
import json
import os
import re
import select
import shlex
import signal
import stat
import sys
import threading
import time
import traceback

# Nothing is compiled next to the sources: not into the installed runtime, not into the plugin's srcDir.
sys.dont_write_bytecode = True

RUNTIME = os.path.dirname(os.path.abspath(__file__))
if RUNTIME not in sys.path:
    sys.path.insert(0, RUNTIME)

from dlpx.virtualization._engine import events, hosts  # noqa: E402
from dlpx.virtualization._engine import libs as engine  # noqa: E402

DEFAULT_ACTION = 'Contact the plugin author to correct the error.'


class StepFailed(Exception):
    """An operation or step failed; `info` is the error as the event stream reports it."""

    def __init__(self, info):
        super(StepFailed, self).__init__(info.get('message'))
        self.info = info


class SimulatorError(Exception):
    """The simulator could not do its part (mount, snapshot, ...); not the plugin's fault."""


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


def _inside(path, root):
    path, root = os.path.abspath(path), os.path.abspath(root)
    return path == root or path.startswith(root + os.sep)


def real_folder(path, root):
    """Creates `path` inside the sandbox `root` one level at a time; every level must be a real folder.

    A cloned repository can ship mounts/<slug> (or any sandbox folder) as a symbolic link; following it
    would make the sync, and rsync --delete, write wherever it points. So a link is refused, never followed.
    """
    path, root = os.path.abspath(path), os.path.abspath(root)
    if not _inside(path, root):
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


def _connection(spec):
    return {
        'environment': {
            'name': spec['name'],
            'reference': spec['reference'],
            'host': {'name': spec.get('hostName', spec['name']), 'reference': spec.get('hostReference', ''),
                     'binary_path': spec.get('binaryPath', ''), 'scratch_path': spec.get('scratchPath', '')},
        },
        'user': {'name': spec.get('userName', ''), 'reference': spec.get('userReference', '')},
    }


class Run(object):
    def __init__(self, request):
        self.request = request
        self.environments = request['environments']
        self.staging = self.environments.get('staging')
        self.source = self.environments['source']
        self.plugin = None

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

    # -- set-up ---------------------------------------------------------------------------------

    def configure_engine(self):
        specs = [spec for spec in self.environments.values() if spec]
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
        engine.configure(specs, local_extra_env=local_env,
                         dsource_dir=self.request.get('dsourceDir') if self.request.get('pluginType') == 'DIRECT' else None)
        events.emit('environments', environments=[{'name': s['name'], 'reference': s['reference'],
                                                    'host': hosts.describe(s)} for s in specs])

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

    # -- requests -------------------------------------------------------------------------------

    def linked_source(self):
        linked = self.request.get('linkedSource') or {}
        return {'guid': linked.get('guid', ''), 'parameters': linked.get('parameters', {})}

    def staged_request(self, mounts, with_source_config=True, with_parameters=False):
        staged = {
            'linked_source': self.linked_source(),
            'source_connection': _connection(self.source),
            'staged_connection': _connection(self.staging),
        }
        if len(mounts) > 1:
            staged['mounts'] = mounts
        else:
            staged['staged_mount'] = mounts[0] if mounts else {
                'remote_environment': _connection(self.staging)['environment'], 'mount_path': ''}
        request = {'staged_source': staged, 'repository': self.request.get('repository', {})}
        if with_source_config:
            request['source_config'] = self.request.get('sourceConfig', {})
        if with_parameters:
            request['snapshot_parameters'] = self.request.get('snapshotParameters')
        return request

    def direct_request(self):
        return {
            'direct_source': {'linked_source': self.linked_source(), 'connection': _connection(self.source)},
            'repository': self.request.get('repository', {}),
            'source_config': self.request.get('sourceConfig', {}),
            'snapshot_parameters': self.request.get('snapshotParameters'),
        }

    # -- mounts ---------------------------------------------------------------------------------

    def environment_by_reference(self, reference):
        for spec in self.environments.values():
            if spec and spec['reference'] == reference:
                return spec
        return None

    def mount_specification(self):
        response = self.step('linked.mount_specification()',
                             lambda: self.plugin.linked._internal_mount_specification(
                                 self.staged_request([], with_source_config=False)))
        value = response['return_value']
        return ([value['staged_mount']] if 'staged_mount' in value else value['mounts']), value.get('ownership_spec')

    def mount(self, requested, ownership):
        def attach():
            backed = []
            for message in requested:
                path = message['mount_path']
                reference = message['remote_environment']['reference']
                spec = self.environment_by_reference(reference)
                if spec is None:
                    raise SimulatorError("The mount at '{}' names environment '{}', which is not one of the sync"
                                         " profile's environments ({}).".format(
                                             path, reference, ', '.join(s['reference'] for s in self.environments.values() if s)))
                if not path or not path.startswith('/'):
                    raise SimulatorError("The mount path '{}' is not an absolute path; the engine mounts only at"
                                         " absolute paths.".format(path))
                name = slug(path)
                if spec.get('type') == 'ssh':
                    actual = '{}/dpstudio-mounts/{}/{}'.format(spec.get('scratchPath', '/tmp').rstrip('/'),
                                                               self.request.get('profileName', 'profile'), name)
                    argv, _, _ = hosts.bash_invocation(spec, 'mkdir -p ' + shlex.quote(actual), {}, False)
                    started = time.time()
                    code, out, err, _ = engine.run_process(argv)
                    engine.record_command('mount', spec, 'mkdir -p ' + actual, argv, code, started, out, err)
                    if code != 0:
                        raise SimulatorError('Could not create the mount folder {} on {}: {}'.format(
                            actual, hosts.describe(spec), err.strip()))
                elif _inside(path, self.request['sandbox']):
                    actual = real_folder(path, self.request['sandbox'])
                elif _inside(path, os.path.realpath(self.request['sandbox'])):
                    actual = real_folder(path, os.path.realpath(self.request['sandbox']))
                else:
                    actual = real_folder(os.path.join(self.request['mountsDir'], name), self.request['sandbox'])
                events.emit('mount', requested=path, path=actual, environment=spec['name'], slug=name,
                            mapped=actual != path, sharedPath=message.get('shared_path') or None,
                            ownership=ownership)
                backed.append({'message': dict(message, mount_path=actual), 'spec': spec, 'slug': name,
                               'requested': path, 'path': actual})
            self.save_state({'mounts': [{'message': b['message'], 'slug': b['slug'], 'requested': b['requested'],
                                         'reference': b['spec']['reference']} for b in backed]})
            return backed

        return self.step('mount', attach, kind='step')

    def known_mounts(self):
        state = self.load_state()
        mounts = state.get('mounts') or []
        if mounts and all(self.environment_by_reference(m['reference']) for m in mounts):
            return [dict(m, spec=self.environment_by_reference(m['reference']), path=m['message']['mount_path'])
                    for m in mounts]
        return None

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

    # -- snapshots ------------------------------------------------------------------------------

    def snapshot(self, backed):
        snapshot = self.request['snapshot']
        pending, previous = snapshot['pendingDir'], snapshot.get('previousDir')

        def take():
            data = real_folder(os.path.join(pending, 'data'), self.request['sandbox'])
            for mount in backed:
                target = os.path.join(data, mount['slug'])
                # Content decides what is unchanged (-c), not mtimes: plugins often copy without
                # preserving times. Unchanged files are hard links into the previous snapshot.
                argv = ['rsync', '-rlpgoD', '--checksum', '--delete']
                earlier = os.path.join(previous, 'data', mount['slug']) if previous else None
                if earlier and os.path.isdir(earlier):
                    argv.append('--link-dest=' + earlier)
                spec = mount['spec']
                if spec.get('type') == 'ssh':
                    argv += ['-e', hosts.ssh_command_string(spec), '{}:{}/'.format(spec['host'], mount['path'])]
                else:
                    argv.append(mount['path'].rstrip('/') + '/')
                argv.append(target + '/')
                started = time.time()
                code, out, err, _ = engine.run_process(argv)
                engine.record_command('snapshot', spec, ' '.join(shlex.quote(a) for a in argv), argv, code, started,
                                      out, err)
                if code != 0:
                    raise SimulatorError('Could not copy the mount {} into the snapshot (rsync exit code {}): {}'.format(
                        mount['path'], code, err.strip()[-2000:]))
            stats = compare_trees(os.path.join(previous, 'data') if previous else None, data)
            events.emit('snapshot.data', id=snapshot['id'], pendingDir=pending, stats=stats)
            return stats

        return self.step('snapshot', take, kind='step')

    def write_snapshot_metadata(self, definition, stats, backed):
        snapshot = self.request['snapshot']
        metadata = {
            'id': snapshot['id'],
            'created': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
            'profile': self.request.get('profileName'),
            'syncKind': self.request.get('syncKind'),
            'snapshotParameters': self.request.get('snapshotParameters'),
            'snapshotDefinition': definition,
            'mounts': [{'requested': b['requested'], 'path': b['path'], 'data': 'data/' + b['slug']} for b in backed],
            'stats': stats,
        }
        with open(os.path.join(snapshot['pendingDir'], 'snapshot.json'), 'w', encoding='utf-8') as f:
            json.dump(metadata, f, indent=2)
        events.emit('snapshot.pending', id=snapshot['id'], pendingDir=snapshot['pendingDir'], metadata=metadata)

    # -- workflows ------------------------------------------------------------------------------

    def staged_sync(self):
        linked = self.plugin.linked
        requested, ownership = self.mount_specification()
        backed = self.mount(requested, ownership)
        request = self.staged_request([b['message'] for b in backed], with_parameters=True)
        if linked.pre_snapshot_impl:
            self.step('linked.pre_snapshot()', lambda: linked._internal_staged_pre_snapshot(request))
        else:
            events.emit('note', message='linked.pre_snapshot() is not implemented; the engine skips it.')
        stats = self.snapshot(backed)
        response = self.step('linked.post_snapshot()', lambda: linked._internal_staged_post_snapshot(request))
        self.write_snapshot_metadata(response['return_value']['snapshot'], stats, backed)
        return {'snapshotId': self.request['snapshot']['id']}

    def direct_sync(self):
        linked = self.plugin.linked
        request = self.direct_request()
        real_folder(self.request['dsourceDir'], self.request['sandbox'])
        if linked.pre_snapshot_impl:
            self.step('linked.pre_snapshot()', lambda: linked._internal_direct_pre_snapshot(request))
        else:
            events.emit('note', message='linked.pre_snapshot() is not implemented; the engine skips it.')
        backed = [{'spec': {'name': 'engine', 'type': 'local'}, 'slug': 'dsource', 'path': self.request['dsourceDir'],
                   'requested': '(dSource storage)'}]
        stats = self.snapshot(backed)
        response = self.step('linked.post_snapshot()', lambda: linked._internal_direct_post_snapshot(request))
        self.write_snapshot_metadata(response['return_value']['snapshot'], stats, backed)
        return {'snapshotId': self.request['snapshot']['id']}

    def enable(self):
        requested, ownership = self.mount_specification()
        backed = self.mount(requested, ownership)
        request = self.staged_request([b['message'] for b in backed])
        if self.plugin.linked.start_staging_impl:
            self.step('linked.start_staging()', lambda: self.plugin.linked._internal_start_staging(request))
        else:
            events.emit('note', message='linked.start_staging() is not implemented; nothing more to do.')
        self.save_state({'enabled': True})
        return {'enabled': True}

    def mounted_request(self):
        mounts = self.known_mounts()
        if mounts is None:
            requested, ownership = self.mount_specification()
            mounts = self.mount(requested, ownership)
        return self.staged_request([m['message'] for m in mounts])

    def disable(self):
        request = self.mounted_request()
        if self.plugin.linked.stop_staging_impl:
            self.step('linked.stop_staging()', lambda: self.plugin.linked._internal_stop_staging(request))
        else:
            events.emit('note', message='linked.stop_staging() is not implemented; nothing more to do.')
        self.save_state({'enabled': False})
        return {'enabled': False}

    def status(self):
        if not self.plugin.linked.status_impl:
            events.emit('note', message='linked.status() is not implemented; the engine assumes ACTIVE.')
            return {'status': 'ACTIVE', 'implemented': False}
        request = self.mounted_request()
        response = self.step('linked.status()', lambda: self.plugin.linked._internal_status(request))
        return {'status': response['return_value']['status'], 'implemented': True}

    def worker(self):
        if not self.plugin.linked.worker_impl:
            events.emit('note', message='linked.worker() is not implemented; nothing to run.')
            return {'implemented': False}
        request = self.mounted_request()
        self.step('linked.worker()', lambda: self.plugin.linked._internal_worker(request))
        return {'implemented': True}

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
                if workflow == 'sync':
                    result = self.direct_sync() if self.request.get('pluginType') == 'DIRECT' else self.staged_sync()
                else:
                    result = {'enable': self.enable, 'disable': self.disable, 'status': self.status,
                              'worker': self.worker}[workflow]()
        except StepFailed as failed:
            events.emit('error', **failed.info)
            events.emit('run.end', ok=False, durationMs=round((time.time() - started) * 1000))
            return 1
        except SimulatorError as e:
            events.emit('error', **describe_error('the run', e))
            events.emit('run.end', ok=False, durationMs=round((time.time() - started) * 1000))
            return 1
        events.emit('result', workflow=workflow, **result)
        events.emit('run.end', ok=True, durationMs=round((time.time() - started) * 1000))
        return 0


def compare_trees(before, after):
    """What changed from the previous snapshot to this one: hard links mark unchanged files."""
    def walk(root):
        files = {}
        if not root or not os.path.isdir(root):
            return files
        for folder, _, names in os.walk(root):
            for name in names:
                full = os.path.join(folder, name)
                try:
                    st = os.lstat(full)
                except OSError:
                    continue
                files[os.path.relpath(full, root)] = (st.st_ino, st.st_dev, st.st_size)
        return files

    old, new = walk(before), walk(after)
    added = sorted(p for p in new if p not in old)
    changed = sorted(p for p in new if p in old and new[p][:2] != old[p][:2])
    deleted = sorted(p for p in old if p not in new)
    return {
        'files': len(new),
        'bytes': sum(v[2] for v in new.values()),
        'added': len(added),
        'changed': len(changed),
        'deleted': len(deleted),
        'unchanged': len(new) - len(added) - len(changed),
        'copiedBytes': sum(new[p][2] for p in added + changed),
        'addedPaths': added[:200],
        'changedPaths': changed[:200],
        'deletedPaths': deleted[:200],
    }


def main(argv):
    parser = argparse.ArgumentParser(description='Plugin Studio simulated sync runner')
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
