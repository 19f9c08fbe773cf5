/**
 * The viewer outside VS Code: an HTTP + WebSocket server on 127.0.0.1 (a random port) that
 * serves the same viewer page as the panel, for a session's scene, to any number of browser
 * tabs. No vscode import: the extension (src/extension/browser/) and the tests drive it alike.
 *
 * Every URL is `/<token>/<room>/...`: the token is 32 random bytes, compared in constant time;
 * without it (401) or with a wrong one (403) nothing is served, not even the page. A WebSocket
 * must also come from the page's own origin (the server's, or one the host allowed, such as the
 * address code-server forwards it at). A room serves its page, the viewer bundle and its
 * lazily loaded chunks, the program's own files under files/ (read as the panel reads them:
 * inside the program's folder only, links resolved first), and its WebSocket at ws.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { readFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import type { Duplex } from "node:stream";
import { join } from "node:path";
import { WebSocketServer } from "ws";
import { mimeOf, pathOfFileUrl, type AssetScope } from "../viewer/assets.js";
import { readAssetFile } from "../viewer/asset-files.js";
import { viewerCsp, viewerHtml } from "../viewer/html.js";
import type { Room } from "./room.js";
import { makeToken, tokenMatches } from "./token.js";
import { ViewerSocket } from "./viewer-socket.js";

/** The scripts of dist/ a page may load: the bundle and the chunks it adds when a scene needs them. */
const SCRIPTS = new Set(["webview.js", "webview-splats.js", "webview-loaders.js"]);
/** The largest message a page may send (a screenshot, a render answer). */
const MAX_PAYLOAD = 64 * 2 ** 20;

export interface ViewerServerOptions {
  /** The folder holding webview.js and its chunks (dist/). */
  distDir: string;
  /** Fixed port (tests); default a free one. */
  port?: number;
  /** One line per refusal and dropped message. */
  log?: (line: string) => void;
}

export class ViewerServer {
  readonly token = makeToken();
  private readonly rooms = new Map<string, Room>();
  private readonly sockets = new Set<ViewerSocket>();
  private readonly origins = new Set<string>();
  /** host → the root URL (scheme, host, path prefix) pages requested under that host are at. */
  private readonly externalRoots = new Map<string, string>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  private nextRoom = 1;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly http: Server,
    readonly port: number,
    private readonly options: ViewerServerOptions,
  ) {
    this.origins.add(this.origin);
    http.on("request", (req, res) => void this.request(req, res).catch((e: unknown) => this.fail(res, e)));
    http.on("upgrade", (req, socket, head) => this.upgrade(req, socket, head));
  }

  static async start(options: ViewerServerOptions): Promise<ViewerServer> {
    const http = createServer();
    await new Promise<void>((resolve, reject) => {
      http.once("error", reject);
      http.listen(options.port ?? 0, "127.0.0.1", () => {
        http.off("error", reject);
        resolve();
      });
    });
    const address = http.address();
    if (!address || typeof address === "string") throw new Error("the viewer server has no TCP port");
    return new ViewerServer(http, address.port, options);
  }

  /** The server's own origin (what a page it serves directly has as its Origin). */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Another address the server is reached at: what code-server or a remote window's port
   * forwarding shows it as (`root`: the forwarded form of http://127.0.0.1:<port>/, often with a
   * path prefix such as /proxy/<port>/). Its origin may open WebSockets, and a page requested
   * under its host gets URLs under it.
   */
  addExternalRoot(root: string): void {
    const u = new URL(root);
    this.origins.add(u.origin);
    this.externalRoots.set(u.host, `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, "")}`);
  }

  /** Serves `room` from now on; returns its id (its URL: urlOf). */
  publish(room: Room): string {
    const id = String(this.nextRoom++);
    this.rooms.set(id, room);
    return id;
  }

  /** The address of a room's page, token included. */
  urlOf(id: string): string {
    return `${this.origin}/${this.token}/${id}/`;
  }

  /** The room's scene changed (its file ran again): every tab of it follows the new session. */
  changed(id: string): void {
    const room = this.rooms.get(id);
    for (const s of this.sockets) if (s.room === room) s.attach();
  }

  /** Stops serving a room; its tabs are closed. */
  unpublish(id: string): void {
    const room = this.rooms.get(id);
    this.rooms.delete(id);
    for (const s of [...this.sockets]) if (s.room === room) s.close(1001, "the scene is no longer served");
  }

  /** Browser viewers connected now. */
  get connections(): number {
    return this.sockets.size;
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const s of [...this.sockets]) s.close();
      this.wss.close();
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
    return this.closing;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  /** The room a path names, after the token: or the HTTP status refusing it. */
  private route(url: string | undefined): { room: Room; id: string; rest: string } | { status: 401 | 403 | 404; why: string } {
    const path = (url ?? "/").replace(/[?#].*$/, "");
    const [, given, id, ...rest] = path.split("/");
    if (!given) return { status: 401, why: "no token in the URL" };
    if (!tokenMatches(given, this.token)) return { status: 403, why: "a wrong token" };
    const room = id === undefined ? undefined : this.rooms.get(id);
    if (!room || id === undefined) return { status: 404, why: "no such scene" };
    return { room, id, rest: rest.join("/") };
  }

  private async request(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader("Referrer-Policy", "no-referrer"); // the token is in the URL: never pass it on
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    // A browser asks every origin for its icon, without the token: nothing, and no console error.
    if (req.url === "/favicon.ico") return void res.writeHead(204).end();
    const r = this.route(req.url);
    if ("status" in r) {
      this.log(`viewer server: refused ${req.method} (${r.why}): ${r.status}`);
      return this.text(res, r.status, r.status === 404 ? "not found" : "this address needs the viewer's secret token (Scene: Open Viewer in Browser gives it)");
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("Allow", "GET, HEAD");
      return this.text(res, 405, "only GET");
    }
    const base = this.pageBase(req, r.id);
    if (r.rest === "") return this.page(res, r.room, base);
    if (SCRIPTS.has(r.rest)) {
      const bytes = await readFile(join(this.options.distDir, r.rest)).catch(() => undefined);
      if (!bytes) return this.text(res, 404, `${r.rest} is not built (npm run build)`);
      return this.bytes(res, 200, "text/javascript; charset=utf-8", bytes);
    }
    if (r.rest.startsWith("files/") && r.room.assets) {
      // The path as the request wrote it: `..` and %2e%2e that would leave the program's folder are refused here.
      const path = pathOfFileUrl(`${base}/files`, `${base}/${r.rest}`);
      if (path === null) {
        this.log(`viewer server: refused a file outside ${r.room.title}'s folder`);
        return this.text(res, 403, "outside the program's folder");
      }
      const read = await readAssetFile(r.room.assets.root, path);
      if (!read.ok) return this.text(res, read.status, read.reason);
      return this.bytes(res, 200, mimeOf(path), read.bytes);
    }
    return this.text(res, 404, "not found");
  }

  /** Where the page is, as the browser sees it: the address the request came by (directly, or a forwarded one). */
  private pageBase(req: IncomingMessage, id: string): string {
    const host = req.headers["x-forwarded-host"] ?? req.headers.host;
    const root = (typeof host === "string" && this.externalRoots.get(host)) || this.origin;
    return `${root}/${this.token}/${id}`;
  }

  private page(res: ServerResponse, room: Room, base: string): void {
    const nonce = randomBytes(18).toString("base64url");
    // Same-origin resources ('self'); the one WebSocket is this server's own (or, forwarded, the page's same origin).
    const csp = { nonce, cspSource: "'self'", connectSrc: `ws://127.0.0.1:${this.port}` };
    const assets: AssetScope | undefined = room.assets && { base: `${base}/files`, workspace: room.assets.workspace };
    const html = viewerHtml({ ...csp, scriptUri: "webview.js", title: `Scene: ${room.title}`, assets, link: { ws: "ws" } });
    res.setHeader("Content-Security-Policy", `${viewerCsp(csp)}; frame-ancestors 'none'`);
    this.bytes(res, 200, "text/html; charset=utf-8", Buffer.from(html, "utf8"));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (status: number, why: string) => {
      this.log(`viewer server: refused a WebSocket (${why}): ${status}`);
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? "Unauthorized" : status === 403 ? "Forbidden" : "Not Found"}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const r = this.route(req.url);
    if ("status" in r) return refuse(r.status, r.why);
    if (r.rest !== "ws") return refuse(404, "not the room's socket");
    const origin = req.headers.origin;
    if (!origin || !this.origins.has(origin)) return refuse(403, `Origin ${origin ?? "(none)"} is not the viewer's own`);
    if (this.closing) return refuse(404, "the server is stopping");
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const s = new ViewerSocket(ws, r.room, (line) => this.log(line), (gone) => this.sockets.delete(gone));
      this.sockets.add(s);
    });
  }

  private text(res: ServerResponse, status: number, body: string): void {
    this.bytes(res, status, "text/plain; charset=utf-8", Buffer.from(body, "utf8"));
  }

  private bytes(res: ServerResponse, status: number, type: string, body: Buffer): void {
    res.writeHead(status, { "Content-Type": type, "Content-Length": body.length });
    res.end(res.req.method === "HEAD" ? undefined : body);
  }

  private fail(res: ServerResponse, e: unknown): void {
    this.log(`viewer server: ${(e as Error).message}`);
    if (!res.headersSent) this.text(res, 500, "the viewer server failed on this request");
    else res.destroy();
  }
}
