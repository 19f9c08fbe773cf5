"""The runner protocol's constants, as the Python side uses them: the one place in
python/ that names them (the TypeScript sources are the contract: src/runner/exit-codes.ts,
src/runner/launch.ts, src/protocol/events.ts, src/protocol/tasks.ts). Every other module
imports from here. Plain assignments only: this module loads on any Python, so
__main__ can refuse an old one with a readable message."""

# Oldest Python the runner supports (src/runner/python/launcher.ts MIN_PYTHON).
MIN_PYTHON = (3, 9)

# Exit statuses of the runner process (src/runner/exit-codes.ts EXIT). A program that
# ends with sys.exit(n), os._exit(n) or a signal exits with its own status instead.
EXIT_DONE = 0
EXIT_FAILED = 1
EXIT_USAGE = 2  # bad invocation, or an app with nothing to run
EXIT_STOPPED = 3  # the host asked the session to stop
EXIT_CODES = {"done": EXIT_DONE, "failed": EXIT_FAILED, "stopped": EXIT_STOPPED}

# The channel's fd number is passed in this variable (src/runner/launch.ts CHANNEL_ENV).
CHANNEL_ENV = "SCENE_RUNNER_CHANNEL_FD"

# Response etype of an RPC request (src/protocol/events.ts rpcResponseType).
def rpc_response_type(etype, uuid):
    return "%s_RESPONSE@%s" % (etype, uuid)


# Task states (src/protocol/tasks.ts TASK_STATES); "cancelling": a cancel was requested
# and the task has not ended yet.
TASK_STATES = ("running", "cancelling", "done", "cancelled", "failed")
