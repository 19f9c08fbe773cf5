"""The scene root. SET replaces the viewer's whole scene with one of these."""
from .base import BlockElement


class Scene(BlockElement):
    """Root node: children plus the three side lists vuer has (raw three.js children,
    HTML overlay children, background children), which always go out as lists."""

    tag = "Scene"

    def __init__(self, *children, rawChildren=None, htmlChildren=None, bgChildren=None, up=None, **props):
        super().__init__(*children, **props)
        self.children = list(children)
        self.rawChildren = list(rawChildren or [])
        self.htmlChildren = list(htmlChildren or [])
        self.bgChildren = list(bgChildren or [])
        self.up = list(up) if up is not None else [0, 1, 0]


class DefaultScene(Scene):
    """vuer's DefaultScene: a Scene with grid, lights and camera controls. Here it asks the
    viewer for its defaults with `grid` and `defaultLights` props instead of listing them."""

    def __init__(self, *children, grid=True, **props):
        props.setdefault("defaultLights", True)
        super().__init__(*children, grid=grid, **props)
