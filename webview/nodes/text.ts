/** Text labels: the string drawn on a canvas, shown as a camera-facing sprite (no font files fetched). */
import { CanvasTexture, LinearFilter, SRGBColorSpace, Sprite, SpriteMaterial } from "three";
import type { Props } from "../props.js";
import type { Content, NodeContext } from "./types.js";

function textOf(p: Props): string {
  for (const name of ["text", "children", "value", "label"]) {
    const v = p.raw[name];
    if (typeof v === "string") return v;
    if (typeof v === "number") return String(v);
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v.join("");
  }
  if (p.has("text")) p.warn("text", "expected a string");
  return "";
}

export function text(p: Props, ctx: NodeContext): Content {
  const canvas = document.createElement("canvas");
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  texture.minFilter = LinearFilter;
  texture.generateMipmaps = false;
  const material = new SpriteMaterial({ map: texture, transparent: true, depthTest: p.bool("depthTest", true) });
  const sprite = new Sprite(material);

  const draw = (np: Props) => {
    const s = textOf(np);
    const lines = s.split("\n");
    const px = 64; // texture resolution per line
    const ctx2 = canvas.getContext("2d")!;
    const font = `${np.str("fontWeight", "500")} ${px}px ${np.str("font", "system-ui, -apple-system, 'Segoe UI', sans-serif")}`;
    ctx2.font = font;
    const pad = px * 0.25;
    const width = Math.max(1, ...lines.map((l) => ctx2.measureText(l).width)) + pad * 2;
    const height = lines.length * px * 1.2 + pad * 2;
    canvas.width = Math.ceil(width);
    canvas.height = Math.ceil(height);
    ctx2.font = font;
    const bg = np.color("backgroundColor");
    if (bg) {
      ctx2.fillStyle = `#${bg.getHexString()}`;
      ctx2.globalAlpha = np.num("backgroundOpacity", 0.7, { min: 0, max: 1 });
      ctx2.fillRect(0, 0, canvas.width, canvas.height);
      ctx2.globalAlpha = 1;
    }
    ctx2.fillStyle = `#${(np.color("color") ?? ctx.foreground()).getHexString()}`;
    ctx2.textBaseline = "middle";
    lines.forEach((l, i) => ctx2.fillText(l, pad, pad + px * 1.2 * (i + 0.5)));
    texture.dispose(); // the canvas size changed: re-upload from scratch
    texture.needsUpdate = true;
    const worldH = np.num("fontSize", 0.2, { min: 0 }) * lines.length * 1.2 * (height / (height - pad * 2));
    sprite.scale.set((worldH * canvas.width) / canvas.height, worldH, 1);
    const anchorX = np.str("anchorX", "center");
    const anchorY = np.str("anchorY", "middle");
    sprite.center.set(anchorX === "left" ? 0 : anchorX === "right" ? 1 : 0.5, anchorY === "top" ? 1 : anchorY === "bottom" ? 0 : 0.5);
  };
  draw(p);
  return {
    object: sprite,
    update(np) {
      draw(np);
      return true;
    },
    dispose() {
      texture.dispose();
      material.dispose();
      sprite.removeFromParent();
    },
  };
}
