/**
 * A vuer server's address as a person types it: `ws://host:port` as vuer prints it, or the
 * page address (`http://localhost:8012`, `https://vuer.ai?ws=ws://localhost:8012`), or a bare
 * `host:port`. One WebSocket URL comes out, or a one-line reason.
 */

export class AddressError extends Error {
  override name = "AddressError";
}

export const DEFAULT_ADDRESS = "ws://localhost:8012";

export function serverUrl(input: string): string {
  const text = input.trim();
  if (!text) throw new AddressError(`no server address given (for example ${DEFAULT_ADDRESS})`);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `ws://${text}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new AddressError(`${JSON.stringify(input)} is not a server address (for example ${DEFAULT_ADDRESS})`);
  }
  // vuer's page link names the socket in its ?ws= query: that is the server.
  const ws = u.searchParams.get("ws");
  if ((u.protocol === "http:" || u.protocol === "https:") && ws) return serverUrl(ws);
  if (u.protocol === "http:") u.protocol = "ws:";
  else if (u.protocol === "https:") u.protocol = "wss:";
  if (u.protocol !== "ws:" && u.protocol !== "wss:") throw new AddressError(`${JSON.stringify(input)}: a vuer server is reached over ws:// or wss://, not ${u.protocol}//`);
  if (!u.hostname) throw new AddressError(`${JSON.stringify(input)} names no host`);
  return u.toString().replace(/\/$/, "");
}

/**
 * The address in a link's query (`vscode://<extension id>/connect?ws=ws://host:8012`, the same
 * `?ws=` vuer's own page link uses), or undefined when the link names none.
 */
export function addressFromQuery(query: string): string | undefined {
  const params = new URLSearchParams(query.replace(/^\?/, ""));
  const raw = params.get("ws") ?? params.get("url") ?? undefined;
  return raw === undefined || raw.trim() === "" ? undefined : serverUrl(raw);
}
