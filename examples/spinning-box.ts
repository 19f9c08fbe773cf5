// A red box spinning above the grid, a sphere orbiting it in a background task,
// and a click on the box that changes its colour. Run it with:
//   npx scene-runner run examples/spinning-box.ts --timeout 5
//   npx scene-runner snapshot examples/spinning-box.ts --out box.png
import { sleep, Box, Sphere, DirectionalLight, AmbientLight, type Session } from "scene-runner";

const COLORS = ["red", "orange", "gold", "limegreen", "deepskyblue", "orchid"];

async function orbit(sess: Session) {
  for (let frame = 0; ; frame++) {
    const t = frame / 60;
    sess.upsert(Sphere({ key: "moon", args: [0.12, 32, 16], position: [1.1 * Math.cos(t), 0.6, 1.1 * Math.sin(t)], color: "#8ab4f8", materialType: "standard" }));
    await sleep(1000 / 60);
  }
}

export async function main(sess: Session) {
  sess.upsert([AmbientLight({ key: "ambient", intensity: 0.4 }), DirectionalLight({ key: "sun", position: [2, 4, 3], intensity: 1.5 })]);
  let color = 0;
  sess.on("CLICK", (event) => {
    if (event.key !== "box") return;
    color = (color + 1) % COLORS.length;
    sess.update({ key: "box", color: COLORS[color] });
    console.log(`clicked: the box is now ${COLORS[color]}`);
  });

  const moon = sess.spawnTask(() => orbit(sess), { name: "orbit" });
  try {
    for (let frame = 0; frame < 60 * 60; frame++) {
      sess.upsert(Box({ key: "box", args: [0.6, 0.6, 0.6], position: [0, 0.6, 0], rotation: [0.4, frame * 0.03, 0], color: COLORS[color], materialType: "standard" }));
      await sleep(1000 / 60);
    }
  } finally {
    moon.cancel();
  }
}
