"""vuer.workspace: where a program's asset URLs point (Workspace, Blob, links, mounts) and the
image encoders for links."""
from .encoders import b64jpg, b64png, decode_b64png, jpg, png
from .workspace import MIME_TYPES, Blob, MimeTypes, ResolveResult, Workspace, guess_content_type, sanitize_path, workspace_from_config

__all__ = [
    "Blob", "MimeTypes", "Workspace", "guess_content_type", "sanitize_path", "workspace_from_config", "MIME_TYPES",
    "ResolveResult", "jpg", "png", "b64jpg", "b64png", "decode_b64png",
]
