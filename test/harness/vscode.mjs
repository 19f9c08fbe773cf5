// Drives a real VS Code (code-server 4.139.1 = VS Code 1.139.1, with the real Node extension host)
// in Debian's Chromium through playwright-core. See docs/harness.md for the how and why.
//
//   const vs = await launchVSCode({ workspace, extensionPath });
//   await vs.runCommand("Scene Runner: Run Scene");
//   await vs.treeItem(/cube/).click();
//   await vs.close();
//
// Or, in a node:test test, `await withVSCode(opts, async (vs) => { ... })`, which takes a
// screenshot and saves the logs when the body throws or runs out of time, and always closes.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromiumPath, node24Env, prepare, REPO } from "./prepare.mjs";

export const TEST_RESULTS = resolve(process.env.SCENE_RUNNER_TEST_RESULTS || join(REPO, "test-results"));
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"];
export const DEFAULT_SETTINGS = {
  "workbench.startupEditor": "none",
  "chat.disableAIFeatures": true,
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "git.enabled": false,
  "window.restoreWindows": "none",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const safeName = (s) => String(s).replace(/[^\w.-]+/g, "_").slice(0, 120);

// ---- processes ----------------------------------------------------------------------------
/** pid -> ppid for every process visible in /proc. */
function processTable() {
  const table = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      table.set(Number(entry), Number(fields[1]));
    } catch {}
  }
  return table;
}

/** The pid and all its descendants (children that moved to their own process group included). */
export function processTree(rootPid) {
  const table = processTable();
  const out = [rootPid];
  for (let i = 0; i < out.length; i++) for (const [pid, ppid] of table) if (ppid === out[i]) out.push(pid);
  return out.filter((pid) => table.has(pid));
}

function signalTree(pids, signal) {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {}
  }
}

/** Ends a process, its process group and every descendant; resolves when they are gone. */
export async function killTree(pid, graceMs = 3000) {
  let pids = processTree(pid);
  try {
    process.kill(-pid, "SIGTERM");
  } catch {}
  signalTree(pids, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    pids = pids.filter((p) => existsSync(`/proc/${p}`) && !isZombie(p));
    if (!pids.length) return;
    await sleep(100);
  }
  try {
    process.kill(-pid, "SIGKILL");
  } catch {}
  signalTree(pids, "SIGKILL");
}

function isZombie(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

// Sessions still open: on exit (normal, signal or uncaught error) their process trees are killed.
const live = new Set();
let hooksInstalled = false;
function installExitHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", () => {
    for (const s of live) {
      const pids = processTree(s.serverPid);
      try {
        process.kill(-s.serverPid, "SIGKILL");
      } catch {}
      signalTree(pids, "SIGKILL");
      if (s.browserPid) signalTree(processTree(s.browserPid), "SIGKILL");
    }
  });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.once(sig, async () => {
      await Promise.allSettled([...live].map((s) => s.close()));
      process.exit(sig === "SIGINT" ? 130 : 143);
    });
  }
}

// ---- extension staging --------------------------------------------------------------------
function readManifest(dir) {
  const file = join(dir, "package.json");
  if (!existsSync(file)) throw new Error(`harness: no package.json in extension folder ${dir}`);
  return JSON.parse(readFileSync(file, "utf8"));
}

/** `<publisher>.<name>-<version>`, the folder name VS Code gives an installed extension. */
export function extensionFolderName(manifest) {
  return `${manifest.publisher}.${manifest.name}-${manifest.version}`.toLowerCase();
}

/** `<publisher>.<name>`, the id VS Code knows an extension by. */
export function extensionId(dirOrManifest) {
  const m = typeof dirOrManifest === "string" ? readManifest(dirOrManifest) : dirOrManifest;
  return `${m.publisher}.${m.name}`;
}

/**
 * Makes a deliberately broken copy of an extension folder in `outDir` (every entry a symlink to
 * the original but package.json and, for "activate-throws", the main file):
 *  - "unregistered-command": the first contributed command is declared under an id activate() never
 *    registers (same title), so running it from the palette fails with "command ... not found";
 *  - "activate-throws": the main module throws on activate().
 * Returns outDir.
 */
export function makeBrokenExtension(srcDir, outDir, kind = "unregistered-command") {
  const manifest = readManifest(srcDir);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const entry of readdirSync(srcDir)) {
    if (entry === "package.json" || entry === ".git") continue;
    symlinkSync(join(resolve(srcDir), entry), join(outDir, entry));
  }
  if (kind === "unregistered-command") {
    const cmd = manifest.contributes?.commands?.[0];
    if (!cmd) throw new Error(`harness: ${srcDir} contributes no command to break`);
    const oldId = cmd.command;
    const newId = `${oldId}.neverRegistered`;
    cmd.command = newId;
    // Keep menus and keybindings pointing at the renamed command.
    const json = JSON.stringify(manifest, null, 2).split(JSON.stringify(oldId)).join(JSON.stringify(newId));
    writeFileSync(join(outDir, "package.json"), json);
  } else if (kind === "activate-throws") {
    manifest.main = "./broken-main.js";
    writeFileSync(join(outDir, "broken-main.js"), 'exports.activate = () => { throw new Error("deliberately broken extension: activate() throws"); };\n');
    writeFileSync(join(outDir, "package.json"), JSON.stringify(manifest, null, 2));
  } else {
    throw new Error(`harness: unknown broken kind ${kind}`);
  }
  return outDir;
}

// ---- code-server --------------------------------------------------------------------------
function startServer({ paths, env, args, log }) {
  const child = spawn(paths.node, [paths.entry, ...args], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const listeners = new Set();
  const onData = (chunk) => {
    const text = chunk.toString();
    output += text;
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
    if (process.env.SCENE_RUNNER_HARNESS_DEBUG) process.stderr.write(`[code-server] ${text}`);
    for (const l of listeners) l(output);
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  return {
    child,
    output: () => output,
    waitFor(re, timeoutMs) {
      return new Promise((res, rej) => {
        const check = (out) => {
          const m = out.match(re);
          if (m) {
            cleanup();
            res(m);
          }
        };
        const onExit = (code, signal) => {
          cleanup();
          rej(new Error(`harness: code-server exited (${signal || code}) before it was ready:\n${output.slice(-4000)}`));
        };
        const timer = setTimeout(() => {
          cleanup();
          rej(new Error(`harness: code-server not ready after ${timeoutMs} ms:\n${output.slice(-4000)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off("exit", onExit);
        };
        listeners.add(check);
        child.on("exit", onExit);
        check(output);
      });
    },
  };
}

async function waitHealthy(base, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(200);
  }
  throw new Error(`harness: ${base}/healthz did not answer OK within ${timeoutMs} ms (${last})`);
}

function runToEnd(cmd, args, env, timeoutMs) {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => {
      killTree(child.pid);
      rej(new Error(`harness: ${args.join(" ")} timed out:\n${out}`));
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      code === 0 ? res(out) : rej(new Error(`harness: \`${args.join(" ")}\` failed (exit ${code}):\n${out}`));
    });
  });
}

function collectFiles(dir, test, out = []) {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) collectFiles(p, test, out);
    else if (test(p)) out.push(p);
  }
  return out;
}

/**
 * Starts code-server alone (no browser): fresh user-data and extensions dirs (or the given ones),
 * the extension installed, `workspace` as the folder. Resolves when GET /healthz answers, to
 * { url, port, base, server, serverPid, userDataDir, extensionsDir, workspace, extensionId, close() }.
 */
export async function startCodeServer(opts = {}) {
  const {
    workspace,
    extensionPath,
    vsixPath,
    settings = {},
    trust = false,
    name = "vscode",
    readyTimeoutMs = 120_000,
    log = process.env.SCENE_RUNNER_HARNESS_DEBUG ? (m) => console.error(m) : () => {},
    port = 0,
    host = "127.0.0.1",
    userDataDir: givenUserData,
    extensionsDir: givenExtensions,
  } = opts;
  installExitHooks();
  const paths = await prepare({ log: (m) => console.error(m) });

  const tmp = mkdtempSync(join(tmpdir(), `scene-runner-vscode-${safeName(name)}-`));
  const userDataDir = givenUserData ? resolve(givenUserData) : join(tmp, "user-data");
  const extensionsDir = givenExtensions ? resolve(givenExtensions) : join(tmp, "extensions");
  mkdirSync(join(userDataDir, "User"), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const folder = workspace ? resolve(workspace) : join(tmp, "workspace");
  mkdirSync(folder, { recursive: true });
  const settingsFile = join(userDataDir, "User", "settings.json");
  // A user-data dir that was handed in (npm start's) keeps the settings someone changed there.
  if (!givenUserData || !existsSync(settingsFile)) {
    writeFileSync(settingsFile, JSON.stringify({ ...DEFAULT_SETTINGS, "security.workspace.trust.enabled": !!trust, ...settings }, null, 2));
  }

  const env = node24Env(paths);
  for (const k of Object.keys(env)) if (k.startsWith("VSCODE_") || k.startsWith("ELECTRON_RUN_AS_NODE")) delete env[k];
  env.VSCODE_IPC_HOOK_CLI = "";
  const common = ["--config", join(tmp, "config.yaml"), "--user-data-dir", userDataDir, "--extensions-dir", extensionsDir];

  let installed = null;
  if (extensionPath) {
    const manifest = readManifest(extensionPath);
    installed = extensionId(manifest);
    // A symlink: the extension runs from the freshly built folder (its node_modules included).
    const link = join(extensionsDir, extensionFolderName(manifest));
    rmSync(link, { recursive: true, force: true });
    symlinkSync(resolve(extensionPath), link);
  }
  if (vsixPath) {
    if (!existsSync(vsixPath)) throw new Error(`harness: no VSIX at ${vsixPath}`);
    const out = await runToEnd(paths.node, [paths.entry, ...common, "--install-extension", resolve(vsixPath), "--force"], env, 120_000);
    log(out);
    if (!/was successfully installed/.test(out)) throw new Error(`harness: installing ${vsixPath} did not report success:\n${out}`);
    // The message names the file; the id comes from the installed folder's manifest.
    const dirs = readdirSync(extensionsDir, { withFileTypes: true }).filter((e) => e.isDirectory() && existsSync(join(extensionsDir, e.name, "package.json")));
    const found = dirs.map((e) => readManifest(join(extensionsDir, e.name)));
    installed = found.length ? extensionId(found[found.length - 1]) : null;
  }

  const args = [
    ...common,
    "--auth", "none",
    "--bind-addr", `${host}:${port}`,
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-getting-started-override",
    "--ignore-last-opened",
    ...(trust ? [] : ["--disable-workspace-trust"]),
    ...(process.env.SCENE_RUNNER_VSCODE_LOG ? ["--log", process.env.SCENE_RUNNER_VSCODE_LOG] : []),
    folder,
  ];
  const server = startServer({ paths, env, args, log });
  const session = {
    name,
    tmp,
    userDataDir,
    extensionsDir,
    workspace: folder,
    extensionId: installed,
    server,
    serverPid: server.child.pid,
    browserPid: null,
    closed: false,
    beforeClose: null,
  };
  session.close = async () => {
    if (session.closed) return;
    session.closed = true;
    live.delete(session);
    try {
      if (session.beforeClose) await Promise.race([session.beforeClose(), sleep(5000)]);
    } catch {}
    if (session.browserPid) await killTree(session.browserPid, 1000);
    await killTree(session.serverPid);
    if (!process.env.SCENE_RUNNER_KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
  };
  live.add(session);
  try {
    const m = await server.waitFor(/HTTP server listening on (https?:\/\/[^\s/]+)/, readyTimeoutMs);
    session.base = m[1];
    session.port = Number(new URL(session.base).port);
    await waitHealthy(session.base, 30_000);
    // localhost, not 127.0.0.1: webviews need a secure context.
    session.url = `http://localhost:${session.port}/?folder=${encodeURIComponent(folder)}`;
    return session;
  } catch (e) {
    await saveArtifacts(session, `${name}-start-failed`).catch(() => {});
    await session.close();
    throw e;
  }
}

/**
 * Starts code-server (see startCodeServer for the options), opens its URL in Chromium and waits
 * for the workbench. Extra options: headless (default true; SCENE_RUNNER_HEADED=1 shows it),
 * viewport. Resolves to the session with `page`, `browser`, `context` and the helpers below.
 */
export async function launchVSCode(opts = {}) {
  const { name = "vscode", readyTimeoutMs = 120_000, headless = process.env.SCENE_RUNNER_HEADED ? false : true, viewport = { width: 1400, height: 900 } } = opts;
  const executablePath = chromiumPath();
  const { chromium } = await import("playwright-core");
  const session = await startCodeServer(opts);
  try {
    const browser = await chromium.launch({ executablePath, headless, args: CHROMIUM_ARGS });
    session.browser = browser;
    session.browserPid = browser.process?.()?.pid ?? null;
    session.beforeClose = () => browser.close();
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.on("dialog", (d) => d.accept().catch(() => {}));
    Object.assign(session, { context, page });
    await page.goto(session.url);
    await page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: readyTimeoutMs });
    // The workbench is usable once the status bar is drawn.
    await page.locator(".part.statusbar").waitFor({ state: "visible", timeout: readyTimeoutMs });
    Object.assign(session, helpers(session));
    return session;
  } catch (e) {
    await saveArtifacts(session, `${name}-launch-failed`).catch(() => {});
    await session.close();
    throw e;
  }
}

// ---- helpers on a session -----------------------------------------------------------------
function helpers(s) {
  const page = s.page;
  const quickInput = page.locator(".quick-input-widget");
  const rows = quickInput.locator(".quick-input-list .monaco-list-row");

  /** Texts of the error notifications and error dialogs now on screen. */
  async function errorNotifications() {
    const items = page.locator(".notification-list-item").filter({ has: page.locator(".codicon-error") });
    const texts = await items.locator(".notification-list-item-message").allTextContents().catch(() => []);
    // A command that fails when run from the palette reports in a modal dialog.
    const dialogs = await page
      .locator(".monaco-dialog-box")
      .filter({ has: page.locator(".codicon-dialog-error") })
      .evaluateAll((boxes) =>
        boxes.map((b) => [b.querySelector(".dialog-message-text"), b.querySelector(".dialog-message-detail")].map((e) => e?.textContent?.trim() || "").filter(Boolean).join(": ")),
      )
      .catch(() => []);
    return [...texts, ...dialogs].map((t) => t.trim()).filter(Boolean);
  }

  /** Closes open workbench dialogs (e.g. an error dialog left by a failed command). */
  async function dismissDialogs() {
    for (let i = 0; i < 5 && (await page.locator(".monaco-dialog-box").count()) > 0; i++) {
      await page.locator(".monaco-dialog-box .codicon-dialog-close").first().click().catch(() => page.keyboard.press("Escape"));
      await sleep(100);
    }
  }

  /** Waits while the status bar says "Activating Extensions..." (up to `timeout`). */
  async function waitForActivation(timeout = 30_000) {
    const busy = page.locator(".part.statusbar").getByText(/Activating Extensions/i);
    await busy.first().waitFor({ state: "hidden", timeout }).catch(() => {});
  }

  /** Extension-host log lines that tell why an extension failed. */
  function activationErrors() {
    return collectFiles(join(s.userDataDir, "logs"), (p) => /exthost/i.test(p) && p.endsWith(".log"))
      .flatMap((f) => readFileSync(f, "utf8").split("\n"))
      .filter((l) => /\[error\]|Activating extension .* failed/i.test(l));
  }

  async function openPalette(prefix = ">") {
    await page.keyboard.press("Escape");
    await page.locator(".monaco-workbench").click({ position: { x: 5, y: 5 }, trial: true }).catch(() => {});
    for (let attempt = 0; attempt < 3; attempt++) {
      await page.keyboard.press("F1");
      try {
        await quickInput.waitFor({ state: "visible", timeout: 5000 });
        break;
      } catch (e) {
        if (attempt === 2) throw e;
      }
    }
    const input = quickInput.locator("input");
    await input.fill(prefix);
    return input;
  }

  /** The command-palette row whose label is exactly `title` (e.g. "Scene Runner: Run Scene"). */
  function paletteRow(title) {
    const re = title instanceof RegExp ? title : new RegExp(`^\\s*${escapeRe(title)}\\s*$`);
    return rows.filter({ has: page.locator(".label-name", { hasText: re }) }).first();
  }

  /**
   * Opens the palette on `>title` and waits for the row. The palette lists what was registered
   * when it opened (extensions are still being scanned just after the workbench appears), so it is
   * reopened until the row shows or `timeout` passes. Resolves to the row, or null (palette open).
   */
  async function findInPalette(title, timeout) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const input = await openPalette();
      await input.fill(`>${title instanceof RegExp ? "" : title}`);
      const row = paletteRow(title);
      const left = deadline - Date.now();
      try {
        await row.waitFor({ state: "visible", timeout: Math.max(500, Math.min(2000, left)) });
        return row;
      } catch {
        if (Date.now() >= deadline) return null;
      }
    }
  }

  return {
    errorNotifications,
    dismissDialogs,
    waitForActivation,
    activationErrors,

    /** True when the palette lists a command with this title (the palette is closed again). */
    async hasCommand(title, { timeout = 30_000 } = {}) {
      try {
        return (await findInPalette(title, timeout)) !== null;
      } finally {
        await page.keyboard.press("Escape");
      }
    },

    /**
     * Runs a command by its palette title. Throws if it is not listed, or if an error notification
     * appears within `settleMs` (e.g. "command '...' not found", or a failed activation) unless
     * `allowErrors` is set. `failOn` (a RegExp) narrows which error notifications count.
     */
    async runCommand(title, { timeout = 30_000, settleMs = 2000, allowErrors = false, failOn = null } = {}) {
      const before = new Set(await errorNotifications());
      const row = await findInPalette(title, timeout);
      if (!row) {
        const shown = await rows.locator(".label-name").allTextContents().catch(() => []);
        await page.keyboard.press("Escape");
        throw new Error(`harness: command "${title}" is not in the command palette (shown: ${JSON.stringify(shown.slice(0, 10))})`);
      }
      await row.click();
      await quickInput.waitFor({ state: "hidden", timeout: 5000 }).catch(() => {});
      if (allowErrors) return;
      // A command first activates its extension(s); only then does it run (and fail, if it does).
      await waitForActivation(timeout);
      const deadline = Date.now() + settleMs;
      do {
        const fresh = (await errorNotifications()).filter((t) => !before.has(t) && (!failOn || failOn.test(t)));
        if (fresh.length) {
          await dismissDialogs();
          const why = activationErrors();
          throw new Error(`harness: running "${title}" raised: ${fresh.join(" | ")}${why.length ? `\nextension host errors:\n${why.join("\n")}` : ""}`);
        }
        await sleep(150);
      } while (Date.now() < deadline);
    },

    /** Opens a workspace file by (part of) its name with Ctrl+P; resolves when its editor shows. */
    async openFile(fileName, { timeout = 15_000 } = {}) {
      await page.keyboard.press("Escape");
      await page.keyboard.press("Control+P");
      await quickInput.waitFor({ state: "visible", timeout });
      await quickInput.locator("input").fill(fileName);
      const base = fileName.split("/").pop();
      await rows.filter({ hasText: base }).first().waitFor({ state: "visible", timeout });
      await page.keyboard.press("Enter");
      await page.locator(".tabs-container .tab.active", { hasText: base }).waitFor({ state: "visible", timeout });
      await page.locator(".editor-group-container.active .monaco-editor .view-lines").first().waitFor({ state: "visible", timeout });
    },

    /** A code lens link by its text (string: substring; RegExp). */
    codeLens(text) {
      return page.locator(".codelens-decoration a", { hasText: text }).first();
    },

    /** Clicks the activity-bar entry of a view container (by the start of its title). */
    async openViewContainer(title) {
      await page.locator(`.activitybar [aria-label^="${title}"]`).first().click();
    },

    /** A tree row by its accessible name (label + description); string matches a substring. */
    treeItem(name) {
      return page.getByRole("treeitem", { name }).first();
    },

    /** Hovers a tree row and clicks one of its inline actions (by the start of the command title). */
    async clickInlineAction(row, actionTitle) {
      await row.hover();
      const action = row.locator(`.action-label[aria-label^="${actionTitle}"]`).first();
      await action.waitFor({ state: "visible", timeout: 5000 });
      await action.click();
    },

    /** The document an extension's webview wrote (nth webview on the page, 0 = first ready one). */
    webview(nth = 0) {
      return page.frameLocator("iframe.webview.ready").nth(nth).frameLocator("#active-frame");
    },

    /** A notification (toast or center) containing `text`. */
    notification(text) {
      return page.locator(".notification-list-item", { hasText: text }).first();
    },

    async waitForNotification(text, { timeout = 15_000 } = {}) {
      const n = page.locator(".notification-list-item", { hasText: text }).first();
      await n.waitFor({ state: "visible", timeout });
      return n;
    },

    /** Saves a PNG of the page to test-results/<name>.png and returns its path. */
    async screenshot(shotName) {
      mkdirSync(TEST_RESULTS, { recursive: true });
      const file = join(TEST_RESULTS, `${safeName(shotName)}.png`);
      await page.screenshot({ path: file });
      return file;
    },

    /** code-server's own output so far. */
    serverLog() {
      return s.server.output();
    },

    /** The extension host's log files joined (activation errors land here). */
    extensionHostLog() {
      return collectFiles(join(s.userDataDir, "logs"), (p) => /exthost/i.test(p) && p.endsWith(".log"))
        .map((f) => `== ${f}\n${readFileSync(f, "utf8")}`)
        .join("\n");
    },
  };
}

/** Screenshot + logs of a session into test-results/ (used on failure). */
export async function saveArtifacts(session, label) {
  mkdirSync(TEST_RESULTS, { recursive: true });
  const base = join(TEST_RESULTS, safeName(label));
  const saved = [];
  if (session.page) {
    try {
      await session.page.screenshot({ path: `${base}.png`, timeout: 10_000 });
      saved.push(`${base}.png`);
    } catch {}
  }
  try {
    const logs = [`== code-server output\n${session.server?.output?.() ?? ""}`];
    logs.push(...collectFiles(join(session.userDataDir, "logs"), (p) => p.endsWith(".log")).map((f) => `== ${f}\n${readFileSync(f, "utf8")}`));
    writeFileSync(`${base}.log`, logs.join("\n"));
    saved.push(`${base}.log`);
  } catch {}
  return saved;
}

/**
 * Runs `fn(session)` against a fresh VS Code; on a throw or after `timeoutMs` it saves a screenshot
 * and logs to test-results/ (the error says where), and it always closes everything it started.
 */
export async function withVSCode(opts, fn, { timeoutMs = 180_000 } = {}) {
  const name = opts.name || "vscode";
  let session;
  let timer;
  let launching;
  const timeout = new Promise((_, rej) => {
    timer = setTimeout(() => rej(new Error(`harness: "${name}" did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    launching = launchVSCode(opts).then((s) => (session = s));
    await Promise.race([launching, timeout]);
    return await Promise.race([fn(session), timeout]);
  } catch (e) {
    if (session) {
      const saved = await saveArtifacts(session, `${name}-FAILED`).catch(() => []);
      if (saved.length) e.message += `\n(saved: ${saved.join(", ")})`;
    }
    throw e;
  } finally {
    clearTimeout(timer);
    if (session) await session.close();
    // Timed out while still launching: close the session as soon as it exists.
    else launching?.then((s) => s.close(), () => {});
  }
}
