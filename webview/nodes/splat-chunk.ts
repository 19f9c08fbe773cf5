/**
 * The entry of dist/webview-splats.js: Spark's Gaussian-splat renderer (2.6 MB), loaded only
 * when a scene has a splat node. "three" resolves to the viewer's own (./three-for-chunks.ts).
 */
import { SparkRenderer, SplatMesh } from "@sparkjsdev/spark";

export interface SplatChunk {
  SparkRenderer: typeof SparkRenderer;
  SplatMesh: typeof SplatMesh;
}

(globalThis as unknown as Record<string, SplatChunk>).__sceneRunnerSplats = { SparkRenderer, SplatMesh };
