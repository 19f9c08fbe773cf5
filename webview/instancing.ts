/**
 * Automatic instancing: every primitive node (Box, Sphere, ...) is a member of
 * a pool keyed by its geometry args and material settings (all but color); a
 * pool draws all its members with one InstancedMesh, color per instance. The
 * node keeps its own transform holder in the scene graph (so parents, gizmos
 * and picking behave as usual); the pool copies world matrices into the
 * instance buffer only when something in it changed.
 */
import { Color, InstancedBufferAttribute, InstancedMesh, type BufferGeometry, type Material, type Object3D } from "three";

type Make = () => { geometry: BufferGeometry; material: Material };

export class Member {
  pool: Pool | null = null;
  index = -1;
  color = new Color();
  /** The pool this member asked for last (kept while it is held out of pools). */
  wanted: { id: string; make: Make } | null = null;
  /** Held out of every pool (a material child draws it as its own mesh). */
  held = false;
  /** Told when a held member's pool id changed (its geometry args did). */
  onHeldChange: (() => void) | null = null;
  constructor(
    readonly key: string,
    readonly holder: Object3D,
  ) {}
}

class Pool {
  members: Member[] = [];
  /** Instance id -> member, as drawn by the last sync (hidden members are skipped). */
  drawn: Member[] = [];
  mesh: InstancedMesh;
  dirty = true;
  constructor(
    readonly id: string,
    readonly geometry: BufferGeometry,
    readonly material: Material,
    private readonly root: Object3D,
  ) {
    this.mesh = this.makeMesh(16);
  }

  private makeMesh(capacity: number): InstancedMesh {
    const mesh = new InstancedMesh(this.geometry, this.material, capacity);
    mesh.instanceColor = new InstancedBufferAttribute(new Float32Array(capacity * 3), 3);
    mesh.frustumCulled = false; // matrices are world-space and change often; bounds come from the instances
    mesh.matrixAutoUpdate = false;
    mesh.userData.pool = this;
    mesh.userData.shared = true;
    mesh.count = 0;
    this.root.add(mesh);
    return mesh;
  }

  sync(): void {
    const need = this.members.length;
    if (need > this.mesh.instanceMatrix.count) {
      let cap = this.mesh.instanceMatrix.count;
      while (cap < need) cap *= 2;
      this.mesh.removeFromParent();
      this.mesh.dispose();
      this.mesh = this.makeMesh(cap);
    }
    const mats = this.mesh.instanceMatrix.array as Float32Array;
    const cols = this.mesh.instanceColor!.array as Float32Array;
    this.drawn.length = 0;
    let n = 0;
    for (const m of this.members) {
      if (!worldVisible(m.holder)) continue;
      m.holder.matrixWorld.toArray(mats, n * 16);
      cols[n * 3] = m.color.r;
      cols[n * 3 + 1] = m.color.g;
      cols[n * 3 + 2] = m.color.b;
      this.drawn.push(m);
      n++;
    }
    this.mesh.count = n;
    this.mesh.instanceMatrix.clearUpdateRanges();
    this.mesh.instanceMatrix.addUpdateRange(0, n * 16);
    this.mesh.instanceMatrix.needsUpdate = true;
    this.mesh.instanceColor!.clearUpdateRanges();
    this.mesh.instanceColor!.addUpdateRange(0, n * 3);
    this.mesh.instanceColor!.needsUpdate = true;
    this.mesh.boundingSphere = null; // recomputed lazily by raycasting
    this.mesh.boundingBox = null;
    this.dirty = false;
  }

  dispose(): void {
    this.mesh.removeFromParent();
    this.mesh.dispose();
    this.geometry.dispose();
    this.material.dispose();
  }
}

function worldVisible(o: Object3D): boolean {
  for (let x: Object3D | null = o; x; x = x.parent) if (!x.visible) return false;
  return true;
}

export class InstancePools {
  private pools = new Map<string, Pool>();
  private anyDirty = false;

  constructor(private readonly root: Object3D) {}

  join(m: Member, id: string, make: Make): void {
    const was = m.wanted?.id;
    m.wanted = { id, make };
    if (m.held) {
      if (was !== id) m.onHeldChange?.();
      return;
    }
    if (m.pool?.id === id) return this.dirty(m);
    if (m.pool) this.leave(m);
    let pool = this.pools.get(id);
    if (!pool) {
      const { geometry, material } = make();
      pool = new Pool(id, geometry, material, this.root);
      this.pools.set(id, pool);
    }
    m.pool = pool;
    m.index = pool.members.length;
    pool.members.push(m);
    pool.dirty = this.anyDirty = true;
  }

  leave(m: Member): void {
    const pool = m.pool;
    if (!pool) return;
    const last = pool.members.pop()!;
    if (last !== m) {
      pool.members[m.index] = last;
      last.index = m.index;
    }
    m.pool = null;
    m.index = -1;
    if (pool.members.length === 0) {
      pool.dispose();
      this.pools.delete(pool.id);
    } else pool.dirty = this.anyDirty = true;
  }

  /** Takes a member out of the pools; returns a geometry of its own for it (the caller owns it). */
  hold(m: Member): BufferGeometry | null {
    if (!m.wanted) return null;
    let geometry: BufferGeometry;
    if (m.pool) geometry = m.pool.geometry.clone();
    else {
      const made = m.wanted.make();
      made.material.dispose();
      geometry = made.geometry;
    }
    this.leave(m);
    m.held = true;
    return geometry;
  }

  /** A fresh geometry for a held member (after its args changed). */
  heldGeometry(m: Member): BufferGeometry | null {
    if (!m.wanted) return null;
    const made = m.wanted.make();
    made.material.dispose();
    return made.geometry;
  }

  release(m: Member): void {
    if (!m.held) return;
    m.held = false;
    m.onHeldChange = null;
    if (m.wanted) this.join(m, m.wanted.id, m.wanted.make);
  }

  dirty(m: Member): void {
    if (m.pool) m.pool.dirty = this.anyDirty = true;
  }

  /** A transform or visibility above some members changed: recopy everything. */
  allDirty(): void {
    for (const p of this.pools.values()) p.dirty = true;
    this.anyDirty = this.pools.size > 0;
  }

  /** Call after the scene's world matrices are up to date, before rendering. */
  sync(): boolean {
    // Per-frame hooks (billboards, centring) move holders: they run before matrices are copied.
    const stage = this.root.parent?.userData.services as { beforeFrame?: () => boolean } | undefined;
    if (stage?.beforeFrame?.()) {
      this.root.updateMatrixWorld();
      this.allDirty();
    }
    if (!this.anyDirty) return false;
    for (const p of this.pools.values()) if (p.dirty) p.sync();
    this.anyDirty = false;
    return true;
  }

  /** The member drawn as instance `id` of `mesh`, for picking. */
  static memberAt(mesh: Object3D, id: number | undefined): Member | undefined {
    const pool = mesh.userData.pool as Pool | undefined;
    return pool && id !== undefined ? pool.drawn[id] : undefined;
  }

  stats(): { pools: number; instances: number } {
    let instances = 0;
    for (const p of this.pools.values()) instances += p.mesh.count;
    return { pools: this.pools.size, instances };
  }
}
