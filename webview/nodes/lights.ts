/**
 * Lights and lighting stages. Each light sits at its node's position;
 * directional and spot lights aim at the world origin, RectAreaLight at
 * `lookAt` (default the origin). The stages are vuer's ready-made lighting:
 * HemisphereLightStage (sky/ground light plus a sun, the DefaultScene's),
 * AmbientLightStage (ambient plus a sun), Stage (drei's: studio environment
 * lighting for physical materials, a key light, its children centred).
 * Any of these turns the viewer's default lights off, as any light does.
 */
import { AmbientLight, Color, DirectionalLight, Group, HemisphereLight, PointLight, RectAreaLight, SpotLight, Vector3, type Light, type Object3D } from "three";
import { RectAreaLightHelper } from "three/addons/helpers/RectAreaLightHelper.js";
import { RectAreaLightUniformsLib } from "three/addons/lights/RectAreaLightUniformsLib.js";
import type { Props } from "../props.js";
import { center } from "./layout.js";
import { servicesOf } from "./services.js";
import type { Content, NodeContext } from "./types.js";

export const LIGHT_TAGS = new Set(["AmbientLight", "DirectionalLight", "PointLight", "SpotLight", "HemisphereLight", "RectAreaLight", "HemisphereLightStage", "AmbientLightStage", "Stage", "RandomizedLight"]);

let rectAreaReady = false;

export function light(tag: string, p: Props, ctx?: NodeContext): Content {
  if (tag === "HemisphereLightStage" || tag === "AmbientLightStage" || tag === "Stage") return stage(tag, p, ctx);
  if (p.bool("hide", false)) return { object: null, dispose() {} };
  const color = p.color("color") ?? new Color(0xffffff);
  const intensity = p.num("intensity", tag === "AmbientLight" || tag === "HemisphereLight" ? 0.6 : 1, { min: 0 });
  let obj: Light;
  let root: Object3D;
  switch (tag) {
    case "AmbientLight": obj = new AmbientLight(color, intensity); break;
    case "DirectionalLight": obj = new DirectionalLight(color, intensity); break;
    // drei's RandomizedLight jitters a set of shadow-casting lights; without shadows it is their sum: one light.
    case "RandomizedLight": obj = new DirectionalLight(color, intensity); break;
    case "PointLight": obj = new PointLight(color, intensity, p.num("distance", 0, { min: 0 }), p.num("decay", 2, { min: 0 })); break;
    case "SpotLight":
      obj = new SpotLight(color, intensity, p.num("distance", 0, { min: 0 }), p.num("angle", Math.PI / 3, { min: 0, max: Math.PI / 2 }), p.num("penumbra", 0, { min: 0, max: 1 }), p.num("decay", 2, { min: 0 }));
      break;
    case "RectAreaLight": {
      if (!rectAreaReady) {
        RectAreaLightUniformsLib.init(); // the lookup textures area lights need, once per page
        rectAreaReady = true;
      }
      const a = Array.isArray(p.raw.args) ? (p.raw.args as unknown[]) : [];
      const num = (i: number, name: string, d: number) => (typeof a[i] === "number" && Number.isFinite(a[i]) ? (a[i] as number) : p.num(name, d, { min: 0 }));
      const rect = new RectAreaLight(p.color("color") ?? (typeof a[0] === "string" ? new Color(a[0]) : color), num(1, "intensity", 1), num(2, "width", 1), num(3, "height", 1));
      const look = p.vec("lookAt", 3) ?? [0, 0, 0];
      // Aimed once it is in the scene (lookAt needs the world position).
      rect.userData.lookAt = new Vector3(look[0], look[1], look[2]);
      obj = rect;
      break;
    }
    default:
      obj = new HemisphereLight(p.color("skyColor") ?? color, p.color("groundColor") ?? new Color(0x444444), intensity);
  }
  root = obj;
  if (tag === "RectAreaLight") {
    const group = new Group();
    group.add(obj);
    if (p.bool("helper", false)) obj.add(new RectAreaLightHelper(obj as RectAreaLight));
    // Aim after the node's transform is known: a frame hook, once per transform change.
    const s = ctx && servicesOf(ctx.holder);
    let off: (() => void) | undefined;
    let lastAim = "";
    if (s) off = s.addFrameHook(() => {
      const target = obj.userData.lookAt as Vector3;
      obj.updateWorldMatrix(true, false);
      const k = obj.matrixWorld.elements.join(",") + target.toArray().join(",");
      if (k === lastAim) return false;
      obj.lookAt(target);
      obj.updateMatrixWorld(true);
      lastAim = obj.matrixWorld.elements.join(",") + target.toArray().join(",");
      return false;
    });
    root = group;
    return {
      object: root,
      update(np, changed) {
        if (!changed.every((c) => c === "color" || c === "intensity" || c === "width" || c === "height" || c === "lookAt")) return false;
        const r = obj as RectAreaLight;
        r.color.copy(np.color("color") ?? new Color(0xffffff));
        r.intensity = np.num("intensity", 1, { min: 0 });
        r.width = np.num("width", 1, { min: 0 });
        r.height = np.num("height", 1, { min: 0 });
        const look = np.vec("lookAt", 3) ?? [0, 0, 0];
        (r.userData.lookAt as Vector3).set(look[0], look[1], look[2]);
        lastAim = "";
        return true;
      },
      dispose() {
        off?.();
        obj.traverse((o) => (o as { dispose?: () => void }).dispose?.());
        root.removeFromParent();
      },
    };
  }
  return {
    object: root,
    update(np, changed) {
      if (!changed.every((c) => c === "color" || c === "intensity")) return false;
      obj.color.copy(np.color("color") ?? new Color(0xffffff));
      obj.intensity = np.num("intensity", obj.intensity, { min: 0 });
      return true;
    },
    dispose() {
      obj.dispose();
      root.removeFromParent();
    },
  };
}

function stage(tag: string, p: Props, ctx?: NodeContext): Content {
  const group = new Group();
  const intensity = p.num("intensity", 1, { min: 0 });
  const sun = new DirectionalLight(0xffffff, (tag === "Stage" ? 1.2 : 1.4) * intensity);
  sun.position.set(5, 10, 7);
  group.add(sun, sun.target);
  if (tag === "HemisphereLightStage") group.add(new HemisphereLight(p.color("skyColor") ?? 0xffffff, p.color("groundColor") ?? 0x8d8d8d, 1.2 * intensity));
  else if (tag === "AmbientLightStage") group.add(new AmbientLight(p.color("color") ?? 0xffffff, 0.7 * intensity));
  else group.add(new AmbientLight(0xffffff, 0.3 * intensity));
  const s = tag === "Stage" && ctx ? servicesOf(ctx.holder) : undefined;
  if (s && ctx) s.setEnvironment(ctx.key, "room", p.num("environmentIntensity", 1, { min: 0 }));
  // drei's Stage centres what it holds.
  const centred = tag === "Stage" && ctx && p.bool("center", true) ? center(p, ctx) : undefined;
  return {
    object: group,
    dispose() {
      centred?.dispose();
      if (s && ctx) s.setEnvironment(ctx.key, null);
      group.traverse((o) => (o as { dispose?: () => void }).dispose?.());
      group.removeFromParent();
    },
  };
}
