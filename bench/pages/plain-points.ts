/**
 * points.million peer: the same coloured cloud built inside a plain three.js page (no
 * program, no pipe, no host, no message): the floor for "time until it is drawn".
 */
import { BufferAttribute, BufferGeometry, Points, PointsMaterial } from "three";
import { plainStage } from "./stage.js";

declare global {
  interface Window {
    plainPoints(width: number, height: number, n: number): { ms: number };
  }
}

window.plainPoints = (width, height, n) => {
  const stage = plainStage(width, height);
  stage.renderer.render(stage.scene, stage.camera); // shaders for the stage itself, as a running viewer has
  stage.finish();
  const t0 = performance.now();
  // Same cloud as bench/programs/points.ts: a 2 m cube, colour from position.
  const vertices = new Float32Array(n * 3);
  const colors = new Uint8Array(n * 3);
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < n * 3; i++) {
    vertices[i] = rand() * 2 - 1;
    colors[i] = Math.round((vertices[i] + 1) * 127.5);
  }
  const geometry = new BufferGeometry();
  geometry.setAttribute("position", new BufferAttribute(vertices, 3));
  geometry.setAttribute("color", new BufferAttribute(colors, 3, true));
  const points = new Points(geometry, new PointsMaterial({ size: 0.01, vertexColors: true }));
  stage.scene.add(points);
  stage.scene.updateMatrixWorld();
  stage.renderer.render(stage.scene, stage.camera);
  stage.finish();
  return { ms: performance.now() - t0 };
};
