"""The scene root. SET replaces the viewer's whole scene with one of these."""
from .base import BlockElement


class Scene(BlockElement):
    """Root node: children plus the three side lists vuer has (raw three.js children, HTML
    overlay children, background children). As in vuer, an empty list is left out."""

    tag = "Scene"

    def __init__(self, *children, rawChildren=None, htmlChildren=None, bgChildren=None, up=None, **props):
        super().__init__(*children, **props)
        if rawChildren is not None:
            rawChildren = list(rawChildren) if isinstance(rawChildren, (list, tuple)) else [rawChildren]
        for name, value in (("rawChildren", rawChildren), ("htmlChildren", htmlChildren), ("bgChildren", bgChildren)):
            value = [e for e in (value or []) if e]  # vuer drops None entries (a switched-off default)
            if value:
                setattr(self, name, value)
        self.up = list(up) if up is not None else [0, 1, 0]


def _default_background(grid):
    # Imported here: these classes are made in the package's __init__.
    from . import CameraPreviewOverlay, CameraPreviewThumbs, Gamepad, Grid, Hands, HemisphereLightStage, MotionControllers, SceneCamera, SceneCameraControl

    return [
        Grid(key="grid") if grid else None,
        HemisphereLightStage(key="light-stage"),
        Gamepad(key="gamepad-0", index=0),
        Hands(fps=30, stream=True, key="hands"),
        MotionControllers(fps=30, stream=True, key="motion-controllers"),
        SceneCamera(key="SceneCamera", position=[0, 5, 10]),
        SceneCameraControl(key="SceneCameraControl", makeDefault=True),
        CameraPreviewThumbs(key="CameraPreviewThumbs"),
        CameraPreviewOverlay(key="CameraPreviewOverlay"),
    ]


class DefaultScene(Scene):
    """vuer's DefaultScene: a Scene whose background children are vuer's defaults (grid,
    hemisphere light stage, gamepad, hands, motion controllers, scene camera and its
    controls, camera previews), then the program's own bgChildren."""

    def __init__(self, *children, bgChildren=None, grid=True, **props):
        background = _default_background(grid) + list(bgChildren or [])
        super().__init__(*children, bgChildren=background, **props)
