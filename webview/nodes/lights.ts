/** Lights. Each sits at its node's position; directional and spot lights aim at the world origin. */
import { AmbientLight, Color, DirectionalLight, HemisphereLight, PointLight, SpotLight, type Light } from "three";
import type { Props } from "../props.js";
import type { Content } from "./types.js";

export const LIGHT_TAGS = new Set(["AmbientLight", "DirectionalLight", "PointLight", "SpotLight", "HemisphereLight"]);

export function light(tag: string, p: Props): Content {
  const color = p.color("color") ?? new Color(0xffffff);
  const intensity = p.num("intensity", tag === "AmbientLight" || tag === "HemisphereLight" ? 0.6 : 1, { min: 0 });
  let obj: Light;
  switch (tag) {
    case "AmbientLight": obj = new AmbientLight(color, intensity); break;
    case "DirectionalLight": obj = new DirectionalLight(color, intensity); break;
    case "PointLight": obj = new PointLight(color, intensity, p.num("distance", 0, { min: 0 }), p.num("decay", 2, { min: 0 })); break;
    case "SpotLight":
      obj = new SpotLight(color, intensity, p.num("distance", 0, { min: 0 }), p.num("angle", Math.PI / 3, { min: 0, max: Math.PI / 2 }), p.num("penumbra", 0, { min: 0, max: 1 }), p.num("decay", 2, { min: 0 }));
      break;
    default:
      obj = new HemisphereLight(p.color("skyColor") ?? color, p.color("groundColor") ?? new Color(0x444444), intensity);
  }
  return {
    object: obj,
    update(np, changed) {
      if (!changed.every((c) => c === "color" || c === "intensity")) return false;
      obj.color.copy(np.color("color") ?? new Color(0xffffff));
      obj.intensity = np.num("intensity", obj.intensity, { min: 0 });
      return true;
    },
    dispose() {
      obj.dispose();
      obj.removeFromParent();
    },
  };
}
