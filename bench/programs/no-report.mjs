// runner.overhead's peer: a scene program (bundled by bench/lib/build.mjs) run by plain `node`
// with the runtime but no runner: its main(sess) gets a Session whose messages go nowhere,
// so nothing is framed, piped or delivered. Usage: node no-report.mjs <program.mjs>
import { pathToFileURL } from "node:url";
import { Session } from "../../dist/runtime.js";

const mod = await import(pathToFileURL(process.argv[2]).href);
const sess = new Session({ sink: { send() {} } });
const result = await sess.run(mod.main);
if (result.status !== "done") {
  console.error(`${process.argv[2]}: the session ended ${result.status}: ${result.error?.stack ?? result.error?.message ?? ""}`);
  process.exit(1);
}
