#
# Plugin Studio's simulator of `dlpx.virtualization.platform` (dvp-platform): the Plugin object, its
# decorators and the classes plugin operations use, with the SDK's names, checks and error texts.
#
__path__ = __import__('pkgutil').extend_path(__path__, __name__)

from dlpx.virtualization.platform.validation_util import *  # noqa: F401,F403
from dlpx.virtualization.platform.migration_helper import *  # noqa: F401,F403
from dlpx.virtualization.platform._plugin_classes import *  # noqa: F401,F403
from dlpx.virtualization.platform._discovery import *  # noqa: F401,F403
from dlpx.virtualization.platform._linked import *  # noqa: F401,F403
from dlpx.virtualization.platform._upgrade import *  # noqa: F401,F403
from dlpx.virtualization.platform._virtual import *  # noqa: F401,F403
from dlpx.virtualization.platform._plugin import *  # noqa: F401,F403
