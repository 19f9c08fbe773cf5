/**
 * The explicit instanced component: one node, many copies of one primitive.
 *   { tag: "Instances", geometry: "Box", args, positions: Float32Array(3n),
 *     quaternions?: (4n), scales?: (3n or n), colors?: Uint8Array|Float32Array (3n), color, materialType }
 */
import { Color, InstancedBufferAttribute, InstancedMesh, Matrix4, Quaternion, Vector3 } from "three";
import { makeMaterial } from "../materials.js";
import type { Props } from "../props.js";
import { makeGeometry, primitiveArgs, primitiveSide, PRIMITIVE_TAGS } from "./primitives.js";
import { numberArray } from "./arrays.js";
import type { Content } from "./types.js";

export function instances(p: Props): Content {
  let shape = p.str("geometry", "Box")!;
  if (!PRIMITIVE_TAGS.has(shape)) {
    p.warn("geometry", `unknown primitive ${JSON.stringify(shape)}; using Box`);
    shape = "Box";
  }
  const positions = numberArray(p, "positions", 3);
  const n = positions ? positions.length / 3 : 0;
  const quats = numberArray(p, "quaternions", 4, n);
  const scalesRaw = p.raw.scales;
  const scales = scalesRaw === undefined ? undefined : (numberArray(p, "scales", 1, undefined) ?? undefined);
  const colors = numberArray(p, "colors", 3, n);
  const mesh = new InstancedMesh(makeGeometry(shape, primitiveArgs(shape, p).args), makeMaterial(p, { white: colors !== undefined, side: primitiveSide(shape) }), Math.max(n, 1));
  mesh.count = n;
  const m = new Matrix4();
  const pos = new Vector3();
  const q = new Quaternion();
  const s = new Vector3(1, 1, 1);
  const perInstanceScale = scales && scales.length === n * 3 ? 3 : scales && scales.length === n ? 1 : 0;
  if (scales && !perInstanceScale) p.warn("scales", `expected ${n} or ${3 * n} numbers, got ${scales.length}`);
  for (let i = 0; i < n; i++) {
    pos.set(positions![i * 3], positions![i * 3 + 1], positions![i * 3 + 2]);
    if (quats) q.set(quats[i * 4], quats[i * 4 + 1], quats[i * 4 + 2], quats[i * 4 + 3]).normalize();
    if (perInstanceScale === 3) s.set(scales![i * 3], scales![i * 3 + 1], scales![i * 3 + 2]);
    else if (perInstanceScale === 1) s.setScalar(scales![i]);
    mesh.setMatrixAt(i, m.compose(pos, q, s));
  }
  if (colors) {
    const scale = colors instanceof Uint8Array ? 1 / 255 : 1;
    const arr = new Float32Array(n * 3);
    const c = new Color();
    for (let i = 0; i < n; i++) {
      c.setRGB(colors[i * 3] * scale, colors[i * 3 + 1] * scale, colors[i * 3 + 2] * scale, "srgb");
      c.toArray(arr, i * 3);
    }
    mesh.instanceColor = new InstancedBufferAttribute(arr, 3);
  }
  mesh.computeBoundingSphere();
  return {
    object: mesh,
    dispose() {
      mesh.removeFromParent();
      mesh.dispose();
      mesh.geometry.dispose();
      (mesh.material as { dispose(): void }).dispose();
    },
  };
}
