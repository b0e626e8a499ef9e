#
# The two base errors of the SDK and the type-error message builder every package shares.
#


class PlatformError(Exception):
    """An error in the platform itself (an SDK or engine bug, or a misuse the build rejects)."""

    @property
    def message(self):
        return self.args[0]

    def __init__(self, message):
        super(PlatformError, self).__init__(message)


class PluginRuntimeError(Exception):
    """An error the plugin author fixes in the plugin code (wrong types and the like)."""

    @property
    def message(self):
        return self.args[0]

    def __init__(self, message):
        super(PluginRuntimeError, self).__init__(message)

    @staticmethod
    def get_actual_and_expected_type(actual_type, expected_type):
        """Describe the actual and expected types the way the SDK's messages do.

        `expected_type` is a type, `[type]` (a list of it), `[t1, t2]` (any one of them) or
        `{key_type: value_type}` (a dict of them). `actual_type` is a type, a list of types (the
        items of a list) or a set of (key type, value type) tuples (the entries of a dict).
        """
        def plain(type_string):
            return type_string.replace('<', '').replace('>', '')

        def qualified(type_object):
            # The SDK compares with Python 2's '__builtin__', so on Python 3 builtins come out
            # qualified too ("builtins.str"); we keep that wording.
            if type_object.__module__ != '__builtin__':
                return '{}.{}'.format(type_object.__module__, type_object.__name__)
            return type_object.__name__

        if isinstance(expected_type, list):
            if len(expected_type) != 1 and len(set(expected_type)) == 1:
                raise PlatformError('The thrown TypeError should have had a'
                                    ' list of size 1 as the expected_type')
            if len(expected_type) > 1:
                names = [plain(str(qualified(t))) for t in expected_type]
                expected = "any one of the following types: '{}'".format(names)
            else:
                expected = "type 'list of {}'".format(qualified(expected_type[0]))
        elif isinstance(expected_type, dict):
            if len(expected_type) != 1:
                raise PlatformError('The thrown TypeError should have had a'
                                    ' dict of size 1 as the expected_type')
            key_type, value_type = next(iter(expected_type.items()))
            expected = "type 'dict of {}:{}'".format(qualified(key_type), qualified(value_type))
        else:
            expected = plain(str(expected_type))

        if isinstance(actual_type, list):
            actual = 'a list of [{}]'.format(', '.join(plain(str(t)) for t in actual_type))
        elif isinstance(actual_type, set):
            if not all(isinstance(pair, tuple) for pair in actual_type):
                raise PlatformError('The thrown TypeError should have had a'
                                    ' set of tuples to represent a dict')
            actual = 'a dict of {{{}}}'.format(', '.join(
                '{0}:{1}'.format(plain(str(k)), plain(str(v))) for k, v in actual_type))
        else:
            actual = plain(str(actual_type))
        return actual, expected


class IncorrectTypeError(PluginRuntimeError):
    """A constructor of a platform class got a value of the wrong type."""

    def __init__(self, object_type, parameter_name, actual_type, expected_type, required=True):
        actual, expected = self.get_actual_and_expected_type(actual_type, expected_type)
        message = "{}'s parameter '{}' was {} but should be of {}{}.".format(
            object_type.__name__, parameter_name, actual, expected,
            '' if required else ' if defined')
        super(IncorrectTypeError, self).__init__(message)
