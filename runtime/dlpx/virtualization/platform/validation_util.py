import inspect

from dlpx.virtualization.platform.exceptions import DecoratorNotFunctionError

__all__ = ['check_function']


def check_function(impl, operation):
    if not inspect.isfunction(impl) and not inspect.ismethod(impl):
        # Objects without a __name__ (an instance, a number) still get a readable message.
        raise DecoratorNotFunctionError(getattr(impl, '__name__', repr(impl)), operation.value)
    return impl
