"""vuer's image encoders for workspace links (``app.workspace.link(lambda: jpg(frame), "/f.jpg")``).
They need Pillow and numpy, as vuer's do; without them they fail when called, never on import."""
import base64
import io
from typing import Any

from ..serdes import _pil

ArrayLike = Any  # numpy.ndarray or a PIL image


def _to_image(image):
    Image = _pil()
    if isinstance(image, Image.Image):
        return image
    if hasattr(image, "dtype") and image.dtype.kind == "f":
        image = (image.clip(0, 1) * 255).astype("uint8")
    return Image.fromarray(image)


def _save(image, fmt, **options):
    img = _to_image(image)
    if fmt == "JPEG" and img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    with io.BytesIO() as buff:
        img.save(buff, format=fmt, **options)
        return buff.getvalue()


def jpg(image, quality=90):
    return _save(image, "JPEG", quality=quality)


def png(image):
    return _save(image, "PNG")


def b64jpg(image, quality=90):
    return "data:image/jpeg;base64," + base64.b64encode(jpg(image, quality)).decode("ascii")


def b64png(image):
    return "data:image/png;base64," + base64.b64encode(png(image)).decode("ascii")


def decode_b64png(b64):
    data = b64.split(",", 1)[1] if b64.startswith("data:") else b64
    return _pil().open(io.BytesIO(base64.b64decode(data)))
