/**
 * Gripper and SkeletalGripper: a parallel-jaw gripper at the node, its wrist at
 * the origin and its fingers pointing along -Z (three's forward), the jaws
 * `pinchWidth` to either side of the axis (vuer's default 0.04). Gripper is
 * solid (stem, palm, two fingers; `skeleton: true` draws the skeletal form),
 * SkeletalGripper is lines. `axes` adds an axes helper, `showOrigin` a green
 * sphere at the origin, `hide` hides it.
 */
import { AxesHelper, BoxGeometry, BufferGeometry, CylinderGeometry, Float32BufferAttribute, Group, LineBasicMaterial, LineSegments, Mesh, MeshBasicMaterial, SphereGeometry } from "three";
import { disposeObject } from "../dispose.js";
import { DEFAULT_COLOR, makeMaterial } from "../materials.js";
import type { Props } from "../props.js";
import type { Content } from "./types.js";

const STEM = 0.06, PALM = 0.012, FINGER = 0.05, THICK = 0.012;

export function gripper(tag: string, p: Props): Content {
  const group = new Group();
  if (p.bool("hide", false)) return { object: group, dispose: () => disposeObject(group) };
  const w = p.num("pinchWidth", 0.04, { min: 0, max: 1 });
  if (tag === "SkeletalGripper" || p.bool("skeleton", false)) {
    const z0 = -STEM, z1 = -STEM - FINGER;
    const pts = [0, 0, 0, 0, 0, z0, -w, 0, z0, w, 0, z0, -w, 0, z0, -w, 0, z1, w, 0, z0, w, 0, z1];
    const g = new BufferGeometry();
    g.setAttribute("position", new Float32BufferAttribute(pts, 3));
    group.add(new LineSegments(g, new LineBasicMaterial({ color: p.color("color") ?? DEFAULT_COLOR })));
  } else {
    const material = makeMaterial(p);
    const stem = new Mesh(new CylinderGeometry(0.012, 0.016, STEM, 16), material);
    stem.rotation.x = Math.PI / 2;
    stem.position.z = -STEM / 2;
    const palm = new Mesh(new BoxGeometry(2 * w + 2 * THICK, 0.03, PALM), material);
    palm.position.z = -STEM - PALM / 2;
    group.add(stem, palm);
    for (const side of [-1, 1]) {
      const finger = new Mesh(new BoxGeometry(THICK, 0.02, FINGER), material);
      finger.position.set(side * (w + THICK / 2), 0, -STEM - PALM - FINGER / 2);
      group.add(finger);
    }
  }
  if (p.bool("axes", false)) group.add(new AxesHelper(0.05));
  if (p.bool("showOrigin", false)) group.add(new Mesh(new SphereGeometry(0.008, 12, 8), new MeshBasicMaterial({ color: 0x00ff00 })));
  return {
    object: group,
    dispose() {
      // The solid parts share one material: dispose it once.
      const mats = new Set<{ dispose(): void }>();
      group.traverse((o) => {
        const m = (o as Mesh).material as { dispose(): void } | undefined;
        if (m) mats.add(m);
        (o as Mesh).geometry?.dispose();
        if (o instanceof AxesHelper) o.dispose();
      });
      mats.forEach((m) => m.dispose());
      group.removeFromParent();
    },
  };
}
