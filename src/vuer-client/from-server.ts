/**
 * What a vuer server sends, as our messages. Scene events (SET, ADD, UPSERT, UPDATE, REMOVE)
 * become scene messages checked by `validateSceneMessage` (a bad node is dropped with a
 * reason, the rest applies); GRAB_RENDER becomes the render request our viewer answers.
 * Everything else vuer may send a browser (NOOP, haptics, MuJoCo and WebXR RPCs) is named
 * and set aside: our viewer has nothing to do with it.
 */
import type { GrabRenderRequest } from "../protocol/runner.js";
import { validateSceneMessage, type OnDroppedNode, type SceneMessage } from "../protocol/scene.js";
import { isRecord, ProtocolError } from "../protocol/validate.js";
import type { WireEnvelope } from "./wire.js";

export type FromServer =
  | { kind: "scene"; message: SceneMessage }
  | { kind: "rpc"; request: GrabRenderRequest; /** vuer's camera key, answered back in the response */ key: string }
  /** Not for a viewer like ours (NOOP, TERMINATE, HAPTIC_ACTUATOR_PULSE, MJ_STEP...). */
  | { kind: "ignored"; etype: string; reason: string }
  /** Malformed: one line for the log, nothing applied. */
  | { kind: "invalid"; etype: string; reason: string };

/** vuer's RPCs our viewer cannot answer: a MuJoCo or WebXR client's. */
const UNANSWERABLE_RPCS = new Set(["MJ_STEP", "MJ_RENDER", "GET_WEBXR_MESH"]);

export function fromServer(m: WireEnvelope, onDrop: OnDroppedNode, now: () => number = Date.now): FromServer {
  // vuer sends ts as integer ms; a hand-made server may leave it out. Never a reason to drop the scene.
  const ts = typeof m.ts === "number" && Number.isFinite(m.ts) ? m.ts : now();
  switch (m.etype) {
    case "SET":
    case "ADD":
    case "UPSERT":
    case "UPDATE":
    case "REMOVE":
      try {
        // UPDATE's top-level `strict` and UPSERT's dropped `strict` do not change what is drawn here.
        return { kind: "scene", message: validateSceneMessage({ etype: m.etype, ts, data: m.data }, onDrop) };
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        return { kind: "invalid", etype: m.etype, reason: e.message };
      }
    case "GRAB_RENDER": {
      // vuer puts uuid, rtype and the camera key at the envelope's top level; data holds the kwargs.
      if (typeof m.uuid !== "string") return { kind: "invalid", etype: m.etype, reason: "GRAB_RENDER without a uuid: its answer could not be addressed" };
      const key = typeof m.key === "string" ? m.key : "DEFAULT";
      const rtype = typeof m.rtype === "string" ? m.rtype : `GRAB_RENDER_RESPONSE@${m.uuid}`;
      const kwargs = isRecord(m.data) ? m.data : {};
      const data: GrabRenderRequest["data"] = { key };
      if (typeof kwargs.quality === "number") data.quality = kwargs.quality;
      if (typeof kwargs.downsample === "number") data.downsample = kwargs.downsample;
      return { kind: "rpc", key, request: { etype: "GRAB_RENDER", ts, uuid: m.uuid, rtype, data } };
    }
    case "NOOP":
      return { kind: "ignored", etype: m.etype, reason: "nothing to do" };
    default:
      return {
        kind: "ignored",
        etype: m.etype,
        reason: UNANSWERABLE_RPCS.has(m.etype) ? "an RPC for a MuJoCo or WebXR client, which this viewer is not" : "not a scene event this viewer draws",
      };
  }
}

