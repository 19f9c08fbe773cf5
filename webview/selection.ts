/**
 * The node picked in the scene outliner: outlined in the accent colour and, when asked,
 * framed (Stage.frameBox: the camera keeps its direction and moves so the node's bounding
 * sphere fills the view, orbiting around the node from then on).
 */
import { Box3, Box3Helper, Color, type Object3D } from "three";
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
    if (frame && box) this.stage.frameBox(box);
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

  dispose(): void {
    this.outline.removeFromParent();
    this.outline.dispose();
  }
}
