/**
 * points.million peer: a plain three.js page that receives the same coloured cloud the same
 * way the viewer does in the benchmark (the typed arrays in their text form, one JSON string
 * through page.evaluate, decoded in the page as src/viewer/headless.ts's bridge decodes them)
 * and draws it as one Points object: no program, no runner pipe, no host pipeline, no viewer.
 */
import { BufferAttribute, BufferGeometry, Points, PointsMaterial } from "three";
import { plainStage } from "./stage.js";

type TextArray = { $typed: string; base64: string };

declare global {
  interface Window {
    /** Sets the stage up and draws it once (shaders compiled), as a running viewer already is. */
    plainPointsSetup(width: number, height: number): void;
    /** Decodes the cloud, builds it, draws it and waits for the drawing to finish. */
    plainPointsDraw(json: string): { points: number };
  }
}

/** The bridge's decoding: base64 to bytes, then a view of the named dtype. */
function decode(x: TextArray): Float32Array | Uint8Array {
  const bin = atob(x.base64);
  const u8 = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
  if (x.$typed === "uint8") return u8;
  if (x.$typed === "float32") return new Float32Array(u8.buffer);
  throw new Error(`plain-points: unexpected dtype ${x.$typed}`);
}

let stage: ReturnType<typeof plainStage> | undefined;

window.plainPointsSetup = (width, height) => {
  stage = plainStage(width, height);
  stage.renderer.render(stage.scene, stage.camera);
  stage.finish();
};

window.plainPointsDraw = (json) => {
  if (!stage) throw new Error("plain-points: plainPointsSetup first");
  const cloud = JSON.parse(json) as { vertices: TextArray; colors: TextArray };
  const vertices = decode(cloud.vertices);
  const colors = decode(cloud.colors);
  const geometry = new BufferGeometry();
  geometry.setAttribute("position", new BufferAttribute(vertices, 3));
  geometry.setAttribute("color", new BufferAttribute(colors, 3, true));
  const points = new Points(geometry, new PointsMaterial({ size: 0.01, vertexColors: true }));
  stage.scene.add(points);
  stage.scene.updateMatrixWorld();
  stage.renderer.render(stage.scene, stage.camera);
  stage.finish();
  return { points: vertices.length / 3 };
};
