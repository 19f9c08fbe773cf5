"""CPython's own test suite, run as a scene program: `python -m test <args>` inside the
runner's process, so every event loop the tests create runs with the runner's tracker,
channel batching and stop handling installed (see docs/asyncio-suite.md).

scripts/asyncio-suite.mjs runs this file with `scene-runner run`; the regrtest
arguments come in SCENE_RUNNER_SUITE_ARGS (a JSON list), since `run` takes no program
arguments. Run with plain python3 it is the same as `python3 -m test <args>`.
"""
import json
import os
import sys

if __name__ == "__main__":  # multiprocessing's spawn and forkserver import this file again in their children
    args = json.loads(os.environ.pop("SCENE_RUNNER_SUITE_ARGS", '["test_asyncio"]'))
    sys.argv = [sys.argv[0]] + list(args)

    # What `python -m test` does (test/__main__.py), minus re-executing the interpreter
    # with extra options (3.13's --fast-ci): that would leave the runner's process.
    from test.libregrtest.main import main

    main()
