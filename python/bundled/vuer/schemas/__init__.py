"""Every component name vuer offers, as node classes (``Box(args=[1, 1, 1], key="b")``).

Most tags equal the class name; the few that differ are listed in _TAGS. A name that is
not listed still works: ``from vuer.schemas import SomethingNew`` makes a node class
with tag "SomethingNew", so programs using components the viewer does not draw yet
still run (the viewer shows a warning for tags it does not know).
"""
from .base import BlockElement, Element, SceneElement
from .binary import PointCloud, TriMesh
from .scene import DefaultScene, Scene

_SCENE_NAMES = """
Box Sphere Plane Cylinder Capsule Cone Circle Ring Torus TorusKnot Tube Lathe Extrude Shape
Polyhedron Tetrahedron Octahedron Dodecahedron Icosahedron Edges Wireframe Fog group mesh
Group VuerGroup Pivot Movable Clickable Center Billboard CoordsMarker Arrow Grid BBox BoundingBox
BoundingBoxProvider Gripper SkeletalGripper Trail Html Text Text3D Line QuadraticBezierLine
CubicBezierLine CatmullRomLine Facemesh Pcd DepthPointCloud DepthPointCloudProvider
InPlaceDepthPointCloud Splat LumaSplats SparkSplats VuerSplat Obj Fbx Stl Dae Ply Glb Gltf Bvh Urdf
ContribLoader AmbientLight DirectionalLight PointLight SpotLight HemisphereLight RectAreaLight
HemisphereLightStage AmbientLightStage Stage RandomizedLight AccumulativeShadows PerspectiveCamera
OrthographicCamera SimplePerspectiveCamera SimpleOrthographicCamera FisheyeCamera OrbitControls
SceneCamera SceneCameraControl CameraView CameraHelper Frustum PerspectiveFrustum FisheyeFrustum
OrthographicFrustum GrabRender CameraPreviewThumbs CameraPreviewOverlay ViewportHud PointerControls
KeyboardMonitor Gamepad Gamepads SceneBackground ImageBackground BackgroundColor HUDPlane VideoPlane
VideoMaterial StereoVideoPlane WebRTCVideoPlane WebRTCVideoMaterial WebRTCStereoVideoPlane Hands
MotionControllers Body Head WebXRMesh TimelineControls AnimationClip VectorTrack QuaternionTrack
ThreeAnimate PlaybackAnimate MuJoCo MuJoCoProvider HandActuator MotionControllerActuator MjCameraView
""".split()

_MATERIAL_NAMES = """
MeshBasicMaterial MeshStandardMaterial MeshPhysicalMaterial MeshPhongMaterial MeshLambertMaterial
MeshNormalMaterial MeshDepthMaterial MeshToonMaterial MeshMatcapMaterial MeshDistanceMaterial
PointsMaterial LineBasicMaterial LineDashedMaterial ShaderMaterial RawShaderMaterial ShadowMaterial
SpriteMaterial Material
""".split()

_HTML_NAMES = """
Page div Header1 Header2 Header3 Paragraph Markdown AutoScroll Iframe InputBox Button Slider Img
Image
""".split()

# Where vuer's tag is not the class name.
_TAGS = {
    "Group": "VuerGroup",
    "Fog": "fog",
    "LumaSplats": "Splats",
    "Page": "article",
    "div": "Div",
    "ModelNode": "div",
    "Header1": "h1",
    "Header2": "h2",
    "Header3": "h3",
    "Paragraph": "p",
    "Iframe": "iframe",
    "InputBox": "Input",
}
# r3f material tags are lowerCamelCase (meshStandardMaterial).
_TAGS.update({name: name[0].lower() + name[1:] for name in _MATERIAL_NAMES})


def _make(name, base):
    return type(name, (base,), {"tag": _TAGS.get(name, name), "__module__": __name__})


_defined = {}
for _name in _SCENE_NAMES + _MATERIAL_NAMES:
    _defined[_name] = _make(_name, SceneElement)
for _name in _HTML_NAMES:
    _defined[_name] = _make(_name, BlockElement)


class span(BlockElement):
    """Inline text, as vuer's: the positional arguments joined by `sep` become its `text`."""

    tag = "Span"

    def __init__(self, *text, sep=" ", style=None, **props):
        super().__init__(**props)
        self.text = sep.join(str(t) for t in text)
        style = self._style(style)
        if style is not None:
            self.style = style

    def _style(self, style):
        return style


class Bold(span):
    def _style(self, style):
        return dict({"fontWeight": "bold"}, **(style or {}))


class Italic(span):
    def _style(self, style):
        return dict({"fontStyle": "italic"}, **(style or {}))


class Link(span):
    tag = "a"


for _cls in (span, Bold, Italic, Link):
    _defined[_cls.__name__] = _cls
Header = _defined["Header1"]  # vuer's alias
globals().update(_defined)

p = PointCloud  # vuer's short alias

__all__ = sorted(
    list(_defined) + ["Header", "Element", "BlockElement", "SceneElement", "Scene", "DefaultScene", "PointCloud", "TriMesh", "p"]
)


def __getattr__(name):
    # PEP 562: any other capitalised name is a component this package does not list yet.
    if not name[:1].isupper():
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    cls = _make(name, SceneElement)
    globals()[name] = cls
    return cls
