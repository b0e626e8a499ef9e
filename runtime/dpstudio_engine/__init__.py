#
# The simulated engine's side of the workflows: the step handlers the runner
# (../dpstudio_sync_runner.py) calls for each step of a workflow, grouped by the object they act on.
# Which steps a workflow has, in which order, is data (core/lifecycle/workflows.ts) sent in the request.
#
