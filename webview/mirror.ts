/**
 * The viewer's model is the shared SceneStore (vuer semantics defined once);
 * this class mirrors the store's changes into three.js objects. Each node gets
 * a transform "holder" in the graph; what it draws (its content) and its child
 * nodes hang under that holder, so content can be rebuilt without touching
 * children. Nothing here throws to the caller: a bad message or node becomes a
 * warning (once per problem) and, for nodes, a visible placeholder.
 */
import { Object3D, Vector3, type Color, type Texture } from "three";
import { validateSceneMessage, type SceneMessage } from "../src/protocol/scene.js";
import { SceneStore, type SceneChange, type StoredNode } from "../src/scene/scene-store.js";
import { buildContent, placeholder, type Env } from "./nodes/index.js";
import { LIGHT_TAGS } from "./nodes/lights.js";
import type { Content, NodeContext } from "./nodes/types.js";
import { Props } from "./props.js";
import { applyTransform, TRANSFORM_PROPS } from "./transform.js";
import type { Member } from "./instancing.js";

export interface MirrorHooks {
  warn(message: string, key?: string): void;
  requestRender(): void;
  track(p: Promise<unknown>): void;
  foreground(): Color;
  setBackground(owner: string, texture: Texture | null): void;
  /** The Scene root's own props (up, background, grid...). */
  /** `changed`: the props an update touched; undefined when the scene was (re)set. */
  sceneProps(p: Props, changed?: string[]): void;
  /** A Movable node appeared (holder) or went away (null). */
  movable(key: string, holder: Object3D | null): void;
}

interface View {
  key: string;
  tag: string;
  holder: Object3D;
  content: Content;
}

const MAX_WARNINGS = 500;

export class SceneMirror {
  readonly store = new SceneStore();
  private readonly views = new Map<string, View>();
  private readonly warned = new Set<string>();
  lights = 0;
  /** Grid nodes in the scene (vuer's DefaultScene sends its own): the stage's default grid steps aside. */
  grids = 0;
  lastTs = 0;

  constructor(
    private readonly root: Object3D,
    private readonly env: Env,
    private readonly hooks: MirrorHooks,
  ) {}

  /** Applies scene messages in order; malformed ones are skipped with a warning. */
  apply(messages: readonly unknown[]): void {
    for (const raw of messages) {
      let msg: SceneMessage;
      try {
        msg = validateSceneMessage(raw, (d) => this.warnOnce(`dropped:${d.key}:${d.reason}`, `left out a malformed node: ${d.reason}`, d.key));
      } catch (e) {
        this.warnOnce(`message:${(e as Error).message}`, `scene message skipped: ${(e as Error).message}`);
        continue;
      }
      let result;
      try {
        result = this.store.apply(msg);
      } catch (e) {
        this.warnOnce(`apply:${(e as Error).message}`, `${msg.etype} skipped: ${(e as Error).message}`);
        continue;
      }
      for (const w of result.warnings) this.warnOnce(w, w);
      if (msg.ts > this.lastTs) this.lastTs = msg.ts;
      for (const c of result.changes) {
        try {
          this.mirror(c);
        } catch (e) {
          const key = "key" in c ? c.key : "";
          this.warnOnce(`mirror:${key}:${(e as Error).message}`, `${c.op} "${key}" failed: ${(e as Error).message}`, key);
        }
      }
    }
  }

  get size(): number {
    return this.store.size;
  }

  holderOf(key: string): Object3D | undefined {
    return this.views.get(key)?.holder;
  }

  /** Read-only facts about one node, for tests and debugging. */
  describe(key: string): Record<string, unknown> | undefined {
    const v = this.views.get(key);
    const s = this.store.get(key);
    if (!v || !s) return undefined;
    v.holder.updateWorldMatrix(true, false);
    const member = v.holder.userData.member as Member | undefined;
    return {
      key,
      tag: v.tag,
      parent: s.parent,
      position: v.holder.position.toArray(),
      worldPosition: new Vector3().setFromMatrixPosition(v.holder.matrixWorld).toArray(),
      visible: v.holder.visible,
      instanced: !!member?.pool,
      placeholder: !!v.content.object?.userData.placeholder,
      content: v.content.object?.type ?? null,
      children: Object.values(s.lists).reduce((n, l) => n + l.length, 0),
    };
  }

  private mirror(c: SceneChange): void {
    switch (c.op) {
      case "reset":
        for (const v of [...this.views.values()]) this.destroy(v);
        this.views.clear();
        this.hooks.sceneProps(this.props(this.store.root));
        return;
      case "create": {
        const s = this.store.get(c.key)!;
        if (s === this.store.root) return;
        this.create(s);
        return;
      }
      case "update": {
        const s = this.store.get(c.key)!;
        if (s === this.store.root) return this.hooks.sceneProps(this.props(s), c.props);
        this.update(this.views.get(c.key)!, s, c.props);
        return;
      }
      case "remove": {
        const v = this.views.get(c.key);
        if (v) this.destroy(v);
        this.views.delete(c.key);
        return;
      }
    }
  }

  private props(s: StoredNode): Props {
    return new Props(s.key, s.tag, s.props, (prop, reason) =>
      this.warnOnce(`${s.key}|${prop}|${reason}`, `${s.tag} "${s.key}": ${prop}: ${reason}`, s.key),
    );
  }

  private warnOnce(id: string, message: string, key?: string): void {
    if (this.warned.has(id)) return;
    if (this.warned.size === MAX_WARNINGS) {
      this.warned.add(id);
      this.hooks.warn(`more than ${MAX_WARNINGS} distinct problems; further warnings are not reported`);
      return;
    }
    if (this.warned.size > MAX_WARNINGS) return;
    this.warned.add(id);
    this.hooks.warn(message, key);
  }

  private context(s: StoredNode, holder: Object3D, p: Props): NodeContext {
    const h = this.hooks;
    return {
      key: s.key,
      tag: s.tag,
      warn: p.warn,
      holder,
      requestRender: () => h.requestRender(),
      track: (pr) => h.track(pr),
      foreground: () => h.foreground(),
      setBackground: (owner, t) => h.setBackground(owner, t),
    };
  }

  private build(s: StoredNode, holder: Object3D): Content {
    const p = this.props(s);
    let content: Content;
    try {
      content = buildContent(s.tag, p, this.context(s, holder, p), this.env);
    } catch (e) {
      content = placeholder(s.tag, p, `could not be drawn (${(e as Error).message}); drawn as a placeholder`);
    }
    if (content.object) {
      content.object.userData.content = true;
      holder.add(content.object);
    }
    return content;
  }

  private create(s: StoredNode): void {
    const holder = new Object3D();
    holder.matrixAutoUpdate = false;
    holder.userData.nodeKey = s.key;
    holder.name = s.key;
    const parent = s.parent === null || s.parent === this.store.root.key ? this.root : (this.views.get(s.parent)?.holder ?? this.root);
    parent.add(holder);
    applyTransform(holder, this.props(s));
    const view: View = { key: s.key, tag: s.tag, holder, content: this.build(s, holder) };
    this.views.set(s.key, view);
    if (LIGHT_TAGS.has(s.tag)) this.lights++;
    if (s.tag === "Grid") this.grids++;
    if (s.tag === "Movable") this.hooks.movable(s.key, holder);
  }

  private update(v: View, s: StoredNode, changed: string[]): void {
    const p = this.props(s);
    const moved = changed.filter((c) => TRANSFORM_PROPS.has(c));
    if (moved.length) {
      applyTransform(v.holder, p);
      const member = v.holder.userData.member as Member | undefined;
      if (member) this.env.pools?.dirty(member);
      if (v.holder.children.some((c) => c.userData.nodeKey !== undefined)) this.env.pools?.allDirty();
    }
    const rest = changed.filter((c) => !TRANSFORM_PROPS.has(c));
    if (!rest.length) return;
    let handled = false;
    try {
      handled = v.content.update?.(p, rest) ?? false;
    } catch {
      handled = false;
    }
    if (!handled) {
      v.content.dispose();
      v.content = this.build(s, v.holder);
    }
  }

  private destroy(v: View): void {
    try {
      v.content.dispose();
    } catch (e) {
      this.hooks.warn(`dispose of "${v.key}" failed: ${(e as Error).message}`, v.key);
    }
    if (LIGHT_TAGS.has(v.tag)) this.lights--;
    if (v.tag === "Grid") this.grids--;
    if (v.tag === "Movable") this.hooks.movable(v.key, null);
    v.holder.removeFromParent();
    if (v.holder.children.some((c) => c.userData.nodeKey !== undefined)) this.env.pools?.allDirty();
  }
}
