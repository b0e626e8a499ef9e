#
# Errors of `dlpx.virtualization.platform`. UserError is the one plugin code raises on purpose; the
# others report a plugin mistake (PluginRuntimeError) or a platform-level misuse (PlatformError).
#
from dlpx.virtualization.common.exceptions import (IncorrectTypeError,  # noqa: F401
                                                   PlatformError, PluginRuntimeError)


class UserError(Exception):
    """The error a plugin raises to fail an operation with a message, an action and output for the user."""

    @property
    def message(self):
        return self.args[0]

    def __init__(self, message, action='', output=''):
        super(UserError, self).__init__(message, action, output)


class IncorrectReturnTypeError(PluginRuntimeError):
    def __init__(self, operation, actual_type, expected_type):
        actual, expected = self.get_actual_and_expected_type(actual_type, expected_type)
        message = 'The returned object for the {} operation was {} but should be of {}.'.format(
            operation.value, actual, expected)
        super(IncorrectReturnTypeError, self).__init__(message)


class IncorrectUpgradeObjectTypeError(PluginRuntimeError):
    def __init__(self, actual_type, expected_type):
        message = 'The upgrade operation received objects with {} type but should have had type {}.'.format(
            actual_type, expected_type)
        super(IncorrectUpgradeObjectTypeError, self).__init__(message)


class UnknownMigrationTypeError(PlatformError):
    def __init__(self, actual_type):
        message = 'The upgrade migrationType received was {} type which is not supported.'.format(actual_type)
        super(UnknownMigrationTypeError, self).__init__(message)


class OperationAlreadyDefinedError(PlatformError):
    def __init__(self, operation):
        message = 'An implementation for {} operation has already been defined.'.format(operation.value)
        super(OperationAlreadyDefinedError, self).__init__(message)


class OperationNotDefinedError(PlatformError):
    def __init__(self, operation):
        message = 'An implementation for the {} operation has not been defined.'.format(operation.value)
        super(OperationNotDefinedError, self).__init__(message)


class MigrationIdIncorrectTypeError(PlatformError):
    def __init__(self, migration_id, function_name):
        message = "The migration id '{}' used in the function '{}' should be a string.".format(
            migration_id, function_name)
        super(MigrationIdIncorrectTypeError, self).__init__(message)


class MigrationIdIncorrectFormatError(PlatformError):
    def __init__(self, message):
        super(MigrationIdIncorrectFormatError, self).__init__(message)

    @classmethod
    def from_fields(cls, migration_id, function_name, format):
        return cls("The migration id '{}' used in the function '{}' does not follow the correct format '{}'.".format(
            migration_id, function_name, format))


class MigrationIdAlreadyUsedError(PlatformError):
    def __init__(self, message):
        super(MigrationIdAlreadyUsedError, self).__init__(message)

    @classmethod
    def fromMigrationId(cls, migration_id, std_migration_id, function_name):
        return cls("The migration id '{}' used in the function '{}' has the same canonical form '{}' as"
                   " another migration.".format(migration_id, function_name, std_migration_id))

    @classmethod
    def fromLuaVersion(cls, migration_id, function_name, decorator_name):
        return cls("The lua major minor version '{}' used in the function '{}' decorated by '{}' has"
                   " already been used.".format(migration_id, function_name, decorator_name))


class DecoratorNotFunctionError(PlatformError):
    def __init__(self, object_name, decorator_name):
        message = "The object '{}' decorated by '{}' is not a function.".format(object_name, decorator_name)
        super(DecoratorNotFunctionError, self).__init__(message)


class IncorrectReferenceFormatError(PluginRuntimeError):
    def __init__(self, reference):
        message = "Reference '{}' is not a correctly formatted host environment reference.".format(reference)
        super(IncorrectReferenceFormatError, self).__init__(message)


class IncorrectPluginCodeError(PluginRuntimeError):
    @property
    def message(self):
        return self.args[0]

    def __init__(self, message):
        super(IncorrectPluginCodeError, self).__init__(message)
