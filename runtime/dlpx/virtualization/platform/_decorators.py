#
# Every operation decorator works alike: called with parentheses, it returns a decorator that stores
# the function in `<name>_impl` once and hands the function back unchanged.
#
from dlpx.virtualization.platform import validation_util as v
from dlpx.virtualization.platform.exceptions import OperationAlreadyDefinedError


def operation_decorator(operations, name, operation):
    attribute = name + '_impl'

    def decorator(impl):
        if getattr(operations, attribute):
            raise OperationAlreadyDefinedError(operation)
        setattr(operations, attribute, v.check_function(impl, operation))
        return impl

    return decorator
