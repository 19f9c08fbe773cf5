"""Which code is the user's: for task creation sites, error locations and trimmed tracebacks.

A frame is "ours" (hidden) when it lives in this package, in the bundled vuer package,
or in runpy (which we use to start the program). It is "library" when it lives in the
standard library or site-packages, or in an installed vuer (wherever it was imported from:
add_library_root). Everything else is the user's program.
"""
import os
import sys
import sysconfig
import traceback

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # .../python
# The bundled vuer lives apart (python/bundled/vuer) so that a run on the user's installed vuer
# can have our tracker on its path without our vuer.
BUNDLED_ROOT = os.path.join(PACKAGE_ROOT, "bundled")
_OURS = (os.path.join(PACKAGE_ROOT, "scene_runner") + os.sep, os.path.join(BUNDLED_ROOT, "vuer") + os.sep)


def _library_roots():
    paths = [sysconfig.get_paths().get(key) for key in ("stdlib", "platstdlib", "purelib", "platlib")]
    # Debian's interpreter keeps its packages (python3-aiohttp...) in /usr/lib/python3/dist-packages,
    # which only site knows of; so do virtualenvs and user installs.
    try:
        import site

        paths += list(getattr(site, "getsitepackages", lambda: [])()) + [getattr(site, "getusersitepackages", lambda: None)()]
    except Exception:  # noqa: B902 - site may be disabled (-S) or stripped
        pass
    roots = set()
    for path in paths:
        if path:
            roots.add(os.path.realpath(path) + os.sep)
            roots.add(os.path.abspath(path) + os.sep)
    return tuple(roots)


_LIBRARY = _library_roots()
_cache = {}


def add_library_root(path):
    """Counts the files under `path` as library code (an installed vuer imported from a source
    checkout rather than site-packages: its frames are not the user's)."""
    global _LIBRARY
    roots = {os.path.realpath(path) + os.sep, os.path.abspath(path) + os.sep}
    _LIBRARY = tuple(set(_LIBRARY) | roots)
    _cache.clear()


def is_ours(filename):
    # runpy is frozen from 3.11 on ("<frozen runpy>"), a plain file before.
    return filename.startswith(_OURS) or filename == "<frozen runpy>" or os.path.basename(filename) == "runpy.py"


def is_user(filename):
    """True for the program's own files (the answer is cached per filename: it is asked per task)."""
    hit = _cache.get(filename)
    if hit is None:
        hit = not (filename.startswith("<") or is_ours(filename) or filename.startswith(_LIBRARY))
        _cache[filename] = hit
    return hit


def user_caller(depth=1):
    """(file, line) of the innermost user frame on the current stack, or (None, None)."""
    frame = sys._getframe(depth)
    while frame is not None:
        name = frame.f_code.co_filename
        if is_user(name):
            return name, frame.f_lineno
        frame = frame.f_back
    return None, None


def _drop_our_frames(te, seen):
    """Removes runner frames (runpy, scene_runner, vuer) from a TracebackException and the
    exceptions chained to it, so the traceback reads as if the program ran as `python file.py`."""
    if te is None or id(te) in seen:
        return
    seen.add(id(te))
    te.stack = traceback.StackSummary.from_list([f for f in te.stack if not is_ours(f.filename)])
    _drop_our_frames(te.__cause__, seen)
    _drop_our_frames(te.__context__, seen)
    for sub in getattr(te, "exceptions", None) or ():  # ExceptionGroup members (3.11+)
        _drop_our_frames(sub, seen)


def format_exception(exc):
    """The traceback Python would print for exc, without runner frames. Never raises:
    an exception that cannot even be formatted is described in one line."""
    try:
        te = traceback.TracebackException(type(exc), exc, exc.__traceback__)
        _drop_our_frames(te, set())
        return "".join(te.format())
    except Exception as e:  # noqa: B902 - a program's exception may be arbitrarily broken
        return "%s: %s\n(scene_runner could not format its traceback: %s: %s)\n" % (_type_name(exc), safe_str(exc), _type_name(e), safe_str(e))


def safe_str(x):
    """str(x), or a description like Python's own when __str__ raises."""
    try:
        s = str(x)
        if isinstance(s, str):
            return s
    except Exception:  # noqa: B902
        pass
    return "<unprintable %s object>" % _type_name(x)


def _type_name(x):
    try:
        return type(x).__name__
    except Exception:  # noqa: B902
        return "object"


def wire_text(s):
    """s, with what UTF-8 cannot carry (lone surrogates: legal in a Python str) escaped
    as backslash sequences, so a report never fails to encode."""
    if s.isascii():
        return s
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.encode("utf-8", "backslashreplace").decode("utf-8")


def error_info(exc):
    """ErrorInfo (src/protocol/tasks.ts) for an exception: innermost user frame as location.
    Never raises, and every string in it can be sent."""
    info = {"name": wire_text(_type_name(exc)), "message": wire_text(safe_str(exc)), "stack": wire_text(format_exception(exc))}
    location = None
    try:
        for frame, line in traceback.walk_tb(exc.__traceback__):
            if is_user(frame.f_code.co_filename):
                location = {"file": wire_text(frame.f_code.co_filename), "line": line}
        if isinstance(exc, SyntaxError) and isinstance(exc.filename, str) and isinstance(exc.lineno, int) and exc.lineno:
            location = {"file": wire_text(exc.filename), "line": exc.lineno}
    except Exception:  # noqa: B902 - a location is a nicety
        pass
    if location:
        info["location"] = location
    return info
