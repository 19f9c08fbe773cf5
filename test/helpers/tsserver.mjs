// A real TypeScript server (lib/tsserver.js of a given typescript folder), started the way VS Code
// starts it: global plugins named with --globalPlugins and found from --pluginProbeLocations
// (for VS Code, each contributing extension's folder), inferred projects configured with the
// compiler options VS Code sends. Requests are JSON lines; responses come Content-Length framed.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { harnessPaths } from "../harness/prepare.mjs";

/** The typescript package VS Code (the harness's code-server) bundles, or undefined when not prepared. */
export function bundledTypeScript() {
  const dir = join(harnessPaths().codeServer, "lib", "vscode", "extensions", "node_modules", "typescript");
  if (!existsSync(join(dir, "lib", "tsserver.js"))) return undefined;
  return { dir, version: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version };
}

// What VS Code's TypeScript extension sends for files outside any tsconfig (TS 5.4 and newer).
export const VSCODE_INFERRED_OPTIONS = {
  module: "Preserve", moduleResolution: "Bundler", target: "ES2022", jsx: "react-jsx", allowImportingTsExtensions: true,
  strictNullChecks: true, strictFunctionTypes: true, allowJs: true, allowSyntheticDefaultImports: true, allowNonTsExtensions: true, resolveJsonModule: true,
};

export class TsServer {
  /** tsDir: a typescript package folder; plugins: [{ name, probe }] loaded as global plugins. */
  constructor(tsDir, { plugins = [] } = {}) {
    const args = [join(tsDir, "lib", "tsserver.js"), "--disableAutomaticTypingAcquisition", "--useInferredProjectPerProjectRoot", "--suppressDiagnosticEvents"];
    if (plugins.length) args.push("--globalPlugins", plugins.map((p) => p.name).join(","), "--pluginProbeLocations", plugins.map((p) => p.probe).join(","));
    this.proc = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "pipe"] });
    this.seq = 0;
    this.pending = new Map();
    this.stderr = "";
    let buf = Buffer.alloc(0);
    this.proc.stderr.on("data", (c) => (this.stderr += c));
    this.proc.stdout.on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const head = buf.indexOf("\r\n\r\n");
        if (head < 0) return;
        const length = Number(/Content-Length: (\d+)/.exec(buf.subarray(0, head).toString())?.[1]);
        if (buf.length < head + 4 + length) return;
        const msg = JSON.parse(buf.subarray(head + 4, head + 4 + length).toString());
        buf = buf.subarray(head + 4 + length);
        if (msg.type === "response") this.pending.get(msg.request_seq)?.(msg);
      }
    });
    this.exited = new Promise((res) => this.proc.once("exit", res));
    this.exited.then(() => {
      for (const settle of this.pending.values()) settle({ success: false, message: `tsserver exited: ${this.stderr.slice(-500)}` });
    });
  }

  request(command, args) {
    const seq = ++this.seq;
    return new Promise((res, rej) => {
      this.pending.set(seq, (msg) => {
        this.pending.delete(seq);
        if (msg.success) res(msg.body);
        else rej(new Error(`tsserver ${command}: ${msg.message}`));
      });
      this.proc.stdin.write(`${JSON.stringify({ seq, type: "request", command, arguments: args })}\n`);
    });
  }

  /** Opens file (read from disk) in a project rooted at root and returns its syntactic + semantic diagnostics. */
  async diagnostics(file, root) {
    await this.request("open", { file, projectRootPath: root, scriptKindName: "TS" });
    const syntax = await this.request("syntacticDiagnosticsSync", { file, includeLinePosition: true });
    const semantic = await this.request("semanticDiagnosticsSync", { file, includeLinePosition: true });
    return [...syntax, ...semantic].map((d) => ({ code: d.code, line: d.startLocation.line, col: d.startLocation.offset, text: d.message }));
  }

  async close() {
    this.proc.stdin.end();
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

export const show = (ds) => ds.map((d) => `${d.line}:${d.col} TS${d.code} ${d.text}`).join("\n");
