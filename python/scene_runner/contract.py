"""The runner protocol's constants for the Python side, generated from the TypeScript contract
by scripts/gen-python-contract.mjs (npm run build). Do not edit: change the TypeScript and build.

Plain assignments only: this module loads on any Python, so __main__ can refuse an old one
with a readable message."""

# Oldest Python the runner supports (src/runner/python/launcher.ts MIN_PYTHON).
MIN_PYTHON = (3, 9)

# Exit statuses (src/runner/exit-codes.ts EXIT). A program that ends with sys.exit(n),
# os._exit(n) or a signal exits with its own status instead.
EXIT_DONE = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_STOPPED = 3
EXIT_TIMEOUT = 124
EXIT_INTERRUPTED = 130
EXIT_CODES = {"done": EXIT_DONE, "failed": EXIT_FAILED, "stopped": EXIT_STOPPED}

# Environment of the runner process (src/runner/launch.ts, src/runner/process-tree.ts).
CHANNEL_ENV = "SCENE_RUNNER_CHANNEL_FD"  # the channel's fd number
CHANNEL_FD = 3
COALESCE_ENV = "SCENE_RUNNER_COALESCE"  # "1": fold scene updates while the pipe is backed up
MARKER_ENV = "SCENE_RUNNER_SESSION"  # inherited by everything the program starts
VUER_ENV = "SCENE_RUNNER_VUER"  # "installed": the program runs on the user's vuer (src/runner/python/launcher.ts)

# Task states (src/protocol/tasks.ts TASK_STATES); "cancelling": a cancel was requested and
# the task's code has not exited yet.
TASK_STATES = ("running", "cancelling", "done", "cancelled", "failed")

# How a session ends (src/protocol/runner.ts SESSION_OUTCOMES).
SESSION_OUTCOMES = ("done", "failed", "stopped")

# Message types by direction (src/protocol/runner.ts RUNNER_TO_HOST, HOST_TO_RUNNER; viewer
# events besides). Barriers: held scene updates are sent before them.
RUNNER_TO_HOST = ("SET", "ADD", "UPSERT", "UPDATE", "REMOVE", "TASK_SPAWN", "TASK_STATE", "LOG", "GRAB_RENDER", "SESSION_START", "SESSION_END", "VUER_SERVING")
HOST_TO_RUNNER = ("TASK_CANCEL", "STOP", "PIPE_ACK")
BARRIERS = ("GRAB_RENDER", "SESSION_END")
# Messages only the runner pipe carries (src/protocol/task-batch.ts RUNNER_PIPE_ONLY): the host
# expands a TASK_BATCH into the TASK_SPAWN/TASK_STATE reports it stands for; its kind column.
RUNNER_PIPE_ONLY = ("TASK_BATCH",)
TASK_BATCH_SPAWN = 0
TASK_BATCH_STATE = 1
# Reports per TASK_BATCH at most (one frame must stay a few milliseconds of the host's thread).
TASK_BATCH_MAX = 256

# Dtypes of typed arrays (src/protocol/typed-arrays.ts): protocol name -> (typecode, item size).
DTYPES = {
    "float32": ("f", 4),
    "float64": ("d", 8),
    "uint8": ("B", 1),
    "uint16": ("H", 2),
    "uint32": ("I", 4),
    "int8": ("b", 1),
    "int16": ("h", 2),
    "int32": ("i", 4),
}

# Frame codec limits (src/protocol/frames.ts).
MAX_FRAME_BYTES = 1073741824
MAX_DEPTH = 512

# Response etype of an RPC request (src/protocol/events.ts rpcResponseType).
RPC_RESPONSE_FORMAT = "%s_RESPONSE@%s"


def rpc_response_type(etype, uuid):
    return RPC_RESPONSE_FORMAT % (etype, uuid)
