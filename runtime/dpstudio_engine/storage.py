#
# The engine's storage, simulated with plain folders: snapshots are rsync --link-dest copies (files
# that did not change are hard links into the previous snapshot; snapshots are never written again),
# and a VDB's data is a copy-on-write clone of a snapshot: reflinks where the filesystem has them
# (cp --reflink=always), a full copy otherwise. Never hard links: a write into a VDB would go through
# them into the snapshot.
#
import os
import shutil
import subprocess
import time

from dlpx.virtualization._engine import events, hosts

from dpstudio_engine.common import SimulatorError, quote_argv, run_argv, run_on


def copy_into_snapshot(spec, source, target, previous):
    """Copies `source` (a folder on the environment `spec`) into the local snapshot folder `target`."""
    # Content decides what is unchanged (-c), not mtimes: plugins often copy without preserving times.
    argv = ['rsync', '-rlpgoD', '--checksum', '--delete']
    if previous and os.path.isdir(previous):
        argv.append('--link-dest=' + previous)
    if spec.get('type') == 'ssh':
        argv += ['-e', hosts.ssh_command_string(spec), '{}:{}/'.format(spec['host'], source)]
    else:
        argv.append(source.rstrip('/') + '/')
    argv.append(target + '/')
    run_argv('snapshot', spec, quote_argv(argv), argv,
             'Could not copy {} into the snapshot with rsync'.format(source))


def clone(source, spec, target, known=None):
    """
    Makes `target` (a folder on environment `spec`) a clone of the local snapshot folder `source`,
    replacing what was there only once the clone is complete. Returns how it was made.
    """
    started = time.time()
    if spec.get('type') == 'ssh':
        # Another host has no view of this machine's snapshots: the data travels with rsync.
        run_on('clone', spec, 'mkdir -p "$(dirname {0})" && rm -rf {0}.cloning && mkdir {0}.cloning'.format(
            _q(target)), 'Could not prepare {} on {}'.format(target, hosts.describe(spec)))
        argv = ['rsync', '-a', '-e', hosts.ssh_command_string(spec), source.rstrip('/') + '/',
                '{}:{}.cloning/'.format(spec['host'], target)]
        run_argv('clone', spec, quote_argv(argv), argv, 'Could not copy the snapshot to {}'.format(hosts.describe(spec)))
        run_on('clone', spec, 'rm -rf {0} && mv {0}.cloning {0}'.format(_q(target)),
               'Could not put the clone in place on {}'.format(hosts.describe(spec)))
        mode = 'copy'
        how = 'a copy sent with rsync to {} (the host has no view of the snapshot)'.format(hosts.describe(spec))
    else:
        pending = target + '.cloning'
        shutil.rmtree(pending, ignore_errors=True)
        os.makedirs(os.path.dirname(pending), exist_ok=True)
        # One file tells whether this filesystem clones (cp --reflink=always on a whole tree would not stop
        # at the first failure: it would try, and fail, every file).
        mode = 'reflink' if _reflinks(source, os.path.dirname(pending)) else 'copy'
        if not _cp(['--reflink=always' if mode == 'reflink' else '--reflink=never'], source, pending):
            shutil.rmtree(pending, ignore_errors=True)
            raise SimulatorError('Could not copy the snapshot {} into {} (is the disk full?)'.format(source, target))
        trash = None
        if os.path.lexists(target):
            # The old data is moved aside, not deleted here: the VDB is usable as soon as the clone is in
            # place, and the orchestrator reclaims the space after the run (as an engine frees storage).
            trash = os.path.join(os.path.dirname(target), '.trash-{}-{}'.format(os.getpid(), int(time.time() * 1000)))
            os.rename(target, trash)
        os.rename(pending, target)
        how = ('copy-on-write reflinks (the filesystem shares blocks until either side writes)' if mode == 'reflink'
               else 'a full copy (this filesystem has no reflinks)')
    if known and isinstance(known.get('files'), int) and isinstance(known.get('bytes'), int):
        files, size = known['files'], known['bytes']
    else:
        files, size = _count(source)
    info = {'mode': mode, 'description': how, 'from': source, 'to': target, 'files': files, 'bytes': size,
            'durationMs': round((time.time() - started) * 1000)}
    if spec.get('type') != 'ssh' and trash:
        info['trash'] = trash
    events.emit('clone', **info)
    return info


def _reflinks(source, folder):
    """Whether a file of `source` can be cloned into `folder` (same filesystem, one that has reflinks)."""
    sample = None
    for root, _, names in os.walk(source):
        for name in names:
            candidate = os.path.join(root, name)
            if os.path.isfile(candidate) and not os.path.islink(candidate):
                sample = candidate
                break
        if sample:
            break
    if sample is None:
        return False
    probe = os.path.join(folder, '.reflink-probe-{}'.format(os.getpid()))
    try:
        result = subprocess.run(['cp', '--reflink=always', '--', sample, probe], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        return result.returncode == 0
    finally:
        try:
            os.unlink(probe)
        except OSError:
            pass


def _cp(options, source, target):
    os.makedirs(target, exist_ok=True)
    argv = ['cp', '-a'] + options + ['--', source.rstrip('/') + '/.', target + '/']
    result = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return result.returncode == 0


def create_empty(spec, target):
    if spec.get('type') == 'ssh':
        run_on('storage', spec, 'mkdir -p {}'.format(_q(target)), 'Could not create {} on {}'.format(
            target, hosts.describe(spec)))
    else:
        os.makedirs(target, exist_ok=True)


def ensure_folder(spec, path):
    if spec.get('type') == 'ssh':
        run_on('mount', spec, 'mkdir -p {}'.format(_q(path)), 'Could not create the mount folder {} on {}'.format(
            path, hosts.describe(spec)))
    else:
        os.makedirs(path, exist_ok=True)


def remove(spec, target):
    if spec.get('type') == 'ssh':
        run_on('storage', spec, 'rm -rf {0} {0}.cloning'.format(_q(target)), 'Could not delete {} on {}'.format(
            target, hosts.describe(spec)))
    else:
        shutil.rmtree(target, ignore_errors=True)
        shutil.rmtree(target + '.cloning', ignore_errors=True)


def _q(path):
    import shlex
    return shlex.quote(path)


def _count(root):
    files = size = 0
    for folder, _, names in os.walk(root):
        for name in names:
            try:
                size += os.lstat(os.path.join(folder, name)).st_size
                files += 1
            except OSError:
                pass
    return files, size


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
