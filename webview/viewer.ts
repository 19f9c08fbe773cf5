/**
 * The viewer: host messages are queued as they arrive and applied together
 * once per animation frame, then the frame is drawn (only when something
 * changed) and `applied {seq}` tells the host it may send more.
 */
import type { GrabRenderRequest } from "../src/protocol/runner.js";
import type { SceneMessage } from "../src/protocol/scene.js";
import { assertNever } from "../src/protocol/descriptors.js";
import { Box3, Sphere } from "three";
import type { ToViewerMessage } from "../src/protocol/viewer.js";
import type { HostLink } from "./host-link.js";
import { contentBounds, showsWell } from "./framing.js";
import { AxesGizmo } from "./gizmo.js";
import { Hud } from "./hud.js";
import { InstancePools } from "./instancing.js";
import { Interaction } from "./interaction.js";
import { SceneMirror } from "./mirror.js";
import { Selection } from "./selection.js";
import { WidgetPanel } from "./panel.js";
import { Stage } from "./stage.js";
import { TimelineStrip } from "./timeline/timeline-strip.js";
import { CAMERA_TAGS, CONTROL_TAGS } from "./nodes/cameras.js";

export interface ViewerOptions {
  /** Draw primitives sharing geometry and material as instances (default true). */
  instancing?: boolean;
}

export class Viewer {
  readonly stage: Stage;
  readonly mirror: SceneMirror;
  readonly pools: InstancePools | null;
  readonly interaction: Interaction;
  private readonly hud: Hud;
  readonly gizmo: AxesGizmo;
  /**
   * Armed until the page first draws content: then, unless the program sets a camera or the
   * user already moved it, a view that does not show the content well (off screen, or too small
   * to see) is replaced by one that frames it. Once per page: a restart in the same panel keeps
   * the camera where the user left it (F frames again).
   */
  private autoFrame = true;
  private readonly panel: WidgetPanel;
  /** Made when a host first sends timeline data (VS Code): a snapshot page never has one. */
  private timeline: TimelineStrip | undefined;
  private readonly container: HTMLElement;
  private batches: Array<{ seq: number; messages: SceneMessage[] }> = [];
  private rpcs: GrabRenderRequest[] = [];
  readonly selection: Selection;
  private pendingSelect: { key: string | null; frame: boolean } | undefined;
  private frameRequested = false;
  private dirty = true;
  private readonly loads = new Set<Promise<unknown>>();
  private frameTimes: number[] = [];
  private lastStats = 0;
  private renders = 0;
  private idleWaiters: Array<() => void> = [];
  warnings = 0;
  /** CPU time of the last batch application and of the last draw call submission. */
  private applyMs = 0;
  private drawMs = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    container: HTMLElement,
    private readonly link: HostLink,
    options: ViewerOptions = {},
  ) {
    this.container = container;
    this.stage = new Stage(container);
    this.stage.onChange = () => this.requestRender();
    this.selection = new Selection(this.stage);
    this.hud = new Hud(container, {
      frameAll: () => this.frameAll(),
      resetCamera: () => this.stage.resetCamera(),
      screenshot: () => void this.screenshot(),
      rerun: () => this.link.post({ t: "rerun" }),
    });
    this.hud.canRerun = link.inVsCode;
    this.watchContext(this.stage.renderer.domElement);
    this.pools = options.instancing === false ? null : new InstancePools(this.stage.content);
    this.panel = new WidgetPanel(container, (etype, key, value) => this.emit(etype, key, value));
    this.mirror = new SceneMirror(this.stage.content, { pools: this.pools, panel: this.panel }, {
      warn: (message, key) => this.warn(message, key),
      requestRender: () => this.requestRender(),
      track: (p) => {
        this.loads.add(p);
        void p.finally(() => {
          this.loads.delete(p);
          this.requestRender();
        });
      },
      foreground: () => this.stage.foreground,
      setBackground: (owner, t) => this.stage.setBackgroundTexture(owner, t),
      sceneProps: (p, changed) => this.stage.sceneProps(p, changed),
      movable: (key, holder) => this.interaction.movable(key, holder),
    });
    this.interaction = new Interaction(this.stage, this.mirror, this.pools, (etype, key, value) => this.emit(etype, key, value), () => this.requestRender());
    this.interaction.onShortcut = (key) => {
      if (key === "f" || key === "F") this.frameAll();
    };
    this.gizmo = new AxesGizmo(this.stage, () => this.requestRender());
    this.gizmo.enabled = this.hud.shown;
    link.listen(
      (m) => this.receive(m),
      (reason) => this.warn(`ignored a malformed message from the host: ${reason}`),
    );
    this.timer = setInterval(() => this.report(performance.now()), 250);
    this.requestRender();
  }

  /**
   * A lost WebGL context (a GPU reset, the browser reclaiming memory, too many contexts) is
   * reported, not a silently dead panel. three.js keeps the loss recoverable and rebuilds its
   * GL state on restore; every object is uploaded again from the scene on the next draw.
   */
  private watchContext(canvas: HTMLCanvasElement): void {
    canvas.addEventListener("webglcontextlost", () => {
      this.warn("the viewer lost its WebGL context (GPU reset or out of memory); the scene is redrawn when it comes back");
    });
    canvas.addEventListener("webglcontextrestored", () => {
      this.dirty = true;
      this.requestRender();
    });
  }

  /** A problem the user must see: on the HUD's badge, and to the host (the program's output). */
  private warn(message: string, key?: string): void {
    this.warnings++;
    this.hud.warn(message, key);
    this.link.post(key === undefined ? { t: "warning", message } : { t: "warning", message, key });
  }

  private emit(etype: string, key: string | undefined, value: unknown): void {
    const event = key === undefined ? { etype, ts: Date.now(), value } : { etype, ts: Date.now(), key, value };
    this.link.post({ t: "event", event });
  }

  receive(m: ToViewerMessage): void {
    switch (m.t) {
      case "scene":
        this.batches.push({ seq: m.seq, messages: m.messages });
        break;
      case "snapshot": {
        // A whole scene: a new run, or the page (re)loaded. Its warnings start afresh.
        this.hud.clearWarnings();
        const scene = m.scene ?? { tag: "Scene", key: "scene", children: [] };
        this.batches.push({ seq: -1, messages: [{ etype: "SET", ts: Date.now(), data: scene }] });
        this.hud.setSession(m.session);
        break;
      }
      case "session":
        this.hud.setSession(m.session);
        break;
      case "rpc":
        this.rpcs.push(m.request);
        break;
      case "timeline":
        this.timeline ??= new TimelineStrip(this.container, {
          seek: (at, epoch) => this.link.post({ t: "seek", at, epoch }),
          openSource: (file, line, column) => this.link.post(column === undefined ? { t: "openSource", file, line } : { t: "openSource", file, line, column }),
        });
        this.timeline.update(m);
        return;
      case "select":
        // After the queued batches, so a node that has just arrived can be framed.
        this.pendingSelect = m;
        break;
      default:
        assertNever(m);
    }
    this.requestRender();
  }

  requestRender(): void {
    this.dirty = true;
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame((t) => this.frame(t));
  }

  private frame(_now: number): void {
    this.frameRequested = false;
    let seq = -1;
    if (this.batches.length) {
      const t0 = performance.now();
      const batches = this.batches;
      this.batches = [];
      for (const b of batches) {
        this.mirror.apply(b.messages);
        if (b.seq > seq) seq = b.seq;
      }
      this.stage.setDefaultLights(this.mirror.lights === 0);
      this.stage.setDefaultGrid(this.mirror.grids === 0);
      this.dirty = true;
      this.applyMs = performance.now() - t0;
    }
    if (this.pendingSelect) {
      const { key, frame } = this.pendingSelect;
      this.pendingSelect = undefined;
      if (!this.selection.select(key, key === null ? undefined : this.mirror.holderOf(key), frame) && key !== null) {
        this.warn(`cannot show "${key}": it draws nothing the viewer can outline`, key);
      }
      this.dirty = true;
    }
    if (this.gizmo.step(performance.now())) this.dirty = true;
    if (this.dirty) this.draw();
    if (seq >= 0) this.link.post({ t: "applied", seq });
    const rpcs = this.rpcs;
    this.rpcs = [];
    for (const r of rpcs) void this.answer(r);
    if (this.isIdle()) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      w.forEach((f) => f());
    }
  }

  /** F and the toolbar's frame button: the selected node if there is one, else everything. */
  frameAll(): void {
    const key = this.selection.key;
    const box = key !== null ? this.selection.refresh(this.mirror.holderOf(key)) : undefined;
    const all = box ?? contentBounds(this.stage.content);
    if (all.isEmpty()) return;
    this.stage.frameBox(all);
    this.autoFrame = false;
    this.requestRender();
  }

  /** The first draw with content: frame it unless the program placed the camera, or the view already shows it. */
  private frameFirstContent(): void {
    if (this.stage.userMovedCamera) {
      this.autoFrame = false;
      return;
    }
    const box = contentBounds(this.stage.content, new Box3());
    if (box.isEmpty()) return; // nothing drawn yet: wait for the first content
    this.autoFrame = false;
    if (this.programSetsCamera()) return;
    const sphere = box.getBoundingSphere(new Sphere());
    if (this.stage.view === this.stage.camera && showsWell(sphere, this.stage.camera)) return;
    this.stage.frameBox(box);
    this.dirty = true;
  }

  /**
   * A camera the program chose: a default camera node, camera props on a controls node
   * (OrbitControls / SceneCameraControl: position, target, fov, zoom), or the Scene's camPosition.
   */
  private programSetsCamera(): boolean {
    if (this.stage.view !== this.stage.camera) return true;
    for (const node of this.mirror.store.walk()) {
      const p = node.props as Record<string, unknown>;
      if (node.tag === "Scene" && p.camPosition !== undefined) return true;
      if (CAMERA_TAGS.has(node.tag) && (node.tag === "SceneCamera" || p.makeDefault === true || p.active === true)) return true;
      if (CONTROL_TAGS.has(node.tag) && ["position", "target", "fov", "zoom"].some((k) => p[k] !== undefined)) return true;
    }
    return false;
  }

  private draw(withGizmo = true): void {
    const t0 = performance.now();
    this.dirty = false;
    this.stage.scene.updateMatrixWorld();
    this.pools?.sync();
    // After the sync: instanced primitives have their instance matrices only from then on.
    if (this.autoFrame && this.loads.size === 0) this.frameFirstContent();
    if (this.selection.key !== null) this.selection.refresh(this.mirror.holderOf(this.selection.key));
    this.interaction.refreshHover();
    this.stage.render();
    if (withGizmo) this.gizmo.render();
    this.drawMs = performance.now() - t0;
    this.renders++;
    this.frameTimes.push(performance.now());
    if (this.frameTimes.length > 240) this.frameTimes.splice(0, 120);
  }

  /** Frames drawn in the last second (the viewer draws only when something changed). */
  private fps(now: number): number {
    let n = 0;
    for (let i = this.frameTimes.length - 1; i >= 0 && this.frameTimes[i] > now - 1000; i--) n++;
    return n;
  }

  private report(now: number): void {
    const fps = this.fps(now);
    const info = this.stage.renderer.info.render;
    this.hud.show({ fps, nodes: this.mirror.size, drawCalls: info.calls });
    if (now - this.lastStats > 1000) {
      this.link.post({ t: "stats", fps, nodes: this.mirror.size, lastTs: this.mirror.lastTs });
      this.lastStats = now;
    }
  }

  private isIdle(): boolean {
    return this.batches.length === 0 && this.rpcs.length === 0 && this.loads.size === 0 && !this.dirty;
  }

  /** Resolves when every queued message is drawn and every load finished. */
  idle(): Promise<void> {
    if (this.isIdle() && !this.frameRequested) return Promise.resolve();
    // Not idle means a frame is already requested (by a message or a load): no extra draw.
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      if (!this.frameRequested) this.requestRender();
    });
  }

  /** A PNG of the current view (drawn now, so the drawing buffer is fresh). */
  async png(downsample = 1): Promise<Uint8Array> {
    // The scene alone (no axes gizmo); the screen gets the gizmo back on the next frame.
    this.draw(false);
    this.requestRender();
    const src = this.stage.renderer.domElement;
    let canvas: HTMLCanvasElement = src;
    if (downsample > 1) {
      canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(src.width / downsample));
      canvas.height = Math.max(1, Math.round(src.height / downsample));
      canvas.getContext("2d")!.drawImage(src, 0, 0, canvas.width, canvas.height);
    }
    const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, "image/png"));
    if (!blob) throw new Error("the canvas could not be encoded");
    return new Uint8Array(await blob.arrayBuffer());
  }

  private async answer(r: GrabRenderRequest): Promise<void> {
    try {
      const down = typeof r.data?.downsample === "number" && r.data.downsample >= 1 ? r.data.downsample : 1;
      const frame = await this.png(down);
      this.link.post({ t: "event", event: { etype: r.rtype, ts: Date.now(), value: { frame } } });
    } catch (e) {
      this.link.post({ t: "event", event: { etype: r.rtype, ts: Date.now(), error: (e as Error).message } });
    }
  }

  async screenshot(): Promise<void> {
    const png = await this.png();
    if (this.link.inVsCode) return this.link.post({ t: "screenshot", png });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([png as Uint8Array<ArrayBuffer>], { type: "image/png" }));
    a.download = `scene-${new Date().toISOString().replace(/[:.]/g, "-")}.png`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  /** Renders `n` frames back to back and waits for the GPU: milliseconds per frame. */
  measureFrames(n: number): number {
    const gl = this.stage.renderer.getContext();
    const px = new Uint8Array(4);
    this.draw();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      this.stage.camera.rotateY(0.0001); // a real change each frame; nothing else is touched
      this.stage.camera.updateMatrixWorld();
      this.stage.render();
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
    }
    return (performance.now() - t0) / n;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.mirror.apply([{ etype: "SET", ts: Date.now(), data: { tag: "Scene", key: "scene", children: [] } }]);
    this.interaction.dispose();
    this.gizmo.dispose();
    this.selection.dispose();
    this.stage.dispose();
  }

  stats(): Record<string, number> {
    const info = this.stage.renderer.info;
    const pools = this.pools?.stats() ?? { pools: 0, instances: 0 };
    return {
      nodes: this.mirror.size,
      fps: this.fps(performance.now()),
      drawCalls: info.render.calls,
      triangles: info.render.triangles,
      points: info.render.points,
      geometries: info.memory.geometries,
      textures: info.memory.textures,
      programs: info.programs?.length ?? 0,
      pools: pools.pools,
      instances: pools.instances,
      renders: this.renders,
      warnings: this.warnings,
      pendingLoads: this.loads.size,
      applyMs: Math.round(this.applyMs * 10) / 10,
      drawMs: Math.round(this.drawMs * 10) / 10,
    };
  }
}

