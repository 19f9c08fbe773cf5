"""Programs that must behave under the runner exactly as under plain python3 (issue 11,
items 9-13), and what the host sees of them. Every wait is for an event, never a clock."""
import os
import re
import signal
import subprocess
import sys
import unittest

from host import ROOT, Child, etypes

PROGRAMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "programs")


def program(name):
    return os.path.join(PROGRAMS, name)


def plain(name):
    """(status, stdout, stderr) of `python3 <program>`, the reference."""
    r = subprocess.run([sys.executable, program(name)], cwd=PROGRAMS, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def has_cpython_tests():
    try:
        import test.libregrtest  # noqa: F401
        import test.test_asyncio  # noqa: F401
    except ImportError:
        return False
    return True


class Base(unittest.TestCase):
    def run_child(self, name, **kw):
        child = Child(program(name), **kw)
        self.addCleanup(child.kill)
        return child

    def assertSameAsPlain(self, name):
        """Runs the program both ways; returns the child (its messages) for more checks."""
        child = self.run_child(name)
        self.assertEqual(child.finish(), plain(name))
        return child

    def end(self, child):
        self.assertEqual(child.messages[-1]["etype"], "SESSION_END")
        return child.messages[-1]


class TrackerHoldsNoTasks(Base):
    """Item 9: a pending task nobody references is collected; its end is still reported."""

    def assertReportedDestroyed(self, child):
        forgotten = child.task("forgotten")
        self.assertEqual(
            child.end_state(forgotten["id"]),
            {"id": forgotten["id"], "state": "failed", "error": {"name": "RuntimeError", "message": "Task was destroyed but it is pending!"}},
        )

    def test_unreferenced_pending_task_is_destroyed_and_reported(self):
        child = self.assertSameAsPlain("destroyed_pending.py")
        self.assertIn("handler: Task was destroyed but it is pending!\n", child.finish()[1])
        self.assertReportedDestroyed(child)

    def test_a_destroyed_task_whose_log_asyncio_turned_off_is_reported_and_not_logged(self):
        child = self.assertSameAsPlain("destroyed_quiet.py")
        self.assertNotIn("handler:", child.finish()[1])
        self.assertReportedDestroyed(child)

    @unittest.skipUnless(has_cpython_tests(), "this python3 has no test package")
    def test_cpython_log_destroyed_pending_task_passes_under_the_runner(self):
        self.run_cpython_tests("test.test_asyncio.test_tasks", "test_log_destroyed_pending_task", 8)

    def run_cpython_tests(self, module, pattern, at_least):
        child = self.run_child(os.path.join(PROGRAMS, "cpython_tests.py"), env={"CPYTHON_TESTS": module, "CPYTHON_TESTS_PATTERN": pattern})
        code, out, err = child.finish(timeout=120)
        self.assertEqual(code, 0, err)
        ran = int(re.search(r"^Ran (\d+) tests?", err, re.M).group(1))
        self.assertGreaterEqual(ran, at_least, err)
        self.assertRegex(err, r"\nOK( \(skipped=\d+\))?\n$")


class ProgramOwnsSigint(Base):
    """Item 10: SIGINT is the program's; stop requests travel on the channel."""

    def test_raise_signal_interrupt_main_and_kill_give_keyboard_interrupt(self):
        child = self.assertSameAsPlain("own_sigint.py")
        code, out, err = child.finish()
        self.assertEqual(code, -signal.SIGINT)
        self.assertEqual(
            out,
            "raise_signal -> KeyboardInterrupt\ninterrupt_main -> KeyboardInterrupt\nos.kill -> KeyboardInterrupt\n"
            "handler is default_int_handler: True\n"
            + ("main: cancelled by asyncio.Runner's SIGINT handler\n" if sys.version_info >= (3, 11) else "")
            + "asyncio.run -> KeyboardInterrupt\n",
        )
        self.assertTrue(err.endswith("KeyboardInterrupt\n"), err)
        self.assertEqual(self.end(child)["status"], "failed")

    @unittest.skipUnless(has_cpython_tests() and sys.version_info >= (3, 11), "needs asyncio.Runner and the test package")
    def test_cpython_test_runners_passes_under_the_runner(self):
        TrackerHoldsNoTasks.run_cpython_tests(self, "test.test_asyncio.test_runners", "", 20)

    def test_stop_works_when_the_program_ignores_sigint(self):
        child = self.run_child("stop_ignores_sigint.py")
        child.task("ready")
        child.send({"etype": "STOP"})
        code, out, err = child.finish()
        self.assertEqual((code, out, err), (3, "finally ran\n", ""))
        self.assertEqual(self.end(child)["status"], "stopped")


class AnythingLegalIsReported(Base):
    """Item 11: odd names and exceptions never break task creation or the end reports."""

    def test_surrogates_and_unprintable_values(self):
        child = self.assertSameAsPlain("odd_values.py")
        self.assertEqual(child.finish()[0], 0)  # stderr: as python3's (3.13 logs the half-made task's destruction)
        spawned = [m["task"] for m in child.messages if m["etype"] == "TASK_SPAWN"]
        self.assertEqual([t["name"] for t in spawned][:4], ["main", "lone \\udc80 surrogate", "failing", "failing"])
        ends = {tid: s for tid, s in child.states() if s != "cancelling"}
        self.assertEqual(len(ends), len(spawned))  # every task has its end report
        failures = [m["task"]["error"] for m in child.messages if m["etype"] == "TASK_STATE" and m["task"]["state"] == "failed"]
        self.assertEqual([(e["name"], e["message"]) for e in failures], [("ValueError", "bad \\ud800 message"), ("Unprintable", "<unprintable Unprintable object>")])
        self.assertEqual(self.end(child)["status"], "done")


class ExitStatusIsTheProgramsOwn(Base):
    """Item 12: the runner process exits as python3 would."""

    def test_sys_exit_in_a_task(self):
        child = self.assertSameAsPlain("exit_in_task.py")
        self.assertEqual(child.finish()[0], 3)
        self.assertEqual(self.end(child)["status"], "failed")
        self.assertEqual(self.end(child)["error"]["name"], "SystemExit")

    def test_os_exit(self):
        child = self.assertSameAsPlain("os_exit.py")
        self.assertEqual(child.finish()[0], 5)
        self.assertNotIn("SESSION_END", etypes(child.messages))

    def test_death_by_a_signal(self):
        child = self.assertSameAsPlain("segfault.py")
        self.assertEqual(child.finish()[0], -signal.SIGSEGV)

    def test_main_that_ends_cancelled_is_a_failure_with_the_traceback(self):
        child = self.assertSameAsPlain("main_cancelled.py")
        code, _, err = child.finish()
        self.assertEqual(code, 1)
        self.assertTrue(err.endswith("CancelledError\n"), err)
        end = self.end(child)
        self.assertEqual((end["status"], end["error"]["name"]), ("failed", "CancelledError"))

    def test_constants_match_the_typescript_contract(self):
        from scene_runner import contract

        with open(os.path.join(ROOT, "src", "runner", "exit-codes.ts")) as f:
            ts = dict((k, int(v)) for k, v in re.findall(r"^\s*(\w+): (\d+),", f.read(), re.M))
        self.assertEqual(
            {"done": contract.EXIT_DONE, "failed": contract.EXIT_FAILED, "usage": contract.EXIT_USAGE, "stopped": contract.EXIT_STOPPED},
            {k: ts[k] for k in ("done", "failed", "usage", "stopped")},
        )
        with open(os.path.join(ROOT, "src", "runner", "launch.ts")) as f:
            self.assertIn('CHANNEL_ENV = "%s"' % contract.CHANNEL_ENV, f.read())
        with open(os.path.join(ROOT, "src", "runner", "python", "launcher.ts")) as f:
            self.assertIn("MIN_PYTHON: readonly [number, number] = [%d, %d]" % contract.MIN_PYTHON, f.read())


class ForkedChildren(Base):
    @unittest.skipUnless(hasattr(os, "fork"), "no os.fork")
    def test_a_forked_child_does_not_write_on_the_channel(self):
        child = self.run_child("forks.py")
        code, out, err = child.finish()
        self.assertEqual((code, out, err), (0, "child done\nchild status 0\n", ""))
        names = [m["task"]["name"] for m in child.messages if m["etype"] == "TASK_SPAWN"]
        self.assertEqual(names, ["main", "before", "after"])
        self.assertEqual(self.end(child)["status"], "done")


class BrokenStdout(Base):
    """Item 13: the program's broken sys.stdout is never our failure."""

    def test_flush_that_raises_when_main_returns(self):
        child = self.assertSameAsPlain("broken_stdout.py")
        self.assertEqual(self.end(child)["status"], "done")
        self.assertNotIn("scene_runner", child.finish()[2])


class CancellingState(Base):
    def test_cancel_requests_show_until_the_task_ends(self):
        child = self.run_child("cancelling.py")
        victim = child.task("victim")
        target = child.task("host-target")
        child.task("waiting for the host")
        child.send({"etype": "TASK_CANCEL", "id": target["id"]})
        code, out, err = child.finish()
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(child.states(victim["id"]), ["cancelling", "cancelled"])
        self.assertEqual(child.states(target["id"]), ["cancelling", "cancelled"])
        if sys.version_info >= (3, 11):
            timed = child.task("timeout")
            self.assertEqual(child.states(timed["id"]), ["cancelling", "running", "done"])
        expected = "finally of victim\nvictim cancelled\n"
        if sys.version_info >= (3, 11):
            expected += "timed out, and still running\n"
        self.assertEqual(out, expected + "finally of host-target\nhost-target cancelled\n")


    def test_cancelling_shows_while_the_loop_is_stuck(self):
        child = self.run_child("busy_loop_cancel.py")
        worker = child.task("worker")
        child.task("ready")
        child.send({"etype": "TASK_CANCEL", "id": worker["id"]})
        child.wait_for(lambda m: m["etype"] == "TASK_STATE" and m["task"] == {"id": worker["id"], "state": "cancelling"})
        child.send({"etype": "STOP"})
        code, out, err = child.finish()
        self.assertEqual((code, out, err), (3, "worker done: False\n", ""))
        self.assertEqual(child.states(worker["id"]), ["cancelling", "cancelled"])


class GrabRenderGivesBytes(Base):
    def test_frame_is_bytes(self):
        child = self.run_child(os.path.join(PROGRAMS, "grab_render.py"))
        request = child.wait_for(lambda m: m["etype"] == "GRAB_RENDER")
        child.send({"etype": request["rtype"], "value": {"frame": b"\x89PNG..."}})
        self.assertEqual(child.finish(), (0, "bytes b'\\x89PNG...'\n", ""))


if __name__ == "__main__":
    unittest.main()
