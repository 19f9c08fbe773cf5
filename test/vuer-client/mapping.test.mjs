// vuer's wire forms to our scene messages and back: every scene event checked node by node (a bad
// node is left out with a reason, the rest applies), GRAB_RENDER with its top-level uuid/rtype/key,
// our viewer's events renamed as vuer's browser client names them, INIT's client information, and
// the server addresses people type.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadClient } from "./load.mjs";

const { fromServer } = await loadClient("src/vuer-client/from-server.ts");
const { toServer, clientInfo, initEvent, pngSize } = await loadClient("src/vuer-client/to-server.ts");
const { serverUrl, addressFromQuery, AddressError } = await loadClient("src/vuer-client/address.ts");

const drops = () => {
  const list = [];
  return Object.assign((d) => list.push(d), { list });
};

test("SET, ADD, UPSERT, UPDATE and REMOVE become validated scene messages with vuer's ts", () => {
  const d = drops();
  const set = fromServer({ etype: "SET", ts: 5, data: { tag: "Scene", key: "s", children: [{ tag: "Box", key: "b" }], bgChildren: [{ tag: "Grid", key: "grid" }] } }, d);
  assert.equal(set.kind, "scene");
  assert.equal(set.message.etype, "SET");
  assert.equal(set.message.ts, 5);
  assert.equal(set.message.data.children[0].key, "b");
  assert.deepEqual(set.message.data.bgChildren, [{ tag: "Grid", key: "grid" }], "vuer's other child lists pass through");
  const up = fromServer({ etype: "UPSERT", ts: 6, data: { nodes: [{ tag: "Sphere", key: "ball" }], to: "b" } }, d);
  assert.deepEqual(up.message.data, { nodes: [{ tag: "Sphere", key: "ball" }], to: "b" });
  const add = fromServer({ etype: "ADD", ts: 7, data: { nodes: [{ tag: "Box", key: "c" }], to: null } }, d);
  assert.equal(add.message.data.to, null);
  // UPDATE carries vuer's top-level `strict`; nodes need no tag.
  const upd = fromServer({ etype: "UPDATE", ts: 8, strict: false, data: { nodes: [{ key: "ball", position: [1, 2, 3] }] } }, d);
  assert.deepEqual(upd.message.data.nodes, [{ key: "ball", position: [1, 2, 3] }]);
  const rm = fromServer({ etype: "REMOVE", ts: 9, data: { keys: ["ball", "c"] } }, d);
  assert.deepEqual(rm.message.data.keys, ["ball", "c"]);
  assert.equal(d.list.length, 0);
});

test("a malformed node is left out with its key and reason; its siblings still apply", () => {
  const d = drops();
  const r = fromServer({ etype: "UPSERT", ts: 1, data: { nodes: [{ tag: "Box", key: "good" }, { tag: 3, key: "bad" }, { tag: "Box" }], to: null } }, d);
  assert.equal(r.kind, "scene");
  assert.deepEqual(r.message.data.nodes.map((n) => n.key), ["good"]);
  assert.equal(d.list.length, 2);
  assert.equal(d.list[0].key, "bad");
  assert.match(d.list[0].reason, /tag/);
  assert.match(d.list[1].reason, /key/);
});

test("vuer's other root lists (bgChildren, rawChildren, htmlChildren) are checked node by node too", () => {
  const d = drops();
  const r = fromServer({ etype: "SET", ts: 1, data: { tag: "Scene", key: "s", children: [], bgChildren: [{ tag: "Grid", key: "grid" }, { key: "nameless" }, { tag: "Sky" }], rawChildren: "oops" } }, d);
  assert.deepEqual(r.message.data.bgChildren, [{ tag: "Grid", key: "grid" }]);
  assert.deepEqual(r.message.data.rawChildren, []);
  assert.deepEqual(d.list.map((x) => [x.path, x.key]), [
    ["message.data.bgChildren[1]", "nameless"],
    ["message.data.bgChildren[2]", undefined],
    ["message.data.rawChildren", undefined],
  ]);
});

test("a malformed envelope is reported, not applied; a missing ts is now", () => {
  const d = drops();
  assert.equal(fromServer({ etype: "REMOVE", ts: 1, data: { keys: [1] } }, d).kind, "invalid");
  const notScene = fromServer({ etype: "SET", ts: 1, data: { tag: "Box", key: "x" } }, d);
  assert.equal(notScene.kind, "invalid");
  assert.match(notScene.reason, /Scene/);
  assert.equal(fromServer({ etype: "UPSERT", ts: 1, data: "nope" }, d).kind, "invalid");
  const noTs = fromServer({ etype: "REMOVE", data: { keys: ["a"] } }, d, () => 1234);
  assert.equal(noTs.message.ts, 1234);
});

test("GRAB_RENDER: uuid, rtype and camera key from the envelope's top level, kwargs from data", () => {
  const r = fromServer({ etype: "GRAB_RENDER", ts: 3, uuid: "u-1", rtype: "GRAB_RENDER_RESPONSE@u-1", key: "ego", data: { quality: 0.5, downsample: 2 } }, drops());
  assert.equal(r.kind, "rpc");
  assert.equal(r.key, "ego");
  assert.deepEqual(r.request, { etype: "GRAB_RENDER", ts: 3, uuid: "u-1", rtype: "GRAB_RENDER_RESPONSE@u-1", data: { key: "ego", quality: 0.5, downsample: 2 } });
  const noRtype = fromServer({ etype: "GRAB_RENDER", ts: 3, uuid: "u-2", data: {} }, drops());
  assert.equal(noRtype.request.rtype, "GRAB_RENDER_RESPONSE@u-2");
  assert.equal(noRtype.key, "DEFAULT");
  assert.equal(fromServer({ etype: "GRAB_RENDER", ts: 3, data: {} }, drops()).kind, "invalid");
});

test("what vuer sends other clients is set aside by name", () => {
  for (const etype of ["NOOP", "MJ_STEP", "GET_WEBXR_MESH", "HAPTIC_ACTUATOR_PULSE", "TERMINATE"]) {
    const r = fromServer({ etype, ts: 1, data: {} }, drops());
    assert.equal(r.kind, "ignored", etype);
    assert.ok(r.reason.length > 0);
  }
  assert.match(fromServer({ etype: "MJ_STEP", ts: 1 }, drops()).reason, /MuJoCo/);
});

test("our viewer's events go out as vuer's browser client sends them", () => {
  const none = new Map();
  const key = toServer({ etype: "KEY_DOWN", ts: 2, value: { key: "a", code: "KeyA", shift: true, ctrl: false, alt: false, meta: false } }, none);
  assert.deepEqual(key, { etype: "KeyDown", ts: 2, value: { key: "a", code: "KeyA", repeat: false, isComposing: false, shiftKey: true, ctrlKey: false, altKey: false, metaKey: false } });
  assert.equal(toServer({ etype: "KEY_UP", ts: 2, value: { key: "a", code: "KeyA" } }, none).etype, "KeyUp");
  assert.deepEqual(toServer({ etype: "SLIDER", ts: 3, key: "speed", value: 0.5 }, none), { etype: "SET", ts: 3, key: "speed", value: 0.5 });
  const click = { etype: "CLICK", ts: 4, key: "box", value: { point: [0, 1, 0], button: 0 } };
  assert.deepEqual(toServer(click, none), click);
  const cam = { etype: "CAMERA_MOVE", ts: 5, key: "defaultCamera", value: { camera: { position: [1, 2, 3], fov: 50 } } };
  assert.deepEqual(toServer(cam, none), cam);
  assert.deepEqual(toServer({ etype: "OBJECT_MOVE", ts: 6, key: "m", value: { position: [0, 0, 0] } }, none), { etype: "OBJECT_MOVE", ts: 6, key: "m", value: { position: [0, 0, 0] } });
  assert.equal(toServer({ etype: "INIT", ts: 1, value: {} }, none), undefined, "INIT is the connection's own");
});

test("a render answer names the camera and the frame's size; a failed one says why", () => {
  const png = new Uint8Array(24);
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  new DataView(png.buffer).setUint32(16, 800);
  new DataView(png.buffer).setUint32(20, 600);
  assert.deepEqual(pngSize(png), { width: 800, height: 600 });
  assert.equal(pngSize(new Uint8Array(10)), undefined);
  const rpcs = new Map([["GRAB_RENDER_RESPONSE@u", "ego"]]);
  const ok = toServer({ etype: "GRAB_RENDER_RESPONSE@u", ts: 9, value: { frame: png } }, rpcs);
  assert.deepEqual(ok, { etype: "GRAB_RENDER_RESPONSE@u", ts: 9, key: "ego", value: { frame: png, dpr: 1, width: 800, height: 600 } });
  const failed = toServer({ etype: "GRAB_RENDER_RESPONSE@u", ts: 9, error: "no WebGL" }, rpcs);
  assert.deepEqual(failed.value, { error: "no WebGL" });
});

test("INIT reports what vuer's browser client reports", () => {
  const info = clientInfo({ version: "1.2.3", viewer: "snapshot", width: 800, height: 600, now: new Date("2026-01-01T00:00:00Z") });
  assert.equal(info.client, "browser");
  assert.equal(info.clientVersion, "1.2.3");
  assert.match(info.userAgent, /^scene-runner\/1\.2\.3 \(snapshot;/);
  assert.equal(info.screenWidth, 800);
  assert.equal(info.screenHeight, 600);
  assert.equal(info.devicePixelRatio, 1);
  assert.equal(info.timezoneOffset, new Date("2026-01-01T00:00:00Z").getTimezoneOffset());
  assert.ok(info.timezone === null || typeof info.timezone === "string");
  assert.deepEqual(Object.keys(info).sort(), ["client", "clientVersion", "devicePixelRatio", "screenHeight", "screenWidth", "timezone", "timezoneOffset", "userAgent"]);
  assert.deepEqual(initEvent(info, 7), { etype: "INIT", ts: 7, value: info });
});

test("server addresses: vuer's ws URL, its page link, a bare host:port; bad ones in one line", () => {
  assert.equal(serverUrl("ws://localhost:8012"), "ws://localhost:8012");
  assert.equal(serverUrl(" localhost:8012 "), "ws://localhost:8012");
  assert.equal(serverUrl("http://192.168.1.5:8012"), "ws://192.168.1.5:8012");
  assert.equal(serverUrl("https://robot.local"), "wss://robot.local");
  assert.equal(serverUrl("https://vuer.ai?ws=ws://localhost:8013"), "ws://localhost:8013");
  assert.equal(serverUrl("wss://example.org/socket"), "wss://example.org/socket");
  for (const bad of ["", "ftp://x:1", "ws://", "http://[::1"]) {
    assert.throws(() => serverUrl(bad), (e) => e instanceof AddressError && !e.message.includes("\n"), JSON.stringify(bad));
  }
});

test("a link's ?ws= names the server, as vuer's page link does", () => {
  assert.equal(addressFromQuery("ws=ws://localhost:8013"), "ws://localhost:8013");
  assert.equal(addressFromQuery("?ws=robot.local%3A8012"), "ws://robot.local:8012");
  assert.equal(addressFromQuery("url=wss://example.org/s"), "wss://example.org/s");
  assert.equal(addressFromQuery(""), undefined);
  assert.equal(addressFromQuery("ws="), undefined);
  assert.throws(() => addressFromQuery("ws=ftp://x"), AddressError);
});
