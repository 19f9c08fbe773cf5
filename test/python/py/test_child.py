"""The child process against a test host: what the supervisor sees on the channel."""
import os
import time
import unittest

from host import ROOT, Child, etypes

FIXTURES = os.path.join(ROOT, "test", "fixtures", "python", "host")


def fixture(name):
    return os.path.join(FIXTURES, name)


class ChildTest(unittest.TestCase):
    def run_child(self, name, **kw):
        child = Child(fixture(name), **kw)
        self.addCleanup(child.kill)
        return child

    def test_session_start_and_end_frame_the_run(self):
        child = self.run_child("tree.py")
        code, out, err = child.finish()
        self.assertEqual((code, out, err), (0, "[1, 2]\n", ""))
        self.assertEqual(etypes(child.messages)[0], "SESSION_START")
        self.assertEqual(child.messages[0]["runtime"], "python")
        self.assertEqual(child.messages[0]["file"], fixture("tree.py"))
        self.assertEqual(child.messages[0]["pid"], child.proc.pid)
        self.assertEqual(child.messages[-1], {"etype": "SESSION_END", "ts": child.messages[-1]["ts"], "status": "done"})

    def test_task_tree_has_names_parents_lines_and_hides_runner_tasks(self):
        child = self.run_child("tree.py")
        child.finish()
        spawned = [m["task"] for m in child.messages if m["etype"] == "TASK_SPAWN"]
        by_name = {}
        for t in spawned:
            by_name.setdefault(t["name"], []).append(t)
        self.assertEqual(sorted(by_name), ["branch", "leaf", "main"])
        main, branch, leaves = by_name["main"][0], by_name["branch"][0], by_name["leaf"]
        self.assertEqual(main["parent"], None)
        self.assertEqual((main["file"], main["line"]), (fixture("tree.py"), 18))  # where main is defined (its decorator)
        self.assertEqual((branch["parent"], branch["line"]), (main["id"], 20))  # the spawn_task line
        self.assertEqual([(t["parent"], t["line"]) for t in leaves], [(branch["id"], 15), (branch["id"], 15), (main["id"], 22)])
        states = {m["task"]["id"]: m["task"]["state"] for m in child.messages if m["etype"] == "TASK_STATE"}
        self.assertEqual(states, {t["id"]: "done" for t in spawned})

    def test_task_cancel_from_the_host_cancels_that_task(self):
        child = self.run_child("cancel_from_host.py")
        worker = child.task("the-worker")
        child.send({"etype": "TASK_CANCEL", "id": worker["id"]})
        self.assertEqual(child.end_state(worker["id"]), {"id": worker["id"], "state": "cancelled"})
        code, out, _ = child.finish()
        self.assertEqual((code, out), (0, "worker finally\nmain saw the cancel\n"))

    def test_unknown_task_cancel_is_logged_not_fatal(self):
        child = self.run_child("cancel_from_host.py")
        worker = child.task("the-worker")
        child.send({"etype": "TASK_CANCEL", "id": "t999"})
        log = child.wait_for(lambda m: m["etype"] == "LOG")
        self.assertIn("t999", log["text"])
        child.send({"etype": "TASK_CANCEL", "id": worker["id"]})
        self.assertEqual(child.finish()[0], 0)

    def test_client_events_reach_handlers_till_and_rpc_errors(self):
        child = self.run_child("events.py")
        child.wait_for(lambda m: m["etype"] == "UPSERT")
        child.send({"etype": "CLICK", "key": "button-1", "value": {"point": [1, 2, 3]}})
        child.send({"etype": "KEY_DOWN", "key": "kb", "value": {"key": "a"}})
        request = child.wait_for(lambda m: m["etype"] == "GRAB_RENDER")
        self.assertEqual(request["rtype"], "GRAB_RENDER_RESPONSE@" + request["uuid"])
        self.assertEqual(request["data"], {"key": "DEFAULT", "quality": 0.5})
        child.send({"etype": request["rtype"], "error": "no viewer is attached"})
        code, out, err = child.finish()
        self.assertEqual(
            out,
            "click button-1 {'point': [1, 2, 3]}\n"
            "key a {'grid': False} 9999\n"
            "render failed: grab_render: no viewer is attached\n",
        )
        self.assertEqual((code, err), (0, ""))
        handler = child.task("on_click")
        self.assertEqual((handler["parent"], handler["line"]), (None, 9))

    def test_stop_cancels_all_tasks_and_finally_blocks_run(self):
        child = self.run_child("stop_cleanup.py")
        child.wait_for(lambda m: m["etype"] == "TASK_SPAWN" and m["task"]["id"] == "t3")
        child.send({"etype": "STOP"})
        code, out, err = child.finish()
        self.assertEqual((code, err), (3, ""))
        self.assertEqual(sorted(out.splitlines()), ["a cleaned up", "b cleaned up", "main cleaned up"])
        states = [m["task"]["state"] for m in child.messages if m["etype"] == "TASK_STATE"]
        self.assertEqual(states, ["cancelling"] * 3 + ["cancelled"] * 3)
        self.assertEqual(child.messages[-1]["status"], "stopped")

    def test_channel_closing_counts_as_stop(self):
        child = self.run_child("stop_cleanup.py")
        child.wait_for(lambda m: m["etype"] == "TASK_SPAWN" and m["task"]["id"] == "t3")
        child.close_channel()
        code, out, _ = child.finish()
        self.assertEqual(code, 3)
        self.assertIn("main cleaned up", out)

    def test_stop_breaks_a_blocking_call_and_still_runs_finally(self):
        child = self.run_child("stop_blocked.py")
        child.task("main")
        time.sleep(0.1)  # inside time.sleep(60) by now
        started = time.monotonic()
        child.send({"etype": "STOP"})
        code, out, _ = child.finish()
        self.assertLess(time.monotonic() - started, 2.0)
        self.assertEqual((code, out), (3, "blocking\nfinally after the blocking call\n"))
        self.assertEqual(child.messages[-1]["status"], "stopped")

    def test_without_its_stop_signal_the_runner_says_so_and_stop_still_ends_the_run(self):
        # The signal's default action would kill the process unreported: the runner skips it.
        child = self.run_child("stop_blocked.py", env={"PYTHONPATH": fixture("no_stop_signal")})
        child.task("main")
        child.send({"etype": "STOP"})
        code, _, err = child.finish()
        self.assertEqual(code, 3)
        self.assertEqual(child.messages[-1]["etype"], "SESSION_END")
        self.assertEqual(child.messages[-1]["status"], "stopped")
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn("the stop signal SIGRTMAX is not available here", err)

    def test_a_program_that_swallows_interrupts_is_still_ended(self):
        child = self.run_child("stop_stubborn.py")
        child.wait_for(lambda m: m["etype"] == "SESSION_START")
        time.sleep(0.1)
        started = time.monotonic()
        child.send({"etype": "STOP"})
        code, _, _ = child.finish()
        self.assertLess(time.monotonic() - started, 2.0)
        self.assertEqual(code, 3)
        self.assertEqual(child.messages[-1]["etype"], "SESSION_END")

    def test_unretrieved_task_exception_is_reported_with_traceback(self):
        child = self.run_child("unretrieved.py")
        code, out, err = child.finish()
        self.assertEqual((code, out), (0, "main done True\n"))
        self.assertTrue(err.startswith("Task exception was never retrieved (task 'explode')\nTraceback"), err)
        self.assertIn('unretrieved.py", line 8, in explode', err)
        self.assertTrue(err.endswith("LookupError: nobody looked\n"), err)
        failed = child.wait_for(lambda m: m["etype"] == "TASK_STATE" and m["task"]["state"] == "failed")["task"]
        self.assertEqual(failed["error"]["name"], "LookupError")
        self.assertEqual(failed["error"]["location"], {"file": fixture("unretrieved.py"), "line": 8})

    def test_app_with_nothing_to_run_exits_2_with_one_line(self):
        child = self.run_child("no_main.py")
        code, out, err = child.finish()
        self.assertEqual(code, 2)
        self.assertEqual(err, "%s:4: app.run(): nothing to run; decorate `async def main(session)` with @app.spawn\n" % fixture("no_main.py"))
        self.assertEqual(child.messages[-1]["status"], "failed")


if __name__ == "__main__":
    unittest.main()
