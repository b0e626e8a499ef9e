# Namespace package, as in the SDK: the simulator's `dlpx.virtualization` packages can sit beside others.
__path__ = __import__('pkgutil').extend_path(__path__, __name__)
