/**
 * Scene-wide looks: Fog / fog (three's Fog from color, near, far or `args`;
 * FogExp2 when only a density is given) and BackgroundColor (the scene's
 * background color while the node exists). SceneBackground, vuer's background
 * picture, is drawn by ImageBackground (images.ts).
 */
import { Color, Fog, FogExp2 } from "three";
import type { Props } from "../props.js";
import { parseColor } from "../props.js";
import { servicesOf } from "./services.js";
import type { Content, NodeContext } from "./types.js";

export function fog(p: Props, ctx: NodeContext): Content {
  const s = servicesOf(ctx.holder);
  const make = (q: Props): Fog | FogExp2 => {
    const a = Array.isArray(q.raw.args) ? (q.raw.args as unknown[]) : [];
    const color = q.color("color") ?? parseColor(a[0]) ?? new Color(0xcccccc);
    // vuer's own examples send near="3": a numeric string is a number here, as it is to three.
    const n = (i: number, name: string, d: number) => {
      const raw = a[i] ?? q.raw[name];
      if (typeof raw === "string" && raw.trim() && Number.isFinite(Number(raw))) return Math.max(0, Number(raw));
      return typeof a[i] === "number" && Number.isFinite(a[i]) ? (a[i] as number) : q.num(name, d, { min: 0 });
    };
    if (q.has("density") && !q.has("near") && !q.has("far")) return new FogExp2(color, q.num("density", 0.05, { min: 0 }));
    return new Fog(color, n(1, "near", 1), n(2, "far", 100));
  };
  s?.setFog(ctx.key, make(p));
  return {
    object: null,
    update(np) {
      s?.setFog(ctx.key, make(np));
      return true;
    },
    dispose: () => s?.setFog(ctx.key, null),
  };
}

export function backgroundColor(p: Props, ctx: NodeContext): Content {
  const s = servicesOf(ctx.holder);
  const pick = (q: Props) => q.color("color") ?? (Array.isArray(q.raw.args) ? parseColor((q.raw.args as unknown[])[0]) : undefined) ?? new Color("#131416");
  s?.setBackgroundColor(ctx.key, pick(p));
  return {
    object: null,
    update(np) {
      s?.setBackgroundColor(ctx.key, pick(np));
      return true;
    },
    dispose: () => s?.setBackgroundColor(ctx.key, null),
  };
}
