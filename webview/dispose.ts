/** Frees GPU resources owned by an object tree: geometries, materials and their textures. */
import type { Material, Object3D, Texture } from "three";

export function disposeMaterial(m: Material | Material[] | undefined): void {
  if (!m) return;
  for (const mat of Array.isArray(m) ? m : [m]) {
    for (const v of Object.values(mat as unknown as Record<string, unknown>)) {
      if (v && typeof v === "object" && (v as Texture).isTexture) (v as Texture).dispose();
    }
    mat.dispose();
  }
}

export function disposeObject(root: Object3D | null | undefined): void {
  if (!root) return;
  root.traverse((o) => {
    const any = o as Object3D & { geometry?: { dispose(): void }; material?: Material | Material[]; dispose?: () => void };
    if (o.userData.shared) return;
    any.geometry?.dispose();
    disposeMaterial(any.material);
    // Lights (shadow maps), InstancedMesh (instance buffers), helpers.
    if (typeof any.dispose === "function" && !("geometry" in any)) any.dispose();
  });
  root.removeFromParent();
}
