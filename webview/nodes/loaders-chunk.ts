/**
 * The entry of dist/webview-loaders.js: file loaders only some scenes need (FBX, COLLADA, BVH,
 * 16-bit PNG depth images), kept out of the viewer's first paint. "three" resolves to the
 * viewer's own (./three-for-chunks.ts).
 */
import { decode } from "fast-png";
import { BVHLoader } from "three/addons/loaders/BVHLoader.js";
import { ColladaLoader } from "three/addons/loaders/ColladaLoader.js";
import { FBXLoader } from "three/addons/loaders/FBXLoader.js";

export interface LoadersChunk {
  BVHLoader: typeof BVHLoader;
  ColladaLoader: typeof ColladaLoader;
  FBXLoader: typeof FBXLoader;
  decodePng: typeof decode;
}

// The name ./chunks.ts reads (LOADERS_GLOBAL); written out here so this entry imports nothing of the viewer.
(globalThis as unknown as Record<string, LoadersChunk>).__sceneRunnerLoaders = { BVHLoader, ColladaLoader, FBXLoader, decodePng: decode };
