#
# Plugin Studio's simulator of `dlpx.virtualization.common` (dvp-common): the connection and credential
# classes plugin code receives. Same public names, attributes and type-check messages as the SDK.
#
__path__ = __import__('pkgutil').extend_path(__path__, __name__)

from dlpx.virtualization.common._common_classes import *  # noqa: F401,F403
