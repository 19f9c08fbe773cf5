/** What a node factory gets and returns. */
import type { Color, Object3D, Texture } from "three";
import type { Props, Warn } from "../props.js";

export interface NodeContext {
  key: string;
  tag: string;
  warn: Warn;
  /** Ask for a new frame (async loads call it when they finish). */
  requestRender(): void;
  /** Registers an async load so `idle()` (tests, snapshot) can wait for it. */
  track(p: Promise<unknown>): void;
  /** The theme's text color, for labels without a color. */
  foreground(): Color;
  /** ImageBackground: show a texture behind the scene (null restores the theme background). */
  setBackground(owner: string, texture: Texture | null): void;
  /** The node's transform carrier (content and child nodes hang under it). */
  holder: Object3D;
}

export interface Content {
  /** Drawn by this node; added under the node's holder. */
  object: Object3D | null;
  /** Applies changed props in place; returning false makes the viewer rebuild this content. */
  update?(p: Props, changed: string[]): boolean;
  dispose(): void;
}

export type Factory = (p: Props, ctx: NodeContext) => Content;
export type { Warn };
