/** A primitive drawn through an instance pool (the default for Box, Sphere, ...). */
import { DEFAULT_COLOR, makeMaterial, materialKey, MATERIAL_PROPS } from "../materials.js";
import { InstancePools, Member } from "../instancing.js";
import type { Props } from "../props.js";
import { makeGeometry, primitiveArgs, primitiveSide } from "./primitives.js";
import type { Content, NodeContext } from "./types.js";

export function instancedPrimitive(tag: string, p: Props, ctx: NodeContext, pools: InstancePools): Content {
  const member = new Member(ctx.key, ctx.holder);
  const side = primitiveSide(tag);
  const assign = (np: Props) => {
    const { args, key } = primitiveArgs(tag, np);
    member.color.copy(np.color("color") ?? DEFAULT_COLOR);
    pools.join(member, `${key}#${materialKey(np, side)}`, () => ({
      geometry: makeGeometry(tag, args),
      material: makeMaterial(np, { white: true, side }),
    }));
  };
  assign(p);
  ctx.holder.userData.member = member;
  return {
    object: null,
    update(np, changed) {
      if (changed.some((c) => c === "args" || MATERIAL_PROPS.has(c))) assign(np);
      return true;
    },
    dispose() {
      // Gone for good: a material child releasing it afterwards must not put it back in a pool.
      member.wanted = null;
      member.held = false;
      pools.leave(member);
      delete ctx.holder.userData.member;
    },
  };
}
