/**
 * Node factories for vuer's components. Each returns a plain
 * `{ tag, key, ...props }` object, the shape the viewer draws. A node made
 * without a key gets a stable one ("Box-0", "Box-1", ...): the same program
 * makes the same keys on every run.
 */
import type { BinaryArray, CommonProps, SceneNode, Vec3 } from "../protocol/scene.js";

export type NodeProps<Extra = {}> = CommonProps & Extra & { key?: string; [prop: string]: unknown };

const keyCounters = new Map<string, number>();

function nextKey(tag: string): string {
  const n = keyCounters.get(tag) ?? 0;
  keyCounters.set(tag, n + 1);
  return `${tag}-${n}`;
}

/** Makes a node of any tag: components the viewer does not know still travel (and show as placeholders). */
export function node<P extends NodeProps>(tag: string, props: P = {} as P): SceneNode {
  if (props === null || typeof props !== "object") throw new TypeError(`${tag}(props): props must be an object`);
  const { key, ...rest } = props;
  return { tag, key: key ?? nextKey(tag), ...rest } as SceneNode;
}

type Factory<Extra = {}> = (props?: NodeProps<Extra>) => SceneNode;
type ParentFactory<Extra = {}> = (props?: NodeProps<Extra>, ...children: SceneNode[]) => SceneNode;

function leaf<Extra = {}>(tag: string): Factory<Extra> {
  const f = (props?: NodeProps<Extra>) => node(tag, props ?? {});
  Object.defineProperty(f, "name", { value: tag });
  return f;
}

/** Containers accept children either in props.children or as extra arguments. */
function parent<Extra = {}>(tag: string): ParentFactory<Extra> {
  const f = (props?: NodeProps<Extra>, ...children: SceneNode[]) => {
    const p = { ...(props ?? {}) } as NodeProps<Extra>;
    if (children.length) p.children = [...((p.children as SceneNode[] | undefined) ?? []), ...children];
    return node(tag, p);
  };
  Object.defineProperty(f, "name", { value: tag });
  return f;
}

export interface SceneExtra {
  up?: Vec3;
  background?: string;
  grid?: boolean;
  bgChildren?: SceneNode[];
  rawChildren?: SceneNode[];
  htmlChildren?: SceneNode[];
}
export interface PointCloudExtra {
  /** xyz per point (float32), as a typed array. */
  vertices: Float32Array | BinaryArray;
  /** rgb per point, 0-255 (uint8) or 0-1 (float32). */
  colors?: Uint8Array | Float32Array;
  size?: number;
}
export interface TriMeshExtra {
  vertices: Float32Array | BinaryArray;
  faces: Uint32Array | Uint16Array;
  colors?: Uint8Array | Float32Array;
}
export interface LineExtra {
  points: Array<Vec3> | Float32Array;
  lineWidth?: number;
}
export interface TextExtra {
  text: string;
  fontSize?: number;
}
export interface ModelExtra {
  src?: string;
  buff?: Uint8Array;
  text?: string;
}
export interface UrdfExtra extends ModelExtra {
  jointValues?: Record<string, number>;
}
export interface WidgetExtra {
  label?: string;
}
export interface SliderExtra extends WidgetExtra {
  min?: number;
  max?: number;
  step?: number;
  value?: number;
}
export interface InputExtra extends WidgetExtra {
  value?: string;
  placeholder?: string;
}

export const Scene = parent<SceneExtra>("Scene");
export const Group = parent("Group");
export const Movable = parent("Movable");
export const Box = leaf("Box");
export const Sphere = leaf("Sphere");
export const Plane = leaf("Plane");
export const Cylinder = leaf("Cylinder");
export const Cone = leaf("Cone");
export const Capsule = leaf("Capsule");
export const Circle = leaf("Circle");
export const Ring = leaf("Ring");
export const Torus = leaf("Torus");
export const TorusKnot = leaf("TorusKnot");
export const Icosahedron = leaf("Icosahedron");
export const Octahedron = leaf("Octahedron");
export const Tetrahedron = leaf("Tetrahedron");
export const Dodecahedron = leaf("Dodecahedron");
export const Line = leaf<LineExtra>("Line");
export const Arrow = leaf<{ direction?: Vec3; length?: number }>("Arrow");
export const Text = leaf<TextExtra>("Text");
export const PointCloud = leaf<PointCloudExtra>("PointCloud");
export const TriMesh = leaf<TriMeshExtra>("TriMesh");
export const Grid = leaf("Grid");
export const CoordsMarker = leaf("CoordsMarker");
export const AmbientLight = leaf<{ intensity?: number }>("AmbientLight");
export const DirectionalLight = leaf<{ intensity?: number }>("DirectionalLight");
export const PointLight = leaf<{ intensity?: number; distance?: number }>("PointLight");
export const SpotLight = leaf<{ intensity?: number; angle?: number }>("SpotLight");
export const HemisphereLight = leaf<{ intensity?: number; groundColor?: string }>("HemisphereLight");
export const Frustum = leaf<{ fov?: number; aspect?: number; near?: number; far?: number }>("Frustum");
export const Image = leaf<{ src?: string; data?: Uint8Array; width?: number; height?: number }>("Image");
export const ImageBackground = leaf<{ src?: string; data?: Uint8Array }>("ImageBackground");
export const Glb = leaf<ModelExtra>("Glb");
export const Obj = leaf<ModelExtra>("Obj");
export const Ply = leaf<ModelExtra>("Ply");
export const Stl = leaf<ModelExtra>("Stl");
export const Urdf = leaf<UrdfExtra>("Urdf");
export const Button = leaf<WidgetExtra>("Button");
export const Slider = leaf<SliderExtra>("Slider");
export const Input = leaf<InputExtra>("Input");
/**
 * Many copies of one geometry in one draw call (the viewer also instances plain
 * Box/Sphere nodes automatically). Per instance: xyz in `positions`, optional
 * xyzw `quaternions`, xyz `scales`, rgb `colors` (0-255 as Uint8Array or 0-1 as Float32Array).
 */
export const Instances = leaf<{
  geometry?: "Box" | "Sphere" | "Cylinder" | "Cone" | "Capsule" | "Icosahedron" | "Octahedron" | "Tetrahedron" | "Dodecahedron" | "Torus";
  args?: unknown[];
  positions: Float32Array;
  quaternions?: Float32Array;
  /** xyz per instance, or one number per instance for uniform scale. */
  scales?: Float32Array;
  colors?: Uint8Array | Float32Array;
}>("Instances");
