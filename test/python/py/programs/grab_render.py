# grab_render() gives the frame as bytes, so io.BytesIO(frame) works as with vuer.
import io

from vuer import Vuer

app = Vuer()


@app.spawn(start=True)
async def main(sess):
    event = await sess.grab_render(quality=0.9)
    frame = event.value["frame"]
    print(type(frame).__name__, io.BytesIO(frame).read())
