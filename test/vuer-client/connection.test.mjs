// The connection's life on a virtual clock, with a scripted socket in place of the network (the
// real `ws` against a real server is in e2e.test.mjs): the states a viewer shows, the retry delays,
// an INIT on every open, a clean close by the server ending it, close() ending it for good.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadClient } from "./load.mjs";

const { VuerConnection } = await loadClient("src/vuer-client/connection.ts");

function virtualClock() {
  let now = 0;
  let timers = [];
  return {
    timers: {
      schedule(fn, ms) {
        const t = { at: now + ms, fn, live: true };
        timers.push(t);
        return () => (t.live = false);
      },
    },
    /** Moves time on by `ms`, running what falls due. */
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.live && t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        now = due.at;
        due.live = false;
        due.fn();
      }
      now = until;
      timers = timers.filter((t) => t.live);
    },
    get pending() {
      return timers.filter((t) => t.live).map((t) => t.at - now);
    },
  };
}

/** Each `connect` makes a socket the test opens, fails or closes by hand. */
function scriptedSockets() {
  const made = [];
  const factory = (url, h) => {
    const s = { url, h, sent: [], closed: false, send: (d) => s.sent.push(d), close: () => (s.closed = true) };
    made.push(s);
    return s;
  };
  return { factory, made, last: () => made[made.length - 1] };
}

function setup(extra = {}) {
  const clock = virtualClock();
  const sockets = scriptedSockets();
  const states = [];
  const opened = [];
  const messages = [];
  const c = new VuerConnection({
    url: "ws://127.0.0.1:8012",
    socket: sockets.factory,
    timers: clock.timers,
    onOpen: (send) => opened.push(send(new Uint8Array([1]))),
    onMessage: (d) => messages.push(d),
    onState: (s) => states.push(s),
    ...extra,
  });
  return { c, clock, sockets, states, opened, messages };
}

const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8012"), { code: "ECONNREFUSED" });

test("connecting, connected; INIT goes out on open", () => {
  const { c, sockets, states, opened } = setup();
  c.start();
  assert.deepEqual(states, [{ state: "connecting", attempt: 1 }]);
  sockets.last().h.onOpen();
  assert.deepEqual(states.at(-1), { state: "connected" });
  assert.deepEqual(opened, [true], "the open handler could send at once");
  assert.equal(sockets.last().sent.length, 1);
  assert.equal(c.send(new Uint8Array([2])), true);
});

test("a server that is not there yet: retries at 250 ms doubling to a 5 s cap, with the reason shown", () => {
  const { c, clock, sockets, states } = setup();
  c.start();
  const delays = [];
  for (let i = 0; i < 8; i++) {
    sockets.last().h.onError(refused);
    sockets.last().h.onClose(1006, "");
    const s = states.at(-1);
    assert.equal(s.state, "reconnecting");
    assert.equal(s.reason, "nothing listens there (connection refused)");
    assert.equal(s.attempt, i + 2);
    delays.push(s.inMs);
    assert.deepEqual(clock.pending, [s.inMs]);
    const before = sockets.made.length;
    clock.advance(s.inMs - 1);
    assert.equal(sockets.made.length, before, "not before its time");
    clock.advance(1);
    assert.equal(sockets.made.length, before + 1);
    assert.deepEqual(states.at(-1), { state: "connecting", attempt: i + 2 });
  }
  assert.deepEqual(delays, [250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  c.close();
});

test("a server restart: reconnecting, then connected again with a fresh INIT; the delay starts over", () => {
  const { c, clock, sockets, states, opened } = setup();
  c.start();
  sockets.last().h.onOpen();
  sockets.last().h.onClose(1006, ""); // killed
  assert.equal(states.at(-1).state, "reconnecting");
  assert.equal(states.at(-1).inMs, 250);
  assert.match(states.at(-1).reason, /the server went away \(close 1006\)/);
  assert.equal(c.send(new Uint8Array([3])), false, "nothing is queued while disconnected");
  clock.advance(250);
  sockets.last().h.onError(refused); // still down
  sockets.last().h.onClose(1006, "");
  clock.advance(250);
  sockets.last().h.onOpen(); // back
  assert.deepEqual(states.at(-1), { state: "connected" });
  assert.equal(opened.length, 2, "a new vuer session: a new INIT");
  assert.equal(c.opens, 2);
  sockets.last().h.onClose(1001, "going away");
  assert.equal(states.at(-1).inMs, 250, "after a good connection the delays start over");
  c.close();
});

test("a clean close by the server (its session's handler returned) ends the connection", () => {
  const { c, clock, sockets, states } = setup();
  c.start();
  sockets.last().h.onOpen();
  sockets.last().h.onClose(1000, "");
  assert.deepEqual(states.at(-1), { state: "closed", reason: "the server ended the session" });
  clock.advance(60_000);
  assert.equal(sockets.made.length, 1, "no reconnect: it would run the program's handler again, unasked");
  assert.equal(c.state.state, "closed");
});

test("close() while waiting to retry cancels the retry; late events of old sockets are ignored", () => {
  const { c, clock, sockets, states, messages } = setup();
  c.start();
  const first = sockets.last();
  first.h.onError(refused);
  first.h.onClose(1006, "");
  c.close("closed by the user");
  assert.deepEqual(states.at(-1), { state: "closed", reason: "closed by the user" });
  clock.advance(60_000);
  assert.equal(sockets.made.length, 1);
  first.h.onOpen();
  first.h.onMessage(new Uint8Array([1]), true);
  assert.equal(messages.length, 0);
  assert.equal(c.state.state, "closed");
  c.start();
  assert.equal(sockets.made.length, 1, "a closed connection stays closed");
});

test("close() of an open connection ends its socket", () => {
  const { c, sockets } = setup();
  c.start();
  sockets.last().h.onOpen();
  c.close();
  assert.equal(sockets.last().closed, true);
  assert.equal(c.send(new Uint8Array([1])), false);
});

test("a URL the socket library refuses is closed at once, with its reason", () => {
  const { c, states } = setup({ socket: () => { throw new SyntaxError("Invalid URL: nope"); } });
  c.start();
  assert.equal(states.at(-1).state, "closed");
  assert.match(states.at(-1).reason, /cannot connect to ws:\/\/127\.0\.0\.1:8012: Invalid URL/);
});
