/**
 * DepthPointCloud / InPlaceDepthPointCloud: a depth image (16-bit PNG, `depthUnit` metres per
 * step) and the camera's vertical `fov` (principal point `cx`, `cy`, default the image centre)
 * unprojected into points in the node's frame: a camera at the origin looking down -Z, y up.
 * Colours come from `rgb` when given, else from `cmap` over `colorMode` (depth, camZ, camDist,
 * localY/worldY) between depthMin/depthMax or heightMin/heightMax, else grey by depth.
 */
import { BufferGeometry, Color, Float32BufferAttribute, Points, PointsMaterial } from "three";
import { disposeObject } from "../dispose.js";
import type { Props } from "../props.js";
import { describe } from "../props.js";
import { fetchAssetBytes } from "./assets.js";
import { loadLoaders } from "./chunks.js";
import type { Content, NodeContext } from "./types.js";

export const DEPTH_CLOUD_TAGS = new Set(["DepthPointCloud", "InPlaceDepthPointCloud"]);

/** Colormap stops (evenly spaced), close enough to matplotlib's to read a depth by colour. */
const CMAPS: Record<string, number[]> = {
  turbo: [0x30123b, 0x4662d7, 0x36aaf9, 0x1ae4b6, 0x72fe5e, 0xc8ef34, 0xfaba39, 0xf66b19, 0xca2a04, 0x7a0403],
  viridis: [0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779, 0x6ece58, 0xb5de2b, 0xfde725],
  inferno: [0x000004, 0x1b0c41, 0x4a0c6b, 0x781c6d, 0xa52c60, 0xcf4446, 0xed6925, 0xfb9b06, 0xf7d13d, 0xfcffa4],
  jet: [0x00007f, 0x0000ff, 0x007fff, 0x00ffff, 0x7fff7f, 0xffff00, 0xff7f00, 0xff0000, 0x7f0000],
};

function cmapColor(stops: Color[], t: number, out: Color): Color {
  const x = Math.min(Math.max(t, 0), 1) * (stops.length - 1);
  const i = Math.min(Math.floor(x), stops.length - 2);
  return out.copy(stops[i]).lerp(stops[i + 1], x - i);
}

async function bytesOf(v: unknown): Promise<Uint8Array> {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (typeof v === "string") return new Uint8Array(await fetchAssetBytes(v));
  throw new Error(`expected a PNG as a URL or bytes, got ${describe(v)}`);
}

/** The depth image's first channel, one value per pixel. */
async function depthImage(v: unknown): Promise<{ width: number; height: number; values: ArrayLike<number> }> {
  const [bytes, { decodePng }] = await Promise.all([bytesOf(v), loadLoaders()]);
  const img = decodePng(bytes);
  const n = img.width * img.height;
  if (img.channels === 1) return { width: img.width, height: img.height, values: img.data as ArrayLike<number> };
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = img.data[i * img.channels];
  return { width: img.width, height: img.height, values };
}

/** The colour image as RGBA bytes at the depth image's size (scaled when it differs). */
async function rgbImage(v: unknown, width: number, height: number): Promise<Uint8ClampedArray> {
  const bytes = await bytesOf(v);
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  try {
    const canvas = new OffscreenCanvas(width, height);
    const g = canvas.getContext("2d")!;
    g.drawImage(bitmap, 0, 0, width, height);
    return g.getImageData(0, 0, width, height).data;
  } finally {
    bitmap.close();
  }
}

export function depthCloud(p: Props, ctx: NodeContext): Content {
  const geometry = new BufferGeometry();
  const screenSpace = p.bool("screenSpaceSizing", true);
  const material = new PointsMaterial({ size: p.num("pointSize", 2, { min: 0 }), sizeAttenuation: !screenSpace, vertexColors: true });
  const points = new Points(geometry, material);
  points.visible = !p.bool("hide", false);
  let disposed = false;
  const fov = p.num("fov", 58, { min: 1, max: 179 });
  const unit = p.num("depthUnit", 0.001, { min: 0 });
  const cmapName = p.str("cmap");
  if (cmapName !== undefined && !(cmapName in CMAPS)) p.warn("cmap", `unknown colormap "${cmapName}" (turbo, viridis, inferno, jet): drawn grey`);
  const stops = cmapName && CMAPS[cmapName] ? CMAPS[cmapName].map((c) => new Color(c)) : [new Color(0x202020), new Color(0xffffff)];
  const mode = p.str("colorMode", "depth")!;
  const [dMin, dMax] = [p.num("depthMin", 0.1), p.num("depthMax", 50)];
  const [hMin, hMax] = [p.num("heightMin", -2), p.num("heightMax", 2)];
  const minY = p.num("minY", -Infinity), maxY = p.num("maxY", Infinity);

  ctx.track(
    (async () => {
      if (p.raw.depth === undefined || p.raw.depth === null) return p.warn("depth", "expected a depth image (a 16-bit PNG URL or bytes) in depth");
      const { width, height, values } = await depthImage(p.raw.depth);
      const rgb = p.has("rgb") ? await rgbImage(p.raw.rgb, width, height) : undefined;
      if (disposed) return;
      const f = height / 2 / Math.tan(((fov / 2) * Math.PI) / 180);
      const cx = p.num("cx", width / 2), cy = p.num("cy", height / 2);
      const pos: number[] = [];
      const col: number[] = [];
      const c = new Color();
      const worldY = ctx.holder.getWorldPosition(ctx.holder.position.clone()).y;
      for (let v = 0; v < height; v++) {
        for (let u = 0; u < width; u++) {
          const i = v * width + u;
          const z = values[i] * unit;
          if (!(z > 0)) continue; // 0: no reading
          const x = ((u + 0.5 - cx) * z) / f;
          const y = (-(v + 0.5 - cy) * z) / f;
          if (y < minY || y > maxY) continue;
          pos.push(x, y, -z);
          if (rgb) c.setRGB(rgb[i * 4] / 255, rgb[i * 4 + 1] / 255, rgb[i * 4 + 2] / 255, "srgb");
          else {
            const t =
              mode === "localY" ? (y - hMin) / (hMax - hMin)
              : mode === "worldY" ? (y + worldY - hMin) / (hMax - hMin)
              : mode === "camDist" ? (Math.hypot(x, y, z) - dMin) / (dMax - dMin)
              : (z - dMin) / (dMax - dMin);
            cmapColor(stops, t, c);
          }
          col.push(c.r, c.g, c.b);
        }
      }
      geometry.setAttribute("position", new Float32BufferAttribute(pos, 3));
      geometry.setAttribute("color", new Float32BufferAttribute(col, 3));
      geometry.computeBoundingSphere();
      ctx.requestRender();
    })().catch((e: Error) => p.warn("depth", `could not draw the depth point cloud: ${e.message}`)),
  );
  return {
    object: points,
    update(np, changed) {
      // Size and visibility change in place; a new image or new intrinsics rebuild the points.
      if (!changed.every((k) => k === "pointSize" || k === "hide")) return false;
      material.size = np.num("pointSize", 2, { min: 0 });
      points.visible = !np.bool("hide", false);
      return true;
    },
    dispose() {
      disposed = true;
      disposeObject(points);
    },
  };
}
