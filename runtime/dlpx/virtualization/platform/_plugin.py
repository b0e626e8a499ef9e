from dlpx.virtualization.platform._discovery import DiscoveryOperations
from dlpx.virtualization.platform._linked import LinkedOperations
from dlpx.virtualization.platform._upgrade import UpgradeOperations
from dlpx.virtualization.platform._virtual import VirtualOperations

__all__ = ['Plugin']


class Plugin(object):
    """The object a plugin's entry point names; its four groups hold the decorated operations."""

    def __init__(self):
        self.__discovery = DiscoveryOperations()
        self.__linked = LinkedOperations()
        self.__virtual = VirtualOperations()
        self.__upgrade = UpgradeOperations()

    @property
    def discovery(self):
        return self.__discovery

    @property
    def linked(self):
        return self.__linked

    @property
    def virtual(self):
        return self.__virtual

    @property
    def upgrade(self):
        return self.__upgrade
