// Loopback ports for tests that start servers (a real vuer, a fake one) or expect none.
import { connect, createServer } from "node:net";

/** A port nothing listens on now (bound, then released). */
export async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** Whether something accepts a connection on 127.0.0.1:`port` right now. */
export function isListening(port) {
  return new Promise((r) => {
    const c = connect(port, "127.0.0.1", () => (c.destroy(), r(true)));
    c.on("error", () => r(false));
  });
}

/** Waits until something listens on `port` (a server still starting), or throws after `ms`. */
export async function waitListening(port, ms = 60_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await isListening(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listened on port ${port} within ${ms} ms`);
}
