/**
 * The default stage: renderer, perspective camera with orbit controls, grid,
 * ambient + directional light, and a background that follows the VS Code theme
 * (CSS variables on <body>, re-read when its class changes), kept off pure white and
 * black so that white and black content stay visible (contrast.ts). Resizes with the panel.
 */
import { AmbientLight, Color, DirectionalLight, Group, PerspectiveCamera, PMREMGenerator, Scene, Sphere, Vector3, WebGLRenderer, type Box3, type Fog, type FogExp2, type LineSegments, type OrthographicCamera, type Texture } from "three";
import { viewportBackground } from "./contrast.js";
import { framePose } from "./framing.js";
import { disposeGrid, makeGrid } from "./grid.js";
import { OrbitControls } from "three/addons/controls/OrbitControls.js";
import { RoomEnvironment } from "three/addons/environments/RoomEnvironment.js";
import type { Props } from "./props.js";
import type { FrameHook, Monitor, StageServices } from "./nodes/services.js";

export const HOME = { position: new Vector3(2.4, 2, 3.2), target: new Vector3(0, 0.2, 0) };

export class Stage implements StageServices {
  readonly renderer: WebGLRenderer;
  readonly scene = new Scene();
  /** Scene nodes live under this group; the stage's own objects do not. */
  readonly content = new Group();
  readonly camera = new PerspectiveCamera(50, 1, 0.01, 2000);
  readonly controls: OrbitControls;
  private grid: LineSegments;
  private gridWanted = true;
  /** The scene draws its own Grid node. */
  private gridReplaced = false;
  private readonly ambient = new AmbientLight(0xffffff, 0.7);
  private readonly sun = new DirectionalLight(0xffffff, 1.6);
  private themeBackground = new Color(0x1e1e1e);
  private sceneBackground: Color | null = null;
  private readonly backgrounds = new Map<string, Texture>();
  private readonly backgroundColors = new Map<string, Color>();
  private readonly fogs = new Map<string, Fog | FogExp2>();
  private readonly views = new Map<string, PerspectiveCamera | OrthographicCamera>();
  private readonly environments = new Map<string, number>();
  private environmentTexture: Texture | null = null;
  private readonly frameHooks = new Set<FrameHook>();
  private readonly cameraHooks = new Set<FrameHook>();
  private readonly resizeHooks = new Set<() => void>();
  private overlayLayer: HTMLElement | null = null;
  private readonly monitors = new Set<Monitor>();
  private readonly savedClear = new Color();
  foreground = new Color(0xcccccc);
  private readonly resizeObserver: ResizeObserver;
  private readonly themeObserver: MutationObserver;
  onChange: () => void = () => {};
  /** The user (or code) moved the camera. */
  onCamera: () => void = () => {};
  /** Set once the user has moved the camera by hand (drag, wheel, keys on the canvas). */
  userMovedCamera = false;

  private cameraMoved(): void {
    this.onCamera();
    this.onChange();
  }

  constructor(readonly container: HTMLElement) {
    this.renderer = new WebGLRenderer({ antialias: true, preserveDrawingBuffer: false, powerPreference: "high-performance" });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    this.renderer.info.autoReset = true;
    container.appendChild(this.renderer.domElement);
    this.renderer.domElement.className = "sr-canvas";
    this.renderer.domElement.tabIndex = 0;
    this.scene.matrixWorldAutoUpdate = false; // updated once per frame by the viewer
    this.scene.userData.services = this; // node factories find the stage through their holder
    this.content.name = "content";
    this.scene.add(this.content);
    this.camera.position.copy(HOME.position);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.target.copy(HOME.target);
    this.controls.enableDamping = false;
    this.controls.update();
    this.wireControls();
    this.sun.position.set(5, 10, 7);
    this.scene.add(this.ambient, this.sun);
    this.grid = this.makeGrid();
    this.readTheme();
    this.themeObserver = new MutationObserver(() => {
      this.readTheme();
      this.onChange();
    });
    this.themeObserver.observe(document.body, { attributes: true, attributeFilter: ["class", "style"] });
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
    this.resize();
  }

  private wireControls(): void {
    this.controls.addEventListener("change", () => this.cameraMoved());
    // "start" comes only from the user's pointer, wheel or keys, never from code calling update().
    this.controls.addEventListener("start", () => (this.userMovedCamera = true));
  }

  private makeGrid(): LineSegments {
    const g = makeGrid(20, 20, this.gridColor(0.35), this.gridColor(0.18));
    g.visible = this.gridWanted && !this.gridReplaced;
    if (this.camera.up.z === 1) g.rotation.x = Math.PI / 2;
    this.scene.add(g);
    return g;
  }

  private gridColor(mix: number): Color {
    return this.themeBackground.clone().lerp(this.foreground, mix);
  }

  /** Background and text colors from the VS Code theme variables (with dark defaults in a plain page). */
  readTheme(): void {
    const css = getComputedStyle(document.body);
    const bg = css.getPropertyValue("--vscode-editor-background").trim() || css.backgroundColor;
    const fg = css.getPropertyValue("--vscode-editor-foreground").trim() || css.color;
    const parse = (s: string, fallback: Color) => {
      const c = new Color();
      try {
        if (s && !/^rgba\(0, 0, 0, 0\)$/.test(s)) return c.setStyle(s);
      } catch {
        /* fall through */
      }
      return fallback.clone();
    };
    this.themeBackground = viewportBackground(parse(bg, new Color(0x1e1e1e)));
    this.foreground = parse(fg, new Color(0xcccccc));
    this.grid.removeFromParent();
    disposeGrid(this.grid);
    this.grid = this.makeGrid();
    this.applyBackground();
  }

  private applyBackground(): void {
    const textures = [...this.backgrounds.values()];
    const colors = [...this.backgroundColors.values()];
    this.scene.background = textures.length ? textures[textures.length - 1] : colors.length ? colors[colors.length - 1] : (this.sceneBackground ?? this.themeBackground);
  }

  setBackgroundColor(owner: string, color: Color | null): void {
    this.backgroundColors.delete(owner);
    if (color) this.backgroundColors.set(owner, color);
    this.applyBackground();
    this.onChange();
  }

  setFog(owner: string, fog: Fog | FogExp2 | null): void {
    this.fogs.delete(owner);
    if (fog) this.fogs.set(owner, fog);
    const all = [...this.fogs.values()];
    this.scene.fog = all.length ? all[all.length - 1] : null;
    this.onChange();
  }

  /** The camera frames are drawn with: the last node-provided one, else the orbit camera. */
  get view(): PerspectiveCamera | OrthographicCamera {
    const all = [...this.views.values()];
    return all.length ? all[all.length - 1] : this.camera;
  }

  setView(owner: string, camera: PerspectiveCamera | OrthographicCamera | null): void {
    this.views.delete(owner);
    if (camera) this.views.set(owner, camera);
    // The orbit controls drive whatever is drawn, so a user can still look around.
    this.controls.object = this.view;
    this.controls.update();
    this.resize();
  }

  setEnvironment(owner: string, kind: "room" | null, intensity = 1): void {
    this.environments.delete(owner);
    if (kind) this.environments.set(owner, intensity);
    if (this.environments.size && !this.environmentTexture) {
      const pmrem = new PMREMGenerator(this.renderer);
      const room = new RoomEnvironment();
      this.environmentTexture = pmrem.fromScene(room, 0.04).texture;
      room.dispose();
      pmrem.dispose();
    }
    if (!this.environments.size && this.environmentTexture) {
      this.environmentTexture.dispose();
      this.environmentTexture = null;
    }
    this.scene.environment = this.environmentTexture;
    const all = [...this.environments.values()];
    this.scene.environmentIntensity = all.length ? all[all.length - 1] : 1;
    this.onChange();
  }

  addFrameHook(hook: FrameHook, first = false): () => void {
    const set = first ? this.cameraHooks : this.frameHooks;
    set.add(hook);
    this.onChange();
    return () => {
      set.delete(hook);
      this.onChange();
    };
  }

  /** Runs the per-frame hooks (billboards, centring, camera nodes): true if one moved something. */
  beforeFrame(): boolean {
    let moved = false;
    for (const h of this.cameraHooks) {
      try {
        if (h(this.view)) moved = true;
      } catch {
        /* a hook's failure must not stop the frame */
      }
    }
    const view = this.view;
    view.updateMatrixWorld();
    for (const h of this.frameHooks) {
      try {
        if (h(view)) moved = true;
      } catch {
        /* a hook's failure must not stop the frame */
      }
    }
    return moved;
  }

  addMonitor(m: Monitor): () => void {
    this.monitors.add(m);
    this.onChange();
    return () => {
      this.monitors.delete(m);
      this.onChange();
    };
  }

  /** Picture-in-picture views, stacked at the top left under the toolbar. */
  private renderMonitors(): void {
    const r = this.renderer;
    const w = Math.max(1, this.container.clientWidth);
    const h = Math.max(1, this.container.clientHeight);
    let y = 40;
    r.setScissorTest(true);
    try {
      for (const m of this.monitors) {
        const s = m.size(w, h);
        if (y + s.height > h) break;
        // A one-pixel frame, then the view inside it.
        r.getClearColor(this.savedClear);
        const alpha = r.getClearAlpha();
        r.setScissor(7, h - y - s.height - 1, s.width + 2, s.height + 2);
        r.setClearColor(this.foreground, 1);
        r.clear(true, false, false);
        r.setClearColor(this.savedClear, alpha);
        r.setViewport(8, h - y - s.height, s.width, s.height);
        r.setScissor(8, h - y - s.height, s.width, s.height);
        m.camera.updateMatrixWorld();
        m.before?.();
        try {
          r.render(this.scene, m.camera);
        } finally {
          m.after?.();
        }
        y += s.height + 6;
      }
    } finally {
      r.setScissorTest(false);
      r.setViewport(0, 0, w, h);
    }
  }

  onResize(fn: () => void): () => void {
    this.resizeHooks.add(fn);
    return () => this.resizeHooks.delete(fn);
  }

  overlay(): HTMLElement {
    if (!this.overlayLayer) {
      const el = document.createElement("div");
      el.className = "sr-overlay";
      // CSSOM assignments are allowed under the page's CSP (inline style attributes are not).
      // translateZ makes it the containing block of anything inside, `fixed` included: nothing escapes it.
      Object.assign(el.style, { position: "absolute", inset: "0", pointerEvents: "none", overflow: "hidden", transform: "translateZ(0)" });
      if (getComputedStyle(this.container).position === "static") this.container.style.position = "relative";
      // Right after the canvas: the HUD (toolbar, warnings, widgets) comes later and stays on top.
      this.container.insertBefore(el, this.renderer.domElement.nextSibling);
      this.overlayLayer = el;
    }
    return this.overlayLayer;
  }

  changed(): void {
    this.onChange();
  }

  setBackgroundTexture(owner: string, texture: Texture | null): void {
    if (texture) this.backgrounds.set(owner, texture);
    else this.backgrounds.delete(owner);
    this.applyBackground();
  }

  /**
   * The Scene root's props: up, background, grid, camPosition... `changed` lists
   * what an update touched (undefined on a SET): an upsert of the background must
   * not throw away the user's orbit or rebuild the grid.
   */
  sceneProps(p: Props, changed?: string[]): void {
    const up = p.vec("up", 3);
    const newUp = up ? new Vector3(up[0], up[1], up[2]).normalize() : new Vector3(0, 1, 0);
    const upChanged = !newUp.equals(this.camera.up);
    if (upChanged) {
      this.camera.up.copy(newUp);
      if (newUp.z === 1) this.camera.position.set(HOME.position.x, -HOME.position.z, HOME.position.y);
      this.controls.dispose();
      (this as { controls: OrbitControls }).controls = new OrbitControls(this.view, this.renderer.domElement);
      this.controls.target.copy(HOME.target);
      this.wireControls();
      this.controls.update();
    }
    this.sceneBackground = p.color("background") ?? null;
    this.gridWanted = p.bool("grid", true);
    if (upChanged) {
      // The grid lies in the plane the up axis defines.
      this.grid.removeFromParent();
      disposeGrid(this.grid);
      this.grid = this.makeGrid();
    } else this.grid.visible = this.gridWanted && !this.gridReplaced;
    const cam = !changed || changed.includes("camPosition") ? p.vec("camPosition", 3) : undefined;
    if (cam) {
      this.camera.position.set(cam[0], cam[1], cam[2]);
      this.controls.update();
    }
    this.applyBackground();
  }

  /** The default grid shows unless the Scene's `grid` prop is false or the scene has a Grid node of its own (as vuer's client does). */
  setDefaultGrid(on: boolean): void {
    if (this.gridReplaced === !on) return;
    this.gridReplaced = !on;
    this.grid.visible = this.gridWanted && on;
  }

  setDefaultLights(on: boolean): void {
    this.ambient.visible = on;
    this.sun.visible = on;
  }

  resetCamera(): void {
    const zUp = this.camera.up.z === 1;
    // The camera drawn with (an orthographic one from a node too).
    this.view.position.copy(zUp ? new Vector3(HOME.position.x, -HOME.position.z, HOME.position.y) : HOME.position);
    this.controls.target.copy(HOME.target);
    this.controls.update();
    this.cameraMoved();
  }

  /**
   * Points the camera drawn with at the centre of `box` and stands back until the box's bounding
   * sphere fills the view, keeping the viewing direction; orbiting goes around it from then on.
   */
  frameBox(box: Box3): void {
    if (box.isEmpty()) return;
    const sphere = box.getBoundingSphere(new Sphere());
    const view = this.view;
    const lens = this.camera;
    const pose = framePose(sphere, { position: view.position, target: this.controls.target }, lens.fov / lens.zoom, lens.aspect);
    const distance = pose.position.distanceTo(pose.target);
    view.position.copy(pose.position);
    this.controls.target.copy(pose.target);
    // Near and far follow the distance, so a small or far-off node is neither clipped nor lost.
    lens.near = Math.min(lens.near, Math.max(1e-6, (distance - sphere.radius) / 100));
    lens.far = Math.max(lens.far, (distance + sphere.radius) * 4);
    lens.updateProjectionMatrix();
    if (view !== lens) this.resize(); // an orthographic view refits to the new distance
    this.controls.update();
    this.cameraMoved();
  }

  resize(): void {
    const w = Math.max(1, this.container.clientWidth);
    const h = Math.max(1, this.container.clientHeight);
    this.renderer.setSize(w, h, true);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    const view = this.view;
    if (view !== this.camera) {
      const u = view.userData as { fit?: (aspect: number) => void };
      u.fit?.(w / h);
    }
    for (const f of this.resizeHooks) f();
    this.onChange();
  }

  render(): void {
    // Idempotent: InstancePools.sync ran them already when instancing is on (they must move
    // holders before instance matrices are copied); without pools this is the only call.
    if (this.beforeFrame()) this.scene.updateMatrixWorld();
    this.renderer.render(this.scene, this.view);
    if (this.monitors.size) this.renderMonitors();
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    this.themeObserver.disconnect();
    this.controls.dispose();
    disposeGrid(this.grid);
    this.environmentTexture?.dispose();
    this.overlayLayer?.remove();
    this.renderer.dispose();
  }
}
