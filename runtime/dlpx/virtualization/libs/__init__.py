#
# Plugin Studio's simulator of `dlpx.virtualization.libs` (dvp-libs): the platform library calls.
# They check their arguments as the SDK does and then ask the simulated engine to do the work.
#
__path__ = __import__('pkgutil').extend_path(__path__, __name__)

from dlpx.virtualization.libs.libs import *  # noqa: F401,F403
from dlpx.virtualization.libs._logging import *  # noqa: F401,F403
from dlpx.virtualization.libs.exceptions import IncorrectArgumentTypeError, LibraryError, PluginScriptError  # noqa: F401
