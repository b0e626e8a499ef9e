#
# The simulated hosts a sync profile names: this machine ("local") or a real host reached over ssh.
# Builds the argv that runs a bash command on one of them; never goes through a local shell.
#
import os
import shlex

# What an environment spec (from the runner's request) holds:
#   reference, name, type ('local' | 'ssh'), home (local working directory),
#   host, port, user, identityFile, knownHostsFile, strictHostKeyChecking (ssh only).


def ssh_options(spec, user=None, include_user=True):
    """ssh options (without the destination) for an ssh environment spec."""
    options = ['-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=15']
    if spec.get('port'):
        options += ['-p', str(spec['port'])]
    if spec.get('identityFile'):
        options += ['-i', spec['identityFile'], '-o', 'IdentitiesOnly=yes']
    if spec.get('knownHostsFile'):
        options += ['-o', 'UserKnownHostsFile=' + spec['knownHostsFile']]
    options += ['-o', 'StrictHostKeyChecking=' + spec.get('strictHostKeyChecking', 'accept-new')]
    login = user or (spec.get('user') if include_user else None)
    if login:
        options += ['-l', login]
    return options


def ssh_command_string(spec, user=None, include_user=True):
    """The ssh command as one string, for rsync's -e and RSYNC_RSH (rsync splits it, honouring quotes)."""
    return ' '.join(shlex.quote(part) for part in ['ssh'] + ssh_options(spec, user, include_user))


def bash_invocation(spec, command, variables, login_shell):
    """(argv, extra environment, cwd) that run `command` with bash on the environment."""
    bash = ['bash', '-l', '-c', command] if login_shell else ['bash', '-c', command]
    if spec.get('type') == 'ssh':
        # ssh hands its command line to the remote user's shell; that shell must start bash with the
        # plugin's command unchanged, and the variables as environment, so everything is quoted.
        assignments = ['{}={}'.format(name, value) for name, value in variables.items()]
        words = (['env', '--'] + assignments if assignments else []) + bash
        remote = 'exec ' + ' '.join(shlex.quote(w) for w in words)
        return ['ssh'] + ssh_options(spec) + ['--', spec['host'], remote], {}, None
    return bash, dict(variables), spec.get('home') or os.getcwd()


def describe(spec):
    if spec.get('type') == 'ssh':
        user = spec.get('user')
        port = spec.get('port')
        return 'ssh {}{}{}'.format(user + '@' if user else '', spec.get('host'), ':' + str(port) if port else '')
    return 'local'
