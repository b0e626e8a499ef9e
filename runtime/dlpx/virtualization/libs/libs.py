#
# The library calls plugin code makes: argument checks with the SDK's messages, then a request to the
# engine (here `dlpx.virtualization._engine.libs`, the simulator), then the SDK's response handling.
#
import logging
import sys

from dlpx.virtualization.common._common_classes import (KeyPairCredentials, PasswordCredentials,
                                                        RemoteConnection)
from dlpx.virtualization.libs.exceptions import (IncorrectArgumentTypeError, LibraryError,
                                                 PluginScriptError)

__all__ = [
    "run_bash",
    "run_sync",
    "run_powershell",
    "run_expect",
    "retrieve_credentials",
    "upgrade_password",
]


class CommandResult(object):
    """What run_bash, run_powershell and run_expect return: exit_code, stdout, stderr."""

    def __init__(self, exit_code, stdout, stderr):
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    def __repr__(self):
        return 'exit_code: {}\nstdout: {!r}\nstderr: {!r}'.format(self.exit_code, self.stdout, self.stderr)


def _engine():
    # Resolved at call time, as in the SDK, where the engine injects this module.
    from dlpx.virtualization._engine import libs as internal_libs
    return internal_libs


def _handle_response(response):
    error = response.get('error')
    if error:
        actionable = error.get('actionable_error')
        if actionable:
            raise LibraryError(actionable.get('id'), actionable.get('message'))
        # Nothing the plugin can do: the operation ends at once.
        sys.exit()
    return response.get('return_value')


def _check_exit_code(response, check):
    value = response.get('return_value')
    if check and value is not None and value['exit_code'] != 0:
        raise PluginScriptError('The script failed with exit code {}. stdout : {} and  stderr : {}'.format(
            value['exit_code'], value['stdout'], value['stderr']))


def _check_connection(function_name, remote_connection):
    if not isinstance(remote_connection, RemoteConnection):
        raise IncorrectArgumentTypeError('remote_connection', type(remote_connection), RemoteConnection,
                                         function_name=function_name)


def _check_command(function_name, command):
    if not isinstance(command, str):
        raise IncorrectArgumentTypeError('command', type(command), str, function_name=function_name)


def _check_variables(function_name, variables):
    if variables and not isinstance(variables, dict):
        raise IncorrectArgumentTypeError('variables', type(variables), {str: str}, False,
                                         function_name=function_name)
    if variables and (not all(isinstance(k, str) for k in variables.keys())
                      or not all(isinstance(v, str) for v in variables.values())):
        raise IncorrectArgumentTypeError('variables', {(type(k), type(v)) for k, v in variables.items()},
                                         {str: str}, False, function_name=function_name)


def _check_string_list(function_name, name, value):
    if value and not isinstance(value, list):
        raise IncorrectArgumentTypeError(name, type(value), [str], False, function_name=function_name)
    if value and not all(isinstance(item, str) for item in value):
        raise IncorrectArgumentTypeError(name, [type(item) for item in value], [str], False,
                                         function_name=function_name)


def _as_result(value):
    return CommandResult(value['exit_code'], value['stdout'], value['stderr'])


def run_bash(remote_connection, command, variables=None, use_login_shell=False, check=False):
    """Run `command` with bash on the environment of `remote_connection`."""
    if variables is None:
        variables = {}
    _check_connection('run_bash', remote_connection)
    _check_command('run_bash', command)
    _check_variables('run_bash', variables)
    if use_login_shell and not isinstance(use_login_shell, bool):
        raise IncorrectArgumentTypeError('use_login_shell', type(use_login_shell), bool, False)
    response = _engine().run_bash({
        'remote_connection': remote_connection.to_proto(),
        'command': command,
        'use_login_shell': bool(use_login_shell),
        'variables': dict(variables),
    })
    _check_exit_code(response, check)
    return _as_result(_handle_response(response))


def run_sync(remote_connection, source_directory, rsync_user=None, exclude_paths=None, sym_links_to_follow=None):
    """Copy `source_directory` of the connection's environment into the dSource (DIRECT plugins)."""
    _check_connection('run_sync', remote_connection)
    if not isinstance(source_directory, str):
        raise IncorrectArgumentTypeError('source_directory', type(source_directory), str)
    if rsync_user and not isinstance(rsync_user, str):
        raise IncorrectArgumentTypeError('rsync_user', type(rsync_user), str, False)
    _check_string_list('run_sync', 'exclude_paths', exclude_paths)
    _check_string_list('run_sync', 'sym_links_to_follow', sym_links_to_follow)
    response = _engine().run_sync({
        'remote_connection': remote_connection.to_proto(),
        'source_directory': source_directory,
        'rsync_user': rsync_user or '',
        'exclude_paths': list(exclude_paths or []),
        'sym_links_to_follow': list(sym_links_to_follow or []),
    })
    _handle_response(response)


def run_powershell(remote_connection, command, variables=None, check=False):
    """Windows only; the simulator answers with a LibraryError that says so."""
    if variables is None:
        variables = {}
    _check_connection('run_powershell', remote_connection)
    _check_command('run_powershell', command)
    _check_variables('run_powershell', variables)
    response = _engine().run_powershell({'remote_connection': remote_connection.to_proto(), 'command': command,
                                         'variables': dict(variables)})
    _check_exit_code(response, check)
    return _as_result(_handle_response(response))


def run_expect(remote_connection, command, variables=None, check=False):
    """Tcl expect scripts; the simulator answers with a LibraryError that says it does not run them."""
    if variables is None:
        variables = {}
    _check_connection('run_expect', remote_connection)
    _check_command('run_expect', command)
    _check_variables('run_expect', variables)
    response = _engine().run_expect({'remote_connection': remote_connection.to_proto(), 'command': command,
                                     'variables': dict(variables)})
    _check_exit_code(response, check)
    return _as_result(_handle_response(response))


def retrieve_credentials(credentials_supplier):
    """The credentials behind a credentials-supplier object from the operation's parameters."""
    if not isinstance(credentials_supplier, dict):
        raise IncorrectArgumentTypeError('credentials_supplier', type(credentials_supplier), dict)
    result = _handle_response(_engine().retrieve_credentials({'credentials_supplier': credentials_supplier}))
    if result.get('private_key') or result.get('public_key'):
        return KeyPairCredentials(result.get('username', ''), result.get('private_key', ''),
                                  result.get('public_key', ''))
    return PasswordCredentials(result.get('username', ''), result.get('password', ''))


def upgrade_password(password, username=None):
    """A passwordCredentialsSupplier dict for a plain password (data migrations only)."""
    if not isinstance(password, str):
        raise IncorrectArgumentTypeError('password', type(password), str)
    if username and not isinstance(username, str):
        raise IncorrectArgumentTypeError('username', type(username), str, False)
    return _handle_response(_engine().upgrade_password({'password': password, 'username': username or ''}))


def _log_request(message, log_level):
    # The platform knows three levels; WARNING and above all become ERROR.
    if log_level <= logging.DEBUG:
        level = 'DEBUG'
    elif log_level <= logging.INFO:
        level = 'INFO'
    else:
        level = 'ERROR'
    _handle_response(_engine().log({'message': message, 'level': level}))
