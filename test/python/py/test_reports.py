"""Task reports as records (tracking.py) written by the channel: what the host reads, in order."""
import asyncio
import sys
import threading
import time
import unittest
from asyncio import base_events, events

import host  # puts python/ on sys.path
from scene_runner import tracking
from scene_runner.contract import TASK_BATCH_MAX
from scene_runner.channel import Channel
from scene_runner.frames import FrameReader


class FakeSocket:
    def __init__(self):
        self.writes = []

    def sendall(self, data):
        self.writes.append(bytes(data))


class ReportsTest(unittest.TestCase):
    def setUp(self):
        for owner, name in ((base_events.BaseEventLoop, "_run_once"), (events.Handle, "_run")):
            self.addCleanup(setattr, owner, name, getattr(owner, name))
        self.sock = FakeSocket()
        self.channel = Channel(self.sock)
        self.tracker = tracking.Tracker()
        self.channel.add_source(self.tracker.records, self.tracker.frames)
        self.tracker.attach(self.channel.flush, self.channel.batches)
        self.tracker.install()
        self.addCleanup(self.tracker.uninstall)
        self.channel.install_batching()

    def received(self):
        reader = FrameReader(self.fail)
        return host.expanded([m for w in self.sock.writes for m in reader.push(w)])

    def reports(self):
        return [(m["etype"], m["task"]["id"], m["task"].get("name") or m["task"]["state"]) for m in self.received() if m["etype"].startswith("TASK_")]

    def test_reports_keep_their_order_with_the_other_messages(self):
        async def child():
            await asyncio.sleep(0)

        async def main():
            task = asyncio.create_task(child())
            self.channel.send({"etype": "LOG", "text": "after the spawn"})
            await task
            self.channel.send({"etype": "LOG", "text": "after the end"})

        asyncio.run(main())
        kinds = [(m["etype"], m.get("text") or m["task"].get("name") or m["task"]["state"]) for m in self.received()]
        self.assertEqual(kinds, [
            ("TASK_SPAWN", "ReportsTest.test_reports_keep_their_order_with_the_other_messages.<locals>.main"),
            ("TASK_SPAWN", "ReportsTest.test_reports_keep_their_order_with_the_other_messages.<locals>.child"),
            ("LOG", "after the spawn"),
            ("TASK_STATE", "done"),
            ("LOG", "after the end"),
            ("TASK_STATE", "done"),
        ])

    def test_spawn_reports_say_who_spawned_what_and_where(self):
        async def child():
            pass

        async def main():
            await asyncio.create_task(child())  # the line reported

        asyncio.run(main())
        spawned = [m for m in self.received() if m["etype"] == "TASK_SPAWN"]
        with open(__file__) as f:
            line = next(i for i, text in enumerate(f, 1) if "# the line reported" in text)
        self.assertEqual(spawned[1]["task"], {"id": "t2", "name": spawned[1]["task"]["name"], "parent": "t1", "file": __file__, "line": line})
        self.assertIsNone(spawned[0]["task"]["parent"])
        self.assertIsInstance(spawned[1]["ts"], int)

    def test_names_given_to_create_task_are_read_once_it_has_named_the_task(self):
        async def child():
            pass

        async def main():
            named = asyncio.create_task(child(), name="given")
            odd = asyncio.create_task(child(), name="lone \udc80 surrogate")
            renamed = asyncio.create_task(child())
            renamed.set_name("later")  # named before its report is written (this iteration): that name
            await asyncio.gather(named, odd, renamed)
            if sys.version_info >= (3, 11):
                async with asyncio.TaskGroup() as group:
                    group.create_task(child(), name="in a group")

        asyncio.run(main())
        names = [n for kind, _, n in self.reports() if kind == "TASK_SPAWN"][1:]
        self.assertEqual(names, ["given", "lone \\udc80 surrogate", "later"] + (["in a group"] if sys.version_info >= (3, 11) else []))

    def test_a_task_made_before_its_loop_runs_is_reported_before_its_first_step(self):
        seen = []

        async def main():
            seen.append([m["etype"] for m in self.received()])  # what the host has while main runs
            time.sleep(0)  # a blocking call: nothing flushes until it returns

        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(main())
        finally:
            loop.close()
        self.assertEqual(seen, [["TASK_SPAWN"]])  # (expanded from its TASK_BATCH)

    def test_a_cancel_requested_as_the_task_ended_is_not_reported_after_its_end(self):
        async def main():
            task = asyncio.create_task(asyncio.sleep(0))
            await task
            # The channel's reader thread asked for a cancel while the task was ending: its
            # "cancelling" record lands after the end record (the race _state_lock leaves open).
            self.tracker.records.extend((tracking._STATE, task, tracking._CANCELLING, time.time(), False, None))

        asyncio.run(main())
        self.assertEqual([state for kind, tid, state in self.reports() if tid == "t2"], ["sleep", "done"])

    def test_a_cancel_from_another_thread_is_written_at_once(self):
        async def main():
            task = asyncio.create_task(asyncio.sleep(3600))
            await asyncio.sleep(0)
            before = len(self.sock.writes)
            thread = threading.Thread(target=self.tracker.cancel, args=("t2",))
            thread.start()
            thread.join()
            # written by that thread while this loop is still in its iteration
            written = host.expanded([m for w in self.sock.writes[before:] for m in FrameReader(self.fail).push(w)])
            self.assertEqual([m["task"]["state"] for m in written], ["cancelling"])
            with self.assertRaises(asyncio.CancelledError):
                await task

        asyncio.run(main())
        self.assertEqual([state for kind, tid, state in self.reports() if tid == "t2"], ["sleep", "cancelling", "cancelled"])

    def test_a_loop_with_its_own_call_soon_still_reports_every_end(self):
        class OwnLoop(asyncio.SelectorEventLoop):
            def call_soon(self, callback, *args, context=None):  # a loop that wraps what it schedules
                return super().call_soon(lambda: callback(*args), context=context)

        async def child(fail):
            await asyncio.sleep(0)
            if fail:
                raise ValueError("no")

        async def main():
            await asyncio.gather(child(False), child(True), return_exceptions=True)

        loop = OwnLoop()
        try:
            loop.run_until_complete(main())
        finally:
            loop.close()
        states = [s for kind, _, s in self.reports() if kind == "TASK_STATE"]
        self.assertEqual(sorted(states), ["done", "done", "failed"])

    def test_a_burst_goes_out_in_columns_and_a_failure_on_its_own_between_them(self):
        async def ok():
            await asyncio.sleep(0)

        async def bad():
            await asyncio.sleep(0)
            raise ValueError("no")

        async def main():
            tasks = [asyncio.create_task(ok(), name="ok%d" % i) for i in range(2)]
            tasks.append(asyncio.create_task(bad(), name="bad"))
            tasks += [asyncio.create_task(ok(), name="ok") for _ in range(3)]
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run(main())
        reader = FrameReader(self.fail)
        frames = [m for w in self.sock.writes for m in reader.push(w)]
        # spawns: main alone (before the loop ran), then the six; ends: ok0, ok1, then
        # the failure as its own TASK_STATE (it carries its error), then the other ends.
        self.assertEqual([m["etype"] for m in frames], ["TASK_BATCH", "TASK_BATCH", "TASK_BATCH", "TASK_STATE", "TASK_BATCH", "TASK_BATCH"])  # main's end last
        self.assertEqual(frames[3]["task"]["error"]["name"], "ValueError")
        reports = self.reports()
        self.assertEqual([n for kind, _, n in reports if kind == "TASK_SPAWN"][1:], ["ok0", "ok1", "bad", "ok", "ok", "ok"])
        self.assertEqual([(tid, s) for kind, tid, s in reports if kind == "TASK_STATE"],
                         [("t2", "done"), ("t3", "done"), ("t4", "failed"), ("t5", "done"), ("t6", "done"), ("t7", "done"), ("t1", "done")])

    def test_columns_stand_for_the_same_reports_as_one_by_one(self):
        """_bulk (columns from slices) and _each (a report at a time) write the same reports."""
        async def child(i):
            await asyncio.sleep(0)

        async def main():
            tasks = [asyncio.create_task(child(i), name=None if i % 2 else "c%d" % (i % 5)) for i in range(200)]
            spawns = list(self.tracker.records)  # before the iteration's end writes them
            await asyncio.gather(*tasks)
            return spawns

        spawns = asyncio.run(main())
        bulk = [m for m in self.reports() if m[0] == "TASK_SPAWN"][1:]
        parts = []
        self.tracker._each(spawns, parts)
        one_by_one = host.expanded(FrameReader(self.fail).push("".join(parts).encode("latin-1")))
        self.assertEqual([(m["etype"], m["task"]["id"], m["task"]["name"]) for m in one_by_one], bulk)
        self.assertEqual(len(bulk), 200)

    def test_columns_carry_every_field_as_one_by_one_does(self):
        """Runs whose columns are one value repeated (a burst from one line, one parent) and
        mixed ones (names, lines, parents, done and cancelled) stand for the same messages,
        times included, as the same records written a report at a time."""
        writes = []  # (columns, one by one) of every write

        def frames():
            snapshot = list(self.tracker.records)
            bulk = self.tracker.frames()
            it = iter(snapshot)
            for kind, obj, _, _, end, _ in zip(it, it, it, it, it, it):  # as they were before bulk wrote them
                if kind == tracking._SPAWN:
                    obj._sr_initial = None
                elif end is True and not isinstance(obj, int):
                    obj._sr_ended = False
            parts = []
            self.tracker._each(snapshot, parts)
            writes.append((bulk, "".join(parts).encode("latin-1")))
            return bulk

        self.channel.add_source(self.tracker.records, frames)

        async def child(i):
            await asyncio.sleep(0)
            if i % 3 == 0:
                await asyncio.sleep(3600)

        async def spawner():
            same = [asyncio.create_task(child(i)) for i in range(40)]
            mixed = [asyncio.create_task(child(i)) if i % 2 else asyncio.create_task(child(i), name="m%d" % (i % 3)) for i in range(40)]
            await asyncio.sleep(0)
            for t in same[::3] + mixed[::3]:  # every one that would sleep an hour, and only those
                t.cancel()
            await asyncio.gather(*same, *mixed, return_exceptions=True)

        async def main():
            await asyncio.gather(spawner(), spawner())

        asyncio.run(main())
        read = lambda data: host.expanded(FrameReader(self.fail).push(data))  # noqa: E731
        bulk = [m for b, _ in writes for m in read(b)]
        each = [m for _, e in writes for m in read(e)]
        self.assertEqual(bulk, each)
        self.assertEqual(len([m for m in bulk if m["etype"] == "TASK_SPAWN"]), 163)
        self.assertEqual({m["task"]["state"] for m in bulk if m["etype"] == "TASK_STATE"}, {"cancelling", "cancelled", "done"})
        # main; the two spawners (one line); their children: two parents, two lines
        self.assertEqual(len({(m["task"].get("parent"), m["task"].get("line")) for m in bulk if m["etype"] == "TASK_SPAWN"}), 6)
        batches = [m for b, _ in writes for m in FrameReader(self.fail).push(b) if m["etype"] == "TASK_BATCH"]
        self.assertTrue(any(len(set(b["line"])) > 1 and len(set(b["parent"])) > 1 for b in batches))  # mixed runs were written as such
        self.assertTrue(any(len(b["line"]) > 1 and len(set(b["line"])) == 1 for b in batches))

    def test_every_task_of_a_large_burst_is_reported_in_order(self):
        async def child(i):
            await asyncio.sleep(0)

        async def main():
            await asyncio.gather(*[asyncio.create_task(child(i)) for i in range(3 * tracking.MAX_RECORDS)])

        asyncio.run(main())
        spawned = [int(tid[1:]) for kind, tid, _ in self.reports() if kind == "TASK_SPAWN"]
        ended = [tid for kind, tid, _ in self.reports() if kind == "TASK_STATE"]
        self.assertEqual(spawned, list(range(1, 3 * tracking.MAX_RECORDS + 2)))
        self.assertEqual(len(ended), len(set(ended)))
        self.assertEqual(len(ended), len(spawned))
        self.assertGreater(len(self.sock.writes), 3)  # written as it went, not in one piece at the end
        # The host expands a frame in one go: none holds more than the contract's bound.
        reader = FrameReader(self.fail)
        batches = [m for w in self.sock.writes for m in reader.push(w) if m["etype"] == "TASK_BATCH"]
        self.assertLessEqual(max(len(b["kind"]) for b in batches), TASK_BATCH_MAX)


if __name__ == "__main__":
    unittest.main()
