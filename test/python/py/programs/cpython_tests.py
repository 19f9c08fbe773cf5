# Runs some of CPython's own asyncio tests inside this process (so, under the runner when
# the runner runs this file): CPYTHON_TESTS names the module, CPYTHON_TESTS_PATTERN a -k filter.
import os
import sys
import unittest

argv = ["cpython_tests", "-q", os.environ["CPYTHON_TESTS"]]
if os.environ.get("CPYTHON_TESTS_PATTERN"):
    argv += ["-k", os.environ["CPYTHON_TESTS_PATTERN"]]
unittest.main(module=None, argv=argv)
