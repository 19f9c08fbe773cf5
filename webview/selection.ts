/**
 * The node picked in the scene outliner: outlined in the accent colour and, when asked,
 * framed — the camera keeps its direction and moves so the node's bounding sphere fills the
 * view, orbiting around the node from then on.
 */
import { Box3, Box3Helper, Color, Sphere, Vector3, type Object3D } from "three";
import type { Member } from "./instancing.js";
import type { Stage } from "./stage.js";

export class Selection {
  private readonly outline = new Box3Helper(new Box3(), new Color(0x3794ff));
  key: string | null = null;
  private readonly scratch = new Box3();

  constructor(private readonly stage: Stage) {
    this.outline.visible = false;
    this.outline.name = "selection-outline";
    stage.scene.add(this.outline);
  }

  /** Selects the node drawn by `holder` (or nothing); frames it when `frame` is set. False if it has nothing to outline. */
  select(key: string | null, holder: Object3D | undefined, frame: boolean): boolean {
    this.key = key;
    const box = this.refresh(key === null ? undefined : holder);
    if (frame && box) this.frame(box);
    return box !== undefined;
  }

  /**
   * Follows the node as it moves (called before each draw with the node's current holder:
   * the mirror may replace it, or the node may be gone).
   */
  refresh(holder: Object3D | undefined): Box3 | undefined {
    const box = this.outline.box;
    if (holder) {
      holder.updateWorldMatrix(true, true);
      box.setFromObject(holder, true);
      // A primitive drawn as an instance has no geometry of its own: use its pool's.
      const geometry = (holder.userData.member as Member | undefined)?.pool?.geometry;
      if (geometry) {
        if (!geometry.boundingBox) geometry.computeBoundingBox();
        box.union(this.scratch.copy(geometry.boundingBox!).applyMatrix4(holder.matrixWorld));
      }
    } else box.makeEmpty();
    this.outline.visible = !box.isEmpty();
    return box.isEmpty() ? undefined : box;
  }

  private frame(box: Box3): void {
    const sphere = box.getBoundingSphere(new Sphere());
    const camera = this.stage.camera;
    const fov = (camera.fov * Math.PI) / 180;
    const distance = Math.max(sphere.radius, 1e-3) / Math.sin(Math.min(fov, camera.aspect * fov) / 2);
    const direction = camera.position.clone().sub(this.stage.controls.target);
    if (direction.lengthSq() < 1e-12) direction.set(1, 1, 1);
    direction.normalize();
    this.stage.controls.target.copy(sphere.center);
    camera.position.copy(new Vector3().copy(sphere.center).addScaledVector(direction, distance * 1.1));
    camera.near = Math.min(camera.near, distance / 100);
    camera.updateProjectionMatrix();
    this.stage.controls.update();
  }

  dispose(): void {
    this.outline.removeFromParent();
    this.outline.dispose();
  }
}
