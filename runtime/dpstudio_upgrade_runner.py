#!/usr/bin/env python3
#
# Plugin Studio's simulated engine for plugin upgrades: loads the new version of a plugin the way the
# engine does, and runs its data migrations on objects saved under the installed (baseline) version,
# in the engine's order (sdk-spec 4.5): for each object type, the Lua migrations whose version is >=
# the request's luaUpgradeVersion (sorted as floats), then the platform migrations the baseline lacks
# (sorted numerically). Each migration gets the dict the previous one returned.
#
# Data migrations cannot reach remote hosts; libs.upgrade_password is the only library call allowed.
# Any other library call fails the object, even if the migration catches the error, as the upgrade
# fails on the engine.
#
# Usage: dpstudio_upgrade_runner.py --request REQUEST.json --result RESULT.json
#
# The request (written by core/upgrade/runUpgrade.ts) names srcDir, the generated definitions' root,
# the entry point, the baseline's migration ids and the objects per type. The result holds, per object,
# each migration run with what it changed, the final dict, or the failure with the plugin's traceback.
#
import argparse
import contextlib
import copy
import importlib
import io
import json
import os
import sys
import traceback

sys.dont_write_bytecode = True

RUNTIME = os.path.dirname(os.path.abspath(__file__))
if RUNTIME not in sys.path:
    sys.path.insert(0, RUNTIME)

KINDS = ('repository', 'source_config', 'linked_source', 'virtual_source', 'snapshot')
FORBIDDEN = ('run_bash', 'run_sync', 'run_powershell', 'run_expect', 'retrieve_credentials')


def plugin_traceback(exc):
    summary = traceback.TracebackException.from_exception(exc)
    kept = [f for f in summary.stack if not f.filename.startswith(RUNTIME + os.sep)]
    summary.stack = traceback.StackSummary.from_list(kept)
    return ''.join(summary.format())


OUTPUT_CAP = 8 * 1024


class Guard(object):
    """The library calls a migration made that the engine refuses, with where they were made, and what it
    logged (the platform logger) or printed: the SDK docs' way of debugging a migration, kept per step."""

    def __init__(self):
        self.calls = []
        self.logs = []

    def install(self):
        from dlpx.virtualization._engine import libs as engine

        def log(request):
            self.logs.append('{}: {}'.format(request.get('level', 'INFO'), request.get('message', '')))
            return {'return_value': {}}

        engine.log = log
        self.install_forbidden()

    def install_forbidden(self):
        from dlpx.virtualization import libs as package
        from dlpx.virtualization.libs import libs as module
        from dlpx.virtualization.libs.exceptions import LibraryError

        def forbidden(name):
            def call(*args, **kwargs):
                stack = [f for f in traceback.extract_stack()[:-1] if not f.filename.startswith(RUNTIME + os.sep)]
                where = stack[-1] if stack else None
                self.calls.append({'function': name, 'file': where.filename if where else '',
                                   'line': where.lineno if where else 0})
                raise LibraryError('exception.upgrade.library.forbidden',
                                   'Data migrations cannot call platform library functions: {} is not allowed'
                                   ' (only libs.upgrade_password is).'.format(name))
            call.__name__ = name
            return call

        for name in FORBIDDEN:
            setattr(module, name, forbidden(name))
            setattr(package, name, forbidden(name))


def output_of(logs, printed):
    text = '\n'.join(logs + ([printed.rstrip('\n')] if printed.strip() else []))
    return text if len(text) <= OUTPUT_CAP else text[:OUTPUT_CAP] + '\n... ({} more characters)'.format(len(text) - OUTPUT_CAP)


def changes(before, after):
    """Top-level keys added, removed and changed (the values stay here; the caller masks and prints)."""
    if not isinstance(before, dict) or not isinstance(after, dict):
        return {'replaced': True}
    return {
        'added': sorted(k for k in after if k not in before),
        'removed': sorted(k for k in before if k not in after),
        'changed': sorted(k for k in after if k in before and after[k] != before[k]),
        'before': {k: before[k] for k in before if k not in after or after[k] != before[k]},
        'after': {k: after[k] for k in after if k not in before or after[k] != before[k]},
    }


def load_plugin(request):
    for path in (request['srcDir'], request['generatedRoot']):
        if path in sys.path:
            sys.path.remove(path)
    sys.path[0:0] = [request['generatedRoot'], request['srcDir']]
    module_name, _, symbol = request['entryPoint'].partition(':')
    module = importlib.import_module(module_name)
    plugin = getattr(module, symbol, None)
    if plugin is None:
        raise RuntimeError("Entry point '{}' does not exist: '{}' is not a plugin object in module '{}'.".format(
            request['entryPoint'], symbol, module_name))
    return plugin


def plan(plugin, request):
    upgrade = plugin.upgrade
    baseline = set(request.get('baselineMigrationIds') or [])
    platform_ids = [i for i in upgrade.migration_id_list if i not in baseline]
    lua_version = request.get('luaUpgradeVersion')
    out = {}
    for kind in KINDS:
        steps = []
        if lua_version:
            impls = upgrade.lua_migrations._impls[kind]
            for key in sorted((k for k in impls if float(k) >= float(lua_version)), key=float):
                steps.append({'id': key, 'type': 'LUA', 'fn': impls[key]})
        impls = upgrade.platform_migrations._impls[kind]
        for key in platform_ids:
            if key in impls:
                steps.append({'id': key, 'type': 'PLATFORM', 'fn': impls[key]})
        out[kind] = steps
    return out, platform_ids


def run_object(steps, value, guard):
    current = value
    ran = []
    for step in steps:
        fn = step['fn']
        record = {'id': step['id'], 'type': step['type'], 'function': fn.__name__,
                  'file': getattr(getattr(fn, '__code__', None), 'co_filename', ''),
                  'line': getattr(getattr(fn, '__code__', None), 'co_firstlineno', 0)}
        before = copy.deepcopy(current)
        guard.calls = []
        guard.logs = []
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
                result = fn(current)
        except BaseException as exc:  # SystemExit too
            if isinstance(exc, KeyboardInterrupt):
                raise
            record['error'] = {'kind': type(exc).__name__, 'message': str(exc), 'traceback': plugin_traceback(exc),
                               'forbidden': list(guard.calls)}
            record['output'] = output_of(guard.logs, printed.getvalue())
            ran.append(record)
            return ran, None
        record['output'] = output_of(guard.logs, printed.getvalue())
        if guard.calls:
            record['error'] = {'kind': 'ForbiddenLibraryCall', 'message': 'the migration caught the error of a forbidden call',
                               'traceback': '', 'forbidden': list(guard.calls)}
            ran.append(record)
            return ran, None
        if not isinstance(result, dict):
            record['error'] = {'kind': 'NotADict', 'message': 'returned {} ({}), not a dict'.format(
                type(result).__name__, repr(result)[:200]), 'traceback': '', 'forbidden': []}
            ran.append(record)
            return ran, None
        try:
            json.dumps(result)
        except (TypeError, ValueError) as exc:
            record['error'] = {'kind': 'NotJson', 'message': 'returned a dict the engine cannot store as JSON: {}'.format(exc),
                               'traceback': '', 'forbidden': []}
            ran.append(record)
            return ran, None
        record['changes'] = changes(before, result)
        ran.append(record)
        current = result
    return ran, current


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--request', required=True)
    parser.add_argument('--result', required=True)
    args = parser.parse_args()
    with open(args.request, encoding='utf-8') as f:
        request = json.load(f)
    result = {'objects': []}
    guard = Guard()
    try:
        guard.install()
        plugin = load_plugin(request)
        steps, platform_ids = plan(plugin, request)
        result['migrationIds'] = platform_ids
        result['allMigrationIds'] = list(plugin.upgrade.migration_id_list)
        result['steps'] = {k: [{'id': s['id'], 'type': s['type'], 'function': s['fn'].__name__} for s in v] for k, v in steps.items()}
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        result['loadError'] = {'kind': type(exc).__name__, 'message': str(exc), 'traceback': plugin_traceback(exc)}
        steps = None
    if steps is not None:
        for item in request['objects']:
            ran, output = run_object(steps[item['kind']], json.loads(item['json']), guard)
            entry = {'kind': item['kind'], 'index': item['index'], 'ran': ran}
            if output is not None:
                entry['output'] = output
            result['objects'].append(entry)
    tmp = args.result + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump(result, f, default=repr)
    os.replace(tmp, args.result)


if __name__ == '__main__':
    main()
