"""vuer's session lifecycle under our runner, against the test host: a session starts at the
viewer's INIT, not before; what the viewer sent before it follows it; key events also arrive
under vuer's names; run by hand (no host) a session starts at once."""
import os
import subprocess
import sys
import unittest

from host import BUNDLED_PATH, Child

LIFECYCLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "python", "lifecycle")


def fixture(name):
    return os.path.abspath(os.path.join(LIFECYCLE, name))


def spawned(child, name):
    return [m for m in child.messages if m.get("etype") == "TASK_SPAWN" and m["task"]["name"] == name]


class LifecycleTest(unittest.TestCase):
    def test_nothing_is_sent_and_main_does_not_start_without_init(self):
        child = Child(fixture("waits_for_init.py"), init=False)
        before = child.task("before")
        child.end_state(before["id"])  # the program has reached app.start()
        child.send({"etype": "STOP"})
        code, out, err = child.finish()
        child.sock.close()
        self.assertEqual(spawned(child, "main"), [])
        self.assertEqual([m for m in child.messages if m.get("etype") in ("SET", "UPSERT", "ADD", "UPDATE", "REMOVE")], [])
        self.assertEqual((out, err), ("", ""))
        self.assertEqual(child.messages[-1]["status"], "stopped")

    def test_events_before_init_follow_it_in_order_and_key_events_have_vuers_names(self):
        child = Child(fixture("waits_for_init.py"), init=False)
        child.end_state(child.task("before")["id"])
        child.send({"etype": "CLICK", "key": "b", "value": {}})  # before any viewer said INIT
        child.send({"etype": "INIT", "value": {"client": "browser"}})
        child.wait_for(lambda m: m.get("etype") == "UPSERT")
        child.send({"etype": "KEY_DOWN", "value": {"key": "a", "code": "KeyA", "shift": False, "ctrl": True, "alt": False, "meta": False}})
        code, out, err = child.finish()
        child.sock.close()
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(out, "click b ['Init', 'INIT', 'CLICK']\nKeyDown a True KeyA\n")

    def test_a_second_init_starts_no_second_session(self):
        child = Child(fixture("init_reaches_program.py"))
        child.send({"etype": "INIT", "value": {"client": "browser", "viewer": "again"}})
        code, out, err = child.finish()
        child.sock.close()
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(out, "till: True test\nhandler: INIT browser\n")
        self.assertEqual(len(spawned(child, "main")), 1)

    def test_run_by_hand_a_session_starts_at_once(self):
        env = dict(os.environ, PYTHONPATH=BUNDLED_PATH)
        env.pop("SCENE_RUNNER_CHANNEL_FD", None)
        r = subprocess.run([sys.executable, "-m", "scene_runner", fixture("init_reaches_program.py")], env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "till: True none\nhandler: INIT browser\n", ""))


if __name__ == "__main__":
    unittest.main()
