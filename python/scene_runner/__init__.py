"""Scene Runner's Python side: runs a user's program (plain asyncio or vuer-style) as
__main__, reports its tasks and scene messages to the supervisor over fd 3, and obeys
TASK_CANCEL / STOP from it. Standard library only; Python 3.9 or newer."""

from .contract import MIN_PYTHON  # noqa: F401 - kept here for callers of scene_runner.MIN_PYTHON
