/**
 * Gaussian splats: Splat (drei), SparkSplats, VuerSplat and Splats/LumaSplats with a splat file
 * (.splat, .ply, .spz, .ksplat), drawn by Spark (@sparkjsdev/spark). Spark is 2.6 MB, so it is
 * a separate script (dist/webview-splats.js) added to the page the first time a splat node
 * appears: the viewer's first paint does not pay for it. Luma captures (`lumalabs.ai` URLs)
 * stream from Luma's service, which the viewer does not reach: one warning says so.
 */
import { BufferGeometry, Group, Mesh, MeshBasicMaterial, type Object3D, type Scene, type WebGLRenderer } from "three";
import { disposeObject } from "../dispose.js";
import type { Props } from "../props.js";
import { describe } from "../props.js";
import { fetchAssetBytes } from "./assets.js";
import { loadSplats } from "./chunks.js";
import type { SplatChunk } from "./splat-chunk.js";
import type { Content, NodeContext } from "./types.js";

export const SPLAT_TAGS = new Set(["Splat", "Splats", "LumaSplats", "SparkSplats", "VuerSplat"]);
const FILE_TYPES = ["splat", "ply", "spz", "ksplat"] as const;

/** One SparkRenderer per scene, shared by its splat nodes (made from the renderer the first frame hands us). */
interface Shared {
  spark: Object3D & { onDirty?: () => void; dispose?(): void };
  users: Set<() => void>;
}

/**
 * An empty mesh whose only job is its onBeforeRender: it is how a node reaches the
 * WebGLRenderer and the scene (Spark needs both), without a hook in the stage.
 */
function rendererProbe(c: SplatChunk, redraw: () => void, onShared: (s: Shared, scene: Scene) => void): Mesh {
  const probe = new Mesh(new BufferGeometry(), new MeshBasicMaterial());
  probe.frustumCulled = false;
  probe.raycast = () => {};
  probe.userData.noOutline = true;
  let done = false;
  probe.onBeforeRender = (renderer: WebGLRenderer, scene: Scene) => {
    if (done) return;
    done = true;
    let shared = scene.userData.sparkShared as Shared | undefined;
    if (!shared) {
      const spark = new c.SparkRenderer({ renderer }) as unknown as Shared["spark"];
      shared = { spark, users: new Set() };
      // Spark sorts in a worker and says when the picture is stale: draw again then.
      spark.onDirty = () => requestAnimationFrame(() => shared!.users.forEach((f) => f()));
      scene.userData.sparkShared = shared;
      scene.add(spark);
    }
    shared.users.add(redraw);
    onShared(shared, scene);
    requestAnimationFrame(redraw); // the renderer joins the scene for the next frame
  };
  return probe;
}

function fileTypeOf(p: Props, src: string | undefined): (typeof FILE_TYPES)[number] | undefined {
  const named = p.str("fileType") ?? p.str("format");
  const ext = named ?? /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(src ?? "")?.[1]?.toLowerCase();
  return FILE_TYPES.find((t) => t === ext);
}

export function splat(tag: string, p: Props, ctx: NodeContext): Content {
  const group = new Group();
  const src = p.str("src");
  const buff = p.raw.buff ?? p.raw.data;
  const type = fileTypeOf(p, src);
  const luma = (tag === "Splats" || tag === "LumaSplats") && (src === undefined || /(^|\.)lumalabs\.ai$/i.test(safeHost(src)) || type === undefined);
  if (luma && !(buff instanceof ArrayBuffer || ArrayBuffer.isView(buff))) {
    p.warn("src", `Luma splats (${src ? describe(src) : "no src"}) stream from Luma's web service, which the viewer does not reach: not drawn. Export the capture as .splat/.ply/.spz and use SparkSplats`);
    return { object: group, dispose: () => {} };
  }
  let disposed = false;
  let mesh: (Object3D & { dispose?(): void; initialized?: Promise<unknown> }) | undefined;
  let release: (() => void) | undefined;
  const redraw = () => ctx.requestRender();
  ctx.track(
    (async () => {
      let bytes: ArrayBuffer;
      if (buff instanceof ArrayBuffer) bytes = buff;
      else if (ArrayBuffer.isView(buff)) bytes = (buff.buffer as ArrayBuffer).slice(buff.byteOffset, buff.byteOffset + buff.byteLength);
      else if (src !== undefined) bytes = await fetchAssetBytes(src);
      else return p.warn("src", `expected a splat file URL in src or bytes in buff, got ${describe(p.raw.src ?? buff)}`);
      if (type === undefined && src !== undefined) p.warn("src", `cannot tell the splat format of ${describe(src)} (expected .splat, .ply, .spz or .ksplat): trying it as .splat`);
      const c = await loadSplats();
      if (disposed) return;
      const m = new c.SplatMesh({ fileBytes: new Uint8Array(bytes), fileType: (type ?? "splat") as never, fileName: src?.split(/[?#]/)[0].split("/").pop() });
      mesh = m;
      await m.initialized;
      if (disposed) return m.dispose();
      // .splat/.ply captures are usually in OpenCV's frame (y down); vuer's flipCoords turns them upright.
      if (p.bool("flipCoords", false)) m.rotation.x = Math.PI;
      group.add(m);
      group.add(
        rendererProbe(c, redraw, (shared, scene) => {
          release = () => {
            shared.users.delete(redraw);
            if (shared.users.size) return;
            scene.remove(shared.spark);
            shared.spark.dispose?.();
            disposeObject(shared.spark); // its own geometry and material, which Spark's dispose() keeps
            delete scene.userData.sparkShared;
          };
          if (disposed) release();
        }),
      );
      ctx.requestRender();
    })().catch((e: Error) => p.warn("src", `could not load the splats: ${e.message}`)),
  );
  return {
    object: group,
    dispose() {
      disposed = true;
      release?.();
      mesh?.dispose?.();
      if (mesh) group.remove(mesh);
      disposeObject(group);
    },
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}
