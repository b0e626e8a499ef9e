#
# The simulated engine side of the platform libraries. On a Delphix Engine this package is injected
# by the engine; here the sync runner configures it from the sync profile before the plugin runs.
#
