from logging import Handler

from dlpx.virtualization.libs import libs

__all__ = ["PlatformHandler"]


class PlatformHandler(Handler):
    """A logging handler that sends records to the platform's log (the simulator's event stream)."""

    def emit(self, record):
        try:
            message = self.format(record)
        except Exception:  # a bad format string must not fail the plugin operation
            self.handleError(record)
            return
        libs._log_request(str(message), record.levelno)
