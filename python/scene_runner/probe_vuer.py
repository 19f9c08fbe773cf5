"""Answers, for the host, whether this interpreter can run a program on a real vuer (vuer-ai's,
installed by the user) rather than Scene Runner's bundled one: ``python -m scene_runner.probe_vuer
<bundled-root> <program-dir>``, run with the path and working directory the program itself
would get (its folder first on sys.path, as session.py puts it). Prints one JSON line:
``{"ok": true, "path": ..., "version": ...}`` or ``{"ok": false, "reason": ...}``, with
``"searched"``: the folders on its sys.path.

Imports ``vuer.server`` (not just ``vuer``): that is what a program's ``from vuer import Vuer``
needs, and where a missing dependency of vuer's (aiohttp, msgpack...) shows."""
import importlib.util
import json
import os
import sys


def probe(bundled_root):
    # Where `import vuer` would come from, before running any of it (ours is never run here).
    try:
        spec = importlib.util.find_spec("vuer")
    except Exception as e:  # noqa: B902 - a broken path entry may raise anything
        return {"ok": False, "reason": "looking for vuer failed: %s: %s" % (type(e).__name__, e)}
    if spec is None:
        return {"ok": False, "reason": "no vuer package is importable"}
    if spec.origin and os.path.realpath(spec.origin).startswith(os.path.realpath(bundled_root) + os.sep):
        return {"ok": False, "reason": "the only vuer importable is Scene Runner's bundled one"}
    try:
        import vuer
    except ImportError as e:
        if getattr(e, "name", None) == "vuer":
            return {"ok": False, "reason": "no vuer package is importable"}
        return {"ok": False, "reason": "vuer does not import: %s: %s" % (type(e).__name__, e)}
    except Exception as e:  # noqa: B902 - a broken package may raise anything
        return {"ok": False, "reason": "vuer does not import: %s: %s" % (type(e).__name__, e)}
    path = os.path.dirname(os.path.realpath(getattr(vuer, "__file__", None) or spec.origin or ""))
    try:
        import vuer.server
    except Exception as e:  # noqa: B902
        return {"ok": False, "reason": "vuer at %s does not import: %s: %s" % (path, type(e).__name__, e)}
    if not isinstance(getattr(vuer.server, "Vuer", None), type):
        return {"ok": False, "reason": "the vuer at %s has no vuer.server.Vuer (not vuer-ai's vuer?)" % path}
    answer = {"ok": True, "path": path}
    version = _version(path)
    if version:
        answer["version"] = version
    return answer


def _version(path):
    """The version of the distribution that holds this very package (another vuer elsewhere on
    the path may have metadata too), or vuer's __version__."""
    try:
        from importlib import metadata

        dist = metadata.distribution("vuer")
        if os.path.realpath(str(dist.locate_file("vuer"))) == path:
            return dist.version
    except Exception:  # noqa: B902 - no metadata (a source checkout): not an error
        pass
    import vuer

    version = getattr(vuer, "__version__", None)
    return version if isinstance(version, str) else None


if __name__ == "__main__":
    # What vuer prints while it imports (its notes about missing extras) is not our answer.
    out, sys.stdout = sys.stdout, sys.stderr
    try:
        if len(sys.argv) > 2:
            sys.path[0] = sys.argv[2]
        answer = probe(sys.argv[1] if len(sys.argv) > 1 else "")
    finally:
        sys.stdout = out
    # Where it looked: the host keeps this answer until one of these folders changes (pip install).
    answer["searched"] = [p for p in sys.path if p and os.path.isdir(p)]
    sys.stdout.write(json.dumps(answer) + "\n")
