// A stand-in for the `vscode` module, enough for an extension's activate() to run in plain
// node: every namespace function records nothing and returns a disposable stub, classes are
// plain classes, and anything not listed is an inert stub (callable, constructible, any
// property). Output channels keep their lines, so a benchmark can read the extension's log.
"use strict";

const lines = [];

function stub(name) {
  const f = function () {};
  return new Proxy(f, {
    get(target, prop) {
      if (prop === "then") return undefined; // not a promise
      if (prop === Symbol.toPrimitive) return () => name;
      if (prop === "dispose") return () => {};
      if (prop in target) return target[prop];
      return (target[prop] = stub(`${name}.${String(prop)}`));
    },
    apply: () => stub(`${name}()`),
    construct: () => stub(`new ${name}`),
  });
}

class Disposable {
  constructor(fn) {
    this._fn = fn;
  }
  static from(...ds) {
    return new Disposable(() => ds.forEach((d) => d?.dispose?.()));
  }
  dispose() {
    this._fn?.();
  }
}

class EventEmitter {
  constructor() {
    this.listeners = new Set();
    this.event = (fn) => {
      this.listeners.add(fn);
      return new Disposable(() => this.listeners.delete(fn));
    };
  }
  fire(e) {
    for (const l of [...this.listeners]) l(e);
  }
  dispose() {
    this.listeners.clear();
  }
}

class Uri {
  constructor(scheme, path) {
    this.scheme = scheme;
    this.path = path;
    this.fsPath = path;
  }
  static file(p) {
    return new Uri("file", p);
  }
  static parse(s) {
    return new Uri(s.split(":")[0], s.replace(/^[a-z]+:\/\//, "/"));
  }
  static joinPath(u, ...parts) {
    return new Uri(u.scheme, [u.path, ...parts].join("/"));
  }
  with() {
    return this;
  }
  toString() {
    return `${this.scheme}://${this.path}`;
  }
}

class Position {
  constructor(line, character) {
    Object.assign(this, { line, character });
  }
}
class Range {
  constructor(a, b, c, d) {
    Object.assign(this, typeof a === "number" ? { start: new Position(a, b), end: new Position(c, d) } : { start: a, end: b });
  }
}
class Plain {
  constructor(...args) {
    this.args = args;
  }
}
class TreeItem {
  constructor(label, collapsibleState) {
    Object.assign(this, { label, collapsibleState });
  }
}

const event = () => new Disposable();
const outputChannel = (name) => {
  const put = (level) => (text) => lines.push(`[${level}] ${name}: ${text}`);
  return {
    name, append: put("append"), appendLine: put("line"), replace() {}, clear() {}, show() {}, hide() {}, dispose() {},
    trace: put("trace"), debug: put("debug"), info: put("info"), warn: put("warn"), error: put("error"),
    logLevel: 2, onDidChangeLogLevel: event,
  };
};
const memento = () => {
  const m = new Map();
  return { get: (k, d) => (m.has(k) ? m.get(k) : d), update: async (k, v) => void m.set(k, v), keys: () => [...m.keys()], setKeysForSync() {} };
};

const vscode = {
  version: "1.95.0",
  Disposable, EventEmitter, Uri, Position, Range, TreeItem,
  ThemeIcon: Plain, ThemeColor: Plain, CodeLens: Plain, MarkdownString: Plain, Diagnostic: Plain, Selection: Range, Location: Plain,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  ExtensionMode: { Production: 1, Development: 2, Test: 3 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  commands: { registerCommand: () => new Disposable(), executeCommand: async () => undefined, getCommands: async () => [] },
  window: {
    createOutputChannel: outputChannel,
    createTreeView: () => ({ dispose() {}, onDidChangeSelection: event, onDidChangeVisibility: event, reveal: async () => {} }),
    createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
    registerWebviewPanelSerializer: () => new Disposable(),
    registerTreeDataProvider: () => new Disposable(),
    registerCustomEditorProvider: () => new Disposable(),
    createWebviewPanel: () => stub("webviewPanel"),
    showErrorMessage: async () => undefined, showInformationMessage: async () => undefined, showWarningMessage: async () => undefined,
    showTextDocument: async () => undefined, showSaveDialog: async () => undefined,
    activeTextEditor: undefined, visibleTextEditors: [],
    onDidChangeActiveTextEditor: event, onDidChangeVisibleTextEditors: event, onDidChangeActiveColorTheme: event,
  },
  workspace: {
    isTrusted: true, textDocuments: [], workspaceFolders: [],
    getConfiguration: () => ({ get: (_k, d) => d, has: () => false, inspect: () => undefined, update: async () => {} }),
    asRelativePath: (p) => String(p?.fsPath ?? p),
    onDidSaveTextDocument: event, onDidChangeConfiguration: event, onDidGrantWorkspaceTrust: event, onDidOpenTextDocument: event,
    onDidCloseTextDocument: event, onDidChangeTextDocument: event, onDidChangeWorkspaceFolders: event,
  },
  languages: { registerCodeLensProvider: () => new Disposable(), createDiagnosticCollection: () => ({ set() {}, delete() {}, clear() {}, dispose() {} }) },
  env: { language: "en", appName: "bench", uriScheme: "vscode" },
};

/** A minimal ExtensionContext rooted at `extensionPath`. */
function fakeContext(extensionPath) {
  const uri = Uri.file(extensionPath);
  return {
    subscriptions: [], extensionPath, extensionUri: uri, extensionMode: 1,
    workspaceState: memento(), globalState: memento(), secrets: stub("secrets"),
    storageUri: undefined, globalStorageUri: Uri.file("/tmp"), logUri: Uri.file("/tmp"),
    asAbsolutePath: (p) => `${extensionPath}/${p}`, environmentVariableCollection: stub("env"),
  };
}

// The extension keeps registering new kinds of providers and events: any `registerX` of a
// namespace answers with a Disposable and any `onDidX` is an event that never fires, so a new
// registration does not break the benchmark.
const lenient = (ns, name) =>
  new Proxy(ns, {
    get(t, p) {
      if (p in t || typeof p !== "string") return t[p];
      if (p.startsWith("register")) return (t[p] = () => new Disposable());
      if (p.startsWith("onDid") || p.startsWith("onWill")) return (t[p] = event);
      return (t[p] = stub(`vscode.${name}.${p}`));
    },
  });
for (const ns of ["commands", "window", "workspace", "languages", "env"]) vscode[ns] = lenient(vscode[ns], ns);

module.exports = new Proxy(vscode, { get: (t, p) => (p in t ? t[p] : (t[p] = stub(`vscode.${String(p)}`))) });
module.exports.__lines = lines;
module.exports.__fakeContext = fakeContext;
