"""vuer's Workspace: the folders a program's asset URLs (``app.localhost_prefix + "/x.urdf"``)
resolve against, plus links (``app.workspace.link(fn, "/live.jpg")``) and mounts. Here there is
no web server: the viewer loads the files itself, and a link is answered by resolve()."""
import inspect
import json as _json
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path
from typing import AsyncIterator, List, Union


class MimeTypes(dict):
    """Extension -> content type, with guess(filename) falling back to mimetypes."""

    def guess(self, filename):
        ext = Path(filename).suffix.lower()
        if ext in self:
            return self[ext]
        return mimetypes.guess_type(filename)[0] or "application/octet-stream"


MIME_TYPES = MimeTypes({
    ".urdf": "application/xml", ".xacro": "application/xml", ".srdf": "application/xml", ".sdf": "application/xml",
    ".mjcf": "application/xml", ".xml": "application/xml", ".dae": "model/vnd.collada+xml", ".stl": "model/stl",
    ".obj": "model/obj", ".glb": "model/gltf-binary", ".gltf": "model/gltf+json", ".ply": "application/x-ply",
    ".pcd": "application/x-pcd", ".json": "application/json", ".yaml": "application/x-yaml", ".yml": "application/x-yaml",
})


def guess_content_type(filename):
    return MIME_TYPES.guess(filename)


def sanitize_path(filename):
    """A request path made safe to join under a folder: no leading slash, no . or .. parts."""
    parts = [p for p in Path(str(filename).lstrip("/")).parts if p not in ("..", ".")]
    return str(Path(*parts)) if parts else ""


@dataclass
class Blob:
    """In-memory content with a content type: exactly one of data, text or json."""

    data: bytes = None
    text: str = None
    json: Union[dict, list] = None
    content_type: str = None

    def __post_init__(self):
        if sum(f is not None for f in (self.data, self.text, self.json)) != 1:
            raise ValueError("Exactly one of data, text, or json must be set")
        if self.content_type is None:
            self.content_type = "application/json" if self.json is not None else "text/plain" if self.text is not None else "application/octet-stream"

    def as_bytes(self):
        if self.data is not None:
            return self.data
        if self.text is not None:
            return self.text.encode("utf-8")
        return _json.dumps(self.json).encode("utf-8")


ResolveResult = Union[Path, bytes, Blob, AsyncIterator[bytes], None]


class Workspace:
    """Search paths for the program's files, first match wins (like $PATH)."""

    MIME_TYPES = MIME_TYPES

    def __init__(self, *overlay):
        self._overlay = tuple(Path(p) for p in (overlay or (".",)))
        self._mounts = []
        self._links = {}

    @property
    def paths(self):
        return self._overlay

    @property
    def absolute_paths(self):
        return [str(p.resolve()) for p in self._overlay]

    def find(self, filename):
        """The first overlay file with this (sanitised) relative name, or None."""
        safe = sanitize_path(filename)
        if not safe:
            return None
        for root in self._overlay:
            candidate = root / safe
            if candidate.is_file():
                return candidate
        return None

    def mount(self, path, *, to):
        """Serves one folder under a URL prefix (``to``)."""
        self._mounts.append({"type": "mount", "path": "/" + str(to).strip("/"), "root": Path(path)})
        return self

    def link(self, target, to, *, method="GET", content_type=None):
        """Links a Path, bytes or a callable (called on each request) to a URL path."""
        path = "/" + str(to).lstrip("/")
        self._links[path] = {"target": target, "method": method, "content_type": content_type or guess_content_type(path)}
        return path

    def unlink(self, path):
        return self._links.pop("/" + str(path).lstrip("/"), None) is not None

    @property
    def links(self):
        return self._links

    @property
    def mounts(self):
        return self._mounts

    async def handle_link(self, filename, request=None):
        """What a link answers for this path (a callable is called, with `request` if it takes
        an argument), or None when no link has this path."""
        entry = self._links.get("/" + str(filename).lstrip("/"))
        if entry is None:
            return None
        target = entry["target"]
        if callable(target):
            takes_request = bool(inspect.signature(target).parameters)
            target = target(request) if takes_request else target()
            if inspect.isawaitable(target):
                target = await target
        if isinstance(target, (dict, list)):
            return Blob(json=target)
        if isinstance(target, str) and not isinstance(target, os.PathLike):
            return Blob(text=target, content_type=entry["content_type"] if entry["content_type"] != "application/octet-stream" else "text/plain")
        return target

    async def resolve(self, filename):
        """A link's answer, else the file from the mounts or the overlay, else None."""
        linked = await self.handle_link(filename)
        if linked is not None:
            return linked
        name = "/" + str(filename).lstrip("/")
        for m in self._mounts:
            if name.startswith(m["path"] + "/"):
                candidate = m["root"] / sanitize_path(name[len(m["path"]) + 1:])
                if candidate.is_file():
                    return candidate
        return self.find(filename)

    def __repr__(self):
        return "Workspace(%s)" % ", ".join('"%s"' % p for p in self._overlay)


def workspace_from_config(config):
    if config is None:
        return Workspace()
    if isinstance(config, Workspace):
        return config
    if isinstance(config, (str, Path)):
        return Workspace(config)
    if isinstance(config, (list, tuple)):
        return Workspace(*config)
    raise TypeError("Cannot convert %s to Workspace" % type(config).__name__)
