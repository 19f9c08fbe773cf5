// Property tests of every validator at the protocol's edges: any input (random, or a valid
// message mutated) either validates or fails with a ProtocolError, never a raw exception;
// what validates, validates again to the same value. Seeded and time-bounded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadTs } from "../helpers/load-ts.mjs";
import { forCases, json, mutate, node, protocolMessage, sceneMessage, SEED } from "./gen.mjs";

const runner = await loadTs("src/protocol/runner.ts");
const scene = await loadTs("src/protocol/scene.ts");
const viewer = await loadTs("src/protocol/viewer.ts");
const events = await loadTs("src/protocol/events.ts");
const tasks = await loadTs("src/protocol/tasks.ts");
const jsonl = await loadTs("src/protocol/jsonl.ts");

const isProtocolError = (e) => e instanceof Error && e.name === "ProtocolError";

const VALIDATORS = {
  validateRunnerToHost: (x) => runner.validateRunnerToHost(x, () => {}),
  validateHostToRunner: runner.validateHostToRunner,
  validateSceneMessage: (x) => scene.validateSceneMessage(x, () => {}),
  validateNode: (x) => scene.validateNode(x, "node"),
  validateFromViewer: viewer.validateFromViewer,
  validateClientEvent: events.validateClientEvent,
  validateTaskInfo: (x) => tasks.validateTaskInfo(x, "task"),
  validateTaskState: (x) => tasks.validateTaskState(x, "task"),
  validateError: (x) => tasks.validateError(x, "error"),
  validateLocation: (x) => tasks.validateLocation(x, "loc"),
};

function viewerMessage(r) {
  return r.pick([
    () => ({ t: "ready" }),
    () => ({ t: "event", event: protocolMessage(r) }),
    () => ({ t: "warning", message: "m", key: r.chance(0.5) ? "k" : 3 }),
    () => ({ t: "stats", fps: r.int(60), nodes: r.int(9), lastTs: r.int(9) }),
    () => ({ t: "applied", seq: r.chance(0.9) ? r.int(9) : "x" }),
    () => ({ t: "screenshot", png: r.chance(0.5) ? new Uint8Array(3) : [1, 2] }),
  ])();
}

for (const [name, validate] of Object.entries(VALIDATORS)) {
  test(`${name}: validates or throws ProtocolError`, (t) => {
    let ok = 0;
    let refused = 0;
    const cases = forCases(SEED + name.length, (r) => {
      const part = () =>
        r.pick([
          () => node(r, 2, r.chance(0.5)),
          () => ({ id: "t" + r.int(9), name: "n", parent: r.chance(0.5) ? null : "t1", file: "/x.ts", line: r.int(9), state: r.pick(["done", "failed", "cancelling"]) }),
          () => ({ file: "/x.ts", line: r.int(99), column: r.chance(0.5) ? r.int(9) : undefined }),
          () => ({ name: "E", message: "m", stack: r.chance(0.5) ? "s" : 1, location: r.chance(0.5) ? { file: "/x", line: 1 } : null }),
        ])();
      const input = r.pick([
        () => json(r, 4),
        () => protocolMessage(r),
        () => sceneMessage(r),
        () => mutate(r, sceneMessage(r)),
        () => viewerMessage(r),
        () => mutate(r, viewerMessage(r)),
        part,
        () => mutate(r, part()),
      ])();
      let out;
      try {
        out = validate(input);
      } catch (e) {
        assert.ok(isProtocolError(e), `${name} threw a raw ${e?.name}: ${e?.message}`);
        refused++;
        return;
      }
      ok++;
      assert.deepEqual(validate(out), out, `${name} is idempotent`);
    }, { ms: 400 });
    t.diagnostic(`seed ${SEED + name.length}: ${cases} cases, ${ok} valid, ${refused} refused, 0 escaped`);
  });
}

test("fromJsonLine(toJsonLine(m)) gives m back, typed arrays included; garbage lines are errors, not crashes", (t) => {
  const cases = forCases(SEED + 99, (r) => {
    const m = sceneMessage(r);
    const back = jsonl.fromJsonLine(jsonl.toJsonLine(m));
    // JSON drops undefined members: compare with the message as JSON would carry it.
    const strip = (x) => (Array.isArray(x) ? x.map(strip) : x && typeof x === "object" && !ArrayBuffer.isView(x) ? Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined).map(([k, v]) => [k, strip(v)])) : x);
    assert.deepEqual(strip(back), strip(m));
    try {
      jsonl.fromJsonLine(JSON.stringify({ $typed: r.pick(["float32", "toString", "__proto__", "nope"]), base64: r.pick(["AAAA", "AAA", "", "@@"]) }));
    } catch (e) {
      assert.ok(e instanceof Error, "an Error");
    }
  }, { ms: 400 });
  t.diagnostic(`seed ${SEED + 99}: ${cases} cases`);
});
