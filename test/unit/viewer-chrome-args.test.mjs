// Chromium's launch arguments (src/viewer/headless.ts chromeArgs): SwiftShader unless
// SCENE_RUNNER_CHROME_GL names another GL mode (bench/gpu.sh uses that on a GPU machine),
// extra arguments from SCENE_RUNNER_CHROME_ARGS, and a one-line error for a mode we lack.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { chromeArgs, CHROME_GL_MODES } = await loadTs("src/viewer/headless.ts");

const angle = (args) => args.filter((a) => a.startsWith("--use-angle=") || a.startsWith("--use-gl="));

test("no variable (or an empty one) is SwiftShader, as the viewer tests need", () => {
  for (const env of [{}, { SCENE_RUNNER_CHROME_GL: "" }, { SCENE_RUNNER_CHROME_GL: "  " }]) {
    const args = chromeArgs(env);
    assert.deepEqual(angle(args), ["--use-angle=swiftshader"]);
    assert.ok(args.includes("--enable-unsafe-swiftshader"));
    assert.ok(args.includes("--no-sandbox"));
    assert.ok(!args.includes("--ignore-gpu-blocklist"), "the GPU blocklist is only ignored when a GPU mode is asked for");
  }
});

test("each GPU mode replaces SwiftShader's flags and keeps the common ones", () => {
  const common = chromeArgs({}).filter((a) => !CHROME_GL_MODES.swiftshader.includes(a));
  const expected = { vulkan: ["--use-angle=vulkan"], "angle-egl": ["--use-gl=angle", "--use-angle=gl-egl"], "angle-gl": ["--use-gl=angle", "--use-angle=gl"], egl: ["--use-gl=egl"] };
  for (const [mode, gl] of Object.entries(expected)) {
    const args = chromeArgs({ SCENE_RUNNER_CHROME_GL: mode });
    assert.deepEqual(angle(args), gl, mode);
    assert.ok(!args.some((a) => a.includes("swiftshader")), `${mode} has no SwiftShader flag`);
    assert.ok(args.includes("--ignore-gpu-blocklist"), mode);
    for (const a of common) assert.ok(args.includes(a), `${mode} keeps ${a}`);
  }
  assert.ok(chromeArgs({ SCENE_RUNNER_CHROME_GL: "vulkan" }).includes("--enable-features=Vulkan"));
});

test("SCENE_RUNNER_CHROME_ARGS adds its words at the end, after the mode's", () => {
  const args = chromeArgs({ SCENE_RUNNER_CHROME_GL: "egl", SCENE_RUNNER_CHROME_ARGS: " --enable-logging=stderr   --v=1 " });
  assert.deepEqual(args.slice(-2), ["--enable-logging=stderr", "--v=1"]);
  assert.equal(chromeArgs({ SCENE_RUNNER_CHROME_ARGS: "" }).length, chromeArgs({}).length);
});

test("an unknown mode is one line that names the valid ones; a prototype key is no mode", () => {
  for (const mode of ["opengl", "toString", "__proto__"]) {
    assert.throws(() => chromeArgs({ SCENE_RUNNER_CHROME_GL: mode }), (e) => {
      assert.match(e.message, new RegExp(`SCENE_RUNNER_CHROME_GL=${mode} is not a GL mode: use one of swiftshader, vulkan, angle-egl, angle-gl, egl`));
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  }
});
