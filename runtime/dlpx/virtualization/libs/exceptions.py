#
# Errors of `dlpx.virtualization.libs`.
#
import sys

from dlpx.virtualization.common.exceptions import PluginRuntimeError


class LibraryError(Exception):
    """A library call failed in a way plugin code may handle (host unreachable, timeout, ...)."""

    @property
    def message(self):
        return self.args[0]

    def __init__(self, id, message):
        self._id = id
        super(LibraryError, self).__init__(message)


class PluginScriptError(Exception):
    """A run_bash / run_powershell / run_expect call with check=True exited with a non-zero code."""

    @property
    def message(self):
        return self.args[0]

    def __init__(self, message):
        super(PluginScriptError, self).__init__(message)


class IncorrectArgumentTypeError(PluginRuntimeError):
    """A library function got an argument of the wrong type."""

    def __init__(self, parameter_name, actual_type, expected_type, required=True, function_name=None):
        actual, expected = self.get_actual_and_expected_type(actual_type, expected_type)
        # The SDK names the function that raised; helpers that check on a caller's behalf pass it.
        func_name = function_name or sys._getframe(1).f_code.co_name
        message = "The function {}'s argument '{}' was {} but should be of {}{}.".format(
            func_name, parameter_name, actual, expected, '' if required else ' if defined')
        super(IncorrectArgumentTypeError, self).__init__(message)
