/**
 * render.boxes peer: what a naive viewer does with 50,000 boxes — one three.js Mesh per
 * box (sharing one geometry and one material, which is kinder to it than meshcat's
 * geometry + material per object), so every box is its own draw call.
 */
import { BoxGeometry, Mesh, MeshStandardMaterial } from "three";
import { plainStage } from "./stage.js";

declare global {
  interface Window {
    naiveBoxes(width: number, height: number, positions: number[], size: number): { drawCalls: number };
    measureFrames(n: number): number;
  }
}

window.naiveBoxes = (width, height, positions, size) => {
  const stage = plainStage(width, height);
  const geometry = new BoxGeometry(size, size, size);
  const material = new MeshStandardMaterial({ color: 0x44aa99, roughness: 0.6, metalness: 0.05 });
  for (let i = 0; i < positions.length; i += 3) {
    const m = new Mesh(geometry, material);
    m.position.set(positions[i], positions[i + 1], positions[i + 2]);
    stage.scene.add(m);
  }
  window.measureFrames = (n) => stage.measureFrames(n);
  stage.measureFrames(1);
  return { drawCalls: stage.renderer.info.render.calls };
};
