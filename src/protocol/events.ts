/**
 * Client events: what the viewer (or, for a headless run, nobody) sends back to
 * the scene program. vuer's envelope `{ etype, ts, key, value }`.
 */
import { num, optStr, record, str } from "./validate.js";

export type ClientEtype =
  | "INIT"
  | "CLICK"
  | "CAMERA_MOVE"
  | "OBJECT_MOVE"
  | "OBJECT_MOVE_END"
  | "KEY_DOWN"
  | "KEY_UP"
  | "SLIDER"
  | "INPUT"
  | (string & {}); // RPC responses ("GRAB_RENDER_RESPONSE@<uuid>") and custom events

export interface ClientEvent<V = unknown> {
  etype: ClientEtype;
  ts: number;
  key?: string;
  value?: V;
  /** Set on an RPC response that could not be answered (for example: no viewer). */
  error?: string;
}

/** Value shapes of the events the viewer sends. */
export interface ClickValue {
  point?: [number, number, number];
  button?: number;
}
export interface CameraValue {
  camera: {
    position: [number, number, number];
    quaternion: [number, number, number, number];
    matrix: number[];
    fov: number;
    aspect: number;
    near: number;
    far: number;
    target?: [number, number, number];
  };
}
export interface ObjectMoveValue {
  position: [number, number, number];
  quaternion: [number, number, number, number];
  scale: [number, number, number];
  matrix: number[];
}
export interface KeyValue {
  key: string;
  code: string;
  shift: boolean;
  ctrl: boolean;
  alt: boolean;
  meta: boolean;
}

export function validateClientEvent(x: unknown): ClientEvent {
  const m = record(x, "event");
  const etype = str(m.etype, "event.etype");
  const ts = m.ts === undefined ? Date.now() : num(m.ts, "event.ts");
  const key = optStr(m.key, "event.key");
  const error = optStr(m.error, "event.error");
  const ev: ClientEvent = { etype, ts, value: m.value };
  if (key !== undefined) ev.key = key;
  if (error !== undefined) ev.error = error;
  return ev;
}

/** vuer's RPC convention: the response etype carries the request's uuid. */
export function rpcResponseType(etype: string, uuid: string): string {
  return `${etype}_RESPONSE@${uuid}`;
}
