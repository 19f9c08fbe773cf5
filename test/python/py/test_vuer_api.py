"""Our vuer package against the real vuer's API: every name imports, the names that can work
here work as vuer's do, and the ones that cannot (WebRTC, a websocket client) fail when used,
with one line saying why, never on import."""
import asyncio
import importlib
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from host import BUNDLED_PATH  # noqa: F401 - puts python/ on sys.path
from vuer_names import VUER_NAMES, VUER_SCHEMA_TAGS


class NamesTest(unittest.TestCase):
    def test_every_name_vuer_exports_imports(self):
        missing = []
        for module, names in VUER_NAMES.items():
            mod = importlib.import_module(module)
            missing += ["%s.%s" % (module, n) for n in names if not hasattr(mod, n)]
        self.assertEqual(missing, [])

    def test_every_schema_class_has_vuers_tag(self):
        import vuer.schemas as schemas

        wrong = {n: (getattr(schemas, n).tag, t) for n, t in VUER_SCHEMA_TAGS.items() if getattr(schemas, n).tag != t}
        self.assertEqual(wrong, {})

    def test_what_cannot_work_here_fails_at_use_with_its_reason(self):
        from vuer import VuerClient, Vuer, WebRTCStream

        client = VuerClient(uri="ws://localhost:9999")  # made fine
        with self.assertRaisesRegex(ConnectionError, "no vuer server to connect to"):
            asyncio.run(client.connect())
        with self.assertRaisesRegex(RuntimeError, "WebRTC"):
            WebRTCStream("cam")
        with self.assertRaisesRegex(RuntimeError, "WebRTC"):
            Vuer().create_webrtc_stream("cam")


class EventsTest(unittest.TestCase):
    def test_events_compare_by_etype(self):
        from vuer.events import INIT, ClientEvent, GrabRender

        e = ClientEvent(etype="CAMERA_MOVE", value={"camera": {}})
        self.assertTrue(e == "CAMERA_MOVE")
        self.assertTrue(e != "CLICK")
        self.assertEqual(INIT, "Init")  # vuer's own spelling of its placeholder
        self.assertEqual(GrabRender(), "GRAB_RENDER")

    def test_update_carries_strict_and_upsert_does_not(self):
        from vuer.events import Update, Upsert
        from vuer.schemas import Box

        self.assertIs(Update(Box(key="b"), strict=True)._serialize()["strict"], True)
        self.assertIs(Update(Box(key="b"))._serialize()["strict"], False)
        self.assertNotIn("strict", Upsert(Box(key="b"), strict=True)._serialize())
        self.assertNotIn("strict", Upsert(Box(key="b"), strict=True)._serialize()["data"])

    def test_rpc_events_have_vuers_response_type(self):
        from vuer.events import GrabRender, MjStep

        g = GrabRender(key="ego", quality=0.5)
        self.assertEqual(g.rtype, "GRAB_RENDER_RESPONSE@" + g.uuid)
        self.assertEqual(g._serialize()["data"], {"quality": 0.5, "key": "ego"})
        self.assertTrue(MjStep().rtype.startswith("MJ_STEP_RESPONSE@"))


class WireTest(unittest.TestCase):
    def test_auto_keys_start_at_zero_in_a_fresh_program(self):
        code = "from vuer.schemas import Box, Sphere; print(Box().key, Sphere(key='s').key, Sphere().key, Box(key='').key)"
        out = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=BUNDLED_PATH), capture_output=True, text=True, check=True).stdout
        self.assertEqual(out.split(), ["0", "s", "1", "2"])  # a given key takes no number; an empty one does, as vuer

    def test_empty_child_lists_are_left_out(self):
        from vuer.schemas import Group, Scene

        self.assertNotIn("children", Group(key="g")._serialize())
        self.assertNotIn("children", Group(key="g", children=[])._serialize())
        out = Scene(key="s", bgChildren=[None])._serialize()
        self.assertEqual(sorted(out), ["key", "tag", "up"])

    def test_default_scene_background_children_are_vuers(self):
        from vuer.schemas import Box, DefaultScene

        out = DefaultScene(Box(key="b"), bgChildren=[Box(key="mine")], key="s")._serialize()
        keys = [(c["tag"], c["key"]) for c in out["bgChildren"]]
        self.assertEqual(keys, [
            ("Grid", "grid"), ("HemisphereLightStage", "light-stage"), ("Gamepad", "gamepad-0"), ("Hands", "hands"),
            ("MotionControllers", "motion-controllers"), ("SceneCamera", "SceneCamera"), ("SceneCameraControl", "SceneCameraControl"),
            ("CameraPreviewThumbs", "CameraPreviewThumbs"), ("CameraPreviewOverlay", "CameraPreviewOverlay"), ("Box", "mine"),
        ])
        self.assertEqual(out["bgChildren"][5]["position"], [0, 5, 10])
        self.assertNotIn("grid", [c["key"] for c in DefaultScene(grid=False)._serialize()["bgChildren"]])
        self.assertNotIn("grid", out)  # not a prop of the Scene: it only picks the background

    def test_text_children_are_strings_and_span_family_as_vuer(self):
        from vuer.schemas import Bold, Text

        self.assertEqual(Text("Hello", key="t")._serialize(), {"tag": "Text", "key": "t", "children": ["Hello"]})
        self.assertEqual(Bold("a", "b", key="x")._serialize(), {"tag": "Span", "key": "x", "text": "a b", "style": {"fontWeight": "bold"}})


class AppTest(unittest.TestCase):
    def test_options_take_vuers_defaults_and_environment(self):
        from vuer import Vuer

        app = Vuer()
        self.assertEqual((app.port, app.host, app.domain, app.queue_len, app.free_port, app.cert), (8012, "localhost", "https://vuer.ai", 100, False, None))
        self.assertEqual(app.localhost_prefix, "http://localhost:8012/workspace")
        self.assertEqual(app.localhost_prefix / "robot.urdf", "http://localhost:8012/workspace/robot.urdf")
        secure = Vuer(port=9000, cert="c.pem", queries={"grid": False})
        self.assertEqual(secure.localhost_prefix + "/a.glb", "https://localhost:9000/workspace/a.glb")
        self.assertEqual(secure.get_url(), "https://vuer.ai?ws=wss://localhost:9000&grid=False")
        code = "from vuer import Vuer; print(Vuer().port)"
        out = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=BUNDLED_PATH, VUER_PORT="8100"), capture_output=True, text=True, check=True).stdout
        self.assertEqual(out.strip(), "8100")

    def test_spawn_returns_vuers_wrapper_and_bare_spawn_the_function(self):
        from vuer import Vuer

        app = Vuer()

        async def main(sess):
            pass

        wrapper = app.spawn()(main)
        self.assertTrue(callable(wrapper.start))
        self.assertIs(app.spawn(main), main)
        self.assertEqual([h["fn"] for h in app.spawn_handlers], [main, main])

    def test_workspace_links_mounts_and_overlay(self):
        from vuer import Vuer
        from vuer.workspace import Blob

        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            Path(b, "robot.urdf").write_text("<robot/>")
            Path(a, "sub").mkdir()
            Path(a, "sub", "m.stl").write_bytes(b"solid")
            app = Vuer(static_root=[a, b])
            self.assertEqual(app.workspace.find("robot.urdf"), Path(b, "robot.urdf"))
            self.assertIsNone(app.workspace.find("../etc/passwd"))
            self.assertEqual(app.workspace.link(lambda: {"ok": True}, "api/status"), "/api/status")
            answer = asyncio.run(app.workspace.resolve("/api/status"))
            self.assertEqual((type(answer), answer.as_bytes()), (Blob, b'{"ok": true}'))
            app.workspace.mount(Path(a, "sub"), to="/meshes")
            self.assertEqual(asyncio.run(app.workspace.resolve("meshes/m.stl")), Path(a, "sub", "m.stl"))
            self.assertTrue(app.workspace.unlink("/api/status"))
            self.assertIsNone(asyncio.run(app.workspace.resolve("api/status")))


if __name__ == "__main__":
    unittest.main()
