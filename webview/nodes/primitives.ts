/** vuer primitives: `args` are the three.js geometry constructor arguments. */
import {
  BoxGeometry,
  CapsuleGeometry,
  CircleGeometry,
  ConeGeometry,
  CylinderGeometry,
  DodecahedronGeometry,
  IcosahedronGeometry,
  Mesh,
  OctahedronGeometry,
  PlaneGeometry,
  RingGeometry,
  SphereGeometry,
  TetrahedronGeometry,
  TorusGeometry,
  TorusKnotGeometry,
  DoubleSide,
  FrontSide,
  type BufferGeometry,
  type Side,
} from "three";
import { makeMaterial, MATERIAL_PROPS, tagMaterialKind, updateMaterial } from "../materials.js";
import type { Props } from "../props.js";
import { describe } from "../props.js";
import type { Content } from "./types.js";

type ArgKind = "n" | "seg" | "b";
interface GeomSpec {
  kinds: ArgKind[];
  make(a: unknown[]): BufferGeometry;
  /** Flat shapes look wrong from behind: draw both faces. */
  side?: Side;
}

// Argument lists in three.js constructor order; "seg" = segment count (integer, capped).
const SPECS: Record<string, GeomSpec> = {
  Box: { kinds: ["n", "n", "n", "seg", "seg", "seg"], make: (a) => new BoxGeometry(...(a as number[])) },
  Sphere: { kinds: ["n", "seg", "seg", "n", "n", "n", "n"], make: (a) => new SphereGeometry(...(a as number[])) },
  Plane: { kinds: ["n", "n", "seg", "seg"], make: (a) => new PlaneGeometry(...(a as number[])), side: DoubleSide },
  Cylinder: {
    kinds: ["n", "n", "n", "seg", "seg", "b", "n", "n"],
    make: (a) => new CylinderGeometry(...(a as ConstructorParameters<typeof CylinderGeometry>)),
  },
  Cone: { kinds: ["n", "n", "seg", "seg", "b", "n", "n"], make: (a) => new ConeGeometry(...(a as ConstructorParameters<typeof ConeGeometry>)) },
  Capsule: { kinds: ["n", "n", "seg", "seg", "seg"], make: (a) => new CapsuleGeometry(...(a as number[])) },
  Circle: { kinds: ["n", "seg", "n", "n"], make: (a) => new CircleGeometry(...(a as number[])), side: DoubleSide },
  Ring: { kinds: ["n", "n", "seg", "seg", "n", "n"], make: (a) => new RingGeometry(...(a as number[])), side: DoubleSide },
  Torus: { kinds: ["n", "n", "seg", "seg", "n"], make: (a) => new TorusGeometry(...(a as number[])) },
  TorusKnot: { kinds: ["n", "n", "seg", "seg", "n", "n"], make: (a) => new TorusKnotGeometry(...(a as number[])) },
  Icosahedron: { kinds: ["n", "seg"], make: (a) => new IcosahedronGeometry(...(a as number[])) },
  Octahedron: { kinds: ["n", "seg"], make: (a) => new OctahedronGeometry(...(a as number[])) },
  Tetrahedron: { kinds: ["n", "seg"], make: (a) => new TetrahedronGeometry(...(a as number[])) },
  Dodecahedron: { kinds: ["n", "seg"], make: (a) => new DodecahedronGeometry(...(a as number[])) },
};

export const PRIMITIVE_TAGS = new Set(Object.keys(SPECS));
const MAX_SEGMENTS = 512;
const MAX_DETAIL = 6;

/** The checked args (bad entries become undefined = three's default) and a key for sharing. */
export function primitiveArgs(tag: string, p: Props): { args: unknown[]; key: string } {
  const spec = SPECS[tag];
  const raw = p.raw.args;
  const args: unknown[] = [];
  if (raw !== undefined && raw !== null) {
    if (!Array.isArray(raw) && !(ArrayBuffer.isView(raw) && !(raw instanceof DataView))) {
      p.warn("args", `expected an array of ${tag}Geometry arguments, got ${describe(raw)}`);
    } else {
      const list = Array.from(raw as ArrayLike<unknown>);
      if (list.length > spec.kinds.length) p.warn("args", `${tag} takes at most ${spec.kinds.length} args, got ${list.length}`);
      const isPoly = spec.kinds.length === 2;
      list.slice(0, spec.kinds.length).forEach((v, i) => {
        const kind = spec.kinds[i];
        if (kind === "b") {
          if (typeof v === "boolean") args[i] = v;
          else p.warn("args", `args[${i}] should be true/false, got ${describe(v)}`);
          return;
        }
        if (typeof v !== "number" || !Number.isFinite(v)) {
          p.warn("args", `args[${i}] is ${describe(v)}, not a finite number`);
          return;
        }
        if (kind === "seg") {
          const cap = isPoly ? MAX_DETAIL : MAX_SEGMENTS;
          if (v < 0 || v > cap) p.warn("args", `args[${i}] = ${v} is outside 0..${cap}`);
          args[i] = Math.max(0, Math.min(cap, Math.floor(v)));
        } else args[i] = v;
      });
    }
  }
  return { args, key: `${tag}(${args.map((a) => (a === undefined ? "" : String(a))).join(",")})` };
}

export function makeGeometry(tag: string, args: unknown[]): BufferGeometry {
  const spec = SPECS[tag];
  // Trailing undefined entries must be dropped so three's defaults apply.
  const a = [...args];
  while (a.length && a[a.length - 1] === undefined) a.pop();
  return spec.make(a);
}

export function primitiveSide(tag: string): Side {
  return SPECS[tag]?.side ?? FrontSide;
}

/** One primitive as its own mesh (instancing off, or for the comparison benchmark). */
export function primitiveMesh(tag: string, p: Props): Content {
  let { args, key } = primitiveArgs(tag, p);
  const mesh = new Mesh(makeGeometry(tag, args), tagMaterialKind(makeMaterial(p, { side: primitiveSide(tag) }), p));
  return {
    object: mesh,
    update(np, changed) {
      for (const c of changed) {
        if (c === "args") {
          const next = primitiveArgs(tag, np);
          if (next.key !== key) {
            mesh.geometry.dispose();
            mesh.geometry = makeGeometry(tag, next.args);
            ({ args, key } = next);
          }
        } else if (MATERIAL_PROPS.has(c) && mesh.userData.materialOwner === undefined) {
          if (c === "material" || c === "side" || !updateMaterial(mesh.material, np)) {
            mesh.material.dispose();
            mesh.material = tagMaterialKind(makeMaterial(np, { side: primitiveSide(tag) }), np);
          }
        }
      }
      return true;
    },
    dispose() {
      mesh.geometry.dispose();
      mesh.material.dispose();
      mesh.removeFromParent();
    },
  };
}
