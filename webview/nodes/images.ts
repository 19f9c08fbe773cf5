/** Image (a textured plane) and ImageBackground (the picture behind the scene). */
import { Mesh, MeshBasicMaterial, PlaneGeometry, SRGBColorSpace, Texture, DoubleSide } from "three";
import type { Props } from "../props.js";
import { describe } from "../props.js";
import type { Content, NodeContext } from "./types.js";
import { fetchAsset } from "./assets.js";

const MIME: Record<string, string> = { png: "image/png", jpeg: "image/jpeg", jpg: "image/jpeg", webp: "image/webp", b64png: "image/png", b64jpeg: "image/jpeg" };

/** Decodes `src` (URL/data URL string or image bytes) into an ImageBitmap. */
export async function loadImage(p: Props): Promise<ImageBitmap | undefined> {
  const src = p.raw.src ?? p.raw.data;
  const format = p.str("format", "png")!;
  let blob: Blob | undefined;
  if (src instanceof Uint8Array || src instanceof ArrayBuffer) {
    blob = new Blob([src as Uint8Array<ArrayBuffer>], { type: MIME[format] ?? "image/png" });
  } else if (typeof src === "string") {
    const url = format.startsWith("b64") && !src.startsWith("data:") ? `data:${MIME[format]};base64,${src}` : src;
    blob = await (await fetchAsset(url)).blob();
  } else {
    p.warn("src", `expected image bytes or a URL, got ${describe(src)}`);
    return undefined;
  }
  return createImageBitmap(blob, { imageOrientation: "flipY" });
}

function textureFrom(bitmap: ImageBitmap): Texture {
  const t = new Texture(bitmap);
  t.colorSpace = SRGBColorSpace;
  t.flipY = false; // flipped while decoding (ImageBitmap ignores flipY)
  t.needsUpdate = true;
  return t;
}

export function image(p: Props, ctx: NodeContext): Content {
  const material = new MeshBasicMaterial({ color: 0x808080, side: DoubleSide, transparent: p.num("opacity", 1) < 1, opacity: p.num("opacity", 1, { min: 0, max: 1 }) });
  const geometry = new PlaneGeometry(1, 1);
  const mesh = new Mesh(geometry, material);
  let texture: Texture | null = null;
  let bitmap: ImageBitmap | undefined;
  let disposed = false;
  const height = p.num("height", 1, { min: 0 });
  const width = p.has("width") ? p.num("width", 1, { min: 0 }) : undefined;
  mesh.scale.set(width ?? height, height, 1);
  ctx.track(
    loadImage(p)
      .then((bm) => {
        if (!bm || disposed) return bm?.close();
        bitmap = bm;
        texture = textureFrom(bm);
        material.map = texture;
        material.color.set(0xffffff);
        material.needsUpdate = true;
        if (width === undefined) mesh.scale.set((height * bm.width) / bm.height, height, 1);
        ctx.requestRender();
      })
      .catch((e: Error) => p.warn("src", `could not load the image: ${e.message}`)),
  );
  return {
    object: mesh,
    dispose() {
      disposed = true;
      texture?.dispose();
      bitmap?.close();
      geometry.dispose();
      material.dispose();
      mesh.removeFromParent();
    },
  };
}

export function imageBackground(p: Props, ctx: NodeContext): Content {
  let texture: Texture | null = null;
  let disposed = false;
  ctx.track(
    loadImage(p)
      .then((bm) => {
        if (!bm || disposed) return bm?.close();
        texture = textureFrom(bm);
        ctx.setBackground(ctx.key, texture);
        ctx.requestRender();
      })
      .catch((e: Error) => p.warn("src", `could not load the background image: ${e.message}`)),
  );
  return {
    object: null,
    dispose() {
      disposed = true;
      ctx.setBackground(ctx.key, null);
      (texture?.image as ImageBitmap | undefined)?.close();
      texture?.dispose();
    },
  };
}
