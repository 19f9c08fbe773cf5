"""Channel writes: batched per event-loop iteration, immediate outside a loop."""
import asyncio
import unittest
from asyncio import base_events

import host  # noqa: F401 - puts python/ on sys.path
from scene_runner.channel import BIG_PART, Channel
from scene_runner.frames import Blob, FrameReader


class FakeSocket:
    def __init__(self):
        self.writes = []

    def sendall(self, data):
        self.writes.append(bytes(data))


class ChannelTest(unittest.TestCase):
    def setUp(self):
        original = base_events.BaseEventLoop._run_once
        self.addCleanup(setattr, base_events.BaseEventLoop, "_run_once", original)
        self.sock = FakeSocket()
        self.channel = Channel(self.sock)
        self.channel.install_batching()

    def received(self):
        reader = FrameReader(self.fail)
        return [m for w in self.sock.writes for m in reader.push(w)]

    def test_outside_a_loop_each_message_is_written_at_once(self):
        self.channel.send({"etype": "A"})
        self.channel.send({"etype": "B"})
        self.assertEqual(len(self.sock.writes), 2)
        self.assertEqual(self.received(), [{"etype": "A"}, {"etype": "B"}])

    def test_messages_of_one_loop_iteration_go_out_in_one_write(self):
        async def burst():
            for i in range(100):
                self.channel.send({"etype": "N", "i": i})
            self.assertEqual(self.sock.writes, [])  # nothing written until the iteration ends
            await asyncio.sleep(0)
            self.assertEqual(len(self.sock.writes), 1)

        asyncio.run(burst())
        self.assertEqual([m["i"] for m in self.received()], list(range(100)))

    def test_big_blobs_are_written_on_their_own_in_order(self):
        big = Blob("uint8", bytes(BIG_PART))

        async def mixed():
            self.channel.send({"etype": "before"})
            self.channel.send({"etype": "blob", "data": big})
            self.channel.send({"etype": "after"})

        asyncio.run(mixed())
        self.assertIn(bytes(BIG_PART), self.sock.writes)
        self.assertEqual([m["etype"] for m in self.received()], ["before", "blob", "after"])
        self.assertEqual(self.received()[1]["data"], big)


if __name__ == "__main__":
    unittest.main()
