/**
 * A plain three.js page set up like the viewer's default stage (webview/stage.ts): same
 * renderer options, camera, lights, grid and background, so that the only difference
 * the benchmarks see is how the scene itself is drawn.
 */
import { AmbientLight, Color, DirectionalLight, GridHelper, PerspectiveCamera, Scene, WebGLRenderer } from "three";

export function plainStage(width: number, height: number) {
  const renderer = new WebGLRenderer({ antialias: true, preserveDrawingBuffer: false, powerPreference: "high-performance" });
  renderer.setPixelRatio(1);
  renderer.setSize(width, height, true);
  document.body.style.margin = "0";
  document.body.appendChild(renderer.domElement);
  const scene = new Scene();
  scene.background = new Color(0x1e1e1e);
  const camera = new PerspectiveCamera(50, width / height, 0.01, 2000);
  camera.position.set(3, 2.5, 4);
  camera.lookAt(0, 0, 0);
  const sun = new DirectionalLight(0xffffff, 1.6);
  sun.position.set(5, 10, 7);
  scene.add(new AmbientLight(0xffffff, 0.7), sun, new GridHelper(20, 20, 0x5c5c5c, 0x3e3e3e));
  const gl = renderer.getContext();
  const px = new Uint8Array(4);
  /** Waits for the GPU (software here) to finish what was drawn. */
  const finish = () => gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
  return {
    renderer, scene, camera, finish,
    /** Same loop as the viewer's measureFrames: n frames back to back, ms per frame. */
    measureFrames(n: number): number {
      scene.updateMatrixWorld();
      renderer.render(scene, camera);
      finish();
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        camera.rotateY(0.0001);
        camera.updateMatrixWorld();
        renderer.render(scene, camera);
        finish();
      }
      return (performance.now() - t0) / n;
    },
  };
}
