// Where vuer's REAL server (vuer-ai/vuer, not our bundled package) can run in these tests, or why
// not: VUER_SRC=<a checkout of vuer-ai/vuer>/src with Debian's python3-aiohttp, -aiohttp-cors,
// -msgpack, -numpy, -websockets, -pil and the shim/ stand-ins for params-proto and dotvar; or an
// installed vuer (pip install vuer) as it is, when VUER_SRC is unset. The same rule as
// real-vuer.test.mjs, for the tests that run a program on the real vuer (test/installed-vuer/).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const ours = join(here, "..", "..", "..", "python"); // our bundled vuer must not stand in for the real one

/** { python, pythonPath } under which `vuer.server.Vuer` is vuer's real server, or { why }. */
export function findRealVuer() {
  const src = process.env.VUER_SRC;
  const pythonPath = src ? [join(here, "shim"), src].join(":") : "";
  if (src && !existsSync(join(src, "vuer", "server.py"))) return { why: `VUER_SRC=${src} has no vuer/server.py` };
  const probe = `import vuer.server, os, sys; f = os.path.realpath(vuer.server.__file__); sys.exit(3 if f.startswith(os.path.realpath(sys.argv[1])) else 0)`;
  const tried = [];
  for (const python of ["python3", "/usr/bin/python3"]) {
    const r = spawnSync(python, ["-c", probe, ours], { env: { ...process.env, PYTHONPATH: pythonPath }, encoding: "utf8" });
    if (r.status === 0) return { python, pythonPath };
    tried.push(`${python}: ${r.status === 3 ? "finds our bundled vuer" : (r.stderr || r.error?.message || "").trim().split("\n").pop()}`);
  }
  return { why: `no real vuer server importable (${tried.join("; ")}); set VUER_SRC to vuer-ai/vuer's src/ and install python3-aiohttp python3-aiohttp-cors python3-msgpack python3-numpy python3-websockets python3-pil` };
}
