"""vuer.schemas and vuer.events: node shapes and scene messages, without a process."""
import struct
import unittest

import host  # noqa: F401 - puts python/ on sys.path
from scene_runner.frames import Blob
from vuer.events import Remove, Set, Update, Upsert
from vuer.schemas import Box, Group, MeshStandardMaterial, PointCloud, Scene, TriMesh

try:
    import numpy as np
except ImportError:  # the list paths are tested either way
    np = None


class SchemasTest(unittest.TestCase):
    def test_nodes_serialise_as_tag_key_props(self):
        box = Box(args=[1, 2, 3], position=[0, 1, 0], key="b")
        self.assertEqual(box._serialize(), {"tag": "Box", "key": "b", "args": [1, 2, 3], "position": [0, 1, 0]})
        box.position = [5, 5, 5]  # vuer programs mutate nodes and upsert them again
        self.assertEqual(box._serialize()["position"], [5, 5, 5])

    def test_vuer_tag_names(self):
        self.assertEqual(Group(Box(key="in"), key="g")._serialize(), {"tag": "VuerGroup", "key": "g", "children": [{"tag": "Box", "key": "in"}]})
        self.assertEqual(MeshStandardMaterial(key="m")._serialize()["tag"], "meshStandardMaterial")

    def test_unknown_component_names_still_make_nodes(self):
        from vuer.schemas import HolographicThing

        self.assertEqual(HolographicThing(glow=2, key="h")._serialize(), {"tag": "HolographicThing", "key": "h", "glow": 2})
        import vuer.schemas

        with self.assertRaises(AttributeError):
            vuer.schemas.not_a_component  # noqa: B018 - lowercase names are not components

    def test_default_keys_are_unique(self):
        self.assertNotEqual(Box().key, Box().key)

    def test_scene_sends_only_the_child_lists_it_has(self):
        out = Scene(Box(key="b"), bgChildren=[Box(key="bg")], key="s")._serialize()
        self.assertEqual(out["children"], [{"tag": "Box", "key": "b"}])
        self.assertEqual(out["bgChildren"], [{"tag": "Box", "key": "bg"}])
        self.assertEqual(out["up"], [0, 1, 0])
        self.assertNotIn("rawChildren", out)  # vuer leaves empty child lists out
        self.assertNotIn("htmlChildren", out)
        self.assertNotIn("children", Scene(key="e")._serialize())

    def test_point_cloud_from_lists_is_binary(self):
        out = PointCloud(vertices=[[0, 0, 0], [1, 2, 3]], colors=[[1.0, 0.5, 0.0], [0.0, 0.0, 1.0]], key="pc")._serialize()
        self.assertEqual(out["vertices"], Blob("float32", struct.pack("<6f", 0, 0, 0, 1, 2, 3)))
        self.assertEqual(out["colors"], Blob("uint8", bytes([255, 127, 0, 0, 0, 255])))  # 0.5 * 255 truncated, as vuer

    def test_integer_colors_are_taken_as_bytes_and_alpha_is_dropped(self):
        out = PointCloud(vertices=[0, 0, 0], colors=[[10, 20, 30, 99]], key="pc")._serialize()
        self.assertEqual(out["colors"], Blob("uint8", bytes([10, 20, 30])))

    def test_mesh_faces_are_uint32(self):
        out = TriMesh(vertices=[[0, 0, 0], [1, 0, 0], [0, 1, 0]], faces=[[0, 1, 2]], key="m")._serialize()
        self.assertEqual(out["faces"], Blob("uint32", struct.pack("<3I", 0, 1, 2)))

    def test_bad_shapes_get_one_line_reasons(self):
        with self.assertRaisesRegex(ValueError, r"PointCloud 'p' vertices rows must have 3 numbers, got 2"):
            PointCloud(vertices=[[0, 0], [1, 1]], key="p")._serialize()
        with self.assertRaisesRegex(ValueError, r"TriMesh 'm' faces: 4 numbers is not a whole number of 3-tuples"):
            TriMesh(vertices=[0, 0, 0], faces=[0, 1, 2, 3], key="m")._serialize()
        with self.assertRaisesRegex(TypeError, "vertices must be a list or numpy array, not str"):
            PointCloud(vertices="0 0 0", key="s")._serialize()

    @unittest.skipIf(np is None, "numpy is not installed for this interpreter")
    def test_numpy_arrays_become_the_same_blobs(self):
        verts = np.array([[0, 0, 0], [1, 2, 3]], dtype=np.float64)
        colors = np.array([[1.0, 0.5, 0.0], [0.0, 0.0, 1.0]])
        out = PointCloud(vertices=verts, colors=colors, key="pc")._serialize()
        listed = PointCloud(vertices=verts.tolist(), colors=colors.tolist(), key="pc")._serialize()
        self.assertEqual(out, listed)

    def test_events_in_both_forms(self):
        a, b = Box(key="a"), Box(key="b")
        self.assertEqual(Upsert(a, b, to="g")._serialize()["data"], Upsert([a, b], to="g")._serialize()["data"])
        self.assertEqual(Upsert(a)._serialize()["data"], {"nodes": [{"tag": "Box", "key": "a"}], "to": None})
        self.assertEqual(Update(a)._serialize()["data"], {"nodes": [{"tag": "Box", "key": "a"}]})
        self.assertEqual(Remove("a", b)._serialize()["data"], {"keys": ["a", "b"]})
        self.assertEqual(Remove(["a"])._serialize()["etype"], "REMOVE")
        with self.assertRaisesRegex(TypeError, "sess.set takes a Scene"):
            Set(Box())
        with self.assertRaisesRegex(TypeError, "expected a vuer.schemas node"):
            Upsert(42)


if __name__ == "__main__":
    unittest.main()
