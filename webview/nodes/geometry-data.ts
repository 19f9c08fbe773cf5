/** PointCloud and TriMesh: bulk arrays straight into BufferGeometry. */
import { BufferGeometry, DoubleSide, Mesh, Points, PointsMaterial } from "three";
import { DEFAULT_COLOR, makeMaterial } from "../materials.js";
import type { Props } from "../props.js";
import { colorAttribute, indexAttribute, vertexAttribute } from "./arrays.js";
import type { Content } from "./types.js";
import { disposeObject } from "../dispose.js";

export function pointCloud(p: Props): Content {
  const geometry = new BufferGeometry();
  const v = vertexAttribute(p, "vertices");
  const count = v ? v.attr.count : 0;
  if (v) geometry.setAttribute("position", v.attr);
  const colors = colorAttribute(p, "colors", count);
  if (colors) geometry.setAttribute("color", colors);
  const material = new PointsMaterial({
    size: p.num("size", 0.02, { min: 0 }),
    sizeAttenuation: p.bool("sizeAttenuation", true),
    vertexColors: colors !== undefined,
    color: colors ? 0xffffff : (p.color("color") ?? DEFAULT_COLOR),
    transparent: colors?.itemSize === 4 || p.num("opacity", 1) < 1,
    opacity: p.num("opacity", 1, { min: 0, max: 1 }),
  });
  const points = new Points(geometry, material);
  if (!v?.finite) points.frustumCulled = false;
  return content(points, (np, changed) => {
    if (changed.every((c) => c === "size" || c === "color" || c === "opacity")) {
      material.size = np.num("size", 0.02, { min: 0 });
      if (!colors) material.color.copy(np.color("color") ?? DEFAULT_COLOR);
      material.opacity = np.num("opacity", 1, { min: 0, max: 1 });
      return true;
    }
    return false;
  });
}

export function triMesh(p: Props): Content {
  const geometry = new BufferGeometry();
  const v = vertexAttribute(p, "vertices");
  const count = v ? v.attr.count : 0;
  if (v) geometry.setAttribute("position", v.attr);
  const index = indexAttribute(p, "faces", count);
  if (index) geometry.setIndex(index);
  const colors = colorAttribute(p, "colors", count);
  if (colors) geometry.setAttribute("color", colors);
  if (v) geometry.computeVertexNormals();
  const material = makeMaterial(p, { side: DoubleSide, vertexColors: colors !== undefined, white: colors !== undefined });
  const mesh = new Mesh(geometry, material);
  if (!v?.finite) mesh.frustumCulled = false;
  return content(mesh);
}

function content(obj: Points | Mesh, update?: (p: Props, changed: string[]) => boolean): Content {
  return { object: obj, update, dispose: () => disposeObject(obj) };
}
