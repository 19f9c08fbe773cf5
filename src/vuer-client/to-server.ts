/**
 * What our viewer sends, as vuer's own browser client sends it. Our viewer speaks the event
 * names of our bundled vuer (which also accepts vuer's); a real vuer server knows only
 * vuer's: keys are `KeyDown`/`KeyUp` with DOM field names, a slider is `SET {key, value}`,
 * a render answer carries the camera key and the frame's size.
 */
import type { ClientEvent } from "../protocol/events.js";
import type { WireEnvelope } from "./wire.js";

/** INIT's value, the fields vuer's browser client reports (spawn filters match against them). */
export interface VuerClientInfo {
  client: "browser";
  clientVersion: string;
  userAgent: string;
  screenWidth: number;
  screenHeight: number;
  devicePixelRatio: number;
  timezone: string | null;
  timezoneOffset: number;
}

export function clientInfo(o: { version: string; viewer: string; width: number; height: number; now?: Date }): VuerClientInfo {
  const now = o.now ?? new Date();
  let timezone: string | null = null;
  try {
    timezone = Intl.DateTimeFormat().resolvedOptions().timeZone ?? null;
  } catch {
    // no Intl time zone data: vuer's own client reports none in that case too
  }
  return {
    // A browser as far as spawn filters go: our viewer draws what vuer's browser client draws.
    client: "browser",
    clientVersion: o.version,
    userAgent: `scene-runner/${o.version} (${o.viewer}; node ${process.versions.node}; ${process.platform})`,
    screenWidth: o.width,
    screenHeight: o.height,
    devicePixelRatio: 1,
    timezone,
    // Minutes from UTC, as the browser's Date#getTimezoneOffset gives them (480 in California).
    timezoneOffset: now.getTimezoneOffset(),
  };
}

export function initEvent(info: VuerClientInfo, ts = Date.now()): WireEnvelope {
  return { etype: "INIT", ts, value: info };
}

const KEY_NAMES: Record<string, string> = { KEY_DOWN: "KeyDown", KEY_UP: "KeyUp" };
const KEY_FIELDS = [
  ["shift", "shiftKey"],
  ["ctrl", "ctrlKey"],
  ["alt", "altKey"],
  ["meta", "metaKey"],
] as const;

/**
 * One of our viewer's events as vuer's client would send it. `rpcKeys` maps an open
 * render request's response etype to its camera key (vuer's answer names the camera).
 * INIT is the connection's own (sent on every open), so the viewer's is not forwarded.
 */
export function toServer(ev: ClientEvent, rpcKeys: ReadonlyMap<string, string>): WireEnvelope | undefined {
  if (ev.etype === "INIT") return undefined;
  const name = KEY_NAMES[ev.etype];
  if (name) {
    const v = isObject(ev.value) ? ev.value : {};
    const value: Record<string, unknown> = { key: v.key, code: v.code, repeat: false, isComposing: false };
    for (const [ours, theirs] of KEY_FIELDS) value[theirs] = v[ours] === true;
    return { etype: name, ts: ev.ts, value };
  }
  if (ev.etype === "SLIDER") return { etype: "SET", ts: ev.ts, key: ev.key, value: ev.value };
  const cameraKey = rpcKeys.get(ev.etype);
  if (cameraKey !== undefined) return renderAnswer(ev, cameraKey);
  const out: WireEnvelope = { etype: ev.etype, ts: ev.ts };
  if (ev.key !== undefined) out.key = ev.key;
  if (ev.value !== undefined) out.value = ev.value;
  return out;
}

function renderAnswer(ev: ClientEvent, key: string): WireEnvelope {
  const v = isObject(ev.value) ? ev.value : undefined;
  const frame = v?.frame;
  if (!(frame instanceof Uint8Array)) {
    // vuer's client has no error answer; the value says what went wrong and the program's
    // grab_render returns it instead of waiting out its ttl.
    return { etype: ev.etype, ts: ev.ts, key, value: { error: ev.error ?? "the viewer returned no frame" } };
  }
  const size = pngSize(frame);
  return { etype: ev.etype, ts: ev.ts, key, value: { frame, dpr: 1, ...(size ?? {}) } };
}

/** Width and height from a PNG's IHDR chunk (bytes 16–23), as vuer's answer reports the canvas size. */
export function pngSize(png: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.byteLength < 24 || signature.some((b, i) => png[i] !== b)) return undefined;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x) && !ArrayBuffer.isView(x);
}
