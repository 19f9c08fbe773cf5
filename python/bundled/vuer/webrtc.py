"""vuer.webrtc: WebRTC video streams. They need vuer's web server and aiortc; Scene Runner's
viewer has neither, so the names import and using them raises, saying so."""

_WHY = "WebRTC streams need vuer's web server (and aiortc); Scene Runner's viewer has no WebRTC"


class WebRTCStream:
    def __init__(self, stream_id=None, vuer=None, **kwargs):
        raise RuntimeError("WebRTCStream(%r): %s" % (stream_id, _WHY))


class WebRTCStreamManager:
    def __init__(self, *args, **kwargs):
        raise RuntimeError("WebRTCStreamManager: %s" % _WHY)


async def serve_debug_page(request=None):
    raise RuntimeError("serve_debug_page: %s" % _WHY)
