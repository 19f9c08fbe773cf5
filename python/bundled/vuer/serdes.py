"""vuer.serdes: serializer() and the image encoders. The encoders need Pillow, as vuer's do;
without it they fail when called, with the one-line fix (importing this module never fails)."""
import base64
import io

from .schemas.base import to_wire


def serializer(data):
    if hasattr(data, "_serialize"):
        return data._serialize()
    if isinstance(data, (list, tuple)):
        return [serializer(d) for d in data]
    return data


def _pil():
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("vuer image encoding needs Pillow: pip install pillow (Scene Runner's vuer is standard-library only)") from None
    return Image


def _encode(image, fmt, **options):
    rgb = _pil().fromarray(image)
    if fmt == "JPEG" and (len(image.shape) == 2 or image.shape[2] == 1):
        rgb = rgb.convert("L")
    with io.BytesIO() as buff:
        rgb.save(buff, format=fmt, **options)
        return buff.getvalue()


def jpeg(image, quality=90):
    return _encode(image, "JPEG", quality=quality)


def png(image):
    return _encode(image, "PNG")


def b64jpeg(image, quality=90):
    return "data:image/jpeg;base64," + base64.b64encode(jpeg(image, quality)).decode("ascii")


def b64png(image):
    return "data:image/png;base64," + base64.b64encode(png(image)).decode("ascii")


IMAGE_FORMATS = {"jpeg": jpeg, "png": png, "b64jpeg": b64jpeg, "b64png": b64png}

__all__ = ["serializer", "jpeg", "png", "b64jpeg", "b64png", "IMAGE_FORMATS", "to_wire"]
