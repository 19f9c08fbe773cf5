// A small vuer-protocol server for the tests, written from vuer's server source (vuer-ai/vuer
// src/vuer/server.py, events.py): a WebSocket on one port, binary MessagePack frames both ways,
// every Python float packed as float32 (`use_single_float=True`), bytes as `bin`, `ts` as integer
// milliseconds (a uint64 on the wire); a new session per connection whose handler starts on the
// client's first INIT; RPCs (GRAB_RENDER) sent with uuid, rtype and key at the envelope's top level
// and answered by an event whose etype is the rtype. Not vuer: a stand-in where vuer cannot run.
import { Decoder, Encoder } from "@msgpack/msgpack";
import { WebSocketServer } from "ws";

const pack = new Encoder({ forceFloat32: true, ignoreUndefined: true });
const unpack = new Decoder();

export const scene = (children = [], extra = {}) => ({ tag: "Scene", key: "scene", up: [0, 1, 0], children, ...extra });

/**
 * `onSession(session)` runs for each connection once its INIT arrives (vuer's spawn handler).
 * session: { init, events, send(etype, data, extra), rpc(etype, data, key, ttlMs) -> Promise<event>, close(code) }
 */
export async function startFakeVuer({ port = 0, onSession = () => {} } = {}) {
  const sessions = [];
  const received = []; // every client event, in arrival order, across sessions
  const waiters = new Set();
  const wss = new WebSocketServer({ port, host: "127.0.0.1", perMessageDeflate: false });
  await new Promise((r, j) => (wss.once("listening", r), wss.once("error", j)));
  const actualPort = wss.address().port;

  wss.on("connection", (ws) => {
    const session = {
      init: undefined,
      events: [],
      socket: ws,
      send(etype, data, extra = {}) {
        ws.send(pack.encode({ etype, ts: Date.now(), data, ...extra }), { binary: true });
      },
      sendRaw(bytes, binary = true) {
        ws.send(bytes, { binary });
      },
      rpc(etype, data, key = "DEFAULT", ttlMs = 30_000) {
        const uuid = crypto.randomUUID();
        const rtype = `${etype}_RESPONSE@${uuid}`;
        const answer = waitFor((e) => e.session === session && e.etype === rtype, ttlMs, `${rtype}`);
        ws.send(pack.encode({ etype, ts: Date.now(), data, uuid, key, rtype }), { binary: true });
        return answer;
      },
      close(code = 1000) {
        ws.close(code);
      },
    };
    sessions.push(session);
    ws.on("message", (data, isBinary) => {
      if (!isBinary) return;
      const e = unpack.decode(data);
      e.session = session;
      session.events.push(e);
      received.push(e);
      if (e.etype === "INIT" && !session.init) {
        session.init = e;
        void onSession(session);
      }
      for (const w of [...waiters]) w(e);
    });
  });

  function waitFor(pred, timeoutMs = 30_000, what = "an event") {
    const found = received.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`fake vuer: no ${what} within ${timeoutMs} ms; got ${received.map((e) => e.etype).join(", ") || "nothing"}`));
      }, timeoutMs);
      const check = (e) => {
        if (!pred(e)) return;
        clearTimeout(t);
        waiters.delete(check);
        resolve(e);
      };
      waiters.add(check);
    });
  }

  return {
    port: actualPort,
    url: `ws://127.0.0.1:${actualPort}`,
    sessions,
    received,
    waitFor,
    /** Stops listening and drops every connection abruptly, as a killed server does. */
    async stop() {
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(() => r()));
    },
  };
}
